/**
 * Spec files on disk: loadSpecFile / loadPlatformSpec / readBackend, with temp files.
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, TerraformStack, Testing } from 'cdktf';
import { applyBackend } from '../lib/common/backend';
import {
  BackendSpec, BackendType, CloudProvider, IssueCollector, SpecIssue, SpecValidationError, loadPlatformSpec, loadSpecFile, readBackend,
  specErrorMessage,
} from '../lib/spec';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'spec-file-test-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

let counter = 0;
/** Writes `content` (an object is JSON-encoded) to a fresh file and returns its path. */
function write(content: unknown, name?: string): string {
  const file = join(dir, name ?? `spec-${++counter}.json`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

function failure(fn: () => unknown): SpecValidationError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SpecValidationError) return e;
    throw e;
  }
  throw new Error('expected a SpecValidationError');
}

const byPath = (issues: SpecIssue[]) => Object.fromEntries(issues.map((i) => [i.path, i.message]));

const SPEC = { name: 'acme', deployment: 'managed', compliance: 'baseline', sandboxPools: [{ name: 'fc' }] };
const TARGET = { cloud: 'aws', region: 'eu-west-1' };

describe('loadSpecFile', () => {
  test('a good file gives target, backend, spec and the resolved plan', () => {
    const file = write({ $schema: './schema.json', target: TARGET, backend: { type: 's3', bucket: 'acme-state', key: 'sbx/terraform.tfstate' }, spec: SPEC });
    const loaded = loadSpecFile(file);
    expect(loaded.target).toEqual({ cloud: CloudProvider.AWS, region: 'eu-west-1', project: undefined });
    expect(loaded.backend).toEqual({ type: BackendType.S3, bucket: 'acme-state', key: 'sbx/terraform.tfstate' });
    expect(loaded.spec).toEqual(SPEC);
    expect(loaded.resolved.name).toBe('acme');
    expect(loaded.resolved.pools.map((p) => [p.name, p.instanceType])).toEqual([['fc', 'm7i.metal-24xl']]);
  });

  test('the region reaches the resolver (region warnings)', () => {
    const file = write({ target: { cloud: 'aws', region: 'eu-north-1' }, spec: { ...SPEC, gpuPools: [{ name: 'h', gpu: 'h200' }] } });
    expect(loadSpecFile(file).resolved.warnings).toEqual([expect.objectContaining({ path: 'gpuPools[0].gpu', message: expect.stringContaining('eu-north-1') })]);
  });

  test('invalid JSON names the file', () => {
    const file = write('{ "target": { "cloud": "aws", }');
    const err = failure(() => loadSpecFile(file));
    expect(err.source).toBe(file);
    expect(err.message).toContain(`in ${file}`);
    expect(err.issues).toEqual([{ path: '(file)', message: expect.stringMatching(/^is not valid JSON: /), hint: 'fix the JSON syntax' }]);
  });

  test('a byte-order mark at the start of the file is accepted', () => {
    const file = write(`\uFEFF${JSON.stringify({ target: TARGET, spec: SPEC })}`);
    expect(loadSpecFile(file).spec).toEqual(SPEC);
  });

  test('a missing file names the file', () => {
    const file = join(dir, 'does-not-exist.json');
    const err = failure(() => loadSpecFile(file));
    expect(err.source).toBe(file);
    expect(err.issues).toEqual([expect.objectContaining({ path: '(file)', message: expect.stringMatching(/^cannot read: .*ENOENT/) })]);
  });

  test.each([['a list', '[]'], ['a number', '42'], ['null', 'null']])('a file holding %s is one issue at (file)', (_label, text) => {
    const err = failure(() => loadSpecFile(write(text)));
    expect(err.issues).toEqual([expect.objectContaining({ path: '(file)', message: expect.stringMatching(/must hold a JSON object/) })]);
  });

  test('a bad spec reports the file name and every problem with spec.-prefixed paths', () => {
    const file = write({
      target: TARGET,
      spec: { ...SPEC, name: 'Acme', network: { zones: 9 }, sandboxPools: [{ name: 'fc', maxNodes: 0 }, { name: 'fc', minNode: 1 }] },
    });
    const err = failure(() => loadSpecFile(file));
    expect(err.source).toBe(file);
    expect(err.issues.map((i) => i.path).sort()).toEqual([
      'spec.name', 'spec.network.zones', 'spec.sandboxPools[0].maxNodes', 'spec.sandboxPools[1].minNode', 'spec.sandboxPools[1].name',
    ]);
    expect(err.message).toMatch(new RegExp(`^Invalid sandbox platform spec in ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: 5 problems`));
    for (const i of err.issues) expect(err.message).toContain(`  - ${i.path}: ${i.message}`);
  });

  test('problems in target, backend and spec are reported together', () => {
    const err = failure(() => loadSpecFile(write({ target: { cloud: 'aws' }, backend: { type: 's3' }, spec: { ...SPEC, compliance: 'pci' } })));
    expect(Object.keys(byPath(err.issues)).sort()).toEqual(['backend.bucket', 'spec.compliance', 'target.region']);
  });

  test('a spec that is not an object is reported at spec', () => {
    const err = failure(() => loadSpecFile(write({ target: TARGET, spec: 'acme' })));
    expect(err.issues).toEqual([expect.objectContaining({ path: 'spec', message: expect.stringMatching(/must be an object.*got "acme"/) })]);
  });

  test('missing target', () => {
    const err = failure(() => loadSpecFile(write({ spec: SPEC })));
    expect(err.issues).toEqual([expect.objectContaining({ path: 'target', message: 'is required', hint: expect.stringContaining('"cloud": "aws"') })]);
  });

  test('missing spec', () => {
    const err = failure(() => loadSpecFile(write({ target: TARGET })));
    expect(err.issues).toEqual([expect.objectContaining({ path: 'spec', message: 'is required' })]);
  });

  test('target problems: cloud, region format, unknown top-level field', () => {
    const err = failure(() => loadSpecFile(write({ target: { cloud: 'oracle', region: 'EU West' }, spec: SPEC, specs: {} })));
    const issues = byPath(err.issues);
    expect(Object.keys(issues).sort()).toEqual(['specs', 'target.cloud', 'target.region']);
    expect(issues['target.cloud']).toMatch(/"oracle" is not allowed/);
    expect(issues['target.region']).toMatch(/"EU West" is not a region name/);
    expect(err.issues.find((i) => i.path === 'specs')?.hint).toMatch(/did you mean "spec"\?/);
  });

  test('GCP without project', () => {
    const err = failure(() => loadSpecFile(write({ target: { cloud: 'gcp', region: 'us-central1' }, spec: SPEC })));
    const issues = byPath(err.issues);
    expect(issues['target.project']).toBe('is required on GCP');
    expect(Object.keys(issues)).toEqual(['target.project']);
  });

  test('GCP project id format', () => {
    const err = failure(() => loadSpecFile(write({ target: { cloud: 'gcp', region: 'us-central1', project: 'My Project' }, spec: SPEC })));
    expect(byPath(err.issues)['target.project']).toMatch(/"My Project" is not a GCP project id/);
  });

  test('project on AWS is rejected', () => {
    const err = failure(() => loadSpecFile(write({ target: { ...TARGET, project: 'acme-prod' }, spec: SPEC })));
    expect(err.issues).toEqual([expect.objectContaining({ path: 'target.project', message: 'is a GCP setting and has no effect on aws' })]);
  });
});

describe('backend validation', () => {
  const load = (backend: unknown) => failure(() => loadSpecFile(write({ target: TARGET, backend, spec: SPEC })));

  test.each([
    ['s3 without bucket', { type: 's3' }, 'backend.bucket', /is required for the s3 backend/],
    ['a gcs field on an s3 backend', { type: 's3', bucket: 'b', prefix: 'p' }, 'backend.prefix', /is not a setting of the s3 backend/],
    ['an s3 field on a local backend', { type: 'local', bucket: 'b' }, 'backend.bucket', /is not a setting of the local backend/],
    ['unknown type', { type: 'consul' }, 'backend.type', /"consul" is not allowed/],
    ['missing type', { bucket: 'b' }, 'backend.type', /is required/],
    ['unknown field', { type: 's3', bucket: 'b', bucket_name: 'x' }, 'backend.bucket_name', /unknown field "bucket_name"/],
    ['bucket not a string', { type: 'gcs', bucket: 7 }, 'backend.bucket', /must be a string, got 7/],
    ['not an object', 's3', 'backend', /must be an object, got "s3"/],
  ])('%s', (_label, backend, path, message) => {
    const err = load(backend);
    expect(err.issues).toEqual([expect.objectContaining({ path, message: expect.stringMatching(message) })]);
    expect(err.issues[0].hint).not.toBe('');
  });

  test('an s3 backend with a gcs field names what s3 takes', () => {
    expect(load({ type: 's3', bucket: 'b', prefix: 'p' }).issues[0].hint).toBe('s3 takes: bucket, key, region, kmsKeyId');
  });

  test('azurerm needs its three fields', () => {
    expect(load({ type: 'azurerm' }).issues.map((i) => i.path).sort())
      .toEqual(['backend.containerName', 'backend.resourceGroupName', 'backend.storageAccountName']);
  });

  test('readBackend works on its own (SANDBOX_BACKEND)', () => {
    const c = new IssueCollector();
    expect(readBackend(c, 'SANDBOX_BACKEND', { type: 'gcs', bucket: 'state', prefix: 'sbx' })).toEqual({ type: 'gcs', bucket: 'state', prefix: 'sbx' });
    expect(c.issues).toEqual([]);
    readBackend(c, 'SANDBOX_BACKEND', { type: 'gcs' });
    expect(c.issues.map((i) => i.path)).toEqual(['SANDBOX_BACKEND.bucket']);
  });
});

describe('loadPlatformSpec', () => {
  test('a spec file gives its spec', () => {
    expect(loadPlatformSpec(write({ target: TARGET, spec: SPEC }))).toEqual(SPEC);
  });

  test('a bare spec is validated for AWS by default', () => {
    expect(loadPlatformSpec(write(SPEC))).toEqual(SPEC);
  });

  test('a bad bare spec names the file and every problem, without a spec. prefix', () => {
    const file = write({ ...SPEC, name: 'X', sandboxPools: [{ name: 'fc', spot: 'yes' }] });
    const err = failure(() => loadPlatformSpec(file));
    expect(err.source).toBe(file);
    expect(err.message).toContain(file);
    expect(err.issues.map((i) => i.path).sort()).toEqual(['name', 'sandboxPools[0].spot']);
  });

  test('a bare null spec is one issue at (spec)', () => {
    const err = failure(() => loadPlatformSpec(write('null')));
    expect(err.issues).toEqual([expect.objectContaining({ path: '(spec)' })]);
    expect(err.source).toMatch(/\.json$/);
  });

  test('a spec file for another cloud than requested is rejected', () => {
    const err = failure(() => loadPlatformSpec(write({ target: TARGET, spec: SPEC }), CloudProvider.GCP));
    expect(err.issues).toEqual([expect.objectContaining({ path: 'target.cloud', message: '"aws" differs from the requested "gcp"' })]);
  });

  test('a spec file with problems reports them with the file name', () => {
    const file = write({ target: TARGET, spec: { ...SPEC, deployment: 'byoc' } });
    const err = failure(() => loadPlatformSpec(file));
    expect(err.source).toBe(file);
    expect(err.issues.map((i) => i.path)).toEqual(['spec.controlPlane']);
  });
});

describe('shipped specs', () => {
  const specsDir = join(__dirname, '..', 'stacks', 'specs');
  const files = readdirSync(specsDir).filter((f) => f.endsWith('.json')).sort();

  test('there are shipped specs', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s loads cleanly', (f) => {
    const loaded = loadSpecFile(join(specsDir, f));
    expect(loaded.resolved.cloud).toBe(loaded.target.cloud);
    expect(loaded.resolved.name).toBe(loaded.spec.name);
    expect(loadPlatformSpec(join(specsDir, f))).toEqual(loaded.spec);
  });
});

describe('applyBackend (a spec file\'s backend on your stack)', () => {
  const backendOf = (backend: BackendSpec | undefined, options?: Parameters<typeof applyBackend>[2]) => {
    const stack = new TerraformStack(Testing.app(), 'prod');
    applyBackend(stack, backend, options);
    return (JSON.parse(Testing.synth(stack)) as { terraform: { backend: unknown } }).terraform.backend;
  };

  it.each<[string, BackendSpec | undefined, object, object]>([
    ['no backend: local state named after the stack', undefined, {}, { local: { path: 'terraform.prod.tfstate' } }],
    ['s3: encrypted, S3-native lock file, key and region defaulted', { type: BackendType.S3, bucket: 'acme-state' }, { region: 'eu-west-1' },
      { s3: { bucket: 'acme-state', key: 'prod/terraform.tfstate', region: 'eu-west-1', encrypt: true, use_lockfile: true } }],
    ['s3 with its own key, region and KMS key', { type: BackendType.S3, bucket: 'b', key: 'k', region: 'us-east-2', kmsKeyId: 'alias/state' }, { region: 'eu-west-1' },
      { s3: { bucket: 'b', key: 'k', region: 'us-east-2', encrypt: true, kms_key_id: 'alias/state', use_lockfile: true } }],
    ['gcs: prefix defaults to the state name', { type: BackendType.GCS, bucket: 'acme-state' }, { stateName: 'sandboxes' }, { gcs: { bucket: 'acme-state', prefix: 'sandboxes' } }],
    ['azurerm: Entra ID auth', { type: BackendType.AZURERM, resourceGroupName: 'rg', storageAccountName: 'st', containerName: 'tfstate' }, {},
      { azurerm: { resource_group_name: 'rg', storage_account_name: 'st', container_name: 'tfstate', key: 'prod.tfstate', use_azuread_auth: true } }],
  ])('%s', (_name, backend, options, expected) => {
    expect(backendOf(backend, options)).toEqual(expected);
  });

  it('s3 without a region anywhere is an error naming backend.region', () => {
    expect(() => backendOf({ type: BackendType.S3, bucket: 'b' })).toThrow(/backend\.region: is not set and no region was given to applyBackend/);
  });

  it('applies what loadSpecFile returns', () => {
    const loaded = loadSpecFile(join(__dirname, '..', 'stacks', 'specs', 'gcp-byoc-soc2.json'));
    const stack = new TerraformStack(new App({ outdir: dir }), 'gcp');
    applyBackend(stack, loaded.backend, { region: loaded.target.region });
    expect(JSON.parse(Testing.synth(stack)).terraform.backend).toEqual({ gcs: { bucket: 'acme-tf-state', prefix: 'sandboxes/gcp-byoc-soc2' } });
  });
});

describe('printing spec errors', () => {
  it('specErrorMessage: the message of a SpecValidationError (also from another copy of the package), undefined otherwise', () => {
    const err = new SpecValidationError([{ path: 'sandboxPools[0].maxNode', message: 'unknown field "maxNode"', hint: 'did you mean "maxNodes"?' }], 'a/b');
    expect(specErrorMessage(err)).toBe(err.message);
    expect(specErrorMessage({ name: 'SpecValidationError', message: 'm', issues: [] })).toBe('m');
    expect(specErrorMessage(new Error('other'))).toBeUndefined();
    expect(specErrorMessage(undefined)).toBeUndefined();
  });

  it('exitOnSpecError: the app prints the message alone (construct path, field, fix) and exits 1', () => {
    const root = join(__dirname, '..');
    const r = spawnSync(process.execPath, ['-r', join(root, 'register.js'), join(__dirname, 'fixtures', 'spec-error-app.ts')],
      { cwd: root, encoding: 'utf8', env: { ...process.env, CDKTF_OUTDIR: join(dir, 'spec-error-out') } });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^Invalid sandbox platform spec in construct bad\/platform: 1 problem\n {2}- sandboxPools\[0\]\.maxNode: unknown field "maxNode"\n {4}fix: did you mean "maxNodes"\?\n$/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
