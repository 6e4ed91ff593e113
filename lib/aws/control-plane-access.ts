import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Construct } from 'constructs';
import { ControlPlaneAccess, ResolvedControlPlane, TAG_KEYS } from '../spec';
import { AwsAccountContext } from './context';
import { PolicyStatement, policyDocument } from './policy';

export interface AwsControlPlaneAccessProps {
  readonly name: string;
  readonly context: AwsAccountContext;
  readonly controlPlane: ResolvedControlPlane;
  readonly artifactBucketArn: string;
  readonly kmsKeyArn: string;
  /**
   * Kubernetes mode: the platform's EKS cluster, which the vendor may describe (kubeconfig) and whose
   * add-ons and access entries it may list. Its node groups are the tagged Auto Scaling groups the
   * operate level already scales. Default: none (instance mode).
   */
  readonly eksClusterArn?: string;
  /** Log group name prefix the vendor may read. Default "/sandbox/<name>/". */
  readonly logGroupPrefix?: string;
  /**
   * The only Run Command document the vendor may send (AwsShellAudit's recorded document). Default:
   * AWS-RunShellScript, whose commands are not recorded beyond CloudTrail's "SendCommand happened".
   */
  readonly commandDocumentArn?: string;
  /** Max session length in seconds. Default 3600. */
  readonly maxSessionSeconds?: number;
}

/**
 * BYOC: the role the vendor's control plane assumes. Trusts only `controlPlane.principal`, only
 * with the agreed sts:ExternalId (confused-deputy protection), is capped by a permissions
 * boundary, and is scoped by the platform tag to this platform's Auto Scaling groups and
 * instances, its log groups and its artifact bucket. OPERATE may scale pools, refresh them and
 * run SSM commands on their nodes; READ_ONLY may only describe and read.
 * Source for the confused-deputy pattern: docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html.
 */
export class AwsControlPlaneAccess extends Construct {
  public readonly role: IamRole;
  public readonly boundary: IamPolicy;

  constructor(scope: Construct, id: string, props: AwsControlPlaneAccessProps) {
    super(scope, id);
    const { context: ctx, controlPlane: cp } = props;
    if (!cp.externalId) throw new Error(`${this.node.path}: controlPlane.externalId is required on AWS`);
    const principal = /^\d{12}$/.test(cp.principal) ? `arn:${ctx.partition}:iam::${cp.principal}:root` : cp.principal;
    const statements = controlPlaneStatements(props);
    this.boundary = new IamPolicy(this, 'boundary', {
      name: `${props.name}-control-plane-boundary`,
      description: `Upper bound of what the ${props.name} control-plane role can ever do`,
      // The same statements, conditions included: whatever is attached to the role later, it can
      // never act beyond this platform's tagged resources.
      policy: policyDocument(statements),
    });
    this.role = new IamRole(this, 'role', {
      name: `${props.name}-control-plane`,
      description: `Vendor control plane of ${props.name} (${cp.access})`,
      maxSessionDuration: props.maxSessionSeconds ?? 3600,
      permissionsBoundary: this.boundary.arn,
      assumeRolePolicy: policyDocument([{
        Effect: 'Allow',
        Principal: { AWS: principal },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:ExternalId': cp.externalId } },
      }]),
    });
    new IamRolePolicy(this, 'access', { role: this.role.id, name: `control-plane-${cp.access}`, policy: policyDocument(statements) });
  }
}

/** The control plane's statements for its access level. */
export function controlPlaneStatements(props: AwsControlPlaneAccessProps): PolicyStatement[] {
  const { context: ctx, name } = props;
  const tagged = { StringEquals: { [`aws:ResourceTag/${TAG_KEYS.platform}`]: name } };
  const logGroups = ctx.arn('logs', `log-group:${props.logGroupPrefix ?? `/sandbox/${name}/`}*`);
  const read: PolicyStatement[] = [
    {
      Sid: 'Describe',
      Effect: 'Allow',
      // Describe/List calls have no resource-level permissions.
      Action: ['autoscaling:DescribeAutoScalingGroups', 'autoscaling:DescribeAutoScalingInstances', 'autoscaling:DescribeScalingActivities',
        'autoscaling:DescribeWarmPool', 'autoscaling:DescribeInstanceRefreshes', 'ec2:DescribeInstances', 'ec2:DescribeInstanceStatus',
        'ssm:DescribeInstanceInformation', 'ssm:ListCommands', 'ssm:ListCommandInvocations', 'ssm:GetCommandInvocation',
        'cloudwatch:GetMetricData', 'cloudwatch:ListMetrics', 'cloudwatch:DescribeAlarms', 'logs:DescribeLogGroups',
        // Logs Insights query results and cancellation take no resource ARN.
        'logs:GetQueryResults', 'logs:StopQuery'],
      Resource: '*',
    },
    {
      Sid: 'ReadPlatformLogs',
      Effect: 'Allow',
      Action: ['logs:GetLogEvents', 'logs:FilterLogEvents', 'logs:DescribeLogStreams', 'logs:StartQuery'],
      Resource: [logGroups, `${logGroups}:*`],
    },
    {
      Sid: 'ReadArtifacts',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket', 's3:GetBucketLocation'],
      Resource: [props.artifactBucketArn, `${props.artifactBucketArn}/*`],
    },
    {
      Sid: 'UsePlatformKeyThroughS3',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
      Resource: props.kmsKeyArn,
      Condition: { StringEquals: { 'kms:ViaService': `s3.${ctx.region}.amazonaws.com` } },
    },
  ];
  if (props.eksClusterArn) {
    // Kubernetes mode: find the cluster and build a kubeconfig (aws eks update-kubeconfig calls
    // DescribeCluster); Kubernetes rights come from the role's EKS access entry, not from IAM.
    read.push({
      Sid: 'DescribeOwnCluster',
      Effect: 'Allow',
      Action: ['eks:DescribeCluster', 'eks:ListAddons', 'eks:DescribeAddon', 'eks:ListAccessEntries', 'eks:ListAssociatedAccessPolicies'],
      Resource: [props.eksClusterArn, `${props.eksClusterArn.replace(':cluster/', ':addon/')}/*`, `${props.eksClusterArn.replace(':cluster/', ':access-entry/')}/*`],
    }, { Sid: 'ListClusters', Effect: 'Allow', Action: 'eks:ListClusters', Resource: '*' });
  }
  if (props.controlPlane.access === ControlPlaneAccess.READ_ONLY) return read;
  return [
    ...read,
    {
      Sid: 'ScaleOwnPools',
      Effect: 'Allow',
      Action: ['autoscaling:SetDesiredCapacity', 'autoscaling:UpdateAutoScalingGroup', 'autoscaling:StartInstanceRefresh',
        'autoscaling:CancelInstanceRefresh', 'autoscaling:SetInstanceHealth', 'autoscaling:TerminateInstanceInAutoScalingGroup'],
      Resource: '*',
      Condition: tagged,
    },
    {
      Sid: 'RunCommandsOnOwnNodes',
      Effect: 'Allow',
      Action: 'ssm:SendCommand',
      Resource: ctx.arn('ec2', 'instance/*'),
      Condition: { StringEquals: { [`ssm:resourceTag/${TAG_KEYS.platform}`]: name } },
    },
    {
      Sid: 'RunShellScriptDocument',
      Effect: 'Allow',
      Action: 'ssm:SendCommand',
      Resource: props.commandDocumentArn ?? ctx.arn('ssm', 'document/AWS-RunShellScript', { noAccount: true }),
    },
    {
      Sid: 'WriteArtifacts',
      Effect: 'Allow',
      Action: ['s3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
      Resource: `${props.artifactBucketArn}/*`,
    },
  ];
}
