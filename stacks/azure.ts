import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { TerraformStack } from 'cdktf';
import { AzureSandboxPlatform } from '../lib/azure';
import { PlatformSpecFile } from '../lib/spec';

/**
 * Adds the Azure provider and platform for a loaded spec file to `stack`. The subscription comes
 * from the environment (ARM_SUBSCRIPTION_ID, as azurerm 4.x requires a subscription id; or set
 * subscription_id in the provider). Storage is reached with Entra ID only (every account disables
 * shared keys) and never through its data plane (containers are created through Resource Manager).
 */
export function addAzurePlatform(stack: TerraformStack, _file: string, loaded: PlatformSpecFile): void {
  new AzurermProvider(stack, 'azurerm', {
    features: [{ storage: [{ dataPlaneAvailable: false }] }],
    storageUseAzuread: true,
  });
  new AzureSandboxPlatform(stack, 'platform', { spec: loaded.spec, location: loaded.target.region });
}
