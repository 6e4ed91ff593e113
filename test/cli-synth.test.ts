import { App } from 'cdktf';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ExitCode } from '../lib/cli';
import { loadSpecFile } from '../lib/spec';
import { addSpecStack } from '../stacks/main';
import { CliRun, runCli } from './fixtures/cli/run-cli';

/**
 * `cdktf-sandbox-byoc synth`: Terraform JSON and the compliance report of a spec file without a
 * cdktf project, byte-identical to the reference app's output for the same file.
 */
const root = join(__dirname, '..');
const specDir = join(root, 'stacks', 'specs');
const refs = readdirSync(specDir).filter((f) => f.endsWith('.json')).sort();
let work: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'cli-synth-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function fresh(name: string): string {
  const d = join(work, name);
  mkdirSync(d, { recursive: true });
  return d;
}

describe.each(refs)('synth %s', (file) => {
  it('writes cdk.tf.json with the file\'s backend and a passing compliance report into --out, and prints the next terraform commands (exit 0)', async () => {
    const cwd = fresh(`text-${file}`);
    const r = await runCli(['synth', join(specDir, file), '--out', 'tf'], { cwd });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(ExitCode.OK);
    const out = join(cwd, 'tf');
    expect(readdirSync(out).sort()).toEqual(expect.arrayContaining(['cdk.tf.json', 'compliance-report.json', 'compliance-report.md']));
    const tf = JSON.parse(readFileSync(join(out, 'cdk.tf.json'), 'utf8'));
    const loaded = loadSpecFile(join(specDir, file));
    const stack = file.replace(/\.json$/, '');
    if (loaded.backend?.type === 'gcs') expect(tf.terraform.backend).toEqual({ gcs: { bucket: loaded.backend.bucket, prefix: loaded.backend.prefix } });
    else expect(tf.terraform.backend).toEqual({ local: { path: `terraform.${stack}.tfstate` } });
    const provider = { aws: 'aws', gcp: 'google', azure: 'azurerm' }[loaded.target.cloud];
    expect(Object.keys(tf.provider)).toEqual([provider]);
    const report = JSON.parse(readFileSync(join(out, 'compliance-report.json'), 'utf8'));
    expect(report).toMatchObject({ compliant: true, profile: loaded.resolved.compliance });
    expect(r.stdout).toContain(`Synthesized stack ${stack} from ${join(specDir, file)} into tf\n`);
    expect(r.stdout).toMatch(new RegExp(`tf/compliance-report\\.md: ${loaded.resolved.compliance} PASS`));
    expect(r.stdout).toMatch(/Next:\n {2}cd tf\n[\s\S]* {2}terraform init\n {2}terraform plan -out tfplan\n {2}terraform apply tfplan\n$/);
    if (loaded.target.cloud === 'azure') {
      expect(r.stdout).toContain('export ARM_SUBSCRIPTION_ID=');
      expect(r.stdout).toContain('export TF_VAR_deployer_ip_ranges=...');
      expect(r.stdout).toMatch(/Variables to set before plan[\s\S]*deployer_ip_ranges: Public IPv4/);
    }
  });
});

describe('synth', () => {
  const file = join(specDir, 'aws-managed-baseline.json');

  it('writes exactly what the reference app (cdktf synth of stacks/main.ts) writes for the same file', async () => {
    const cwd = fresh('identical');
    const r = await runCli(['synth', file, '--out', 'cli'], { cwd });
    expect(r.code).toBe(0);
    const app = new App({ outdir: join(cwd, 'app') });
    addSpecStack(app, file);
    app.synth();
    const appDir = join(cwd, 'app', 'stacks', 'aws-managed-baseline');
    for (const f of ['cdk.tf.json', 'compliance-report.json', 'compliance-report.md']) {
      expect({ f, same: readFileSync(join(cwd, 'cli', f), 'utf8') === readFileSync(join(appDir, f), 'utf8') }).toEqual({ f, same: true });
    }
  });

  it('defaults --out to cdktf.out/stacks/<file name>, and keeps files already there (state, .terraform)', async () => {
    const cwd = fresh('default-out');
    const out = join(cwd, 'cdktf.out', 'stacks', 'aws-managed-baseline');
    mkdirSync(join(out, '.terraform'), { recursive: true });
    writeFileSync(join(out, 'terraform.aws-managed-baseline.tfstate'), '{"version":4}');
    writeFileSync(join(out, 'cdk.tf.json'), 'stale');
    const r = await runCli(['synth', file], { cwd });
    expect(r.code).toBe(0);
    expect(readFileSync(join(out, 'terraform.aws-managed-baseline.tfstate'), 'utf8')).toBe('{"version":4}');
    expect(existsSync(join(out, '.terraform'))).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'cdk.tf.json'), 'utf8')).terraform.backend.local).toBeDefined();
    expect(r.stdout).toContain('cd cdktf.out/stacks/aws-managed-baseline\n');
  });

  it('--format json: files, resource count, backend, variables, the compliance summary and the next commands', async () => {
    const cwd = fresh('json');
    const r = await runCli(['synth', '--format', 'json', '-o', 'out', join(specDir, 'gcp-byoc-soc2.json')], { cwd });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({
      schemaVersion: 1, command: 'synth', ok: true, stack: 'gcp-byoc-soc2', outDir: 'out',
      files: expect.arrayContaining(['cdk.tf.json', 'compliance-report.json', 'compliance-report.md']),
      terraform: { backend: { gcs: { bucket: 'acme-tf-state', prefix: 'sandboxes/gcp-byoc-soc2' } }, variables: [] },
      compliance: { profile: 'soc2', compliant: true, report: 'out/compliance-report.md', violations: [] },
      errors: [],
      next: ['cd out', 'terraform init', 'terraform plan -out tfplan', 'terraform apply tfplan'],
    });
    const tf = JSON.parse(readFileSync(join(cwd, 'out', 'cdk.tf.json'), 'utf8'));
    expect(doc.terraform.resources).toBe(Object.values(tf.resource as Record<string, object>).reduce((a, x) => a + Object.keys(x).length, 0));
    expect(doc.compliance.summary.errors).toBe(0);
  });

  it('an invalid spec file: the synth message, exit 1, nothing written', async () => {
    const cwd = fresh('invalid');
    const r = await runCli(['synth', join(root, 'test', 'fixtures', 'bad-spec.json'), '--out', 'x'], { cwd });
    expect(r.code).toBe(ExitCode.PROBLEMS);
    expect(r.stderr).toMatch(/bad-spec\.json: 3 problems\n {2}- spec\.name: [\s\S]*fix: /);
    expect(existsSync(join(cwd, 'x'))).toBe(false);
  });

  it('a file name that cannot name a stack is an error with the fix', async () => {
    const cwd = fresh('name');
    writeFileSync(join(cwd, 'my spec.json'), readFileSync(file));
    const r = await runCli(['synth', 'my spec.json'], { cwd });
    expect(r.code).toBe(ExitCode.PROBLEMS);
    expect(r.stderr).toMatch(/\(file\): the file name gives the stack and state name "my spec"[\s\S]*fix: rename the file/);
  });

  it('a compliance violation fails synth (exit 1), names the rule, the resource and the fix, and leaves the report in --out', async () => {
    const cwd = fresh('violation');
    let pending: Promise<CliRun> | undefined;
    jest.isolateModules(() => {
      jest.doMock('../lib/common/spec-file-stack', () => {
        const actual = jest.requireActual('../lib/common/spec-file-stack');
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- inside the isolated registry
        const { S3Bucket } = require('@cdktf/provider-aws/lib/s3-bucket');
        return {
          ...actual,
          addSpecFileStack: (...a: Parameters<typeof actual.addSpecFileStack>) => {
            const stack = actual.addSpecFileStack(...a);
            new S3Bucket(stack, 'rogue', { bucket: 'rogue-bucket' });
            return stack;
          },
        };
      });
      // Run inside the isolated registry: synth loads its modules lazily, synchronously in this call.
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the CLI with the mocked module
      pending = runCli(['synth', file, '--out', 'out'], { cwd }, require('../lib/cli').main);
    });
    const r = await pending!;
    jest.dontMock('../lib/common/spec-file-stack');
    expect(r.code).toBe(ExitCode.PROBLEMS);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`synth of ${file} failed`);
    expect(r.stderr).toMatch(/compliance violation\(s\) of the baseline profile; see out\/compliance-report\.md/);
    expect(r.stderr).toMatch(/error \[AWS-S3-ENC\] aws_s3_bucket\.rogue: no server-side encryption configuration references this bucket\n {6}fix: add an aws_s3_bucket_server_side_encryption_configuration/);
    const report = JSON.parse(readFileSync(join(cwd, 'out', 'compliance-report.json'), 'utf8'));
    expect(report.compliant).toBe(false);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a missing provider package is named with the install command (exit 1)', async () => {
    const cwd = fresh('missing-provider');
    let pending: Promise<CliRun> | undefined;
    jest.isolateModules(() => {
      jest.doMock('@cdktf/provider-google/lib/provider', () => {
        const e = new Error("Cannot find module '@cdktf/provider-google/lib/provider'\nRequire stack:\n- x") as NodeJS.ErrnoException;
        e.code = 'MODULE_NOT_FOUND';
        throw e;
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the CLI with the provider package gone
      pending = runCli(['synth', join(specDir, 'gcp-byoc-soc2.json'), '--out', 'out', '--format', 'json'], { cwd }, require('../lib/cli').main);
    });
    const r = await pending!;
    jest.dontMock('@cdktf/provider-google/lib/provider');
    expect(r.code).toBe(ExitCode.PROBLEMS);
    const doc = JSON.parse(r.stdout);
    expect(doc.ok).toBe(false);
    expect(doc.errors).toEqual([expect.stringMatching(/needs @cdktf\/provider-google, which is not installed .*install it: npm install @cdktf\/provider-google@\^16$/)]);
    expect(existsSync(join(cwd, 'out'))).toBe(false);
  });
});
