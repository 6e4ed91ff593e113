import { NetworkSecurityGroup } from '@cdktf/provider-azurerm/lib/network-security-group';
import { Annotations, TerraformProvider } from 'cdktf';
import { enforcePlanProfile } from '../common/enforce-profile';
import { platformOutput } from '../common/platform-outputs';
import { Construct } from 'constructs';
import { CloudProvider, ComplianceProfile, ResolvedPlatform, SandboxPlatformSpec, resolvePlatform } from '../spec';
import { AzureArtifactStore } from './artifact-store';
import { AzureActivityLogExport } from './audit';
import { AzureClientContext } from './context';
import { AzureControlPlaneAccess, AzureNodeIdentity } from './identity';
import { AzurePlatformKeys } from './keys';
import { AZURE_MAX_ZONES, AzureNetworkWatcherRef, AzureSandboxNetwork, nodeSecurityRules } from './network';
import { AzureGpuDriver, AzureNodePool } from './node-pool';
import { AzureObservability } from './observability';
import { AzurePrivateDnsZoneIds, AzurePrivateLink } from './private-link';
import { AzureResourceGroup } from './resource-group';
import { applyAzureScope } from './scope-aspect';
import { compactName, trimmedName } from './util';

/** A VNet the platform joins instead of creating one. */
export interface AzureExistingNetwork {
  /** Resource id of the VNet. */
  readonly vnetId: string;
  /**
   * Node subnets, one per availability zone: index i holds the scale sets of zone i + 1. They must
   * already have egress (NAT gateway or firewall route) as your network provides it.
   */
  readonly nodeSubnetIds: string[];
  /** Subnet for the platform's private endpoints. Default: nodeSubnetIds[0]. */
  readonly privateEndpointSubnetId?: string;
  /** Existing privatelink zones (already linked to the VNet). Default: create both zones and link them. */
  readonly privateDnsZoneIds?: AzurePrivateDnsZoneIds;
}

export interface AzureSandboxPlatformProps {
  /** The platform spec; validated and resolved against the Azure catalog at construction. */
  readonly spec: SandboxPlatformSpec;
  /** Azure region of every resource, e.g. "eastus". Also enables region-specific warnings. */
  readonly location: string;
  /** Put everything in this existing resource group (a data source looks it up). Default: create "<name>-sandbox-rg". */
  readonly resourceGroupName?: string;
  /** Compose into this VNet; no VNet, subnets, egress or flow logs are created. Default: a new VNet. */
  readonly existingNetwork?: AzureExistingNetwork;
  /**
   * Use this customer-managed key (versionless id, https://<vault>.vault.azure.net/keys/<name>) instead of
   * creating a vault and key; requires keyVaultId. The vault needs RBAC authorization (the platform grants roles on it),
   * purge protection and the trusted-services bypass.
   * Default: a new Key Vault and rotating key.
   */
  readonly keyVaultKeyId?: string;
  /** Resource id of keyVaultKeyId's vault (role assignments, private endpoint). Required with keyVaultKeyId. */
  readonly keyVaultId?: string;
  /** Provider for every resource and data source (aliased providers for multi-region or multi-subscription). Default: the stack's default provider. */
  readonly provider?: TerraformProvider;
  /** Entra tenant of the Key Vault. Default: the tenant of the credentials Terraform runs with (data azurerm_client_config). */
  readonly tenantId?: string;
  /** Node administrator SSH public key (break-glass from inside the VNet). Default: a lockout key nobody holds (nodes are run with Run Command). */
  readonly adminSshPublicKey?: string;
  /** How GPU nodes get the NVIDIA driver. Default: the NvidiaGpuDriverLinux extension where it supports the series, else an image with drivers. */
  readonly gpuDriver?: AzureGpuDriver;
  /** The subscription gives these scale sets Trusted Launch (Secure Boot): validate sizes and GPU drivers for it. Default false. See AzureNodePoolProps.trustedLaunch. */
  readonly trustedLaunch?: boolean;
  /** Public IPv4 ranges of the Terraform runner, let through the Key Vault firewall to create keys. Default: none (private access only). See AzurePlatformKeysProps. */
  readonly deployerIpRanges?: string[];
  /**
   * Enforce the spec's compliance profile on the whole stack at synth (SandboxCompliance.enforce):
   * a violation by any resource in the stack fails synth; reports are written next to cdk.tf.json.
   * Default true.
   */
  readonly enforceCompliance?: boolean;
  /** Network Watcher of the region. Default "NetworkWatcher_<location>" in "NetworkWatcherRG", which Azure creates with the first VNet. */
  readonly networkWatcher?: AzureNetworkWatcherRef;
}

/**
 * Everything a sandbox platform needs in one Azure subscription and region, wired from the resolved
 * plan: resource group, Log Analytics and alerts, Key Vault with a rotating key and disk
 * encryption set, the VNet (zonal node subnets, NAT gateways or Azure Firewall, VNet flow logs),
 * private endpoints for the vault and both storage accounts, node identity, one set of zonal Flexible
 * scale sets per pool, the subscription activity-log export (soc2/hipaa) and, for BYOC, the vendor
 * control plane's custom role. Each part is exposed and usable on its own.
 *
 * The provider needs `storage_use_azuread = true` (shared keys are off on every account) and
 * `features { storage { data_plane_available = false } }` may be set, since nothing here uses the
 * storage data plane (see stacks/azure.ts).
 */
export class AzureSandboxPlatform extends Construct {
  public readonly plan: ResolvedPlatform;
  public readonly context: AzureClientContext;
  public readonly resourceGroup: AzureResourceGroup;
  public readonly observability: AzureObservability;
  public readonly keys: AzurePlatformKeys;
  public readonly network?: AzureSandboxNetwork;
  public readonly vnetId: string;
  /** Node subnet per zone (index i = zone i + 1). */
  public readonly nodeSubnetIds: string[];
  public readonly privateLink: AzurePrivateLink;
  public readonly artifactStore: AzureArtifactStore;
  public readonly nodeIdentity: AzureNodeIdentity;
  public readonly pools: { readonly [name: string]: AzureNodePool } = {};
  public readonly activityLog?: AzureActivityLogExport;
  public readonly controlPlane?: AzureControlPlaneAccess;

  constructor(scope: Construct, id: string, props: AzureSandboxPlatformProps) {
    super(scope, id);
    const plan = resolvePlatform(props.spec, CloudProvider.AZURE, { region: props.location, source: `construct ${this.node.path}` });
    this.plan = plan;
    for (const w of plan.warnings) Annotations.of(this).addWarning(`${w.path}: ${w.message}`);
    this.checkProps(props);
    applyAzureScope(this, plan.tags, props.provider);
    const { name, preset } = plan;
    const preventDestroy = preset.preventDestroy;
    const retention = plan.observability.logRetentionDays;
    const location = props.location;

    this.context = new AzureClientContext(this, 'context', { tenantId: props.tenantId });
    this.resourceGroup = new AzureResourceGroup(this, 'resource-group', { name, location, existingName: props.resourceGroupName });
    const rg = this.resourceGroup.name;
    const base = { resourceGroupName: rg, location };
    const suffix = this.context.uniqueSuffix(`${props.resourceGroupName ?? `${name}-sandbox-rg`}/${name}/${location}`);

    this.observability = new AzureObservability(this, 'observability', {
      ...base, name, logRetentionDays: retention, alertEmails: plan.observability.alertEmails, preventDestroy,
    });
    const workspaceId = this.observability.workspaceId;

    this.keys = new AzurePlatformKeys(this, 'keys', {
      ...base,
      name,
      tenantId: this.context.tenantId,
      vaultName: `${trimmedName(name, 11)}-kv-${suffix}`,
      deployerObjectId: this.context.deployerObjectId,
      rotationDays: preset.keyRotationMaxDays[CloudProvider.AZURE],
      deployerIpRanges: props.deployerIpRanges,
      existingKey: props.keyVaultKeyId ? { keyVaultKeyId: props.keyVaultKeyId, keyVaultId: props.keyVaultId! } : undefined,
      workspaceId,
      preventDestroy,
    });

    let endpointSubnetId: string;
    let nicSecurityGroupId: string | undefined;
    if (props.existingNetwork) {
      const existing = props.existingNetwork;
      this.vnetId = existing.vnetId;
      this.nodeSubnetIds = existing.nodeSubnetIds;
      endpointSubnetId = existing.privateEndpointSubnetId ?? existing.nodeSubnetIds[0];
      // The caller's subnets keep their own NSGs; the NICs get the platform's rules as well.
      nicSecurityGroupId = new NetworkSecurityGroup(this, 'nodes-nsg', {
        ...base, name: `${name}-nodes-nsg`, securityRule: nodeSecurityRules(plan.network.egress),
      }).id;
    } else {
      this.network = new AzureSandboxNetwork(this, 'network', {
        ...base,
        name,
        network: plan.network,
        flowLogRetentionDays: retention,
        flowLogStorageAccountName: `${compactName(name, 13)}flw${suffix}`,
        storageCmk: this.keys.storageCmk,
        trafficAnalytics: { workspaceResourceId: workspaceId, workspaceId: this.observability.workspace.workspaceId, workspaceLocation: location },
        workspaceId,
        networkWatcher: props.networkWatcher,
        preventDestroy,
      });
      this.vnetId = this.network.vnetId;
      this.nodeSubnetIds = this.network.nodeSubnetIds;
      endpointSubnetId = this.network.endpointSubnet.id;
    }

    this.privateLink = new AzurePrivateLink(this, 'private-link', {
      ...base, name, vnetId: this.vnetId, subnetId: endpointSubnetId, existingZoneIds: props.existingNetwork?.privateDnsZoneIds,
    });
    this.privateLink.endpoint('key-vault', this.keys.keyVaultId, 'vault');

    this.artifactStore = new AzureArtifactStore(this, 'artifacts', {
      ...base, accountName: `${compactName(name, 13)}art${suffix}`, cmk: this.keys.storageCmk, accessLogsWorkspaceId: workspaceId,
    });
    this.privateLink.endpoint('artifacts', this.artifactStore.accountId, 'blob');
    // Network Watcher writes flow logs through the trusted-services exception; the endpoint lets
    // readers inside the VNet (an operator, a SIEM collector) reach them privately.
    if (this.network) this.privateLink.endpoint('flow-logs', this.network.flowLogStorage.id, 'blob');

    this.nodeIdentity = new AzureNodeIdentity(this, 'node-identity', {
      ...base, name, artifactContainerResourceId: this.artifactStore.containerResourceId, metricsScope: this.resourceGroup.id,
    });

    const pools: { [name: string]: AzureNodePool } = {};
    for (const pool of plan.pools) {
      const p = new AzureNodePool(this, `pool-${pool.name}`, {
        ...base,
        platformName: name,
        pool,
        subnetIds: this.nodeSubnetIds,
        egress: plan.network.egress, allowedDomains: plan.network.allowedDomains,
        nodeIdentityId: this.nodeIdentity.id,
        diskEncryptionSetId: this.keys.diskEncryptionSet.id,
        diskEncryptionGrant: this.keys.diskEncryptionGrant,
        networkSecurityGroupId: nicSecurityGroupId,
        adminSshPublicKey: props.adminSshPublicKey,
        gpuDriver: props.gpuDriver,
        trustedLaunch: props.trustedLaunch,
      });
      pools[pool.name] = p;
      for (const z of p.zoneScaleSets) {
        this.observability.addScaleSet({
          pool: pool.name, zone: z.zone, scaleSetId: z.scaleSet.id, autoscaleSettingId: z.autoscale.id, maxNodes: z.maxNodes,
        });
      }
    }
    this.pools = pools;

    // The activity log export is the audit trail of soc2/hipaa (baseline: the activity log's own 90 days).
    if (plan.observability.createAuditTrail && plan.compliance !== ComplianceProfile.BASELINE) {
      this.activityLog = new AzureActivityLogExport(this, 'activity-log', {
        name, subscriptionResourceId: this.context.subscriptionResourceId, workspaceId,
      });
    }
    if (plan.controlPlane) {
      this.controlPlane = new AzureControlPlaneAccess(this, 'control-plane', {
        name, location, resourceGroupId: this.resourceGroup.id, controlPlane: plan.controlPlane,
        artifactContainerResourceId: this.artifactStore.containerResourceId,
      });
    }
    this.outputs();
    enforcePlanProfile(this, plan, props.enforceCompliance !== false);
  }

  private checkProps(props: AzureSandboxPlatformProps): void {
    const problems: string[] = [];
    if (!/^[a-z][a-z0-9]+$/.test(props.location)) {
      problems.push(`location ${JSON.stringify(props.location)} is not an Azure region name such as "eastus"`);
    }
    if (props.keyVaultKeyId && !props.keyVaultId) problems.push('keyVaultKeyId needs keyVaultId (the resource id of its vault)');
    if (props.keyVaultId && !props.keyVaultKeyId) problems.push('keyVaultId is only used with keyVaultKeyId');
    const zones = props.existingNetwork?.nodeSubnetIds.length ?? this.plan.network.zones;
    if (zones < 1 || zones > AZURE_MAX_ZONES) {
      problems.push(props.existingNetwork
        ? `existingNetwork.nodeSubnetIds has ${zones} subnets; give one per availability zone, 1..${AZURE_MAX_ZONES}`
        : `spec.network.zones is ${zones}, but Azure regions have at most ${AZURE_MAX_ZONES} availability zones; use 1..${AZURE_MAX_ZONES}`);
    }
    if (problems.length > 0) throw new Error(`${this.node.path}: ${problems.join('; ')}`);
  }

  /** Outputs the vendor control plane needs, named "<platform>_<what>". */
  private outputs(): void {
    const out = (what: string, value: unknown, description: string) => platformOutput(this, this.plan.name, what, value, description);
    const byPool = (f: (p: AzureNodePool) => string[]) => Object.fromEntries(Object.entries(this.pools).map(([k, p]) => [k, f(p)]));
    out('resource_group_name', this.resourceGroup.name, 'Resource group of the platform');
    out('vnet_id', this.vnetId, 'VNet of the sandbox nodes');
    out('node_subnet_ids', this.nodeSubnetIds, 'Node subnet per availability zone');
    out('scale_set_ids', byPool((p) => p.scaleSets.map((s) => s.id)), 'Flexible scale sets per pool (one per zone)');
    out('scale_set_names', byPool((p) => p.scaleSets.map((s) => s.name)), 'Scale set names per pool');
    out('node_identity_id', this.nodeIdentity.id, 'User-assigned identity of the nodes');
    out('node_identity_client_id', this.nodeIdentity.clientId, 'Client id of the nodes\' identity');
    out('storage_account_name', this.artifactStore.accountName, 'Storage account of sandbox templates and snapshots');
    out('artifact_container', this.artifactStore.container.name, 'Blob container of sandbox templates and snapshots');
    out('key_vault_id', this.keys.keyVaultId, 'Key Vault of the platform key');
    out('key_id', this.keys.keyVaultKeyId, 'Platform key (versionless)');
    out('disk_encryption_set_id', this.keys.diskEncryptionSet.id, 'Disk encryption set of the nodes');
    out('log_analytics_workspace_id', this.observability.workspaceId, 'Log Analytics workspace');
    out('action_group_id', this.observability.actionGroup.id, 'Action group of platform alerts');
    if (this.controlPlane) out('control_plane_role_definition_id', this.controlPlane.role.roleDefinitionResourceId, 'Custom role of the vendor control plane');
  }
}
