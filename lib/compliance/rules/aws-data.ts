/** AWS data-at-rest rules: KMS keys and S3 buckets. */
import { CloudProvider, ComplianceProfile } from '../../spec';
import { externalKmsKeys } from '../external-keys';
import { READABLE_POLICY_FIX, policyStatements, unreadablePolicy } from '../policy-document';
import { CheckStatus, ComplianceRule, RuleId, StackIndex, TerraformResource } from '../types';
import { Json, Problems, block, blocks, fail, isAwsManagedKeyAlias, isSet, isTrue, notEvaluated, num, pass, show, str } from '../values';
import { cmkRequired, defineRule } from './define';

/** AWS KMS automatic rotation ceiling used by the presets (days). */
const KMS_MAX_ROTATION_DAYS = 365;

export const awsKmsRotate: ComplianceRule = defineRule({
  id: RuleId.AWS_KMS_ROTATE,
  title: 'KMS keys rotate; key policy not open',
  description:
    'Symmetric aws_kms_key resources set enable_key_rotation = true with rotation_period_in_days <= 365 (asymmetric and '
    + 'HMAC keys cannot rotate automatically and are checked for the policy only); the key policy has no Allow for '
    + 'Principal "*" without a condition. A key the stack uses but does not manage (a literal key ARN or id, or a '
    + 'data.aws_kms_key) is reported as not evaluated, as is a key policy the rule cannot read at synth.',
  cloud: CloudProvider.AWS,
  minimumProfile: ComplianceProfile.BASELINE,
  resourceTypes: ['aws_kms_key'],
  controls: { hipaa: ['164.312(a)(2)(iv)'], soc2: ['CC6.1'], cis: ['3.6'] },
  upstream: { checkov: ['CKV_AWS_7', 'CKV_AWS_33'] },
  check: (r, ctx) => {
    const c = r.config;
    const spec = str(c.customer_master_key_spec) ?? str(c.key_spec) ?? 'SYMMETRIC_DEFAULT';
    const symmetric = spec === 'SYMMETRIC_DEFAULT';
    const p = new Problems();
    if (symmetric) {
      p.add(!isTrue(c.enable_key_rotation), `enable_key_rotation is ${show(c.enable_key_rotation)}`, 'set enable_key_rotation = true');
      const period = num(c.rotation_period_in_days);
      p.add(period !== undefined && period > KMS_MAX_ROTATION_DAYS, `rotation_period_in_days is ${period}, above ${KMS_MAX_ROTATION_DAYS}`,
        `set rotation_period_in_days <= ${KMS_MAX_ROTATION_DAYS}`);
    }
    const statements = policyStatements(c.policy, ctx.stack) ?? [];
    statements.forEach((s, i) => p.add(s.effect === 'Allow' && s.anyPrincipal && s.conditions.length === 0,
      `key policy statement ${i} allows Principal "*" without a condition`,
      'name the account root or specific roles as principal, or add a condition (e.g. kms:CallerAccount)'));
    const unreadable = unreadablePolicy(c.policy, ctx.stack);
    if (p.empty && unreadable) {
      return notEvaluated(`${symmetric ? 'rotation on, but ' : ''}cannot evaluate the key policy: it is ${unreadable}`, READABLE_POLICY_FIX);
    }
    return p.outcome(symmetric ? `rotation on (every ${num(c.rotation_period_in_days) ?? KMS_MAX_ROTATION_DAYS} days), policy not open`
      : `${spec} key (no automatic rotation for this key spec), policy not open`);
  },
  checkStack: (ctx) => externalKmsKeys(ctx.stack).map(({ key, usedBy }) => ({
    address: `${key} (outside this stack)`, type: 'aws_kms_key', status: CheckStatus.NOT_EVALUATED,
    message: `the KMS key is used by ${usedBy.slice(0, 3).join(', ')}${usedBy.length > 3 ? ` and ${usedBy.length - 3} more` : ''} but not `
      + 'managed in this stack, so its rotation and key policy cannot be evaluated here',
    fix: 'check enable_key_rotation and the key policy where the key is managed (its policy must let the services that use it '
      + 'encrypt with it), or manage the key in this stack',
  })),
});

/** Resources of `type` whose `bucket` attribute refers to the bucket (by address or literal name). */
function bucketParts(stack: StackIndex, type: string, bucket: TerraformResource): TerraformResource[] {
  return stack.referrers(type, 'bucket', bucket, 'bucket');
}

/** True if the bucket receives S3 server access logs (aws_s3_bucket_logging or a legacy inline logging block). */
export function isAccessLogTarget(stack: StackIndex, bucket: TerraformResource): boolean {
  if (stack.referrers('aws_s3_bucket_logging', 'target_bucket', bucket, 'bucket').length > 0) return true;
  return stack.resources('aws_s3_bucket').some((b) => blocks(b.config.logging).some((l) => stack.refersTo(l.target_bucket, bucket, 'bucket')));
}

function sseDefaults(stack: StackIndex, bucket: TerraformResource): Json[] {
  const configs = bucketParts(stack, 'aws_s3_bucket_server_side_encryption_configuration', bucket).map((c) => c.config);
  const inline = blocks(bucket.config.server_side_encryption_configuration);
  return [...configs, ...inline].flatMap((c) => blocks(c.rule)).map((rule) => block(rule.apply_server_side_encryption_by_default))
    .filter((d): d is Json => !!d);
}

export const awsS3Encryption: ComplianceRule = defineRule({
  id: RuleId.AWS_S3_ENC,
  title: 'S3 default encryption with a customer-managed KMS key',
  description:
    'Every aws_s3_bucket has default server-side encryption (an aws_s3_bucket_server_side_encryption_configuration '
    + 'referencing it). baseline: any algorithm. soc2/hipaa: sse_algorithm aws:kms (or aws:kms:dsse) with '
    + 'kms_master_key_id set to a customer-managed key. Exception: S3 delivers server access logs only to buckets '
    + 'encrypted with SSE-S3, so a bucket that is the target_bucket of an aws_s3_bucket_logging passes with AES256.',
  cloud: CloudProvider.AWS,
  minimumProfile: ComplianceProfile.BASELINE,
  resourceTypes: ['aws_s3_bucket'],
  controls: { hipaa: ['164.312(a)(2)(iv)'], soc2: ['CC6.1'] },
  upstream: { checkov: ['CKV_AWS_145'], cdkNag: ['S3DefaultEncryptionKMS'] },
  check: (b, ctx) => {
    const defaults = sseDefaults(ctx.stack, b);
    if (defaults.length === 0) {
      return fail('no server-side encryption configuration references this bucket',
        'add an aws_s3_bucket_server_side_encryption_configuration for it with sse_algorithm = "aws:kms" and kms_master_key_id = <CMK ARN>');
    }
    if (!cmkRequired(ctx.profile)) return pass(`default encryption ${show(defaults[0].sse_algorithm)}`);
    const cmk = defaults.find((d) => /^aws:kms(:dsse)?$/.test(String(d.sse_algorithm)) && isSet(d.kms_master_key_id)
      && !isAwsManagedKeyAlias(d.kms_master_key_id));
    if (cmk) return pass(`SSE-KMS with customer-managed key ${show(cmk.kms_master_key_id)}`);
    if (defaults.some((d) => d.sse_algorithm === 'AES256') && isAccessLogTarget(ctx.stack, b)) {
      return pass('SSE-S3 (AES256): accepted for a server-access-log target bucket, since S3 log delivery does not support SSE-KMS destinations');
    }
    return fail(`default encryption is ${defaults.map((d) => `${show(d.sse_algorithm)} with key ${show(d.kms_master_key_id)}`).join(', ')}: the profile requires a customer-managed KMS key`,
      'set apply_server_side_encryption_by_default { sse_algorithm = "aws:kms", kms_master_key_id = <CMK ARN> }');
  },
});

const PAB_FLAGS = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'];

export const awsS3PublicAccess: ComplianceRule = defineRule({
  id: RuleId.AWS_S3_PUBLIC,
  title: 'S3 public access blocked',
  description:
    'Every aws_s3_bucket has an aws_s3_bucket_public_access_block referencing it with block_public_acls, '
    + 'block_public_policy, ignore_public_acls and restrict_public_buckets all true (or the stack sets all four on an '
    + 'aws_s3_account_public_access_block).',
  cloud: CloudProvider.AWS,
  minimumProfile: ComplianceProfile.BASELINE,
  resourceTypes: ['aws_s3_bucket'],
  controls: { hipaa: ['164.312(a)(1)'], soc2: ['CC6.1', 'CC6.6'], cis: ['2.1.4'] },
  upstream: { checkov: ['CKV2_AWS_6', 'CKV_AWS_53', 'CKV_AWS_54', 'CKV_AWS_55', 'CKV_AWS_56'] },
  check: (b, ctx) => {
    const account = ctx.stack.resources('aws_s3_account_public_access_block').find((a) => PAB_FLAGS.every((f) => isTrue(a.config[f])));
    if (account) return pass(`account-level public access block ${account.address} sets all four flags`);
    const pabs = bucketParts(ctx.stack, 'aws_s3_bucket_public_access_block', b);
    if (pabs.length === 0) {
      return fail('no aws_s3_bucket_public_access_block references this bucket',
        'add an aws_s3_bucket_public_access_block for it with all four flags true');
    }
    const missing = PAB_FLAGS.filter((f) => !pabs.some((pab) => isTrue(pab.config[f])));
    return missing.length === 0
      ? pass(`all four flags set by ${pabs[0].address}`)
      : fail(`${pabs[0].address} leaves ${missing.join(', ')} not true`, `set ${missing.join(', ')} = true`);
  },
});

export const awsS3Tls: ComplianceRule = defineRule({
  id: RuleId.AWS_S3_TLS,
  title: 'S3 requires TLS',
  description: 'Every aws_s3_bucket has a bucket policy with a Deny of s3:* for Principal "*" when aws:SecureTransport is false.',
  cloud: CloudProvider.AWS,
  minimumProfile: ComplianceProfile.BASELINE,
  resourceTypes: ['aws_s3_bucket'],
  controls: { hipaa: ['164.312(e)(1)', '164.312(e)(2)(ii)'], soc2: ['CC6.7'], cis: ['2.1.1'] },
  upstream: { cdkNag: ['S3BucketSSLRequestsOnly'] },
  check: (b, ctx) => {
    const docs = [...bucketParts(ctx.stack, 'aws_s3_bucket_policy', b).map((p) => p.config.policy), b.config.policy].filter(isSet);
    if (docs.length === 0) {
      return fail('no bucket policy references this bucket', 'add an aws_s3_bucket_policy with a Deny of s3:* when aws:SecureTransport is false');
    }
    const statements = docs.flatMap((d) => policyStatements(d, ctx.stack) ?? []);
    const ok = statements.some((s) => s.effect === 'Deny' && s.anyPrincipal
      && s.actions.some((a) => a === '*' || a.toLowerCase() === 's3:*')
      && s.conditions.some((c) => /^Bool(IfExists)?$/.test(c.operator) && c.key === 'aws:SecureTransport' && c.values.includes('false')));
    const unreadable = docs.map((d) => unreadablePolicy(d, ctx.stack)).find((why) => why !== undefined);
    if (!ok && unreadable) return notEvaluated(`cannot evaluate the bucket policy: it is ${unreadable}`, READABLE_POLICY_FIX);
    return ok
      ? pass('bucket policy denies requests without TLS')
      : fail('the bucket policy has no Deny of s3:* for Principal "*" with Bool aws:SecureTransport = false',
        'add a statement { Effect: Deny, Principal: "*", Action: "s3:*", Resource: [bucket, bucket/*], Condition: { Bool: { "aws:SecureTransport": "false" } } }');
  },
});

export const awsS3Versioning: ComplianceRule = defineRule({
  id: RuleId.AWS_S3_VERSION,
  title: 'S3 versioning',
  description:
    'Every aws_s3_bucket has versioning Enabled (aws_s3_bucket_versioning, or a legacy inline versioning block). '
    + 'Access logging is AWS-S3-LOGGING. Enforced under soc2 and hipaa.',
  cloud: CloudProvider.AWS,
  minimumProfile: ComplianceProfile.SOC2,
  resourceTypes: ['aws_s3_bucket'],
  controls: { hipaa: ['164.308(a)(7)(ii)(A)', '164.312(c)(1)'], soc2: ['A1.2'] },
  upstream: { checkov: ['CKV_AWS_21'] },
  check: (b, ctx) => {
    const versioned = bucketParts(ctx.stack, 'aws_s3_bucket_versioning', b)
      .some((v) => str(block(v.config.versioning_configuration)?.status) === 'Enabled')
      || blocks(b.config.versioning).some((v) => isTrue(v.enabled));
    return new Problems()
      .add(!versioned, 'versioning is not Enabled', 'add an aws_s3_bucket_versioning with versioning_configuration { status = "Enabled" }')
      .outcome('versioning Enabled');
  },
});

export const awsS3Logging: ComplianceRule = defineRule({
  id: RuleId.AWS_S3_LOGGING,
  title: 'S3 server access logging',
  description:
    'Every aws_s3_bucket has server access logging to a log bucket (aws_s3_bucket_logging, or a legacy inline logging '
    + 'block). A bucket that is itself an access-log target is exempt (logging it would need another log bucket, '
    + 'without end). Enforced under soc2 and hipaa; not in the baseline pack (the baseline preset does not log bucket access). '
    + 'Split from AWS-S3-VERSION, which used to check both.',
  cloud: CloudProvider.AWS,
  minimumProfile: ComplianceProfile.SOC2,
  resourceTypes: ['aws_s3_bucket'],
  controls: { hipaa: ['164.312(b)'], soc2: ['CC7.2'] },
  upstream: { checkov: ['CKV_AWS_18'] },
  check: (b, ctx) => {
    const logTarget = isAccessLogTarget(ctx.stack, b);
    const logged = bucketParts(ctx.stack, 'aws_s3_bucket_logging', b).some((l) => isSet(l.config.target_bucket))
      || blocks(b.config.logging).some((l) => isSet(l.target_bucket));
    if (logged) return pass('server access logging on');
    if (logTarget) return pass('this bucket is an access-log target (exempt from logging)');
    return fail('server access logging is not configured', 'add an aws_s3_bucket_logging with target_bucket = <access-log bucket>');
  },
});

export const AWS_DATA_RULES: ComplianceRule[] = [awsKmsRotate, awsS3Encryption, awsS3PublicAccess, awsS3Tls, awsS3Versioning, awsS3Logging];
