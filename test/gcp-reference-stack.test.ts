import { join } from 'path';
import { TerraformStack, Testing } from 'cdktf';
import { evaluate, violationMessage, violations } from '../lib/compliance';
import { ComplianceProfile, loadSpecFile } from '../lib/spec';
import { configureBackend } from '../stacks/backend';
import { addGcpPlatform } from '../stacks/gcp';
import { resource, resources } from './gcp-helpers';

const FILE = join(__dirname, '..', 'stacks', 'specs', 'gcp-byoc-soc2.json');

/** The reference stack as stacks/main.ts builds it (backend + provider + platform). */
function synthReference(): string {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'gcp-byoc-soc2');
  const loaded = loadSpecFile(FILE);
  configureBackend(stack, 'gcp-byoc-soc2', loaded.backend, loaded.target.region);
  addGcpPlatform(stack, FILE, loaded);
  return Testing.synth(stack);
}

describe('GCP reference stack (stacks/specs/gcp-byoc-soc2.json)', () => {
  const text = synthReference();
  const json = JSON.parse(text);

  it('synthesizes to the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('synthesizes deterministically', () => {
    expect(synthReference()).toBe(text);
  });

  it('configures the google provider and the GCS backend from the spec file', () => {
    expect(json.provider.google).toEqual([{ project: 'acme-sandbox-prod', region: 'us-central1' }]);
    expect(json.terraform.backend.gcs).toEqual({ bucket: 'acme-tf-state', prefix: 'sandboxes/gcp-byoc-soc2' });
  });

  it('holds a nested KVM pool on n2-standard-16, a spot gVisor pool and an L4 pool', () => {
    expect(resources(json, 'google_compute_instance_template').map(([, t]) => t.machine_type).sort())
      .toEqual(['g2-standard-4', 'n2-standard-16', 'n2-standard-16']);
    expect(resource(json, 'google_compute_instance_template', 'pool-kvm').advanced_machine_features).toEqual({ enable_nested_virtualization: true });
    expect(resource(json, 'google_compute_instance_template', 'pool-gvisor').scheduling.provisioning_model).toBe('SPOT');
    expect(resource(json, 'google_compute_region_instance_group_manager', 'pool-kvm').target_stopped_size).toBe(1);
  });

  it('passes the soc2 compliance pack with zero failures', () => {
    const report = evaluate(json, { profile: ComplianceProfile.SOC2 });
    expect(violations(report).map(({ rule, result }) => violationMessage(rule, result))).toEqual([]);
  });
});
