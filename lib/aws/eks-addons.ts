import { DataAwsEksAddonVersion } from '@cdktf/provider-aws/lib/data-aws-eks-addon-version';
import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { ResolvedKubernetes } from '../spec';
import { AwsAccountContext } from './context';
import { AwsServiceRole } from './eks-iam';

/** The EKS managed add-ons the platform installs, in the catalog's names. */
export enum EksAddonName {
  VPC_CNI = 'vpc-cni',
  KUBE_PROXY = 'kube-proxy',
  POD_IDENTITY_AGENT = 'eks-pod-identity-agent',
  COREDNS = 'coredns',
  EBS_CSI_DRIVER = 'aws-ebs-csi-driver',
}

/** Add-ons a node needs to become Ready: created before any node group (nodes stay NotReady without a CNI). */
// The Pod Identity agent first: the VPC CNI gets its credentials through it.
export const EKS_NODE_ADDONS: readonly EksAddonName[] = Object.freeze([EksAddonName.POD_IDENTITY_AGENT, EksAddonName.KUBE_PROXY, EksAddonName.VPC_CNI]);
/** Add-ons that run as Deployments: created after the system node group, or they wait for nodes until Terraform times out. */
export const EKS_WORKLOAD_ADDONS: readonly EksAddonName[] = Object.freeze([EksAddonName.COREDNS, EksAddonName.EBS_CSI_DRIVER]);

export interface AwsEksAddonsProps {
  readonly name: string;
  readonly clusterName: string;
  readonly kubernetes: ResolvedKubernetes;
  readonly context: AwsAccountContext;
  /** The platform key: the EBS CSI driver creates volumes encrypted with it. */
  readonly kmsKeyArn: string;
  /** What the node add-ons wait for (the cluster). Default none. */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * The managed add-ons, pinned to the catalog's versions for the cluster's Kubernetes version, with
 * EKS Pod Identity (no OIDC provider, no IRSA) for the two that call AWS: the VPC CNI (aws-node,
 * AmazonEKS_CNI_Policy) and the EBS CSI controller (ebs-csi-controller-sa, AmazonEBSCSIDriverPolicy
 * plus the platform key). Node add-ons are created with the cluster; workload add-ons by
 * `addWorkloadAddons` once a node group exists.
 * Sources: docs.aws.amazon.com/eks/latest/userguide/eks-add-ons.html, pod-identities.html,
 * cni-iam-role.html, ebs-csi.html; provider 6.25 aws_eks_addon pod_identity_association.
 */
export class AwsEksAddons extends Construct {
  public readonly addons: { [name: string]: EksAddon } = {};
  public readonly vpcCniRole: AwsServiceRole;
  public readonly ebsCsiRole: AwsServiceRole;
  private readonly props: AwsEksAddonsProps;

  constructor(scope: Construct, id: string, props: AwsEksAddonsProps) {
    super(scope, id);
    this.props = props;
    const { name, context: ctx } = props;
    this.vpcCniRole = new AwsServiceRole(this, 'vpc-cni-role', {
      name: `${name}-eks-vpc-cni`, description: `VPC CNI (aws-node) of the ${name} cluster`, context: ctx,
      service: 'pods.eks.amazonaws.com', managedPolicies: ['AmazonEKS_CNI_Policy'],
    });
    this.ebsCsiRole = new AwsServiceRole(this, 'ebs-csi-role', {
      name: `${name}-eks-ebs-csi`, description: `EBS CSI controller of the ${name} cluster`, context: ctx,
      service: 'pods.eks.amazonaws.com', managedPolicies: ['AmazonEBSCSIDriverPolicy'],
      // Volumes encrypted with the platform key (docs.aws.amazon.com/eks/latest/userguide/ebs-csi.html, "KMS key").
      statements: [
        { Sid: 'UsePlatformKeyForVolumes', Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
          Resource: props.kmsKeyArn },
        { Sid: 'GrantPlatformKeyToEbs', Effect: 'Allow', Action: 'kms:CreateGrant', Resource: props.kmsKeyArn,
          Condition: { Bool: { 'kms:GrantIsForAWSResource': true } } },
      ],
    });
    for (const addon of EKS_NODE_ADDONS) this.addon(addon, props.dependsOn ?? []);
  }

  /** CoreDNS and the EBS CSI driver, after `nodes` (the system node group) can run them. */
  public addWorkloadAddons(nodes: ITerraformDependable[]): void {
    for (const addon of EKS_WORKLOAD_ADDONS) this.addon(addon, [...nodes, ...Object.values(this.addons)]);
  }

  private addon(addon: EksAddonName, dependsOn: ITerraformDependable[]): EksAddon {
    // Pinned by the catalog, or else the version EKS marks default for this Kubernetes version (most_recent false).
    const version = this.props.kubernetes.addons[addon] ?? new DataAwsEksAddonVersion(this, `${addon}-default-version`, {
      addonName: addon, kubernetesVersion: this.props.kubernetes.version, mostRecent: false,
    }).version;
    const identity = addon === EksAddonName.VPC_CNI ? { role: this.vpcCniRole, serviceAccount: 'aws-node' }
      : addon === EksAddonName.EBS_CSI_DRIVER ? { role: this.ebsCsiRole, serviceAccount: 'ebs-csi-controller-sa' } : undefined;
    const a = new EksAddon(this, addon, {
      clusterName: this.props.clusterName,
      addonName: addon,
      addonVersion: version,
      // Our add-ons replace whatever a previous install left; never keep a drifted configuration silently.
      resolveConflictsOnCreate: 'OVERWRITE',
      resolveConflictsOnUpdate: 'OVERWRITE',
      podIdentityAssociation: identity ? [{ roleArn: identity.role.role.arn, serviceAccount: identity.serviceAccount }] : undefined,
      // The EBS CSI node pods stay off sandbox nodes: by default they tolerate every taint, and there the
      // host guard (rightly) keeps non-host-network pods from the API server. Sandboxes use no EBS
      // volumes. Schema key: aws eks describe-addon-configuration --addon-name aws-ebs-csi-driver
      // (node.tolerateAllTaints, boolean); chart default true since kubernetes-sigs/aws-ebs-csi-driver#1381.
      configurationValues: addon === EksAddonName.EBS_CSI_DRIVER ? JSON.stringify({ node: { tolerateAllTaints: false } }) : undefined,
      // The Pod Identity agent must run before a pod's credentials are requested; the role's grants before the association.
      dependsOn: [...dependsOn, ...(identity ? identity.role.grants : []),
        ...(identity && this.addons[EksAddonName.POD_IDENTITY_AGENT] ? [this.addons[EksAddonName.POD_IDENTITY_AGENT]] : [])],
    });
    this.addons[addon] = a;
    return a;
  }
}
