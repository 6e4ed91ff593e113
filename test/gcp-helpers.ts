import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import { GcpSandboxPlatform, GcpSandboxPlatformProps } from '../lib/gcp';
import { ComplianceProfile, DeploymentModel, SandboxPlatformSpec, SandboxRuntime, Virtualization } from '../lib/spec';
import { Synth } from './helpers';

export { Synth, resource, resources } from './helpers';

export const PROJECT = 'acme-sandbox-test';
export const REGION = 'us-central1';
export const VENDOR = 'sandbox-control-plane@vendor-prod.iam.gserviceaccount.com';
/** Zones of REGION the tests pin (the platform requires them; see lib/gcp/placement.ts). */
export const ZONES = ['us-central1-a', 'us-central1-b', 'us-central1-c'];

/** A small valid GCP BYOC spec; override fields per test. */
export function gcpSpec(overrides: Partial<SandboxPlatformSpec> = {}): SandboxPlatformSpec {
  return {
    name: 'acme',
    deployment: DeploymentModel.BYOC,
    compliance: ComplianceProfile.SOC2,
    sandboxPools: [{ name: 'fc', runtime: SandboxRuntime.FIRECRACKER, virtualization: Virtualization.NESTED, minNodes: 1, maxNodes: 4 }],
    controlPlane: { principal: VENDOR },
    ...overrides,
  };
}

/** Synthesizes one GcpSandboxPlatform in a fresh stack and returns the parsed JSON and the construct. */
export function synthGcp(spec: SandboxPlatformSpec, props: Partial<GcpSandboxPlatformProps> = {}):
  { json: Synth; platform: GcpSandboxPlatform; stack: TerraformStack } {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  new GoogleProvider(stack, 'google', { project: PROJECT, region: REGION });
  const zones = props.zones ?? (spec.network?.availabilityZones ? undefined : ZONES);
  const platform = new GcpSandboxPlatform(stack, 'platform', { spec, project: PROJECT, region: REGION, ...props, zones });
  return { json: JSON.parse(Testing.synth(stack)) as Synth, platform, stack };
}
