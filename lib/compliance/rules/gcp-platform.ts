/** GCP audit logging, log retention, KMS, Cloud Storage and IAM rules. */
import { CloudProvider, ComplianceProfile } from '../../spec';
import { CheckStatus, ComplianceRule, RuleId, StackFinding, StackIndex, TerraformResource } from '../types';
import { Json, Problems, block, blocks, fail, isSet, isTrue, notApplicable, num, pass, show, str, strings } from '../values';
import { defineRule, retentionFloorDays } from './define';

const AUDIT_TYPES = ['google_project_iam_audit_config', 'google_folder_iam_audit_config', 'google_organization_iam_audit_config'];
const LOG_TYPES = ['ADMIN_READ', 'DATA_READ', 'DATA_WRITE'];

export const gcpAudit: ComplianceRule = defineRule({
  id: RuleId.GCP_AUDIT,
  title: 'Data Access audit logs for all services',
  description:
    'An IAM audit config for service "allServices" enables ADMIN_READ, DATA_READ and DATA_WRITE with no exempted '
    + 'members (no audit config may exempt members). A GCP stack without one fails unless the spec declares an '
    + 'existing organization-level configuration (observability.existingOrganizationTrail). Enforced under soc2 '
    + 'and hipaa; advisory under baseline.',
  cloud: CloudProvider.GCP,
  minimumProfile: ComplianceProfile.SOC2,
  advisoryProfiles: [ComplianceProfile.BASELINE],
  resourceTypes: AUDIT_TYPES,
  controls: { hipaa: ['164.312(b)', '164.308(a)(1)(ii)(D)'], soc2: ['CC7.2'], cis: ['2.1'] },
  upstream: { checkov: ['CKV2_GCP_5'] },
  check: (r) => {
    const configs = blocks(r.config.audit_log_config);
    const p = new Problems();
    configs.forEach((c) => p.add(isSet(c.exempted_members), `${String(c.log_type)} exempts ${strings(c.exempted_members).join(', ')}`,
      'remove exempted_members'));
    if (r.config.service !== 'allServices') return p.outcome(`service-specific config for ${show(r.config.service)} without exemptions`);
    const types = new Set(configs.map((c) => String(c.log_type)));
    const missing = LOG_TYPES.filter((t) => !types.has(t));
    p.add(missing.length > 0, `log types ${missing.join(', ')} are not enabled`, `add audit_log_config blocks for ${missing.join(', ')}`);
    return p.outcome('ADMIN_READ, DATA_READ and DATA_WRITE for allServices, no exemptions');
  },
  checkStack: (ctx): StackFinding[] => {
    if (!ctx.stack.resourceTypes.some((t) => t.startsWith('google_'))) return [];
    if (AUDIT_TYPES.some((t) => ctx.stack.resources(t).some((r) => r.config.service === 'allServices'))) return [];
    const address = 'google_project_iam_audit_config (none for allServices)';
    const type = 'google_project_iam_audit_config';
    if (ctx.existingOrganizationTrail) {
      return [{ address, type, status: CheckStatus.PASS, message: 'the spec declares an existing organization-level audit configuration' }];
    }
    return [{
      address, type, status: CheckStatus.FAIL,
      message: 'the stack enables no Data Access audit logs for allServices and does not declare an existing organization configuration',
      fix: 'add a google_project_iam_audit_config for "allServices" with ADMIN_READ, DATA_READ and DATA_WRITE, or set observability.existingOrganizationTrail = true',
    }];
  },
});

const BUCKET_CONFIG_TYPES = ['google_logging_project_bucket_config', 'google_logging_folder_bucket_config',
  'google_logging_organization_bucket_config', 'google_logging_billing_account_bucket_config'];
const SINK_TYPES = ['google_logging_project_sink', 'google_logging_folder_sink', 'google_logging_organization_sink', 'google_logging_billing_account_sink'];

function isSinkBucket(stack: StackIndex, bucket: TerraformResource): boolean {
  return SINK_TYPES.some((t) => stack.resources(t).some((s) => String(s.config.destination ?? '').includes('storage.googleapis.com/')
    && stack.refersTo(s.config.destination, bucket, 'name')));
}

export const gcpLogRetention: ComplianceRule = defineRule({
  id: RuleId.GCP_LOG_RET,
  title: 'Log buckets keep logs for the profile floor (locked under hipaa)',
  description:
    'Cloud Logging bucket configs set retention_days >= the profile floor (baseline 90, soc2 365, hipaa 2192; unset '
    + 'means 30) and, under hipaa, locked = true. Cloud Storage buckets that are a log sink destination set '
    + 'retention_policy.retention_period >= the floor (seconds), locked under hipaa. _Required is fixed by Google. '
    + 'Enforced under soc2 and hipaa; advisory under baseline.',
  cloud: CloudProvider.GCP,
  minimumProfile: ComplianceProfile.SOC2,
  advisoryProfiles: [ComplianceProfile.BASELINE],
  resourceTypes: [...BUCKET_CONFIG_TYPES, 'google_storage_bucket'],
  controls: { hipaa: ['164.316(b)(2)(i)', '164.312(b)'], soc2: ['CC7.2'], cis: ['2.2', '2.3'] },
  upstream: { checkov: ['CKV2_GCP_4'] },
  check: (r, ctx) => {
    const floor = retentionFloorDays(ctx.profile);
    const lock = ctx.profile === ComplianceProfile.HIPAA;
    const p = new Problems();
    if (r.type === 'google_storage_bucket') {
      if (!isSinkBucket(ctx.stack, r)) return notApplicable('not a log sink destination');
      const rp = block(r.config.retention_policy);
      const seconds = num(rp?.retention_period);
      p.add(seconds === undefined || seconds < floor * 86400, `retention_policy.retention_period is ${show(rp?.retention_period)}, below ${floor} days`,
        `set retention_policy.retention_period >= ${floor * 86400} (seconds)`);
      p.add(lock && !isTrue(rp?.is_locked), 'retention_policy.is_locked is not true', 'set retention_policy.is_locked = true');
      return p.outcome(`sink bucket retains logs ${seconds === undefined ? '?' : Math.floor(seconds / 86400)} days${lock ? ', locked' : ''}`);
    }
    if (r.config.bucket_id === '_Required') return notApplicable('_Required retention is fixed by Google (400 days)');
    const days = num(r.config.retention_days) ?? 30;
    p.add(days < floor, `retention_days is ${days}, below the ${ctx.profile} floor of ${floor}`, `set retention_days >= ${floor}`);
    p.add(lock && !isTrue(r.config.locked), 'locked is not true', 'set locked = true (irreversible: retention can no longer be shortened)');
    return p.outcome(`retention ${days} days${lock ? ', locked' : ''}`);
  },
});

const GCP_MAX_ROTATION_SECONDS = 7776000;

export const gcpKmsRotation: ComplianceRule = defineRule({
  id: RuleId.GCP_KMS_ROTATE,
  title: 'Cloud KMS keys rotate at least every 90 days',
  description: 'Symmetric (ENCRYPT_DECRYPT) google_kms_crypto_key resources set rotation_period <= 7776000s (90 days); other purposes cannot rotate automatically.',
  cloud: CloudProvider.GCP,
  minimumProfile: ComplianceProfile.BASELINE,
  resourceTypes: ['google_kms_crypto_key'],
  controls: { hipaa: ['164.312(a)(2)(iv)'], soc2: ['CC6.1'], cis: ['1.10'] },
  upstream: { checkov: ['CKV_GCP_43'] },
  check: (r) => {
    const purpose = str(r.config.purpose) ?? 'ENCRYPT_DECRYPT';
    if (purpose !== 'ENCRYPT_DECRYPT') return notApplicable(`${purpose} keys do not support automatic rotation`);
    const m = /^(\d+(?:\.\d+)?)s$/.exec(String(r.config.rotation_period ?? ''));
    const seconds = m ? Number(m[1]) : undefined;
    return seconds !== undefined && seconds <= GCP_MAX_ROTATION_SECONDS
      ? pass(`rotates every ${seconds / 86400} days`)
      : fail(`rotation_period is ${show(r.config.rotation_period)}`, `set rotation_period <= "${GCP_MAX_ROTATION_SECONDS}s" (90 days)`);
  },
});

const PUBLIC_MEMBERS = ['allUsers', 'allAuthenticatedUsers'];
const PUBLIC_ACLS = ['publicRead', 'publicReadWrite', 'authenticatedRead'];

/** Bindings of a policy_data attribute: a JSON document, or a reference to data.google_iam_policy. */
export function policyBindings(policyData: unknown, stack: StackIndex): { role: string; members: string[] }[] {
  if (typeof policyData === 'string' && policyData.trim().startsWith('{')) {
    try {
      const doc = JSON.parse(policyData) as { bindings?: { role?: unknown; members?: unknown }[] };
      return (doc.bindings ?? []).map((b) => ({ role: String(b.role), members: strings(b.members) }));
    } catch {
      return [];
    }
  }
  return stack.referencedDataSources(policyData, 'google_iam_policy')
    .flatMap((d) => blocks(d.config.binding).map((b) => ({ role: String(b.role), members: strings(b.members) })));
}

export const gcpStoragePublic: ComplianceRule = defineRule({
  id: RuleId.GCP_GCS_PUBLIC,
  title: 'Cloud Storage: no public access',
  description:
    'Every google_storage_bucket sets public_access_prevention = "enforced" and uniform_bucket_level_access = true; no '
    + 'bucket IAM member/binding/policy grants allUsers or allAuthenticatedUsers and no bucket ACL is public.',
  cloud: CloudProvider.GCP,
  minimumProfile: ComplianceProfile.BASELINE,
  resourceTypes: ['google_storage_bucket', 'google_storage_bucket_iam_member', 'google_storage_bucket_iam_binding',
    'google_storage_bucket_iam_policy', 'google_storage_bucket_acl'],
  controls: { hipaa: ['164.312(a)(1)'], soc2: ['CC6.1', 'CC6.6'], cis: ['5.1', '5.2'] },
  upstream: { checkov: ['CKV_GCP_28', 'CKV_GCP_29', 'CKV_GCP_114'] },
  check: (r, ctx) => {
    const c = r.config;
    const p = new Problems();
    const grantFix = 'grant roles to specific principals; never allUsers or allAuthenticatedUsers';
    switch (r.type) {
      case 'google_storage_bucket':
        p.add(c.public_access_prevention !== 'enforced', `public_access_prevention is ${show(c.public_access_prevention)}`,
          'set public_access_prevention = "enforced"');
        p.add(!isTrue(c.uniform_bucket_level_access), `uniform_bucket_level_access is ${show(c.uniform_bucket_level_access)}`,
          'set uniform_bucket_level_access = true');
        return p.outcome('public access prevention enforced, uniform bucket-level access');
      case 'google_storage_bucket_acl': {
        const entities = strings(c.role_entity).filter((e) => PUBLIC_MEMBERS.some((m) => e.includes(m)));
        p.add(PUBLIC_ACLS.includes(String(c.predefined_acl)), `predefined_acl ${show(c.predefined_acl)} is public`, 'use predefined_acl "private" or IAM');
        p.add(entities.length > 0, `role_entity grants ${entities.join(', ')}`, grantFix);
        return p.outcome('ACL grants nothing public');
      }
      default: {
        const members = r.type === 'google_storage_bucket_iam_policy' ? policyBindings(c.policy_data, ctx.stack).flatMap((b) => b.members)
          : [...strings(c.member), ...strings(c.members)];
        const pub = members.filter((m) => PUBLIC_MEMBERS.includes(m));
        p.add(pub.length > 0, `grants ${show(c.role)} to ${pub.join(', ')}`, grantFix);
        return p.outcome('grants nothing to allUsers / allAuthenticatedUsers');
      }
    }
  },
});

function isGcsLogTarget(stack: StackIndex, bucket: TerraformResource): boolean {
  return stack.resources('google_storage_bucket').some((b) => b !== bucket
    && blocks(b.config.logging).some((l) => stack.refersTo(l.log_bucket, bucket, 'name')));
}

/**
 * True when the stack records Cloud Storage object reads and writes with Data Access audit logs:
 * an IAM audit config for allServices or storage.googleapis.com with DATA_READ and DATA_WRITE and
 * no exempted members (Google recommends Cloud Audit Logs over usage logs:
 * cloud.google.com/storage/docs/access-logs), or the spec declares an existing organization-level one.
 */
function storageDataAccessAudited(stack: StackIndex, existingOrganizationTrail: boolean | undefined): boolean {
  if (existingOrganizationTrail) return true;
  return AUDIT_TYPES.some((t) => stack.resources(t).some((r) => {
    if (r.config.service !== 'allServices' && r.config.service !== 'storage.googleapis.com') return false;
    const configs = blocks(r.config.audit_log_config);
    const types = new Set(configs.filter((c) => !isSet(c.exempted_members)).map((c) => String(c.log_type)));
    return types.has('DATA_READ') && types.has('DATA_WRITE');
  }));
}

export const gcpStorageProtect: ComplianceRule = defineRule({
  id: RuleId.GCP_GCS_PROTECT,
  title: 'Cloud Storage: versioning, access logging, CMEK',
  description:
    'Every google_storage_bucket enables versioning, records object access and sets encryption.default_kms_key_name. '
    + 'Access is recorded by Data Access audit logs (an audit config for allServices or storage.googleapis.com with '
    + 'DATA_READ and DATA_WRITE, or a declared organization-level one) or by legacy usage logs (logging.log_bucket). '
    + 'A bucket that receives another bucket\'s usage logs is exempt from logging.',
  cloud: CloudProvider.GCP,
  minimumProfile: ComplianceProfile.SOC2,
  resourceTypes: ['google_storage_bucket'],
  controls: { hipaa: ['164.312(a)(2)(iv)', '164.312(b)', '164.312(c)(1)'], soc2: ['CC6.1', 'A1.2'] },
  upstream: { checkov: ['CKV_GCP_62', 'CKV_GCP_78'] },
  check: (r, ctx) => {
    const logTarget = isGcsLogTarget(ctx.stack, r);
    const logging: Json | undefined = block(r.config.logging);
    const audited = storageDataAccessAudited(ctx.stack, ctx.existingOrganizationTrail);
    const how = logTarget ? 'usage-log target (exempt from logging)' : audited ? 'access recorded by Data Access audit logs' : 'usage-logged';
    return new Problems()
      .add(!isTrue(block(r.config.versioning)?.enabled), 'versioning is not enabled', 'add versioning { enabled = true }')
      .add(!logTarget && !audited && !isSet(logging?.log_bucket), 'object access is not recorded (no Data Access audit logs for Cloud Storage, no usage logs)',
        'enable Data Access audit logs (google_project_iam_audit_config for allServices or storage.googleapis.com with DATA_READ and DATA_WRITE), '
        + 'or add logging { log_bucket = <log bucket name> }')
      .add(!isSet(block(r.config.encryption)?.default_kms_key_name), 'encryption.default_kms_key_name is not set',
        'add encryption { default_kms_key_name = <Cloud KMS key id> } (grant the GCS service agent encrypter/decrypter)')
      .outcome(`versioned, ${how}, CMEK`);
  },
});

const PRIMITIVE_ROLES = ['roles/owner', 'roles/editor', 'roles/viewer'];

export const gcpPrimitiveRoles: ComplianceRule = defineRule({
  id: RuleId.GCP_IAM_PRIMITIVE,
  title: 'No primitive project roles',
  description: 'No google_project_iam_member / _binding / _policy grants roles/owner, roles/editor or roles/viewer.',
  cloud: CloudProvider.GCP,
  minimumProfile: ComplianceProfile.BASELINE,
  resourceTypes: ['google_project_iam_member', 'google_project_iam_binding', 'google_project_iam_policy'],
  controls: { hipaa: ['164.308(a)(4)(ii)(B)'], soc2: ['CC6.3'], cis: ['1.5'] },
  upstream: { checkov: ['CKV_GCP_41', 'CKV_GCP_42', 'CKV_GCP_117'] },
  check: (r, ctx) => {
    const roles = r.type === 'google_project_iam_policy'
      ? policyBindings(r.config.policy_data, ctx.stack).map((b) => b.role)
      : strings(r.config.role);
    const bad = roles.filter((x) => PRIMITIVE_ROLES.includes(x));
    return bad.length > 0
      ? fail(`grants primitive role ${bad.join(', ')}`, 'grant predefined or custom roles with only the permissions needed')
      : pass(`grants ${roles.join(', ') || 'no role'}`);
  },
});

export const GCP_PLATFORM_RULES: ComplianceRule[] = [gcpAudit, gcpLogRetention, gcpKmsRotation, gcpStoragePublic, gcpStorageProtect, gcpPrimitiveRoles];
