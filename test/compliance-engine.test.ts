import { existsSync, readFileSync, readdirSync } from 'fs';
import { basename, join } from 'path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { App, TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import {
  ComplianceReport, REPORT_JSON, REPORT_MARKDOWN, ResultStatus, RuleId, RuleSeverity, SandboxCompliance, allRules, evaluate,
  packFor, renderMarkdown, severityFor, violationMessage, violations,
} from '../lib/compliance';
import { CloudProvider, ComplianceProfile, loadSpecFile } from '../lib/spec';
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
      'AWS-KMS-ROTATE', 'AWS-S3-ENC', 'AWS-S3-PUBLIC', 'AWS-S3-TLS', 'AWS-LOG-RET', 'AWS-IAM-ADMIN', 'AWS-IAM-TRUST', 'AWS-TRAIL-VENDOR'],
    S: ['AWS-SG-EGRESS', 'AWS-S3-VERSION', 'AWS-S3-LOGGING', 'AWS-TRAIL', 'AWS-VPCE-POLICY', 'AWS-DNS-FW', 'AWS-SSM-RECORD'],
    H: ['AWS-EC2-MON', 'AWS-TRAIL-LOCK'],
    W_B: ['AWS-EC2-MON', 'AWS-TRAIL', 'AWS-DNS-FW', 'AWS-VPCE-POLICY'],
    W_S: ['AWS-EC2-MON'],
  };
  const GCP = {
    B: ['GCP-CE-PUBIP', 'GCP-CE-LOGIN', 'GCP-CE-SA', 'GCP-NET-ADMIN', 'GCP-NET-FLOW', 'GCP-KMS-ROTATE', 'GCP-GCS-PUBLIC', 'GCP-IAM-PRIMITIVE'],
    S: ['GCP-CE-SHIELD', 'GCP-CE-CMEK', 'GCP-AUDIT', 'GCP-LOG-RET', 'GCP-GCS-PROTECT', 'GCP-LOG-VIEW', 'GCP-NET-SSH', 'GCP-DNS-LOG'],
    H: [] as string[],
    W_B: ['GCP-AUDIT', 'GCP-LOG-RET'],
    W_S: [] as string[],
  };
  const AZ = {
    B: ['AZ-VM-SSH', 'AZ-VM-PUBIP', 'AZ-NSG-ADMIN', 'AZ-NSG-SUBNET', 'AZ-NET-FLOW', 'AZ-ST-TLS', 'AZ-ST-PUBLIC', 'AZ-KV', 'AZ-FW-DNS', 'AZ-AUDIT-ISOLATED'],
    S: ['AZ-VM-HOSTENC', 'AZ-VM-CMK', 'AZ-LOG-ACTIVITY', 'AZ-ST-PROTECT', 'AZ-HOST-SHELL'],
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
