import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { ResolvedControlPlane, ResolvedKubernetes } from '../spec';
import { AwsAccountContext } from './context';
import { AwsEksAccess, EksAccessPolicy, eksAccessPolicyFor } from './eks-access';
import { AwsEksAddons } from './eks-addons';
import { AwsEksCluster } from './eks-cluster';

export interface AwsKubernetesProps {
  readonly name: string;
  readonly kubernetes: ResolvedKubernetes;
  readonly context: AwsAccountContext;
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly subnetIds: string[];
  readonly kmsKeyArn: string;
  readonly logRetentionDays: number;
  readonly preventDestroy?: boolean;
  /** IAM principals (role ARNs) given AmazonEKSClusterAdminPolicy: the customer's administrators. Default none. */
  readonly clusterAdminPrincipalArns?: string[];
  /** What the cluster is created after (the platform key and its policy). Default none. */
  readonly dependsOn?: ITerraformDependable[];
  /** The artifact bucket nodes download their sandbox runtime from under egress "none" (a cluster tag). Default: none. */
  readonly artifactBucketName?: string;
}

/**
 * The Kubernetes side of an AWS platform: the EKS cluster, its pinned managed add-ons with Pod
 * Identity, and access entries for the vendor and the customer's administrators. Node groups join
 * through `access.addNodeRole`, and the workload add-ons (CoreDNS, EBS CSI) wait for the first
 * node group through `addons.addWorkloadAddons`.
 */
export class AwsKubernetes extends Construct {
  public readonly cluster: AwsEksCluster;
  public readonly addons: AwsEksAddons;
  public readonly access: AwsEksAccess;

  constructor(scope: Construct, id: string, props: AwsKubernetesProps) {
    super(scope, id);
    this.cluster = new AwsEksCluster(this, 'cluster', {
      name: props.name, kubernetes: props.kubernetes, context: props.context, vpcId: props.vpcId, vpcCidr: props.vpcCidr,
      subnetIds: props.subnetIds, kmsKeyArn: props.kmsKeyArn, logRetentionDays: props.logRetentionDays,
      preventDestroy: props.preventDestroy, dependsOn: props.dependsOn, artifactBucketName: props.artifactBucketName,
    });
    const clusterName = this.cluster.cluster.name;
    this.addons = new AwsEksAddons(this, 'addons', {
      name: props.name, clusterName, kubernetes: props.kubernetes, context: props.context, kmsKeyArn: props.kmsKeyArn,
    });
    this.access = new AwsEksAccess(this, 'access', { clusterName, context: props.context });
    (props.clusterAdminPrincipalArns ?? []).forEach((arn, i) => this.access.addPrincipal(`admin-${i}`, arn, EksAccessPolicy.CLUSTER_ADMIN));
  }

  /**
   * BYOC: the role the vendor's control plane assumes (AwsControlPlaneAccess) gets an access entry with
   * eksAccessPolicyFor(access): View for read-only, ClusterAdmin for operate.
   */
  public addVendor(roleArn: string, controlPlane: ResolvedControlPlane): void {
    this.access.addPrincipal('vendor', roleArn, eksAccessPolicyFor(controlPlane.access));
  }
}
