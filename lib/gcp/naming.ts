/**
 * The GCP naming table: every Terraform resource type the GCP platform creates, with the rules of
 * each name (or name prefix) it sets. Sources are the google provider's validators (file and
 * function, identical at 6.50.0, 7.32.0 and 7.45.0 unless noted) or, where the provider accepts any
 * string, the API reference that the service enforces at apply. Pure data: no cdktf imports.
 */
import { NameRule, NamingTable } from '../spec';

/** RFC 1035 label as Compute Engine names it: lowercase letter first, then letters, digits, hyphens, no trailing hyphen. */
const GCE = /^[a-z](?:[-a-z0-9]*[a-z0-9])?$/;
const GCE_TEXT = 'lowercase letters, digits and hyphens; starts with a letter, ends with a letter or digit';

function gce(attribute: string, source: string, maxLength = 63, minLength = 1): NameRule {
  return { attribute, minLength, maxLength, pattern: GCE, patternText: GCE_TEXT, source };
}

const GCE_NAME = 'provider verify.ValidateGCEName ^(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)$ (google/verify/validation.go); cloud.google.com/compute/docs/naming-resources';
const GCE_API = 'Compute API resource name: 1-63 characters matching [a-z]([-a-z0-9]*[a-z0-9])? (cloud.google.com/compute/docs/naming-resources); the provider does not validate it';

/** Cloud Logging identifiers (sinks, buckets, views): letters, digits, "_", "-", "."; alphanumeric first; at most 100. */
const LOGGING_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/**
 * Instance-template name prefix: at most 37 characters (longer prefixes get a collision-prone
 * suffix: resource_compute_instance_template.go, `if len(prefix) > 37 { ReducedPrefixedUniqueId }`,
 * 6.50.0/7.32.0/7.45.0); the provider itself rejects more than 54. The generated name appends 26
 * characters (id.PrefixedUniqueId), so the prefix ends with "-" and the name stays a GCE name.
 */
const TEMPLATE_PREFIX: NameRule = {
  attribute: 'name_prefix', prefix: true, minLength: 2, maxLength: 37, pattern: /^[a-z][-a-z0-9]*-$/,
  patternText: 'lowercase letters, digits and hyphens; starts with a letter and ends with "-"',
  source: 'provider resource_compute_instance_template.go name_prefix (> 37 characters: ReducedPrefixedUniqueId, collision-prone; > 54 rejected)',
};

export const GCP_NAMING_TABLE: NamingTable = {
  google_compute_network: [gce('name', GCE_NAME)],
  google_compute_subnetwork: [gce('name', GCE_NAME)],
  google_compute_firewall: [gce('name', GCE_NAME)],
  google_compute_router: [gce('name', GCE_NAME)],
  google_compute_router_nat: [gce('name', 'provider verify.ValidateRFC1035Name(2, 63) (resource_compute_router_nat.go)', 63, 2)],
  google_compute_route: [gce('name', 'provider ValidateRegexp ^[a-z]([-a-z0-9]*[a-z0-9])?$ (resource_compute_route.go); 63 characters: naming-resources')],
  google_compute_health_check: [gce('name', GCE_API)],
  google_compute_network_firewall_policy: [gce('name', GCE_API)],
  google_compute_network_firewall_policy_association: [gce('name', `${GCE_API} (association names have no documented format; held to the GCE rule)`)],
  google_compute_network_firewall_policy_rule: [gce('rule_name', `${GCE_API} (rule names have no documented format; held to the GCE rule)`)],
  google_compute_region_autoscaler: [gce('name', GCE_NAME)],
  google_compute_region_instance_group_manager: [
    gce('name', GCE_API),
    // Instances are "<base>-<4 characters>", and instance names are GCE names of at most 63 characters.
    gce('base_instance_name', 'Compute API InstanceGroupManager.baseInstanceName: an RFC 1035 name; instances append "-" and 4 characters, so at most 58', 58),
  ],
  google_compute_instance_template: [TEMPLATE_PREFIX],
  google_container_cluster: [{
    attribute: 'name', minLength: 1, maxLength: 40, pattern: /^[a-z](?:[-a-z0-9]*[a-z0-9])?$/, patternText: GCE_TEXT,
    source: 'provider resource_container_cluster.go name ValidateFunc: at most 40 characters, ^[a-z0-9-]+$, a letter first, a letter or digit last (6.50.0, 7.22.0, 7.45.0)',
  }],
  google_container_node_pool: [{
    attribute: 'name', minLength: 1, maxLength: 40, pattern: /^[a-z](?:[-a-z0-9]{0,38}[a-z0-9])?$/, patternText: GCE_TEXT,
    source: 'GKE API NodePool.name: "Must be a match of regex (?:[a-z](?:[-a-z0-9]{0,38}[a-z0-9])?) ... no longer than 40 characters" (the API\'s 400 error, quoted in pulumi/pulumi-gcp#1510); the provider does not validate it',
  }],
  google_dns_managed_zone: [
    gce('name', 'Cloud DNS API ManagedZone.name: 1-63 characters, lowercase letters, digits and dashes, starting with a letter (cloud.google.com/dns/docs/reference/rest/v1/managedZones)'),
    { attribute: 'dns_name', minLength: 2, maxLength: 253, pattern: /^(?:[a-z0-9](?:[-a-z0-9]*[a-z0-9])?\.)+$/, patternText: 'a fully qualified DNS name ending with "."',
      source: 'Cloud DNS API ManagedZone.dnsName: the DNS name of the zone, ending with a dot' },
  ],
  google_dns_policy: [gce('name', 'Cloud DNS API Policy.name (held to the ManagedZone name rule: 1-63 lowercase letters, digits, dashes)')],
  google_dns_record_set: [{
    attribute: 'name', minLength: 2, maxLength: 253, pattern: /^(?:\*\.)?(?:[a-z0-9](?:[-a-z0-9]*[a-z0-9])?\.)+$/,
    patternText: 'a fully qualified DNS name ending with ".", optionally starting with "*."', source: 'Cloud DNS API ResourceRecordSet.name (RFC 1035, absolute name)',
  }],
  google_kms_key_ring: [{ attribute: 'name', minLength: 1, maxLength: 63, pattern: /^[a-zA-Z0-9_-]+$/, patternText: 'letters, digits, "_" and "-"',
    source: 'Cloud KMS: key ring and key names match [a-zA-Z0-9_-]{1,63} (cloud.google.com/kms/docs/resource-hierarchy)' }],
  google_kms_crypto_key: [{ attribute: 'name', minLength: 1, maxLength: 63, pattern: /^[a-zA-Z0-9_-]+$/, patternText: 'letters, digits, "_" and "-"',
    source: 'Cloud KMS: key ring and key names match [a-zA-Z0-9_-]{1,63} (cloud.google.com/kms/docs/resource-hierarchy)' }],
  google_kms_crypto_key_iam_member: [],
  google_logging_project_bucket_config: [{ attribute: 'bucket_id', minLength: 1, maxLength: 100, pattern: LOGGING_ID, patternText: 'letters, digits, "_", "-" and "."; alphanumeric first',
    source: 'Logging API buckets.create bucketId: at most 100 characters of letters, digits, underscores, hyphens and periods, starting with an alphanumeric character' }],
  google_logging_log_view: [{ attribute: 'name', minLength: 1, maxLength: 100, pattern: /^[A-Za-z0-9][A-Za-z0-9_-]*$/, patternText: 'letters, digits, "_" and "-"',
    source: 'Logging API buckets.views.create viewId: at most 100 characters of letters, digits, underscores and hyphens' }],
  google_logging_project_sink: [{ attribute: 'name', minLength: 1, maxLength: 100, pattern: LOGGING_ID, patternText: 'letters, digits, "_", "-" and "."; alphanumeric first',
    source: 'Logging API LogSink.name: at most 100 characters of letters, digits, underscores, hyphens and periods, alphanumeric first' }],
  google_logging_metric: [{ attribute: 'name', minLength: 1, maxLength: 100, pattern: /^[A-Za-z0-9_\-.,+!*'()%][A-Za-z0-9_\-.,+!*'()%/]*$/,
    patternText: 'letters, digits and _-.,+!*\'()%/, not starting with "/"',
    source: 'Logging API LogMetric.name: at most 100 characters of A-Z, a-z, 0-9 and _-.,+!*\',()%/; "/" not first' }],
  google_monitoring_alert_policy: [],
  google_monitoring_dashboard: [],
  google_monitoring_notification_channel: [],
  google_org_policy_policy: [{ attribute: 'name', minLength: 1, maxLength: 400, pattern: /^projects\/[a-z][-a-z0-9]{4,28}[a-z0-9]\/policies\/[a-zA-Z.]+$/,
    patternText: 'projects/<project id>/policies/<constraint>', source: 'Org Policy API Policy.name: projects/{project_id}/policies/{constraint_name}' }],
  google_project_iam_audit_config: [],
  google_project_iam_custom_role: [{ attribute: 'role_id', minLength: 3, maxLength: 64, pattern: /^[a-zA-Z0-9_.]+$/, patternText: 'letters, digits, "_" and "."',
    source: 'provider verify.ValidateIAMCustomRoleID ^[a-zA-Z0-9_\\.]{3,64}$ (google/verify/validation.go)' }],
  google_project_iam_member: [],
  google_project_service: [],
  google_service_account: [gce('account_id', 'provider verify.ValidateRFC1035Name(6, 30) (resource_google_service_account.go)', 30, 6)],
  google_service_account_iam_member: [],
  google_storage_bucket: [{
    attribute: 'name', minLength: 3, maxLength: 63, pattern: /^(?!goog)(?!.*google)[a-z0-9][a-z0-9_.-]*[a-z0-9]$/,
    patternText: 'lowercase letters, digits, "-", "_" and "."; letter or digit first and last; not starting with "goog", no "google"',
    source: 'cloud.google.com/storage/docs/buckets#naming (3-63 characters without dots; the provider does not validate the name)',
  }],
  google_storage_bucket_iam_member: [],
  time_sleep: [],
};
