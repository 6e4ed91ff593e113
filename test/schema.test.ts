import Ajv, { ValidateFunction } from 'ajv';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { CloudProvider, SpecValidationError, loadPlatformSpec, loadSpecFile, resolvePlatform } from '../lib/spec';
import { generateSchemas } from './schema-generator';

const root = join(__dirname, '..');
const schemaDir = join(root, 'schema');
const specsDir = join(root, 'stacks', 'specs');
const generated = generateSchemas();

function committed(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(schemaDir, file), 'utf8'));
}

function compile(file: string): ValidateFunction {
  return new Ajv({ allErrors: true, strict: true }).compile(committed(file));
}

type Definition = { properties: Record<string, unknown>; required?: string[] };
const definitions = generated['spec-file.schema.json'].definitions as Record<string, Definition>;

describe('JSON Schema of spec files', () => {
  it('is generated from the TypeScript types (regenerate: UPDATE_SCHEMA=1 npx jest test/schema.test.ts)', () => {
    for (const [file, schema] of Object.entries(generated)) {
      const text = `${JSON.stringify(schema, null, 2)}\n`;
      if (process.env.UPDATE_SCHEMA) writeFileSync(join(schemaDir, file), text);
      expect(readFileSync(join(schemaDir, file), 'utf8')).toBe(text);
    }
  });

  it('accepts every reference spec, and each names it with $schema', () => {
    const validate = compile('spec-file.schema.json');
    for (const f of readdirSync(specsDir).filter((x) => x.endsWith('.json'))) {
      const doc = JSON.parse(readFileSync(join(specsDir, f), 'utf8'));
      expect(doc.$schema).toBe('../../schema/spec-file.schema.json');
      expect([f, validate(doc), validate.errors]).toEqual([f, true, null]);
    }
  });

  it('rejects what editors should flag: a misspelled field, a wrong enum value, a wrong type, a missing required field', () => {
    const validate = compile('spec-file.schema.json');
    const base = JSON.parse(readFileSync(join(specsDir, 'aws-managed-baseline.json'), 'utf8'));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- mutating parsed JSON
    const bad = (mutate: (d: Record<string, any>) => void) => {
      const d = JSON.parse(JSON.stringify(base));
      mutate(d);
      expect(validate(d)).toBe(false);
      return validate.errors!.map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`).join('\n');
    };
    expect(bad((d) => { d.spec.complience = 'hipaa'; })).toMatch(/must NOT have additional properties.*complience/);
    expect(bad((d) => { d.spec.compliance = 'HIPAA'; })).toMatch(/\/spec\/compliance must be equal to one of the allowed values/);
    expect(bad((d) => { d.spec.sandboxPools = [{ name: 'fc', maxNodes: '4' }]; })).toMatch(/\/spec\/sandboxPools\/0\/maxNodes must be number/);
    expect(bad((d) => { delete d.spec.deployment; })).toMatch(/must have required property 'deployment'/);
    expect(bad((d) => { d.spec.name = 'Not Valid'; })).toMatch(/\/spec\/name must match pattern/);
    expect(bad((d) => { d.spec.sandboxPools = [{ name: 'pool-' }]; })).toMatch(/\/spec\/sandboxPools\/0\/name must match pattern/);
  });

  it('the bare-spec schema accepts the spec part of every reference spec', () => {
    const validate = compile('platform-spec.schema.json');
    for (const f of readdirSync(specsDir).filter((x) => x.endsWith('.json'))) {
      const { spec } = JSON.parse(readFileSync(join(specsDir, f), 'utf8'));
      expect([f, validate({ $schema: 'x', ...spec }), validate.errors]).toEqual([f, true, null]);
    }
  });

  // The validator names the allowed fields of an object when an unknown one is nowhere near any of
  // them; those lists must equal the schema's properties, in both directions.
  const objects: [string, string, (v: Record<string, unknown>) => Record<string, unknown>][] = [
    ['SandboxPlatformSpec', '', (v) => ({ name: 'acme', deployment: 'managed', compliance: 'baseline', ...v })],
    ['NetworkSpec', 'network', (v) => ({ name: 'acme', deployment: 'managed', compliance: 'baseline', network: v })],
    ['EgressSpec', 'network.egress', (v) => ({ name: 'acme', deployment: 'managed', compliance: 'baseline', network: { egress: { mode: 'nat', ...v } } })],
    ['SandboxPoolSpec', 'sandboxPools[0]', (v) => ({ name: 'acme', deployment: 'managed', compliance: 'baseline', sandboxPools: [{ name: 'fc', ...v }] })],
    ['GpuPoolSpec', 'gpuPools[0]', (v) => ({ name: 'acme', deployment: 'managed', compliance: 'baseline', gpuPools: [{ name: 'g', gpu: 'l4', ...v }] })],
    ['CapacitySpec', 'sandboxPools[0].capacity', (v) => ({ name: 'acme', deployment: 'managed', compliance: 'baseline',
      sandboxPools: [{ name: 'fc', capacity: { concurrentSandboxes: 1, vcpusPerSandbox: 1, memoryMiBPerSandbox: 512, ...v } }] })],
    ['ObservabilitySpec', 'observability', (v) => ({ name: 'acme', deployment: 'managed', compliance: 'baseline', observability: v })],
    ['KubernetesSpec', 'kubernetes', (v) => ({ name: 'acme', deployment: 'managed', compliance: 'baseline', orchestrator: 'kubernetes', kubernetes: v })],
    ['ControlPlaneSpec', 'controlPlane', (v) => ({ name: 'acme', deployment: 'byoc', compliance: 'baseline', controlPlane: { principal: '111122223333', ...v } })],
  ];

  function allowedFields(issues: SpecValidationError['issues'], path: string): string[] {
    const issue = issues.find((i) => i.path === (path ? `${path}.qqqqqqqqqqqq` : 'qqqqqqqqqqqq'));
    expect(issue?.hint).toMatch(/^allowed fields: /);
    return issue!.hint.replace(/^allowed fields: /, '').split(', ').sort();
  }

  it.each(objects)('%s: the schema has exactly the fields the validator accepts', (def, path, make) => {
    let issues: SpecValidationError['issues'] = [];
    try {
      resolvePlatform(make({ qqqqqqqqqqqq: 1 }) as never, CloudProvider.AWS);
    } catch (e) {
      issues = (e as SpecValidationError).issues;
    }
    expect(allowedFields(issues, path)).toEqual(Object.keys(definitions[def].properties).sort());
  });

  it('spec file top level, target and every backend type: the schema has exactly the fields the loader accepts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'schema-'));
    const fieldsAt = (doc: unknown, path: string) => {
      const file = join(dir, 'f.json');
      writeFileSync(file, JSON.stringify(doc));
      try {
        loadSpecFile(file);
      } catch (e) {
        return allowedFields((e as SpecValidationError).issues, path);
      }
      throw new Error('expected a SpecValidationError');
    };
    const spec = { name: 'acme', deployment: 'managed', compliance: 'baseline' };
    expect(fieldsAt({ target: { cloud: 'aws', region: 'us-east-1' }, spec, qqqqqqqqqqqq: 1 }, ''))
      .toEqual(Object.keys((generated['spec-file.schema.json'] as Definition).properties).sort());
    expect(fieldsAt({ target: { cloud: 'aws', region: 'us-east-1', qqqqqqqqqqqq: 1 }, spec }, 'target'))
      .toEqual(Object.keys(definitions.TargetSpec.properties).sort());
    expect(fieldsAt({ target: { cloud: 'aws', region: 'us-east-1' }, backend: { type: 'local', qqqqqqqqqqqq: 1 }, spec }, 'backend'))
      .toEqual(Object.keys(definitions.BackendSpec.properties).sort());
  });

  it('a bare spec may carry $schema too', () => {
    const dir = mkdtempSync(join(tmpdir(), 'schema-'));
    const file = join(dir, 'bare.json');
    writeFileSync(file, JSON.stringify({ $schema: './node_modules/cdktf-sandbox-byoc/schema/platform-spec.schema.json', name: 'acme', deployment: 'managed', compliance: 'baseline' }));
    expect(loadPlatformSpec(file)).toEqual({ name: 'acme', deployment: 'managed', compliance: 'baseline' });
  });
});
