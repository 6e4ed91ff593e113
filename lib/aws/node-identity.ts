import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { TAG_KEYS } from '../spec';
import { AwsAccountContext } from './context';
import { policyDocument, serviceTrust } from './policy';

export interface AwsNodeIdentityProps {
  readonly name: string;
  readonly context: AwsAccountContext;
  readonly artifactBucketArn: string;
  readonly kmsKeyArn: string;
  /**
   * Let the SSM agent use the platform key for Session Manager encryption (kms:Decrypt on the key,
   * docs.aws.amazon.com/systems-manager/latest/userguide/session-preferences-enable-encryption.html).
   * Default false.
   */
  readonly sessionEncryption?: boolean;
  /**
   * Kubernetes mode: the EKS cluster the nodes join. Adds AmazonEKSWorkerNodePolicy (which carries the
   * Pod Identity agent's eks-auth:AssumeRoleForPodIdentity), AmazonEC2ContainerRegistryPullOnly and
   * eks:DescribeCluster on this cluster only (the bootstrap reads the endpoint and CA with it).
   * Sources: docs.aws.amazon.com/eks/latest/userguide/create-node-role.html, pod-id-agent-setup.html. Default: none.
   */
  readonly eksClusterArn?: string;
}

/**
 * The node role and instance profile: SSM Session Manager (no SSH anywhere), the CloudWatch
 * agent, read-only access to the artifact bucket, use of the platform key, and marking its own
 * pool's instances unhealthy / completing their launch lifecycle hook (the bootstrap reports its outcome). Nothing wildcard-admin.
 */
export class AwsNodeIdentity extends Construct {
  public readonly role: IamRole;
  public readonly instanceProfile: IamInstanceProfile;
  /**
   * Everything a node's first boot uses: the inline policy (CompleteLifecycleAction), the SSM and
   * CloudWatch agent attachments and the instance profile. Auto Scaling groups depend on these.
   */
  public readonly grants: ITerraformDependable[] = [];

  constructor(scope: Construct, id: string, props: AwsNodeIdentityProps) {
    super(scope, id);
    const { context: ctx } = props;
    this.role = new IamRole(this, 'role', {
      name: `${props.name}-node`,
      description: `Sandbox hosts of ${props.name}`,
      assumeRolePolicy: serviceTrust('ec2.amazonaws.com'),
    });
    // AWS managed policies: SSM agent core and CloudWatch agent
    // (docs.aws.amazon.com/systems-manager/latest/userguide/setup-instance-permissions.html).
    const managed = [['ssm', 'AmazonSSMManagedInstanceCore'], ['cloudwatch-agent', 'CloudWatchAgentServerPolicy'],
      ...(props.eksClusterArn ? [['eks-worker', 'AmazonEKSWorkerNodePolicy'], ['ecr-pull', 'AmazonEC2ContainerRegistryPullOnly']] : [])];
    for (const [id2, policy] of managed) {
      this.grants.push(new IamRolePolicyAttachment(this, id2, { role: this.role.name, policyArn: `arn:${ctx.partition}:iam::aws:policy/${policy}` }));
    }
    const inline = new IamRolePolicy(this, 'platform', {
      role: this.role.id,
      name: 'platform-access',
      policy: policyDocument([
        { Sid: 'ReadArtifacts', Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: `${props.artifactBucketArn}/*` },
        { Sid: 'ListArtifacts', Effect: 'Allow', Action: ['s3:ListBucket', 's3:GetBucketLocation'], Resource: props.artifactBucketArn },
        {
          // Reading SSE-KMS artifacts; EBS and CloudWatch Logs use the key through their own grants.
          Sid: 'DecryptArtifactsThroughS3',
          Effect: 'Allow',
          Action: ['kms:Decrypt', 'kms:DescribeKey'],
          Resource: props.kmsKeyArn,
          Condition: { StringEquals: { 'kms:ViaService': `s3.${ctx.region}.amazonaws.com` } },
        },
        ...(props.sessionEncryption ? [{
          Sid: 'EncryptSessionData', Effect: 'Allow' as const, Action: 'kms:Decrypt', Resource: props.kmsKeyArn,
        }] : []),
        ...(props.eksClusterArn ? [{
          Sid: 'DescribeOwnCluster', Effect: 'Allow' as const, Action: 'eks:DescribeCluster', Resource: props.eksClusterArn,
        }] : []),
        {
          Sid: 'ReportOwnBootstrapOutcome',
          Effect: 'Allow',
          Action: ['autoscaling:SetInstanceHealth', 'autoscaling:CompleteLifecycleAction'],
          Resource: '*',
          Condition: { StringEquals: { [`aws:ResourceTag/${TAG_KEYS.platform}`]: props.name } },
        },
      ]),
    });
    this.instanceProfile = new IamInstanceProfile(this, 'profile', { name: `${props.name}-node`, role: this.role.name });
    this.grants.push(inline, this.instanceProfile);
  }
}
