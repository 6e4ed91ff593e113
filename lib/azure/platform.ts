import { NetworkSecurityGroup } from '@cdktf/provider-azurerm/lib/network-security-group';
import { Annotations, Fn, ITerraformDependable, TerraformProvider, Token, dependable } from 'cdktf';
import { enforcePlanProfile } from '../common/enforce-profile';
import { platformOutput } from '../common/platform-outputs';
import { Construct } from 'constructs';
import { writeKubernetesManifests } from '../common/kubernetes-manifests-file';
import {
  CloudProvider, ComplianceProfile, EgressMode, KUBERNETES_MANIFESTS_FILE, Orchestrator, ResolvedKubernetes, ResolvedPlatform,
  SandboxPlatformSpec, SandboxRuntime, resolvePlatform,
} from '../spec';
import { runtimeDownloadDomains } from '../spec/catalog/runtimes';
import type { AzureAksVendorAccess } from './aks-access';
import type { AzureAksCluster } from './aks-cluster';
import type { AzureAksIdentity } from './aks-identity';
import type { AzureAksNodePool } from './aks-node-pool';
import { AzureArtifactStore } from './artifact-store';
import { AzureActivityLogExport, AzureAuditLogs } from './audit';
import { AzureClientContext } from './context';
import { AZURE_FIREWALL_LOG_CATEGORIES, egressRuleCollectionGroup } from './egress-firewall';
import { AzureControlPlaneAccess, AzureNodeIdentity } from './identity';
import { AzurePlatformKeys, KEY_VAULT_AUDIT_CATEGORY } from './keys';
import { AZURE_MAX_ZONES, AzureNetworkWatcherRef, AzureSandboxNetwork, azureZoneNames, nodeSecurityRules } from './network';
import { AzureGpuDriver, AzureNodePool } from './node-pool';
import { AZURE_RBAC_PROPAGATION } from './propagation';
import { AzureStandbyPoolAccess, STANDBY_POOL_PRINCIPAL_LOOKUP } from './standby-access';
import { AzureObservability } from './observability';
import { AzurePrivateDnsZoneIds, AzurePrivateLink } from './private-link';
import { AzureResourceGroup } from './resource-group';
import { applyAzureScope } from './scope-aspect';
import { cidrsOverlap, compactName, keyVaultName } from './util';

/**
 * FIREWALL egress in an existing VNet: the platform adds its allow-list (network.egress.allowedDomains
 * and the Azure Monitor Agent's service tags) as a rule collection group of your hub firewall's
 * policy. Routing the node subnets' 0.0.0.0/0 to that firewall, and pointing the VNet's DNS at its
 * DNS proxy, stay with your network (the platform does not own them).
 */
export interface AzureExistingEgressFirewall {
  /** Resource id of the hub firewall's policy (the deployer needs write access to it). */
  readonly firewallPolicyId: string;
  /** Address ranges of the node subnets (the rules' sources), e.g. ["10.20.1.0/24", "10.20.2.0/24"]. */
  readonly nodeSubnetCidrs: string[];
  /** Priority of the platform's rule collection group in that policy, 100..65000. Default 300. */
  readonly priority?: number;
}

/** A VNet the platform joins instead of creating one. */
export interface AzureExistingNetwork {
  /** Resource id of the VNet. */
  readonly vnetId: string;
  /**
   * Node subnets, one per availability zone: index i holds the scale sets of zone
   * spec.network.availabilityZones[i] (default zone i + 1). They must already have egress (NAT
   * gateway or firewall route) as your network provides it.
   */
  readonly nodeSubnetIds: string[];
  /** Required for spec.network.egress.mode "firewall": where the allow-list goes. Default none. */
  readonly egressFirewall?: AzureExistingEgressFirewall;
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
  /**
   * Public IPv4 addresses or CIDRs of the Terraform runner (a list, or a Terraform list such as a
   * variable's listValue): the Key Vault's public endpoint opens to them only, because azurerm
   * manages the key through the vault's data plane on every plan. Default: none (the runner must
   * reach the vault privately: a network with the vault's private endpoint and its privatelink zone,
   * which a first apply into a new VNet cannot give it). See AzurePlatformKeysProps.deployerIpRanges.
   */
  readonly deployerIpRanges?: string[];
  /**
   * Object id, in your tenant, of the "Standby Pool Resource Provider" service principal
   * (STANDBY_POOL_PRINCIPAL_LOOKUP). Required when a pool has warmNodes: the platform grants it
   * what it needs to fill the standby pools (AzureStandbyPoolAccess). Default none.
   */
  readonly standbyPoolPrincipalId?: string;
  /**
   * Existing resource group for the customer's audit trail (audit workspace, immutable archive). It
   * must be outside the vendor role's scope. Default: create "<name>-audit-rg".
   */
  readonly auditResourceGroupName?: string;
  /** Wait after each role assignment used in the same apply (Go duration). Default "10m" (AZURE_RBAC_PROPAGATION). */
  readonly rbacPropagationDelay?: string;
  /** Shared keys on the VNet flow-log account (see AzureSandboxNetworkProps.flowLogSharedKeyAccess). Default true. */
  readonly flowLogSharedKeyAccess?: boolean;
  /**
   * Enforce the spec's compliance profile on the whole stack at synth (SandboxCompliance.enforce):
   * a violation by any resource in the stack fails synth; reports are written next to cdk.tf.json.
   * Default true.
   */
  readonly enforceCompliance?: boolean;
  /** Network Watcher of the region. Default "NetworkWatcher_<location>" in "NetworkWatcherRG", which Azure creates with the first VNet. */
  readonly networkWatcher?: AzureNetworkWatcherRef;
  /**
   * Kubernetes mode: Entra group object ids given cluster admin through Azure RBAC for Kubernetes (the
   * customer's administrators; local accounts are disabled, so nobody else is admin). Default none.
   */
  readonly kubernetesAdminGroupObjectIds?: string[];
}

/**
 * Everything a sandbox platform needs in one Azure subscription and region, wired from the resolved
 * plan: resource group, Log Analytics and alerts, Key Vault with a rotating key and disk
 * encryption set, the VNet (zonal node subnets, NAT gateways or Azure Firewall with its DNS proxy,
 * VNet flow logs), private endpoints for the vault and both storage accounts, node identity, one
 * set of zonal Flexible scale sets per pool, the customer's audit trail in a resource group of its
 * own (activity log export under soc2/hipaa, Key Vault, firewall and host SSH/sudo logs; an
 * immutable archive under hipaa) and, for BYOC, the vendor control plane's custom role. Each part
 * is exposed and usable on its own.
 *
 * The provider needs `storage_use_azuread = true` (shared keys are off on every account but the
 * flow-log one) and `features { storage { data_plane_available = false } }` may be set, since
 * nothing here uses the storage data plane (see stacks/azure.ts).
 */
export class AzureSandboxPlatform extends Construct {
  public readonly plan: ResolvedPlatform;
  public readonly context: AzureClientContext;
  public readonly resourceGroup: AzureResourceGroup;
  public readonly observability: AzureObservability;
  /** The customer's audit trail, outside the vendor's scope. */
  public readonly audit: AzureAuditLogs;
  public readonly keys: AzurePlatformKeys;
  public readonly network?: AzureSandboxNetwork;
  public readonly vnetId: string;
  /** Node subnet per zone (index i is zone zoneNames[i]). */
  public readonly nodeSubnetIds: string[];
  /** Zone of each node subnet. */
  public readonly zoneNames: string[];
  public readonly privateLink: AzurePrivateLink;
  public readonly artifactStore: AzureArtifactStore;
  public readonly nodeIdentity: AzureNodeIdentity;
  public readonly standbyPoolAccess?: AzureStandbyPoolAccess;
  public readonly pools: { readonly [name: string]: AzureNodePool } = {};
  public readonly activityLog?: AzureActivityLogExport;
  public readonly controlPlane?: AzureControlPlaneAccess;
  /** Kubernetes mode: the AKS cluster and its identities. */
  public readonly aks?: AzureAksCluster;
  public readonly aksIdentity?: AzureAksIdentity;
  /** Kubernetes mode: the AKS node pools (one per zone) of each spec pool. */
  public readonly aksPools: { readonly [name: string]: AzureAksNodePool } = {};
  /** Kubernetes mode, BYOC: the vendor's roles on the cluster. */
  public readonly aksVendorAccess?: AzureAksVendorAccess;
  /** Kubernetes mode: the cluster objects (kubernetes-manifests.json). */
  private aksManifests?: object;

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
    const delay = props.rbacPropagationDelay ?? AZURE_RBAC_PROPAGATION;
    const egress = plan.network.egress;
    const hipaa = plan.compliance === ComplianceProfile.HIPAA;
    const k8s = plan.orchestrator === Orchestrator.KUBERNETES ? plan.kubernetes : undefined;

    this.context = new AzureClientContext(this, 'context', { tenantId: props.tenantId });
    this.resourceGroup = new AzureResourceGroup(this, 'resource-group', { name, location, existingName: props.resourceGroupName });
    const rg = this.resourceGroup.name;
    const base = { resourceGroupName: rg, location };
    const suffix = this.context.uniqueSuffix(`${props.resourceGroupName ?? `${name}-sandbox-rg`}/${name}/${location}`);

    this.observability = new AzureObservability(this, 'observability', {
      ...base, name, logRetentionDays: retention, alertEmails: plan.observability.alertEmails, preventDestroy,
    });

    this.keys = new AzurePlatformKeys(this, 'keys', {
      ...base,
      name,
      tenantId: this.context.tenantId,
      vaultName: keyVaultName(name, suffix),
      deployerObjectId: this.context.deployerObjectId,
      rotationDays: preset.keyRotationMaxDays[CloudProvider.AZURE],
      deployerIpRanges: props.deployerIpRanges,
      existingKey: props.keyVaultKeyId ? { keyVaultKeyId: props.keyVaultKeyId, keyVaultId: props.keyVaultId! } : undefined,
      propagationDelay: delay,
      preventDestroy,
    });

    // The customer's audit trail: its own resource group, out of the vendor role's scope; under
    // hipaa also an archive whose containers are locked for the floor before anything is exported.
    const createsFirewall = !props.existingNetwork && egress === EgressMode.FIREWALL;
    const activityExport = plan.observability.createAuditTrail && plan.compliance !== ComplianceProfile.BASELINE;
    this.audit = new AzureAuditLogs(this, 'audit', {
      name, location, existingResourceGroupName: props.auditResourceGroupName, logRetentionDays: retention, preventDestroy,
      immutableArchive: hipaa ? {
        storageAccountName: `${compactName(name, 13)}aud${suffix}`,
        cmk: this.keys.storageCmk,
        retentionDays: retention,
        activityLog: activityExport,
        resourceLogCategories: [
          ...(this.keys.vault ? [KEY_VAULT_AUDIT_CATEGORY] : []),
          ...(createsFirewall ? AZURE_FIREWALL_LOG_CATEGORIES : []),
        ],
      } : undefined,
    });
    const auditWorkspaceId = this.audit.workspaceId;
    this.keys.exportAuditLog(auditWorkspaceId, this.audit.archiveStorageAccountId, this.audit.archiveReady);

    let endpointSubnetId: string;
    let nicSecurityGroupId: string | undefined;
    let bootAfter: ITerraformDependable[] = [];
    if (props.existingNetwork) {
      const existing = props.existingNetwork;
      this.vnetId = existing.vnetId;
      this.nodeSubnetIds = existing.nodeSubnetIds;
      this.zoneNames = plan.network.availabilityZones ? [...plan.network.availabilityZones] : existing.nodeSubnetIds.map((_, i) => String(i + 1));
      endpointSubnetId = existing.privateEndpointSubnetId ?? existing.nodeSubnetIds[0];
      // The caller's subnets keep their own NSGs; the NICs get the platform's rules as well, which
      // enforce "none" (no internet) and limit "nat"/"firewall" to TCP 80/443 out.
      nicSecurityGroupId = new NetworkSecurityGroup(this, 'nodes-nsg', {
        ...base, name: `${name}-nodes-nsg`, securityRule: nodeSecurityRules(egress),
      }).id;
      if (egress === EgressMode.FIREWALL && existing.egressFirewall) {
        egressRuleCollectionGroup(this, 'hub-egress-rules', {
          name: `${name}-sandbox-egress`, firewallPolicyId: existing.egressFirewall.firewallPolicyId,
          priority: existing.egressFirewall.priority ?? 300, sourceCidrs: existing.egressFirewall.nodeSubnetCidrs,
          allowedDomains: plan.network.allowedDomains,
        });
      }
    } else {
      this.zoneNames = azureZoneNames(plan.network);
      this.network = new AzureSandboxNetwork(this, 'network', {
        ...base,
        name,
        network: plan.network,
        zones: this.zoneNames,
        flowLogRetentionDays: retention,
        flowLogStorageAccountName: `${compactName(name, 13)}flw${suffix}`,
        storageCmk: this.keys.storageCmk,
        trafficAnalytics: { workspaceResourceId: auditWorkspaceId, workspaceId: this.audit.workspace.workspaceId, workspaceLocation: location },
        workspaceId: auditWorkspaceId,
        archiveStorageAccountId: this.audit.archiveStorageAccountId,
        archiveReady: this.audit.archiveReady,
        networkWatcher: props.networkWatcher,
        flowLogSharedKeyAccess: props.flowLogSharedKeyAccess,
        aksApiServer: k8s ? { authorizedCidrs: k8s.authorizedCidrs } : undefined,
        // AKS installs Kata itself; gVisor comes from its upstream release (the installer DaemonSet, lib/azure/aks-manifests.ts).
        runtimeDomains: k8s && plan.network.egress === EgressMode.FIREWALL && plan.pools.some((p) => p.runtime === SandboxRuntime.GVISOR)
          ? runtimeDownloadDomains([SandboxRuntime.GVISOR]) : undefined,
        preventDestroy,
      });
      this.vnetId = this.network.vnetId;
      this.nodeSubnetIds = this.network.nodeSubnetIds;
      endpointSubnetId = this.network.endpointSubnet.id;
      bootAfter = this.network.nodesReady;
    }

    this.privateLink = new AzurePrivateLink(this, 'private-link', {
      ...base, name, vnetId: this.vnetId, subnetId: endpointSubnetId, existingZoneIds: props.existingNetwork?.privateDnsZoneIds,
    });
    const vaultEndpoint = this.privateLink.endpoint('key-vault', this.keys.keyVaultId, 'vault');
    // A runner inside the VNet (or one linked to these zones) reaches the vault's data plane only
    // once its private endpoint, DNS record and zone link exist: the key waits for them too.
    if (this.keys.key) {
      this.keys.key.dependsOn = [...(this.keys.key.dependsOn ?? []), dependable(vaultEndpoint), ...this.privateLink.links.map((l) => dependable(l))];
    }

    this.artifactStore = new AzureArtifactStore(this, 'artifacts', {
      ...base, accountName: `${compactName(name, 13)}art${suffix}`, cmk: this.keys.storageCmk, accessLogsWorkspaceId: auditWorkspaceId,
    });
    this.privateLink.endpoint('artifacts', this.artifactStore.accountId, 'blob');
    // Network Watcher writes flow logs through the trusted-services exception; the endpoint lets
    // readers inside the VNet (an operator, a SIEM collector) reach them privately.
    if (this.network) this.privateLink.endpoint('flow-logs', this.network.flowLogStorage.id, 'blob');
    // The audit archive admits only trusted services on its public endpoint; auditors read it privately.
    if (this.network && this.audit.archive) this.privateLink.endpoint('audit-archive', this.audit.archive.id, 'blob');

    this.nodeIdentity = new AzureNodeIdentity(this, 'node-identity', {
      ...base, name, artifactContainerResourceId: this.artifactStore.containerResourceId, metricsScope: this.resourceGroup.id,
    });

    if (plan.pools.some((p) => p.warmNodes > 0)) {
      this.standbyPoolAccess = new AzureStandbyPoolAccess(this, 'standby-pool-access', {
        principalId: props.standbyPoolPrincipalId!,
        resourceGroupId: this.resourceGroup.id,
        networkScopes: this.network ? [this.network.vnetId] : this.nodeSubnetIds,
        nodeIdentityId: this.nodeIdentity.id,
        diskEncryptionSetId: this.keys.diskEncryptionSet.id,
        propagationDelay: delay,
      });
    }

    const pools: { [name: string]: AzureNodePool } = {};
    if (k8s) this.buildKubernetes(plan, k8s, props, delay);
    for (const pool of k8s ? [] : plan.pools) {
      const p = new AzureNodePool(this, `pool-${pool.name}`, {
        ...base,
        platformName: name,
        pool,
        subnetIds: this.nodeSubnetIds,
        zones: this.zoneNames,
        egress, allowedDomains: plan.network.allowedDomains,
        nodeIdentityId: this.nodeIdentity.id,
        diskEncryptionSetId: this.keys.diskEncryptionSet.id,
        diskEncryptionGrant: this.keys.diskEncryptionReady,
        bootAfter,
        standbyPoolAccess: this.standbyPoolAccess?.ready,
        networkSecurityGroupId: nicSecurityGroupId,
        adminSshPublicKey: props.adminSshPublicKey,
        gpuDriver: props.gpuDriver,
        trustedLaunch: props.trustedLaunch,
      });
      pools[pool.name] = p;
      for (const z of p.zoneScaleSets) {
        this.observability.addScaleSet({
          pool: pool.name, zone: z.zone, scaleSetId: z.scaleSet.id, autoscaleSettingId: z.autoscale.id, maxNodes: z.maxNodes, minNodes: z.minNodes,
        });
        this.audit.addScaleSet(`${pool.name}-z${z.zone}`, z.scaleSet.id);
      }
    }
    this.pools = pools;

    // The activity log export is the audit trail of soc2/hipaa (baseline: the activity log's own 90 days).
    if (activityExport) {
      this.activityLog = new AzureActivityLogExport(this, 'activity-log', {
        name, subscriptionResourceId: this.context.subscriptionResourceId, workspaceId: auditWorkspaceId,
        storageAccountId: this.audit.archiveStorageAccountId, dependsOn: this.audit.archiveReady,
      });
    }
    if (plan.controlPlane) {
      this.controlPlane = new AzureControlPlaneAccess(this, 'control-plane', {
        name, location, subscriptionId: this.context.subscriptionId, resourceGroupId: this.resourceGroup.id, controlPlane: plan.controlPlane,
        artifactContainerResourceId: this.artifactStore.containerResourceId,
      });
      if (this.aks) {
        const { AzureAksVendorAccess } = loadAks.access();
        this.aksVendorAccess = new AzureAksVendorAccess(this, 'aks-vendor-access', {
          clusterId: this.aks.cluster.id, principalId: plan.controlPlane.principal, access: plan.controlPlane.access, propagationDelay: delay,
        });
      }
    }
    this.outputs();
    enforcePlanProfile(this, plan, props.enforceCompliance !== false);
  }

  private checkProps(props: AzureSandboxPlatformProps): void {
    const problems: string[] = [];
    if (this.plan.orchestrator === Orchestrator.KUBERNETES) problems.push(...this.kubernetesProblems(props));
    if (!/^[a-z][a-z0-9]+$/.test(props.location)) {
      problems.push(`location ${JSON.stringify(props.location)} is not an Azure region name such as "eastus"`);
    }
    if (props.keyVaultKeyId && !props.keyVaultId) problems.push('keyVaultKeyId needs keyVaultId (the resource id of its vault)');
    if (props.keyVaultId && !props.keyVaultKeyId) problems.push('keyVaultId is only used with keyVaultKeyId');
    if (props.keyVaultKeyId && props.deployerIpRanges) {
      problems.push('deployerIpRanges opens the vault the platform creates; with keyVaultKeyId no vault is created (open your own vault to the runner instead)');
    }
    const ranges = props.deployerIpRanges;
    if (ranges && !Token.isUnresolved(ranges)) {
      ranges.forEach((r, i) => {
        // Key Vault network rules take public IPv4 addresses or CIDR ranges (learn.microsoft.com/azure/key-vault/general/network-security).
        if (!Token.isUnresolved(r) && !/^(\d{1,3}\.){3}\d{1,3}(\/([0-9]|[12][0-9]|3[0-2]))?$/.test(r)) {
          problems.push(`deployerIpRanges[${i}] ${JSON.stringify(r)} is not an IPv4 address or CIDR such as "203.0.113.7/32"`);
        }
      });
    }
    const zones = props.existingNetwork?.nodeSubnetIds.length ?? this.plan.network.zones;
    if (zones < 1 || zones > AZURE_MAX_ZONES) {
      problems.push(props.existingNetwork
        ? `existingNetwork.nodeSubnetIds has ${zones} subnets; give one per availability zone, 1..${AZURE_MAX_ZONES}`
        : `spec.network.zones is ${zones}, but Azure regions have at most ${AZURE_MAX_ZONES} availability zones; use 1..${AZURE_MAX_ZONES}`);
    }
    const warm = this.plan.pools.filter((p) => p.warmNodes > 0).map((p) => p.name);
    if (warm.length > 0 && !props.standbyPoolPrincipalId) {
      problems.push(`pools ${warm.join(', ')} keep warm nodes in standby pools, and the Standby Pool resource provider needs roles on the scale sets' ` +
        `subnet, identity and disk encryption set first: pass standbyPoolPrincipalId (its object id in your tenant: ${STANDBY_POOL_PRINCIPAL_LOOKUP}), ` +
        'or set warmNodes to 0');
    }
    if (props.existingNetwork) problems.push(...this.existingNetworkProblems(props));
    if (problems.length > 0) throw new Error(`${this.node.path}: ${problems.join('; ')}`);
  }

  /**
   * An existing network does not take the spec's network settings that describe a VNet the platform
   * would build: each one that no longer applies is refused (or, where the platform still enforces
   * part of it, annotated), so nothing is dropped silently.
   */
  private existingNetworkProblems(props: AzureSandboxPlatformProps): string[] {
    const existing = props.existingNetwork!;
    const net = props.spec.network ?? {};
    const problems: string[] = [];
    const subnets = existing.nodeSubnetIds.length;
    if (net.cidr !== undefined) {
      problems.push(`spec.network.cidr ${JSON.stringify(net.cidr)} does not apply with existingNetwork (the VNet keeps its own address space); remove it`);
    }
    if (net.zones !== undefined && net.zones !== subnets) {
      problems.push(`spec.network.zones is ${net.zones} but existingNetwork.nodeSubnetIds has ${subnets} subnets (one per zone); make them agree or remove network.zones`);
    }
    if (net.availabilityZones !== undefined && net.availabilityZones.length !== subnets) {
      problems.push(`spec.network.availabilityZones lists ${net.availabilityZones.length} zones but existingNetwork.nodeSubnetIds has ${subnets} subnets; ` +
        'give the zone of each subnet, in order');
    }
    const egress = this.plan.network.egress;
    if (egress === EgressMode.FIREWALL && !existing.egressFirewall) {
      problems.push('spec.network.egress.mode "firewall" (allowedDomains ' + JSON.stringify(this.plan.network.allowedDomains) + ') cannot be enforced in an ' +
        'existing VNet the platform does not route: set existingNetwork.egressFirewall (your hub firewall\'s policy; the platform adds the allow-list ' +
        'as a rule collection group) or change network.egress');
    }
    if (existing.egressFirewall && egress !== EgressMode.FIREWALL) {
      problems.push(`existingNetwork.egressFirewall is only used with spec.network.egress.mode "firewall" (it is "${egress}"); remove it or set the mode`);
    }
    const where = Annotations.of(this);
    if (egress === EgressMode.FIREWALL && existing.egressFirewall) {
      where.addWarning('existingNetwork.egressFirewall: the allow-list is added to your firewall policy; your network must route the node subnets\' ' +
        '0.0.0.0/0 to that firewall and point the VNet\'s DNS at its DNS proxy, which the platform cannot check');
    }
    if (egress === EgressMode.NAT) {
      where.addWarning('spec.network.egress "nat" with existingNetwork: no NAT gateway is created; the nodes use your subnets\' egress, limited by the ' +
        'platform NSG on their NICs to TCP 80/443');
    }
    where.addWarning('existingNetwork: no VNet flow logs are created and AZ-NET-FLOW evaluates no VNet; give your VNet flow logs kept at least ' +
      `${this.plan.observability.logRetentionDays} days (${this.plan.compliance})`);
    return problems;
  }
  /** What the AKS build cannot take (all reported at once with the rest of checkProps). */
  private kubernetesProblems(props: AzureSandboxPlatformProps): string[] {
    const problems: string[] = [];
    const net = this.plan.network;
    if (props.existingNetwork) {
      problems.push('existingNetwork with orchestrator "kubernetes": the AKS cluster needs a subnet delegated to its API server and the platform\'s ' +
        'egress on the node subnets, which this version builds only in the VNet it creates; remove existingNetwork');
    }
    if (net.egress === EgressMode.NONE) {
      problems.push('spec.network.egress "none" with orchestrator "kubernetes": AKS nodes must reach the AKS control plane and mcr.microsoft.com ' +
        'to join; use "firewall" (the firewall admits what AKS needs, FQDN tag AzureKubernetesService, and your allowedDomains) or "nat"');
    }
    const { AKS_POD_CIDR, AKS_SERVICE_CIDR } = loadAks.cluster();
    for (const [what, cidr] of [['pod', AKS_POD_CIDR], ['service', AKS_SERVICE_CIDR]] as const) {
      if (cidrsOverlap(net.cidr, cidr)) {
        problems.push(`spec.network.cidr ${net.cidr} overlaps the AKS ${what} network ${cidr} (Azure CNI Overlay); choose a network outside ` +
          `${AKS_POD_CIDR} and ${AKS_SERVICE_CIDR}, e.g. the default 10.64.0.0/16`);
      }
    }
    return problems;
  }

  /** Kubernetes mode: the AKS cluster, its node pools and the cluster objects written beside cdk.tf.json. */
  private buildKubernetes(plan: ResolvedPlatform, k8s: ResolvedKubernetes, props: AzureSandboxPlatformProps, delay: string): void {
    const network = this.network!; // kubernetesProblems refuses existingNetwork
    const base = { resourceGroupName: this.resourceGroup.name, location: props.location };
    const existingKeyName = props.keyVaultKeyId ? Fn.element(Fn.split('/', props.keyVaultKeyId), 4) : undefined;
    const { AzureAksIdentity } = loadAks.identity();
    const { AzureAksCluster } = loadAks.cluster();
    const { AzureAksNodePool } = loadAks.nodePool();
    const identity = new AzureAksIdentity(this, 'aks-identity', {
      ...base, name: plan.name,
      networkScopes: [network.vnetId, ...network.natGateways.map((n) => n.id), ...(network.routeTable ? [network.routeTable.id] : [])],
      keyVaultId: this.keys.keyVaultId, diskEncryptionSetId: this.keys.diskEncryptionSet.id, propagationDelay: delay,
    });
    const cluster = new AzureAksCluster(this, 'aks', {
      ...base, name: plan.name, tenantId: this.context.tenantId, kubernetes: k8s, egress: plan.network.egress,
      systemPool: {
        vmSize: k8s.systemNodes.instanceType, minNodes: k8s.systemNodes.minNodes, maxNodes: k8s.systemNodes.maxNodes,
        subnetId: this.nodeSubnetIds[0], zones: this.zoneNames,
      },
      apiServerSubnetId: network.apiServerSubnet!.id,
      identity,
      diskEncryptionSetId: this.keys.diskEncryptionSet.id,
      etcdKey: {
        keyVaultId: this.keys.keyVaultId, create: !props.keyVaultKeyId, existingKeyName,
        rotationDays: plan.preset.keyRotationMaxDays[CloudProvider.AZURE],
        // The key's data-plane create goes through the vault's private endpoint, like the platform key's.
        dependsOn: this.keys.key ? [this.keys.key] : undefined,
      },
      workspaceId: this.observability.workspaceId,
      auditWorkspaceId: this.audit.workspaceId,
      adminGroupObjectIds: props.kubernetesAdminGroupObjectIds,
      // Egress on the subnets (NAT gateways / firewall, their associations, NSGs) and the DES key grant first.
      dependsOn: [...new Set([...network.egressReady, ...network.nodesReady]), this.keys.diskEncryptionReady],
    });
    (this as { aks?: AzureAksCluster }).aks = cluster;
    (this as { aksIdentity?: AzureAksIdentity }).aksIdentity = identity;
    const aksPools: { [name: string]: AzureAksNodePool } = {};
    for (const pool of plan.pools) {
      aksPools[pool.name] = new AzureAksNodePool(this, `aks-pool-${pool.name}`, {
        platformName: plan.name, pool, kubernetesClusterId: cluster.cluster.id, kubernetesVersion: k8s.version,
        subnetIds: this.nodeSubnetIds, zones: this.zoneNames,
      });
    }
    (this as { aksPools: { [name: string]: AzureAksNodePool } }).aksPools = aksPools;
    // Rendered once (the node-agent scripts are the bulk): written beside cdk.tf.json and output.
    this.aksManifests = loadAks.manifests().aksKubernetesManifests(plan.name, k8s, plan.network.egress);
    writeKubernetesManifests(this, this.aksManifests);
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
    if (this.aks && this.aksManifests) {
      out('kubernetes_manifests', JSON.stringify(this.aksManifests),
        `Cluster objects (RuntimeClasses, the NVIDIA device plugin, the node agents), also written as ${KUBERNETES_MANIFESTS_FILE} beside cdk.tf.json: kubectl apply once the cluster is up`);
      out('aks_cluster_name', this.aks.cluster.name, 'AKS cluster (az aks get-credentials --name <this> --resource-group <resource group>)');
      out('aks_cluster_id', this.aks.cluster.id, 'Resource id of the AKS cluster');
      out('aks_oidc_issuer_url', this.aks.cluster.oidcIssuerUrl, 'OIDC issuer of the cluster (workload identity federation)');
      out('aks_node_pool_names', Object.fromEntries(Object.entries(this.aksPools).map(([k, p]) => [k, p.nodePools.map((n) => n.name)])),
        'AKS node pools per spec pool (one per zone)');
    }
  }
}

// Kubernetes-mode modules load on first use: their cluster bindings cost every instance-mode
// synth memory and time (google_container_cluster alone is ~14 MB per process).
/* eslint-disable @typescript-eslint/no-require-imports */
const loadAks = {
  access: (): typeof import('./aks-access') => require('./aks-access'),
  cluster: (): typeof import('./aks-cluster') => require('./aks-cluster'),
  identity: (): typeof import('./aks-identity') => require('./aks-identity'),
  manifests: (): typeof import('./aks-manifests') => require('./aks-manifests'),
  nodePool: (): typeof import('./aks-node-pool') => require('./aks-node-pool'),
};
/* eslint-enable @typescript-eslint/no-require-imports */
