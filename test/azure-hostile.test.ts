/**
 * Issue 10 on Azure: sandboxes are hostile, and the vendor sees its platform, not the customer's
 * audit trail. Also consumer review item 3: an existing network never drops spec.network silently.
 */
import { Testing } from 'cdktf';
import { ACTIVITY_LOG_ARCHIVE_CONTAINER, AUDIT_LONG_RETENTION_TABLES, AZURE_FIREWALL_LOG_CATEGORIES, HOST_AUDIT_FACILITIES } from '../lib/azure';
import { AZURE_CUSTOM_DATA_LIMIT } from '../lib/azure/host-bootstrap';
import { DNS_FILTER_PORT } from '../lib/host';
import { ComplianceProfile, EgressMode, GpuModel, SandboxRuntime } from '../lib/spec';
import { azureSpec, customDataOf, resource, resources, synthAzure } from './azure-helpers';

/* eslint-disable @typescript-eslint/no-explicit-any */
const VMSS = 'azurerm_orchestrated_virtual_machine_scale_set';
const firewallSpec = (compliance = ComplianceProfile.SOC2) =>
  azureSpec({ compliance, network: { egress: { mode: EgressMode.FIREWALL, allowedDomains: ['pypi.org'] } } });

describe('Azure hostile sandboxes: DNS', () => {
  it('firewall egress: the policy proxies DNS and the VNet resolves through the firewall before any node boots', () => {
    const { json } = synthAzure(firewallSpec());
    expect(resource(json, 'azurerm_firewall_policy').dns).toEqual({ proxy_enabled: true });
    const dns = resource(json, 'azurerm_virtual_network_dns_servers');
    expect(dns.virtual_network_id).toMatch(/^\$\{azurerm_virtual_network\.[\w-]+\.id\}$/);
    expect(dns.dns_servers).toEqual([expect.stringMatching(/^\$\{azurerm_firewall\.[\w-]+\.ip_configuration\[0\]\.private_ip_address\}$/)]);
    const dnsId = `azurerm_virtual_network_dns_servers.${Object.keys(json.resource.azurerm_virtual_network_dns_servers)[0]}`;
    for (const [, v] of resources(json, VMSS)) expect(v.depends_on).toContain(dnsId);
    // The privatelink zones stay linked to the VNet: the proxy forwards to Azure DNS, which answers from them.
    expect(resources(json, 'azurerm_private_dns_zone_virtual_network_link')).toHaveLength(2);
    // Sandboxes get no DNS on the WireServer address: their resolver is the firewall's proxy, and only through the host's filter.
    const script = customDataOf(resources(json, VMSS)[0][1]);
    expect(script).toMatch(/set blocked_v4 \{\n\s+type ipv4_addr\n\s+flags interval\n\s+elements = \{ 169\.254\.0\.0\/16, 168\.63\.129\.16 \}/);
    expect(script).toMatch(/set dns_v4 \{\n\s+type ipv4_addr\n\s+flags interval\n\s+\}/);
  });

  it('firewall egress: the host\'s DNS filter answers sandboxes for the allow-list only, and is up before the node reports healthy', () => {
    const { json } = synthAzure(azureSpec({
      network: { egress: { mode: EgressMode.FIREWALL, allowedDomains: ['pypi.org', '.GitHub.com'] } },
      sandboxPools: [{ name: 'fc', minNodes: 1, maxNodes: 2 }, { name: 'gv', runtime: SandboxRuntime.GVISOR, minNodes: 1, maxNodes: 2 }],
      gpuPools: [{ name: 't4', gpu: GpuModel.T4, maxNodes: 1 }],
    }));
    const sets = resources(json, VMSS);
    expect(sets.length).toBeGreaterThanOrEqual(3);
    for (const [id, vmss] of sets) {
      const script = customDataOf(vmss);
      expect([id, script]).toEqual([id, expect.stringContaining(`meta nfproto ipv4 udp dport 53 redirect to :${DNS_FILTER_PORT}`)]);
      expect(script).toMatch(/allowed-domains 0644 <<'SANDBOX_CONF'\n#[^\n]*\npypi\.org\n\.github\.com\nSANDBOX_CONF\n/);
      // The health endpoint (Application Health extension) opens only after the filter answered.
      const main = script.slice(script.indexOf('# ---- main ----'));
      expect(main.indexOf('\nsandbox_start_dns_filter\n')).toBeGreaterThan(main.indexOf('\nsandbox_apply_nftables\n'));
      expect(main.indexOf('systemctl start sandbox-health.socket')).toBeGreaterThan(main.indexOf('\nsandbox_start_dns_filter\n'));
      expect(vmss.os_profile.custom_data.length).toBeLessThanOrEqual(AZURE_CUSTOM_DATA_LIMIT);
    }
  });

  it('nat egress: Azure DNS stays the resolver (and the only address sandboxes may query on 53)', () => {
    const { json } = synthAzure(azureSpec());
    expect(json.resource.azurerm_virtual_network_dns_servers).toBeUndefined();
    expect(customDataOf(resources(json, VMSS)[0][1])).toMatch(/set dns_v4 \{\n\s+type ipv4_addr\n\s+flags interval\n\s+elements = \{ 168\.63\.129\.16 \}/);
    expect(customDataOf(resources(json, VMSS)[0][1])).not.toContain('sandbox_start_dns_filter');
  });

  it('no egress: the VNet keeps Azure DNS for the hosts (privatelink names); sandboxes get no resolver at all', () => {
    const { json } = synthAzure(azureSpec({ network: { egress: { mode: EgressMode.NONE } } }));
    expect(json.resource.azurerm_virtual_network_dns_servers).toBeUndefined();
    expect(customDataOf(resources(json, VMSS)[0][1])).toMatch(/set dns_v4 \{\n\s+type ipv4_addr\n\s+flags interval\n\s+\}/);
  });
});

describe('Azure: the vendor sees its platform, not the customer\'s audit trail', () => {
  const { json } = synthAzure(firewallSpec());
  const auditWs = Object.keys(json.resource.azurerm_log_analytics_workspace).find((k) => k.includes('platform_audit_workspace'))!;
  const auditRef = `\${azurerm_log_analytics_workspace.${auditWs}.id}`;

  it('puts the audit workspace in a resource group of its own, outside the vendor role\'s scope', () => {
    const groups = resources(json, 'azurerm_resource_group').map(([id, g]) => [id, g.name]);
    expect(groups.map(([, n]) => n).sort()).toEqual(['acme-audit-rg', 'acme-sandbox-rg']);
    const auditRg = groups.find(([, n]) => n === 'acme-audit-rg')![0];
    const platformRg = groups.find(([, n]) => n === 'acme-sandbox-rg')![0];
    expect(resource(json, 'azurerm_log_analytics_workspace', 'audit').resource_group_name).toBe(`\${azurerm_resource_group.${auditRg}.name}`);
    const role = resource(json, 'azurerm_role_definition');
    expect(role.assignable_scopes).toEqual([`\${azurerm_resource_group.${platformRg}.id}`]);
    for (const [id, a] of resources(json, 'azurerm_role_assignment').filter(([id]) => id.includes('control-plane'))) {
      expect(`${id}: ${a.scope}`).not.toContain(auditRg);
    }
  });

  it('sends every audit source to the audit workspace: activity log, Key Vault, firewall, traffic analytics, blob access, SSH/sudo', () => {
    for (const fragment of ['activity-log', 'vault-audit', 'firewall_logs', 'blob-logs']) {
      expect([fragment, resource(json, 'azurerm_monitor_diagnostic_setting', fragment).log_analytics_workspace_id]).toEqual([fragment, auditRef]);
    }
    expect(resource(json, 'azurerm_network_watcher_flow_log').traffic_analytics.workspace_resource_id).toBe(auditRef);
    expect(resource(json, 'azurerm_monitor_data_collection_rule', 'host-audit').data_sources.syslog[0].facility_names).toEqual([...HOST_AUDIT_FACILITIES]);
    // The platform workspace (which the vendor may query) holds only the hosts' bootstrap syslog.
    const platformWs = Object.keys(json.resource.azurerm_log_analytics_workspace).find((k) => k.includes('observability'))!;
    const intoPlatform = resources(json, 'azurerm_monitor_diagnostic_setting').filter(([, d]) => String(d.log_analytics_workspace_id).includes(platformWs));
    expect(intoPlatform).toEqual([]);
  });
});

describe('Azure audit integrity under hipaa: an immutable archive', () => {
  const { json } = synthAzure(firewallSpec(ComplianceProfile.HIPAA));
  const account = Object.keys(json.resource.azurerm_storage_account).find((k) => k.includes('audit_archive'))!;

  it('creates the export containers and locks them for the floor before anything is exported', () => {
    const expected = [ACTIVITY_LOG_ARCHIVE_CONTAINER, 'insights-logs-auditevent', ...AZURE_FIREWALL_LOG_CATEGORIES.map((c) => `insights-logs-${c.toLowerCase()}`)];
    const containers = resources(json, 'azurerm_storage_container').filter(([id]) => id.includes('audit')).map(([, c]) => c);
    expect(containers.map((c) => c.name).sort()).toEqual([...expected].sort());
    for (const c of containers) expect(c.storage_account_id).toBe(`\${azurerm_storage_account.${account}.id}`);
    const policies = resources(json, 'azurerm_storage_container_immutability_policy');
    expect(policies).toHaveLength(expected.length);
    for (const [, p] of policies) {
      expect(p).toEqual(expect.objectContaining({ immutability_period_in_days: 2192, locked: true, protected_append_writes_enabled: true }));
      expect(p.storage_container_resource_manager_id).toMatch(new RegExp(`^\\$\\{azurerm_storage_account\\.${account}\\.id\\}/blobServices/default/containers/\\$\\{azurerm_storage_container\\.`));
    }
    const locks = policies.map(([id]) => `azurerm_storage_container_immutability_policy.${id}`).sort();
    for (const fragment of ['activity-log', 'vault-audit', 'firewall_logs']) {
      const setting = resource(json, 'azurerm_monitor_diagnostic_setting', fragment);
      expect(setting.storage_account_id).toBe(`\${azurerm_storage_account.${account}.id}`);
      expect([...setting.depends_on].sort()).toEqual(locks);
    }
  });

  it('keeps the archive account Entra-only behind the trusted-services exception, with CMK', () => {
    const sa = json.resource.azurerm_storage_account[account];
    expect(sa).toEqual(expect.objectContaining({ shared_access_key_enabled: false, public_network_access_enabled: true,
      network_rules: { default_action: 'Deny', bypass: ['AzureServices'] }, lifecycle: { prevent_destroy: true } }));
    expect(sa.customer_managed_key).toBeDefined();
    // Auditors read it through a private endpoint (its public endpoint admits only trusted services).
    const pe = resource(json, 'azurerm_private_endpoint', 'audit-archive');
    expect(pe.private_service_connection.private_connection_resource_id).toBe(`\${azurerm_storage_account.${account}.id}`);
  });

  it('keeps the audit tables for the floor', () => {
    const tables = resources(json, 'azurerm_log_analytics_workspace_table').filter(([id]) => id.includes('platform_audit')).map(([, t]) => t.name);
    expect(tables.sort()).toEqual([...AUDIT_LONG_RETENTION_TABLES].sort());
  });

  it('has no archive below hipaa', () => {
    const soc2 = synthAzure(firewallSpec()).json;
    expect(soc2.resource.azurerm_storage_container_immutability_policy).toBeUndefined();
    expect(resource(soc2, 'azurerm_monitor_diagnostic_setting', 'activity-log').storage_account_id).toBeUndefined();
  });
});

describe('Azure existing network: spec.network is never dropped silently (consumer review item 3)', () => {
  const vnetId = '/subscriptions/0/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/corp';
  const existing = { vnetId, nodeSubnetIds: ['/s/1', '/s/2'] };

  it('refuses every network setting that no longer applies, all at once', () => {
    expect(() => synthAzure(azureSpec({ network: { cidr: '10.9.0.0/16', zones: 3, egress: { mode: EgressMode.FIREWALL, allowedDomains: ['pypi.org'] } } }),
      { existingNetwork: existing })).toThrow(new RegExp([
      'spec\\.network\\.cidr "10\\.9\\.0\\.0/16" does not apply with existingNetwork',
      'spec\\.network\\.zones is 3 but existingNetwork\\.nodeSubnetIds has 2 subnets',
      'spec\\.network\\.egress\\.mode "firewall" \\(allowedDomains \\["pypi\\.org"\\]\\) cannot be enforced in an existing VNet.*existingNetwork\\.egressFirewall',
    ].join('.*')));
  });

  it('enforces a firewall allow-list through the hub firewall\'s policy', () => {
    const policyId = '/subscriptions/0/resourceGroups/net/providers/Microsoft.Network/firewallPolicies/hub';
    const { json, stack } = synthAzure(azureSpec({ network: { egress: { mode: EgressMode.FIREWALL, allowedDomains: ['.github.com'] } } }), {
      existingNetwork: { ...existing, egressFirewall: { firewallPolicyId: policyId, nodeSubnetCidrs: ['10.20.1.0/24', '10.20.2.0/24'], priority: 400 } },
    });
    const group = resource(json, 'azurerm_firewall_policy_rule_collection_group');
    expect(group).toEqual(expect.objectContaining({ firewall_policy_id: policyId, priority: 400, name: 'acme-sandbox-egress' }));
    expect(group.application_rule_collection[0].rule[0]).toEqual(expect.objectContaining({
      destination_fqdns: ['github.com', '*.github.com'], source_addresses: ['10.20.1.0/24', '10.20.2.0/24'] }));
    expect(json.resource.azurerm_firewall).toBeUndefined();
    const warnings = Testing.synth(stack) && stack.node.findAll().flatMap((c) => c.node.metadata).map((m) => String(m.data));
    expect(warnings).toEqual(expect.arrayContaining([expect.stringMatching(/route the node subnets' 0\.0\.0\.0\/0 to that firewall/),
      expect.stringMatching(/no VNet flow logs are created/)]));
  });

  it('enforces "none" on the NICs, and warns that "nat" means the subnets\' own egress', () => {
    const none = synthAzure(azureSpec({ network: { egress: { mode: EgressMode.NONE } } }), { existingNetwork: existing }).json;
    const nsg = resource(none, 'azurerm_network_security_group', 'nodes');
    expect(nsg.security_rule.filter((r: any) => r.access === 'Allow')).toEqual([]);
    const { stack } = synthAzure(azureSpec({ network: { zones: 2 } }), { existingNetwork: existing });
    const warnings = stack.node.findAll().flatMap((c) => c.node.metadata).map((m) => String(m.data));
    expect(warnings).toEqual(expect.arrayContaining([expect.stringMatching(/"nat" with existingNetwork: no NAT gateway is created/)]));
  });

  it('maps pinned zones onto the existing subnets, in order', () => {
    const { json } = synthAzure(azureSpec({ network: { availabilityZones: ['2', '3'] } }), { existingNetwork: existing });
    expect(resources(json, VMSS).map(([, v]) => [v.zones, v.network_interface[0].ip_configuration[0].subnet_id])).toEqual([[['2'], '/s/1'], [['3'], '/s/2']]);
    expect(() => synthAzure(azureSpec({ network: { availabilityZones: ['1', '2', '3'] } }), { existingNetwork: existing }))
      .toThrow(/availabilityZones lists 3 zones but existingNetwork\.nodeSubnetIds has 2 subnets/);
  });
});
