import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import {
  ACTIVITY_LOG_CATEGORIES, AZURE_DEFAULT_IMAGES, AzureArtifactStore, AzureGpuDriver, AzureSandboxPlatform, CONTROL_PLANE_LINKED_ACTIONS, CONTROL_PLANE_OPERATE_ACTIONS,
  CONTROL_PLANE_READ_ACTIONS, STORAGE_BLOB_LOG_CATEGORIES, azureBootstrapOptions, azureFirewallFqdns, lockoutSshPublicKey, tableTotalRetentionDays,
} from '../lib/azure';
import { renderCloudInitUserData, renderHostBootstrap } from '../lib/host';
import {
  CloudProvider, ComplianceProfile, ControlPlaneAccess, DeploymentModel, EgressMode, GpuModel, SandboxRuntime, SpecValidationError, Virtualization,
  resolvePlatform,
} from '../lib/spec';
import { VENDOR_PRINCIPAL, azureSpec, customDataOf, resource, resources, synthAzure } from './azure-helpers';
import { SKIP_SHELLCHECK, expectShellcheckClean } from './shellcheck';

/* eslint-disable @typescript-eslint/no-explicit-any */
const VMSS = 'azurerm_orchestrated_virtual_machine_scale_set';

const nodesSpec = azureSpec({
  compliance: ComplianceProfile.HIPAA,
  sandboxPools: [
    { name: 'fc', instanceType: 'Standard_D16s_v5', warmNodes: 2, hugepagesMiB: 4096,
      capacity: { concurrentSandboxes: 300, vcpusPerSandbox: 2, memoryMiBPerSandbox: 2048, cpuOvercommit: 2 } },
    { name: 'kata', runtime: SandboxRuntime.KATA, virtualization: Virtualization.NESTED, instanceType: 'Standard_D8_v3', maxNodes: 2 },
    { name: 'gv', runtime: SandboxRuntime.GVISOR, maxNodes: 3, spot: true },
  ],
  gpuPools: [
    { name: 'a100', gpu: GpuModel.A100_80GB, maxNodes: 4 },
    { name: 'h100', gpu: GpuModel.H100, gpusPerNode: 8, maxNodes: 1 },
  ],
});

describe('AzureSandboxPlatform: nodes', () => {
  const { json, platform } = synthAzure(nodesSpec);
  const scaleSets = resources(json, VMSS);
  const byPool = (pool: string) => scaleSets.filter(([id]) => id.includes(`pool-${pool}_`)).map(([, v]) => v);

  it('uses Flexible (orchestrated) scale sets, one per zone a pool spans', () => {
    expect(byPool('fc').map((v) => v.zones)).toEqual([['1'], ['2'], ['3']]);
    expect(byPool('kata').map((v) => v.zones)).toEqual([['1'], ['2']]);
    expect(byPool('h100').map((v) => v.zones)).toEqual([['1']]);
    for (const [, v] of scaleSets) expect(v.platform_fault_domain_count).toBe(1);
  });

  it('turns password authentication off and declares only SSH keys (a lockout key by default)', () => {
    for (const [, v] of scaleSets) {
      const linux = v.os_profile.linux_configuration;
      expect(linux.disable_password_authentication).toBe(true);
      expect(linux.admin_password).toBeUndefined();
      expect(linux.admin_ssh_key).toEqual([{ username: 'sandboxadmin', public_key: lockoutSshPublicKey() }]);
    }
    expect(lockoutSshPublicKey()).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/]{43} no-login@cdktf-sandbox-byoc$/);
    const own = synthAzure(azureSpec(), { adminSshPublicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample ops@acme' }).json;
    expect(resource(own, VMSS, 'z1').os_profile.linux_configuration.admin_ssh_key[0].public_key).toBe('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample ops@acme');
  });

  it('encrypts at host and puts the disk encryption set on every OS disk', () => {
    const des = Object.keys(json.resource.azurerm_disk_encryption_set)[0];
    for (const [, v] of scaleSets) {
      expect(v.encryption_at_host_enabled).toBe(true);
      expect(v.os_disk.disk_encryption_set_id).toBe(`\${azurerm_disk_encryption_set.${des}.id}`);
      expect(v.data_disk ?? []).toEqual([]);
      // Finding 8: the DES grant, then the documented propagation wait, before any scale set.
      expect(v.depends_on).toEqual([expect.stringMatching(/^time_sleep\.platform_keys_des-key-access-propagation_/)]);
    }
    expect(byPool('kata')[0].os_disk.storage_account_type).toBe('StandardSSD_LRS'); // Dv3 has no premium storage
    expect(byPool('fc')[0].os_disk.storage_account_type).toBe('Premium_LRS');
  });

  it('gives no instance a public IP and keeps IP forwarding off', () => {
    for (const [, v] of scaleSets) {
      for (const nic of v.network_interface) {
        expect(nic.enable_ip_forwarding).toBeUndefined();
        for (const ip of nic.ip_configuration) expect(ip.public_ip_address).toBeUndefined();
      }
    }
  });

  it('runs the host bootstrap from custom data, reports health and repairs unhealthy nodes', () => {
    const fc = customDataOf(byPool('fc')[0]);
    expect(fc).toContain('SANDBOX_KVM_MISSING');
    expect(fc).toContain('/var/lib/cloud/scripts/per-boot/');
    expect(fc).toContain('ListenStream=127.0.0.1:50080');
    expect(fc).toContain('systemctl stop sandbox-health.socket');
    expect(customDataOf(byPool('gv')[0])).not.toMatch(/sandbox_check_kvm$/m);
    for (const [, v] of scaleSets) {
      const health = v.extension.find((e: any) => e.type === 'ApplicationHealthLinux');
      expect(health).toEqual(expect.objectContaining({ publisher: 'Microsoft.ManagedServices', type_handler_version: '2.0' }));
      expect(JSON.parse(health.settings)).toEqual(expect.objectContaining({ protocol: 'tcp', port: 50080 }));
      expect(v.automatic_instance_repair).toEqual(expect.objectContaining({ enabled: true, action: 'Replace' }));
      expect(v.boot_diagnostics).toEqual({});
      const ama = v.extension.find((e: any) => e.type === 'AzureMonitorLinuxAgent');
      expect(JSON.parse(ama.settings).authentication.managedIdentity['identifier-name']).toBe('mi_res_id');
    }
  });

  it('installs the NVIDIA driver extension on GPU pools only, where the extension supports the series', () => {
    const nvidia = (v: any) => v.extension.filter((e: any) => e.type === 'NvidiaGpuDriverLinux');
    expect(nvidia(byPool('a100')[0])).toEqual([expect.objectContaining({ publisher: 'Microsoft.HpcCompute', type_handler_version: '1.6' })]);
    expect(byPool('a100')[0].source_image_reference).toEqual({ publisher: 'Canonical', offer: '0001-com-ubuntu-server-jammy', sku: '22_04-lts-gen2', version: 'latest' });
    expect(customDataOf(byPool('a100')[0])).toContain('NvidiaGpuDriverLinux extension');
    // ND H100 v5 is not in the extension's list: drivers come with the Ubuntu-HPC image.
    expect(nvidia(byPool('h100')[0])).toEqual([]);
    expect(byPool('h100')[0].source_image_reference).toEqual({ publisher: 'microsoft-dsvm', offer: 'ubuntu-hpc', sku: '2204', version: 'latest' });
    expect(platform.pools.h100.gpuDriver).toBe(AzureGpuDriver.IMAGE);
    for (const pool of ['fc', 'kata', 'gv']) for (const v of byPool(pool)) expect(nvidia(v)).toEqual([]);
  });

  it('uses Ubuntu 24.04 Gen2, and the Gen1 image on Dv3 (generation 1 only)', () => {
    expect(byPool('fc')[0].source_image_reference).toEqual({ publisher: 'Canonical', offer: 'ubuntu-24_04-lts', sku: 'server', version: 'latest' });
    expect(byPool('kata')[0].source_image_reference.sku).toBe('server-gen1');
    expect(AZURE_DEFAULT_IMAGES.ubuntuGen1).toBe('Canonical:ubuntu-24_04-lts:server-gen1:latest');
  });

  it('takes autoscale bounds from the plan, split across zones', () => {
    const plan = resolvePlatform(nodesSpec, CloudProvider.AZURE);
    for (const pool of plan.pools) {
      const settings = resources(json, 'azurerm_monitor_autoscale_setting').filter(([id]) => id.includes(`pool-${pool.name}_`)).map(([, a]) => a.profile[0].capacity);
      expect(settings.reduce((s, c) => s + c.maximum, 0)).toBe(pool.maxNodes);
      expect(settings.reduce((s, c) => s + c.minimum, 0)).toBe(pool.minNodes);
      for (const c of settings) {
        expect(c.default).toBe(c.minimum);
        expect(c.maximum).toBeGreaterThanOrEqual(1);
      }
    }
    const fcPlan = plan.pools.find((p) => p.name === 'fc')!;
    expect(fcPlan.capacityPlan).toBeDefined();
    expect(byPool('fc').map((v) => v.instances).reduce((a, b) => a + b, 0)).toBe(fcPlan.minNodes);
    for (const [, v] of scaleSets) expect(v.lifecycle).toEqual({ ignore_changes: ['instances'] });
  });

  it('keeps warm nodes in deallocated standby pools and runs spot pools with eviction Delete', () => {
    const standby = resources(json, 'azurerm_virtual_machine_scale_set_standby_pool').map(([, s]) => s);
    const fc = platform.pools.fc.zoneScaleSets;
    // Finding 4: pool size = max ready - instances, and min ready keeps the warm nodes whatever the count.
    expect(standby.map((s) => s.elasticity_profile)).toEqual(fc.filter((z) => z.standbyPool).map((z, i) => ({
      max_ready_capacity: z.minNodes + [1, 1][i], min_ready_capacity: [1, 1][i] })));
    for (const s of standby) expect(s.virtual_machine_state).toBe('Deallocated');
    // Finding 1: names of at most 24 of [a-zA-Z0-9-] (the old "<scale set>-standby" was 25 here).
    for (const s of standby) expect(s.name).toMatch(/^[a-zA-Z0-9-]{3,24}$/);
    expect(standby.map((s) => s.name)).toEqual([expect.stringMatching(/^acme-fc-[0-9a-f]{6}-z1$/), expect.stringMatching(/^acme-fc-[0-9a-f]{6}-z2$/)]);
    for (const v of byPool('gv')) expect(v).toEqual(expect.objectContaining({ priority: 'Spot', eviction_policy: 'Delete', max_bid_price: -1 }));
    expect(byPool('fc')[0].priority).toBeUndefined();
  });

  it('gives nodes their managed identity with only artifact read and metric publishing', () => {
    const uai = Object.keys(json.resource.azurerm_user_assigned_identity).find((k) => k.includes('node-identity'))!;
    for (const [, v] of scaleSets) expect(v.identity).toEqual({ type: 'UserAssigned', identity_ids: [`\${azurerm_user_assigned_identity.${uai}.id}`] });
    const grants = resources(json, 'azurerm_role_assignment').filter(([, r]) => r.principal_id === `\${azurerm_user_assigned_identity.${uai}.principal_id}`)
      .map(([, r]) => [r.role_definition_name, r.scope]).sort();
    expect(grants).toEqual([
      ['Monitoring Metrics Publisher', expect.stringMatching(/azurerm_resource_group\./)],
      ['Storage Blob Data Reader', expect.stringMatching(/^\$\{azurerm_storage_account\.platform_artifacts_account_[\w-]+\.id\}\/blobServices\/default\/containers\/\$\{azurerm_storage_container\./)],
    ]);
  });
});

describe('AzureSandboxPlatform: network', () => {
  it('associates an NSG with every subnet but AzureFirewallSubnet, and denies the internet inbound', () => {
    for (const egress of [{ mode: EgressMode.NAT }, { mode: EgressMode.FIREWALL, allowedDomains: ['pypi.org'] }, { mode: EgressMode.NONE }]) {
      const { json } = synthAzure(azureSpec({ network: { egress } }));
      const assoc = resources(json, 'azurerm_subnet_network_security_group_association').map(([, a]) => a.subnet_id);
      for (const [id, s] of resources(json, 'azurerm_subnet')) {
        if (s.name === 'AzureFirewallSubnet') continue;
        expect(assoc).toContain(`\${azurerm_subnet.${id}.id}`);
        expect(s.default_outbound_access_enabled).toBe(false);
      }
      for (const [, nsg] of resources(json, 'azurerm_network_security_group')) {
        const inbound = nsg.security_rule.filter((r: any) => r.direction === 'Inbound');
        expect(inbound).toEqual([expect.objectContaining({ access: 'Deny', source_address_prefix: 'Internet', destination_port_range: '*' })]);
        for (const r of nsg.security_rule.filter((x: any) => x.access === 'Allow')) {
          expect(r.direction).toBe('Outbound');
          expect(r.destination_port_ranges).toEqual(['80', '443']);
        }
      }
    }
  });

  it('builds one zonal NAT gateway per zone under soc2 and one shared under baseline', () => {
    const soc2 = synthAzure(azureSpec()).json;
    expect(resources(soc2, 'azurerm_nat_gateway').map(([, n]) => n.zones)).toEqual([['1'], ['2'], ['3']]);
    expect(resources(soc2, 'azurerm_public_ip').map(([, p]) => [p.sku, p.zones])).toEqual([['Standard', ['1']], ['Standard', ['2']], ['Standard', ['3']]]);
    const assoc = resources(soc2, 'azurerm_subnet_nat_gateway_association').map(([, a]) => [a.subnet_id.match(/nodes-(\d)/)![1], a.nat_gateway_id.match(/nat-(\d)/)![1]]);
    expect(assoc).toEqual([['1', '1'], ['2', '2'], ['3', '3']]);
    const base = synthAzure(azureSpec({ compliance: ComplianceProfile.BASELINE })).json;
    expect(resources(base, 'azurerm_nat_gateway')).toHaveLength(1);
    expect(resources(base, 'azurerm_subnet_nat_gateway_association')).toHaveLength(3);
    expect(base.resource.azurerm_firewall).toBeUndefined();
  });

  it('routes egress through Azure Firewall with application rules from allowedDomains', () => {
    const { json } = synthAzure(azureSpec({
      compliance: ComplianceProfile.HIPAA, network: { egress: { mode: EgressMode.FIREWALL, allowedDomains: ['pypi.org', '.github.com'] } },
    }));
    expect(json.resource.azurerm_nat_gateway).toBeUndefined();
    const fwSubnet = resources(json, 'azurerm_subnet').find(([, s]) => s.name === 'AzureFirewallSubnet')![1];
    expect(fwSubnet.address_prefixes).toEqual(['10.64.216.0/21']);
    const fw = resource(json, 'azurerm_firewall');
    expect(fw).toEqual(expect.objectContaining({ sku_name: 'AZFW_VNet', sku_tier: 'Standard', zones: ['1', '2', '3'] }));
    // Threat intelligence denies on the policy (which governs) and on the firewall (which would read "Alert" otherwise).
    expect(fw.threat_intel_mode).toBe('Deny');
    expect(fw.firewall_policy_id).toMatch(/azurerm_firewall_policy\./);
    expect(resource(json, 'azurerm_firewall_policy')).toEqual(expect.objectContaining({ sku: 'Standard', threat_intelligence_mode: 'Deny' }));
    const rules = resource(json, 'azurerm_firewall_policy_rule_collection_group').application_rule_collection[0];
    expect(rules.action).toBe('Allow');
    expect(rules.rule[0].destination_fqdns).toEqual(['pypi.org', 'github.com', '*.github.com']);
    expect(rules.rule[0].protocols).toEqual([{ type: 'Http', port: 80 }, { type: 'Https', port: 443 }]);
    expect(rules.rule[0].source_addresses).toEqual(['10.64.0.0/16']);
    const platformRules = resource(json, 'azurerm_firewall_policy_rule_collection_group').network_rule_collection[0].rule;
    // Finding 6: the Azure Monitor Agent needs both service tags.
    expect(platformRules).toEqual([expect.objectContaining({ destination_addresses: ['AzureMonitor', 'AzureResourceManager'], destination_ports: ['443'], protocols: ['TCP'] })]);
    const rt = resource(json, 'azurerm_route_table');
    expect(rt.route).toEqual([expect.objectContaining({ address_prefix: '0.0.0.0/0', next_hop_type: 'VirtualAppliance',
      next_hop_in_ip_address: expect.stringMatching(/azurerm_firewall\.[\w-]+\.ip_configuration\[0\]\.private_ip_address/) })]);
    expect(resources(json, 'azurerm_subnet_route_table_association')).toHaveLength(3);
    // Finding 13a: threat-intel denies and DNS proxy queries are logged too, to the audit workspace.
    const fwLogs = resource(json, 'azurerm_monitor_diagnostic_setting', 'firewall');
    expect(fwLogs.enabled_log.map((l: any) => l.category)).toEqual(['AZFWApplicationRule', 'AZFWNetworkRule', 'AZFWThreatIntel', 'AZFWDnsQuery']);
    expect(fwLogs.log_analytics_workspace_id).toMatch(/^\$\{azurerm_log_analytics_workspace\.platform_audit_workspace_/);
    expect(azureFirewallFqdns(['.a.example', 'a.example', 'b.example'])).toEqual(['a.example', '*.a.example', 'b.example']);
  });

  it('without egress: no NAT, firewall or route, and NSGs deny all internet outbound', () => {
    const { json } = synthAzure(azureSpec({ network: { egress: { mode: EgressMode.NONE } } }));
    for (const t of ['azurerm_nat_gateway', 'azurerm_firewall', 'azurerm_route_table', 'azurerm_public_ip']) expect(json.resource[t]).toBeUndefined();
    const nsg = resource(json, 'azurerm_network_security_group', 'nodes');
    expect(nsg.security_rule.filter((r: any) => r.access === 'Allow')).toEqual([]);
  });

  it('writes VNet flow logs of the VNet to CMK storage, kept at least the profile floor', () => {
    for (const [compliance, days, expire] of [[ComplianceProfile.BASELINE, 90, undefined], [ComplianceProfile.SOC2, 365, undefined],
      [ComplianceProfile.HIPAA, 0, 2192]] as const) {
      const { json } = synthAzure(azureSpec({ compliance }));
      const flow = resource(json, 'azurerm_network_watcher_flow_log');
      const vnet = Object.keys(json.resource.azurerm_virtual_network)[0];
      expect(flow.target_resource_id).toBe(`\${azurerm_virtual_network.${vnet}.id}`);
      expect(flow.network_security_group_id).toBeUndefined();
      expect(flow).toEqual(expect.objectContaining({ enabled: true, version: 2, network_watcher_name: 'NetworkWatcher_eastus', resource_group_name: 'NetworkWatcherRG' }));
      expect(flow.retention_policy).toEqual({ enabled: true, days });
      expect(flow.traffic_analytics).toEqual(expect.objectContaining({ enabled: true, interval_in_minutes: 10 }));
      const policy = json.resource.azurerm_storage_management_policy;
      if (expire) {
        expect(Object.values(policy)[0].rule[0].actions.base_blob.delete_after_days_since_creation_greater_than).toBe(expire);
      } else {
        expect(policy).toBeUndefined();
      }
    }
  });

  it('adds private endpoints for Key Vault and both storage accounts (blob) with linked privatelink zones', () => {
    const { json } = synthAzure(azureSpec());
    expect(resources(json, 'azurerm_private_dns_zone').map(([, z]) => z.name).sort()).toEqual(['privatelink.blob.core.windows.net', 'privatelink.vaultcore.azure.net']);
    expect(resources(json, 'azurerm_private_dns_zone_virtual_network_link')).toHaveLength(2);
    const eps = resources(json, 'azurerm_private_endpoint').map(([, e]) => [e.private_service_connection.subresource_names, e.subnet_id]);
    expect(eps).toEqual(expect.arrayContaining([[['vault'], expect.stringMatching(/endpoints/)], [['blob'], expect.stringMatching(/endpoints/)]]));
    expect(eps).toHaveLength(3);
    const target = (fragment: string) => resource(json, 'azurerm_private_endpoint', fragment).private_service_connection.private_connection_resource_id;
    expect(target('endpoint-artifacts')).toMatch(/^\$\{azurerm_storage_account\.platform_artifacts_account_\w+\.id\}$/);
    // The flow-log account keeps its trusted-services public endpoint for Network Watcher; readers in the VNet use this one.
    expect(target('endpoint-flow-logs')).toMatch(/^\$\{azurerm_storage_account\.platform_network_flow-log-storage_account_\w+\.id\}$/);
    expect(resource(json, 'azurerm_private_endpoint', 'endpoint-flow-logs').private_service_connection.subresource_names).toEqual(['blob']);
  });

  it('composes into an existing VNet: no VNet, egress or flow logs; NSG on the NICs', () => {
    const { json } = synthAzure(azureSpec({ network: { zones: 2 } }), {
      existingNetwork: { vnetId: '/subscriptions/x/resourceGroups/n/providers/Microsoft.Network/virtualNetworks/corp', nodeSubnetIds: ['/s/1', '/s/2'] },
    });
    for (const t of ['azurerm_virtual_network', 'azurerm_subnet', 'azurerm_nat_gateway', 'azurerm_network_watcher_flow_log']) expect(json.resource[t]).toBeUndefined();
    const subnets = resources(json, VMSS).map(([, v]) => v.network_interface[0].ip_configuration[0].subnet_id);
    expect(subnets).toEqual(['/s/1', '/s/2']);
    for (const [, v] of resources(json, VMSS)) expect(v.network_interface[0].network_security_group_id).toMatch(/azurerm_network_security_group\./);
    expect(resource(json, 'azurerm_private_endpoint', 'key-vault').subnet_id).toBe('/s/1');
    expect(resources(json, 'azurerm_private_endpoint').map(([id]) => id).some((id) => id.includes('flow-logs'))).toBe(false);
  });
});

describe('AzureSandboxPlatform: keys and storage', () => {
  const { json } = synthAzure(azureSpec({ compliance: ComplianceProfile.HIPAA }));

  it('creates an RBAC Key Vault with purge protection, soft delete and no public network access', () => {
    const kv = resource(json, 'azurerm_key_vault');
    expect(kv).toEqual(expect.objectContaining({
      rbac_authorization_enabled: true, purge_protection_enabled: true, public_network_access_enabled: false, soft_delete_retention_days: 90,
      network_acls: { default_action: 'Deny', bypass: 'AzureServices' }, lifecycle: { prevent_destroy: true },
    }));
    expect(kv.enable_rbac_authorization).toBeUndefined();
    expect(kv.tenant_id).toMatch(/data\.azurerm_client_config\.[\w-]+\.tenant_id/);
  });

  it('rotates the key automatically and lets the deployer create it', () => {
    const key = resource(json, 'azurerm_key_vault_key');
    // Rotation counted from creation (needs no expiry on the current version); rotated versions expire 30 days after their rotation is due.
    expect(key.rotation_policy).toEqual({ expire_after: 'P395D', notify_before_expiry: 'P29D', automatic: { time_after_creation: 'P365D' } });
    expect(key.key_type).toBe('RSA-HSM');
    const officer = resource(json, 'azurerm_role_assignment', 'deployer-crypto-officer');
    expect(officer).toEqual(expect.objectContaining({ role_definition_name: 'Key Vault Crypto Officer', principal_id: expect.stringMatching(/client_config\.[\w-]+\.object_id/) }));
    // The grant's propagation wait, then the private endpoint and zone links (first-apply order: test/azure-first-apply.test.ts).
    expect(key.depends_on[0]).toMatch(/^time_sleep\.platform_keys_deployer-crypto-officer-propagation_/);
  });

  it('gives the first key version an expiry computed at plan time and leaves later ones to the rotation policy', () => {
    const key = resource(json, 'azurerm_key_vault_key');
    // 395 days = 9480 hours after the plan: the same lifetime expire_after gives rotated versions; the JSON holds no timestamp.
    expect(key.expiration_date).toBe('${timeadd(plantimestamp(), "9480h")}');
    expect(key.lifecycle).toEqual({ prevent_destroy: true, ignore_changes: ['expiration_date'] });
    const base = resource(synthAzure(azureSpec({ compliance: ComplianceProfile.BASELINE })).json, 'azurerm_key_vault_key');
    expect(base.lifecycle).toEqual({ ignore_changes: ['expiration_date'] });
  });

  it('grants the disk encryption set identity the key, with automatic rotation', () => {
    const des = resource(json, 'azurerm_disk_encryption_set');
    expect(des).toEqual(expect.objectContaining({ auto_key_rotation_enabled: true, identity: { type: 'SystemAssigned' },
      key_vault_key_id: expect.stringMatching(/azurerm_key_vault_key\.[\w-]+\.versionless_id/) }));
    const grant = resource(json, 'azurerm_role_assignment', 'des-key-access');
    expect(grant).toEqual(expect.objectContaining({
      role_definition_name: 'Key Vault Crypto Service Encryption User',
      scope: expect.stringMatching(/azurerm_key_vault_key\.[\w-]+\.resource_versionless_id/),
      principal_id: expect.stringMatching(/azurerm_disk_encryption_set\.[\w-]+\.identity\[0\]\.principal_id/) }));
  });

  it('locks down every storage account: TLS 1.2, HTTPS only, no public blobs or shared keys, CMK, versioning, soft delete', () => {
    const accounts = resources(json, 'azurerm_storage_account');
    // Artifacts, flow logs and (hipaa) the immutable audit archive.
    expect(accounts).toHaveLength(3);
    for (const [id, sa] of accounts) {
      // Finding 14: Network Watcher writes flow logs with the account keys; every other account is Entra-only.
      expect(sa.shared_access_key_enabled).toBe(id.includes('flow-log'));
      // With shared keys on, long-lived SAS tokens are at least logged.
      expect(sa.sas_policy).toEqual(id.includes('flow-log') ? { expiration_period: '1.00:00:00', expiration_action: 'Log' } : undefined);
      expect(sa).toEqual(expect.objectContaining({
        min_tls_version: 'TLS1_2', https_traffic_only_enabled: true, allow_nested_items_to_be_public: false,
        infrastructure_encryption_enabled: true,
        customer_managed_key: expect.objectContaining({ key_vault_key_id: expect.stringMatching(/versionless_id/) }),
      }));
      expect(sa.blob_properties).toEqual(expect.objectContaining({ versioning_enabled: true, delete_retention_policy: expect.anything(),
        container_delete_retention_policy: expect.anything() }));
      // Firewall: no IP or VNet rule, trusted Azure services only (they still need rights on the account).
      expect(sa.network_rules).toEqual({ default_action: 'Deny', bypass: ['AzureServices'] });
      // Zone-redundant; geo-redundancy is the caller's disaster-recovery choice.
      expect(sa.account_replication_type).toBe('ZRS');
    }
    expect(resource(json, 'azurerm_storage_account', 'artifacts').public_network_access_enabled).toBe(false);
    expect(resource(json, 'azurerm_storage_container', 'artifacts').container_access_type).toBe('private');
    // Flow logs: public endpoint only for trusted Azure services (Network Watcher).
    const flow = resource(json, 'azurerm_storage_account', 'flow-log');
    expect(flow.network_rules).toEqual({ default_action: 'Deny', bypass: ['AzureServices'] });
    expect(flow.lifecycle).toEqual({ prevent_destroy: true });
  });

  it('logs every read, write and delete of the artifact blobs to the workspace, kept for the floor under hipaa', () => {
    const logs = resource(json, 'azurerm_monitor_diagnostic_setting', 'artifacts_blob-logs');
    expect(logs.target_resource_id).toMatch(/^\$\{azurerm_storage_account\.platform_artifacts_account_\w+\.id\}\/blobServices\/default$/);
    expect(logs.log_analytics_workspace_id).toMatch(/^\$\{azurerm_log_analytics_workspace\.[\w-]+\.id\}$/);
    expect(logs.enabled_log).toEqual(STORAGE_BLOB_LOG_CATEGORIES.map((category) => ({ category })));
    expect(STORAGE_BLOB_LOG_CATEGORIES).toEqual(['StorageRead', 'StorageWrite', 'StorageDelete']);
    // Only the artifact account: the flow-log account's writers are Network Watcher, its readers reach it through the private endpoint.
    expect(resources(json, 'azurerm_monitor_diagnostic_setting').filter(([, d]) => /blobServices/.test(d.target_resource_id))).toHaveLength(1);
    const table = resource(json, 'azurerm_log_analytics_workspace_table', 'StorageBlobLogs');
    expect([table.name, table.retention_in_days, table.total_retention_in_days]).toEqual(['StorageBlobLogs', 730, 2556]);
  });

  it('names storage accounts <name><kind><8 hex of the subscription hash>: at most 24 of [a-z0-9]', () => {
    // The hash is a Terraform expression (the subscription id is known at plan time only), so check the shape of the template.
    for (const name of ['acme', 'a-very-long-name-abcd']) {
      const { json: j } = synthAzure(azureSpec({ name }));
      for (const [, sa] of resources(j, 'azurerm_storage_account')) {
        const m = /^([a-z0-9]+)\$\{substr\(sha256\(join\("\/", \[data\.azurerm_client_config\.[\w-]+\.subscription_id, "[^"]+"\]\)\), 0, 8\)\}$/.exec(sa.name);
        expect(m).not.toBeNull();
        expect(m![1]).toMatch(/^[a-z0-9]{3,16}$/); // sha256 is lowercase hex: 8 more of [a-z0-9]
        expect(m![1].length + 8).toBeLessThanOrEqual(24);
      }
    }
  });

  it('lets the artifact store opt into geo-redundancy and into access logs when used alone', () => {
    const stack = new TerraformStack(Testing.app(), 'alone');
    new AzurermProvider(stack, 'azurerm', { features: [{}], storageUseAzuread: true });
    const cmk = { keyVaultKeyId: 'https://kv.vault.azure.net/keys/k', identityId: '/subscriptions/x/id' };
    new AzureArtifactStore(stack, 'geo', { resourceGroupName: 'rg', location: 'eastus', accountName: 'acmegeo', cmk, replication: 'GZRS' });
    const alone = JSON.parse(Testing.synth(stack));
    expect(resource(alone, 'azurerm_storage_account').account_replication_type).toBe('GZRS');
    expect(alone.resource.azurerm_monitor_diagnostic_setting).toBeUndefined();
  });

  it('uses the caller key instead of creating a vault', () => {
    const own = synthAzure(azureSpec(), {
      keyVaultKeyId: 'https://corp-kv.vault.azure.net/keys/sandbox', keyVaultId: '/subscriptions/x/resourceGroups/k/providers/Microsoft.KeyVault/vaults/corp-kv',
    }).json;
    expect(own.resource.azurerm_key_vault).toBeUndefined();
    expect(own.resource.azurerm_key_vault_key).toBeUndefined();
    expect(resource(own, 'azurerm_disk_encryption_set').key_vault_key_id).toBe('https://corp-kv.vault.azure.net/keys/sandbox');
    expect(resource(own, 'azurerm_role_assignment', 'des-key-access').scope).toBe('/subscriptions/x/resourceGroups/k/providers/Microsoft.KeyVault/vaults/corp-kv');
  });

  it('opens the vault firewall only to the deployer ranges it is given', () => {
    const kv = resource(synthAzure(azureSpec(), { deployerIpRanges: ['203.0.113.0/28'] }).json, 'azurerm_key_vault');
    expect(kv.public_network_access_enabled).toBe(true);
    expect(kv.network_acls).toEqual({ default_action: 'Deny', bypass: 'AzureServices', ip_rules: ['203.0.113.0/28'] });
  });
});

describe('AzureSandboxPlatform: logs, alerts and audit per profile', () => {
  it.each([
    [ComplianceProfile.BASELINE, 90, 0],
    [ComplianceProfile.SOC2, 365, 0],
    [ComplianceProfile.HIPAA, 730, 2556],
  ])('%s: both workspaces keep %i days interactively, audit tables %i in total', (compliance, days, total) => {
    const { json } = synthAzure(azureSpec({ compliance }));
    for (const ws of ['observability_workspace', 'audit_workspace']) {
      expect(resource(json, 'azurerm_log_analytics_workspace', ws)).toEqual(expect.objectContaining({ retention_in_days: days, local_authentication_enabled: false }));
    }
    const tables = (ws: string) => resources(json, 'azurerm_log_analytics_workspace_table').filter(([id]) => id.includes(ws))
      .map(([, t]) => [t.name, t.retention_in_days, t.total_retention_in_days]);
    if (total === 0) {
      expect(tables('')).toEqual([]);
    } else {
      // The platform workspace keeps the bootstrap log; the customer's audit data lives in the audit workspace.
      expect(tables('observability')).toEqual([['Syslog', 730, total]]);
      expect(tables('platform_audit')).toEqual(expect.arrayContaining([['AzureActivity', 730, total], ['AzureDiagnostics', 730, total],
        ['AZFWThreatIntel', 730, total], ['StorageBlobLogs', 730, total], ['Syslog', 730, total]]));
      expect(total).toBeGreaterThanOrEqual(2192);
    }
  });

  it('rounds total retention up to a value Azure accepts', () => {
    expect(tableTotalRetentionDays(2192)).toBe(2556);
    expect(tableTotalRetentionDays(2191)).toBe(2191);
    expect(tableTotalRetentionDays(731)).toBe(1095);
    expect(tableTotalRetentionDays(400)).toBe(400);
  });

  it('exports the subscription activity log under soc2 and hipaa only, without retention_policy', () => {
    for (const compliance of [ComplianceProfile.SOC2, ComplianceProfile.HIPAA]) {
      const { json } = synthAzure(azureSpec({ compliance }));
      const setting = resource(json, 'azurerm_monitor_diagnostic_setting', 'activity-log');
      expect(setting.target_resource_id).toMatch(/^\$\{data\.azurerm_subscription\.[\w-]+\.id\}$/);
      expect(setting.enabled_log).toEqual(ACTIVITY_LOG_CATEGORIES.map((category) => ({ category })));
      // Finding 13b: every category, Autoscale (node removals) and health included.
      expect(ACTIVITY_LOG_CATEGORIES).toEqual(['Administrative', 'Security', 'ServiceHealth', 'Alert', 'Recommendation', 'Policy', 'Autoscale', 'ResourceHealth']);
      expect(setting.log_analytics_workspace_id).toMatch(/^\$\{azurerm_log_analytics_workspace\.platform_audit_workspace_/);
      expect(JSON.stringify(setting)).not.toContain('retention_policy');
    }
    const base = synthAzure(azureSpec({ compliance: ComplianceProfile.BASELINE })).json;
    expect(resources(base, 'azurerm_monitor_diagnostic_setting').map(([id]) => id).some((id) => id.includes('activity-log'))).toBe(false);
    const org = synthAzure(azureSpec({ observability: { existingOrganizationTrail: true } })).json;
    expect(resources(org, 'azurerm_monitor_diagnostic_setting').map(([id]) => id).some((id) => id.includes('activity-log'))).toBe(false);
  });

  it('alerts per scale set (at max, unavailable) and on missing KVM, to an action group with the e-mails', () => {
    const { json } = synthAzure(azureSpec({ observability: { alertEmails: ['a@x.example', 'b@x.example'] } }));
    const ag = resource(json, 'azurerm_monitor_action_group');
    expect(ag.email_receiver.map((r: any) => r.email_address)).toEqual(['a@x.example', 'b@x.example']);
    const metric = resources(json, 'azurerm_monitor_metric_alert').map(([, a]) => [a.name, a.criteria[0].metric_name, a.criteria[0].aggregation, a.criteria[0].threshold]);
    // Finding 13c: "at max for 15 minutes" is the window's Minimum (Maximum fired on one touch);
    // zones whose minimum is their maximum (z1: min 1, max 2 here is not one) get none.
    expect(metric).toEqual([
      ['acme-fc-z1-at-max', 'ObservedCapacity', 'Minimum', 2], ['acme-fc-z1-unhealthy', 'VmAvailabilityMetric', 'Average', 1],
      ['acme-fc-z2-at-max', 'ObservedCapacity', 'Minimum', 1], ['acme-fc-z2-unhealthy', 'VmAvailabilityMetric', 'Average', 1],
      ['acme-fc-z3-at-max', 'ObservedCapacity', 'Minimum', 1], ['acme-fc-z3-unhealthy', 'VmAvailabilityMetric', 'Average', 1],
    ]);
    const fixed = synthAzure(azureSpec({ sandboxPools: [{ name: 'fc', minNodes: 1, maxNodes: 1 }] })).json;
    expect(resources(fixed, 'azurerm_monitor_metric_alert').map(([, a]) => a.name)).toEqual(['acme-fc-z1-unhealthy']);
    const kvm = resource(json, 'azurerm_monitor_scheduled_query_rules_alert_v2', 'kvm-missing');
    expect(kvm.criteria[0].query).toContain('ProcessName == "sandbox-bootstrap"');
    expect(kvm.scopes).toEqual([expect.stringMatching(/azurerm_log_analytics_workspace\.platform_observability_workspace_/)]);
    expect(kvm.action.action_groups).toEqual([expect.stringMatching(/azurerm_monitor_action_group\./)]);
    const platformDcr = resource(json, 'azurerm_monitor_data_collection_rule', 'bootstrap-logs');
    expect(platformDcr.data_sources.syslog[0].facility_names).toEqual(['user', 'daemon', 'kern']);
    // Shell access: SSH, sudo and su records go to the audit workspace, through a second rule on every scale set.
    const auditDcr = resource(json, 'azurerm_monitor_data_collection_rule', 'host-audit');
    expect(auditDcr.data_sources.syslog[0].facility_names).toEqual(['auth', 'authpriv']);
    expect(auditDcr.destinations.log_analytics[0].workspace_resource_id).toMatch(/platform_audit_workspace_/);
    expect(resources(json, 'azurerm_monitor_data_collection_rule_association')).toHaveLength(6);
    const workbook = JSON.parse(resource(json, 'azurerm_application_insights_workbook').data_json);
    expect(workbook.version).toBe('Notebook/1.0');
    expect(JSON.stringify(workbook)).toContain('fc (zone 1, max 2)');
  });
});

describe('AzureSandboxPlatform: BYOC control plane', () => {
  const roleOf = (access: ControlPlaneAccess) => synthAzure(azureSpec({ controlPlane: { principal: VENDOR_PRINCIPAL, access } })).json;

  it('scopes a custom role to the platform resource group and assigns it to the vendor service principal', () => {
    const json = roleOf(ControlPlaneAccess.OPERATE);
    const role = resource(json, 'azurerm_role_definition');
    expect(role.scope).toMatch(/^\$\{azurerm_resource_group\.[\w-]+\.id\}$/);
    expect(role.assignable_scopes).toEqual([role.scope]);
    // Finding 11: role names and GUIDs are unique per tenant, so both carry the subscription.
    expect(role.role_definition_id).toMatch(/^\$\{uuidv5\("url", "https:\/\/cdktf-sandbox-byoc\/\$\{data\.azurerm_client_config\.[\w-]+\.subscription_id\}\/acme\/eastus\/control-plane-role"\)\}$/);
    expect(role.name).toMatch(/^acme sandbox control plane \(operate, \$\{substr\(sha256\(data\.azurerm_client_config\.[\w-]+\.subscription_id\), 0, 8\)\}\)$/);
    const assignment = resource(json, 'azurerm_role_assignment', 'control-plane_assignment');
    expect(assignment).toEqual(expect.objectContaining({ principal_id: VENDOR_PRINCIPAL, principal_type: 'ServicePrincipal', scope: role.scope,
      role_definition_id: expect.stringMatching(/role_definition_resource_id/) }));
    expect(resource(json, 'azurerm_role_assignment', 'control-plane_artifacts').role_definition_name).toBe('Storage Blob Data Contributor');
  });

  it('lets OPERATE scale, restart and run commands; READ_ONLY only reads', () => {
    const operate = resource(roleOf(ControlPlaneAccess.OPERATE), 'azurerm_role_definition').permissions[0].actions;
    expect(operate).toEqual(expect.arrayContaining(['Microsoft.Compute/virtualMachineScaleSets/write', 'Microsoft.Compute/virtualMachines/runCommand/action',
      'Microsoft.Insights/metrics/read']));
    expect(operate).toEqual([...CONTROL_PLANE_READ_ACTIONS, ...CONTROL_PLANE_OPERATE_ACTIONS, ...CONTROL_PLANE_LINKED_ACTIONS]);
    // Finding 10: a scale set write needs the linked actions on what the model references, and a VM delete cascades to NIC and disks.
    expect(operate).toEqual(expect.arrayContaining(['Microsoft.Network/virtualNetworks/subnets/join/action',
      'Microsoft.ManagedIdentity/userAssignedIdentities/*/assign/action', 'Microsoft.Compute/diskEncryptionSets/read',
      'Microsoft.Network/networkInterfaces/delete', 'Microsoft.Compute/disks/delete']));
    const readJson = roleOf(ControlPlaneAccess.READ_ONLY);
    const read: string[] = resource(readJson, 'azurerm_role_definition').permissions[0].actions;
    expect(read.every((a) => /\/read$/.test(a) || a === 'Microsoft.OperationalInsights/workspaces/analytics/query/action')).toBe(true);
    expect(resource(readJson, 'azurerm_role_assignment', 'control-plane_artifacts').role_definition_name).toBe('Storage Blob Data Reader');
    for (const actions of [operate, read]) {
      expect(actions).not.toContain('*');
      expect(actions.some((a: string) => a.endsWith('/*'))).toBe(false);
    }
  });

  it('creates no role for a managed deployment', () => {
    const { json } = synthAzure(azureSpec({ deployment: DeploymentModel.MANAGED, controlPlane: undefined }));
    expect(json.resource.azurerm_role_definition).toBeUndefined();
    expect(json.output!.acme_control_plane_role_definition_id).toBeUndefined();
  });
});

describe('AzureSandboxPlatform: composition', () => {
  it('tags every taggable resource with the platform tags and user tags, and the pool tag on scale sets', () => {
    const { json } = synthAzure(azureSpec({ tags: { team: 'infra' }, gpuPools: [{ name: 't4', gpu: GpuModel.T4 }] }));
    let tagged = 0;
    for (const [type, byId] of Object.entries(json.resource)) {
      for (const [id, r] of Object.entries(byId)) {
        if (!('tags' in r)) continue;
        tagged++;
        expect({ type, id, tags: r.tags }).toEqual({ type, id, tags: expect.objectContaining({
          'sandbox-platform': 'acme', 'compliance-profile': 'soc2', 'deployment-model': 'byoc', 'managed-by': 'cdktf-sandbox-byoc', team: 'infra',
        }) });
      }
    }
    expect(tagged).toBeGreaterThan(40);
    for (const [id, v] of resources(json, VMSS)) expect(v.tags['sandbox-pool']).toBe(id.includes('pool-t4') ? 't4' : 'fc');
  });

  it('puts every resource and data source on an aliased provider when one is given', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 't');
    new AzurermProvider(stack, 'azurerm', { features: [{}] });
    const west = new AzurermProvider(stack, 'west', { features: [{}], alias: 'west' });
    new AzureSandboxPlatform(stack, 'p', { spec: azureSpec(), location: 'westus3', provider: west });
    const json = JSON.parse(Testing.synth(stack));
    for (const group of [json.resource, json.data]) {
      for (const [type, byId] of Object.entries(group) as [string, Record<string, { provider?: string }>][]) {
        // The propagation waits are hashicorp/time resources: they keep the time provider's default configuration.
        for (const r of Object.values(byId)) expect(r.provider).toBe(type.startsWith('azurerm_') ? 'azurerm.west' : undefined);
      }
    }
    expect(Object.keys(json.resource.time_sleep).length).toBeGreaterThan(0);
    expect(json.terraform.required_providers.time).toEqual({ source: 'hashicorp/time', version: '>= 0.9.0, < 1.0.0' });
  });

  it('exposes the outputs a control plane needs', () => {
    const { json, platform } = synthAzure(azureSpec());
    expect(Object.keys(json.output!).sort()).toEqual([
      'acme_action_group_id', 'acme_artifact_container', 'acme_control_plane_role_definition_id', 'acme_disk_encryption_set_id', 'acme_key_id',
      'acme_key_vault_id', 'acme_log_analytics_workspace_id', 'acme_node_identity_client_id', 'acme_node_identity_id', 'acme_node_subnet_ids',
      'acme_resource_group_name', 'acme_scale_set_ids', 'acme_scale_set_names', 'acme_storage_account_name', 'acme_vnet_id',
    ]);
    expect(Object.keys(json.output!.acme_scale_set_ids.value)).toEqual(['fc']);
    expect(platform.pools.fc.scaleSets).toHaveLength(3);
    expect(platform.network!.nodeSubnets).toHaveLength(3);
  });

  it('joins an existing resource group through a data source', () => {
    const { json } = synthAzure(azureSpec(), { resourceGroupName: 'corp-sandboxes' });
    // Only the audit trail's own group is created: it must stay outside the vendor role's scope.
    expect(resources(json, 'azurerm_resource_group').map(([, g]) => g.name)).toEqual(['acme-audit-rg']);
    expect(json.data!.azurerm_resource_group).toBeDefined();
    const both = synthAzure(azureSpec(), { resourceGroupName: 'corp-sandboxes', auditResourceGroupName: 'corp-audit' }).json;
    expect(both.resource.azurerm_resource_group).toBeUndefined();
    expect(Object.values(both.data!.azurerm_resource_group).map((g: any) => g.name).sort()).toEqual(['corp-audit', 'corp-sandboxes']);
    expect(resource(json, 'azurerm_virtual_network').resource_group_name).toMatch(/data\.azurerm_resource_group\./);
  });

  it('fails at construction with every spec problem', () => {
    let error: unknown;
    try {
      synthAzure(azureSpec({ name: 'Bad Name', controlPlane: undefined, gpuPools: [{ name: 'l4', gpu: GpuModel.L4 }] }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpecValidationError);
    expect((error as SpecValidationError).issues.map((i) => i.path).sort()).toEqual(['controlPlane', 'gpuPools[0].gpu', 'name']);
  });

  it.each([
    ['the NVIDIA extension with Trusted Launch (Secure Boot)', azureSpec({ gpuPools: [{ name: 'a100', gpu: GpuModel.A100_80GB }] }), { trustedLaunch: true },
      /NvidiaGpuDriverLinux extension cannot install drivers with Secure Boot on/],
    ['the NVIDIA extension without egress', azureSpec({ network: { egress: { mode: EgressMode.NONE } }, gpuPools: [{ name: 't4', gpu: GpuModel.T4 }] }), {},
      /downloads the driver from the internet, and egress is "none"/],
    ['the NVIDIA extension on a series it does not list', azureSpec({ gpuPools: [{ name: 'h100', gpu: GpuModel.H100 }] }), { gpuDriver: AzureGpuDriver.EXTENSION },
      /does not list the NCads_H100_v5 series/],
    ['Trusted Launch on a generation-1-only size', azureSpec({ sandboxPools: [{ name: 'v3', instanceType: 'Standard_D16_v3' }] }), { trustedLaunch: true },
      /runs only generation 1 VMs/],
    ['Trusted Launch on ND A100 v4', azureSpec({ gpuPools: [{ name: 'nd', gpu: GpuModel.A100_40GB }] }), { trustedLaunch: true },
      /Trusted Launch is not yet supported on the NDasrA100_v4 series/],
    ['more than three zones', azureSpec({ network: { zones: 4 } }), {}, /network.zones: 4 is out of range 1..3 \(azure regions have at most 3 zones\)/],
    ['a key without its vault', azureSpec(), { keyVaultKeyId: 'https://v.vault.azure.net/keys/k' }, /keyVaultKeyId needs keyVaultId/],
    ['a location that is not a region name', azureSpec(), { location: 'East US' }, /is not an Azure region name/],
  ])('rejects %s at construction', (_what, spec, props, message) => {
    expect(() => synthAzure(spec, props)).toThrow(message);
  });

  it('rejects an AzureFirewallSubnet below /26', () => {
    expect(() => synthAzure(azureSpec({ network: { cidr: '10.0.0.0/22', zones: 3, egress: { mode: EgressMode.FIREWALL, allowedDomains: ['pypi.org'] } } })))
      .toThrow(/AzureFirewallSubnet 10\.0\.3\.\d+\/27 is smaller than the \/26 Azure Firewall needs/);
  });

  it('synthesizes byte-identical JSON twice', () => {
    const spec = azureSpec({ gpuPools: [{ name: 't4', gpu: GpuModel.T4 }], network: { egress: { mode: EgressMode.FIREWALL, allowedDomains: ['pypi.org'] } } });
    expect(Testing.synth(synthAzure(spec).stack)).toBe(Testing.synth(synthAzure(spec).stack));
  });
});

describe('Azure host bootstrap', () => {
  (SKIP_SHELLCHECK ? it.skip : it)('passes shellcheck and bash -n as rendered for Azure pools', () => {
    const plan = resolvePlatform(azureSpec({
      sandboxPools: [{ name: 'fc', instanceType: 'Standard_D16ds_v6', hugepagesMiB: 1024, bootstrapCommands: ['echo hello'] }],
      gpuPools: [{ name: 'g', gpu: GpuModel.T4 }, { name: 'nd', gpu: GpuModel.H100, gpusPerNode: 8 }],
    }), CloudProvider.AZURE);
    for (const pool of plan.pools) {
      const opts = azureBootstrapOptions('acme', pool, { gpuDriverFromExtension: pool.name === 'g' });
      expectShellcheckClean(renderHostBootstrap(opts), `${pool.name} bootstrap`);
      expectShellcheckClean(renderCloudInitUserData(opts), `${pool.name} user data`);
      const filtered = azureBootstrapOptions('acme', pool, { gpuDriverFromExtension: pool.name === 'g', egress: EgressMode.FIREWALL, allowedDomains: ['pypi.org'] });
      expectShellcheckClean(renderCloudInitUserData(filtered), `${pool.name} user data with the DNS filter`);
    }
  });

  it('firewall egress needs the allow-list for the DNS filter', () => {
    const pool = resolvePlatform(azureSpec(), CloudProvider.AZURE).pools[0];
    expect(() => azureBootstrapOptions('acme', pool, { egress: EgressMode.FIREWALL }))
      .toThrow('pool fc: egress "firewall" needs allowedDomains for the sandbox DNS filter (network.egress.allowedDomains)');
    expect(azureBootstrapOptions('acme', pool, { egress: EgressMode.NAT, allowedDomains: ['pypi.org'] }).dnsFilter).toBeUndefined();
  });
});

describe('AzureSandboxPlatform: GPU driver downloads behind the firewall', () => {
  const warningsOf = (allowedDomains: string[]) => {
    const { platform } = synthAzure(azureSpec({
      network: { egress: { mode: EgressMode.FIREWALL, allowedDomains } },
      gpuPools: [{ name: 't4', gpu: GpuModel.T4, maxNodes: 1 }],
    }));
    return platform.node.findAll().flatMap((c) => c.node.metadata).filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data));
  };

  it('warns with the download domains the allow-list lacks', () => {
    const w = warningsOf(['pypi.org', 'download.microsoft.com']).filter((m) => m.includes('NvidiaGpuDriverLinux'));
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/from developer\.download\.nvidia\.com, azure\.archive\.ubuntu\.com, which network\.egress\.allowedDomains does not allow/);
  });

  it('is quiet when the allow-list covers them (".parent" entries included)', () => {
    expect(warningsOf(['.nvidia.com', 'download.microsoft.com', 'azure.archive.ubuntu.com']).filter((m) => m.includes('NvidiaGpuDriverLinux'))).toEqual([]);
  });
});
