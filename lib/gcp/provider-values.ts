/**
 * Enum-like values the GCP platform computes or takes from its catalogs, with the values the google
 * provider's validators accept for the versions required_providers admits: exactly 6.50.0 (the
 * prebuilt bindings), or >= 7.32.0, < 8.0.0 once a bare-metal pool raises the floor
 * (provider-compat setGoogleIdpfNic). Each entry names the provider file and validator; where the
 * provider passes the string through, the API's documented values and the page are given instead
 * (then `validatedBy` is "api"). Pure data: no cdktf imports.
 */

export interface GcpProviderValues {
  /** Resource type. */
  readonly resource: string;
  /** Dot path of the attribute in the synthesized resource (lists are walked). */
  readonly attribute: string;
  /** Accepted values, and the first google release that accepts each one when later than 6.50.0. */
  readonly values: string[];
  readonly since?: { readonly [value: string]: string };
  /** "provider": a ValidateFunc rejects other values at plan; "api": the API rejects them at apply. */
  readonly validatedBy: 'provider' | 'api';
  readonly source: string;
}

const IT = 'google/services/compute/resource_compute_instance_template.go';
const RIGM = 'google/services/compute/resource_compute_region_instance_group_manager.go';
const MAP = 'google/services/monitoring/resource_monitoring_alert_policy.go';

export const GCP_PROVIDER_VALUES: readonly GcpProviderValues[] = [
  {
    resource: 'google_compute_instance_template', attribute: 'network_interface.nic_type', validatedBy: 'provider',
    values: ['GVNIC', 'VIRTIO_NET', 'MRDMA', 'IRDMA', 'IDPF'], since: { IDPF: '7.32.0' },
    source: `${IT} nic_type StringInSlice: GVNIC, VIRTIO_NET, MRDMA, IRDMA at v6.50.0..v7.31.0; IDPF added in v7.32.0 (PR #27244)`,
  },
  {
    resource: 'google_compute_instance_template', attribute: 'network_interface.stack_type', validatedBy: 'provider',
    values: ['IPV4_ONLY', 'IPV4_IPV6', 'IPV6_ONLY'], source: `${IT} stack_type StringInSlice (v6.50.0, v7.45.0)`,
  },
  {
    resource: 'google_compute_instance_template', attribute: 'disk.disk_type', validatedBy: 'api',
    values: ['pd-standard', 'pd-balanced', 'pd-ssd', 'pd-extreme', 'hyperdisk-balanced', 'hyperdisk-extreme', 'hyperdisk-throughput', 'local-ssd'],
    source: 'Compute disk types (cloud.google.com/compute/docs/disks); per series: general-purpose-machines and accelerator-optimized-machines pages (lib/gcp/machine.ts)',
  },
  {
    resource: 'google_compute_instance_template', attribute: 'disk.type', validatedBy: 'api',
    values: ['PERSISTENT', 'SCRATCH'], source: 'Compute API AttachedDisk.type (instanceTemplates); 7.0 upgrade guide: the API, not the provider, defaults it',
  },
  {
    resource: 'google_compute_instance_template', attribute: 'disk.interface', validatedBy: 'api',
    values: ['SCSI', 'NVME'], source: 'Compute API AttachedDisk.interface',
  },
  {
    resource: 'google_compute_instance_template', attribute: 'scheduling.on_host_maintenance', validatedBy: 'api',
    values: ['MIGRATE', 'TERMINATE'], source: 'Compute API Scheduling.onHostMaintenance (the provider passes it through: no ValidateFunc in v6.50.0/v7.45.0)',
  },
  {
    resource: 'google_compute_instance_template', attribute: 'scheduling.provisioning_model', validatedBy: 'api',
    values: ['STANDARD', 'SPOT'], source: 'Compute API Scheduling.provisioningModel (no ValidateFunc in v6.50.0/v7.45.0)',
  },
  {
    resource: 'google_compute_instance_template', attribute: 'scheduling.instance_termination_action', validatedBy: 'api',
    values: ['DELETE', 'STOP'], source: 'Compute API Scheduling.instanceTerminationAction',
  },
  {
    resource: 'google_compute_region_instance_group_manager', attribute: 'distribution_policy_target_shape', validatedBy: 'api',
    values: ['EVEN', 'BALANCED', 'ANY', 'ANY_SINGLE_ZONE'],
    source: 'cloud.google.com/compute/docs/instance-groups/regional-mig-distribution-shape (no ValidateFunc in v6.50.0/v7.45.0)',
  },
  {
    resource: 'google_compute_region_instance_group_manager', attribute: 'update_policy.instance_redistribution_type', validatedBy: 'provider',
    values: ['PROACTIVE', 'NONE'], source: `${RIGM} StringInSlice PROACTIVE, NONE, "" (v6.50.0, v7.32.0, v7.45.0)`,
  },
  {
    resource: 'google_compute_region_instance_group_manager', attribute: 'update_policy.minimal_action', validatedBy: 'provider',
    values: ['NONE', 'REFRESH', 'RESTART', 'REPLACE'], source: `${RIGM} StringInSlice (v6.50.0, v7.32.0, v7.45.0)`,
  },
  {
    resource: 'google_compute_region_instance_group_manager', attribute: 'update_policy.most_disruptive_allowed_action', validatedBy: 'provider',
    values: ['NONE', 'REFRESH', 'RESTART', 'REPLACE'], source: `${RIGM} StringInSlice (v6.50.0, v7.32.0, v7.45.0)`,
  },
  {
    resource: 'google_compute_region_instance_group_manager', attribute: 'update_policy.replacement_method', validatedBy: 'provider',
    values: ['RECREATE', 'SUBSTITUTE'], source: `${RIGM} StringInSlice (v6.50.0, v7.32.0, v7.45.0)`,
  },
  {
    resource: 'google_compute_region_instance_group_manager', attribute: 'instance_lifecycle_policy.default_action_on_failure', validatedBy: 'provider',
    values: ['REPAIR', 'DO_NOTHING'], source: `${RIGM} StringInSlice (v6.50.0, v7.32.0, v7.45.0)`,
  },
  {
    resource: 'google_compute_region_instance_group_manager', attribute: 'instance_lifecycle_policy.force_update_on_repair', validatedBy: 'provider',
    values: ['YES', 'NO'], source: `${RIGM} StringInSlice (v6.50.0, v7.32.0, v7.45.0)`,
  },
  {
    resource: 'google_compute_region_instance_group_manager', attribute: 'standby_policy.mode', validatedBy: 'provider',
    values: ['MANUAL', 'SCALE_OUT_POOL'], source: `${RIGM} StringInSlice (v6.50.0, v7.32.0, v7.45.0)`,
  },
  {
    resource: 'google_monitoring_alert_policy', attribute: 'severity', validatedBy: 'provider',
    values: ['CRITICAL', 'ERROR', 'WARNING'], source: `${MAP} ValidateEnum (v6.50.0, v7.32.0, v7.45.0)`,
  },
  {
    resource: 'google_monitoring_alert_policy', attribute: 'combiner', validatedBy: 'provider',
    values: ['AND', 'OR', 'AND_WITH_MATCHING_RESOURCE'], source: `${MAP} ValidateEnum (v6.50.0, v7.32.0, v7.45.0)`,
  },
  {
    resource: 'google_monitoring_alert_policy', attribute: 'conditions.condition_threshold.comparison', validatedBy: 'provider',
    values: ['COMPARISON_GT', 'COMPARISON_GE', 'COMPARISON_LT', 'COMPARISON_LE', 'COMPARISON_EQ', 'COMPARISON_NE'], source: `${MAP} ValidateEnum`,
  },
  {
    resource: 'google_monitoring_alert_policy', attribute: 'conditions.condition_threshold.aggregations.per_series_aligner', validatedBy: 'provider',
    values: ['ALIGN_NONE', 'ALIGN_DELTA', 'ALIGN_RATE', 'ALIGN_SUM', 'ALIGN_MAX', 'ALIGN_MIN', 'ALIGN_MEAN', 'ALIGN_COUNT'], source: `${MAP} ValidateEnum (subset)`,
  },
  {
    resource: 'google_monitoring_alert_policy', attribute: 'conditions.condition_threshold.aggregations.cross_series_reducer', validatedBy: 'provider',
    values: ['REDUCE_NONE', 'REDUCE_MEAN', 'REDUCE_MIN', 'REDUCE_MAX', 'REDUCE_SUM', 'REDUCE_COUNT'], source: `${MAP} ValidateEnum (subset)`,
  },
  {
    resource: 'google_kms_crypto_key', attribute: 'version_template.protection_level', validatedBy: 'api',
    values: ['SOFTWARE', 'HSM', 'EXTERNAL', 'EXTERNAL_VPC'], source: 'Cloud KMS ProtectionLevel',
  },
  {
    resource: 'google_compute_subnetwork', attribute: 'log_config.aggregation_interval', validatedBy: 'provider',
    values: ['INTERVAL_5_SEC', 'INTERVAL_30_SEC', 'INTERVAL_1_MIN', 'INTERVAL_5_MIN', 'INTERVAL_10_MIN', 'INTERVAL_15_MIN'],
    source: 'google/services/compute/resource_compute_subnetwork.go ValidateEnum',
  },
  {
    resource: 'google_compute_subnetwork', attribute: 'log_config.metadata', validatedBy: 'provider',
    values: ['EXCLUDE_ALL_METADATA', 'INCLUDE_ALL_METADATA', 'CUSTOM_METADATA'], source: 'google/services/compute/resource_compute_subnetwork.go ValidateEnum',
  },
  {
    resource: 'google_compute_network', attribute: 'network_firewall_policy_enforcement_order', validatedBy: 'provider',
    values: ['BEFORE_CLASSIC_FIREWALL', 'AFTER_CLASSIC_FIREWALL'], source: 'google/services/compute/resource_compute_network.go ValidateEnum',
  },
  {
    resource: 'google_compute_network_firewall_policy_rule', attribute: 'direction', validatedBy: 'provider',
    values: ['INGRESS', 'EGRESS'], source: 'google/services/compute/resource_compute_network_firewall_policy_rule.go ValidateEnum',
  },
];

/** Whether `value` is accepted by google `version` for this entry. */
export function gcpValueAcceptedAt(entry: GcpProviderValues, value: string, version: string): boolean {
  if (!entry.values.includes(value)) return false;
  const since = entry.since?.[value];
  if (!since) return true;
  const a = version.split('.').map(Number);
  const b = since.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}
