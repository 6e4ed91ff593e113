/**
 * AKS building blocks (lib/azure/aks-*.ts): the private cluster, its identities and grants, and the
 * per-zone node pools, synthesized on their own and checked attribute by attribute against what
 * azurerm v4.55.0 (and, for Pod Sandboxing, v4.78.0) accepts.
 */
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import {
  AKS_AUDIT_LOG_CATEGORIES, AKS_CONTAINER_INSIGHTS_STREAM, AKS_CONTROL_PLANE_LOG_CATEGORIES, AKS_MAX_PODS, AKS_CONTROL_PLANE_ROLES, AKS_NODE_POOL_NAME_RULE, AKS_SPEC_POOL_TAG,
  AzureAksCluster, AzureAksIdentity, AzureAksNodePool, aksNodePoolName, aksOutboundType,
} from '../lib/azure';
import { AZURERM_KATA_MIN_VERSION } from '../lib/provider-compat';
import { CloudProvider, EgressMode, KUBERNETES_LABELS, ResolvedPlatform, SandboxPlatformSpec, checkName, resolvePlatform } from '../lib/spec';
import { Synth, resource, resources } from './helpers';

const VNET = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v';
const VAULT = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv';
const DES = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Compute/diskEncryptionSets/des';
const WS = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/w';
const AUDIT_WS = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/audit/providers/Microsoft.OperationalInsights/workspaces/a';
const TENANT = '11111111-2222-4333-8444-555555555555';

function plan(spec: Record<string, unknown>): ResolvedPlatform {
  return resolvePlatform({ name: 'acme', deployment: 'managed', compliance: 'hipaa', orchestrator: 'kubernetes', ...spec } as unknown as SandboxPlatformSpec,
    CloudProvider.AZURE);
}

function synth(p: ResolvedPlatform, egress = EgressMode.NAT, create = true): { json: Synth; cluster: AzureAksCluster } {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'aks');
  new AzurermProvider(stack, 'azurerm', { features: [{}] });
  const base = { resourceGroupName: 'rg', location: 'eastus' };
  const identity = new AzureAksIdentity(stack, 'identity', { ...base, name: p.name, networkScopes: [VNET], keyVaultId: VAULT, diskEncryptionSetId: DES });
  const cluster = new AzureAksCluster(stack, 'aks', {
    ...base, name: p.name, tenantId: TENANT, kubernetes: p.kubernetes!, egress,
    systemPool: { vmSize: p.kubernetes!.systemNodes.instanceType, minNodes: 2, maxNodes: 4, subnetId: `${VNET}/subnets/n1`, zones: ['1', '2', '3'] },
    apiServerSubnetId: `${VNET}/subnets/api`, identity, diskEncryptionSetId: DES,
    etcdKey: create ? { keyVaultId: VAULT, create: true, rotationDays: 90 } : { keyVaultId: VAULT, create: false, rotationDays: 90, existingKeyName: 'mine' },
    workspaceId: WS, auditWorkspaceId: AUDIT_WS, tags: { platform: p.name },
  });
  for (const pool of p.pools) {
    new AzureAksNodePool(stack, `pool-${pool.name}`, {
      platformName: p.name, pool, kubernetesClusterId: cluster.cluster.id, kubernetesVersion: p.kubernetes!.version,
      subnetIds: ['1', '2', '3'].map((z) => `${VNET}/subnets/n${z}`), zones: ['1', '2', '3'],
    });
  }
  return { json: JSON.parse(Testing.synth(stack)) as Synth, cluster };
}

const KATA = plan({ sandboxPools: [{ name: 'kata', runtime: 'kata', minNodes: 3, maxNodes: 9 }] });

describe('AKS cluster', () => {
  const { json } = synth(KATA);
  const c = resource(json, 'azurerm_kubernetes_cluster');

  it('is private, Entra-only with Azure RBAC, no local accounts, workload identity', () => {
    expect(c).toMatchObject({
      name: 'acme-aks', dns_prefix: 'acme', kubernetes_version: '1.37', sku_tier: 'Standard',
      private_cluster_enabled: true, private_cluster_public_fqdn_enabled: false,
      local_account_disabled: true, role_based_access_control_enabled: true,
      azure_active_directory_role_based_access_control: { azure_rbac_enabled: true, tenant_id: TENANT },
      oidc_issuer_enabled: true, workload_identity_enabled: true,
      automatic_upgrade_channel: 'patch', node_os_upgrade_channel: 'NodeImage',
    });
    expect(c.api_server_access_profile).toEqual({ virtual_network_integration_enabled: true, subnet_id: `${VNET}/subnets/api` });
  });

  it('encrypts node disks with the disk encryption set and etcd with a private-vault KMS key (versioned id)', () => {
    expect(c.disk_encryption_set_id).toBe(DES);
    expect(c.key_management_service).toEqual({ key_vault_key_id: expect.stringMatching(/^\$\{azurerm_key_vault_key\.aks_etcd-key_\w+\.id\}$/), key_vault_network_access: 'Private' });
    const key = resource(json, 'azurerm_key_vault_key');
    expect(key).toMatchObject({ name: 'acme-aks-etcd', key_vault_id: VAULT, key_type: 'RSA-HSM', key_size: 2048 });
    // Each version stays valid through the next rotation (AKS keeps two keys in use).
    expect(key.rotation_policy).toMatchObject({ expire_after: 'P210D', automatic: { time_after_creation: 'P90D' } });
    expect(key.lifecycle).toMatchObject({ prevent_destroy: true, ignore_changes: ['expiration_date'] });
  });

  it('an existing key is read through a data source for its current version', () => {
    const { json: j } = synth(KATA, EgressMode.NAT, false);
    expect(resources(j, 'azurerm_key_vault_key')).toEqual([]);
    expect(Object.values(j.data!.azurerm_key_vault_key)[0]).toMatchObject({ name: 'mine', key_vault_id: VAULT });
    expect(resource(j, 'azurerm_kubernetes_cluster').key_management_service.key_vault_key_id).toMatch(/^\$\{data\.azurerm_key_vault_key\..*\.id\}$/);
  });

  it('uses the user-assigned control-plane identity and a pre-created kubelet identity, after the grants and the wait', () => {
    expect(c.identity).toEqual({ type: 'UserAssigned', identity_ids: [expect.stringMatching(/azurerm_user_assigned_identity\.identity_control-plane_.*\.id/)] });
    expect(c.kubelet_identity.user_assigned_identity_id).toMatch(/azurerm_user_assigned_identity\.identity_kubelet_.*\.id/);
    expect(c.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^time_sleep\.identity_propagation/)]));
    const sleep = resource(json, 'time_sleep');
    expect(sleep.create_duration).toBe('10m');
    const grants = resources(json, 'azurerm_role_assignment').map(([, g]) => [g.role_definition_name, g.scope]);
    expect(grants).toEqual(expect.arrayContaining([
      [AKS_CONTROL_PLANE_ROLES.network, VNET],
      [AKS_CONTROL_PLANE_ROLES.kmsCrypto, VAULT],
      [AKS_CONTROL_PLANE_ROLES.kmsPrivateLink, VAULT],
      [AKS_CONTROL_PLANE_ROLES.diskEncryptionSetReader, DES],
      [AKS_CONTROL_PLANE_ROLES.identityOperator, expect.stringMatching(/identity_kubelet.*\.id/)],
    ]));
    expect(grants).toHaveLength(5);
    expect(sleep.depends_on).toHaveLength(5);
  });

  it('Azure CNI Overlay with Cilium; outbound through the NAT gateways or the firewall, never a public load balancer', () => {
    expect(c.network_profile).toMatchObject({ network_plugin: 'azure', network_plugin_mode: 'overlay', network_data_plane: 'cilium',
      network_policy: 'cilium', outbound_type: 'userAssignedNATGateway', pod_cidr: '10.244.0.0/16', service_cidr: '10.0.0.0/16', dns_service_ip: '10.0.0.10' });
    expect(resource(synth(KATA, EgressMode.FIREWALL).json, 'azurerm_kubernetes_cluster').network_profile.outbound_type).toBe('userDefinedRouting');
    expect(aksOutboundType(EgressMode.NAT)).toBe('userAssignedNATGateway');
    expect(() => aksOutboundType(EgressMode.NONE)).toThrow(/egress "none" is not supported/);
  });

  it('system pool: Azure Linux, encryption at host, no public IP, autoscaling over the zones', () => {
    expect(c.default_node_pool).toMatchObject({
      name: 'system', temporary_name_for_rotation: 'systemrot', vm_size: 'Standard_D4s_v5', os_sku: 'AzureLinux', os_disk_type: 'Managed',
      host_encryption_enabled: true, node_public_ip_enabled: false, auto_scaling_enabled: true, min_count: 2, max_count: 4, zones: ['1', '2', '3'],
    });
    expect(c.default_node_pool.node_taints).toBeUndefined();
  });

  it('control-plane logs to the platform workspace, audit logs to the audit workspace', () => {
    const settings = resources(json, 'azurerm_monitor_diagnostic_setting').map(([, s]) => s);
    expect(settings.map((s) => [s.log_analytics_workspace_id, s.enabled_log.map((l: { category: string }) => l.category)])).toEqual(expect.arrayContaining([
      [WS, [...AKS_CONTROL_PLANE_LOG_CATEGORIES]],
      [AUDIT_WS, [...AKS_AUDIT_LOG_CATEGORIES]],
    ]));
    expect(settings).toHaveLength(2);
    expect(AKS_AUDIT_LOG_CATEGORIES).toContain('kube-audit');
  });

  it('Container Insights with managed-identity auth through a data collection rule associated with the cluster; 110 pods per node', () => {
    expect(c.oms_agent).toEqual({ log_analytics_workspace_id: WS, msi_auth_for_monitoring_enabled: true });
    const dcr = resource(json, 'azurerm_monitor_data_collection_rule');
    expect(dcr.data_sources.extension[0]).toMatchObject({ extension_name: 'ContainerInsights', streams: [AKS_CONTAINER_INSIGHTS_STREAM] });
    expect(dcr.data_flow).toEqual([{ streams: [AKS_CONTAINER_INSIGHTS_STREAM], destinations: ['workspace'] }]);
    expect(dcr.destinations.log_analytics).toEqual([{ name: 'workspace', workspace_resource_id: WS }]);
    const assoc = resource(json, 'azurerm_monitor_data_collection_rule_association');
    expect(assoc.target_resource_id).toMatch(/azurerm_kubernetes_cluster\.aks_cluster_\w+\.id/);
    expect(c.default_node_pool.max_pods).toBe(AKS_MAX_PODS);
    expect(resources(json, 'azurerm_kubernetes_cluster_node_pool').every(([, p]) => p.max_pods === AKS_MAX_PODS)).toBe(true);
  });

  it('restricted-public: public API server limited to the authorized CIDRs', () => {
    const p = plan({ compliance: 'baseline', kubernetes: { apiEndpoint: 'restricted-public', authorizedCidrs: ['203.0.113.0/24'] },
      sandboxPools: [{ name: 'kata', runtime: 'kata' }] });
    const rc = resource(synth(p).json, 'azurerm_kubernetes_cluster');
    expect(rc.private_cluster_enabled).toBe(false);
    expect(rc.api_server_access_profile.authorized_ip_ranges).toEqual(['203.0.113.0/24']);
  });
});

describe('AKS node pools', () => {
  const { json } = synth(KATA);
  const pools = resources(json, 'azurerm_kubernetes_cluster_node_pool').map(([, p]) => p);

  it('one per zone, pinned to its zone and subnet, min/max spread, labels and taint, Azure Linux, encryption at host, no public IP', () => {
    expect(pools.map((p) => [p.zones, p.vnet_subnet_id, p.min_count, p.max_count])).toEqual([
      [['1'], `${VNET}/subnets/n1`, 1, 3], [['2'], `${VNET}/subnets/n2`, 1, 3], [['3'], `${VNET}/subnets/n3`, 1, 3],
    ]);
    for (const p of pools) {
      expect(p).toMatchObject({ mode: 'User', vm_size: 'Standard_D16s_v5', os_type: 'Linux', os_sku: 'AzureLinux', os_disk_type: 'Managed',
        host_encryption_enabled: true, node_public_ip_enabled: false, auto_scaling_enabled: true, orchestrator_version: '1.37' });
      expect(p.node_labels).toEqual({ [KUBERNETES_LABELS.pool]: 'kata', [KUBERNETES_LABELS.runtimeClass]: 'sandbox-kata' });
      expect(p.node_taints).toEqual([`${KUBERNETES_LABELS.runtimeClass}=sandbox-kata:NoSchedule`]);
      expect(p.tags[AKS_SPEC_POOL_TAG]).toBe('kata');
      expect(checkName(AKS_NODE_POOL_NAME_RULE, p.name)).toBeUndefined();
    }
  });

  it('Kata pools use AKS Pod Sandboxing and raise the azurerm floor to 4.78.0', () => {
    expect(pools.every((p) => p.workload_runtime === 'KataVmIsolation')).toBe(true);
    expect(json.terraform.required_providers.azurerm.version).toBe(`>= ${AZURERM_KATA_MIN_VERSION}, < 5.0.0`);
  });

  it('refuses a Gen1-only size for Kata, and spot pools', () => {
    expect(() => synth(plan({ sandboxPools: [{ name: 'kata', runtime: 'kata', instanceType: 'Standard_D16_v3' }] })))
      .toThrow(/Standard_D16_v3 runs only generation-1 VMs; AKS Pod Sandboxing needs a Gen2 size/);
    expect(() => synth(plan({ sandboxPools: [{ name: 'kata', runtime: 'kata', spot: true }] }))).toThrow(/spot is not offered for AKS pools/);
  });
});

describe('AKS node pool names', () => {
  it('fit 1..12 lowercase alphanumerics at the longest pool names, and stay distinct when the first letters agree', () => {
    const names = ['sandbox-kata-aaa', 'sandbox-kata-aab', 'a', 'x1', 'k-8-s-a-b-c-d-e9'];
    const out = names.flatMap((n) => ['1', '2', '3', undefined].map((z) => aksNodePoolName(n, z)));
    for (const n of out) expect([n, checkName(AKS_NODE_POOL_NAME_RULE, n)]).toEqual([n, undefined]);
    expect(new Set(out).size).toBe(out.length);
    expect(aksNodePoolName('sandbox-kata-aaa', '1')).toMatch(/^sandbox[0-9a-z]{3}1$/);
    expect(aksNodePoolName('kata', '2')).toBe(aksNodePoolName('kata', '2'));
    expect(() => aksNodePoolName('kata', '10')).toThrow(/not one digit/);
  });
});
