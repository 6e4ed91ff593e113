import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import { GcpSandboxPlatform, GcpSandboxPlatformProps } from '../lib/gcp';
import { ComplianceProfile, DeploymentModel, SandboxPlatformSpec, SandboxRuntime, Virtualization } from '../lib/spec';
import { Synth } from './helpers';

export { Synth, resource, resources } from './helpers';

export const PROJECT = 'acme-sandbox-test';
export const REGION = 'us-central1';
export const VENDOR = 'sandbox-control-plane@vendor-prod.iam.gserviceaccount.com';

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
  const platform = new GcpSandboxPlatform(stack, 'platform', { spec, project: PROJECT, region: REGION, ...props });
  return { json: JSON.parse(Testing.synth(stack)) as Synth, platform, stack };
}
