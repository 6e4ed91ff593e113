/** Azure activity log, storage account and Key Vault rules. */
import { CloudProvider, ComplianceProfile } from '../../spec';
import { CheckStatus, ComplianceRule, RuleId, StackFinding, StackIndex, TerraformResource } from '../types';
import { Problems, block, blocks, fail, isFalse, isSet, isTrue, notApplicable, num, pass, show, str, strings } from '../values';
import { defineRule, retentionFloorDays } from './define';

const ACTIVITY_CATEGORIES = ['Administrative', 'Security', 'Policy', 'Alert'];
/** Interactive retention ceiling of a Log Analytics workspace (days); longer needs archive (table total retention). */
const WORKSPACE_MAX_RETENTION_DAYS = 730;

function isSubscriptionSetting(r: TerraformResource): boolean {
  const target = r.config.target_resource_id;
  if (typeof target !== 'string') return false;
  // A literal subscription id, or the id of data.azurerm_subscription (declared in the stack or not).
  return /^\/subscriptions\/[^/]+\/?$/.test(target) || /^\$\{data\.azurerm_subscription\.[\w-]+\.id\}$/.test(target);
}

function subscriptionSettings(stack: StackIndex): TerraformResource[] {
  return stack.resources('azurerm_monitor_diagnostic_setting').filter(isSubscriptionSetting);
}

export const azActivityLog: ComplianceRule = defineRule({
  id: RuleId.AZ_LOG_ACTIVITY,
  title: 'Activity log exported; workspace keeps it for the profile floor',
  description:
    'A subscription-level azurerm_monitor_diagnostic_setting exports the Administrative, Security, Policy and Alert '
    + 'categories (or category group allLogs) to a destination; a Log Analytics workspace receiving it keeps '
    + 'retention_in_days >= the profile floor, capped at the service\'s 730-day interactive maximum (keep longer '
    + 'through table archive). An Azure stack without the export fails unless the spec declares an existing '
    + 'organization export (observability.existingOrganizationTrail). Enforced under soc2 and hipaa; advisory under baseline.',
  cloud: CloudProvider.AZURE,
  minimumProfile: ComplianceProfile.SOC2,
  advisoryProfiles: [ComplianceProfile.BASELINE],
  resourceTypes: ['azurerm_monitor_diagnostic_setting', 'azurerm_log_analytics_workspace'],
  controls: { hipaa: ['164.312(b)', '164.308(a)(1)(ii)(D)', '164.316(b)(2)(i)'], soc2: ['CC7.2'], cis: ['6.1.1'] },
  upstream: {},
  check: (r, ctx) => {
    const settings = subscriptionSettings(ctx.stack);
    if (r.type === 'azurerm_log_analytics_workspace') {
      if (!settings.some((s) => ctx.stack.refersTo(s.config.log_analytics_workspace_id, r))) {
        return notApplicable('receives no subscription activity log');
      }
      const floor = Math.min(retentionFloorDays(ctx.profile), WORKSPACE_MAX_RETENTION_DAYS);
      const days = num(r.config.retention_in_days) ?? 30;
      return days >= floor
        ? pass(`retention ${days} days (floor ${floor}${floor < retentionFloorDays(ctx.profile) ? ', the service maximum' : ''})`)
        : fail(`retention_in_days is ${days}, below ${floor}`, `set retention_in_days = ${floor}`);
    }
    if (!settings.includes(r)) return notApplicable('not a subscription activity-log export');
    const enabled = [...blocks(r.config.enabled_log), ...blocks(r.config.log).filter((l) => !isFalse(l.enabled))];
    const all = enabled.some((l) => str(l.category_group) === 'allLogs');
    const categories = new Set(enabled.map((l) => String(l.category)));
    const missing = all ? [] : ACTIVITY_CATEGORIES.filter((c) => !categories.has(c));
    const destination = ['log_analytics_workspace_id', 'storage_account_id', 'eventhub_authorization_rule_id'].some((k) => isSet(r.config[k]));
    return new Problems()
      .add(missing.length > 0, `categories ${missing.join(', ')} are not exported`, `add enabled_log blocks for ${missing.join(', ')}`)
      .add(!destination, 'no destination is set', 'set log_analytics_workspace_id')
      .outcome(`exports ${all ? 'allLogs' : ACTIVITY_CATEGORIES.join(', ')}`);
  },
  checkStack: (ctx): StackFinding[] => {
    if (!ctx.stack.resourceTypes.some((t) => t.startsWith('azurerm_')) || subscriptionSettings(ctx.stack).length > 0) return [];
    const address = 'azurerm_monitor_diagnostic_setting (no subscription export)';
    const type = 'azurerm_monitor_diagnostic_setting';
    if (ctx.existingOrganizationTrail) {
      return [{ address, type, status: CheckStatus.PASS, message: 'the spec declares an existing activity-log export' }];
    }
    return [{
      address, type, status: CheckStatus.FAIL,
      message: 'the stack exports no subscription activity log and does not declare an existing export',
      fix: 'add an azurerm_monitor_diagnostic_setting on the subscription to a Log Analytics workspace, or set observability.existingOrganizationTrail = true',
    }];
  },
});

export const azStorageTls: ComplianceRule = defineRule({
  id: RuleId.AZ_ST_TLS,
  title: 'Storage accounts: TLS 1.2 and HTTPS only',
  description: 'Every azurerm_storage_account keeps min_tls_version at TLS1_2 (the azurerm v4 default) and HTTPS-only traffic on (https_traffic_only_enabled, v3 enable_https_traffic_only).',
  cloud: CloudProvider.AZURE,
  minimumProfile: ComplianceProfile.BASELINE,
  resourceTypes: ['azurerm_storage_account'],
  controls: { hipaa: ['164.312(e)(1)', '164.312(e)(2)(ii)'], soc2: ['CC6.7'] },
  upstream: { checkov: ['CKV_AZURE_3', 'CKV_AZURE_44'] },
  check: (r) => {
    const tls = r.config.min_tls_version;
    return new Problems()
      .add(tls !== undefined && tls !== 'TLS1_2' && tls !== 'TLS1_3', `min_tls_version is ${show(tls)}`, 'set min_tls_version = "TLS1_2"')
      .add(isFalse(r.config.https_traffic_only_enabled) || isFalse(r.config.enable_https_traffic_only), 'HTTPS-only traffic is disabled',
        'set https_traffic_only_enabled = true')
      .outcome(`TLS ${String(tls ?? 'TLS1_2 (default)')}, HTTPS only`);
  },
});

export const azStoragePublic: ComplianceRule = defineRule({
  id: RuleId.AZ_ST_PUBLIC,
  title: 'Storage accounts: no public or shared-key access',
  description: 'Every azurerm_storage_account sets allow_nested_items_to_be_public, public_network_access_enabled and shared_access_key_enabled to false (all default to true).',
  cloud: CloudProvider.AZURE,
  minimumProfile: ComplianceProfile.BASELINE,
  resourceTypes: ['azurerm_storage_account'],
  controls: { hipaa: ['164.312(a)(1)'], soc2: ['CC6.1', 'CC6.6'] },
  upstream: { checkov: ['CKV_AZURE_59', 'CKV_AZURE_190', 'CKV2_AZURE_40'] },
  check: (r) => {
    const p = new Problems();
    for (const attr of ['allow_nested_items_to_be_public', 'public_network_access_enabled', 'shared_access_key_enabled']) {
      p.add(!isFalse(r.config[attr]), `${attr} is ${show(r.config[attr])} (default true)`, `set ${attr} = false`);
    }
    return p.outcome('no anonymous blobs, no public endpoint, no shared keys');
  },
});

export const azStorageProtect: ComplianceRule = defineRule({
  id: RuleId.AZ_ST_PROTECT,
  title: 'Storage accounts: CMK, blob versioning, delete retention',
  description:
    'Every azurerm_storage_account encrypts with a customer-managed key (customer_managed_key block or an '
    + 'azurerm_storage_account_customer_managed_key referencing it) and sets blob_properties.versioning_enabled = true '
    + 'with a delete_retention_policy.',
  cloud: CloudProvider.AZURE,
  minimumProfile: ComplianceProfile.SOC2,
  resourceTypes: ['azurerm_storage_account'],
  controls: { hipaa: ['164.312(a)(2)(iv)', '164.312(c)(1)', '164.308(a)(7)(ii)(A)'], soc2: ['CC6.1', 'A1.2'] },
  upstream: { checkov: ['CKV2_AZURE_1', 'CKV2_AZURE_38'] },
  check: (r, ctx) => {
    const cmk = block(r.config.customer_managed_key);
    const hasCmk = (!!cmk && (isSet(cmk.key_vault_key_id) || isSet(cmk.managed_hsm_key_id)))
      || ctx.stack.referrers('azurerm_storage_account_customer_managed_key', 'storage_account_id', r).length > 0;
    const blob = block(r.config.blob_properties);
    return new Problems()
      .add(!hasCmk, 'no customer-managed key', 'add customer_managed_key { key_vault_key_id, user_assigned_identity_id } (or an azurerm_storage_account_customer_managed_key)')
      .add(!isTrue(blob?.versioning_enabled), 'blob_properties.versioning_enabled is not true', 'set blob_properties { versioning_enabled = true }')
      .add(!block(blob?.delete_retention_policy), 'blob_properties.delete_retention_policy is not set', 'add blob_properties { delete_retention_policy { days = 30 } }')
      .outcome('CMK, blob versioning, delete retention');
  },
});

export const azKeyVault: ComplianceRule = defineRule({
  id: RuleId.AZ_KV,
  title: 'Key Vault: purge protection, private, keys auto-rotate',
  description:
    'Every azurerm_key_vault sets purge_protection_enabled = true and public_network_access_enabled = false; every '
    + 'azurerm_key_vault_key has a rotation_policy with an automatic block (time_after_creation or time_before_expiry).',
  cloud: CloudProvider.AZURE,
  minimumProfile: ComplianceProfile.BASELINE,
  resourceTypes: ['azurerm_key_vault', 'azurerm_key_vault_key'],
  controls: { hipaa: ['164.312(a)(2)(iv)'], soc2: ['CC6.1'] },
  upstream: { checkov: ['CKV_AZURE_110', 'CKV_AZURE_189', 'CKV_AZURE_40'] },
  check: (r) => {
    if (r.type === 'azurerm_key_vault_key') {
      const auto = block(block(r.config.rotation_policy)?.automatic);
      return auto && (isSet(auto.time_after_creation) || isSet(auto.time_before_expiry))
        ? pass(`rotates automatically (${strings(auto.time_after_creation ?? auto.time_before_expiry).join('')})`)
        : fail('no rotation_policy with automatic rotation', 'add rotation_policy { expire_after = "P1Y", automatic { time_before_expiry = "P30D" } }');
    }
    return new Problems()
      .add(!isTrue(r.config.purge_protection_enabled), `purge_protection_enabled is ${show(r.config.purge_protection_enabled)}`,
        'set purge_protection_enabled = true')
      .add(!isFalse(r.config.public_network_access_enabled), `public_network_access_enabled is ${show(r.config.public_network_access_enabled)} (default true)`,
        'set public_network_access_enabled = false and reach the vault through a private endpoint')
      .outcome('purge protection on, no public network access');
  },
});

export const AZURE_PLATFORM_RULES: ComplianceRule[] = [azActivityLog, azStorageTls, azStoragePublic, azStorageProtect, azKeyVault];
