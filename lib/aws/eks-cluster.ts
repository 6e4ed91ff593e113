import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { KubernetesApiEndpoint, ResolvedKubernetes } from '../spec';
import { AwsAccountContext } from './context';
import { AwsServiceRole } from './eks-iam';
import { EKS_ARTIFACT_BUCKET_TAG } from './eks-node-join';
import { encryptedLogGroup } from './log-group';

/**
 * Every control-plane log type EKS has (EnabledClusterLogTypes / LogType enum:
 * docs.aws.amazon.com/eks/latest/APIReference/API_LogSetup.html; provider 6.25
 * eks enabled_cluster_log_types validation: api, audit, authenticator, controllerManager, scheduler).
 */
export const EKS_CONTROL_PLANE_LOG_TYPES: readonly string[] = Object.freeze(['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']);

export interface AwsEksClusterProps {
  /** Platform name; the cluster is named after it (EKS: 1..100 of [0-9A-Za-z_-], starting alphanumeric). */
  readonly name: string;
  readonly kubernetes: ResolvedKubernetes;
  readonly context: AwsAccountContext;
  readonly vpcId: string;
  /** CIDR of the VPC: the only source and destination of the control plane's security group. */
  readonly vpcCidr: string;
  /** Private subnets in at least two zones (an EKS requirement) for the control-plane ENIs. */
  readonly subnetIds: string[];
  /** Platform key: envelope encryption of Secrets, and the control-plane log group. */
  readonly kmsKeyArn: string;
  /** Retention of the control-plane log group (rounded up to a value CloudWatch accepts). */
  readonly logRetentionDays: number;
  /** lifecycle.prevent_destroy on the log group. Default false. */
  readonly preventDestroy?: boolean;
  /** Resources the cluster is created after (the platform key, whose policy must exist first). Default none. */
  readonly dependsOn?: ITerraformDependable[];
  /**
   * The platform's artifact bucket, set as the cluster tag EKS_ARTIFACT_BUCKET_TAG: nodes under egress
   * "none" read it with DescribeCluster and download their sandbox runtime from it. Default: no tag.
   */
  readonly artifactBucketName?: string;
}

/**
 * A private EKS cluster: endpoint private (or private plus a public endpoint limited to the
 * authorized CIDRs), Secrets envelope-encrypted with the platform key, every control-plane log type
 * in a log group we create first (our key, our retention: EKS would otherwise create
 * /aws/eks/<cluster>/cluster unencrypted with no expiry), access entries only (authentication mode
 * API: no aws-auth ConfigMap), no admin for whoever ran Terraform, no self-managed default add-ons
 * (the managed ones are pinned by AwsEksAddons), and an extra security group that admits the API
 * from the VPC only.
 */
export class AwsEksCluster extends Construct {
  public readonly cluster: EksCluster;
  public readonly clusterRole: AwsServiceRole;
  public readonly logGroup: CloudwatchLogGroup;
  public readonly securityGroup: SecurityGroup;
  /**
   * Attached to every node with the pool's own group: nodes reach each other on every port (pod
   * network, CoreDNS) and the control plane reaches kubelets and webhooks; nothing else comes in.
   */
  public readonly nodeSecurityGroup: SecurityGroup;
  public readonly clusterName: string;

  constructor(scope: Construct, id: string, props: AwsEksClusterProps) {
    super(scope, id);
    const { name, kubernetes: k, context: ctx } = props;
    this.clusterName = name;

    // Cluster role: AmazonEKSClusterPolicy, and the key for Secrets encryption. The account-IAM statement
    // of the platform key policy lets this identity policy take effect
    // (docs.aws.amazon.com/eks/latest/userguide/enable-kms.html: kms:Encrypt, Decrypt, ListGrants, DescribeKey).
    this.clusterRole = new AwsServiceRole(this, 'cluster-role', {
      name: `${name}-eks-cluster`,
      description: `EKS control plane of ${name}`,
      context: ctx,
      service: 'eks.amazonaws.com',
      managedPolicies: ['AmazonEKSClusterPolicy'],
      statements: [{
        Sid: 'SecretsEnvelopeEncryption',
        Effect: 'Allow',
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ListGrants', 'kms:DescribeKey'],
        Resource: props.kmsKeyArn,
      }],
    });

    // The name EKS writes to (docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html).
    this.logGroup = encryptedLogGroup(this, 'logs', {
      name: `/aws/eks/${name}/cluster`, retentionDays: props.logRetentionDays, kmsKeyArn: props.kmsKeyArn, preventDestroy: props.preventDestroy,
    });

    this.securityGroup = new SecurityGroup(this, 'sg', {
      name: `${name}-eks-control-plane`,
      description: `EKS control plane of ${name}: API (TCP 443) from the VPC only; to the VPC only`,
      vpcId: props.vpcId,
      ingress: [{
        description: 'Kubernetes API from nodes and administrators inside the VPC', protocol: 'tcp', fromPort: 443, toPort: 443,
        cidrBlocks: [props.vpcCidr], ipv6CidrBlocks: [], prefixListIds: [], securityGroups: [], selfAttribute: false,
      }],
      egress: [{
        description: 'Kubelets and webhooks on the nodes', protocol: '-1', fromPort: 0, toPort: 0,
        cidrBlocks: [props.vpcCidr], ipv6CidrBlocks: [], prefixListIds: [], securityGroups: [], selfAttribute: false,
      }],
    });

    this.nodeSecurityGroup = new SecurityGroup(this, 'nodes-sg', {
      name: `${name}-eks-nodes`,
      description: `EKS nodes of ${name}: all traffic among nodes and from the control plane`,
      vpcId: props.vpcId,
      ingress: [
        { description: 'Pod network and node to node', protocol: '-1', fromPort: 0, toPort: 0, selfAttribute: true,
          cidrBlocks: [], ipv6CidrBlocks: [], prefixListIds: [], securityGroups: [] },
        { description: 'Control plane to kubelets and webhooks', protocol: '-1', fromPort: 0, toPort: 0, selfAttribute: false,
          cidrBlocks: [], ipv6CidrBlocks: [], prefixListIds: [], securityGroups: [this.securityGroup.id] },
      ],
      egress: [
        { description: 'Pod network and node to node', protocol: '-1', fromPort: 0, toPort: 0, selfAttribute: true,
          cidrBlocks: [], ipv6CidrBlocks: [], prefixListIds: [], securityGroups: [] },
      ],
    });

    const publicEndpoint = k.apiEndpoint === KubernetesApiEndpoint.RESTRICTED_PUBLIC;
    this.cluster = new EksCluster(this, 'cluster', {
      name,
      version: k.version,
      roleArn: this.clusterRole.role.arn,
      vpcConfig: {
        subnetIds: props.subnetIds,
        securityGroupIds: [this.securityGroup.id],
        endpointPrivateAccess: true,
        endpointPublicAccess: publicEndpoint,
        // Without the public endpoint EKS ignores the list; with it, only the authorized CIDRs (never the 0.0.0.0/0 default).
        publicAccessCidrs: publicEndpoint ? [...k.authorizedCidrs] : undefined,
      },
      encryptionConfig: { resources: ['secrets'], provider: { keyArn: props.kmsKeyArn } },
      enabledClusterLogTypes: [...EKS_CONTROL_PLANE_LOG_TYPES],
      accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
      // vpc-cni, kube-proxy and CoreDNS come as pinned managed add-ons instead (AwsEksAddons).
      bootstrapSelfManagedAddons: false,
      tags: props.artifactBucketName ? { [EKS_ARTIFACT_BUCKET_TAG]: props.artifactBucketName } : undefined,
      // The role's grants and the log group first: EKS checks the role at creation and would create
      // the log group itself, unencrypted, if it did not exist.
      dependsOn: [...this.clusterRole.grants, this.logGroup, ...(props.dependsOn ?? [])],
    });
  }
}
