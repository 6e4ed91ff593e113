import { AUTOSCALING_SLR_PREFIX } from '../lib/aws/autoscaling-role';
import { CheckStatus, preflightExitCode } from '../lib/cli/preflight';
import { preflightDocument, renderPreflight } from '../lib/cli/commands/preflight';
import { AWS_AUTOSCALING_SLR_PREFIX } from '../lib/cli/preflight/aws';
import { FIXTURE, MUTATING, READ_ONLY, REFERENCE, byId, commandWords, runWithStubs, withStatus } from './fixtures/preflight/harness';

const H100 = FIXTURE('aws-h100.json');

describe('preflight on AWS (stub aws CLI)', () => {
  it('passes every check of the reference specs in a ready account, identity first, read-only calls only', () => {
    for (const spec of ['aws-byoc-hipaa.json', 'aws-managed-baseline.json']) {
      const { checks, calls } = runWithStubs(REFERENCE(spec), 'aws');
      expect(withStatus(checks, CheckStatus.FAIL)).toEqual([]);
      expect(withStatus(checks, CheckStatus.UNKNOWN)).toEqual([]);
      expect(checks[0].id).toBe('aws.identity');
      expect(checks[0].detail).toContain('account 123456789012');
      expect(preflightExitCode(checks)).toBe(0);
      expect(calls.length).toBeGreaterThan(5);
      for (const c of calls) {
        expect(c.cli).toBe('aws');
        expect(c.args[1] === 'get-caller-identity' || READ_ONLY.test(c.args[1])).toBe(true);
        expect(commandWords(c.args).filter((w) => MUTATING.test(w))).toEqual([]);
        expect(c.args.slice(-2)).toEqual(['--output', 'json']);
      }
    }
  });

  it('sums pools that share a vCPU quota, counts warm nodes, and checks spot pools against the spot quota', () => {
    const baseline = runWithStubs(REFERENCE('aws-managed-baseline.json'), 'aws').checks;
    // fc: 10 x m7i.metal-24xl (96 vCPUs) + gvisor: 30 x m7i.4xlarge (16) = 1440 on one Standard quota.
    expect(byId(baseline, 'aws.quota.L-1216C47A').detail).toContain('needed 1440');
    const hipaa = runWithStubs(REFERENCE('aws-byoc-hipaa.json'), 'aws').checks;
    // metal: 11 max + 1 warm = 12 nodes x 96.
    expect(byId(hipaa, 'aws.quota.L-1216C47A').detail).toContain('needed 1152 (metal: 12 x 96');
    expect(byId(hipaa, 'aws.quota.L-34B43A08').title).toContain('All Standard (A, C, D, H, I, M, R, T, Z) Spot Instance Requests');
    expect(byId(hipaa, 'aws.quota.L-34B43A08').detail).toContain('nested: 20 x 16');
    expect(byId(hipaa, 'aws.quota.L-DB2E81BA').detail).toContain('l4: 8 x 4');
    expect(byId(hipaa, 'aws.quota.eip').detail).toBe('quota 5, 0 allocated, 3 needed');
    expect(byId(hipaa, 'aws.quota.vpc').detail).toBe('quota 5, 1 in use, 1 needed');
  });

  it('fails an H100 pool against a P quota of 0, naming the quota and how to request it', () => {
    const { checks } = runWithStubs(H100, 'aws', { scenarios: ['h100-quota-0'] });
    const q = byId(checks, 'aws.quota.L-417A185B');
    expect(q.status).toBe(CheckStatus.FAIL);
    expect(q.title).toContain('Running On-Demand P instances (L-417A185B)');
    expect(q.detail).toContain('quota 0 vCPUs; needed 384 (h100: 2 x 192');
    expect(q.fix).toContain('aws service-quotas request-service-quota-increase --service-code ec2 --quota-code L-417A185B --desired-value 384 --region us-east-1');
    expect(q.fix).toContain('https://us-east-1.console.aws.amazon.com/servicequotas/home/services/ec2/quotas/L-417A185B');
    expect(withStatus(checks, CheckStatus.FAIL)).toEqual(['aws.quota.L-417A185B']);
    expect(preflightExitCode(checks)).toBe(1);
    const text = renderPreflight(preflightDocument('aws-h100.json', { cloud: 'aws', region: 'us-east-1', project: null }, checks));
    expect(text).toMatch(/^ {2}FAIL {5}Running On-Demand P instances .*\n.*quota 0 vCPUs.*\n {11}fix: request "Running On-Demand P instances"/m);
  });

  it('reads the AWS default when the account never changed a quota', () => {
    const { checks, calls } = runWithStubs(H100, 'aws', { scenarios: ['quota-never-set'] });
    expect(byId(checks, 'aws.quota.L-417A185B').status).toBe(CheckStatus.PASS);
    expect(calls.map((c) => c.args[1])).toContain('get-aws-default-service-quota');
  });

  it('fails a type not offered in a zone the spec pins, naming the zones that offer it', () => {
    const { checks } = runWithStubs(H100, 'aws', { scenarios: ['type-not-offered-in-zone'] });
    const o = byId(checks, 'aws.offering.h100');
    expect(o.status).toBe(CheckStatus.FAIL);
    expect(o.detail).toBe('not offered in us-east-1b; offered in us-east-1a, us-east-1c');
    expect(o.fix).toContain('pin network.availabilityZones to zones that offer it (us-east-1a, us-east-1c)');
  });

  it('is unknown, never a crash or a fail, without the CLI, credentials, or an unexpired token', () => {
    const cases: [string[], boolean, RegExp, RegExp][] = [
      [[], true, /aws is not installed/, /install the AWS CLI v2/],
      [['no-credentials'], false, /no valid credentials: Unable to locate credentials/, /aws sso login/],
      [['expired-token'], false, /no valid credentials: .*ExpiredToken/, /aws sso login/],
    ];
    for (const [scenarios, noCli, detail, fix] of cases) {
      const { checks } = runWithStubs(H100, 'aws', { scenarios, noCli });
      expect(checks.map((c) => [c.id, c.status])).toEqual([['aws.identity', CheckStatus.UNKNOWN], ['aws.checks', CheckStatus.UNKNOWN]]);
      expect(checks[0].detail).toMatch(detail);
      expect(checks[0].fix).toMatch(fix);
      expect(preflightExitCode(checks)).toBe(0);
    }
  });

  it('turns AccessDenied on one call into unknown for that check only', () => {
    const { checks } = runWithStubs(H100, 'aws', { scenarios: ['access-denied-offerings'] });
    const o = byId(checks, 'aws.offering.h100');
    expect(o.status).toBe(CheckStatus.UNKNOWN);
    expect(o.detail).toContain('UnauthorizedOperation');
    expect(o.fix).toContain('grant the preflight principal ec2:DescribeInstanceTypeOfferings');
    expect(withStatus(checks, CheckStatus.UNKNOWN)).toEqual(['aws.offering.h100']);
    expect(byId(checks, 'aws.zones').status).toBe(CheckStatus.PASS);
  });

  it('gives up on a CLI that hangs after the per-command timeout', () => {
    const { checks, ms } = runWithStubs(H100, 'aws', { scenarios: ['timeout'], timeoutMs: 700 });
    expect(checks.map((c) => c.status)).toEqual([CheckStatus.UNKNOWN, CheckStatus.UNKNOWN]);
    expect(checks[0].detail).toContain('did not answer within 1 s');
    expect(ms).toBeLessThan(4000);
  });

  it('stops calling a CLI that timed out once, so an unreachable API costs one timeout, not one per check', () => {
    // The default AWS hipaa spec: three vCPU quotas, the Elastic IP quota, two roles and the organization after them.
    const { checks, calls, ms } = runWithStubs(REFERENCE('aws-byoc-hipaa.json'), 'aws', { scenarios: ['timeout-quotas'], timeoutMs: 700 });
    expect(byId(checks, 'aws.identity').status).toBe(CheckStatus.PASS);
    expect(byId(checks, 'aws.offering.metal').status).toBe(CheckStatus.PASS);
    expect(byId(checks, 'aws.quota.L-1216C47A').detail).toContain('did not answer within 1 s');
    for (const id of ['aws.quota.L-34B43A08', 'aws.quota.vpc', 'aws.quota.eip', 'aws.slr.autoscaling', 'aws.scp']) {
      expect(byId(checks, id)).toEqual(expect.objectContaining({ status: CheckStatus.UNKNOWN, detail: expect.stringContaining('not run: an earlier aws call did not answer') }));
    }
    expect(calls.filter((c) => c.args[0] === 'service-quotas')).toHaveLength(1);
    expect(ms).toBeLessThan(5000);
  });

  it('reads the vCPUs of an instance type the catalog does not know from describe-instance-types', () => {
    const { checks, calls } = runWithStubs(FIXTURE('aws-unknown-type.json'), 'aws');
    expect(byId(checks, 'aws.quota.L-1216C47A').detail).toContain('needed 80 (gvisor: 5 x 16');
    expect(calls.find((c) => c.args[1] === 'describe-instance-types')?.args.slice(0, 3)).toEqual(['ec2', 'describe-instance-types', '--instance-types']);
    // Without an answer the quota of that pool is unknown, never guessed.
    const denied = runWithStubs(FIXTURE('aws-unknown-type.json'), 'aws', { scenarios: ['access-denied-instance-types'] }).checks;
    expect(byId(denied, 'aws.quota.gvisor')).toEqual(expect.objectContaining({ status: CheckStatus.UNKNOWN, detail: 'neither the catalog nor `aws ec2 describe-instance-types` gave the vCPUs of c7a.4xlarge' }));
  });

  it('fails when the region has no room for another VPC', () => {
    const v = byId(runWithStubs(H100, 'aws', { scenarios: ['vpcs-full'] }).checks, 'aws.quota.vpc');
    expect(v.status).toBe(CheckStatus.FAIL);
    expect(v.fix).toContain('--service-code vpc --quota-code L-F678F1CE --desired-value 6');
  });

  it('fails on a leftover Auto Scaling service-linked role and cannot read SCPs of an organization member', () => {
    const { checks } = runWithStubs(H100, 'aws', { scenarios: ['slr-exists', 'in-org'] });
    // The role name the stack creates (lib/aws/autoscaling-role.ts), without loading its provider binding in the CLI.
    expect(AWS_AUTOSCALING_SLR_PREFIX).toBe(`${AUTOSCALING_SLR_PREFIX}_`);
    const slr = byId(checks, 'aws.slr.autoscaling');
    expect(slr.status).toBe(CheckStatus.FAIL);
    expect(slr.detail).toContain('AWSServiceRoleForAutoScaling_gpu-test already exists');
    const scp = byId(checks, 'aws.scp');
    expect(scp.status).toBe(CheckStatus.UNKNOWN);
    expect(scp.detail).toContain('organization o-exampleorgid');
    expect(scp.fix).toContain('list-policies-for-target');
  });
});
