import { gunzipSync } from 'zlib';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import { AzureSandboxPlatform, AzureSandboxPlatformProps } from '../lib/azure';
import { ComplianceProfile, DeploymentModel, SandboxPlatformSpec, SandboxRuntime } from '../lib/spec';
import { Synth } from './helpers';

export { resource, resources, Synth } from './helpers';

/** An Entra object id for the vendor principal. */
export const VENDOR_PRINCIPAL = '6f1d3a2b-4c5e-4f70-8a91-b2c3d4e5f607';

/** An object id standing for the Standby Pool resource provider's service principal in the test tenant. */
export const STANDBY_PRINCIPAL = '0a1b2c3d-4e5f-4061-8273-94a5b6c7d8e9';

/** A small valid Azure BYOC spec; override fields per test. */
export function azureSpec(overrides: Partial<SandboxPlatformSpec> = {}): SandboxPlatformSpec {
  return {
    name: 'acme',
    deployment: DeploymentModel.BYOC,
    compliance: ComplianceProfile.SOC2,
    sandboxPools: [{ name: 'fc', runtime: SandboxRuntime.FIRECRACKER, minNodes: 1, maxNodes: 4 }],
    controlPlane: { principal: VENDOR_PRINCIPAL },
    ...overrides,
  };
}

/** Synthesizes one AzureSandboxPlatform in a fresh stack and returns the parsed JSON and the construct. */
export function synthAzure(spec: SandboxPlatformSpec, props: Partial<AzureSandboxPlatformProps> = {}):
{ json: Synth; platform: AzureSandboxPlatform; stack: TerraformStack } {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  new AzurermProvider(stack, 'azurerm', { features: [{}], storageUseAzuread: true });
  const platform = new AzureSandboxPlatform(stack, 'platform', { spec, location: 'eastus', standbyPoolPrincipalId: STANDBY_PRINCIPAL, ...props });
  return { json: JSON.parse(Testing.synth(stack)) as Synth, platform, stack };
}

/** The cloud-init script of a scale set (custom_data is base64, gzipped when large). */
export function customDataOf(vmss: { os_profile: { custom_data: string } }): string {
  const raw = Buffer.from(vmss.os_profile.custom_data, 'base64');
  return raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
}
