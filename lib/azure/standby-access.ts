import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { AZURE_RBAC_PROPAGATION, waitForGrants } from './propagation';

/**
 * Roles the Standby Pool resource provider needs to create VMs from a scale set's model: "assign
 * the Virtual Machine Contributor ... the Network Contributor role and the Managed Identity
 * Operator role to the Standby Pool Resource Provider"
 * (learn.microsoft.com/azure/virtual-machine-scale-sets/standby-pools-configure-permissions).
 * The page assigns them at the subscription; here each is scoped to what the pools use. Reader on
 * the disk encryption set is added because the model references it and Virtual Machine
 * Contributor has no Microsoft.Compute/diskEncryptionSets/read (built-in roles, Compute); the page
 * does not list it.
 */
export const STANDBY_POOL_ROLES = {
  virtualMachineContributor: 'Virtual Machine Contributor',
  networkContributor: 'Network Contributor',
  managedIdentityOperator: 'Managed Identity Operator',
  reader: 'Reader',
} as const;

/**
 * How to find the object id of the "Standby Pool Resource Provider" service principal in a tenant.
 * Microsoft documents the display name, not an application id (azurerm's own acceptance test looks
 * it up by display name with azuread: virtual_machine_scale_set_standby_pool_resource_test.go), and
 * the object id differs per tenant, so azurerm alone cannot look it up.
 */
export const STANDBY_POOL_PRINCIPAL_LOOKUP = 'az ad sp list --display-name "Standby Pool Resource Provider" --query "[0].id" -o tsv';

export interface AzureStandbyPoolAccessProps {
  /** Object id of the "Standby Pool Resource Provider" service principal in this tenant (STANDBY_POOL_PRINCIPAL_LOOKUP). */
  readonly principalId: string;
  /** The platform's resource group (Virtual Machine Contributor: the scale sets, their VMs, NICs and disks). */
  readonly resourceGroupId: string;
  /** The VNet, or each node subnet of an existing network (Network Contributor). */
  readonly networkScopes: string[];
  /** The nodes' user-assigned identity (Managed Identity Operator). */
  readonly nodeIdentityId: string;
  /** The disk encryption set of the OS disks (Reader). */
  readonly diskEncryptionSetId: string;
  /** Wait after the grants. Default AZURE_RBAC_PROPAGATION. */
  readonly propagationDelay?: string;
}

/**
 * The Standby Pool resource provider's role assignments and the wait after them. Standby pools
 * depend on `ready`, so the first apply never creates a pool the provider cannot fill.
 */
export class AzureStandbyPoolAccess extends Construct {
  public readonly grants: RoleAssignment[] = [];
  /** Standby pools depend on this (the grants, then the propagation wait). */
  public readonly ready: ITerraformDependable;

  constructor(scope: Construct, id: string, props: AzureStandbyPoolAccessProps) {
    super(scope, id);
    const grant = (gid: string, roleDefinitionName: string, assignmentScope: string, what: string) => {
      this.grants.push(new RoleAssignment(this, gid, {
        scope: assignmentScope,
        roleDefinitionName,
        principalId: props.principalId,
        principalType: 'ServicePrincipal',
        description: `Standby Pool resource provider: ${what}`,
      }));
    };
    grant('vm-contributor', STANDBY_POOL_ROLES.virtualMachineContributor, props.resourceGroupId, 'create and manage the standby VMs of the platform scale sets');
    props.networkScopes.forEach((s, i) => grant(`network-contributor-${i + 1}`, STANDBY_POOL_ROLES.networkContributor, s, 'join the node subnets'));
    grant('identity-operator', STANDBY_POOL_ROLES.managedIdentityOperator, props.nodeIdentityId, 'assign the node identity to standby VMs');
    grant('des-reader', STANDBY_POOL_ROLES.reader, props.diskEncryptionSetId, 'use the disk encryption set of the OS disks');
    this.ready = waitForGrants(this, 'propagation', this.grants, props.propagationDelay ?? AZURE_RBAC_PROPAGATION);
  }
}
