/**
 * AWS rules for a hostile sandbox and a vendor that sees only its platform: endpoint data
 * perimeter, DNS filtering under controlled egress, the audit trail out of the vendor's reach and
 * immutable, and vendor commands that leave a record.
 */
import { CloudProvider, ComplianceProfile } from '../../spec';
import { PolicyStatement, matchesAction, policyStatements } from '../policy-document';
import { ComplianceRule, RuleId, StackIndex, TerraformResource } from '../types';
import { Problems, block, blocks, fail, isSet, isTrue, notApplicable, num, pass, show, str, strings } from '../values';
import { crossAccountStatements } from './aws-audit-iam';
import { defineRule, retentionFloorDays } from './define';

const PERIMETER_KEYS = ['aws:principalaccount', 'aws:principalorgid'];

export const awsVpceSPolicy: ComplianceRule = defineRule({
  id: RuleId.AWS_VPCE_POLICY,
  title: 'Interface endpoints accept only this account\'s principals',
  description:
    'Every Interface aws_vpc_endpoint has a policy whose Allow statements require aws:PrincipalAccount (or '
    + 'aws:PrincipalOrgID). Without one the default policy ("*" on "*") lets anything that reaches the endpoint, a '
    + 'sandbox behind the nodes\' NAT included, call the service with another account\'s credentials and carry data past '
    + 'the egress control. A policy written as an expression (e.g. set only where the service supports endpoint '
    + 'policies) passes when its text names the key. Gateway endpoints are not applicable. Enforced under soc2 and '
    + 'hipaa; advisory under baseline.',
  cloud: CloudProvider.AWS,
  minimumProfile: ComplianceProfile.SOC2,
  advisoryProfiles: [ComplianceProfile.BASELINE],
  resourceTypes: ['aws_vpc_endpoint'],
  controls: { hipaa: ['164.312(a)(1)', '164.312(e)(1)'], soc2: ['CC6.1', 'CC6.6'] },
  upstream: {},
  check: (r, ctx) => {
    if ((str(r.config.vpc_endpoint_type) ?? 'Gateway') !== 'Interface') return notApplicable('not an interface endpoint');
    const doc = r.config.policy;
    const fix = 'set policy to Allow "*" only with Condition { StringEquals: { "aws:PrincipalAccount": "<this account>" } } '
      + '(and aws:ResourceAccount where every call targets this account\'s resources)';
    if (!isSet(doc)) return fail('no endpoint policy: the default policy allows any principal of any account', fix);
    const statements = policyStatements(doc, ctx.stack);
    if (!statements) {
      return typeof doc === 'string' && PERIMETER_KEYS.some((k) => doc.toLowerCase().includes(k))
        ? pass('the endpoint policy (an expression) limits principals with aws:PrincipalAccount')
        : fail(`the endpoint policy ${show(doc)} cannot be read and names no aws:PrincipalAccount`, fix);
    }
    const open = statements.filter((s) => s.effect === 'Allow' && !s.conditions.some((c) => PERIMETER_KEYS.includes(c.key.toLowerCase())));
    return open.length === 0
      ? pass('every Allow requires aws:PrincipalAccount')
      : fail(`${open.length} Allow statement(s) without aws:PrincipalAccount`, fix);
  },
});

/** True when the VPC's egress is controlled: a Network Firewall in it, or no internet gateway. */
function egressControlled(stack: StackIndex, vpc: TerraformResource): boolean {
  if (stack.referrers('aws_networkfirewall_firewall', 'vpc_id', vpc).length > 0) return true;
  const igws = stack.referrers('aws_internet_gateway', 'vpc_id', vpc).length + stack.referrers('aws_egress_only_internet_gateway', 'vpc_id', vpc).length;
  return igws === 0;
}

export const awsDnsFirewall: ComplianceRule = defineRule({
  id: RuleId.AWS_DNS_FW,
  title: 'DNS is filtered where egress is controlled',
  description:
    'Every aws_vpc of the stack whose egress is controlled (an aws_networkfirewall_firewall in it, or no internet '
    + 'gateway) has a Route 53 Resolver DNS Firewall: an aws_route53_resolver_firewall_rule_group_association for the VPC '
    + 'and an aws_route53_resolver_firewall_config with firewall_fail_open = "DISABLED". DNS queries travel through the '
    + 'Resolver, not the VPC\'s routes, so without it a sandbox tunnels data out through DNS whatever the network allows. '
    + 'VPCs with open egress are not applicable. Enforced under soc2 and hipaa; advisory under baseline.',
  cloud: CloudProvider.AWS,
  minimumProfile: ComplianceProfile.SOC2,
  advisoryProfiles: [ComplianceProfile.BASELINE],
  resourceTypes: ['aws_vpc'],
  controls: { hipaa: ['164.312(e)(1)'], soc2: ['CC6.6'] },
  upstream: {},
  check: (vpc, ctx) => {
    if (!egressControlled(ctx.stack, vpc)) return notApplicable('egress is open (internet gateway, no Network Firewall): DNS filtering would not narrow it');
    const assoc = ctx.stack.referrers('aws_route53_resolver_firewall_rule_group_association', 'vpc_id', vpc);
    const configs = ctx.stack.referrers('aws_route53_resolver_firewall_config', 'resource_id', vpc);
    return new Problems()
      .add(assoc.length === 0, 'no DNS Firewall rule group is associated with the VPC',
        'add an aws_route53_resolver_firewall_rule_group that allows the needed names and blocks "*", associated with the VPC')
      .add(!configs.some((c) => str(c.config.firewall_fail_open) === 'DISABLED'),
        'no aws_route53_resolver_firewall_config with firewall_fail_open = "DISABLED": queries are answered when the firewall is impaired',
        'add an aws_route53_resolver_firewall_config { resource_id = <VPC id>, firewall_fail_open = "DISABLED" }')
      .outcome(`DNS Firewall associated (${assoc.map((a) => a.address).join(', ')}), failing closed`);
  },
});

const LOG_READ = ['logs:GetLogEvents', 'logs:FilterLogEvents', 'logs:StartQuery', 'logs:StartLiveTail', 'logs:GetLogRecord'];

/** Glob match of a log-group name against the name part of an IAM resource ARN pattern. */
function logGroupCovered(resource: string, groupName: string): boolean {
  if (resource === '*') return true;
  const at = resource.indexOf('log-group:');
  if (at < 0) return false;
  const pattern = resource.slice(at + 'log-group:'.length).replace(/:\*$/, '').replace(/:log-stream:.*$/, '');
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(groupName);
}

/** Policy statements granted to a role: inline role policies, attached managed policies of the stack, inline_policy blocks. */
export function roleStatements(stack: StackIndex, role: TerraformResource): PolicyStatement[] {
  const docs: unknown[] = [
    ...stack.referrers('aws_iam_role_policy', 'role', role, 'name').map((p) => p.config.policy),
    ...blocks(role.config.inline_policy).map((p) => p.policy),
  ];
  for (const att of stack.referrers('aws_iam_role_policy_attachment', 'role', role, 'name')) {
    for (const pol of stack.referencedResources(att.config.policy_arn, 'aws_iam_policy')) docs.push(pol.config.policy);
  }
  return docs.flatMap((d) => policyStatements(d, stack) ?? []);
}

function crossAccountRoles(stack: StackIndex): TerraformResource[] {
  return stack.resources('aws_iam_role').filter((r) => crossAccountStatements(policyStatements(r.config.assume_role_policy, stack) ?? []).length > 0);
}

export const awsTrailVendor: ComplianceRule = defineRule({
  id: RuleId.AWS_TRAIL_VENDOR,
  title: 'The vendor cannot read the audit trail',
  description:
    'No IAM role of the stack that another account can assume (the BYOC vendor\'s) is allowed to read the CloudWatch Logs '
    + 'group an aws_cloudtrail delivers to (logs:GetLogEvents, FilterLogEvents, StartQuery, StartLiveTail, GetLogRecord on '
    + 'a resource pattern matching it, "*" included). The trail records the whole account: the vendor sees its platform, '
    + 'not the customer. A trail whose log group name is not literal is not applicable.',
  cloud: CloudProvider.AWS,
  minimumProfile: ComplianceProfile.BASELINE,
  resourceTypes: ['aws_cloudtrail'],
  controls: { hipaa: ['164.308(a)(4)(ii)(B)', '164.312(a)(1)'], soc2: ['CC6.1', 'CC6.3'] },
  upstream: {},
  check: (t, ctx) => {
    if (!isSet(t.config.cloud_watch_logs_group_arn)) return notApplicable('the trail delivers to no CloudWatch Logs group');
    const groups = ctx.stack.referencedResources(t.config.cloud_watch_logs_group_arn, 'aws_cloudwatch_log_group');
    const name = groups.length > 0 ? str(groups[0].config.name) : undefined;
    if (!name) return notApplicable(`the trail's log group ${show(t.config.cloud_watch_logs_group_arn)} has no literal name in the stack`);
    const p = new Problems();
    for (const role of crossAccountRoles(ctx.stack)) {
      const readers = roleStatements(ctx.stack, role).filter((s) => s.effect === 'Allow'
        && LOG_READ.some((a) => matchesAction(s.actions, a)) && s.resources.some((res) => logGroupCovered(res, name)));
      p.add(readers.length > 0, `cross-account role ${role.address} may read the trail's log group ${name}`,
        `move the trail's log group outside the prefix the role reads (e.g. /audit/<name>/cloudtrail), or list the role's readable log groups explicitly`);
    }
    return p.outcome(`no cross-account role can read ${name}`);
  },
});

export const awsTrailLock: ComplianceRule = defineRule({
  id: RuleId.AWS_TRAIL_LOCK,
  title: 'Audit log files are immutable for the retention floor',
  description:
    'The S3 bucket of every aws_cloudtrail (when the stack creates it) has object_lock_enabled, an '
    + 'aws_s3_bucket_object_lock_configuration whose default retention (days, or years x 365) is at least the profile\'s '
    + 'log retention floor, and no lifecycle rule expiring noncurrent versions sooner. Log-file validation detects '
    + 'tampering; Object Lock prevents it. Enforced under hipaa (lockLogRetention).',
  cloud: CloudProvider.AWS,
  minimumProfile: ComplianceProfile.HIPAA,
  resourceTypes: ['aws_cloudtrail'],
  controls: { hipaa: ['164.312(c)(1)', '164.312(b)', '164.316(b)(2)(i)'], soc2: ['CC7.2'] },
  upstream: { checkov: ['CKV_AWS_143'] },
  check: (t, ctx) => {
    const buckets = ctx.stack.referencedResources(t.config.s3_bucket_name, 'aws_s3_bucket');
    if (buckets.length === 0) return notApplicable(`the trail bucket ${show(t.config.s3_bucket_name)} is not created by this stack`);
    const b = buckets[0];
    const floor = retentionFloorDays(ctx.profile);
    const locks = ctx.stack.referrers('aws_s3_bucket_object_lock_configuration', 'bucket', b, 'bucket');
    const retention = locks.map((l) => block(block(l.config.rule)?.default_retention)).filter((r) => r)
      .map((r) => num(r!.days) ?? (num(r!.years) !== undefined ? num(r!.years)! * 365 : 0));
    const noncurrent = ctx.stack.referrers('aws_s3_bucket_lifecycle_configuration', 'bucket', b, 'bucket')
      .flatMap((l) => blocks(l.config.rule)).filter((r) => str(r.status) !== 'Disabled')
      .flatMap((r) => blocks(r.noncurrent_version_expiration)).map((e) => num(e.noncurrent_days)).filter((d): d is number => d !== undefined);
    return new Problems()
      .add(!isTrue(b.config.object_lock_enabled), `${b.address} has no object_lock_enabled`,
        'create the bucket with object_lock_enabled = true (it cannot be turned on for an existing bucket by Terraform: a new bucket)')
      .add(!retention.some((d) => d >= floor), `no default retention of at least ${floor} days (found ${retention.length ? retention.join(', ') : 'none'})`,
        `add an aws_s3_bucket_object_lock_configuration with rule.default_retention { mode = "GOVERNANCE" or "COMPLIANCE", days = ${floor} }`)
      .add(noncurrent.some((d) => d < floor), `noncurrent versions expire after ${Math.min(...noncurrent)} days, before the ${floor}-day floor`,
        `set noncurrent_version_expiration.noncurrent_days >= ${floor}`)
      .outcome(`Object Lock default retention >= ${floor} days on ${b.address}`);
  },
});

export const awsSsmRecord: ComplianceRule = defineRule({
  id: RuleId.AWS_SSM_RECORD,
  title: 'The vendor\'s commands leave a record',
  description:
    'An IAM role that another account can assume may use ssm:SendCommand only with Run Command documents the stack '
    + 'creates (aws_ssm_document references, e.g. one that records the script and its output), never "*" or an '
    + 'AWS-owned document such as AWS-RunShellScript, whose commands CloudTrail records only as "a command was sent"; '
    + 'and it may not ssm:StartSession. Roles not assumable by another account are not applicable. Enforced under soc2 and hipaa.',
  cloud: CloudProvider.AWS,
  minimumProfile: ComplianceProfile.SOC2,
  resourceTypes: ['aws_iam_role'],
  controls: { hipaa: ['164.312(b)', '164.308(a)(1)(ii)(D)'], soc2: ['CC7.2', 'CC6.1'] },
  upstream: {},
  check: (r, ctx) => {
    const trust = policyStatements(r.config.assume_role_policy, ctx.stack);
    if (!trust || crossAccountStatements(trust).length === 0) return notApplicable('not assumable by another account');
    const statements = roleStatements(ctx.stack, r).filter((s) => s.effect === 'Allow');
    const p = new Problems();
    for (const s of statements.filter((x) => matchesAction(x.actions, 'ssm:SendCommand'))) {
      for (const res of s.resources) {
        const isDoc = res === '*' || res.includes(':document/');
        const own = res.includes('${aws_ssm_document.');
        p.add(isDoc && !own, `ssm:SendCommand is allowed with document ${res}, whose commands are not recorded`,
          'allow ssm:SendCommand only on the ARN of a recording document of the stack (AwsShellAudit) and on the instances');
      }
    }
    for (const s of statements.filter((x) => matchesAction(x.actions, 'ssm:StartSession'))) {
      p.add(true, `ssm:StartSession is allowed on ${strings(s.resources).join(', ')}`, 'remove ssm:StartSession from the cross-account role');
    }
    return p.outcome('SendCommand only with the stack\'s recording documents; no sessions');
  },
});

export const AWS_PERIMETER_RULES: ComplianceRule[] = [awsVpceSPolicy, awsDnsFirewall, awsTrailVendor, awsTrailLock, awsSsmRecord];
