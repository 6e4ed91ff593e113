/**
 * Enum-like values the Azure platform computes or takes from its catalogs, checked against the
 * validators of the only azurerm release the stacks' required_providers admits (4.55.0). A value
 * the provider would reject fails `terraform plan`; nothing here can run a plan, so the validators
 * are copied below with the file they come from (hashicorp/terraform-provider-azurerm at v4.55.0,
 * internal/services/...; enum constants from the go-azure-sdk vendored at that tag). When
 * provider-compat raises the azurerm floor, re-read them at the new version.
 */
import { join } from 'path';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import {
  APPLICATION_HEALTH_EXTENSION, AZURE_MONITOR_AGENT_EXTENSION, AzureGpuDriver, AzureSandboxPlatform, NVIDIA_DRIVER_EXTENSION,
} from '../lib/azure';
import { ComplianceProfile, DeploymentModel, EgressMode, GpuModel, SandboxRuntime, Virtualization, loadSpecFile, valuesAt } from '../lib/spec';
import { addAzurePlatform } from '../stacks/azure';
import { STANDBY_PRINCIPAL, VENDOR_PRINCIPAL } from './azure-helpers';

/* eslint-disable @typescript-eslint/no-explicit-any */

type Allowed = { readonly oneOf: readonly (string | number)[] } | { readonly min: number; readonly max: number } | { readonly iso8601Between: [number, number] };
interface Validator { readonly type: string; readonly path: string; readonly allowed: Allowed; readonly source: string }

const V = (type: string, path: string, allowed: Allowed, source: string): Validator => ({ type, path, allowed, source });
const SDK = 'go-azure-sdk (vendored at v4.55.0)';

const AZURERM_4_55_VALIDATORS: readonly Validator[] = [
  V('azurerm_orchestrated_virtual_machine_scale_set', 'os_disk.storage_account_type',
    { oneOf: ['Premium_LRS', 'Premium_ZRS', 'Standard_LRS', 'StandardSSD_LRS', 'StandardSSD_ZRS'] }, 'compute/orchestrated_virtual_machine_scale_set.go (OS disks: no UltraSSD, no PremiumV2)'),
  V('azurerm_orchestrated_virtual_machine_scale_set', 'os_disk.caching', { oneOf: ['None', 'ReadOnly', 'ReadWrite'] }, 'compute/orchestrated_virtual_machine_scale_set.go'),
  V('azurerm_orchestrated_virtual_machine_scale_set', 'priority', { oneOf: ['Regular', 'Spot'] }, 'compute/orchestrated_virtual_machine_scale_set_resource.go'),
  V('azurerm_orchestrated_virtual_machine_scale_set', 'eviction_policy', { oneOf: ['Deallocate', 'Delete'] }, 'compute/orchestrated_virtual_machine_scale_set_resource.go'),
  V('azurerm_orchestrated_virtual_machine_scale_set', 'automatic_instance_repair.action', { oneOf: ['Reimage', 'Replace', 'Restart'] },
    `compute/virtual_machine_scale_set.go (PossibleValuesForRepairAction, ${SDK} compute/2024-11-01)`),
  V('azurerm_orchestrated_virtual_machine_scale_set', 'automatic_instance_repair.grace_period', { iso8601Between: [10, 90] },
    'compute/virtual_machine_scale_set.go (ISO8601DurationBetween("PT10M", "PT90M"))'),
  V('azurerm_virtual_machine_scale_set_standby_pool', 'virtual_machine_state', { oneOf: ['Deallocated', 'Hibernated', 'Running'] },
    `compute/virtual_machine_scale_set_standby_pool_resource.go (${SDK} standbypool/2025-03-01)`),
  V('azurerm_virtual_machine_scale_set_standby_pool', 'elasticity_profile.max_ready_capacity', { min: 0, max: 2000 }, 'compute/virtual_machine_scale_set_standby_pool_resource.go'),
  V('azurerm_virtual_machine_scale_set_standby_pool', 'elasticity_profile.min_ready_capacity', { min: 0, max: 2000 }, 'compute/virtual_machine_scale_set_standby_pool_resource.go'),
  V('azurerm_monitor_autoscale_setting', 'profile.capacity.minimum', { min: 0, max: 1000 }, 'monitor/monitor_autoscale_setting_resource.go'),
  V('azurerm_monitor_autoscale_setting', 'profile.capacity.maximum', { min: 0, max: 1000 }, 'monitor/monitor_autoscale_setting_resource.go'),
  V('azurerm_monitor_autoscale_setting', 'profile.capacity.default', { min: 0, max: 1000 }, 'monitor/monitor_autoscale_setting_resource.go'),
  V('azurerm_key_vault', 'sku_name', { oneOf: ['standard', 'premium'] }, 'keyvault/key_vault_resource.go'),
  V('azurerm_key_vault', 'soft_delete_retention_days', { min: 7, max: 90 }, 'keyvault/key_vault_resource.go'),
  V('azurerm_key_vault_key', 'key_type', { oneOf: ['EC', 'EC-HSM', 'RSA', 'RSA-HSM'] }, 'keyvault/key_vault_key_resource.go'),
  // key_size has no validator in azurerm; Key Vault accepts RSA 2048, 3072 and 4096 (learn.microsoft.com/azure/key-vault/keys/about-keys-details).
  V('azurerm_key_vault_key', 'key_size', { oneOf: [2048, 3072, 4096] }, 'no azurerm validator; Key Vault RSA key sizes (about-keys-details)'),
  V('azurerm_key_vault_key', 'key_opts', { oneOf: ['decrypt', 'encrypt', 'sign', 'unwrapKey', 'verify', 'wrapKey'] }, 'keyvault/key_vault_key_resource.go'),
  V('azurerm_disk_encryption_set', 'encryption_type',
    { oneOf: ['EncryptionAtRestWithCustomerKey', 'EncryptionAtRestWithPlatformAndCustomerKeys', 'ConfidentialVmEncryptedWithCustomerKey'] }, 'compute/disk_encryption_set_resource.go'),
  V('azurerm_storage_account', 'account_kind', { oneOf: ['BlobStorage', 'BlockBlobStorage', 'FileStorage', 'Storage', 'StorageV2'] },
    `storage/storage_account_resource.go (PossibleValuesForKind, ${SDK} storage/2023-05-01)`),
  V('azurerm_storage_account', 'account_tier', { oneOf: ['Premium', 'Standard'] }, 'storage/storage_account_resource.go (PossibleValuesForSkuTier)'),
  V('azurerm_storage_account', 'account_replication_type', { oneOf: ['LRS', 'ZRS', 'GRS', 'RAGRS', 'GZRS', 'RAGZRS'] }, 'storage/storage_account_resource.go'),
  V('azurerm_storage_account', 'min_tls_version', { oneOf: ['TLS1_2'] }, 'storage/storage_account_resource.go (v4: TLS1_2 only)'),
  V('azurerm_storage_container', 'container_access_type', { oneOf: ['blob', 'container', 'private'] }, 'storage/storage_container_resource.go'),
  V('azurerm_storage_container_immutability_policy', 'immutability_period_in_days', { min: 1, max: 146000 }, 'storage/storage_container_immutability_policy_resource.go'),
  V('azurerm_firewall', 'sku_name', { oneOf: ['AZFW_Hub', 'AZFW_VNet'] }, 'firewall/firewall_resource.go'),
  V('azurerm_firewall', 'sku_tier', { oneOf: ['Premium', 'Standard', 'Basic'] }, 'firewall/firewall_resource.go'),
  V('azurerm_firewall', 'threat_intel_mode', { oneOf: ['Off', 'Alert', 'Deny', ''] }, 'firewall/firewall_resource.go'),
  V('azurerm_firewall_policy', 'sku', { oneOf: ['Premium', 'Standard', 'Basic'] }, 'firewall/firewall_policy_resource.go'),
  V('azurerm_firewall_policy', 'threat_intelligence_mode', { oneOf: ['Alert', 'Deny', 'Off'] }, 'firewall/firewall_policy_resource.go'),
  V('azurerm_firewall_policy_rule_collection_group', 'priority', { min: 100, max: 65000 }, 'firewall/firewall_policy_rule_collection_group_resource.go'),
  V('azurerm_firewall_policy_rule_collection_group', 'application_rule_collection.priority', { min: 100, max: 65000 }, 'firewall/firewall_policy_rule_collection_group_resource.go'),
  V('azurerm_firewall_policy_rule_collection_group', 'network_rule_collection.priority', { min: 100, max: 65000 }, 'firewall/firewall_policy_rule_collection_group_resource.go'),
  V('azurerm_firewall_policy_rule_collection_group', 'application_rule_collection.action', { oneOf: ['Allow', 'Deny'] }, 'firewall/firewall_policy_rule_collection_group_resource.go'),
  V('azurerm_firewall_policy_rule_collection_group', 'application_rule_collection.rule.protocols.type', { oneOf: ['Http', 'Https', 'Mssql'] }, 'firewall/firewall_policy_rule_collection_group_resource.go'),
  V('azurerm_firewall_policy_rule_collection_group', 'application_rule_collection.rule.protocols.port', { min: 0, max: 64000 }, 'firewall/firewall_policy_rule_collection_group_resource.go'),
  V('azurerm_firewall_policy_rule_collection_group', 'network_rule_collection.rule.protocols', { oneOf: ['Any', 'TCP', 'UDP', 'ICMP'] }, 'firewall/firewall_policy_rule_collection_group_resource.go'),
  V('azurerm_public_ip', 'sku', { oneOf: ['Basic', 'Standard'] }, 'network/public_ip_resource.go'),
  V('azurerm_public_ip', 'allocation_method', { oneOf: ['Static', 'Dynamic'] }, 'network/public_ip_resource.go'),
  V('azurerm_nat_gateway', 'sku_name', { oneOf: ['Standard'] }, 'network/nat_gateway_resource.go'),
  V('azurerm_nat_gateway', 'idle_timeout_in_minutes', { min: 4, max: 120 }, 'network/nat_gateway_resource.go'),
  V('azurerm_route_table', 'route.next_hop_type', { oneOf: ['VirtualNetworkGateway', 'VnetLocal', 'Internet', 'VirtualAppliance', 'None'] }, 'network/route_table_resource.go'),
  V('azurerm_network_security_group', 'security_rule.protocol', { oneOf: ['*', 'Tcp', 'Udp', 'Icmp', 'Ah', 'Esp'] }, 'network/network_security_group_resource.go'),
  V('azurerm_network_security_group', 'security_rule.direction', { oneOf: ['Inbound', 'Outbound'] }, 'network/network_security_group_resource.go'),
  V('azurerm_network_security_group', 'security_rule.access', { oneOf: ['Allow', 'Deny'] }, 'network/network_security_group_resource.go'),
  V('azurerm_network_security_group', 'security_rule.priority', { min: 100, max: 4096 }, 'network/network_security_group_resource.go'),
  V('azurerm_network_watcher_flow_log', 'version', { min: 1, max: 2 }, 'network/network_watcher_flow_log_resource.go'),
  V('azurerm_network_watcher_flow_log', 'traffic_analytics.interval_in_minutes', { oneOf: [10, 60] }, 'network/network_watcher_flow_log_resource.go'),
  V('azurerm_log_analytics_workspace', 'sku', { oneOf: ['PerGB2018', 'PerNode', 'Premium', 'Standalone', 'Standard', 'CapacityReservation', 'LACluster', 'Unlimited'] },
    'loganalytics/log_analytics_workspace_resource.go'),
  V('azurerm_log_analytics_workspace', 'retention_in_days', { min: 30, max: 730 }, 'loganalytics/log_analytics_workspace_resource.go'),
  V('azurerm_log_analytics_workspace_table', 'plan', { oneOf: ['Analytics', 'Basic'] }, 'loganalytics/log_analytics_workspace_table_resource.go'),
  V('azurerm_log_analytics_workspace_table', 'retention_in_days', { min: 4, max: 730 }, 'loganalytics/log_analytics_workspace_table_resource.go'),
  V('azurerm_log_analytics_workspace_table', 'total_retention_in_days',
    { oneOf: [...Array.from({ length: 727 }, (_, i) => i + 4), 1095, 1460, 1826, 2191, 2556, 2922, 3288, 3653, 4018, 4383] }, 'loganalytics/log_analytics_workspace_table_resource.go'),
  V('azurerm_monitor_data_collection_rule', 'kind', { oneOf: ['Linux', 'Windows', 'AgentDirectToStore', 'WorkspaceTransforms'] }, 'monitor/monitor_data_collection_rule_resource.go'),
  V('azurerm_monitor_data_collection_rule', 'data_sources.syslog.facility_names', { oneOf: ['alert', '*', 'audit', 'auth', 'authpriv', 'clock', 'cron', 'daemon', 'ftp', 'kern',
    'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7', 'lpr', 'mail', 'mark', 'news', 'nopri', 'ntp', 'syslog', 'user', 'uucp'] },
    `monitor/monitor_data_collection_rule_resource.go (${SDK} insights/2023-03-11 KnownSyslogDataSourceFacilityNames)`),
  V('azurerm_monitor_data_collection_rule', 'data_sources.syslog.log_levels', { oneOf: ['Alert', '*', 'Critical', 'Debug', 'Emergency', 'Error', 'Info', 'Notice', 'Warning'] },
    `monitor/monitor_data_collection_rule_resource.go (${SDK} insights/2023-03-11 KnownSyslogDataSourceLogLevels)`),
  V('azurerm_monitor_diagnostic_setting', 'log_analytics_destination_type', { oneOf: ['Dedicated', 'AzureDiagnostics'] }, 'monitor/monitor_diagnostic_setting_resource.go'),
  V('azurerm_monitor_metric_alert', 'frequency', { oneOf: ['PT1M', 'PT5M', 'PT15M', 'PT30M', 'PT1H'] }, 'monitor/monitor_metric_alert_resource.go'),
  V('azurerm_monitor_metric_alert', 'window_size', { oneOf: ['PT1M', 'PT5M', 'PT15M', 'PT30M', 'PT1H', 'PT6H', 'PT12H', 'P1D'] }, 'monitor/monitor_metric_alert_resource.go'),
  V('azurerm_monitor_metric_alert', 'severity', { min: 0, max: 4 }, 'monitor/monitor_metric_alert_resource.go'),
  V('azurerm_monitor_metric_alert', 'criteria.aggregation', { oneOf: ['Average', 'Count', 'Minimum', 'Maximum', 'Total'] }, 'monitor/monitor_metric_alert_resource.go'),
  V('azurerm_monitor_metric_alert', 'criteria.operator', { oneOf: ['Equals', 'GreaterThan', 'GreaterThanOrEqual', 'LessThan', 'LessThanOrEqual'] }, 'monitor/monitor_metric_alert_resource.go'),
  V('azurerm_monitor_scheduled_query_rules_alert_v2', 'evaluation_frequency',
    { oneOf: ['PT1M', 'PT5M', 'PT10M', 'PT15M', 'PT30M', 'PT45M', 'PT1H', 'PT2H', 'PT3H', 'PT4H', 'PT5H', 'PT6H', 'P1D'] }, 'monitor/monitor_scheduled_query_rules_alert_v2_resource.go'),
  V('azurerm_monitor_scheduled_query_rules_alert_v2', 'window_duration',
    { oneOf: ['PT1M', 'PT5M', 'PT10M', 'PT15M', 'PT30M', 'PT45M', 'PT1H', 'PT2H', 'PT3H', 'PT4H', 'PT5H', 'PT6H', 'P1D', 'P2D'] }, 'monitor/monitor_scheduled_query_rules_alert_v2_resource.go'),
  V('azurerm_monitor_scheduled_query_rules_alert_v2', 'severity', { min: 0, max: 4 }, 'monitor/monitor_scheduled_query_rules_alert_v2_resource.go'),
  V('azurerm_monitor_scheduled_query_rules_alert_v2', 'criteria.time_aggregation_method', { oneOf: ['Count', 'Average', 'Minimum', 'Maximum', 'Total'] },
    'monitor/monitor_scheduled_query_rules_alert_v2_resource.go'),
  V('azurerm_monitor_scheduled_query_rules_alert_v2', 'criteria.operator', { oneOf: ['Equal', 'GreaterThan', 'GreaterThanOrEqual', 'LessThan', 'LessThanOrEqual'] },
    'monitor/monitor_scheduled_query_rules_alert_v2_resource.go'),
];

function violation(v: Validator, value: unknown): string | undefined {
  const a = v.allowed;
  if ('oneOf' in a) return a.oneOf.includes(value as string | number) ? undefined : `${JSON.stringify(value)} is not one of ${a.oneOf.slice(0, 12).join(', ')}`;
  if ('min' in a) return typeof value === 'number' && value >= a.min && value <= a.max ? undefined : `${JSON.stringify(value)} is outside ${a.min}..${a.max}`;
  const m = typeof value === 'string' ? /^PT(\d+)M$/.exec(value) : null;
  return m && Number(m[1]) >= a.iso8601Between[0] && Number(m[1]) <= a.iso8601Between[1] ? undefined : `${JSON.stringify(value)} is not PT${a.iso8601Between[0]}M..PT${a.iso8601Between[1]}M`;
}

/** Every literal value at each validator's path in `json`, checked; returns problems and how many values were checked. */
function checkValues(json: any): { problems: string[]; checked: Set<string> } {
  const problems: string[] = [];
  const checked = new Set<string>();
  for (const v of AZURERM_4_55_VALIDATORS) {
    for (const [id, config] of Object.entries(json.resource[v.type] ?? {})) {
      for (const value of valuesAt(config, v.path)) {
        if (typeof value === 'string' && value.includes('${')) continue;
        checked.add(`${v.type}.${v.path}`);
        const problem = violation(v, value);
        if (problem) problems.push(`${v.type}.${id} ${v.path}: ${problem} (azurerm v4.55.0 ${v.source})`);
      }
    }
  }
  return { problems, checked };
}

function synthAll(): any[] {
  const out: any[] = [];
  const file = join(__dirname, '..', 'stacks', 'specs', 'azure-byoc-hipaa.json');
  const ref = new TerraformStack(Testing.app(), 'ref');
  addAzurePlatform(ref, file, loadSpecFile(file));
  out.push(JSON.parse(Testing.synth(ref)));
  for (const egress of [EgressMode.NAT, EgressMode.FIREWALL, EgressMode.NONE]) {
    const stack = new TerraformStack(Testing.app(), `all-${egress}`);
    new AzurermProvider(stack, 'azurerm', { features: [{}] });
    new AzureSandboxPlatform(stack, 'p', {
      location: 'eastus', standbyPoolPrincipalId: STANDBY_PRINCIPAL, gpuDriver: egress === EgressMode.NONE ? AzureGpuDriver.IMAGE : undefined,
      spec: {
        name: 'all-pools', deployment: DeploymentModel.BYOC, compliance: ComplianceProfile.HIPAA, controlPlane: { principal: VENDOR_PRINCIPAL },
        network: egress === EgressMode.FIREWALL ? { egress: { mode: egress, allowedDomains: ['pypi.org'] } } : { egress: { mode: egress } },
        sandboxPools: [
          { name: 'fc', runtime: SandboxRuntime.FIRECRACKER, virtualization: Virtualization.NESTED, instanceType: 'Standard_D16s_v5', minNodes: 1, maxNodes: 4, warmNodes: 1 },
          { name: 'kata', runtime: SandboxRuntime.KATA, instanceType: 'Standard_D8_v3', maxNodes: 2 },
          { name: 'gv', runtime: SandboxRuntime.GVISOR, maxNodes: 2, spot: true },
        ],
        gpuPools: [{ name: 't4', gpu: GpuModel.T4, maxNodes: 1 }, { name: 'h100', gpu: GpuModel.H100, gpusPerNode: 8, maxNodes: 1 }],
      },
    });
    out.push(JSON.parse(Testing.synth(stack)));
  }
  return out;
}

describe('Azure values against the azurerm 4.55.0 validators', () => {
  const stacks = synthAll();

  it('pins azurerm to the release these validators were read from', () => {
    for (const json of stacks) expect(json.terraform.required_providers.azurerm).toEqual({ source: 'azurerm', version: '4.55.0' });
  });

  it('synthesizes only values the validators accept', () => {
    const all = stacks.map(checkValues);
    expect(all.flatMap((r) => r.problems)).toEqual([]);
    // Every validator met at least one value: the table describes what the stacks really set.
    const seen = new Set(all.flatMap((r) => [...r.checked]));
    expect(AZURERM_4_55_VALIDATORS.map((v) => `${v.type}.${v.path}`).filter((k) => !seen.has(k))).toEqual([]);
  });

  it('detects a value the provider would reject', () => {
    const bad = { resource: { azurerm_monitor_metric_alert: { a: { criteria: [{ aggregation: 'Max' }] } }, azurerm_nat_gateway: { n: { idle_timeout_in_minutes: 2 } } } };
    expect(checkValues(bad).problems).toEqual([
      expect.stringMatching(/^azurerm_nat_gateway\.n idle_timeout_in_minutes: 2 is outside 4\.\.120/),
      expect.stringMatching(/^azurerm_monitor_metric_alert\.a criteria\.aggregation: "Max" is not one of/),
    ]);
  });

  it('uses the VM extension coordinates their documentation gives (azurerm does not validate them)', () => {
    // learn.microsoft.com/azure/virtual-machines/extensions/hpccompute-gpu-linux (Extension schema),
    // .../azure-monitor/agents/azure-monitor-agent-manage, .../virtual-machine-scale-sets/virtual-machine-scale-sets-health-extension.
    expect(NVIDIA_DRIVER_EXTENSION).toEqual({ publisher: 'Microsoft.HpcCompute', type: 'NvidiaGpuDriverLinux', typeHandlerVersion: '1.6' });
    expect(AZURE_MONITOR_AGENT_EXTENSION).toEqual({ publisher: 'Microsoft.Azure.Monitor', type: 'AzureMonitorLinuxAgent', typeHandlerVersion: '1.0' });
    expect(APPLICATION_HEALTH_EXTENSION).toEqual({ publisher: 'Microsoft.ManagedServices', type: 'ApplicationHealthLinux', typeHandlerVersion: '2.0' });
  });
});
