import { ComplianceProfile } from '../lib/spec';
import { ResourceResult, ResultStatus, RuleId, RuleSeverity, allRules, evaluate, ruleById } from '../lib/compliance';

/* Fixtures are small synthesized-JSON fragments: { <type>: { <logicalId>: <config> } }. */
type Blocks = Record<string, Record<string, Record<string, unknown>>>;
interface Options { readonly profile?: ComplianceProfile; readonly data?: Blocks; readonly existingOrganizationTrail?: boolean }

const B = ComplianceProfile.BASELINE;
const S = ComplianceProfile.SOC2;
const H = ComplianceProfile.HIPAA;

/** Evaluates one rule on a fixture (profile default: the least strict that enforces it); results by address. */
function run(id: RuleId, resource: Blocks, opts: Options = {}): Record<string, ResourceResult> {
  const rule = ruleById(id)!;
  const report = evaluate({ resource, data: opts.data }, {
    profile: opts.profile ?? rule.profiles[0], clouds: rule.clouds, existingOrganizationTrail: opts.existingOrganizationTrail,
  });
  const rr = report.rules.find((r) => r.id === id);
  if (!rr) throw new Error(`${id} is not in the ${opts.profile} pack`);
  return Object.fromEntries(rr.results.map((r) => [r.address, r]));
}

function expectPass(results: Record<string, ResourceResult>, address: string, message?: RegExp): void {
  expect(results[address]).toBeDefined();
  expect({ address, status: results[address].status, message: results[address].message }).toMatchObject({ address, status: ResultStatus.PASS });
  if (message) expect(results[address].message).toMatch(message);
}

function expectFail(results: Record<string, ResourceResult>, address: string, message: RegExp, fix?: RegExp): void {
  expect(results[address]).toBeDefined();
  expect({ address, status: results[address].status }).toEqual({ address, status: ResultStatus.FAIL });
  expect(results[address].message).toMatch(message);
  expect(results[address].fix).toBeTruthy();
  if (fix) expect(results[address].fix).toMatch(fix);
}

function expectNotApplicable(results: Record<string, ResourceResult>, address: string, message?: RegExp): void {
  expect({ address, status: results[address]?.status }).toEqual({ address, status: ResultStatus.NOT_APPLICABLE });
  if (message) expect(results[address].message).toMatch(message);
}

const tested = new Set<string>();
afterAll(() => {
  // Every rule of COMPLIANCE-RULES.md has at least one compliant and one non-compliant fixture below.
  expect(allRules().map((r) => r.id).filter((id) => !tested.has(id))).toEqual([]);
});
function rule(id: RuleId, fn: () => void): void {
  describe(id, () => {
    tested.add(id);
    fn();
  });
}

const KMS = '${aws_kms_key.k.arn}';
const imds = { http_tokens: 'required', http_put_response_hop_limit: 1 };

describe('AWS rules', () => {
  rule(RuleId.AWS_EC2_IMDS, () => {
    const r = run(RuleId.AWS_EC2_IMDS, {
      aws_launch_template: { good: { metadata_options: imds }, none: {} },
      aws_instance: {
        bad: { metadata_options: { http_tokens: 'optional', http_put_response_hop_limit: 2 } },
        disabled: { metadata_options: { http_endpoint: 'disabled' } },
        fromlt: { launch_template: { id: '${aws_launch_template.good.id}' } },
      },
    });
    it('passes IMDSv2 with hop limit 1, or a disabled endpoint', () => {
      expectPass(r, 'aws_launch_template.good', /IMDSv2 required, hop limit 1/);
      expectPass(r, 'aws_instance.disabled', /disabled/);
    });
    it('fails IMDSv1 or a hop limit above 1, naming both', () => {
      expectFail(r, 'aws_instance.bad', /http_tokens is "optional".*hop_limit is 2/, /http_tokens = "required".*hop_limit = 1/);
      expectFail(r, 'aws_launch_template.none', /metadata_options is not set/);
    });
    it('defers an instance launched from a template to the template', () => expectNotApplicable(r, 'aws_instance.fromlt', /launch template/));
  });

  rule(RuleId.AWS_EC2_EBS, () => {
    const fixture: Blocks = {
      aws_ebs_volume: { plain: { encrypted: true }, clear: { encrypted: false } },
      aws_launch_template: {
        cmk: { block_device_mappings: [{ device_name: '/dev/xvda', ebs: { encrypted: 'true', kms_key_id: KMS } }] },
        nobdm: {},
      },
      aws_instance: { root: { root_block_device: { encrypted: false } } },
    };
    it('baseline accepts any encryption; fails unencrypted volumes', () => {
      const r = run(RuleId.AWS_EC2_EBS, fixture, { profile: B });
      expectPass(r, 'aws_ebs_volume.plain');
      expectFail(r, 'aws_ebs_volume.clear', /volume\.encrypted is false/, /encrypted = true/);
      expectFail(r, 'aws_instance.root', /root_block_device\.encrypted is false/);
      expectFail(r, 'aws_launch_template.nobdm', /declares no ebs volume/);
    });
    it('soc2/hipaa require a customer-managed key', () => {
      const r = run(RuleId.AWS_EC2_EBS, fixture, { profile: H });
      expectPass(r, 'aws_launch_template.cmk', /customer-managed/);
      expectFail(r, 'aws_ebs_volume.plain', /kms_key_id is unset: the profile requires a customer-managed KMS key/);
    });
    it('accepts undeclared volumes when the stack enables EBS encryption by default', () => {
      const r = run(RuleId.AWS_EC2_EBS, { ...fixture, aws_ebs_encryption_by_default: { d: { enabled: true } } }, { profile: B });
      expectPass(r, 'aws_launch_template.nobdm', /encryption by default/);
    });
  });

  rule(RuleId.AWS_EC2_PUBIP, () => {
    const r = run(RuleId.AWS_EC2_PUBIP, {
      aws_subnet: { priv: { map_public_ip_on_launch: false }, pubnode: { map_public_ip_on_launch: true }, nat: { map_public_ip_on_launch: true } },
      aws_autoscaling_group: { asg: { vpc_zone_identifier: ['${aws_subnet.priv.id}', '${aws_subnet.pubnode.id}'] } },
      aws_launch_template: {
        good: { network_interfaces: [{ associate_public_ip_address: 'false' }] },
        bad: { network_interfaces: [{ associate_public_ip_address: 'true' }] },
      },
      aws_instance: { pub: { associate_public_ip_address: true } },
    });
    it('passes private nodes and private node subnets', () => {
      expectPass(r, 'aws_launch_template.good');
      expectPass(r, 'aws_subnet.priv', /hosts nodes/);
    });
    it('fails public IPs on nodes and public-mapping node subnets', () => {
      expectFail(r, 'aws_launch_template.bad', /network_interfaces\[0\]\.associate_public_ip_address = true/);
      expectFail(r, 'aws_instance.pub', /associate_public_ip_address = true/);
      expectFail(r, 'aws_subnet.pubnode', /map_public_ip_on_launch = true/, /map_public_ip_on_launch = false/);
    });
    it('ignores subnets that host no nodes', () => expectNotApplicable(r, 'aws_subnet.nat'));
  });

  rule(RuleId.AWS_EC2_PROFILE, () => {
    const r = run(RuleId.AWS_EC2_PROFILE, {
      aws_launch_template: { good: { iam_instance_profile: { arn: '${aws_iam_instance_profile.p.arn}' } }, bad: {} },
      aws_instance: { bad: {} },
    });
    it('passes an attached profile', () => expectPass(r, 'aws_launch_template.good'));
    it('fails a missing profile', () => {
      expectFail(r, 'aws_launch_template.bad', /iam_instance_profile is not set/);
      expectFail(r, 'aws_instance.bad', /iam_instance_profile is not set/);
    });
  });

  rule(RuleId.AWS_EC2_MON, () => {
    const fixture: Blocks = { aws_launch_template: { good: { monitoring: { enabled: true } } }, aws_instance: { bad: {} } };
    it('hipaa: error when detailed monitoring is off', () => {
      const r = run(RuleId.AWS_EC2_MON, fixture, { profile: H });
      expectPass(r, 'aws_launch_template.good');
      expectFail(r, 'aws_instance.bad', /monitoring is unset/, /monitoring = true/);
      expect(r['aws_instance.bad'].severity).toBe(RuleSeverity.ERROR);
    });
    it('soc2: advisory warning', () => {
      expect(run(RuleId.AWS_EC2_MON, fixture, { profile: S })['aws_instance.bad'].severity).toBe(RuleSeverity.WARNING);
    });
  });

  rule(RuleId.AWS_VPC_FLOW, () => {
    const r = run(RuleId.AWS_VPC_FLOW, {
      aws_vpc: { a: {}, b: {}, c: {} },
      aws_flow_log: {
        all: { vpc_id: '${aws_vpc.a.id}', traffic_type: 'ALL' },
        rej: { vpc_id: '${aws_vpc.b.id}', traffic_type: 'REJECT' },
      },
    });
    it('passes a VPC with an ALL flow log', () => expectPass(r, 'aws_vpc.a', /aws_flow_log\.all/));
    it('fails partial or missing flow logs', () => {
      expectFail(r, 'aws_vpc.b', /traffic_type "REJECT"/, /traffic_type = "ALL"/);
      expectFail(r, 'aws_vpc.c', /no aws_flow_log references this VPC/);
    });
  });

  rule(RuleId.AWS_SG_ADMIN, () => {
    const r = run(RuleId.AWS_SG_ADMIN, {
      aws_security_group: {
        ssh: { ingress: [{ cidr_blocks: ['0.0.0.0/0'], from_port: 22, to_port: 22, protocol: 'tcp' }] },
        https: { ingress: [{ cidr_blocks: ['10.0.0.0/8'], from_port: 443, to_port: 443, protocol: 'tcp' }] },
      },
      aws_vpc_security_group_ingress_rule: { all6: { cidr_ipv6: '::/0', ip_protocol: '-1' } },
      aws_security_group_rule: {
        rdp: { type: 'ingress', cidr_blocks: ['0.0.0.0/0'], from_port: 3000, to_port: 4000, protocol: 'tcp' },
        out: { type: 'egress', cidr_blocks: ['0.0.0.0/0'], from_port: 0, to_port: 0, protocol: '-1' },
      },
    });
    it('passes ingress from private ranges', () => expectPass(r, 'aws_security_group.https'));
    it('fails SSH/RDP (or all traffic) from the internet', () => {
      expectFail(r, 'aws_security_group.ssh', /ingress\[0\] allows tcp 22 from 0\.0\.0\.0\/0/, /SSM/);
      expectFail(r, 'aws_security_group_rule.rdp', /tcp 3000-4000/);
      expectFail(r, 'aws_vpc_security_group_ingress_rule.all6', /all traffic from ::\/0/);
    });
    it('skips egress rules', () => expectNotApplicable(r, 'aws_security_group_rule.out'));
  });

  rule(RuleId.AWS_SG_OPEN, () => {
    const https = { ingress: [{ cidr_blocks: ['0.0.0.0/0'], from_port: 443, to_port: 443, protocol: 'tcp' }] };
    const r = run(RuleId.AWS_SG_OPEN, {
      aws_security_group: { lb: https, nolb: https, app: { ingress: [{ cidr_blocks: ['0.0.0.0/0'], from_port: 8080, to_port: 8080, protocol: 'tcp' }] } },
      aws_lb: { alb: { security_groups: ['${aws_security_group.lb.id}'] } },
    });
    it('allows HTTPS from the internet to a load balancer only', () => {
      expectPass(r, 'aws_security_group.lb', /load balancer/);
      expectFail(r, 'aws_security_group.nolb', /allows tcp 443 from 0\.0\.0\.0\/0/);
    });
    it('fails any other internet ingress', () => expectFail(r, 'aws_security_group.app', /tcp 8080/, /restrict the source/));
  });

  rule(RuleId.AWS_SG_EGRESS, () => {
    const r = run(RuleId.AWS_SG_EGRESS, {
      aws_security_group: {
        web: { egress: [{ cidr_blocks: ['0.0.0.0/0'], from_port: 443, to_port: 443, protocol: 'tcp' }] },
        open: { egress: [{ cidr_blocks: ['0.0.0.0/0'], from_port: 0, to_port: 0, protocol: '-1' }] },
        other: { egress: [{ cidr_blocks: ['0.0.0.0/0'], from_port: 0, to_port: 0, protocol: '-1' }] },
      },
      aws_launch_template: {
        a: { vpc_security_group_ids: ['${aws_security_group.web.id}'] },
        b: { network_interfaces: [{ security_groups: ['${aws_security_group.open.id}'] }] },
      },
      aws_vpc_security_group_egress_rule: { wide: { security_group_id: '${aws_security_group.web.id}', cidr_ipv4: '0.0.0.0/0', ip_protocol: 'tcp', from_port: 0, to_port: 65535 } },
    });
    it('passes port-limited egress from sandbox hosts', () => expectPass(r, 'aws_security_group.web'));
    it('fails all-protocol or all-port egress to the internet', () => {
      expectFail(r, 'aws_security_group.open', /egress\[0\] allows all traffic to 0\.0\.0\.0\/0/, /egress mode/);
      expectFail(r, 'aws_vpc_security_group_egress_rule.wide', /tcp 0-65535 to 0\.0\.0\.0\/0/);
    });
    it('ignores groups that are not on sandbox hosts', () => expectNotApplicable(r, 'aws_security_group.other', /sandbox hosts/));
  });

  rule(RuleId.AWS_SG_DEFAULT, () => {
    const r = run(RuleId.AWS_SG_DEFAULT, {
      aws_vpc: { managed: {}, unmanaged: {} },
      aws_default_security_group: {
        closed: { vpc_id: '${aws_vpc.managed.id}', ingress: [], egress: [] },
        open: { ingress: [{ self: true, protocol: '-1', from_port: 0, to_port: 0 }] },
      },
    });
    it('passes a managed, closed default group', () => {
      expectPass(r, 'aws_vpc.managed', /aws_default_security_group\.closed/);
      expectPass(r, 'aws_default_security_group.closed');
    });
    it('fails an unmanaged or open default group', () => {
      expectFail(r, 'aws_vpc.unmanaged', /default security group keeps the rules AWS creates/);
      expectFail(r, 'aws_default_security_group.open', /1 ingress rule/);
    });
  });

  rule(RuleId.AWS_KMS_ROTATE, () => {
    const open = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' }] });
    const r = run(RuleId.AWS_KMS_ROTATE, {
      aws_kms_key: {
        good: { enable_key_rotation: true, rotation_period_in_days: 365 },
        norotate: { enable_key_rotation: false },
        long: { enable_key_rotation: true, rotation_period_in_days: 730 },
        open: { enable_key_rotation: true, policy: open },
        sign: { customer_master_key_spec: 'RSA_2048', key_usage: 'SIGN_VERIFY' },
      },
    });
    it('passes rotating keys and asymmetric keys with a closed policy', () => {
      expectPass(r, 'aws_kms_key.good', /every 365 days/);
      expectPass(r, 'aws_kms_key.sign', /RSA_2048/);
    });
    it('fails no rotation, long rotation and open policies', () => {
      expectFail(r, 'aws_kms_key.norotate', /enable_key_rotation is false/);
      expectFail(r, 'aws_kms_key.long', /730, above 365/);
      expectFail(r, 'aws_kms_key.open', /allows Principal "\*" without a condition/);
    });
  });

  rule(RuleId.AWS_S3_ENC, () => {
    const sse = (bucket: string, algo: string, key?: string) => ({
      bucket: `\${aws_s3_bucket.${bucket}.id}`, rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: algo, ...(key ? { kms_master_key_id: key } : {}) } }],
    });
    const fixture: Blocks = {
      aws_s3_bucket: { cmk: {}, aes: {}, logs: { bucket: 'acme-logs' }, none: {} },
      aws_s3_bucket_server_side_encryption_configuration: { cmk: sse('cmk', 'aws:kms', KMS), aes: sse('aes', 'AES256'), logs: sse('logs', 'AES256') },
      aws_s3_bucket_logging: { l: { bucket: '${aws_s3_bucket.cmk.id}', target_bucket: 'acme-logs' } },
    };
    it('hipaa: passes SSE-KMS with a CMK; fails SSE-S3', () => {
      const r = run(RuleId.AWS_S3_ENC, fixture, { profile: H });
      expectPass(r, 'aws_s3_bucket.cmk', /customer-managed key/);
      expectFail(r, 'aws_s3_bucket.aes', /"AES256".*requires a customer-managed KMS key/, /aws:kms/);
    });
    it('hipaa: accepts SSE-S3 on a server-access-log target bucket (AWS limitation)', () => {
      expectPass(run(RuleId.AWS_S3_ENC, fixture, { profile: H }), 'aws_s3_bucket.logs', /access-log target/);
    });
    it('baseline: any default encryption; none fails', () => {
      const r = run(RuleId.AWS_S3_ENC, fixture, { profile: B });
      expectPass(r, 'aws_s3_bucket.aes', /AES256/);
      expectFail(r, 'aws_s3_bucket.none', /no server-side encryption configuration references this bucket/);
    });
  });

  rule(RuleId.AWS_S3_PUBLIC, () => {
    const flags = { block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true };
    const r = run(RuleId.AWS_S3_PUBLIC, {
      aws_s3_bucket: { good: {}, partial: {}, none: {} },
      aws_s3_bucket_public_access_block: {
        good: { bucket: '${aws_s3_bucket.good.id}', ...flags },
        partial: { bucket: '${aws_s3_bucket.partial.bucket}', ...flags, restrict_public_buckets: false },
      },
    });
    it('passes all four flags', () => expectPass(r, 'aws_s3_bucket.good'));
    it('fails missing or partial blocks', () => {
      expectFail(r, 'aws_s3_bucket.partial', /restrict_public_buckets not true/, /restrict_public_buckets = true/);
      expectFail(r, 'aws_s3_bucket.none', /no aws_s3_bucket_public_access_block references this bucket/);
    });
    it('accepts an account-level block', () => {
      const a = run(RuleId.AWS_S3_PUBLIC, { aws_s3_bucket: { x: {} }, aws_s3_account_public_access_block: { acct: flags } });
      expectPass(a, 'aws_s3_bucket.x', /account-level/);
    });
  });

  rule(RuleId.AWS_S3_TLS, () => {
    const deny = { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: ['arn'], Condition: { Bool: { 'aws:SecureTransport': 'false' } } };
    const r = run(RuleId.AWS_S3_TLS, {
      aws_s3_bucket: { json: {}, doc: {}, weak: {}, none: {} },
      aws_s3_bucket_policy: {
        json: { bucket: '${aws_s3_bucket.json.id}', policy: JSON.stringify({ Version: '2012-10-17', Statement: [deny] }) },
        doc: { bucket: '${aws_s3_bucket.doc.id}', policy: '${data.aws_iam_policy_document.tls.json}' },
        weak: { bucket: '${aws_s3_bucket.weak.id}', policy: JSON.stringify({ Statement: [{ ...deny, Action: 's3:GetObject' }] }) },
      },
    }, {
      data: {
        aws_iam_policy_document: {
          tls: {
            statement: [{
              effect: 'Deny', actions: ['s3:*'], resources: ['*'], principals: [{ type: '*', identifiers: ['*'] }],
              condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
            }],
          },
        },
      },
    });
    it('passes a TLS deny (JSON or aws_iam_policy_document)', () => {
      expectPass(r, 'aws_s3_bucket.json');
      expectPass(r, 'aws_s3_bucket.doc');
    });
    it('fails a missing or partial deny', () => {
      expectFail(r, 'aws_s3_bucket.weak', /no Deny of s3:\*/, /aws:SecureTransport/);
      expectFail(r, 'aws_s3_bucket.none', /no bucket policy references this bucket/);
    });
  });

  rule(RuleId.AWS_S3_VERSION, () => {
    const on = (b: string) => ({ bucket: `\${aws_s3_bucket.${b}.id}`, versioning_configuration: { status: 'Enabled' } });
    const fixture: Blocks = {
      aws_s3_bucket: { data: {}, bare: {} },
      aws_s3_bucket_versioning: { data: on('data') },
    };
    it('passes a versioned bucket, whether or not it is logged (logging is AWS-S3-LOGGING)', () => {
      expectPass(run(RuleId.AWS_S3_VERSION, fixture, { profile: S }), 'aws_s3_bucket.data', /versioning Enabled/);
    });
    it('fails an unversioned bucket, naming only versioning (and is not in the baseline pack)', () => {
      const r = run(RuleId.AWS_S3_VERSION, fixture, { profile: S });
      expectFail(r, 'aws_s3_bucket.bare', /^versioning is not Enabled$/);
      expect(() => run(RuleId.AWS_S3_VERSION, fixture, { profile: B })).toThrow(/not in the baseline pack/);
    });
  });

  rule(RuleId.AWS_S3_LOGGING, () => {
    const fixture: Blocks = {
      aws_s3_bucket: { data: {}, logs: {}, bare: {} },
      aws_s3_bucket_logging: { data: { bucket: '${aws_s3_bucket.data.id}', target_bucket: '${aws_s3_bucket.logs.bucket}' } },
    };
    it('passes a logged bucket and exempts the log bucket', () => {
      const r = run(RuleId.AWS_S3_LOGGING, fixture, { profile: S });
      expectPass(r, 'aws_s3_bucket.data', /access logging on/);
      expectPass(r, 'aws_s3_bucket.logs', /access-log target/);
    });
    it('fails an unlogged bucket with an id that says logging', () => {
      expectFail(run(RuleId.AWS_S3_LOGGING, fixture, { profile: H }), 'aws_s3_bucket.bare', /server access logging is not configured/, /aws_s3_bucket_logging/);
    });
  });

  rule(RuleId.AWS_VPCE_POLICY, () => {
    const perimeter = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalAccount': '123456789012' } } }] });
    const open = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] });
    const r = run(RuleId.AWS_VPCE_POLICY, {
      aws_vpc_endpoint: {
        good: { vpc_endpoint_type: 'Interface', policy: perimeter },
        expr: { vpc_endpoint_type: 'Interface', policy: '${data.aws_vpc_endpoint_service.x.vpc_endpoint_policy_supported ? "{\\"aws:PrincipalAccount\\"}" : null}' },
        none: { vpc_endpoint_type: 'Interface' },
        open: { vpc_endpoint_type: 'Interface', policy: open },
        gw: { vpc_endpoint_type: 'Gateway' },
      },
    }, { profile: S });
    it('passes a this-account policy, also written as an expression', () => {
      expectPass(r, 'aws_vpc_endpoint.good', /aws:PrincipalAccount/);
      expectPass(r, 'aws_vpc_endpoint.expr', /expression/);
    });
    it('fails the default policy and an open one; gateways are not applicable', () => {
      expectFail(r, 'aws_vpc_endpoint.none', /default policy allows any principal/, /aws:PrincipalAccount/);
      expectFail(r, 'aws_vpc_endpoint.open', /1 Allow statement\(s\) without aws:PrincipalAccount/);
      expectNotApplicable(r, 'aws_vpc_endpoint.gw');
    });
  });

  rule(RuleId.AWS_DNS_FW, () => {
    const r = run(RuleId.AWS_DNS_FW, {
      aws_vpc: { filtered: {}, bare: {}, open: {}, failopen: {} },
      aws_internet_gateway: { igw: { vpc_id: '${aws_vpc.open.id}' }, igw2: { vpc_id: '${aws_vpc.failopen.id}' } },
      aws_networkfirewall_firewall: { fw: { vpc_id: '${aws_vpc.failopen.id}' } },
      aws_route53_resolver_firewall_rule_group_association: {
        a: { vpc_id: '${aws_vpc.filtered.id}', firewall_rule_group_id: 'x', priority: 101, name: 'a' },
        b: { vpc_id: '${aws_vpc.failopen.id}', firewall_rule_group_id: 'x', priority: 101, name: 'b' },
      },
      aws_route53_resolver_firewall_config: {
        a: { resource_id: '${aws_vpc.filtered.id}', firewall_fail_open: 'DISABLED' },
        b: { resource_id: '${aws_vpc.failopen.id}', firewall_fail_open: 'ENABLED' },
      },
    }, { profile: S });
    it('passes a controlled VPC with a fail-closed DNS firewall; open VPCs are not applicable', () => {
      expectPass(r, 'aws_vpc.filtered', /failing closed/);
      expectNotApplicable(r, 'aws_vpc.open', /egress is open/);
    });
    it('fails a controlled VPC without DNS filtering, or failing open', () => {
      expectFail(r, 'aws_vpc.bare', /no DNS Firewall rule group is associated/);
      expectFail(r, 'aws_vpc.failopen', /firewall_fail_open = "DISABLED"/);
    });
  });

  describe('vendor roles', () => {
    const trust = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'sts:ExternalId': 'x' } } }] });
    const readLogs = (prefix: string) => JSON.stringify({ Statement: [{ Effect: 'Allow', Action: ['logs:FilterLogEvents'], Resource: `arn:aws:logs:us-east-1:1:log-group:${prefix}*` }] });
    rule(RuleId.AWS_TRAIL_VENDOR, () => {
      const fixture = (prefix: string): Blocks => ({
        aws_iam_role: { vendor: { assume_role_policy: trust, permissions_boundary: 'x' } },
        aws_iam_role_policy: { p: { role: '${aws_iam_role.vendor.id}', policy: readLogs(prefix) } },
        aws_cloudwatch_log_group: { t: { name: '/sandbox/acme/cloudtrail' } },
        aws_cloudtrail: { trail: { cloud_watch_logs_group_arn: '${aws_cloudwatch_log_group.t.arn}:*' } },
      });
      it('passes when the vendor reads another prefix', () => {
        expectPass(run(RuleId.AWS_TRAIL_VENDOR, fixture('/audit/other/')), 'aws_cloudtrail.trail', /no cross-account role can read/);
      });
      it('fails when the vendor\'s log prefix covers the trail\'s log group', () => {
        expectFail(run(RuleId.AWS_TRAIL_VENDOR, fixture('/sandbox/acme/')), 'aws_cloudtrail.trail', /aws_iam_role\.vendor may read the trail's log group/, /\/audit\//);
      });
    });
    rule(RuleId.AWS_SSM_RECORD, () => {
      const send = (resource: string) => JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'ssm:SendCommand', Resource: resource }] });
      const r = run(RuleId.AWS_SSM_RECORD, {
        aws_iam_role: { good: { assume_role_policy: trust }, aws: { assume_role_policy: trust }, local: { assume_role_policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) } },
        aws_iam_role_policy: {
          g: { role: '${aws_iam_role.good.id}', policy: send('${aws_ssm_document.rec.arn}') },
          a: { role: '${aws_iam_role.aws.id}', policy: send('arn:aws:ssm:us-east-1::document/AWS-RunShellScript') },
        },
      }, { profile: S });
      it('passes SendCommand limited to a document of the stack; service roles are not applicable', () => {
        expectPass(r, 'aws_iam_role.good', /recording documents/);
        expectNotApplicable(r, 'aws_iam_role.local');
      });
      it('fails SendCommand with AWS-RunShellScript', () => {
        expectFail(r, 'aws_iam_role.aws', /document\/AWS-RunShellScript, whose commands are not recorded/);
      });
    });
  });

  describe('EKS', () => {
    const cluster = (patch: Record<string, unknown>) => ({
      vpc_config: { subnet_ids: ['${aws_subnet.private.id}'], endpoint_private_access: true, endpoint_public_access: false },
      encryption_config: { resources: ['secrets'], provider: { key_arn: KMS } },
      enabled_cluster_log_types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'],
      ...patch,
    });
    rule(RuleId.AWS_EKS_ENDPOINT, () => {
      const fixture: Blocks = { aws_eks_cluster: {
        priv: cluster({}),
        limited: cluster({ vpc_config: { endpoint_private_access: true, endpoint_public_access: true, public_access_cidrs: ['203.0.113.0/24'] } }),
        dflt: cluster({ vpc_config: { endpoint_private_access: true } }),
        open: cluster({ vpc_config: { endpoint_private_access: true, endpoint_public_access: true, public_access_cidrs: ['0.0.0.0/0'] } }),
        noPrivate: cluster({ vpc_config: { endpoint_private_access: false, endpoint_public_access: false } }),
      } };
      it('passes a private endpoint; at baseline a public endpoint limited to CIDRs', () => {
        expectPass(run(RuleId.AWS_EKS_ENDPOINT, fixture), 'aws_eks_cluster.priv', /private API endpoint only/);
        expectPass(run(RuleId.AWS_EKS_ENDPOINT, fixture), 'aws_eks_cluster.limited', /limited to 203\.0\.113\.0\/24/);
        expectPass(run(RuleId.AWS_EKS_ENDPOINT, fixture, { profile: H }), 'aws_eks_cluster.priv');
      });
      it('fails the provider default (public, 0.0.0.0/0), an open list, no private endpoint, and any public endpoint under soc2/hipaa', () => {
        const r = run(RuleId.AWS_EKS_ENDPOINT, fixture);
        expectFail(r, 'aws_eks_cluster.dflt', /open to the default 0\.0\.0\.0\/0/);
        expectFail(r, 'aws_eks_cluster.open', /open to 0\.0\.0\.0\/0/);
        expectFail(r, 'aws_eks_cluster.noPrivate', /endpoint_private_access is false/);
        expectFail(run(RuleId.AWS_EKS_ENDPOINT, fixture, { profile: S }), 'aws_eks_cluster.limited', /soc2 profile keeps the API private/);
      });
    });
    rule(RuleId.AWS_EKS_SECRETS, () => {
      const r = run(RuleId.AWS_EKS_SECRETS, { aws_eks_cluster: {
        good: cluster({}), none: cluster({ encryption_config: undefined }), nokey: cluster({ encryption_config: { resources: ['secrets'], provider: {} } }),
      } });
      it('passes Secrets encrypted with a key', () => expectPass(r, 'aws_eks_cluster.good', /envelope-encrypted/));
      it('fails without encryption_config or without a key', () => {
        expectFail(r, 'aws_eks_cluster.none', /does not cover "secrets"/);
        expectFail(r, 'aws_eks_cluster.nokey', /no provider\.key_arn/);
      });
    });
    rule(RuleId.AWS_EKS_LOGS, () => {
      const r = run(RuleId.AWS_EKS_LOGS, { aws_eks_cluster: { good: cluster({}), some: cluster({ enabled_cluster_log_types: ['api', 'audit'] }) } });
      it('passes every log type', () => expectPass(r, 'aws_eks_cluster.good'));
      it('fails and names the missing types', () => expectFail(r, 'aws_eks_cluster.some', /lacks authenticator, controllerManager, scheduler/));
    });
    rule(RuleId.AWS_EKS_NODES, () => {
      const r = run(RuleId.AWS_EKS_NODES, {
        aws_subnet: { private: { map_public_ip_on_launch: false }, public: { map_public_ip_on_launch: true } },
        aws_eks_cluster: { good: cluster({}), pub: cluster({ vpc_config: { subnet_ids: ['${aws_subnet.public.id}'], endpoint_private_access: true, endpoint_public_access: false } }) },
        aws_eks_node_group: { plain: { cluster_name: 'x' }, ssh: { cluster_name: 'x', remote_access: { ec2_ssh_key: 'k' } } },
      });
      it('passes private cluster subnets and node groups without remote access', () => {
        expectPass(r, 'aws_eks_cluster.good');
        expectPass(r, 'aws_eks_node_group.plain');
      });
      it('fails public subnets and SSH remote access', () => {
        expectFail(r, 'aws_eks_cluster.pub', /aws_subnet\.public map public IPs/);
        expectFail(r, 'aws_eks_node_group.ssh', /remote_access opens SSH/);
      });
    });
  });

  describe('GKE', () => {
    const nodeConfig = (patch: Record<string, unknown> = {}) => ({
      service_account: '${google_service_account.nodes.email}', workload_metadata_config: { mode: 'GKE_METADATA' },
      shielded_instance_config: { enable_secure_boot: true, enable_integrity_monitoring: true }, ...patch,
    });
    const cluster = (patch: Record<string, unknown>) => ({
      private_cluster_config: { enable_private_nodes: true, enable_private_endpoint: true },
      master_authorized_networks_config: { gcp_public_cidrs_access_enabled: false, cidr_blocks: [] },
      database_encryption: { state: 'ENCRYPTED', key_name: '${google_kms_crypto_key.k.id}' },
      workload_identity_config: { workload_pool: 'p.svc.id.goog' }, enable_shielded_nodes: true, node_config: nodeConfig(), ...patch,
    });
    const pool = (patch: Record<string, unknown> = {}, nc: Record<string, unknown> = {}) => ({ node_config: nodeConfig(nc), ...patch });
    rule(RuleId.GCP_GKE_ENDPOINT, () => {
      const fixture: Blocks = { google_container_cluster: {
        priv: cluster({}),
        limited: cluster({ private_cluster_config: { enable_private_nodes: true, enable_private_endpoint: false },
          master_authorized_networks_config: { cidr_blocks: [{ cidr_block: '203.0.113.0/24' }] } }),
        open: cluster({ private_cluster_config: { enable_private_nodes: true, enable_private_endpoint: false } , master_authorized_networks_config: undefined }),
        world: cluster({ private_cluster_config: { enable_private_nodes: true }, master_authorized_networks_config: { cidr_blocks: [{ cidr_block: '0.0.0.0/0' }] } }),
        google: cluster({ master_authorized_networks_config: { gcp_public_cidrs_access_enabled: true } }),
        publicNodes: cluster({ private_cluster_config: undefined }),
      } };
      it('passes a private endpoint; at baseline a public endpoint limited to authorized networks', () => {
        expectPass(run(RuleId.GCP_GKE_ENDPOINT, fixture), 'google_container_cluster.priv', /private nodes and a private API endpoint only/);
        expectPass(run(RuleId.GCP_GKE_ENDPOINT, fixture), 'google_container_cluster.limited', /limited to 203\.0\.113\.0\/24/);
        expectPass(run(RuleId.GCP_GKE_ENDPOINT, fixture, { profile: H }), 'google_container_cluster.priv');
      });
      it('fails public nodes, an open or 0.0.0.0/0 endpoint, Google\'s public ranges, and any public endpoint under soc2', () => {
        const r = run(RuleId.GCP_GKE_ENDPOINT, fixture);
        expectFail(r, 'google_container_cluster.open', /open to every address/);
        expectFail(r, 'google_container_cluster.world', /open to 0\.0\.0\.0\/0/);
        expectFail(r, 'google_container_cluster.google', /gcp_public_cidrs_access_enabled = true/);
        expectFail(r, 'google_container_cluster.publicNodes', /enable_private_nodes is not true/, /enable_private_nodes = true/);
        expectFail(run(RuleId.GCP_GKE_ENDPOINT, fixture, { profile: S }), 'google_container_cluster.limited', /soc2 profile keeps the API private/);
      });
    });
    rule(RuleId.GCP_GKE_SECRETS, () => {
      const r = run(RuleId.GCP_GKE_SECRETS, { google_container_cluster: {
        good: cluster({}), none: cluster({ database_encryption: undefined }), nokey: cluster({ database_encryption: { state: 'ENCRYPTED' } }),
        decrypted: cluster({ database_encryption: { state: 'DECRYPTED', key_name: 'k' } }),
      } });
      it('passes Secrets encrypted with a key', () => expectPass(r, 'google_container_cluster.good', /Cloud KMS key/));
      it('fails without encryption, decrypted, or without a key', () => {
        expectFail(r, 'google_container_cluster.none', /state is undefined|state is \(unset\)|Google's default encryption/);
        expectFail(r, 'google_container_cluster.decrypted', /"DECRYPTED"/);
        expectFail(r, 'google_container_cluster.nokey', /no key_name/);
      });
    });
    rule(RuleId.GCP_GKE_NODES, () => {
      const r = run(RuleId.GCP_GKE_NODES, {
        google_container_cluster: { good: cluster({}), dflt: cluster({ node_config: nodeConfig({ service_account: '123-compute@developer.gserviceaccount.com' }) }) },
        google_container_node_pool: { good: pool(), pub: pool({ network_config: { enable_private_nodes: false } }), nosa: pool({}, { service_account: undefined }) },
      });
      it('passes private pools with their own service account', () => {
        expectPass(r, 'google_container_cluster.good');
        expectPass(r, 'google_container_node_pool.good', /private nodes running as/);
      });
      it('fails the default compute account, public nodes and a missing account', () => {
        expectFail(r, 'google_container_cluster.dflt', /is the default Compute Engine service account/);
        expectFail(r, 'google_container_node_pool.pub', /enable_private_nodes = false/);
        expectFail(r, 'google_container_node_pool.nosa', /service_account is not set/);
      });
    });
    rule(RuleId.GCP_GKE_WI, () => {
      const r = run(RuleId.GCP_GKE_WI, {
        google_container_cluster: { good: cluster({}), nowi: cluster({ workload_identity_config: undefined }) },
        google_container_node_pool: { good: pool(), gce: pool({}, { workload_metadata_config: { mode: 'GCE_METADATA' } }) },
      });
      it('passes Workload Identity with the GKE metadata server', () => {
        expectPass(r, 'google_container_cluster.good');
        expectPass(r, 'google_container_node_pool.good');
      });
      it('fails a cluster without a workload pool and a pool exposing the node metadata', () => {
        expectFail(r, 'google_container_cluster.nowi', /workload_pool is not set/);
        expectFail(r, 'google_container_node_pool.gce', /mode is "GCE_METADATA"/);
      });
    });
    rule(RuleId.GCP_GKE_SHIELD, () => {
      const r = run(RuleId.GCP_GKE_SHIELD, {
        google_container_cluster: { good: cluster({}), off: cluster({ enable_shielded_nodes: false }) },
        google_container_node_pool: { good: pool(), noboot: pool({}, { shielded_instance_config: { enable_integrity_monitoring: true } }),
          noim: pool({}, { shielded_instance_config: { enable_secure_boot: true, enable_integrity_monitoring: false } }) },
      });
      it('passes Shielded nodes with Secure Boot and integrity monitoring', () => {
        expectPass(r, 'google_container_cluster.good');
        expectPass(r, 'google_container_node_pool.good');
      });
      it('fails Shielded nodes off, Secure Boot unset, integrity monitoring off', () => {
        expectFail(r, 'google_container_cluster.off', /enable_shielded_nodes = false/);
        expectFail(r, 'google_container_node_pool.noboot', /enable_secure_boot is/);
        expectFail(r, 'google_container_node_pool.noim', /enable_integrity_monitoring = false/);
      });
    });
  });

  rule(RuleId.AWS_TRAIL_LOCK, () => {
    const fixture = (days: number, noncurrent: number): Blocks => ({
      aws_s3_bucket: { b: { object_lock_enabled: true }, plain: {} },
      aws_s3_bucket_object_lock_configuration: { l: { bucket: '${aws_s3_bucket.b.id}', rule: { default_retention: { mode: 'GOVERNANCE', days } } } },
      aws_s3_bucket_lifecycle_configuration: { lc: { bucket: '${aws_s3_bucket.b.id}', rule: [{ status: 'Enabled', noncurrent_version_expiration: [{ noncurrent_days: noncurrent }] }] } },
      aws_cloudtrail: { t: { s3_bucket_name: '${aws_s3_bucket.b.bucket}' }, u: { s3_bucket_name: '${aws_s3_bucket.plain.bucket}' }, ext: { s3_bucket_name: 'someone-elses' } },
    });
    it('passes a locked bucket with retention and noncurrent versions at the floor', () => {
      const r = run(RuleId.AWS_TRAIL_LOCK, fixture(2192, 2192), { profile: H });
      expectPass(r, 'aws_cloudtrail.t', /Object Lock default retention >= 2192/);
      expectNotApplicable(r, 'aws_cloudtrail.ext', /not created by this stack/);
    });
    it('fails an unlocked bucket, a short retention and early noncurrent expiry', () => {
      const r = run(RuleId.AWS_TRAIL_LOCK, fixture(90, 90), { profile: H });
      expectFail(r, 'aws_cloudtrail.t', /no default retention of at least 2192 days \(found 90\); noncurrent versions expire after 90 days/);
      expectFail(r, 'aws_cloudtrail.u', /has no object_lock_enabled/);
      expect(() => run(RuleId.AWS_TRAIL_LOCK, fixture(90, 90), { profile: S })).toThrow(/not in the soc2 pack/);
    });
  });

  rule(RuleId.AWS_TRAIL, () => {
    const good = {
      is_multi_region_trail: true, include_global_service_events: true, enable_logging: true, enable_log_file_validation: true,
      kms_key_id: KMS, cloud_watch_logs_group_arn: '${aws_cloudwatch_log_group.t.arn}:*',
    };
    it('passes a complete trail', () => expectPass(run(RuleId.AWS_TRAIL, { aws_cloudtrail: { good } }), 'aws_cloudtrail.good'));
    it('fails every missing setting', () => {
      const r = run(RuleId.AWS_TRAIL, { aws_cloudtrail: { bad: { is_multi_region_trail: false, enable_logging: false } } });
      expectFail(r, 'aws_cloudtrail.bad', /is_multi_region_trail is false.*enable_logging is false.*enable_log_file_validation is unset.*kms_key_id.*cloud_watch_logs_group_arn/);
    });
    it('fails an AWS stack without a trail unless an organization trail is declared', () => {
      const stack = { aws_s3_bucket: { b: {} } };
      expectFail(run(RuleId.AWS_TRAIL, stack), 'aws_cloudtrail (none in stack)', /creates no CloudTrail trail/, /existingOrganizationTrail/);
      expectPass(run(RuleId.AWS_TRAIL, stack, { existingOrganizationTrail: true }), 'aws_cloudtrail (none in stack)', /organization trail/);
    });
  });

  rule(RuleId.AWS_LOG_RET, () => {
    const fixture: Blocks = {
      aws_cloudwatch_log_group: {
        six: { retention_in_days: 2192, kms_key_id: KMS }, year: { retention_in_days: 365, kms_key_id: KMS },
        plain: { retention_in_days: 90 }, forever: {},
      },
    };
    it('hipaa: 2192 days with a key passes; 365 fails', () => {
      const r = run(RuleId.AWS_LOG_RET, fixture, { profile: H });
      expectPass(r, 'aws_cloudwatch_log_group.six', /2192 days/);
      expectFail(r, 'aws_cloudwatch_log_group.year', /365, below the hipaa floor of 2192 days/, /2192 \(CloudWatch accepts 2192, not 2190\)/);
      expectFail(r, 'aws_cloudwatch_log_group.plain', /kms_key_id is not set/);
    });
    it('baseline: 90 days without a key passes; unset retention fails', () => {
      const r = run(RuleId.AWS_LOG_RET, fixture, { profile: B });
      expectPass(r, 'aws_cloudwatch_log_group.plain');
      expectFail(r, 'aws_cloudwatch_log_group.forever', /retention_in_days is unset/);
    });
  });

  rule(RuleId.AWS_IAM_ADMIN, () => {
    const admin = JSON.stringify({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
    const scoped = JSON.stringify({ Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: '*' }] });
    const r = run(RuleId.AWS_IAM_ADMIN, {
      aws_iam_policy: { admin: { policy: admin }, scoped: { policy: scoped } },
      aws_iam_role_policy_attachment: { admin: { role: 'r', policy_arn: 'arn:${data.aws_partition.p.partition}:iam::aws:policy/AdministratorAccess' } },
      aws_iam_role: { inline: { assume_role_policy: '{}', inline_policy: [{ name: 'x', policy: admin }] } },
    });
    it('passes scoped policies', () => expectPass(r, 'aws_iam_policy.scoped'));
    it('fails "*" on "*" and AdministratorAccess', () => {
      expectFail(r, 'aws_iam_policy.admin', /statement 0 allows Action "\*" on Resource "\*"/);
      expectFail(r, 'aws_iam_role_policy_attachment.admin', /AdministratorAccess/);
      expectFail(r, 'aws_iam_role.inline', /inline_policy\[0\] statement 0/);
    });
  });

  rule(RuleId.AWS_IAM_TRUST, () => {
    const trust = (condition?: object) => JSON.stringify({
      Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/vendor' }, Action: 'sts:AssumeRole', ...(condition ? { Condition: condition } : {}) }],
    });
    const r = run(RuleId.AWS_IAM_TRUST, {
      aws_iam_role: {
        good: { assume_role_policy: trust({ StringEquals: { 'sts:ExternalId': 'x-123' } }), permissions_boundary: '${aws_iam_policy.b.arn}' },
        bad: { assume_role_policy: trust() },
        service: { assume_role_policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) },
        self: { assume_role_policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::${data.aws_caller_identity.c.account_id}:root' }, Action: 'sts:AssumeRole' }] }) },
      },
    });
    it('passes a cross-account role with external id and boundary', () => expectPass(r, 'aws_iam_role.good', /111122223333/));
    it('fails a cross-account role without them', () => {
      expectFail(r, 'aws_iam_role.bad', /no sts:ExternalId condition; permissions_boundary is not set/, /sts:ExternalId/);
    });
    it('ignores service and same-account roles', () => {
      expectNotApplicable(r, 'aws_iam_role.service');
      expectNotApplicable(r, 'aws_iam_role.self');
    });
  });
});

describe('GCP rules', () => {
  const login = { 'enable-oslogin': 'TRUE', 'block-project-ssh-keys': 'true' };

  rule(RuleId.GCP_CE_PUBIP, () => {
    const r = run(RuleId.GCP_CE_PUBIP, {
      google_compute_instance: { good: { network_interface: [{ subnetwork: 's' }] }, bad: { network_interface: [{ access_config: [{}] }] } },
      google_compute_instance_template: { v6: { network_interface: [{ ipv6_access_config: [{ network_tier: 'PREMIUM' }] }] } },
    });
    it('passes internal-only interfaces', () => expectPass(r, 'google_compute_instance.good'));
    it('fails external IPs', () => {
      expectFail(r, 'google_compute_instance.bad', /access_config gives the instance an external IP/, /Cloud NAT/);
      expectFail(r, 'google_compute_instance_template.v6', /ipv6_access_config/);
    });
  });

  rule(RuleId.GCP_CE_SHIELD, () => {
    const r = run(RuleId.GCP_CE_SHIELD, {
      google_compute_instance: {
        good: { shielded_instance_config: { enable_secure_boot: true, enable_vtpm: true, enable_integrity_monitoring: true } },
        gpu: { shielded_instance_config: { enable_secure_boot: false } },
        bad: { shielded_instance_config: { enable_vtpm: false } },
        none: {},
      },
    });
    it('passes vTPM and integrity monitoring; reports secure boot', () => {
      expectPass(r, 'google_compute_instance.good', /secure boot on/);
      expectPass(r, 'google_compute_instance.gpu', /secure boot off/);
    });
    it('fails disabled vTPM or no shielded config', () => {
      expectFail(r, 'google_compute_instance.bad', /enable_vtpm is false/);
      expectFail(r, 'google_compute_instance.none', /shielded_instance_config is not set/);
    });
  });

  rule(RuleId.GCP_CE_LOGIN, () => {
    const r = run(RuleId.GCP_CE_LOGIN, {
      google_compute_instance: {
        good: { metadata: login },
        bad: { metadata: { 'enable-oslogin': 'FALSE', 'serial-port-enable': 'true' } },
      },
    });
    it('passes OS Login with project keys blocked', () => expectPass(r, 'google_compute_instance.good'));
    it('fails OS Login off, project keys allowed, serial port on', () => {
      expectFail(r, 'google_compute_instance.bad', /enable-oslogin is "FALSE"; block-project-ssh-keys is unset; serial-port-enable is "true"/);
    });
    it('accepts enable-oslogin from project metadata of the stack', () => {
      const p = run(RuleId.GCP_CE_LOGIN, {
        google_compute_instance: { i: { metadata: { 'block-project-ssh-keys': true } } },
        google_compute_project_metadata_item: { os: { key: 'enable-oslogin', value: 'TRUE' } },
      });
      expectPass(p, 'google_compute_instance.i');
    });
  });

  rule(RuleId.GCP_CE_SA, () => {
    const r = run(RuleId.GCP_CE_SA, {
      google_compute_instance: {
        good: { service_account: { email: '${google_service_account.node.email}', scopes: ['cloud-platform'] } },
        dflt: { service_account: { email: '1234-compute@developer.gserviceaccount.com' } },
        noemail: { service_account: { scopes: ['cloud-platform'] }, can_ip_forward: true },
      },
    });
    it('passes a dedicated service account', () => expectPass(r, 'google_compute_instance.good'));
    it('fails the default service account and IP forwarding', () => {
      expectFail(r, 'google_compute_instance.dflt', /default Compute Engine service account/);
      expectFail(r, 'google_compute_instance.noemail', /no email.*can_ip_forward = true/);
    });
  });

  rule(RuleId.GCP_CE_CMEK, () => {
    const key = { kms_key_self_link: '${google_kms_crypto_key.k.id}' };
    const r = run(RuleId.GCP_CE_CMEK, {
      google_compute_instance: { good: { boot_disk: key }, bad: { boot_disk: { initialize_params: {} }, attached_disk: [{ source: 'projects/p/disks/x' }] } },
      google_compute_instance_template: { good: { disk: [{ disk_encryption_key: key }] } },
      google_compute_disk: { bad: {} },
    });
    it('passes CMEK disks', () => {
      expectPass(r, 'google_compute_instance.good');
      expectPass(r, 'google_compute_instance_template.good');
    });
    it('fails disks without kms_key_self_link', () => {
      expectFail(r, 'google_compute_instance.bad', /boot_disk\.kms_key_self_link is not set; attached_disk\[0\]/, /Cloud KMS/);
      expectFail(r, 'google_compute_disk.bad', /disk_encryption_key\.kms_key_self_link is not set/);
    });
  });

  rule(RuleId.GCP_NET_ADMIN, () => {
    const r = run(RuleId.GCP_NET_ADMIN, {
      google_compute_firewall: {
        iap: { source_ranges: ['35.235.240.0/20'], allow: [{ protocol: 'tcp', ports: ['22'] }] },
        ssh: { source_ranges: ['0.0.0.0/0'], allow: [{ protocol: 'tcp', ports: ['20-30'] }] },
        dflt: { source_tags: [], allow: [{ protocol: 'all' }] },
        web: { source_ranges: ['0.0.0.0/0'], allow: [{ protocol: 'tcp', ports: ['443'] }] },
        out: { direction: 'EGRESS', destination_ranges: ['0.0.0.0/0'], allow: [{ protocol: 'all' }] },
      },
    });
    it('passes restricted sources and non-admin ports', () => {
      expectPass(r, 'google_compute_firewall.iap');
      expectPass(r, 'google_compute_firewall.web');
    });
    it('fails SSH/RDP from the internet (including the default source)', () => {
      expectFail(r, 'google_compute_firewall.ssh', /allow\[0\] \(tcp 20-30\) is open to 0\.0\.0\.0\/0/, /IAP/);
      expectFail(r, 'google_compute_firewall.dflt', /default source 0\.0\.0\.0\/0/);
    });
    it('skips egress rules', () => expectNotApplicable(r, 'google_compute_firewall.out'));
  });

  rule(RuleId.GCP_NET_FLOW, () => {
    const r = run(RuleId.GCP_NET_FLOW, {
      google_compute_subnetwork: {
        good: { log_config: { flow_sampling: 1, metadata: 'INCLUDE_ALL_METADATA' } },
        half: { log_config: { aggregation_interval: 'INTERVAL_5_SEC' } },
        none: {},
        proxy: { purpose: 'REGIONAL_MANAGED_PROXY' },
      },
    });
    it('passes full sampling', () => expectPass(r, 'google_compute_subnetwork.good'));
    it('fails default sampling or no flow logs', () => {
      expectFail(r, 'google_compute_subnetwork.half', /flow_sampling is 0\.5/, /flow_sampling = 1\.0/);
      expectFail(r, 'google_compute_subnetwork.none', /log_config is not set/);
    });
    it('skips proxy-only subnets', () => expectNotApplicable(r, 'google_compute_subnetwork.proxy'));
  });

  rule(RuleId.GCP_AUDIT, () => {
    const types = ['ADMIN_READ', 'DATA_READ', 'DATA_WRITE'];
    const r = run(RuleId.GCP_AUDIT, {
      google_project_iam_audit_config: {
        good: { project: 'p', service: 'allServices', audit_log_config: types.map((log_type) => ({ log_type })) },
        bad: { project: 'p', service: 'allServices', audit_log_config: [{ log_type: 'ADMIN_READ', exempted_members: ['user:a@b.c'] }] },
      },
    });
    it('passes all three log types without exemptions', () => expectPass(r, 'google_project_iam_audit_config.good'));
    it('fails exemptions and missing log types', () => {
      expectFail(r, 'google_project_iam_audit_config.bad', /ADMIN_READ exempts user:a@b\.c; log types DATA_READ, DATA_WRITE are not enabled/);
    });
    it('fails a GCP stack without an allServices config unless declared', () => {
      const stack = { google_storage_bucket: { b: {} } };
      expectFail(run(RuleId.GCP_AUDIT, stack), 'google_project_iam_audit_config (none for allServices)', /no Data Access audit logs/);
      expectPass(run(RuleId.GCP_AUDIT, stack, { existingOrganizationTrail: true }), 'google_project_iam_audit_config (none for allServices)');
    });
  });

  rule(RuleId.GCP_LOG_RET, () => {
    const fixture: Blocks = {
      google_logging_project_bucket_config: {
        locked: { bucket_id: 'audit', retention_days: 2192, locked: true },
        short: { bucket_id: 'short', retention_days: 365 },
        req: { bucket_id: '_Required' },
      },
      google_storage_bucket: { sink: { name: 'acme-audit-archive', retention_policy: { retention_period: 3600 } }, other: { name: 'x' } },
      google_logging_project_sink: { s: { destination: 'storage.googleapis.com/${google_storage_bucket.sink.name}' } },
    };
    it('hipaa: 2192 locked passes; shorter or unlocked fails', () => {
      const r = run(RuleId.GCP_LOG_RET, fixture, { profile: H });
      expectPass(r, 'google_logging_project_bucket_config.locked', /2192 days, locked/);
      expectFail(r, 'google_logging_project_bucket_config.short', /retention_days is 365, below the hipaa floor of 2192; locked is not true/);
      expectFail(r, 'google_storage_bucket.sink', /retention_period is 3600/, /189388800/);
    });
    it('soc2: 365 passes; _Required and non-sink buckets are not applicable', () => {
      const r = run(RuleId.GCP_LOG_RET, fixture, { profile: S });
      expectPass(r, 'google_logging_project_bucket_config.short');
      expectNotApplicable(r, 'google_logging_project_bucket_config.req');
      expectNotApplicable(r, 'google_storage_bucket.other');
    });
  });

  rule(RuleId.GCP_KMS_ROTATE, () => {
    const r = run(RuleId.GCP_KMS_ROTATE, {
      google_kms_crypto_key: {
        good: { rotation_period: '7776000s' }, long: { rotation_period: '31536000s' }, none: {}, sign: { purpose: 'ASYMMETRIC_SIGN' },
      },
    });
    it('passes <= 90 days', () => expectPass(r, 'google_kms_crypto_key.good', /90 days/));
    it('fails longer or no rotation', () => {
      expectFail(r, 'google_kms_crypto_key.long', /rotation_period is "31536000s"/, /7776000s/);
      expectFail(r, 'google_kms_crypto_key.none', /rotation_period is unset/);
    });
    it('skips asymmetric keys', () => expectNotApplicable(r, 'google_kms_crypto_key.sign'));
  });

  rule(RuleId.GCP_GCS_PUBLIC, () => {
    const r = run(RuleId.GCP_GCS_PUBLIC, {
      google_storage_bucket: { good: { public_access_prevention: 'enforced', uniform_bucket_level_access: true }, bad: {} },
      google_storage_bucket_iam_member: { pub: { bucket: '${google_storage_bucket.good.name}', role: 'roles/storage.objectViewer', member: 'allUsers' } },
      google_storage_bucket_iam_binding: { ok: { role: 'roles/storage.objectViewer', members: ['serviceAccount:a@p.iam.gserviceaccount.com'] } },
    });
    it('passes enforced prevention and private grants', () => {
      expectPass(r, 'google_storage_bucket.good');
      expectPass(r, 'google_storage_bucket_iam_binding.ok');
    });
    it('fails public buckets and public grants', () => {
      expectFail(r, 'google_storage_bucket.bad', /public_access_prevention is unset; uniform_bucket_level_access is unset/);
      expectFail(r, 'google_storage_bucket_iam_member.pub', /to allUsers/);
    });
  });

  rule(RuleId.GCP_GCS_PROTECT, () => {
    const r = run(RuleId.GCP_GCS_PROTECT, {
      google_storage_bucket: {
        good: { name: 'data', versioning: { enabled: true }, logging: { log_bucket: '${google_storage_bucket.logs.name}' }, encryption: { default_kms_key_name: '${google_kms_crypto_key.k.id}' } },
        logs: { name: 'logs', versioning: { enabled: true }, encryption: { default_kms_key_name: 'k' } },
        bad: { name: 'bad' },
      },
    });
    it('passes versioned, logged CMEK buckets; exempts the log bucket from logging', () => {
      expectPass(r, 'google_storage_bucket.good');
      expectPass(r, 'google_storage_bucket.logs', /usage-log target/);
    });
    it('fails unprotected buckets', () => {
      expectFail(r, 'google_storage_bucket.bad', /versioning is not enabled; object access is not recorded \(no Data Access audit logs for Cloud Storage, no usage logs\); encryption\.default_kms_key_name is not set/);
    });
    it('accepts Data Access audit logs for Cloud Storage instead of usage logs (no DRS-blocked analytics grant)', () => {
      const bucket = { versioning: { enabled: true }, encryption: { default_kms_key_name: 'k' } };
      const audited = run(RuleId.GCP_GCS_PROTECT, {
        google_storage_bucket: { b: bucket },
        google_project_iam_audit_config: { a: { service: 'storage.googleapis.com', audit_log_config: [{ log_type: 'DATA_READ' }, { log_type: 'DATA_WRITE' }] } },
      });
      expectPass(audited, 'google_storage_bucket.b', /access recorded by Data Access audit logs/);
      const partial = run(RuleId.GCP_GCS_PROTECT, {
        google_storage_bucket: { b: bucket },
        google_project_iam_audit_config: { a: { service: 'allServices', audit_log_config: [{ log_type: 'DATA_READ' }] } },
      });
      expectFail(partial, 'google_storage_bucket.b', /object access is not recorded/);
      expectPass(run(RuleId.GCP_GCS_PROTECT, { google_storage_bucket: { b: bucket } }, { existingOrganizationTrail: true }), 'google_storage_bucket.b');
    });
  });

  rule(RuleId.GCP_IAM_PRIMITIVE, () => {
    const r = run(RuleId.GCP_IAM_PRIMITIVE, {
      google_project_iam_member: { good: { role: 'roles/logging.logWriter', member: 'serviceAccount:x' }, owner: { role: 'roles/owner', member: 'user:a' } },
      google_project_iam_policy: { pol: { project: 'p', policy_data: '${data.google_iam_policy.p.policy_data}' } },
    }, { data: { google_iam_policy: { p: { binding: [{ role: 'roles/editor', members: ['group:g'] }] } } } });
    it('passes predefined roles', () => expectPass(r, 'google_project_iam_member.good'));
    it('fails primitive roles (also through google_iam_policy)', () => {
      expectFail(r, 'google_project_iam_member.owner', /roles\/owner/);
      expectFail(r, 'google_project_iam_policy.pol', /roles\/editor/);
    });
  });

  rule(RuleId.GCP_LOG_VIEW, () => {
    const view = 'projects/p-123456/locations/us-central1/buckets/acme-platform/views/acme-vendor';
    const fixture = (sinks: Record<string, Record<string, unknown>>): Blocks => ({
      google_service_account: { vendor: { project: 'p-123456', account_id: 'acme-control' }, nodes: { project: 'p-123456', account_id: 'acme-nodes' } },
      google_service_account_iam_member: {
        imp: { service_account_id: '${google_service_account.vendor.name}', role: 'roles/iam.serviceAccountTokenCreator', member: 'serviceAccount:cp@vendor-prod.iam.gserviceaccount.com' },
        // A same-project account may impersonate the node account: not a foreign principal.
        local: { service_account_id: '${google_service_account.nodes.name}', role: 'roles/iam.serviceAccountUser', member: 'serviceAccount:ci@p-123456.iam.gserviceaccount.com' },
      },
      google_project_iam_custom_role: { read: { project: 'p-123456', role_id: 'read', permissions: ['compute.instances.list', 'logging.logEntries.list'] } },
      google_project_iam_member: {
        view: { project: 'p-123456', role: 'roles/logging.viewAccessor', member: '${google_service_account.vendor.member}',
          condition: { title: 'v', expression: `resource.name == "${view}"` } },
        wide: { project: 'p-123456', role: 'roles/logging.viewAccessor', member: '${google_service_account.vendor.member}' },
        custom: { project: 'p-123456', role: '${google_project_iam_custom_role.read.name}', member: '${google_service_account.vendor.member}' },
        metrics: { project: 'p-123456', role: 'roles/monitoring.viewer', member: '${google_service_account.vendor.member}' },
        nodes: { project: 'p-123456', role: 'roles/logging.viewer', member: '${google_service_account.nodes.member}' },
      },
      google_logging_project_sink: sinks,
    });
    const separate = {
      audit: { filter: '(logName:"cloudaudit.googleapis.com")', destination: 'logging.googleapis.com/projects/p-123456/locations/us-central1/buckets/acme-audit' },
      platform: { filter: '(resource.type="gce_instance") AND NOT (logName:"cloudaudit.googleapis.com")',
        destination: 'logging.googleapis.com/projects/p-123456/locations/us-central1/buckets/acme-platform' },
    };
    const r = run(RuleId.GCP_LOG_VIEW, fixture(separate));
    it('passes a log-read grant conditioned on one view of a bucket without audit logs', () => {
      expectPass(r, 'google_project_iam_member.view', /limited to the view projects\/p-123456\/.*\/views\/acme-vendor/);
      expectPass(r, 'google_project_iam_member.metrics', /reads no logs/);
      expectNotApplicable(r, 'google_project_iam_member.nodes', /not granted to a service account a foreign principal can impersonate/);
    });
    it('fails project-wide log reads by an account a foreign principal can impersonate (predefined or custom role)', () => {
      expectFail(r, 'google_project_iam_member.wide', /google_service_account\.vendor \(impersonable by a foreign principal\) read logs project-wide/, /resource\.name == /);
      expectFail(r, 'google_project_iam_member.custom', /read logs project-wide/);
    });
    it('fails a view over a bucket that receives the audit logs', () => {
      const mixed = run(RuleId.GCP_LOG_VIEW, fixture({ audit: { ...separate.audit, destination: separate.platform.destination } }));
      expectFail(mixed, 'google_project_iam_member.view', /the view's bucket acme-platform receives audit logs through a sink/);
    });
  });

  rule(RuleId.GCP_NET_SSH, () => {
    const r = run(RuleId.GCP_NET_SSH, {
      google_compute_firewall: {
        iap: { direction: 'INGRESS', source_ranges: ['35.235.240.0/20'], allow: [{ protocol: 'tcp', ports: ['22'] }] },
        corp: { direction: 'INGRESS', source_ranges: ['10.0.0.0/8'], allow: [{ protocol: 'tcp', ports: ['20-25'] }] },
        web: { direction: 'INGRESS', source_ranges: ['0.0.0.0/0'], allow: [{ protocol: 'tcp', ports: ['443'] }] },
      },
      google_compute_network_firewall_policy_rule: {
        iap: { direction: 'INGRESS', action: 'allow', match: { src_ip_ranges: ['35.235.240.0/20'], layer4_configs: [{ ip_protocol: 'tcp', ports: ['22'] }] } },
        any: { direction: 'INGRESS', action: 'allow', match: { src_ip_ranges: ['0.0.0.0/0'], layer4_configs: [{ ip_protocol: 'all' }] } },
        deny: { direction: 'INGRESS', action: 'deny', match: { src_ip_ranges: ['0.0.0.0/0'], layer4_configs: [{ ip_protocol: 'all' }] } },
      },
    });
    it('passes SSH from the IAP range only, and rules without SSH', () => {
      expectPass(r, 'google_compute_firewall.iap');
      expectPass(r, 'google_compute_network_firewall_policy_rule.iap');
      expectPass(r, 'google_compute_firewall.web');
      expectNotApplicable(r, 'google_compute_network_firewall_policy_rule.deny');
    });
    it('fails SSH from any other source, in VPC rules and firewall policy rules', () => {
      expectFail(r, 'google_compute_firewall.corp', /allow\[0\] opens SSH to 10\.0\.0\.0\/8/, /35\.235\.240\.0\/20/);
      expectFail(r, 'google_compute_network_firewall_policy_rule.any', /layer4_configs\[0\] opens SSH to 0\.0\.0\.0\/0/);
    });
  });

  rule(RuleId.GCP_DNS_LOG, () => {
    const network = (egressRules: Record<string, Record<string, unknown>>, dns: boolean): Blocks => ({
      google_compute_network: { vpc: { name: 'vpc' } },
      google_compute_network_firewall_policy: { pol: { name: 'pol' } },
      google_compute_network_firewall_policy_association: { a: { firewall_policy: '${google_compute_network_firewall_policy.pol.id}', attachment_target: '${google_compute_network.vpc.id}' } },
      google_compute_network_firewall_policy_rule: Object.fromEntries(Object.entries(egressRules).map(([k, v]) => [k, { firewall_policy: '${google_compute_network_firewall_policy.pol.id}', direction: 'EGRESS', ...v }])),
      ...(dns ? { google_dns_policy: { log: { name: 'dns', enable_logging: true, networks: [{ network_url: '${google_compute_network.vpc.id}' }] } } } : {}),
    });
    const deny = { action: 'deny', match: { dest_ip_ranges: ['0.0.0.0/0'], layer4_configs: [{ ip_protocol: 'all' }] } };
    const fqdn = { action: 'allow', match: { dest_fqdns: ['pypi.org'], layer4_configs: [{ ip_protocol: 'tcp', ports: ['443'] }] } };
    const web = { action: 'allow', match: { dest_ip_ranges: ['0.0.0.0/0'], layer4_configs: [{ ip_protocol: 'tcp', ports: ['443'] }] } };
    it('passes a restricted network whose DNS queries are logged', () => expectPass(run(RuleId.GCP_DNS_LOG, network({ fqdn, deny }, true)), 'google_compute_network.vpc', /logged/));
    it('fails a restricted network without DNS query logging', () => {
      expectFail(run(RuleId.GCP_DNS_LOG, network({ fqdn, deny }, false)), 'google_compute_network.vpc', /no DNS server policy logs/, /enable_logging = true/);
    });
    it('does not apply to open (NAT) egress', () => {
      expectNotApplicable(run(RuleId.GCP_DNS_LOG, network({ web, deny }, false)), 'google_compute_network.vpc', /not restricted/);
    });
  });
});

describe('Azure rules', () => {
  const sshKey = [{ username: 'azureuser', public_key: 'ssh-ed25519 AAAA' }];

  rule(RuleId.AZ_VM_SSH, () => {
    const r = run(RuleId.AZ_VM_SSH, {
      azurerm_linux_virtual_machine: { good: { admin_ssh_key: sshKey }, bad: { disable_password_authentication: false, admin_password: 'x' } },
      azurerm_orchestrated_virtual_machine_scale_set: { good: { os_profile: { linux_configuration: { admin_ssh_key: sshKey } } } },
    });
    it('passes SSH-key-only VMs and scale sets', () => {
      expectPass(r, 'azurerm_linux_virtual_machine.good');
      expectPass(r, 'azurerm_orchestrated_virtual_machine_scale_set.good');
    });
    it('fails password authentication', () => {
      expectFail(r, 'azurerm_linux_virtual_machine.bad', /disable_password_authentication is false; admin_password is set; no admin_ssh_key/);
    });
  });

  rule(RuleId.AZ_VM_HOSTENC, () => {
    const r = run(RuleId.AZ_VM_HOSTENC, { azurerm_linux_virtual_machine_scale_set: { good: { encryption_at_host_enabled: true }, bad: {} } });
    it('passes encryption at host', () => expectPass(r, 'azurerm_linux_virtual_machine_scale_set.good'));
    it('fails without it', () => expectFail(r, 'azurerm_linux_virtual_machine_scale_set.bad', /encryption_at_host_enabled is unset/, /EncryptionAtHost/));
  });

  rule(RuleId.AZ_VM_CMK, () => {
    const des = '${azurerm_disk_encryption_set.d.id}';
    const r = run(RuleId.AZ_VM_CMK, {
      azurerm_linux_virtual_machine: { good: { os_disk: { disk_encryption_set_id: des } }, bad: { os_disk: { caching: 'ReadWrite' } } },
      azurerm_linux_virtual_machine_scale_set: { data: { os_disk: { disk_encryption_set_id: des }, data_disk: [{ lun: 0 }] } },
      azurerm_managed_disk: { good: { disk_encryption_set_id: des } },
    });
    it('passes disks with a disk encryption set', () => {
      expectPass(r, 'azurerm_linux_virtual_machine.good');
      expectPass(r, 'azurerm_managed_disk.good');
    });
    it('fails OS or data disks without one', () => {
      expectFail(r, 'azurerm_linux_virtual_machine.bad', /os_disk\.disk_encryption_set_id is not set/);
      expectFail(r, 'azurerm_linux_virtual_machine_scale_set.data', /data_disk\[0\]\.disk_encryption_set_id is not set/);
    });
  });

  rule(RuleId.AZ_VM_PUBIP, () => {
    const r = run(RuleId.AZ_VM_PUBIP, {
      azurerm_network_interface: {
        good: { ip_configuration: [{ name: 'i', private_ip_address_allocation: 'Dynamic' }] },
        bad: { ip_configuration: [{ name: 'i', public_ip_address_id: '${azurerm_public_ip.p.id}' }], ip_forwarding_enabled: true },
      },
      azurerm_linux_virtual_machine_scale_set: { pub: { network_interface: [{ name: 'n', ip_configuration: [{ name: 'i', public_ip_address: [{ name: 'p' }] }] }] } },
    });
    it('passes private NICs', () => expectPass(r, 'azurerm_network_interface.good'));
    it('fails public IPs and IP forwarding', () => {
      expectFail(r, 'azurerm_network_interface.bad', /public_ip_address_id attaches a public IP; IP forwarding is enabled/);
      expectFail(r, 'azurerm_linux_virtual_machine_scale_set.pub', /public_ip_address gives every instance a public IP/);
    });
  });

  rule(RuleId.AZ_NSG_ADMIN, () => {
    const base = { direction: 'Inbound', access: 'Allow', source_port_range: '*' };
    const r = run(RuleId.AZ_NSG_ADMIN, {
      azurerm_network_security_rule: {
        https: { ...base, protocol: 'Tcp', source_address_prefix: 'Internet', destination_port_range: '443' },
        ssh: { ...base, protocol: 'Tcp', source_address_prefix: '*', destination_port_range: '22' },
        udp: { ...base, protocol: 'Udp', source_address_prefix: '0.0.0.0/0', destination_port_range: '53' },
        vnet: { ...base, protocol: '*', source_address_prefix: 'VirtualNetwork', destination_port_range: '*' },
      },
      azurerm_network_security_group: { inline: { security_rule: [{ ...base, name: 'rdp', protocol: 'Tcp', source_address_prefix: 'Internet', destination_port_ranges: ['3000-3400'] }] } },
    });
    it('passes HTTPS from the internet and internal sources', () => {
      expectPass(r, 'azurerm_network_security_rule.https');
      expectPass(r, 'azurerm_network_security_rule.vnet');
    });
    it('fails SSH/RDP and UDP from the internet', () => {
      expectFail(r, 'azurerm_network_security_rule.ssh', /exposing SSH\/RDP/, /Bastion/);
      expectFail(r, 'azurerm_network_security_rule.udp', /allows UDP from 0\.0\.0\.0\/0/);
      expectFail(r, 'azurerm_network_security_group.inline', /security_rule\[0\] \(rdp\)/);
    });
  });

  rule(RuleId.AZ_NSG_SUBNET, () => {
    const r = run(RuleId.AZ_NSG_SUBNET, {
      azurerm_subnet: { nodes: { name: 'nodes' }, bare: { name: 'bare' }, gw: { name: 'GatewaySubnet' } },
      azurerm_subnet_network_security_group_association: { a: { subnet_id: '${azurerm_subnet.nodes.id}', network_security_group_id: '${azurerm_network_security_group.n.id}' } },
      azurerm_virtual_network: { inline: { subnet: [{ name: 'x' }] } },
    });
    it('passes an associated subnet', () => expectPass(r, 'azurerm_subnet.nodes'));
    it('fails subnets without an NSG', () => {
      expectFail(r, 'azurerm_subnet.bare', /no azurerm_subnet_network_security_group_association/);
      expectFail(r, 'azurerm_virtual_network.inline', /inline subnet "x" has no security_group/);
    });
    it('skips Azure-managed subnets', () => expectNotApplicable(r, 'azurerm_subnet.gw'));
  });

  rule(RuleId.AZ_NET_FLOW, () => {
    const r = run(RuleId.AZ_NET_FLOW, {
      azurerm_virtual_network: { logged: {}, unlogged: {} },
      azurerm_network_watcher_flow_log: {
        good: { enabled: true, target_resource_id: '${azurerm_virtual_network.logged.id}', retention_policy: { enabled: true, days: 90 } },
        nsg: { enabled: true, network_security_group_id: '${azurerm_network_security_group.n.id}', retention_policy: { enabled: true, days: 30 } },
      },
    });
    it('passes a VNet flow log kept 90 days', () => {
      expectPass(r, 'azurerm_virtual_network.logged');
      expectPass(r, 'azurerm_network_watcher_flow_log.good');
    });
    it('fails missing VNet flow logs, NSG targets and short retention', () => {
      expectFail(r, 'azurerm_virtual_network.unlogged', /no azurerm_network_watcher_flow_log targets this VNet/);
      expectFail(r, 'azurerm_network_watcher_flow_log.nsg', /NSG flow logs are retired.*retention_policy/, /target_resource_id/);
    });
  });

  rule(RuleId.AZ_LOG_ACTIVITY, () => {
    const fixture: Blocks = {
      azurerm_log_analytics_workspace: { ws: { retention_in_days: 730 }, short: { retention_in_days: 90 }, unused: {} },
      azurerm_monitor_diagnostic_setting: {
        sub: {
          target_resource_id: '${data.azurerm_subscription.current.id}', log_analytics_workspace_id: '${azurerm_log_analytics_workspace.ws.id}',
          enabled_log: ['Administrative', 'Security', 'Policy', 'Alert'].map((category) => ({ category })),
        },
        partial: {
          target_resource_id: '/subscriptions/0000', log_analytics_workspace_id: '${azurerm_log_analytics_workspace.short.id}',
          enabled_log: [{ category: 'Administrative' }],
        },
        kv: { target_resource_id: '${azurerm_key_vault.v.id}', enabled_log: [{ category_group: 'audit' }] },
      },
    };
    it('hipaa: passes the export and a workspace at the 730-day service maximum', () => {
      const r = run(RuleId.AZ_LOG_ACTIVITY, fixture, { profile: H });
      expectPass(r, 'azurerm_monitor_diagnostic_setting.sub');
      expectPass(r, 'azurerm_log_analytics_workspace.ws', /service maximum/);
      expectNotApplicable(r, 'azurerm_monitor_diagnostic_setting.kv');
      expectNotApplicable(r, 'azurerm_log_analytics_workspace.unused');
    });
    it('fails missing categories and short workspace retention', () => {
      const r = run(RuleId.AZ_LOG_ACTIVITY, fixture, { profile: H });
      expectFail(r, 'azurerm_monitor_diagnostic_setting.partial', /categories Security, Policy, Alert are not exported/);
      expectFail(r, 'azurerm_log_analytics_workspace.short', /retention_in_days is 90, below 730/);
    });
    it('fails an Azure stack without a subscription export unless declared', () => {
      const stack = { azurerm_resource_group: { rg: {} } };
      expectFail(run(RuleId.AZ_LOG_ACTIVITY, stack), 'azurerm_monitor_diagnostic_setting (no subscription export)', /exports no subscription activity log/);
      expectPass(run(RuleId.AZ_LOG_ACTIVITY, stack, { existingOrganizationTrail: true }), 'azurerm_monitor_diagnostic_setting (no subscription export)');
    });
  });

  rule(RuleId.AZ_ST_TLS, () => {
    const r = run(RuleId.AZ_ST_TLS, {
      azurerm_storage_account: { good: { min_tls_version: 'TLS1_2' }, dflt: {}, bad: { min_tls_version: 'TLS1_0', https_traffic_only_enabled: false } },
    });
    it('passes TLS 1.2 (explicit or the v4 default)', () => {
      expectPass(r, 'azurerm_storage_account.good');
      expectPass(r, 'azurerm_storage_account.dflt', /default/);
    });
    it('fails old TLS and HTTP', () => expectFail(r, 'azurerm_storage_account.bad', /min_tls_version is "TLS1_0"; HTTPS-only traffic is disabled/));
  });

  rule(RuleId.AZ_ST_PUBLIC, () => {
    const r = run(RuleId.AZ_ST_PUBLIC, {
      azurerm_storage_account: {
        good: { allow_nested_items_to_be_public: false, public_network_access_enabled: false, shared_access_key_enabled: false },
        dflt: {},
      },
    });
    it('passes all three off', () => expectPass(r, 'azurerm_storage_account.good'));
    it('fails the defaults', () => {
      expectFail(r, 'azurerm_storage_account.dflt', /allow_nested_items_to_be_public is unset \(default true\); public_network_access_enabled.*shared_access_key_enabled/);
    });
  });

  rule(RuleId.AZ_ST_PROTECT, () => {
    const blob = { versioning_enabled: true, delete_retention_policy: { days: 30 } };
    const r = run(RuleId.AZ_ST_PROTECT, {
      azurerm_storage_account: { inline: { customer_managed_key: { key_vault_key_id: 'k' }, blob_properties: blob }, sep: { blob_properties: blob }, bad: {} },
      azurerm_storage_account_customer_managed_key: { c: { storage_account_id: '${azurerm_storage_account.sep.id}', key_vault_id: 'v', key_name: 'k' } },
    });
    it('passes CMK (inline or separate), versioning and delete retention', () => {
      expectPass(r, 'azurerm_storage_account.inline');
      expectPass(r, 'azurerm_storage_account.sep');
    });
    it('fails an unprotected account', () => {
      expectFail(r, 'azurerm_storage_account.bad', /no customer-managed key; blob_properties\.versioning_enabled is not true; blob_properties\.delete_retention_policy is not set/);
    });
  });

  rule(RuleId.AZ_KV, () => {
    const r = run(RuleId.AZ_KV, {
      azurerm_key_vault: { good: { purge_protection_enabled: true, public_network_access_enabled: false }, bad: {} },
      azurerm_key_vault_key: { good: { rotation_policy: { expire_after: 'P1Y', automatic: { time_before_expiry: 'P30D' } } }, bad: {} },
    });
    it('passes a private, purge-protected vault and rotating keys', () => {
      expectPass(r, 'azurerm_key_vault.good');
      expectPass(r, 'azurerm_key_vault_key.good', /P30D/);
    });
    it('fails the defaults and keys without automatic rotation', () => {
      expectFail(r, 'azurerm_key_vault.bad', /purge_protection_enabled is unset; public_network_access_enabled is unset \(default true\)/);
      expectFail(r, 'azurerm_key_vault_key.bad', /no rotation_policy with automatic rotation/);
    });
  });

  rule(RuleId.AZ_FW_DNS, () => {
    const fwIp = '${azurerm_firewall.fw.ip_configuration[0].private_ip_address}';
    const base = {
      azurerm_subnet: {
        fwgood: { name: 'AzureFirewallSubnet', virtual_network_name: '${azurerm_virtual_network.good.name}' },
        fwbad: { name: 'AzureFirewallSubnet', virtual_network_name: '${azurerm_virtual_network.bad.name}' },
      },
      azurerm_firewall: {
        fw: { firewall_policy_id: '${azurerm_firewall_policy.good.id}', ip_configuration: [{ name: 'c', subnet_id: '${azurerm_subnet.fwgood.id}' }] },
        fw2: { firewall_policy_id: '${azurerm_firewall_policy.bad.id}', ip_configuration: [{ name: 'c', subnet_id: '${azurerm_subnet.fwbad.id}' }] },
      },
      azurerm_firewall_policy: { good: { dns: { proxy_enabled: true } }, bad: {}, unused: {} },
      azurerm_virtual_network: { good: { name: 'good' }, bad: { name: 'bad', dns_servers: ['168.63.129.16'] }, plain: { name: 'plain' } },
      azurerm_virtual_network_dns_servers: { d: { virtual_network_id: '${azurerm_virtual_network.good.id}', dns_servers: [fwIp] } },
    };
    const r = run(RuleId.AZ_FW_DNS, base);
    it('passes a proxying policy and a VNet resolving through its firewall', () => {
      expectPass(r, 'azurerm_firewall_policy.good');
      expectPass(r, 'azurerm_virtual_network.good', /DNS proxy/);
    });
    it('fails a policy without the proxy and a VNet resolving around its firewall (the old Azure stack)', () => {
      expectFail(r, 'azurerm_firewall_policy.bad', /DNS proxy is off/);
      expectFail(r, 'azurerm_virtual_network.bad', /resolve around the firewall/, /azurerm_virtual_network_dns_servers/);
    });
    it('skips policies and VNets without a firewall', () => {
      expectNotApplicable(r, 'azurerm_firewall_policy.unused');
      expectNotApplicable(r, 'azurerm_virtual_network.plain');
    });
  });

  rule(RuleId.AZ_AUDIT_ISOLATED, () => {
    const vendor = '6f1d3a2b-4c5e-4f70-8a91-b2c3d4e5f607';
    const r = run(RuleId.AZ_AUDIT_ISOLATED, {
      azurerm_resource_group: { platform: { name: 'p' }, audit: { name: 'a' } },
      azurerm_log_analytics_workspace: {
        platform: { resource_group_name: '${azurerm_resource_group.platform.name}' },
        audit: { resource_group_name: '${azurerm_resource_group.audit.name}' },
      },
      azurerm_role_definition: { vendor: { permissions: [{ actions: ['Microsoft.OperationalInsights/workspaces/query/read'] }] } },
      azurerm_role_assignment: {
        vendor: { scope: '${azurerm_resource_group.platform.id}', principal_id: vendor, role_definition_id: '${azurerm_role_definition.vendor.role_definition_resource_id}' },
        nodes: { scope: '${azurerm_resource_group.audit.id}', principal_id: '${azurerm_user_assigned_identity.n.principal_id}', role_definition_name: 'Reader' },
      },
      azurerm_monitor_diagnostic_setting: {
        good: { target_resource_id: '${data.azurerm_subscription.s.id}', log_analytics_workspace_id: '${azurerm_log_analytics_workspace.audit.id}',
          enabled_log: [{ category: 'Administrative' }] },
        leaky: { target_resource_id: '${azurerm_key_vault.v.id}', log_analytics_workspace_id: '${azurerm_log_analytics_workspace.platform.id}',
          enabled_log: [{ category: 'AuditEvent' }] },
        metrics: { target_resource_id: '${azurerm_storage_account.s.id}/blobServices/default', log_analytics_workspace_id: '${azurerm_log_analytics_workspace.platform.id}',
          enabled_log: [{ category: 'StorageRead' }] },
      },
      azurerm_network_watcher_flow_log: {
        ta: { traffic_analytics: { enabled: true, workspace_resource_id: '${azurerm_log_analytics_workspace.platform.id}' } },
      },
    });
    it('passes audit data in a workspace no outside principal can query (the stack\'s own identities do not count)', () => {
      expectPass(r, 'azurerm_monitor_diagnostic_setting.good', /no outside principal can query/);
    });
    it('fails audit data in the vendor-readable workspace (the old Azure stack)', () => {
      expectFail(r, 'azurerm_monitor_diagnostic_setting.leaky', /azurerm_role_assignment\.vendor lets an outside principal query/, /resource group of its own/);
      expectFail(r, 'azurerm_network_watcher_flow_log.ta', /traffic analytics lands in azurerm_log_analytics_workspace\.platform/);
    });
    it('skips settings that export no audit category', () => expectNotApplicable(r, 'azurerm_monitor_diagnostic_setting.metrics'));
  });

  rule(RuleId.AZ_AUDIT_IMMUTABLE, () => {
    const container = (name: string, account = 'arch') => ({ name, storage_account_id: `\${azurerm_storage_account.${account}.id}` });
    const policy = (c: string, extra: Record<string, unknown> = {}) => ({
      storage_container_resource_manager_id: `\${azurerm_storage_account.arch.id}/blobServices/default/containers/\${azurerm_storage_container.${c}.name}`,
      immutability_period_in_days: 2192, locked: true, ...extra,
    });
    const r = run(RuleId.AZ_AUDIT_IMMUTABLE, {
      azurerm_storage_account: { arch: {} },
      azurerm_storage_container: { act: container('insights-activity-logs'), kv: container('insights-logs-auditevent') },
      azurerm_storage_container_immutability_policy: { act: policy('act'), kv: policy('kv', { locked: false }) },
      azurerm_monitor_diagnostic_setting: {
        activity: { target_resource_id: '/subscriptions/0000', storage_account_id: '${azurerm_storage_account.arch.id}', enabled_log: [{ category: 'Administrative' }] },
        vault: { target_resource_id: '${azurerm_key_vault.v.id}', storage_account_id: '${azurerm_storage_account.arch.id}', enabled_log: [{ category: 'AuditEvent' }] },
        noarchive: { target_resource_id: '${azurerm_firewall.f.id}', log_analytics_workspace_id: 'w', enabled_log: [{ category: 'AZFWNetworkRule' }] },
        blob: { target_resource_id: '${azurerm_storage_account.s.id}/blobServices/default', enabled_log: [{ category: 'StorageWrite' }] },
      },
    }, { profile: H });
    it('passes an export whose container is locked for the floor', () => expectPass(r, 'azurerm_monitor_diagnostic_setting.activity', /locked for at least 2192 days/));
    it('fails an unlocked container and an export without an archive (the old Azure stack)', () => {
      expectFail(r, 'azurerm_monitor_diagnostic_setting.vault', /container insights-logs-auditevent has no locked immutability policy of at least 2192 days/);
      expectFail(r, 'azurerm_monitor_diagnostic_setting.noarchive', /has no storage archive/);
    });
    it('skips non-audit exports', () => expectNotApplicable(r, 'azurerm_monitor_diagnostic_setting.blob'));
  });

  rule(RuleId.AZ_HOST_SHELL, () => {
    const dcr = (facilities: string[]) => ({ data_sources: { syslog: [{ name: 's', facility_names: facilities, streams: ['Microsoft-Syslog'] }] },
      destinations: { log_analytics: [{ name: 'w', workspace_resource_id: 'w' }] } });
    const r = run(RuleId.AZ_HOST_SHELL, {
      azurerm_orchestrated_virtual_machine_scale_set: { good: {}, bootonly: {}, none: {} },
      azurerm_monitor_data_collection_rule: { audit: dcr(['auth', 'authpriv']), boot: dcr(['user', 'daemon', 'kern']) },
      azurerm_monitor_data_collection_rule_association: {
        a: { target_resource_id: '${azurerm_orchestrated_virtual_machine_scale_set.good.id}', data_collection_rule_id: '${azurerm_monitor_data_collection_rule.audit.id}' },
        b: { target_resource_id: '${azurerm_orchestrated_virtual_machine_scale_set.bootonly.id}', data_collection_rule_id: '${azurerm_monitor_data_collection_rule.boot.id}' },
      },
    });
    it('passes a scale set whose rule collects auth and authpriv', () => expectPass(r, 'azurerm_orchestrated_virtual_machine_scale_set.good', /auth and authpriv/));
    it('fails scale sets that log only the bootstrap (the old Azure stack) or nothing', () => {
      expectFail(r, 'azurerm_orchestrated_virtual_machine_scale_set.bootonly', /SSH logins and sudo leave no record/);
      expectFail(r, 'azurerm_orchestrated_virtual_machine_scale_set.none', /no associated data collection rule/);
    });
  });
});

describe('Azure AKS rules', () => {
  const DES_ID = '${azurerm_disk_encryption_set.des.id}';
  const aks = (patch: Record<string, unknown>) => ({
    private_cluster_enabled: true, local_account_disabled: true, role_based_access_control_enabled: true,
    azure_active_directory_role_based_access_control: { azure_rbac_enabled: true },
    key_management_service: { key_vault_key_id: '${azurerm_key_vault_key.etcd.id}', key_vault_network_access: 'Private' },
    disk_encryption_set_id: DES_ID,
    ...patch,
  });

  rule(RuleId.AZ_AKS_PRIVATE, () => {
    const fixture: Blocks = { azurerm_kubernetes_cluster: {
      priv: aks({}),
      limited: aks({ private_cluster_enabled: false, api_server_access_profile: { authorized_ip_ranges: ['203.0.113.0/24'] } }),
      open: aks({ private_cluster_enabled: false, api_server_access_profile: { authorized_ip_ranges: ['0.0.0.0/0'] } }),
      dflt: aks({ private_cluster_enabled: undefined }),
    } };
    it('passes a private cluster, and at baseline a public one limited to authorized ranges', () => {
      expectPass(run(RuleId.AZ_AKS_PRIVATE, fixture), 'azurerm_kubernetes_cluster.priv', /private API server/);
      expectPass(run(RuleId.AZ_AKS_PRIVATE, fixture), 'azurerm_kubernetes_cluster.limited', /limited to 203\.0\.113\.0\/24/);
      expectPass(run(RuleId.AZ_AKS_PRIVATE, fixture, { profile: H }), 'azurerm_kubernetes_cluster.priv');
    });
    it('fails a public API server open to everyone, and any public one under soc2', () => {
      const r = run(RuleId.AZ_AKS_PRIVATE, fixture);
      expectFail(r, 'azurerm_kubernetes_cluster.open', /open to 0\.0\.0\.0\/0/);
      expectFail(r, 'azurerm_kubernetes_cluster.dflt', /open to any address \(no authorized_ip_ranges\)/, /authorized_ip_ranges/);
      expectFail(run(RuleId.AZ_AKS_PRIVATE, fixture, { profile: S }), 'azurerm_kubernetes_cluster.limited', /soc2 profile keeps it private/);
    });
  });

  rule(RuleId.AZ_AKS_LOCAL, () => {
    const r = run(RuleId.AZ_AKS_LOCAL, { azurerm_kubernetes_cluster: { good: aks({}), dflt: aks({ local_account_disabled: undefined }) } });
    it('passes local accounts disabled', () => expectPass(r, 'azurerm_kubernetes_cluster.good'));
    it('fails the default (local accounts on)', () => expectFail(r, 'azurerm_kubernetes_cluster.dflt', /static admin kubeconfig/, /local_account_disabled = true/));
  });

  rule(RuleId.AZ_AKS_RBAC, () => {
    const r = run(RuleId.AZ_AKS_RBAC, { azurerm_kubernetes_cluster: {
      good: aks({}),
      noAad: aks({ azure_active_directory_role_based_access_control: undefined }),
      k8sRbac: aks({ azure_active_directory_role_based_access_control: { azure_rbac_enabled: false } }),
      off: aks({ role_based_access_control_enabled: false }),
    } });
    it('passes Entra ID with Azure RBAC', () => expectPass(r, 'azurerm_kubernetes_cluster.good', /Entra ID with Azure RBAC/));
    it('fails without Entra ID, without Azure RBAC, or with RBAC off', () => {
      expectFail(r, 'azurerm_kubernetes_cluster.noAad', /authentication is not Entra ID/);
      expectFail(r, 'azurerm_kubernetes_cluster.k8sRbac', /azure_rbac_enabled is false/);
      expectFail(r, 'azurerm_kubernetes_cluster.off', /role_based_access_control_enabled is false/);
    });
  });

  rule(RuleId.AZ_AKS_KMS, () => {
    const r = run(RuleId.AZ_AKS_KMS, { azurerm_kubernetes_cluster: { good: aks({}), none: aks({ key_management_service: undefined }) } });
    it('passes a KMS key', () => expectPass(r, 'azurerm_kubernetes_cluster.good'));
    it('fails without KMS', () => expectFail(r, 'azurerm_kubernetes_cluster.none', /platform-managed key only/, /key_management_service/));
  });

  rule(RuleId.AZ_AKS_DES, () => {
    const r = run(RuleId.AZ_AKS_DES, { azurerm_kubernetes_cluster: { good: aks({}), none: aks({ disk_encryption_set_id: undefined }) } });
    it('passes a disk encryption set', () => expectPass(r, 'azurerm_kubernetes_cluster.good'));
    it('fails without one', () => expectFail(r, 'azurerm_kubernetes_cluster.none', /platform-managed keys/, /disk_encryption_set_id/));
  });
});
