import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { ControlPlaneAccess } from '../spec';
import { AwsAccountContext } from './context';

/**
 * EKS access policies (docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html):
 * View is Kubernetes' "view" ClusterRole; ClusterAdmin is "cluster-admin".
 */
export enum EksAccessPolicy {
  VIEW = 'AmazonEKSViewPolicy',
  CLUSTER_ADMIN = 'AmazonEKSClusterAdminPolicy',
}

/**
 * The access policy of the vendor's control plane. READ_ONLY: View. OPERATE: ClusterAdmin, because
 * the vendor's agent installs cluster-scoped objects (RuntimeClasses, the NVIDIA device plugin, the
 * agent-sandbox CRDs and controllers) and runs sandboxes in namespaces it creates; the narrower
 * AmazonEKSAdminPolicy cannot create RuntimeClasses or CRDs.
 */
export function eksAccessPolicyFor(access: ControlPlaneAccess): EksAccessPolicy {
  return access === ControlPlaneAccess.READ_ONLY ? EksAccessPolicy.VIEW : EksAccessPolicy.CLUSTER_ADMIN;
}

export interface AwsEksAccessProps {
  readonly clusterName: string;
  readonly context: AwsAccountContext;
  /** What every entry waits for (the cluster). Default none. */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * Access entries (authentication mode API: no aws-auth ConfigMap). Each entry and its policy
 * association are separate resources; the association is ordered after its entry.
 */
export class AwsEksAccess extends Construct {
  public readonly entries: EksAccessEntry[] = [];
  public readonly associations: EksAccessPolicyAssociation[] = [];

  constructor(scope: Construct, id: string, private readonly props: AwsEksAccessProps) {
    super(scope, id);
  }

  /** Lets instances with `roleArn` join as nodes (type EC2_LINUX: EKS maps them to system:nodes). */
  public addNodeRole(id: string, roleArn: string): EksAccessEntry {
    const entry = new EksAccessEntry(this, id, {
      clusterName: this.props.clusterName, principalArn: roleArn, type: 'EC2_LINUX', dependsOn: this.props.dependsOn,
    });
    this.entries.push(entry);
    return entry;
  }

  /** A principal with a cluster-wide access policy (type STANDARD). */
  public addPrincipal(id: string, principalArn: string, policy: EksAccessPolicy): EksAccessPolicyAssociation {
    const entry = new EksAccessEntry(this, id, {
      clusterName: this.props.clusterName, principalArn, type: 'STANDARD', dependsOn: this.props.dependsOn,
    });
    const association = new EksAccessPolicyAssociation(this, `${id}-policy`, {
      clusterName: this.props.clusterName,
      principalArn,
      policyArn: `arn:${this.props.context.partition}:eks::aws:cluster-access-policy/${policy}`,
      accessScope: { type: 'cluster' },
      dependsOn: [entry],
    });
    this.entries.push(entry);
    this.associations.push(association);
    return association;
  }
}
