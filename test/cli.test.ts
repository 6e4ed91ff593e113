import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';
import { ExitCode } from '../lib/cli';
import { explainDocument } from '../lib/cli/explain/model';
import { renderExplain } from '../lib/cli/explain/render';
import { CheckStatus, PreflightCheck, PreflightOptions } from '../lib/cli/preflight';
import { CloudProvider, SpecValidationError, loadSpecFile } from '../lib/spec';
import { PlatformCostEstimate } from '../lib/spec/pricing';
import { runCli } from './fixtures/cli/run-cli';

/**
 * The command line in-process (lib/cli main with captured output): help and usage errors, validate,
 * explain and preflight (with injected check results). synth: test/cli-synth.test.ts; the real bin:
 * test/cli-bin.test.ts.
 */
const root = join(__dirname, '..');
const cwd = root;
const specDir = 'stacks/specs';
const refs = readdirSync(join(root, specDir)).filter((f) => f.endsWith('.json')).sort().map((f) => `${specDir}/${f}`);
const fixtures = 'test/fixtures/cli';
const BAD = 'test/fixtures/bad-spec.json';
const SEVERAL = `${fixtures}/several-problems.json`;
const INVALID_JSON = `${fixtures}/invalid-json.json`;
const WARNING = `${fixtures}/warning.json`;
const MISSING = `${fixtures}/does-not-exist.json`;
const run = (argv: string[], io = {}) => runCli(argv, { cwd, ...io });

describe('help, version and usage errors', () => {
  it('--help lists the four commands and the exit codes (exit 0, stdout)', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(ExitCode.OK);
    for (const c of ['validate <spec.json>...', 'explain <spec.json>', 'synth <spec.json>', 'preflight <spec.json>']) expect(r.stdout).toContain(c);
    expect(r.stdout).toMatch(/0 {2}ok[\s\S]*1 {2}problems found[\s\S]*2 {2}usage error[\s\S]*3 {2}internal error/);
    expect(r.stderr).toBe('');
  });

  it('no arguments: the help on stderr, exit 2', async () => {
    const r = await run([]);
    expect(r.code).toBe(ExitCode.USAGE);
    expect(r.stderr).toContain('Usage: cdktf-sandbox-byoc <command>');
    expect(r.stdout).toBe('');
  });

  it.each([['validate', '--format FORMAT'], ['explain', '--format FORMAT'], ['synth', '--out DIR'], ['preflight', '--timeout SECONDS']])(
    '%s --help and help %s describe the command and its options', async (cmd, option) => {
      const a = await run([cmd, '--help']);
      const b = await run(['help', cmd]);
      expect(a.code).toBe(0);
      expect(a.stdout).toBe(b.stdout);
      expect(a.stdout).toContain(`Usage: cdktf-sandbox-byoc ${cmd} <spec.json>`);
      expect(a.stdout).toContain(option);
      expect(a.stdout).toContain('Exit codes:');
    });

  it('--version prints the package version', async () => {
    const r = await run(['--version']);
    expect(r.stdout).toBe(`${JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version}\n`);
  });

  it.each([
    [['valdate', BAD], /unknown command "valdate"[\s\S]*fix: did you mean validate\?/],
    [['help', 'nope'], /unknown command "nope"[\s\S]*the commands are validate, explain, synth, preflight/],
    [['--format', 'json', 'validate'], /--format before a command[\s\S]*put options after the command/],
    [['validate', '--fromat', 'json', BAD], /unknown option --fromat for validate[\s\S]*did you mean --format\?/],
    [['explain', '--out', 'x', BAD], /unknown option --out for explain[\s\S]*explain takes --format FORMAT, --help/],
    [['validate', '--format', 'yaml', BAD], /--format "yaml" is not one of text, json[\s\S]*fix: write --format text or json/],
    [['synth', BAD, '--out'], /--out needs a value \(DIR\)/],
    [['synth', '--out', '--format', 'json', BAD], /--out needs a value \(DIR\)/],
    [['validate', '--help=yes'], /--help takes no value/],
    [['validate'], /validate needs <spec\.json>\.\.\.[\s\S]*fix: write cdktf-sandbox-byoc validate <spec\.json>\.\.\./],
    [['explain', refs[0], refs[1]], /explain takes one spec file, got 2[\s\S]*validate takes several/],
    [['preflight', refs[0], '--timeout', 'soon'], /--timeout "soon" is not a positive number of seconds/],
  ])('%j is a usage error with the fix (exit 2, stderr, nothing on stdout)', async (argv, message) => {
    const r = await run(argv);
    expect(r.code).toBe(ExitCode.USAGE);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/fix: /);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(r.stdout).toBe('');
  });
});

describe('validate', () => {
  it.each(refs)('%s is valid (exit 0)', async (file) => {
    const r = await run(['validate', file]);
    expect(r.code).toBe(ExitCode.OK);
    expect(r.stdout).toMatch(new RegExp(`^${file.replace(/[.]/g, '\\.')}: valid \\((aws|gcp|azure) [a-z0-9-]+`));
    expect(r.stdout).toContain('1 file: 1 valid, 0 invalid; 0 problems');
  });

  it('all reference specs at once, --format json: ok, one entry per file, no errors', async () => {
    const r = await run(['validate', '--format', 'json', ...refs]);
    expect(r.code).toBe(ExitCode.OK);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ schemaVersion: 1, command: 'validate', ok: true, summary: { files: refs.length, valid: refs.length, invalid: 0, errors: 0 } });
    expect(doc.files.map((f: { file: string }) => f.file)).toEqual(refs);
    for (const f of doc.files) expect(f).toMatchObject({ valid: true, errors: 0, cloud: expect.stringMatching(/^(aws|gcp|azure)$/) });
    expect(doc.diagnostics.filter((d: { severity: string }) => d.severity === 'error')).toEqual([]);
  });

  it('reports every problem of every file: several problems in one file, two bad files, a missing file, invalid JSON (exit 1)', async () => {
    const r = await run(['validate', '--format', 'json', refs[0], BAD, SEVERAL, MISSING, INVALID_JSON]);
    expect(r.code).toBe(ExitCode.PROBLEMS);
    const doc = JSON.parse(r.stdout);
    expect(doc.ok).toBe(false);
    expect(doc.summary).toEqual({ files: 5, valid: 1, invalid: 4, errors: 3 + 5 + 1 + 1, warnings: expect.any(Number) });
    const errors = (file: string) => doc.diagnostics.filter((d: { file: string; severity: string }) => d.file === file && d.severity === 'error').map((d: { path: string }) => d.path);
    expect(errors(BAD)).toEqual(['spec.name', 'spec.sandboxPools[0].virtualization', 'spec.gpuPools[0].gpu']);
    expect(errors(SEVERAL)).toEqual(['target.project', 'backend.bucket', 'spec.sandboxPools[0].minNodes', 'spec.controlPlane', 'spec.observability.logRetentionDays']);
    expect(errors(MISSING)).toEqual(['(file)']);
    expect(errors(INVALID_JSON)).toEqual(['(file)']);
    for (const d of doc.diagnostics.filter((x: { severity: string }) => x.severity === 'error')) {
      expect(d).toEqual({ file: expect.any(String), path: expect.any(String), message: expect.any(String), hint: expect.any(String), severity: 'error' });
      expect(d.hint.length).toBeGreaterThan(0);
    }
    const missing = doc.diagnostics.find((d: { file: string }) => d.file === MISSING);
    expect(missing.message).toMatch(/cannot read: ENOENT/);
    expect(doc.diagnostics.find((d: { file: string }) => d.file === INVALID_JSON).message).toMatch(/is not valid JSON/);
    expect(doc.files.map((f: { file: string; valid: boolean }) => [f.file, f.valid])).toEqual([[refs[0], true], [BAD, false], [SEVERAL, false], [MISSING, false], [INVALID_JSON, false]]);
  });

  it('the text form names each file, each path, message and fix, as synth does', async () => {
    const r = await run(['validate', BAD, SEVERAL]);
    expect(r.code).toBe(ExitCode.PROBLEMS);
    expect(r.stdout).toContain(`${BAD}: 3 problems\n  error spec.name: "Not Valid" is not`);
    expect(r.stdout).toMatch(/ {2}error spec\.gpuPools\[0\]\.gpu: aws does not sell "a10" GPUs\n {4}fix: use one of/);
    expect(r.stdout).toMatch(new RegExp(`${SEVERAL}: \\d+ problems\\n  error target\\.project: is required on GCP\\n    fix: set "project"`));
    expect(r.stdout).toMatch(/2 files: 0 valid, 2 invalid; \d+ problems, 0 warnings\n$/);
    // The same problems, paths and fixes as loadSpecFile (what synth and the reference app report).
    let synthMessage = '';
    try {
      loadSpecFile(join(root, BAD));
    } catch (e) {
      synthMessage = (e as SpecValidationError).message;
    }
    for (const i of (synthMessage.match(/ {2}- [^\n]+\n {4}fix: [^\n]+/g) ?? [])) {
      const [, path, message, fix] = /- ([^:]+): ([^\n]+)\n {4}fix: (.+)/.exec(i)!;
      expect(r.stdout).toContain(`  error ${path}: ${message}\n    fix: ${fix}`);
    }
    expect(synthMessage).not.toBe('');
  });

  it('warnings are reported (severity warning, hint null) and do not fail validation', async () => {
    const r = await run(['validate', '--format', 'json', WARNING]);
    expect(r.code).toBe(ExitCode.OK);
    const doc = JSON.parse(r.stdout);
    expect(doc.diagnostics).toEqual([{ file: WARNING, path: 'spec.sandboxPools', message: expect.stringMatching(/no pools/), hint: null, severity: 'warning' }]);
    const text = await run(['validate', WARNING]);
    expect(text.stdout).toContain(`${WARNING}: valid (aws us-east-1, 1 warning)\n  warning spec.sandboxPools: the platform has no pools`);
  });

  it('resolves relative paths against the working directory it is given, and names files as written', async () => {
    const r = await runCli(['validate', 'specs/gcp-byoc-soc2.json'], { cwd: join(root, 'stacks') });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^specs\/gcp-byoc-soc2\.json: valid/);
  });
});

describe('explain', () => {
  it.each(refs)('%s: every pool with type, KVM mode, runtime, nodes; decisions with why; cost with disclaimer (exit 0)', async (file) => {
    const r = await run(['explain', file]);
    expect(r.code).toBe(ExitCode.OK);
    const loaded = loadSpecFile(join(root, file));
    const plan = loaded.resolved;
    expect(r.stdout).toContain(`${plan.name} (${file})`);
    expect(r.stdout).toContain(`preset   ${plan.deployment} x ${plan.compliance}`);
    for (const p of plan.pools) {
      expect(r.stdout).toContain(`  ${p.name} (${p.kind} pool): ${p.instanceType}`);
      expect(r.stdout).toMatch(new RegExp(`\\n {4}nodes +min ${p.minNodes}, max ${p.maxNodes}, warm ${p.warmNodes}; ${p.spot ? 'spot' : 'on-demand'}\\n`));
      if (p.capacityPlan) expect(r.stdout).toContain(`capacity  ${p.capacityPlan.concurrentSandboxes} concurrent sandboxes: ${p.capacityPlan.explanation}`);
    }
    expect(r.stdout).toContain(`log retention`);
    expect(r.stdout).toContain(`${plan.observability.logRetentionDays} days\n`);
    expect(r.stdout).toMatch(new RegExp(`why: ${plan.compliance} floor ${plan.preset.logRetentionFloorDays} days`));
    expect(r.stdout).toContain('Estimated cost (USD, on-demand list prices in');
    expect(r.stdout).toMatch(/\n {2}(pools )?total {2}/); // "pools total" when the estimator adds fixed platform lines
    expect(r.stdout).not.toMatch(/\$0\.00 \.\. \$0\.00|NaN|undefined/);
    expect(r.stdout.trimEnd().split('\n').pop()).toMatch(/estimate/i);
  });

  it('--format json carries the plan, the decisions and the cost; unknown prices are null, never 0', async () => {
    for (const file of refs) {
      const r = await run(['explain', '--format', 'json', file]);
      expect(r.code).toBe(ExitCode.OK);
      const doc = JSON.parse(r.stdout);
      const loaded = loadSpecFile(join(root, file));
      expect(doc).toMatchObject({
        schemaVersion: 1, command: 'explain', ok: true, file,
        target: { cloud: loaded.target.cloud, region: loaded.target.region, project: loaded.target.project ?? null },
        platform: { name: loaded.resolved.name, deployment: loaded.resolved.deployment, compliance: loaded.resolved.compliance },
      });
      expect(doc.pools.map((p: { name: string; minNodes: number; maxNodes: number; virtualization: string; capacity: unknown }) => [p.name, p.minNodes, p.maxNodes, p.virtualization, p.capacity !== null]))
        .toEqual(loaded.resolved.pools.map((p) => [p.name, p.minNodes, p.maxNodes, p.virtualization, p.capacityPlan !== undefined]));
      expect(doc.decisions.map((d: { key: string }) => d.key)).toEqual(expect.arrayContaining(['customerManagedKeys', 'keyRotation', 'logRetention', 'nat', 'auditTrail', 'egress', 'preventDestroy']));
      for (const d of doc.decisions) expect(d.why.length).toBeGreaterThan(0);
      expect(doc.cost.pools.map((p: { name: string }) => p.name)).toEqual(loaded.resolved.pools.map((p) => p.name));
      for (const p of doc.cost.pools) {
        if (p.hourlyPerNode === null) expect([p.hourly, p.monthly]).toEqual([{ min: null, max: null }, { min: null, max: null }]);
        else expect(p.hourlyPerNode).toBeGreaterThan(0);
      }
      if (!doc.cost.complete) expect(doc.cost.totalMonthly.max).toBeNull();
      expect(doc.cost.disclaimer).toMatch(/estimate/i);
    }
  });

  it('the backend of the file is shown (gcs for the GCP reference spec)', async () => {
    const doc = JSON.parse((await run(['explain', '-f', 'json', `${specDir}/gcp-byoc-soc2.json`])).stdout);
    expect(doc.backend).toEqual({ type: 'gcs', bucket: 'acme-tf-state', prefix: 'sandboxes/gcp-byoc-soc2' });
    const text = (await run(['explain', `${specDir}/gcp-byoc-soc2.json`])).stdout;
    expect(text).toContain('state    gcs (bucket acme-tf-state, prefix sandboxes/gcp-byoc-soc2)');
    expect(text).toContain('NAT ');
    expect(text).toContain('one Cloud NAT (regional)');
  });

  it('an invalid file: the synth message (every problem, path, fix) on stderr, exit 1; json: ok false with diagnostics', async () => {
    const r = await run(['explain', BAD]);
    expect(r.code).toBe(ExitCode.PROBLEMS);
    expect(r.stderr).toMatch(new RegExp(`^Invalid sandbox platform spec in ${BAD.replace(/[.]/g, '\\.')}: 3 problems\\n  - spec\\.name: `));
    expect(r.stdout).toBe('');
    const j = await run(['explain', '--format', 'json', MISSING]);
    expect(j.code).toBe(ExitCode.PROBLEMS);
    expect(JSON.parse(j.stdout)).toEqual({
      schemaVersion: 1, command: 'explain', ok: false, file: MISSING,
      diagnostics: [{ file: MISSING, path: '(file)', message: expect.stringMatching(/^cannot read/), hint: 'check the path', severity: 'error' }],
    });
  });
});

describe('explain: the cost rendering', () => {
  const loaded = loadSpecFile(join(root, `${specDir}/aws-byoc-hipaa.json`));
  const pools = loaded.resolved.pools;
  const base = {
    cloud: CloudProvider.AWS, region: 'us-east-1', currency: 'USD' as const, hoursPerMonth: 730,
    disclaimer: 'Estimate from on-demand list prices; not a quote.',
  };

  it('a known price renders in dollars with its date and source; an unknown one as "unknown", never $0', () => {
    const estimate = {
      ...base,
      pools: [
        { pool: pools[0].name, instanceType: pools[0].instanceType, minNodes: 3, maxNodes: 11, hourlyPerNode: 4.8384,
          hourly: { min: 14.5152, max: 53.2224 }, monthly: { min: 10596.096, max: 38852.352 },
          source: 'https://aws.amazon.com/ec2/pricing/on-demand/', priceDate: '2026-11-30', notes: [] },
        { pool: pools[1].name, instanceType: pools[1].instanceType, minNodes: 0, maxNodes: 20, hourly: {}, monthly: {},
          notes: ['m8i.4xlarge is not in the price table'] },
      ],
      totalHourly: { min: 14.5152 }, totalMonthly: { min: 10596.096 }, complete: false,
    } as unknown as PlatformCostEstimate; // the stub's shape; the estimator adds fields (next test)
    const text = renderExplain(explainDocument('x.json', loaded, estimate));
    expect(text).toMatch(/metal +m7i\.metal-24xl +3\.\.11 +\$4\.8384 +\$14\.52 \.\. \$53\.22 +\$10,596\.10 \.\. \$38,852\.35/);
    expect(text).toMatch(/nested +m8i\.4xlarge +0\.\.20 +unknown +unknown +unknown\n/);
    expect(text).toMatch(/total +\$14\.52 \.\. unknown +\$10,596\.10 \.\. unknown/);
    expect(text).toContain('Some prices are unknown');
    expect(text).toContain('Prices as of: 2026-11-30');
    expect(text).toContain('Sources:\n    https://aws.amazon.com/ec2/pricing/on-demand/\n');
    expect(text).toContain('nested: m8i.4xlarge is not in the price table');
    expect(text).toContain('Estimate from on-demand list prices; not a quote.');
    const doc = explainDocument('x.json', loaded, estimate);
    expect(doc.cost.pools[1]).toMatchObject({ hourlyPerNode: null, hourly: { min: null, max: null }, monthly: { min: null, max: null } });
    expect(doc.cost.totalMonthly).toEqual({ min: 10596.096, max: null });
  });

  it('a pool at 0 min nodes with a known price costs $0.00 at min (a real zero); fixed lines, platform totals, unknown and excluded lists are rendered when the estimator gives them', () => {
    // The estimator's extended shape (fixed platform lines, platform totals, unknown and excluded lists).
    const estimate = {
      ...base,
      pools: [{ pool: 'nested', instanceType: 'm8i.4xlarge', minNodes: 0, maxNodes: 20, hourlyPerNode: 0.8467, hourly: { min: 0, max: 16.934 },
        monthly: { min: 0, max: 12361.82 }, source: 'https://aws.amazon.com/ec2/pricing/on-demand/', priceDate: '2026-11-30', notes: [] }],
      totalHourly: { min: 0, max: 16.934 }, totalMonthly: { min: 0, max: 12361.82 }, complete: true,
      fixed: [
        { item: 'NAT gateway', quantity: 3, unitHourly: 0.045, hourly: { min: 0.135, max: 0.135 }, monthly: { min: 98.55, max: 98.55 },
          source: 'https://aws.amazon.com/vpc/pricing/', priceDate: '2026-11-29', notes: ['per-GB processing not included'], known: true },
        { item: 'Network Firewall endpoint', quantity: 3, hourly: {}, monthly: {}, notes: ['hourly price unknown'], known: false },
      ],
      platformHourly: { min: undefined, max: undefined }, platformMonthly: {}, platformComplete: false,
      unknown: ['Network Firewall endpoint x 3: hourly price unknown'],
      excluded: ['block storage', 'data transfer'],
    } as unknown as PlatformCostEstimate;
    const text = renderExplain(explainDocument('x.json', loaded, estimate));
    expect(text).toMatch(/nested +m8i\.4xlarge +0\.\.20 +\$0\.8467 +\$0\.00 \.\. \$16\.93 +\$0\.00 \.\. \$12,361\.82\n/);
    expect(text).toMatch(/pools total +\$0\.00 \.\. \$16\.93 +\$0\.00 \.\. \$12,361\.82\n/);
    expect(text).toMatch(/fixed line +count +per hour +hourly +monthly\n/);
    expect(text).toMatch(/NAT gateway +3 +\$0\.045 +\$0\.14 +\$98\.55\n/);
    expect(text).toMatch(/Network Firewall endpoint +3 +unknown +unknown +unknown\n/);
    expect(text).toMatch(/platform total \(pools and fixed lines\) +unknown +unknown\n/);
    expect(text).toContain('Some prices are unknown');
    expect(text).toContain('Prices as of: 2026-11-29, 2026-11-30');
    expect(text).toContain('Sources:\n    https://aws.amazon.com/ec2/pricing/on-demand/\n    https://aws.amazon.com/vpc/pricing/\n');
    expect(text).toContain('Unknown:\n    Network Firewall endpoint x 3: hourly price unknown\n');
    expect(text).toContain('NAT gateway: per-GB processing not included');
    expect(text).not.toContain('Network Firewall endpoint: hourly price unknown'); // said under Unknown already
    expect(text).toContain('Not included:\n    block storage\n    data transfer\n');
    const cost = explainDocument('x.json', loaded, estimate).cost;
    expect(cost.fixed.map((l) => [l.item, l.quantity, l.unitHourly])).toEqual([['NAT gateway', 3, 0.045], ['Network Firewall endpoint', 3, null]]);
    expect([cost.platformHourly, cost.platformComplete]).toEqual([{ min: null, max: null }, false]);
  });

  it('without platform totals from the estimator, they are the pools plus the fixed lines', () => {
    const estimate = {
      ...base,
      pools: [{ pool: 'fc', instanceType: 'm7i.4xlarge', minNodes: 1, maxNodes: 2, hourlyPerNode: 1, hourly: { min: 1, max: 2 }, monthly: { min: 730, max: 1460 }, notes: [] }],
      totalHourly: { min: 1, max: 2 }, totalMonthly: { min: 730, max: 1460 }, complete: true,
      fixed: [{ item: 'NAT gateway', quantity: 1, unitHourly: 0.05, hourly: { min: 0.05, max: 0.05 }, monthly: { min: 36.5, max: 36.5 }, notes: [] }],
    } as unknown as PlatformCostEstimate;
    const cost = explainDocument('x.json', loaded, estimate).cost;
    expect([cost.platformHourly, cost.platformMonthly, cost.platformComplete]).toEqual([{ min: 1.05, max: 2.05 }, { min: 766.5, max: 1496.5 }, true]);
  });
});

describe('preflight (checks injected; the checks themselves are tested with the preflight module)', () => {
  const file = `${specDir}/aws-byoc-hipaa.json`;
  const checks = (...statuses: CheckStatus[]): PreflightCheck[] => statuses.map((status, i) => ({
    id: `aws.check.${i}`, title: `check ${i}`, status, detail: `detail ${i}`,
    fix: status === CheckStatus.PASS ? undefined : `fix ${i}`,
  }));

  it('a failed check: each check printed with its status, detail and fix, a summary, exit 1', async () => {
    let seen: { cloud?: string; options?: PreflightOptions } = {};
    const r = await run(['preflight', file, '--timeout', '90'], {
      runPreflight: (loaded: { target: { cloud: string } }, options: PreflightOptions) => {
        seen = { cloud: loaded.target.cloud, options };
        return [
          { id: 'aws.quota.p5', title: 'GPU quota for P instances at max nodes', status: CheckStatus.FAIL, detail: 'Running On-Demand P instances (L-417A185B): 0 vCPU, need 192',
            fix: 'request an increase: aws service-quotas request-service-quota-increase --service-code ec2 --quota-code L-417A185B --desired-value 192' },
          ...checks(CheckStatus.PASS, CheckStatus.UNKNOWN),
        ];
      },
    });
    expect(r.code).toBe(ExitCode.PROBLEMS);
    expect(seen.cloud).toBe('aws');
    expect(seen.options?.timeoutMs).toBe(90000);
    expect(r.stdout).toContain('Preflight (read-only) of stacks/specs/aws-byoc-hipaa.json: aws us-east-1');
    expect(r.stdout).toContain('  FAIL     GPU quota for P instances at max nodes [aws.quota.p5]\n           Running On-Demand P instances (L-417A185B): 0 vCPU, need 192\n           fix: request an increase: aws service-quotas');
    expect(r.stdout).toContain('  pass     check 0 [aws.check.0]\n           detail 0\n  unknown');
    expect(r.stdout).toContain('  unknown  check 1 [aws.check.1]\n           detail 1\n           fix: fix 1');
    expect(r.stdout).toContain('3 checks: 1 pass, 1 fail, 1 unknown\n1 check failed');
  });

  it('passes --subscription and --deployer-ip-ranges (comma-separated) to the Azure checks', async () => {
    let seen: PreflightOptions | undefined;
    const r = await run(['preflight', `${specDir}/azure-byoc-hipaa.json`, '--subscription', '00000000-0000-0000-0000-000000000001',
      '--deployer-ip-ranges', '198.51.100.0/24, 192.0.2.10/32'], {
      runPreflight: (_loaded: unknown, options: PreflightOptions) => { seen = options; return checks(CheckStatus.PASS); },
    });
    expect(r.code).toBe(ExitCode.OK);
    expect(seen?.subscription).toBe('00000000-0000-0000-0000-000000000001');
    expect(seen?.deployerIpRanges).toEqual(['198.51.100.0/24', '192.0.2.10/32']);
  });

  it('unknown checks alone: exit 0, but says they could not run', async () => {
    const r = await run(['preflight', file], { runPreflight: () => checks(CheckStatus.PASS, CheckStatus.UNKNOWN) });
    expect(r.code).toBe(ExitCode.OK);
    expect(r.stdout).toContain('2 checks: 1 pass, 0 fail, 1 unknown\nNo check failed, but 1 could not run');
  });

  it('every check passes: exit 0', async () => {
    const r = await run(['preflight', file], { runPreflight: async () => checks(CheckStatus.PASS, CheckStatus.PASS) });
    expect(r.code).toBe(ExitCode.OK);
    expect(r.stdout).toMatch(/2 checks: 2 pass, 0 fail, 0 unknown\nEvery check passed\.\n$/);
  });

  it('--format json: every check with status and fix, the summary, ok false on a fail', async () => {
    const r = await run(['preflight', '--format', 'json', `${specDir}/gcp-byoc-soc2.json`], { runPreflight: () => checks(CheckStatus.FAIL, CheckStatus.PASS, CheckStatus.UNKNOWN) });
    expect(r.code).toBe(ExitCode.PROBLEMS);
    expect(JSON.parse(r.stdout)).toEqual({
      schemaVersion: 1, command: 'preflight', ok: false, file: `${specDir}/gcp-byoc-soc2.json`,
      target: { cloud: 'gcp', region: 'us-central1', project: 'acme-sandbox-prod' },
      checks: [
        { id: 'aws.check.0', title: 'check 0', status: 'fail', detail: 'detail 0', fix: 'fix 0' },
        { id: 'aws.check.1', title: 'check 1', status: 'pass', detail: 'detail 1', fix: null },
        { id: 'aws.check.2', title: 'check 2', status: 'unknown', detail: 'detail 2', fix: 'fix 2' },
      ],
      summary: { total: 3, pass: 1, fail: 1, unknown: 1 },
    });
  });

  it('an invalid spec file is reported before any check runs (exit 1)', async () => {
    const runPreflight = jest.fn(() => []);
    const r = await run(['preflight', BAD], { runPreflight });
    expect(r.code).toBe(ExitCode.PROBLEMS);
    expect(r.stderr).toMatch(/Invalid sandbox platform spec in test\/fixtures\/bad-spec\.json: 3 problems/);
    expect(runPreflight).not.toHaveBeenCalled();
  });

  it('a crash inside the checks is an internal error (exit 3) with the stack trace', async () => {
    const r = await run(['preflight', file], { runPreflight: () => { throw new TypeError('boom'); } });
    expect(r.code).toBe(ExitCode.INTERNAL);
    expect(r.stderr).toMatch(/internal error[\s\S]*TypeError: boom\n\s+at /);
  });
});
