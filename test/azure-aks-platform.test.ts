/**
 * Kubernetes mode on Azure through AzureSandboxPlatform: the AKS cluster wired to the platform's network,
 * keys, workspaces and audit trail, the node pools, the vendor's AKS roles, the manifests beside
 * cdk.tf.json, and what the platform refuses.
 */
import { existsSync, mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { aksKubernetesManifests } from '../lib/azure/aks-manifests';
import { AKS_FIREWALL_FQDN_TAG, AKS_RBAC_ROLES, AZURE_NAMING_TABLE, AzureSandboxPlatform, aksVendorRole, cidrsOverlap, halveCidr } from '../lib/azure';
import {
  CloudProvider, ComplianceProfile, ControlPlaneAccess, EgressMode, KUBERNETES_MANIFESTS_FILE, Orchestrator, SandboxPlatformSpec, SandboxRuntime,
  resolvePlatform,
} from '../lib/spec';
import { VENDOR_PRINCIPAL, azureSpec, resource, resources, synthAzure } from './azure-helpers';
import { MAX_PLATFORM_NAME, expectNamesValid, maxPoolName } from './naming';

const K8S = {
  compliance: ComplianceProfile.HIPAA,
  orchestrator: Orchestrator.KUBERNETES,
  sandboxPools: [{ name: 'kata', runtime: SandboxRuntime.KATA, minNodes: 3, maxNodes: 9 }],
};
const spec = azureSpec(K8S);

describe('AKS platform', () => {
  const { json, platform } = synthAzure(spec);
  const cluster = resource(json, 'azurerm_kubernetes_cluster');

  it('builds the cluster and per-zone node pools instead of scale sets, and raises the azurerm floor for Pod Sandboxing', () => {
    expect(resources(json, 'azurerm_orchestrated_virtual_machine_scale_set')).toEqual([]);
    expect(cluster.name).toBe('acme-aks');
    const pools = resources(json, 'azurerm_kubernetes_cluster_node_pool').map(([, p]) => p);
    expect(pools.map((p) => p.zones[0])).toEqual(['1', '2', '3']);
    expect(pools.every((p) => p.workload_runtime === 'KataVmIsolation')).toBe(true);
    expect(json.terraform.required_providers.azurerm.version).toBe('>= 4.78.0, < 5.0.0');
    expect(Object.keys(platform.aksPools)).toEqual(['kata']);
  });

  it('uses the platform network: system pool on the node subnet, API server in its own delegated subnet with an NSG', () => {
    const subnets = Object.fromEntries(resources(json, 'azurerm_subnet').map(([k, s]) => [s.name, { ...s, key: k }]));
    const api = subnets['acme-aks-api-server'];
    expect(api.delegation).toEqual([{ name: 'aks-api-server', service_delegation: {
      name: 'Microsoft.ContainerService/managedClusters', actions: ['Microsoft.Network/virtualNetworks/subnets/join/action'] } }]);
    // Endpoints and API server share the former endpoint slot, half each.
    expect(api.address_prefixes[0].split('/')[1]).toBe(String(Number(subnets['acme-endpoints'].address_prefixes[0].split('/')[1])));
    expect(cluster.api_server_access_profile.subnet_id).toBe(`\${azurerm_subnet.${api.key}.id}`);
    expect(cluster.default_node_pool.vnet_subnet_id).toMatch(/azurerm_subnet\.platform_network_nodes-1_\w+\.id/);
    const nsgAssoc = resources(json, 'azurerm_subnet_network_security_group_association').map(([, a]) => a.subnet_id);
    expect(nsgAssoc).toContain(`\${azurerm_subnet.${api.key}.id}`);
    expect(cluster.network_profile.outbound_type).toBe('userAssignedNATGateway');
    // The outbound type names egress that must exist when AKS validates it and the nodes join.
    const deps: string[] = cluster.depends_on;
    expect(deps.filter((d) => d.startsWith('azurerm_subnet_nat_gateway_association.'))).toHaveLength(3);
    expect(deps.filter((d) => d.startsWith('azurerm_nat_gateway_public_ip_association.'))).toHaveLength(3);
    expect(deps.filter((d) => d.startsWith('azurerm_subnet_network_security_group_association.'))).toHaveLength(3);
    expect(deps).toEqual(expect.arrayContaining([expect.stringMatching(/^time_sleep\.platform_aks-identity_propagation/),
      expect.stringMatching(/^time_sleep\.platform_keys_des-key-access-propagation/)]));
  });

  it('keys, disks and logs: the platform DES, an etcd key in the platform vault, control-plane logs and the audit logs apart', () => {
    expect(cluster.disk_encryption_set_id).toMatch(/azurerm_disk_encryption_set\.platform_keys_disk-encryption-set_\w+\.id/);
    expect(cluster.key_management_service.key_vault_network_access).toBe('Private');
    const etcd = resources(json, 'azurerm_key_vault_key').map(([, k]) => k).find((k) => k.name === 'acme-aks-etcd');
    expect(etcd.key_vault_id).toMatch(/azurerm_key_vault\.platform_keys_vault_\w+\.id/);
    // The preset's Azure rotation (365 days), each version valid through the next rotation and 30 days more.
    expect(etcd.rotation_policy).toMatchObject({ automatic: { time_after_creation: 'P365D' }, expire_after: 'P760D' });
    const settings = resources(json, 'azurerm_monitor_diagnostic_setting').map(([, s]) => s).filter((s) => /azurerm_kubernetes_cluster/.test(s.target_resource_id));
    const byName = Object.fromEntries(settings.map((s) => [s.name, s.log_analytics_workspace_id]));
    expect(byName['acme-aks-audit']).toMatch(/platform_audit_workspace/);
    expect(byName['acme-aks-control-plane']).toMatch(/platform_observability_workspace/);
  });

  it('BYOC: the vendor gets the Cluster User role and, for operate, RBAC Cluster Admin, on this cluster only, and the apply waits for them', () => {
    const grants = resources(json, 'azurerm_role_assignment').map(([, g]) => g).filter((g) => g.principal_id === VENDOR_PRINCIPAL);
    const onCluster = grants.filter((g) => /azurerm_kubernetes_cluster\./.test(g.scope)).map((g) => g.role_definition_name).sort();
    expect(onCluster).toEqual([AKS_RBAC_ROLES.clusterAdmin, AKS_RBAC_ROLES.clusterUser].sort());
    const sleeps = resources(json, 'time_sleep').filter(([k]) => k.includes('aks-vendor-access'));
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0][1].create_duration).toBe('10m');
    expect(aksVendorRole(ControlPlaneAccess.READ_ONLY)).toBe(AKS_RBAC_ROLES.reader);
    const ro = synthAzure(azureSpec({ ...K8S, controlPlane: { principal: VENDOR_PRINCIPAL, access: ControlPlaneAccess.READ_ONLY } })).json;
    expect(resources(ro, 'azurerm_role_assignment').map(([, g]) => g.role_definition_name)).toContain(AKS_RBAC_ROLES.reader);
    expect(resources(ro, 'azurerm_role_assignment').map(([, g]) => g.role_definition_name)).not.toContain(AKS_RBAC_ROLES.clusterAdmin);
  });

  it('outputs the cluster, its OIDC issuer, the node pool names and the manifests', () => {
    const outs = Object.keys(json.output ?? {});
    for (const o of ['acme_aks_cluster_name', 'acme_aks_cluster_id', 'acme_aks_oidc_issuer_url', 'acme_aks_node_pool_names', 'acme_kubernetes_manifests']) {
      expect(outs).toContain(o);
    }
  });

  it('firewall egress: the firewall admits the AKS FQDN tag and the cluster routes through it', () => {
    const fw = synthAzure(azureSpec({ ...K8S, network: { egress: { mode: EgressMode.FIREWALL, allowedDomains: ['.example.com'] } } })).json;
    const fwCluster = resource(fw, 'azurerm_kubernetes_cluster');
    expect(fwCluster.network_profile.outbound_type).toBe('userDefinedRouting');
    expect(fwCluster.depends_on.filter((d: string) => d.startsWith('azurerm_subnet_route_table_association.'))).toHaveLength(3);
    expect(fwCluster.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^azurerm_firewall\./),
      expect.stringMatching(/^azurerm_firewall_policy_rule_collection_group\./), expect.stringMatching(/^azurerm_virtual_network_dns_servers\./)]));
    const group = resource(fw, 'azurerm_firewall_policy_rule_collection_group');
    const rules = group.application_rule_collection[0].rule;
    expect(rules.find((r: { name: string }) => r.name === 'aks-nodes').destination_fqdn_tags).toEqual([AKS_FIREWALL_FQDN_TAG]);
    // Instance mode keeps its rules unchanged.
    const inst = synthAzure(azureSpec({ network: { egress: { mode: EgressMode.FIREWALL, allowedDomains: ['.example.com'] } } })).json;
    expect(resource(inst, 'azurerm_firewall_policy_rule_collection_group').application_rule_collection[0].rule.map((r: { name: string }) => r.name))
      .toEqual(['allowed-domains-web']);
  });

  it('writes kubernetes-manifests.json beside cdk.tf.json: sandbox-kata on our guarded copy of AKS\'s kata runtime, and its node agent', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'aks-manifests-'));
    const app = new App({ outdir });
    const stack = new TerraformStack(app, 'aks');
    new AzurermProvider(stack, 'azurerm', { features: [{}], storageUseAzuread: true });
    new AzureSandboxPlatform(stack, 'platform', { spec, location: 'eastus' });
    app.synth();
    const dir = join(outdir, 'stacks', 'aks');
    const written = JSON.parse(readFileSync(join(dir, KUBERNETES_MANIFESTS_FILE), 'utf8'));
    const plan = resolvePlatform(spec, CloudProvider.AZURE);
    expect(written).toEqual(aksKubernetesManifests('acme', plan.kubernetes!, plan.network.egress));
    expect(written.items.map((i: { kind: string; metadata: { name: string }; handler: string }) => [i.kind, i.metadata.name, i.handler]))
      .toEqual([['RuntimeClass', 'sandbox-kata', 'kata-guarded'], ['ConfigMap', 'sandbox-kata-node-agent', undefined],
        ['DaemonSet', 'sandbox-kata-node-agent', undefined]]);
    const tf = JSON.parse(readFileSync(join(dir, 'cdk.tf.json'), 'utf8'));
    expect(JSON.parse(tf.output.acme_kubernetes_manifests.value)).toEqual(written);
  });

  it('instance mode is unchanged: no cluster, no API server subnet, no manifests', () => {
    const { json: inst } = synthAzure(azureSpec());
    expect(resources(inst, 'azurerm_kubernetes_cluster')).toEqual([]);
    expect(resources(inst, 'azurerm_subnet').map(([, s]) => s.name)).not.toContain('acme-aks-api-server');
    const outdir = mkdtempSync(join(tmpdir(), 'aks-manifests-'));
    const app = new App({ outdir });
    const stack = new TerraformStack(app, 'inst');
    new AzurermProvider(stack, 'azurerm', { features: [{}], storageUseAzuread: true });
    new AzureSandboxPlatform(stack, 'platform', { spec: azureSpec(), location: 'eastus' });
    app.synth();
    expect(existsSync(join(outdir, 'stacks', 'inst', KUBERNETES_MANIFESTS_FILE))).toBe(false);
  });
});

describe('AKS platform: gVisor and GPU pools', () => {
  const GV = {
    ...K8S,
    sandboxPools: [...K8S.sandboxPools, { name: 'gv', runtime: SandboxRuntime.GVISOR, minNodes: 1, maxNodes: 6 }],
    gpuPools: [{ name: 't4', gpu: 't4', instanceType: 'Standard_NC8as_T4_v3', minNodes: 0, maxNodes: 3 }],
    network: { egress: { mode: EgressMode.FIREWALL, allowedDomains: ['.example.com'] } },
  };
  const gvSpec = azureSpec(GV as unknown as Record<string, unknown>);
  const { json } = synthAzure(gvSpec);
  const pools = resources(json, 'azurerm_kubernetes_cluster_node_pool').map(([, p]) => p);
  const of = (spool: string) => pools.filter((p) => p.tags['cdktf-sandbox-byoc-pool'] === spool);

  it('gVisor pools are plain Azure Linux pools; GPU pools add the AKS-installed NVIDIA driver; only Kata pools get Pod Sandboxing', () => {
    expect(of('gv')).toHaveLength(3);
    for (const p of of('gv')) {
      expect(p).toMatchObject({ vm_size: 'Standard_D16as_v5', os_sku: 'AzureLinux', host_encryption_enabled: true });
      expect(p.workload_runtime).toBeUndefined();
      expect(p.gpu_driver).toBeUndefined();
      expect(p.node_taints).toEqual(['cdktf-sandbox-byoc.io/runtime-class=sandbox-gvisor:NoSchedule']);
    }
    expect(of('t4')).toHaveLength(3);
    for (const p of of('t4')) {
      expect(p).toMatchObject({ vm_size: 'Standard_NC8as_T4_v3', os_sku: 'AzureLinux', gpu_driver: 'Install', host_encryption_enabled: true });
      expect(p.workload_runtime).toBeUndefined();
      expect(p.gpu_instance).toBeUndefined();
      expect(p.node_labels['cdktf-sandbox-byoc.io/runtime-class']).toBe('sandbox-gvisor-gpu');
    }
    expect(of('kata').every((p) => p.workload_runtime === 'KataVmIsolation')).toBe(true);
  });

  it('firewall egress: the nodes may fetch the pinned gVisor release (HTTPS to its host only); a Kata-only cluster gets no such rule', () => {
    const rules = resource(json, 'azurerm_firewall_policy_rule_collection_group').application_rule_collection[0].rule;
    const dl = rules.find((r: { name: string }) => r.name === 'sandbox-runtime-downloads');
    expect(dl).toMatchObject({ destination_fqdns: ['storage.googleapis.com'], protocols: [{ type: 'Https', port: 443 }] });
    const kataOnly = synthAzure(azureSpec({ ...K8S, network: GV.network } as unknown as Record<string, unknown>)).json;
    expect(resource(kataOnly, 'azurerm_firewall_policy_rule_collection_group').application_rule_collection[0].rule.map((r: { name: string }) => r.name))
      .not.toContain('sandbox-runtime-downloads');
  });

  it('the manifests output carries the gVisor installers and the device plugin beside the RuntimeClasses', () => {
    const manifests = JSON.parse(json.output!.acme_kubernetes_manifests.value);
    expect(manifests).toEqual(aksKubernetesManifests('acme', resolvePlatform(gvSpec, CloudProvider.AZURE).kubernetes!, EgressMode.FIREWALL));
    expect(manifests.items.map((i: { kind: string; metadata: { name: string } }) => `${i.kind}/${i.metadata.name}`)).toEqual(expect.arrayContaining([
      'DaemonSet/sandbox-gvisor-node-agent', 'DaemonSet/sandbox-gvisor-gpu-node-agent', 'DaemonSet/sandbox-kata-node-agent', 'DaemonSet/nvidia-device-plugin-daemonset',
    ]));
  });
});

describe('AKS platform: refusals', () => {
  const build = (s: SandboxPlatformSpec, extra: Record<string, unknown> = {}) => () => synthAzure(s, extra);

  it('egress none, an overlapping network and an existing network, all at once', () => {
    expect(build(azureSpec({ ...K8S, network: { cidr: '10.0.0.0/8', egress: { mode: EgressMode.NONE } } }), {
      existingNetwork: { vnetId: '/subscriptions/x/resourceGroups/n/providers/Microsoft.Network/virtualNetworks/corp', nodeSubnetIds: ['/s/1'] },
    })).toThrow(/existingNetwork with orchestrator "kubernetes".*egress "none" with orchestrator "kubernetes".*overlaps the AKS pod network 10\.244\.0\.0\/16.*overlaps the AKS service network 10\.0\.0\.0\/16/s);
  });

  it('the smallest network the spec accepts still leaves the API server a /28 or larger', () => {
    const { json } = synthAzure(azureSpec({ ...K8S, network: { cidr: '10.64.0.0/22', zones: 3 } }));
    const api = resources(json, 'azurerm_subnet').map(([, s]) => s).find((s) => s.name === 'acme-aks-api-server');
    expect(Number(api.address_prefixes[0].split('/')[1])).toBeLessThanOrEqual(28);
    expect(halveCidr('10.64.3.0/27')).toEqual(['10.64.3.0/28', '10.64.3.16/28']);
    expect(halveCidr('10.0.0.0/8')).toEqual(['10.0.0.0/9', '10.128.0.0/9']);
    expect(cidrsOverlap('10.64.0.0/16', '10.244.0.0/16')).toBe(false);
    expect(cidrsOverlap('10.0.0.0/8', '10.244.0.0/16')).toBe(true);
    expect(cidrsOverlap('10.0.0.0/16', '10.0.255.0/24')).toBe(true);
  });
});

describe('AKS platform: names at maximum length', () => {
  it('a 21-character platform with 16-character pools gives valid names everywhere (naming table), distinct node pool names', () => {
    const spec = azureSpec({ ...K8S, name: MAX_PLATFORM_NAME, sandboxPools: [
      { name: maxPoolName('kata'), runtime: SandboxRuntime.KATA, maxNodes: 3 },
      { name: maxPoolName('kataz'), runtime: SandboxRuntime.KATA, instanceType: 'Standard_D16as_v5', maxNodes: 3 },
    ] });
    for (const egress of [EgressMode.NAT, EgressMode.FIREWALL]) {
      const { json } = synthAzure({ ...spec, network: { egress: { mode: egress, allowedDomains: egress === EgressMode.FIREWALL ? ['pypi.org'] : undefined } } });
      expect(expectNamesValid(json, AZURE_NAMING_TABLE, `aks-${egress}`)).toBeGreaterThan(50);
      const names = resources(json, 'azurerm_kubernetes_cluster_node_pool').map(([, p]) => p.name);
      expect(names).toHaveLength(6);
      expect(new Set(names).size).toBe(6);
      expect(resource(json, 'azurerm_kubernetes_cluster').name).toBe(`${MAX_PLATFORM_NAME}-aks`);
    }
  });
});
