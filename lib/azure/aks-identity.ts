import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { AZURE_RBAC_PROPAGATION, waitForGrants } from './propagation';

/**
 * Built-in roles the AKS control-plane identity needs before the cluster is created
 * (learn.microsoft.com/azure/role-based-access-control/built-in-roles):
 * - Network Contributor on the VNet (its subnets: nodes and the API server's delegated subnet) and on the
 *   egress resources (NAT gateways, route table): "the cluster identity needs Network Contributor on the
 *   subnet" for a bring-your-own VNet (learn.microsoft.com/azure/aks/configure-azure-cni, use-managed-identity),
 *   and on the API server subnet for API Server VNet Integration (learn.microsoft.com/azure/aks/api-server-vnet-integration);
 * - Managed Identity Operator on the kubelet identity, to assign it to the nodes (learn.microsoft.com/azure/aks/use-managed-identity,
 *   "Use a pre-created kubelet managed identity");
 * - Key Vault Crypto User (encrypt / decrypt for KMS) and Key Vault Contributor (AKS creates the private endpoint
 *   to a private vault) on the vault (learn.microsoft.com/azure/aks/use-kms-etcd-encryption, private key vault);
 * - Reader on the disk encryption set: "the AKS cluster identity has read access to the DiskEncryptionSet"
 *   (learn.microsoft.com/azure/aks/azure-disk-customer-managed-keys).
 */
export const AKS_CONTROL_PLANE_ROLES = {
  network: 'Network Contributor',
  identityOperator: 'Managed Identity Operator',
  kmsCrypto: 'Key Vault Crypto User',
  kmsPrivateLink: 'Key Vault Contributor',
  diskEncryptionSetReader: 'Reader',
} as const;

export interface AzureAksIdentityProps {
  readonly name: string;
  readonly resourceGroupName: string;
  readonly location: string;
  /** Scopes that get Network Contributor: the VNet (or the node and API server subnets) and the NAT gateways / route table. */
  readonly networkScopes: string[];
  /** Resource id of the Key Vault holding the etcd key. */
  readonly keyVaultId: string;
  /** Resource id of the platform's disk encryption set. */
  readonly diskEncryptionSetId: string;
  /** Wait after the grants (Go duration). Default AZURE_RBAC_PROPAGATION ("10m"). */
  readonly propagationDelay?: string;
}

/**
 * The identities of an AKS cluster: a user-assigned identity for the control plane (KMS does not work with
 * a system-assigned one: it exists only after the cluster, and the vault grant must come first) with every
 * grant it needs at creation, a user-assigned kubelet identity with no roles of its own (nodes pull only
 * public images; workloads use workload identity), and the propagation wait the cluster is created after.
 */
export class AzureAksIdentity extends Construct {
  public readonly controlPlane: UserAssignedIdentity;
  public readonly kubelet: UserAssignedIdentity;
  public readonly grants: RoleAssignment[] = [];
  /** The grants and the wait after them: the cluster depends on this. */
  public readonly ready: ITerraformDependable;

  constructor(scope: Construct, id: string, props: AzureAksIdentityProps) {
    super(scope, id);
    const base = { resourceGroupName: props.resourceGroupName, location: props.location };
    this.controlPlane = new UserAssignedIdentity(this, 'control-plane', { ...base, name: `${props.name}-aks-control-plane` });
    this.kubelet = new UserAssignedIdentity(this, 'kubelet', { ...base, name: `${props.name}-aks-kubelet` });
    const grant = (gid: string, scopeId: string, role: string, description: string) => {
      const g = new RoleAssignment(this, gid, {
        scope: scopeId, roleDefinitionName: role, principalId: this.controlPlane.principalId, principalType: 'ServicePrincipal', description,
      });
      this.grants.push(g);
      return g;
    };
    props.networkScopes.forEach((s, i) => grant(`network-${i}`, s, AKS_CONTROL_PLANE_ROLES.network,
      `AKS control plane of ${props.name} joins nodes and the API server to the platform network`));
    grant('kubelet-operator', this.kubelet.id, AKS_CONTROL_PLANE_ROLES.identityOperator, `AKS control plane of ${props.name} assigns the kubelet identity`);
    grant('kms-crypto', props.keyVaultId, AKS_CONTROL_PLANE_ROLES.kmsCrypto, `AKS KMS of ${props.name} encrypts etcd with the etcd key`);
    grant('kms-private-link', props.keyVaultId, AKS_CONTROL_PLANE_ROLES.kmsPrivateLink,
      `AKS KMS of ${props.name} creates its private endpoint to the private vault`);
    grant('disk-encryption-set', props.diskEncryptionSetId, AKS_CONTROL_PLANE_ROLES.diskEncryptionSetReader,
      `AKS control plane of ${props.name} reads the disk encryption set of the node disks`);
    this.ready = waitForGrants(this, 'propagation', this.grants, props.propagationDelay ?? AZURE_RBAC_PROPAGATION);
  }
}
