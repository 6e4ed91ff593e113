import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, TerraformStack } from 'cdktf';
import { StateBackend } from '../../lib/common/backend';
import {
  CloudProvider, ComplianceProfile, DeploymentModel, GpuModel, SandboxPlatformSpec, SandboxRuntime, SpecValidationError, Specs,
  loadPlatformSpec, loadSpecFile, resolvePlatform,
} from '../../lib/spec';

/** Specs: the spec functions as static methods for jsii languages, with the same results and errors. */
const specs = join(__dirname, '..', '..', 'stacks', 'specs');
const bad: SandboxPlatformSpec = {
  name: 'Bad_Name', deployment: DeploymentModel.BYOC, compliance: ComplianceProfile.SOC2,
  gpuPools: [{ name: 'gpu', gpu: GpuModel.H100, runtime: SandboxRuntime.FIRECRACKER }],
  controlPlane: { principal: '111122223333' },
};

describe('Specs', () => {
  it('load and loadFile return what loadPlatformSpec and loadSpecFile return (without the resolved plan)', () => {
    const file = join(specs, 'gcp-byoc-soc2.json');
    expect(Specs.load(file)).toEqual(loadPlatformSpec(file));
    const { resolved, ...rest } = loadSpecFile(file);
    expect(resolved.name).toBe(rest.spec.name);
    const loaded = Specs.loadFile(file);
    expect(loaded).toEqual(JSON.parse(JSON.stringify(rest)));
    expect(Object.keys(loaded).sort()).toEqual(['backend', 'spec', 'target']);
    expect(loaded.target.cloud).toBe(CloudProvider.GCP);
  });

  it('resolve is resolvePlatform', () => {
    const spec = Specs.load(join(specs, 'aws-managed-baseline.json'));
    expect(Specs.resolve(spec, CloudProvider.AWS)).toEqual(resolvePlatform(spec, CloudProvider.AWS));
  });

  it('validate returns every issue without throwing, and nothing for a valid spec; resolve throws the same issues', () => {
    const issues = Specs.validate(bad, CloudProvider.AWS);
    expect(issues.map((i) => i.path)).toEqual(expect.arrayContaining(['name', 'gpuPools[0].runtime', 'controlPlane.externalId']));
    expect(issues.every((i) => i.hint.length > 0)).toBe(true);
    let thrown: unknown;
    try {
      Specs.resolve(bad, CloudProvider.AWS);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(SpecValidationError);
    expect((thrown as SpecValidationError).issues).toEqual(issues);
    expect(Specs.validate(Specs.load(join(specs, 'aws-byoc-hipaa.json')), CloudProvider.AWS)).toEqual([]);
  });

  it('loadFile names the file and every problem', () => {
    const dir = mkdtempSync(join(tmpdir(), 'specs-'));
    try {
      const file = join(dir, 'bad.json');
      writeFileSync(file, JSON.stringify({ target: { cloud: 'aws', region: 'us-east-1' }, spec: { name: 'x', deployment: 'byoc', compliance: 'pci' } }));
      expect(() => Specs.loadFile(file)).toThrow(new RegExp(`in ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:[\\s\\S]*spec\\.name[\\s\\S]*spec\\.compliance`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('StateBackend', () => {
  it('apply is applyBackend: the spec file\'s backend, or local state without one', () => {
    const file = Specs.loadFile(join(specs, 'gcp-byoc-soc2.json'));
    const gcs = new TerraformStack(new App(), 'gcs');
    StateBackend.apply(gcs, file.backend);
    expect((gcs.toTerraform() as { terraform: { backend: unknown } }).terraform.backend).toEqual({ gcs: { bucket: 'acme-tf-state', prefix: 'sandboxes/gcp-byoc-soc2' } });
    const local = new TerraformStack(new App(), 'local');
    StateBackend.apply(local);
    expect((local.toTerraform() as { terraform: { backend: unknown } }).terraform.backend).toEqual({ local: { path: 'terraform.local.tfstate' } });
  });
});
