import { existsSync, readFileSync, readdirSync } from 'fs';
import { basename, join } from 'path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { App, Fn, TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { AwsSandboxPlatform } from '../lib/aws';
import {
  ComplianceReport, REPORT_JSON, REPORT_MARKDOWN, ResultStatus, RuleId, RuleSeverity, RuleState, SandboxCompliance, allRules, controlStates,
  evaluate, packFor, renderMarkdown, severityFor, violationMessage, violations,
} from '../lib/compliance';
import { CloudProvider, ComplianceProfile, DeploymentModel, loadSpecFile } from '../lib/spec';
import { addSpecStack } from '../stacks/main';

const B = ComplianceProfile.BASELINE;
const S = ComplianceProfile.SOC2;
const H = ComplianceProfile.HIPAA;

const ids = (profile: ComplianceProfile, severity: RuleSeverity) =>
  packFor(profile).filter((r) => severityFor(r, profile) === severity).map((r) => r.id).sort();

describe('packs', () => {
  // Per cloud, so each cloud's rules change in one place. B: baseline errors; S: what soc2 adds;
  // H: what hipaa adds; W_B / W_S: advisory warnings at baseline / soc2.
  const AWS = {
    B: ['AWS-EC2-IMDS', 'AWS-EC2-EBS', 'AWS-EC2-PUBIP', 'AWS-EC2-PROFILE', 'AWS-VPC-FLOW', 'AWS-SG-ADMIN', 'AWS-SG-OPEN', 'AWS-SG-DEFAULT',
      'AWS-KMS-ROTATE', 'AWS-S3-ENC', 'AWS-S3-PUBLIC', 'AWS-S3-TLS', 'AWS-LOG-RET', 'AWS-IAM-ADMIN', 'AWS-IAM-TRUST', 'AWS-TRAIL-VENDOR',
      'AWS-EKS-ENDPOINT', 'AWS-EKS-SECRETS', 'AWS-EKS-LOGS', 'AWS-EKS-NODES'],
    S: ['AWS-SG-EGRESS', 'AWS-S3-VERSION', 'AWS-S3-LOGGING', 'AWS-TRAIL', 'AWS-VPCE-POLICY', 'AWS-DNS-FW', 'AWS-SSM-RECORD'],
    H: ['AWS-EC2-MON', 'AWS-TRAIL-LOCK'],
    W_B: ['AWS-EC2-MON', 'AWS-TRAIL', 'AWS-DNS-FW', 'AWS-VPCE-POLICY'],
    W_S: ['AWS-EC2-MON'],
  };
  const GCP = {
    B: ['GCP-CE-PUBIP', 'GCP-CE-LOGIN', 'GCP-CE-SA', 'GCP-NET-ADMIN', 'GCP-NET-FLOW', 'GCP-KMS-ROTATE', 'GCP-GCS-PUBLIC', 'GCP-IAM-PRIMITIVE',
      'GCP-GKE-ENDPOINT', 'GCP-GKE-SECRETS', 'GCP-GKE-NODES', 'GCP-GKE-WI', 'GCP-GKE-SHIELD'],
    S: ['GCP-CE-SHIELD', 'GCP-CE-CMEK', 'GCP-AUDIT', 'GCP-LOG-RET', 'GCP-GCS-PROTECT', 'GCP-LOG-VIEW', 'GCP-NET-SSH', 'GCP-DNS-LOG'],
    H: [] as string[],
    W_B: ['GCP-AUDIT', 'GCP-LOG-RET'],
    W_S: [] as string[],
  };
  const AZ = {
    B: ['AZ-VM-SSH', 'AZ-VM-PUBIP', 'AZ-NSG-ADMIN', 'AZ-NSG-SUBNET', 'AZ-NET-FLOW', 'AZ-ST-TLS', 'AZ-ST-PUBLIC', 'AZ-KV', 'AZ-FW-DNS', 'AZ-AUDIT-ISOLATED',
      'AZ-AKS-PRIVATE', 'AZ-AKS-LOCAL', 'AZ-AKS-RBAC'],
    S: ['AZ-VM-HOSTENC', 'AZ-VM-CMK', 'AZ-LOG-ACTIVITY', 'AZ-ST-PROTECT', 'AZ-HOST-SHELL', 'AZ-AKS-KMS', 'AZ-AKS-DES'],
    H: ['AZ-AUDIT-IMMUTABLE'],
    W_B: ['AZ-LOG-ACTIVITY'],
    W_S: [] as string[],
  };
  const clouds = [AWS, GCP, AZ];
  const all = (k: keyof typeof AWS) => clouds.flatMap((c) => c[k]).sort();
  const baseline = all('B');
  const soc2 = all('S');

  it('has every rule of COMPLIANCE-RULES.md exactly once', () => {
    expect(allRules().map((r) => r.id).sort()).toEqual(Object.values(RuleId).sort());
    expect(allRules().map((r) => r.id).sort()).toEqual([...new Set([...baseline, ...soc2, ...all('H'), ...all('W_B')])].sort());
  });

  it('baseline enforces the B rules; advisory rules are warnings', () => {
    expect(ids(B, RuleSeverity.ERROR)).toEqual(baseline);
    expect(ids(B, RuleSeverity.WARNING)).toEqual(all('W_B'));
  });

  it('soc2 adds the S rules; hipaa adds its own', () => {
    expect(ids(S, RuleSeverity.ERROR)).toEqual([...baseline, ...soc2].sort());
    expect(ids(S, RuleSeverity.WARNING)).toEqual(all('W_S'));
    expect(ids(H, RuleSeverity.ERROR)).toEqual([...baseline, ...soc2, ...all('H')].sort());
    expect(ids(H, RuleSeverity.WARNING)).toEqual([]);
  });

  it('filters by cloud', () => {
    expect(packFor(H, CloudProvider.GCP).every((r) => r.clouds.includes(CloudProvider.GCP))).toBe(true);
    expect(packFor(H, CloudProvider.AWS)).toHaveLength(AWS.B.length + AWS.S.length + AWS.H.length);
  });

  it('maps every rule to HIPAA and SOC 2 controls and names the resource types it evaluates', () => {
    for (const r of allRules()) {
      expect({ id: r.id, hipaa: r.controls.hipaa.length > 0, soc2: r.controls.soc2.length > 0, types: r.resourceTypes.length > 0 })
        .toEqual({ id: r.id, hipaa: true, soc2: true, types: true });
    }
    expect(allRules().find((r) => r.id === RuleId.AWS_VPC_FLOW)).toMatchObject({
      controls: { cis: ['3.7'] }, upstream: { checkov: ['CKV2_AWS_11'], cdkNag: ['VPCFlowLogsEnabled'] },
    });
  });
});

describe('evaluate', () => {
  const insecure = {
    '//': { metadata: { stackName: 'fixture' } },
    resource: {
      aws_s3_bucket: { data: { '//': { metadata: { path: 'fixture/legacy/data', uniqueId: 'data' } } } },
      aws_security_group: { ssh: { ingress: [{ cidr_blocks: ['0.0.0.0/0'], from_port: 22, to_port: 22, protocol: 'tcp' }] } },
    },
  };

  it('reports every rule of the pack for the stack\'s clouds, every resource, with controls', () => {
    const report = evaluate(insecure, { profile: B });
    expect(report.clouds).toEqual([CloudProvider.AWS]);
    expect(report.rules.map((r) => r.id)).toEqual(packFor(B, CloudProvider.AWS).map((r) => r.id));
    expect(report.stack).toBe('fixture');
    expect(report.compliant).toBe(false);
    const enc = report.rules.find((r) => r.id === RuleId.AWS_S3_ENC)!;
    expect(enc.controls.hipaa).toContain('164.312(a)(2)(iv)');
    expect(enc.results).toEqual([expect.objectContaining({
      address: 'aws_s3_bucket.data', constructPath: 'fixture/legacy/data', status: ResultStatus.FAIL, severity: RuleSeverity.ERROR,
    })]);
  });

  it('suppresses by construct path prefix and counts what each suppression covered', () => {
    const report = evaluate(insecure, {
      profile: B,
      suppressions: [
        { ruleId: RuleId.AWS_S3_ENC, constructPath: 'fixture/legacy', reason: 'legacy bucket, encrypted by the account default' },
        { ruleId: RuleId.AWS_S3_TLS, constructPath: 'fixture/leg', reason: 'prefix of a path segment only: covers nothing' },
      ],
    });
    const enc = report.rules.find((r) => r.id === RuleId.AWS_S3_ENC)!.results[0];
    expect(enc).toMatchObject({ status: ResultStatus.SUPPRESSED, suppression: { reason: 'legacy bucket, encrypted by the account default' } });
    expect(report.rules.find((r) => r.id === RuleId.AWS_S3_TLS)!.results[0].status).toBe(ResultStatus.FAIL);
    expect(report.suppressions.map((s) => s.covered)).toEqual([1, 0]);
  });

  it('rejects suppressions without a reason or with an unknown rule id', () => {
    expect(() => evaluate(insecure, { profile: B, suppressions: [{ ruleId: RuleId.AWS_S3_ENC, constructPath: 'fixture', reason: ' ' }] }))
      .toThrow(/has no reason/);
    expect(() => evaluate(insecure, { profile: B, suppressions: [{ ruleId: 'AWS-NOPE', constructPath: 'fixture', reason: 'x' }] }))
      .toThrow(/Unknown compliance rule id "AWS-NOPE"/);
  });

  it('formats a violation with rule id, address, construct path, what and how to fix', () => {
    const report = evaluate(insecure, { profile: B });
    const v = violations(report).find((x) => x.rule.id === RuleId.AWS_S3_PUBLIC)!;
    expect(violationMessage(v.rule, v.result)).toBe(
      '[AWS-S3-PUBLIC] aws_s3_bucket.data (fixture/legacy/data): no aws_s3_bucket_public_access_block references this bucket. '
      + 'Fix: add an aws_s3_bucket_public_access_block for it with all four flags true. '
      + '(S3 public access blocked; to accept it, SandboxCompliance.suppress(<construct>, \'AWS-S3-PUBLIC\', \'<reason>\'))');
  });

  it('renders deterministic markdown', () => {
    expect(renderMarkdown(evaluate(insecure, { profile: H }))).toBe(renderMarkdown(evaluate(insecure, { profile: H })));
  });
});

describe('compliant fixtures for clouds without constructs yet', () => {
  const fixtures: [string, CloudProvider][] = [['gcp-hipaa-compliant.json', CloudProvider.GCP], ['azure-hipaa-compliant.json', CloudProvider.AZURE]];

  it.each(fixtures)('%s passes every %s rule of the hipaa pack', (file, cloud) => {
    const json = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'compliance', file), 'utf8'));
    const report = evaluate(json, { profile: H });
    expect(report.clouds).toEqual([cloud]);
    expect(violations(report).map((v) => violationMessage(v.rule, v.result))).toEqual([]);
    // Every rule of the cloud evaluated at least one resource of the fixture and passed it.
    const withoutPass = report.rules.filter((r) => !r.results.some((x) => x.status === ResultStatus.PASS)).map((r) => r.id);
    expect(withoutPass).toEqual([]);
    expect(report.rules).toHaveLength(packFor(H, cloud).length);
  });
});

/** A stack with a user-added unencrypted, public bucket and SSH open to the world, beside a compliant provider. */
function insecureStack(app: App): { stack: TerraformStack; legacy: Construct; bucket: S3Bucket; sg: SecurityGroup } {
  const stack = new TerraformStack(app, 'insecure');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  const legacy = new Construct(stack, 'legacy');
  const bucket = new S3Bucket(legacy, 'bucket', { bucketPrefix: 'legacy-' });
  const sg = new SecurityGroup(stack, 'ssh', {
    name: 'ssh', ingress: [{ cidrBlocks: ['0.0.0.0/0'], fromPort: 22, toPort: 22, protocol: 'tcp' }],
  });
  SandboxCompliance.enforce(stack, { profile: B, existingOrganizationTrail: true });
  return { stack, legacy, bucket, sg };
}

function synthError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected synth to fail');
}

function readReport(outdir: string, stack: string): { json: ComplianceReport; md: string } {
  const dir = join(outdir, 'stacks', stack);
  return { json: JSON.parse(readFileSync(join(dir, REPORT_JSON), 'utf8')) as ComplianceReport, md: readFileSync(join(dir, REPORT_MARKDOWN), 'utf8') };
}

describe('SandboxCompliance on a cdktf stack', () => {
  it('fails app.synth() for a user-added insecure bucket and SSH security group, naming rule, address and path', () => {
    const app = Testing.app();
    insecureStack(app);
    const message = synthError(() => app.synth());
    for (const id of ['AWS-S3-ENC', 'AWS-S3-PUBLIC', 'AWS-S3-TLS', 'AWS-SG-ADMIN', 'AWS-SG-OPEN']) expect(message).toContain(`[${id}]`);
    expect(message).toContain('[AWS-S3-ENC] aws_s3_bucket.legacy_bucket_');
    expect(message).toContain('(insecure/legacy/bucket): no server-side encryption configuration references this bucket. Fix: add an');
    expect(message).toMatch(/\[AWS-SG-ADMIN\] aws_security_group\.ssh \(insecure\/ssh\): ingress\[0\] allows tcp 22 from 0\.0\.0\.0\/0/);
    // Advisory rules under baseline do not fail synth.
    expect(message).not.toContain('[AWS-S3-VERSION]');
  });

  it('also fails Testing.fullSynth, and writes the failing report', () => {
    const app = Testing.app();
    const { stack } = insecureStack(app);
    let outdir = '';
    const original = stack.synthesizer;
    stack.synthesizer = { synthesize: (session) => { outdir = session.outdir; original.synthesize(session); } };
    expect(synthError(() => Testing.fullSynth(stack))).toContain('[AWS-SG-OPEN]');
    const { json, md } = readReport(outdir, 'insecure');
    expect(json.compliant).toBe(false);
    expect(json.summary.errors).toBe(5);
    expect(md).toContain('| Result | **FAIL**: 5 unsuppressed error(s)');
  });

  it('passes with suppressions (reasons in the report); advisory rules stay warnings', () => {
    const app = Testing.app();
    const { stack, legacy, sg } = insecureStack(app);
    // On the parent construct: covers the bucket beneath it.
    SandboxCompliance.suppress(legacy, RuleId.AWS_S3_ENC, 'Legacy bucket; account-level default encryption (SSE-S3) applies');
    SandboxCompliance.suppress(legacy, RuleId.AWS_S3_PUBLIC, 'Account-level public access block managed by the landing zone');
    SandboxCompliance.suppress(legacy, RuleId.AWS_S3_TLS, 'Only reachable through the VPC endpoint policy that enforces TLS');
    SandboxCompliance.suppress(sg, 'AWS-SG-ADMIN', 'Break-glass bastion, removed after migration (TICKET-42)');
    SandboxCompliance.suppress(sg, RuleId.AWS_SG_OPEN, 'Break-glass bastion, removed after migration (TICKET-42)');
    expect(() => app.synth()).not.toThrow();

    const { json, md } = readReport(app.outdir, 'insecure');
    expect(json.compliant).toBe(true);
    expect(json.summary).toMatchObject({ errors: 0, suppressed: 5 });
    const enc = json.rules.find((r) => r.id === RuleId.AWS_S3_ENC)!.results[0];
    expect(enc).toMatchObject({
      status: ResultStatus.SUPPRESSED, constructPath: 'insecure/legacy/bucket',
      suppression: { constructPath: 'insecure/legacy', reason: 'Legacy bucket; account-level default encryption (SSE-S3) applies' },
    });
    expect(md).toContain('| AWS-SG-ADMIN | `insecure/ssh` | Break-glass bastion, removed after migration (TICKET-42) | 1 |');
    expect(md).toMatch(/\| `aws_s3_bucket\.legacy_bucket_\w+` \| `insecure\/legacy\/bucket` \| suppressed \| no server-side encryption configuration references this bucket\. Suppressed: Legacy bucket; account-level default encryption \(SSE-S3\) applies \|/);
    expect(SandboxCompliance.reportOf(stack)?.compliant).toBe(true);

    // The advisory AWS-EC2-MON failure (no detailed monitoring, baseline) is a warning annotation, not an error;
    // AWS-S3-VERSION is not in the baseline pack at all.
    const manifest = JSON.parse(readFileSync(join(app.outdir, 'manifest.json'), 'utf8'));
    const annotations = manifest.stacks.insecure.annotations as { level: string; message: string; constructPath: string }[];
    expect(annotations.filter((a) => a.level === '@cdktf/error')).toEqual([]);
    expect(annotations.some((a) => a.message.includes('[AWS-S3-VERSION]'))).toBe(false);
  });

  it('rejects a suppression without a reason or with an unknown rule id', () => {
    const app = Testing.app();
    const { bucket } = insecureStack(app);
    expect(() => SandboxCompliance.suppress(bucket, RuleId.AWS_S3_ENC, '')).toThrow(/a reason is required/);
    expect(() => SandboxCompliance.suppress(bucket, RuleId.AWS_S3_ENC, '   ')).toThrow(/a reason is required/);
    expect(() => SandboxCompliance.suppress(bucket, 'AWS-S3-ENCRYPTION', 'typo')).toThrow(/unknown rule id "AWS-S3-ENCRYPTION"/);
  });

  it('warns about a suppression that covers nothing', () => {
    const app = Testing.app();
    const { stack, legacy } = insecureStack(app);
    SandboxCompliance.suppress(stack, RuleId.AWS_IAM_ADMIN, 'no IAM here');
    for (const id of [RuleId.AWS_S3_ENC, RuleId.AWS_S3_PUBLIC, RuleId.AWS_S3_TLS, RuleId.AWS_SG_ADMIN, RuleId.AWS_SG_OPEN]) {
      SandboxCompliance.suppress(stack, id, 'whole-stack exception for this test');
    }
    app.synth();
    expect(legacy).toBeDefined();
    const manifest = JSON.parse(readFileSync(join(app.outdir, 'manifest.json'), 'utf8'));
    expect(manifest.stacks.insecure.annotations).toContainEqual(expect.objectContaining({
      level: '@cdktf/warn', message: expect.stringContaining('[AWS-IAM-ADMIN] suppression on insecure covers no failing resource'),
    }));
  });

  it('checks values set through overrides', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'override');
    new AwsProvider(stack, 'aws', { region: 'us-east-1' });
    const sg = new SecurityGroup(stack, 'sg', { name: 'sg' });
    sg.addOverride('ingress', [{ cidr_blocks: ['0.0.0.0/0'], from_port: 3389, to_port: 3389, protocol: 'tcp' }]);
    SandboxCompliance.enforce(stack, { profile: B, existingOrganizationTrail: true });
    expect(synthError(() => app.synth())).toMatch(/\[AWS-SG-ADMIN\] aws_security_group\.sg \(override\/sg\): ingress\[0\] allows tcp 3389/);
  });

  it('keeps one enforcement per stack with the stricter profile', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'twice');
    SandboxCompliance.enforce(stack, { profile: H });
    SandboxCompliance.enforce(stack, { profile: B });
    expect(SandboxCompliance.profileOf(stack)).toBe(H);
  });
});

describe('reference stacks pass their own profile', () => {
  const specDir = join(__dirname, '..', 'stacks', 'specs');
  // Every shipped spec, against the profile it declares.
  const cases: [string, ComplianceProfile][] = readdirSync(specDir).filter((f) => f.endsWith('.json')).sort()
    .map((f) => [basename(f, '.json'), loadSpecFile(join(specDir, f)).spec.compliance]);
  const existingTrail = (name: string) => loadSpecFile(join(specDir, `${name}.json`)).spec.observability?.existingOrganizationTrail ?? false;

  it('covers the AWS reference specs with their own profiles', () => {
    expect(cases).toEqual(expect.arrayContaining([['aws-byoc-hipaa', H], ['aws-managed-baseline', B]]));
  });

  it.each(cases)('%s has zero errors under %s', (name, profile) => {
    const app = Testing.app();
    const stack = addSpecStack(app, join(specDir, `${name}.json`));
    SandboxCompliance.enforce(stack, { profile, existingOrganizationTrail: existingTrail(name) });
    Testing.synth(stack); // runs the aspects
    const report = SandboxCompliance.evaluate(stack);
    const errors = violations(report).filter((v) => v.result.severity === RuleSeverity.ERROR).map((v) => violationMessage(v.rule, v.result));
    expect(errors).toEqual([]);
    expect(report.summary.passed).toBeGreaterThan(0);
  });

  it('fails synth for an insecure bucket a user adds next to the platform, and only for it', () => {
    const app = Testing.app();
    const stack = addSpecStack(app, join(specDir, 'aws-managed-baseline.json'));
    new S3Bucket(stack, 'user-bucket', { bucket: 'acme-user-data' });
    SandboxCompliance.enforce(stack, { profile: B });
    const errors = synthError(() => app.synth()).split('\n').filter((l) => /\[AWS-[A-Z0-9-]+\]/.test(l));
    expect(errors.map((l) => /\[(AWS-[A-Z0-9-]+)\] (\S+)/.exec(l)!.slice(1).join(' ')).sort()).toEqual([
      'AWS-S3-ENC aws_s3_bucket.user-bucket', 'AWS-S3-PUBLIC aws_s3_bucket.user-bucket', 'AWS-S3-TLS aws_s3_bucket.user-bucket',
    ]);
  });

  it.each(cases)('%s synthesizes (app.synth) with its report next to cdk.tf.json', (name, profile) => {
    const app = Testing.app();
    const stack = addSpecStack(app, join(specDir, `${name}.json`));
    SandboxCompliance.enforce(stack, { profile, existingOrganizationTrail: existingTrail(name) });
    app.synth();
    const dir = join(app.outdir, 'stacks', name);
    expect(existsSync(join(dir, 'cdk.tf.json'))).toBe(true);
    const { json, md } = readReport(app.outdir, name);
    expect(json.compliant).toBe(true);
    expect(md).toContain(`# Compliance report: ${name}`);
    expect(md).toContain('## Controls evidenced');
  });
});

describe('one resolution per synthesis', () => {
  it('writes the same cdk.tf.json as an unenforced synth, and resolves afresh after the synthesis', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'reuse');
    new AwsProvider(stack, 'aws', { region: 'us-east-1' });
    new SecurityGroup(stack, 'sg', { name: 'x', ingress: [] });
    stack.prepareStack(); // what app.synth() does first (adds the default local backend)
    const expected = JSON.parse(JSON.stringify(stack.toTerraform()));
    SandboxCompliance.enforce(stack, { profile: ComplianceProfile.BASELINE, existingOrganizationTrail: true });
    let resolutions = 0;
    const original = TerraformStack.prototype.toTerraform;
    const spy = jest.spyOn(TerraformStack.prototype, 'toTerraform').mockImplementation(function (this: TerraformStack) {
      resolutions++;
      return original.call(this);
    });
    try {
      app.synth();
      expect(resolutions).toBe(1);
      const written = JSON.parse(readFileSync(join(app.outdir, 'stacks', 'reuse', 'cdk.tf.json'), 'utf8'));
      expect(written).toEqual(expected);
      new SecurityGroup(stack, 'later', { name: 'y', ingress: [] });
      expect(Object.keys((stack.toTerraform() as { resource: { aws_security_group: object } }).resource.aws_security_group)).toEqual(['sg', 'later']);
      expect(resolutions).toBe(2);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('report states: never "pass" for what nothing evidenced or what was suppressed', () => {
  // A stack that joins an existing VPC: no aws_vpc, so AWS-VPC-FLOW evaluates nothing.
  const noVpc = {
    '//': { metadata: { stackName: 'joined' } },
    resource: {
      aws_security_group: { bastion: { '//': { metadata: { path: 'joined/bastion' } }, ingress: [{ cidr_blocks: ['0.0.0.0/0'], from_port: 22, to_port: 22, protocol: 'tcp' }] } },
      aws_launch_template: { lt: { metadata_options: { http_tokens: 'required', http_put_response_hop_limit: 1 }, iam_instance_profile: { name: 'x' },
        block_device_mappings: [{ ebs: { encrypted: true, kms_key_id: 'x' } }], monitoring: { enabled: true } } },
    },
  };
  const reason = 'break-glass bastion, closed by SCP outside change windows';
  const report = evaluate(noVpc, {
    profile: B, existingOrganizationTrail: true,
    suppressions: [{ ruleId: RuleId.AWS_SG_ADMIN, constructPath: 'joined/bastion', reason }, { ruleId: RuleId.AWS_SG_OPEN, constructPath: 'joined/bastion', reason }],
  });
  const control = (name: string) => controlStates(report).find((c) => c.control === name)!;

  it('a rule with no resource of its types is not evaluated, and so is every control it evidences', () => {
    expect(report.rules.find((r) => r.id === RuleId.AWS_VPC_FLOW)!.state).toBe(RuleState.NOT_EVALUATED);
    expect(control('CIS AWS Foundations 3.7')).toMatchObject({
      state: RuleState.NOT_EVALUATED, qualifiers: ['not evaluated (AWS-VPC-FLOW: no aws_vpc in this stack)'],
    });
    expect(renderMarkdown(report)).toContain('| CIS AWS Foundations 3.7 | AWS-VPC-FLOW not evaluated | not evaluated (AWS-VPC-FLOW: no aws_vpc in this stack) |');
    expect(report.summary.rulesWithoutResources).toBeGreaterThan(0);
  });

  it('a suppressed finding makes its controls "suppressed (reason)", not pass', () => {
    expect(control('CIS AWS Foundations 5.3')).toMatchObject({
      state: RuleState.SUPPRESSED, qualifiers: [`suppressed (AWS-SG-ADMIN on joined/bastion: ${reason})`],
    });
    expect(renderMarkdown(report)).toContain(`| CIS AWS Foundations 5.3 | AWS-SG-ADMIN suppressed | suppressed (AWS-SG-ADMIN on joined/bastion: ${reason}) |`);
  });

  it('a control reads pass only when all of its rules evaluated something and passed', () => {
    for (const c of controlStates(report)) {
      if (c.state !== RuleState.PASS) continue;
      expect({ c: c.control, states: c.rules.map((r) => r.state).filter((x) => x !== RuleState.PASS && x !== RuleState.NOT_APPLICABLE) })
        .toEqual({ c: c.control, states: [] });
      expect(c.qualifiers).toEqual([]);
    }
    expect(controlStates(report).some((c) => c.state === RuleState.PASS)).toBe(true);
  });
});

describe('values a rule cannot read are "not evaluated", never "missing"', () => {
  const tlsOnly = (bucketArn: string) => ({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [bucketArn, `${bucketArn}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
  });

  function bucketStack(policy: (b: S3Bucket, stack: TerraformStack) => string): { app: App; stack: TerraformStack } {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'forms');
    new AwsProvider(stack, 'aws', { region: 'us-east-1' });
    const b = new S3Bucket(stack, 'b', { bucket: 'acme-forms' });
    new S3BucketPolicy(stack, 'p', { bucket: b.id, policy: policy(b, stack) });
    return { app, stack };
  }

  const tlsResult = (stack: TerraformStack) => {
    Testing.synth(stack);
    const r = SandboxCompliance.evaluate(stack, { profile: B }).rules.find((x) => x.id === RuleId.AWS_S3_TLS)!;
    return r.results[0];
  };

  it('AWS-S3-TLS: Fn.jsonencode is "cannot evaluate" with how to write it readably; JSON.stringify and a policy document pass', () => {
    const encoded = tlsResult(bucketStack((b) => Fn.jsonencode(tlsOnly(b.arn))).stack);
    expect(encoded).toMatchObject({ status: ResultStatus.NOT_EVALUATED, message: 'cannot evaluate the bucket policy: it is a Fn.jsonencode() expression, which Terraform computes only at apply' });
    expect(encoded.fix).toMatch(/JSON\.stringify.*DataAwsIamPolicyDocument/);
    expect(encoded.message).not.toMatch(/has no Deny/);
    expect(tlsResult(bucketStack((b) => JSON.stringify(tlsOnly(b.arn))).stack).status).toBe(ResultStatus.PASS);
    expect(tlsResult(bucketStack((b, stack) => new DataAwsIamPolicyDocument(stack, 'doc', {
      statement: [{ effect: 'Deny', actions: ['s3:*'], resources: [b.arn, `${b.arn}/*`], principals: [{ type: '*', identifiers: ['*'] }],
        condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }] }],
    }).json).stack).status).toBe(ResultStatus.PASS);
    // Readable and without the statement: still a failure.
    expect(tlsResult(bucketStack(() => JSON.stringify({ Version: '2012-10-17', Statement: [] })).stack).status).toBe(ResultStatus.FAIL);
  });

  it('warns at synth instead of failing, and the report lists it under "Not evaluated"', () => {
    const { app, stack } = bucketStack((b) => Fn.jsonencode(tlsOnly(b.arn)));
    SandboxCompliance.enforce(stack, { profile: B, existingOrganizationTrail: true });
    // The bucket still lacks encryption and a public access block: those fail; TLS is only a warning.
    const message = synthError(() => app.synth());
    expect(message).not.toContain('[AWS-S3-TLS]');
    const annotations = (stack.node.metadata as { type: string; data: string }[]).concat(
      ...stack.node.findAll().map((c) => c.node.metadata as { type: string; data: string }[]));
    expect(annotations.map((m) => m.data)).toContainEqual(expect.stringMatching(
      /^\[AWS-S3-TLS\] aws_s3_bucket\.b \(forms\/b\): not evaluated: cannot evaluate the bucket policy: it is a Fn\.jsonencode\(\) expression.*To make it checkable: write the document with JSON\.stringify/));
    const { md } = readReport(app.outdir, 'forms');
    expect(md).toMatch(/## Not evaluated[\s\S]*\| AWS-S3-TLS \| `aws_s3_bucket\.b` \| `forms\/b` \| cannot evaluate the bucket policy/);
  });

  it('AWS-IAM-TRUST and AWS-IAM-ADMIN: an unreadable document is not evaluated (was: not applicable)', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'iam');
    new AwsProvider(stack, 'aws', { region: 'us-east-1' });
    new IamRole(stack, 'r', { name: 'x', assumeRolePolicy: Fn.jsonencode({ Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: '111122223333' } }] }) });
    Testing.synth(stack);
    const report = SandboxCompliance.evaluate(stack, { profile: B });
    expect(report.rules.find((r) => r.id === RuleId.AWS_IAM_TRUST)!.results[0]).toMatchObject({
      status: ResultStatus.NOT_EVALUATED, message: expect.stringMatching(/^cannot evaluate the trust policy: it is a Fn\.jsonencode\(\) expression/),
    });
  });
});

describe('keys the stack cannot see', () => {
  it('an external kmsKeyArn is reported by AWS-KMS-ROTATE as not evaluated, naming the key and its users', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'own-key');
    new AwsProvider(stack, 'aws', { region: 'us-east-1' });
    const arn = 'arn:aws:kms:us-east-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    new AwsSandboxPlatform(stack, 'platform', {
      kmsKeyArn: arn, enforceCompliance: false,
      spec: { name: 'acme-sbx', deployment: DeploymentModel.MANAGED, compliance: ComplianceProfile.BASELINE },
    });
    Testing.synth(stack);
    const rule = SandboxCompliance.evaluate(stack, { profile: B }).rules.find((r) => r.id === RuleId.AWS_KMS_ROTATE)!;
    expect(rule.results.filter((r) => r.type === 'aws_kms_key' && r.status !== ResultStatus.NOT_EVALUATED)).toEqual([]);
    expect(rule.results).toContainEqual(expect.objectContaining({
      address: `${arn} (outside this stack)`, status: ResultStatus.NOT_EVALUATED,
      message: expect.stringMatching(/^the KMS key is used by aws_\S+.* but not managed in this stack, so its rotation and key policy cannot be evaluated here$/),
    }));
    expect(rule.state).toBe(RuleState.NOT_EVALUATED);
  });

  it('the library\'s own key is evaluated, and an AWS managed alias is not reported', () => {
    const report = evaluate({ resource: {
      aws_kms_key: { k: { enable_key_rotation: true } },
      aws_kms_alias: { a: { name: 'alias/acme', target_key_id: '${aws_kms_key.k.key_id}' } },
      aws_cloudwatch_log_group: { g: { retention_in_days: 90, kms_key_id: '${aws_kms_key.k.arn}' }, h: { retention_in_days: 90, kms_key_id: 'alias/acme' } },
      aws_s3_bucket_server_side_encryption_configuration: { s: { rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: 'alias/aws/s3' } }] } },
    } }, { profile: B, existingOrganizationTrail: true });
    const rule = report.rules.find((r) => r.id === RuleId.AWS_KMS_ROTATE)!;
    expect(rule.results.map((r) => [r.address, r.status])).toEqual([['aws_kms_key.k', ResultStatus.PASS]]);
  });
});
