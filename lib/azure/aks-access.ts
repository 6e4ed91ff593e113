import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { Construct } from 'constructs';
import { ControlPlaneAccess } from '../spec';
import { AZURE_RBAC_PROPAGATION, waitForGrants } from './propagation';

/**
 * Built-in AKS roles (learn.microsoft.com/azure/aks/manage-azure-rbac, "Create role assignments";
 * learn.microsoft.com/azure/role-based-access-control/built-in-roles/containers):
 * - Azure Kubernetes Service Cluster User Role: listClusterUserCredential, the kubeconfig (with Entra
 *   authentication it carries no credential; every call is authorized by Azure RBAC);
 * - Azure Kubernetes Service RBAC Reader: read most objects in a namespace, no Secrets, no RBAC objects;
 * - Azure Kubernetes Service RBAC Cluster Admin: every action on every object.
 */
export const AKS_RBAC_ROLES = {
  clusterUser: 'Azure Kubernetes Service Cluster User Role',
  reader: 'Azure Kubernetes Service RBAC Reader',
  clusterAdmin: 'Azure Kubernetes Service RBAC Cluster Admin',
} as const;

/**
 * The AKS role of the vendor's control plane for each ControlPlaneAccess, as on EKS (View / ClusterAdmin):
 * OPERATE creates namespaces, RuntimeClass-scheduled pods, CRDs and the agent's own RBAC, which no narrower
 * built-in role allows (RBAC Writer cannot create roles or role bindings); READ_ONLY reads.
 */
export function aksVendorRole(access: ControlPlaneAccess): string {
  return access === ControlPlaneAccess.READ_ONLY ? AKS_RBAC_ROLES.reader : AKS_RBAC_ROLES.clusterAdmin;
}

export interface AzureAksVendorAccessProps {
  /** Resource id of the AKS cluster: the scope of both grants. */
  readonly clusterId: string;
  /** Entra object id of the vendor's control plane. */
  readonly principalId: string;
  readonly access: ControlPlaneAccess;
  /** Wait after the grants (Go duration). Default AZURE_RBAC_PROPAGATION ("10m"). */
  readonly propagationDelay?: string;
}

/**
 * BYOC: the vendor's Entra principal gets, on this cluster only, the Cluster User role (to fetch the
 * kubeconfig) and the Kubernetes role its ControlPlaneAccess maps to; the apply ends only after the
 * documented propagation delay, so the vendor's first call after it is authorized.
 */
export class AzureAksVendorAccess extends Construct {
  public readonly clusterUser: RoleAssignment;
  public readonly kubernetesRole: RoleAssignment;

  constructor(scope: Construct, id: string, props: AzureAksVendorAccessProps) {
    super(scope, id);
    const grant = (gid: string, role: string, description: string) => new RoleAssignment(this, gid, {
      scope: props.clusterId, roleDefinitionName: role, principalId: props.principalId, principalType: 'ServicePrincipal', description,
    });
    this.clusterUser = grant('cluster-user', AKS_RBAC_ROLES.clusterUser, 'Vendor control plane fetches the kubeconfig of this cluster');
    this.kubernetesRole = grant('kubernetes', aksVendorRole(props.access), `Vendor control plane (${props.access}) in this cluster`);
    waitForGrants(this, 'propagation', [this.clusterUser, this.kubernetesRole], props.propagationDelay ?? AZURE_RBAC_PROPAGATION);
  }
}
