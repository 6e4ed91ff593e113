import { Construct } from 'constructs';
import { ResolvedControlPlane } from '../spec';
import { AwsEksAccess, EksAccessPolicy, eksAccessPolicyFor } from './eks-access';
import { AwsEksAddons } from './eks-addons';
import { AwsEksCluster, AwsEksClusterProps } from './eks-cluster';

/** Props of AwsKubernetes: the cluster's (AwsEksClusterProps) plus the customer's administrators. */
export interface AwsKubernetesProps extends AwsEksClusterProps {
  /** IAM principals (role ARNs) given AmazonEKSClusterAdminPolicy: the customer's administrators. Default none. */
  readonly clusterAdminPrincipalArns?: string[];
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
    this.cluster = new AwsEksCluster(this, 'cluster', props);
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
