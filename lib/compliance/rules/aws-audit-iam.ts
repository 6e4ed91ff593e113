/** AWS audit and identity rules: CloudTrail, log retention, admin policies, cross-account trust. */
import { CloudProvider, ComplianceProfile } from '../../spec';
import { PolicyStatement, READABLE_POLICY_FIX, matchesAction, policyStatements, unreadablePolicy } from '../policy-document';
import { CheckStatus, ComplianceRule, RuleId, StackFinding } from '../types';
import { Problems, blocks, isAwsManagedKeyAlias, isFalse, isSet, isTrue, notApplicable, notEvaluated, num, show, strings } from '../values';
import { cmkRequired, defineRule, retentionFloorDays } from './define';

export const awsTrail: ComplianceRule = defineRule({
  id: RuleId.AWS_TRAIL,
  title: 'CloudTrail: multi-region, validated, encrypted, delivered to CloudWatch Logs',
  description:
    'Every aws_cloudtrail is multi-region, includes global service events, is logging, has log file validation, '
    + 'encrypts with a KMS key (kms_key_id) and delivers to CloudWatch Logs (cloud_watch_logs_group_arn). An AWS stack '
    + 'without a trail fails unless the spec declares an existing organization trail '
    + '(observability.existingOrganizationTrail). Enforced under soc2 and hipaa; advisory under baseline.',
  cloud: CloudProvider.AWS,
  minimumProfile: ComplianceProfile.SOC2,
  advisoryProfiles: [ComplianceProfile.BASELINE],
  resourceTypes: ['aws_cloudtrail'],
  controls: { hipaa: ['164.312(b)', '164.308(a)(1)(ii)(D)', '164.312(c)(1)'], soc2: ['CC7.2', 'CC7.3'], cis: ['3.1', '3.2', '3.5'] },
  upstream: { checkov: ['CKV_AWS_67', 'CKV_AWS_36', 'CKV_AWS_35', 'CKV_AWS_251', 'CKV2_AWS_10'] },
  check: (t) => {
    const c = t.config;
    return new Problems()
      .add(!isTrue(c.is_multi_region_trail), `is_multi_region_trail is ${show(c.is_multi_region_trail)}`, 'set is_multi_region_trail = true')
      .add(isFalse(c.include_global_service_events), 'include_global_service_events is false', 'remove include_global_service_events = false')
      .add(isFalse(c.enable_logging), 'enable_logging is false: the trail records nothing', 'remove enable_logging = false')
      .add(!isTrue(c.enable_log_file_validation), `enable_log_file_validation is ${show(c.enable_log_file_validation)}`,
        'set enable_log_file_validation = true')
      .add(!isSet(c.kms_key_id) || isAwsManagedKeyAlias(c.kms_key_id), 'kms_key_id is not a customer-managed key (log files use SSE-S3 only)',
        'set kms_key_id to a customer-managed KMS key ARN')
      .add(!isSet(c.cloud_watch_logs_group_arn), 'cloud_watch_logs_group_arn is not set: no delivery to CloudWatch Logs for alerting',
        'set cloud_watch_logs_group_arn ("<log group ARN>:*") and cloud_watch_logs_role_arn')
      .outcome('multi-region, global events, logging, validated, KMS-encrypted, delivered to CloudWatch Logs');
  },
  checkStack: (ctx): StackFinding[] => {
    const awsStack = ctx.stack.resourceTypes.some((t) => t.startsWith('aws_'));
    if (!awsStack || ctx.stack.resources('aws_cloudtrail').length > 0) return [];
    const address = 'aws_cloudtrail (none in stack)';
    if (ctx.existingOrganizationTrail) {
      return [{ address, type: 'aws_cloudtrail', status: CheckStatus.PASS, message: 'the spec declares an existing organization trail' }];
    }
    return [{
      address, type: 'aws_cloudtrail', status: CheckStatus.FAIL,
      message: 'the stack creates no CloudTrail trail and does not declare an existing organization trail',
      fix: 'create a trail (AwsAuditTrail) or set observability.existingOrganizationTrail = true when an organization trail covers this account',
    }];
  },
});

export const awsLogRetention: ComplianceRule = defineRule({
  id: RuleId.AWS_LOG_RET,
  title: 'CloudWatch log groups: retention floor and encryption',
  description:
    'Every aws_cloudwatch_log_group sets retention_in_days to at least the profile floor (baseline 90, soc2 365, '
    + 'hipaa 2192 = 6 years, 45 CFR 164.316(b)(2)(i); 0 = never expire also passes) and, under soc2/hipaa, encrypts '
    + 'with a KMS key (kms_key_id).',
  cloud: CloudProvider.AWS,
  minimumProfile: ComplianceProfile.BASELINE,
  resourceTypes: ['aws_cloudwatch_log_group'],
  controls: { hipaa: ['164.316(b)(2)(i)', '164.312(b)', '164.312(a)(2)(iv)'], soc2: ['CC7.2'] },
  upstream: { checkov: ['CKV_AWS_66', 'CKV_AWS_158', 'CKV_AWS_338'], cdkNag: ['CloudWatchLogGroupRetentionPeriod', 'CloudWatchLogGroupEncrypted'] },
  check: (g, ctx) => {
    const floor = retentionFloorDays(ctx.profile);
    const days = num(g.config.retention_in_days);
    const needKey = cmkRequired(ctx.profile);
    return new Problems()
      .add(days === undefined, `retention_in_days is ${show(g.config.retention_in_days)}`, `set retention_in_days >= ${floor} (${ctx.profile} floor)`)
      .add(days !== undefined && days !== 0 && days < floor, `retention_in_days is ${days}, below the ${ctx.profile} floor of ${floor} days`,
        `set retention_in_days >= ${floor}${floor === 2192 ? ' (CloudWatch accepts 2192, not 2190)' : ''}`)
      .add(needKey && !isSet(g.config.kms_key_id), 'kms_key_id is not set: the profile requires a customer-managed key for logs',
        'set kms_key_id to a KMS key whose policy lets logs.<region>.amazonaws.com use it')
      .outcome(`retention ${days === 0 ? 'never expires' : `${days} days`} (floor ${floor})${needKey ? ', KMS-encrypted' : ''}`);
  },
});

const POLICY_DOC_TYPES = ['aws_iam_policy', 'aws_iam_role_policy', 'aws_iam_user_policy', 'aws_iam_group_policy'];
const ATTACHMENT_TYPES = ['aws_iam_policy_attachment', 'aws_iam_role_policy_attachment', 'aws_iam_user_policy_attachment', 'aws_iam_group_policy_attachment'];
const ADMIN_POLICY = /:policy\/AdministratorAccess$/;

function adminStatements(statements: PolicyStatement[]): number[] {
  return statements.flatMap((s, i) => (s.effect === 'Allow' && s.actions.some((a) => a === '*' || a === '*:*') && s.resources.includes('*') ? [i] : []));
}

export const awsIamAdmin: ComplianceRule = defineRule({
  id: RuleId.AWS_IAM_ADMIN,
  title: 'No administrator policies',
  description:
    'No IAM policy (managed, inline on a role/user/group, or an aws_iam_role inline_policy) allows Action "*" on '
    + 'Resource "*", and no attachment or managed_policy_arns names AdministratorAccess. A document that is an '
    + 'expression unreadable at synth (e.g. Fn.jsonencode()) is reported as not evaluated.',
  cloud: CloudProvider.AWS,
  minimumProfile: ComplianceProfile.BASELINE,
  resourceTypes: [...POLICY_DOC_TYPES, 'aws_iam_role', ...ATTACHMENT_TYPES],
  controls: { hipaa: ['164.308(a)(4)(ii)(B)', '164.312(a)(1)'], soc2: ['CC6.1', 'CC6.3'] },
  upstream: { checkov: ['CKV_AWS_62', 'CKV_AWS_63', 'CKV_AWS_355'], cdkNag: ['IAMPolicyNoStatementsWithAdminAccess'] },
  check: (r, ctx) => {
    const p = new Problems();
    const fix = 'grant only the actions and resources the principal needs';
    if (ATTACHMENT_TYPES.includes(r.type)) {
      return p.add(strings(r.config.policy_arn).some((a) => ADMIN_POLICY.test(a)), 'attaches the AdministratorAccess managed policy',
        'attach a least-privilege policy instead').outcome('attaches no administrator policy');
    }
    if (r.type === 'aws_iam_role') {
      p.add(strings(r.config.managed_policy_arns).some((a) => ADMIN_POLICY.test(a)), 'managed_policy_arns includes AdministratorAccess',
        'attach a least-privilege policy instead');
      for (const [i, inline] of blocks(r.config.inline_policy).entries()) {
        for (const s of adminStatements(policyStatements(inline.policy, ctx.stack) ?? [])) {
          p.add(true, `inline_policy[${i}] statement ${s} allows "*" on "*"`, fix);
        }
      }
      return p.outcome('no administrator access declared on the role');
    }
    const statements = policyStatements(r.config.policy, ctx.stack);
    if (!statements) return notEvaluated(`cannot evaluate the policy document: it is ${unreadablePolicy(r.config.policy, ctx.stack) ?? 'unset'}`, READABLE_POLICY_FIX);
    for (const s of adminStatements(statements)) p.add(true, `statement ${s} allows Action "*" on Resource "*"`, fix);
    return p.outcome('no statement allows "*" on "*"');
  },
});

/** True if an AWS principal identifier may name another account (see AWS-IAM-TRUST). */
export function isForeignPrincipal(id: string): boolean {
  if (id === '*') return true;
  // References to the stack's own resources or data sources (aws_caller_identity, roles) stay in the account.
  if (/\$\{(data\.)?aws_[\w]+\./.test(id)) return false;
  return true;
}

export function crossAccountStatements(statements: PolicyStatement[]): PolicyStatement[] {
  return statements.filter((s) => s.effect === 'Allow' && matchesAction(s.actions, 'sts:AssumeRole')
    && (s.principals.AWS ?? []).some(isForeignPrincipal));
}

export const awsIamTrust: ComplianceRule = defineRule({
  id: RuleId.AWS_IAM_TRUST,
  title: 'Cross-account roles need an external id and a permissions boundary',
  description:
    'An aws_iam_role whose trust policy lets an AWS principal of another account (a literal account id or ARN, "*", or '
    + 'an expression other than a reference to this stack\'s resources) assume it requires an sts:ExternalId condition '
    + 'on that statement (confused-deputy protection) and sets permissions_boundary. Roles assumed by services or by '
    + 'this account only are not applicable; a trust policy unreadable at synth (e.g. Fn.jsonencode()) is not evaluated.',
  cloud: CloudProvider.AWS,
  minimumProfile: ComplianceProfile.BASELINE,
  resourceTypes: ['aws_iam_role'],
  controls: { hipaa: ['164.308(a)(4)(ii)(B)', '164.312(a)(1)'], soc2: ['CC6.1', 'CC6.3'] },
  upstream: {},
  check: (r, ctx) => {
    const statements = policyStatements(r.config.assume_role_policy, ctx.stack);
    if (!statements) return notEvaluated(`cannot evaluate the trust policy: it is ${unreadablePolicy(r.config.assume_role_policy, ctx.stack) ?? 'unset'}`, READABLE_POLICY_FIX);
    const cross = crossAccountStatements(statements);
    if (cross.length === 0) return notApplicable('not assumable by another account');
    const principals = cross.flatMap((s) => (s.principals.AWS ?? []).filter(isForeignPrincipal));
    const p = new Problems();
    for (const s of cross) {
      p.add(!s.conditions.some((c) => c.key.toLowerCase() === 'sts:externalid' && /^String(Equals|Like)$/.test(c.operator) && c.values.length > 0),
        `the trust statement for ${(s.principals.AWS ?? []).join(', ')} has no sts:ExternalId condition`,
        'add Condition { StringEquals: { "sts:ExternalId": "<external id agreed with the vendor>" } }');
    }
    p.add(!isSet(r.config.permissions_boundary), 'permissions_boundary is not set', 'set permissions_boundary to a policy that caps what the role can ever do');
    return p.outcome(`assumable by ${principals.join(', ')} with an sts:ExternalId condition and a permissions boundary`);
  },
});

export const AWS_AUDIT_IAM_RULES: ComplianceRule[] = [awsTrail, awsLogRetention, awsIamAdmin, awsIamTrust];
