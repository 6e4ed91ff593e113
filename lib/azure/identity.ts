import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { RoleDefinition } from '@cdktf/provider-azurerm/lib/role-definition';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { ControlPlaneAccess, ResolvedControlPlane } from '../spec';
import { AZURE_BUILT_IN_ROLES } from './keys';

export interface AzureNodeIdentityProps {
  readonly name: string;
  readonly resourceGroupName: string;
  readonly location: string;
  /** Resource-manager id of the artifact container (the only data nodes may read). */
  readonly artifactContainerResourceId: string;
  /** Scope of Monitoring Metrics Publisher (the resource group). */
  readonly metricsScope: string;
}

/**
 * The nodes' user-assigned managed identity with only what they need: read the artifact container
 * (Storage Blob Data Reader on that container, not the account) and publish custom metrics
 * (Monitoring Metrics Publisher on the resource group). The Azure Monitor Agent authenticates with
 * it; logs flow through the data collection rule, which needs no role.
 */
export class AzureNodeIdentity extends Construct {
  public readonly identity: UserAssignedIdentity;
  public readonly id: string;
  public readonly principalId: string;
  public readonly clientId: string;

  constructor(scope: Construct, id: string, props: AzureNodeIdentityProps) {
    super(scope, id);
    this.identity = new UserAssignedIdentity(this, 'identity', {
      name: `${props.name}-nodes`, resourceGroupName: props.resourceGroupName, location: props.location,
    });
    this.id = this.identity.id;
    this.principalId = this.identity.principalId;
    this.clientId = this.identity.clientId;
    new RoleAssignment(this, 'read-artifacts', {
      scope: props.artifactContainerResourceId,
      roleDefinitionName: AZURE_BUILT_IN_ROLES.storageBlobDataReader,
      principalId: this.principalId,
      principalType: 'ServicePrincipal',
      description: 'Sandbox hosts read templates and snapshots',
    });
    new RoleAssignment(this, 'publish-metrics', {
      scope: props.metricsScope,
      roleDefinitionName: AZURE_BUILT_IN_ROLES.monitoringMetricsPublisher,
      principalId: this.principalId,
      principalType: 'ServicePrincipal',
      description: 'Sandbox hosts publish custom metrics',
    });
  }
}

/**
 * Control-plane actions on this platform's resource group. Flexible scale sets hold ordinary VMs
 * (Microsoft.Compute/virtualMachines), so instance operations are VM actions. Operation names from
 * learn.microsoft.com/azure/role-based-access-control/permissions/compute, .../permissions/monitor
 * and .../permissions/management-and-governance (Log Analytics).
 */
export const CONTROL_PLANE_READ_ACTIONS: readonly string[] = Object.freeze([
  'Microsoft.Resources/subscriptions/resourceGroups/read',
  'Microsoft.Compute/virtualMachineScaleSets/read',
  'Microsoft.Compute/virtualMachineScaleSets/instanceView/read',
  'Microsoft.Compute/virtualMachineScaleSets/virtualMachines/read',
  'Microsoft.Compute/virtualMachines/read',
  'Microsoft.Compute/virtualMachines/instanceView/read',
  'Microsoft.Compute/virtualMachines/runCommands/read',
  'Microsoft.Network/networkInterfaces/read',
  'Microsoft.Insights/autoscalesettings/read',
  'Microsoft.Insights/metrics/read',
  'Microsoft.Insights/metricDefinitions/read',
  'Microsoft.Insights/metricAlerts/read',
  'Microsoft.Insights/scheduledQueryRules/read',
  'Microsoft.OperationalInsights/workspaces/read',
  'Microsoft.OperationalInsights/workspaces/query/read',
  'Microsoft.OperationalInsights/workspaces/analytics/query/action',
]);

/**
 * OPERATE adds: change capacity (scale set write; the scale action validates a count), restart and
 * reimage instances, delete instances, run commands, and adjust autoscale bounds, plus the
 * linked-access actions a scale set write needs on what its model references, or ARM refuses the
 * write with LinkedAuthorizationFailed: join the node subnets and their NSG, assign the node
 * identity, read the disk encryption set. A Flexible scale set's VMs are ordinary VMs whose NIC and
 * disks are separate resources, so deleting a VM that cascades to them also needs their delete
 * actions. Operation names from learn.microsoft.com/azure/role-based-access-control/permissions/compute,
 * .../permissions/networking and .../permissions/identity (the same actions appear in the built-in
 * Virtual Machine Contributor and Managed Identity Operator roles).
 */
export const CONTROL_PLANE_OPERATE_ACTIONS: readonly string[] = Object.freeze([
  'Microsoft.Compute/virtualMachineScaleSets/write',
  'Microsoft.Compute/virtualMachineScaleSets/scale/action',
  'Microsoft.Compute/virtualMachineScaleSets/restart/action',
  'Microsoft.Compute/virtualMachineScaleSets/reimage/action',
  'Microsoft.Compute/virtualMachineScaleSets/delete/action',
  'Microsoft.Compute/virtualMachines/restart/action',
  'Microsoft.Compute/virtualMachines/delete',
  'Microsoft.Compute/virtualMachines/runCommand/action',
  'Microsoft.Compute/virtualMachines/runCommands/write',
  'Microsoft.Insights/autoscalesettings/write',
]);

/** Linked-access and cascade actions that go with CONTROL_PLANE_OPERATE_ACTIONS (see there). */
export const CONTROL_PLANE_LINKED_ACTIONS: readonly string[] = Object.freeze([
  'Microsoft.Network/virtualNetworks/subnets/join/action',
  'Microsoft.Network/networkSecurityGroups/join/action',
  'Microsoft.ManagedIdentity/userAssignedIdentities/*/assign/action',
  'Microsoft.Compute/diskEncryptionSets/read',
  'Microsoft.Network/networkInterfaces/delete',
  'Microsoft.Compute/disks/delete',
]);

/** The control plane's actions for its access level. */
export function controlPlaneActions(access: ControlPlaneAccess): string[] {
  return access === ControlPlaneAccess.READ_ONLY
    ? [...CONTROL_PLANE_READ_ACTIONS]
    : [...CONTROL_PLANE_READ_ACTIONS, ...CONTROL_PLANE_OPERATE_ACTIONS, ...CONTROL_PLANE_LINKED_ACTIONS];
}

export interface AzureControlPlaneAccessProps {
  readonly name: string;
  /** Resource id of the platform's resource group: scope and only assignable scope of the role. */
  readonly resourceGroupId: string;
  /** Location string used to make the role's GUID unique per platform. */
  readonly location: string;
  /**
   * Subscription id (a Terraform expression such as data.azurerm_client_config.subscription_id):
   * custom role names and GUIDs are unique per tenant, so both include it.
   */
  readonly subscriptionId: string;
  readonly controlPlane: ResolvedControlPlane;
  /** Resource-manager id of the artifact container: data access there only. */
  readonly artifactContainerResourceId: string;
}

/**
 * BYOC: a custom role scoped (and assignable) only to the platform's resource group, assigned to
 * the vendor's Entra service principal. OPERATE may scale and operate this platform's scale sets
 * and read monitoring data; READ_ONLY may read. Blob data access is a separate built-in role on the
 * artifact container (Reader for READ_ONLY, Contributor for OPERATE), so the role grants no data
 * actions on other storage in the group (the flow logs). Azure RBAC has no tag conditions for
 * compute, so the resource group is the boundary: give the platform a group of its own.
 * Source: learn.microsoft.com/azure/role-based-access-control/custom-roles.
 */
export class AzureControlPlaneAccess extends Construct {
  public readonly role: RoleDefinition;
  public readonly assignment: RoleAssignment;

  constructor(scope: Construct, id: string, props: AzureControlPlaneAccessProps) {
    super(scope, id);
    const cp = props.controlPlane;
    // Role names and role definition GUIDs are unique per tenant, not per subscription
    // ("RoleDefinitionWithSameNameExists", Azure/ARO-RP#1346; roleDefinitions: "Must be a GUID",
    // scope tenant, learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules):
    // the same spec in two subscriptions of one tenant (staging, prod) gets two roles. The GUID is
    // a UUIDv5 computed by Terraform from the subscription id, so it is stable and known at plan.
    const subscriptionTag = Fn.substr(Fn.sha256(props.subscriptionId), 0, 8);
    this.role = new RoleDefinition(this, 'role', {
      name: `${props.name} sandbox control plane (${cp.access}, ${subscriptionTag})`,
      roleDefinitionId: Fn.uuidv5('url', `https://cdktf-sandbox-byoc/${props.subscriptionId}/${props.name}/${props.location}/control-plane-role`),
      description: `Vendor control plane of sandbox platform ${props.name}: ${cp.access === ControlPlaneAccess.OPERATE ? 'operate scale sets, read monitoring' : 'read only'}`,
      scope: props.resourceGroupId,
      assignableScopes: [props.resourceGroupId],
      permissions: [{ actions: controlPlaneActions(cp.access), notActions: [], dataActions: [], notDataActions: [] }],
    });
    this.assignment = new RoleAssignment(this, 'assignment', {
      scope: props.resourceGroupId,
      roleDefinitionId: this.role.roleDefinitionResourceId,
      principalId: cp.principal,
      principalType: 'ServicePrincipal',
      description: 'BYOC vendor control plane',
    });
    new RoleAssignment(this, 'artifacts', {
      scope: props.artifactContainerResourceId,
      roleDefinitionName: cp.access === ControlPlaneAccess.OPERATE ? AZURE_BUILT_IN_ROLES.storageBlobDataContributor : AZURE_BUILT_IN_ROLES.storageBlobDataReader,
      principalId: cp.principal,
      principalType: 'ServicePrincipal',
      description: 'BYOC vendor control plane: sandbox templates and snapshots',
    });
  }
}
