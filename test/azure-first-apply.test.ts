/**
 * Issue 9 on Azure: what the first `terraform apply` needs (review findings 1-14 of
 * reviews/azure.md). Each test fails on the output of commit 98831f8.
 */
import { SandboxCompliance } from '../lib/compliance';
import { BootstrapMarker } from '../lib/host';
import { AZURE_RBAC_PROPAGATION, STANDBY_POOL_ROLES, failureLines } from '../lib/azure';
import { ComplianceProfile, EgressMode, SandboxRuntime } from '../lib/spec';
import { azureSpec, resource, resources, STANDBY_PRINCIPAL, synthAzure } from './azure-helpers';

/* eslint-disable @typescript-eslint/no-explicit-any */
const VMSS = 'azurerm_orchestrated_virtual_machine_scale_set';
const ref = (type: string, id: string) => `${type}.${id}`;
const idOf = (json: any, type: string, fragment: string) => resources(json, type).find(([id]) => id.includes(fragment))![0];

describe('Azure first apply: role propagation (finding 8)', () => {
  const warm = azureSpec({ sandboxPools: [{ name: 'fc', runtime: SandboxRuntime.FIRECRACKER, minNodes: 1, maxNodes: 4, warmNodes: 1 }] });
  const { json } = synthAzure(warm);
  const sleep = (fragment: string) => resource(json, 'time_sleep', fragment);

  it('waits the documented 10 minutes after each grant used in the same apply', () => {
    expect(AZURE_RBAC_PROPAGATION).toBe('10m');
    for (const fragment of ['deployer-crypto-officer-propagation', 'des-key-access-propagation', 'storage-key-access-propagation', 'standby-pool-access_propagation']) {
      expect(sleep(fragment).create_duration).toBe('10m');
    }
    expect(sleep('deployer-crypto-officer-propagation').depends_on).toEqual([ref('azurerm_role_assignment', idOf(json, 'azurerm_role_assignment', 'deployer-crypto-officer'))]);
    expect(sleep('deployer-crypto-officer-propagation').triggers).toEqual({ grant_0: expect.stringMatching(/azurerm_role_assignment\.platform_keys_deployer-crypto-officer_\w+\.id/) });
    expect(json.terraform.required_providers.time).toEqual(expect.objectContaining({ source: 'hashicorp/time' }));
  });

  it('creates the key only after the deployer\'s Crypto Officer grant has propagated and the vault is reachable privately', () => {
    expect(resource(json, 'azurerm_key_vault_key').depends_on).toEqual([
      ref('time_sleep', idOf(json, 'time_sleep', 'deployer-crypto-officer')),
      ref('azurerm_private_endpoint', idOf(json, 'azurerm_private_endpoint', 'endpoint-key-vault')),
      ...resources(json, 'azurerm_private_dns_zone_virtual_network_link').map(([id]) => ref('azurerm_private_dns_zone_virtual_network_link', id)),
    ]);
  });

  it('creates storage accounts (CMK checked at creation) after the storage identity\'s grant has propagated', () => {
    const wait = ref('time_sleep', idOf(json, 'time_sleep', 'storage-key-access'));
    for (const [, sa] of resources(json, 'azurerm_storage_account')) expect(sa.depends_on).toEqual([wait]);
  });

  it('creates scale sets after the disk encryption set\'s grant has propagated', () => {
    const wait = ref('time_sleep', idOf(json, 'time_sleep', 'des-key-access'));
    for (const [, v] of resources(json, VMSS)) expect(v.depends_on).toEqual([wait]);
  });
});

describe('Azure first apply: standby pools (findings 1, 3, 4)', () => {
  const warm = azureSpec({ sandboxPools: [{ name: 'fc', runtime: SandboxRuntime.FIRECRACKER, minNodes: 2, maxNodes: 6, warmNodes: 3 }] });
  const { json } = synthAzure(warm);

  it('grants the Standby Pool resource provider its roles and creates the pools only after they propagated', () => {
    const grants = Object.fromEntries(resources(json, 'azurerm_role_assignment').filter(([id]) => id.includes('standby-pool-access'))
      .map(([, g]) => [g.role_definition_name, g]));
    expect(Object.keys(grants).sort()).toEqual(Object.values(STANDBY_POOL_ROLES).sort());
    for (const g of Object.values(grants) as any[]) expect([g.principal_id, g.principal_type]).toEqual([STANDBY_PRINCIPAL, 'ServicePrincipal']);
    expect(grants[STANDBY_POOL_ROLES.virtualMachineContributor].scope).toMatch(/^\$\{azurerm_resource_group\.[\w-]+\.id\}$/);
    expect(grants[STANDBY_POOL_ROLES.networkContributor].scope).toMatch(/^\$\{azurerm_virtual_network\.[\w-]+\.id\}$/);
    expect(grants[STANDBY_POOL_ROLES.managedIdentityOperator].scope).toMatch(/^\$\{azurerm_user_assigned_identity\.platform_node-identity_[\w-]+\.id\}$/);
    expect(grants[STANDBY_POOL_ROLES.reader].scope).toMatch(/^\$\{azurerm_disk_encryption_set\.[\w-]+\.id\}$/);
    const wait = ref('time_sleep', idOf(json, 'time_sleep', 'standby-pool-access'));
    expect(resource(json, 'time_sleep', 'standby-pool-access').depends_on).toHaveLength(4);
    for (const [, pool] of resources(json, 'azurerm_virtual_machine_scale_set_standby_pool')) expect(pool.depends_on).toEqual([wait]);
  });

  it('keeps each zone\'s warm nodes: max ready = zone minimum + warm, min ready = warm', () => {
    const pools = resources(json, 'azurerm_virtual_machine_scale_set_standby_pool').map(([, p]) => p.elasticity_profile);
    // 2 min / 3 warm over 3 zones: mins [1, 1, 0], warms [1, 1, 1].
    expect(pools).toEqual([
      { max_ready_capacity: 2, min_ready_capacity: 1 }, { max_ready_capacity: 2, min_ready_capacity: 1 }, { max_ready_capacity: 1, min_ready_capacity: 1 },
    ]);
  });

  it('refuses warm nodes without the provider\'s object id, saying how to find it', () => {
    expect(() => synthAzure(warm, { standbyPoolPrincipalId: undefined })).toThrow(
      /pools fc keep warm nodes in standby pools.*pass standbyPoolPrincipalId.*az ad sp list --display-name "Standby Pool Resource Provider"/);
    // No warm nodes: no grants, no wait, no principal needed.
    const cold = synthAzure(azureSpec(), { standbyPoolPrincipalId: undefined }).json;
    expect(resources(cold, 'azurerm_role_assignment').filter(([id]) => id.includes('standby'))).toEqual([]);
  });
});

describe('Azure first apply: Key Vault reach (finding 2)', () => {
  it('opens the vault to the runner\'s ranges only and records the exception on the vault', () => {
    const { stack, json } = synthAzure(azureSpec(), { deployerIpRanges: ['203.0.113.7', '198.51.100.0/28'] });
    const kv = resource(json, 'azurerm_key_vault');
    expect(kv.public_network_access_enabled).toBe(true);
    expect(kv.network_acls).toEqual({ default_action: 'Deny', bypass: 'AzureServices', ip_rules: ['203.0.113.7', '198.51.100.0/28'] });
    const suppressions = SandboxCompliance.suppressionsOf(stack).filter((x) => x.ruleId === 'AZ-KV');
    expect(suppressions).toEqual([expect.objectContaining({ ruleId: 'AZ-KV', constructPath: 'test/platform/keys/vault',
      reason: expect.stringMatching(/data plane.*deployer IP ranges only/) })]);
  });

  it('keeps the vault private without ranges, and rejects a range that is not IPv4', () => {
    expect(resource(synthAzure(azureSpec()).json, 'azurerm_key_vault').public_network_access_enabled).toBe(false);
    expect(() => synthAzure(azureSpec(), { deployerIpRanges: ['2001:db8::/48', 'runner'] })).toThrow(
      /deployerIpRanges\[0\] "2001:db8::\/48" is not an IPv4 address or CIDR.*deployerIpRanges\[1\] "runner"/);
  });
});

describe('Azure first apply: capacity and alerts (findings 9, 13)', () => {
  const { json } = synthAzure(azureSpec());

  it('gives autoscale bounds only: no CPU rule can fight the control plane or wait forever on an empty zone', () => {
    for (const [, a] of resources(json, 'azurerm_monitor_autoscale_setting')) {
      expect(a.profile).toEqual([{ name: 'bounds', capacity: expect.objectContaining({ minimum: expect.any(Number), maximum: expect.any(Number) }) }]);
    }
  });

  it('counts each bootstrap failure once: the "ERROR <marker>:" line, records ingested since the last run', () => {
    const kvm = resource(json, 'azurerm_monitor_scheduled_query_rules_alert_v2', 'kvm-missing');
    const failed = resource(json, 'azurerm_monitor_scheduled_query_rules_alert_v2', 'bootstrap-failed');
    expect(kvm.criteria[0].query).toContain('SyslogMessage contains "ERROR SANDBOX_KVM_MISSING:"');
    expect(failed.criteria[0].query).toContain('SyslogMessage contains "ERROR SANDBOX_BOOTSTRAP_FAILED:"');
    for (const alert of [kvm, failed]) {
      expect(alert.criteria[0].query).toMatch(/\| where ingestion_time\(\) > ago\(5m\)$/);
      expect([alert.evaluation_frequency, alert.window_duration]).toEqual(['PT5M', 'PT15M']);
    }
    // The lines a KVM failure logs (lib/host/bootstrap.ts sandbox_fail): one matches each alert.
    const lines = [
      'sandbox-bootstrap[acme/fc] kvm: ERROR SANDBOX_KVM_MISSING: /dev/kvm missing: KVM module did not load',
      'sandbox-bootstrap[acme/fc] kvm: ERROR SANDBOX_BOOTSTRAP_FAILED: SANDBOX_KVM_MISSING',
    ];
    const matches = (marker: BootstrapMarker) => lines.filter((l) => l.includes(`ERROR ${marker}:`)).length;
    expect([matches(BootstrapMarker.KVM_MISSING), matches(BootstrapMarker.BOOTSTRAP_FAILED)]).toEqual([1, 1]);
    // The old query (`has "SANDBOX_KVM_MISSING"`) matched both lines.
    expect(lines.filter((l) => l.includes('SANDBOX_KVM_MISSING'))).toHaveLength(2);
    expect(failureLines('Syslog', BootstrapMarker.GPU_DRIVER_MISSING)).toContain('"ERROR SANDBOX_GPU_DRIVER_MISSING:"');
  });
});

describe('Azure first apply: zones the spec pins', () => {
  it('puts subnets, NAT gateways and scale sets in network.availabilityZones (they were ignored)', () => {
    const { json } = synthAzure(azureSpec({ compliance: ComplianceProfile.HIPAA, network: { availabilityZones: ['2', '3'] } }));
    expect(resources(json, 'azurerm_nat_gateway').map(([, n]) => n.zones)).toEqual([['2'], ['3']]);
    expect(resources(json, VMSS).map(([, v]) => [v.name, v.zones])).toEqual([['acme-fc-z2', ['2']], ['acme-fc-z3', ['3']]]);
  });

  it('puts the firewall in the pinned zones too', () => {
    const { json } = synthAzure(azureSpec({ network: { availabilityZones: ['1', '3'], egress: { mode: EgressMode.FIREWALL, allowedDomains: ['pypi.org'] } } }));
    expect(resource(json, 'azurerm_firewall').zones).toEqual(['1', '3']);
  });
});
