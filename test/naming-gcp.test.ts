import { join } from 'path';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import { GCP_NAMING_TABLE, GCP_TEMPLATE_PREFIX_MAX, GcpSandboxPlatform, gcpTemplateNamePrefix } from '../lib/gcp';
import {
  ComplianceProfile, DeploymentModel, EgressMode, GpuModel, SandboxPlatformSpec, SandboxRuntime, Virtualization, checkName, loadSpecFile,
} from '../lib/spec';
import { addGcpPlatform } from '../stacks/gcp';
import { MAX_PLATFORM_NAME, expectNamesValid, maxPoolName } from './naming';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** A project id of the maximum length (30): bucket names are "<project>-<platform>-artifacts". */
const LONG_PROJECT = 'abcdefghij-klmnopqrst-uvwxyz12';
const REGION = 'us-central1';
const ZONES = ['us-central1-a', 'us-central1-b', 'us-central1-c'];

/** Every kind of pool at the maximum name length. */
function maxSpec(deployment: DeploymentModel, egress: EgressMode): SandboxPlatformSpec {
  return {
    name: MAX_PLATFORM_NAME,
    deployment,
    compliance: ComplianceProfile.HIPAA,
    network: { egress: egress === EgressMode.FIREWALL ? { mode: egress, allowedDomains: ['pypi.org'] } : { mode: egress } },
    sandboxPools: [
      { name: maxPoolName('metal'), runtime: SandboxRuntime.FIRECRACKER, instanceType: 'c3-standard-192-metal', maxNodes: 2 },
      { name: maxPoolName('fc'), runtime: SandboxRuntime.FIRECRACKER, virtualization: Virtualization.NESTED, maxNodes: 4 },
      { name: maxPoolName('kata'), runtime: SandboxRuntime.KATA, virtualization: Virtualization.NESTED, maxNodes: 4 },
      { name: maxPoolName('gvisor'), runtime: SandboxRuntime.GVISOR, maxNodes: 4 },
      { name: maxPoolName('spot'), runtime: SandboxRuntime.GVISOR, spot: true, maxNodes: 4 },
      { name: maxPoolName('warm'), runtime: SandboxRuntime.FIRECRACKER, virtualization: Virtualization.NESTED, warmNodes: 1, maxNodes: 4 },
    ],
    gpuPools: [
      { name: maxPoolName('t4'), gpu: GpuModel.T4, maxNodes: 2 },
      { name: maxPoolName('l4'), gpu: GpuModel.L4, maxNodes: 2 },
      { name: maxPoolName('a2'), gpu: GpuModel.A100_40GB, maxNodes: 1 },
      { name: maxPoolName('a3'), gpu: GpuModel.H100, maxNodes: 1 },
    ],
    controlPlane: deployment === DeploymentModel.BYOC ? { principal: 'sandbox-control-plane@vendor-prod.iam.gserviceaccount.com' } : undefined,
    observability: { alertEmails: ['oncall@acme.example'] },
  };
}

function synthMax(deployment: DeploymentModel, egress: EgressMode, existing = false): any {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'max');
  new GoogleProvider(stack, 'google', { project: LONG_PROJECT, region: REGION });
  new GcpSandboxPlatform(stack, 'platform', {
    spec: maxSpec(deployment, egress), project: LONG_PROJECT, region: REGION, zones: ZONES,
    allowNestedVirtualizationPolicy: true, healthCheckPort: 8080, allowIapSsh: true,
    existingNetwork: existing ? { network: 'corp-vpc', subnetwork: 'corp-nodes', createPrivateGoogleApisZone: true } : undefined,
  });
  return JSON.parse(Testing.synth(stack));
}

describe('GCP naming table', () => {
  it('passes every name of the reference stack (stacks/specs/gcp-byoc-soc2.json)', () => {
    const file = join(__dirname, '..', 'stacks', 'specs', 'gcp-byoc-soc2.json');
    const stack = new TerraformStack(Testing.app(), 'ref');
    addGcpPlatform(stack, file, loadSpecFile(file));
    expect(expectNamesValid(JSON.parse(Testing.synth(stack)), GCP_NAMING_TABLE, 'gcp-byoc-soc2')).toBeGreaterThan(40);
  });

  it.each([
    [DeploymentModel.BYOC, EgressMode.NAT, false],
    [DeploymentModel.BYOC, EgressMode.FIREWALL, false],
    [DeploymentModel.BYOC, EgressMode.NONE, false],
    [DeploymentModel.MANAGED, EgressMode.FIREWALL, false],
    [DeploymentModel.MANAGED, EgressMode.NONE, true],
  ])('passes every name at the maximum lengths: %s, egress %s, existing network %s', (deployment, egress, existing) => {
    const json = synthMax(deployment, egress, existing);
    expect(expectNamesValid(json, GCP_NAMING_TABLE, `max ${deployment} ${egress}`)).toBeGreaterThan(60);
    // The longest names are really there (the check is not vacuous).
    const bucket = Object.values(json.resource.google_storage_bucket as Record<string, any>)[0].name;
    expect(bucket).toBe(`${LONG_PROJECT}-${MAX_PLATFORM_NAME}-artifacts`);
    expect(bucket.length).toBe(62);
    const prefixes = Object.values(json.resource.google_compute_instance_template as Record<string, any>).map((t) => t.name_prefix);
    expect(prefixes).toHaveLength(10);
    expect(new Set(prefixes).size).toBe(10);
    for (const p of prefixes) expect(p.length).toBeLessThanOrEqual(GCP_TEMPLATE_PREFIX_MAX);
  });

  it('keeps instance-template prefixes within 37 characters, unique per pool (review finding 12)', () => {
    // The old "<platform>-<pool>-" is 39 characters at the maximum lengths: the provider then
    // switches to a date + 3-digit counter suffix that repeats across runs.
    const old = `${MAX_PLATFORM_NAME}-${maxPoolName('fc')}-`;
    expect(old.length).toBe(39);
    expect(checkName(GCP_NAMING_TABLE.google_compute_instance_template[0], old)).toMatch(/39 characters; 2\.\.37 allowed/);
    const a = gcpTemplateNamePrefix(MAX_PLATFORM_NAME, maxPoolName('fc'));
    const b = gcpTemplateNamePrefix(MAX_PLATFORM_NAME, maxPoolName('fd'));
    expect(a).toMatch(/^abcdefghij-klmnopq-rs-fc-xxxxxx-[0-9a-f]{4}-$/);
    expect(a.length).toBe(37);
    expect(a).not.toBe(b);
    expect(gcpTemplateNamePrefix('acme', 'fc')).toBe('acme-fc-');
  });

  it('knows every resource type the platform creates, and catches a bad name', () => {
    const json = synthMax(DeploymentModel.BYOC, EgressMode.FIREWALL);
    const bad = { resource: { ...json.resource, google_service_account: { x: { account_id: 'a-very-long-service-account-name-here' } } } };
    expect(() => expectNamesValid(bad, GCP_NAMING_TABLE, 'bad')).toThrow(/google_service_account\.x account_id: name "a-very-long-service-account-name-here" is 37 characters; 6\.\.30 allowed/);
    const unknown = { resource: { google_new_thing: { x: { name: 'n' } } } };
    expect(() => expectNamesValid(unknown, GCP_NAMING_TABLE, 'unknown')).toThrow(/google_new_thing: not in the naming table/);
  });
});
