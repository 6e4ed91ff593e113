// The README's Azure example, verbatim between the markers (test/consumer-readme.test.ts checks it;
// scripts/smoke-consumer.sh compiles and synthesizes it in a fresh project with only @cdktf/provider-azurerm).
// --- readme ---
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { App, TerraformStack } from 'cdktf';
import {
  AzureSandboxPlatform, ComplianceProfile, DeploymentModel, SandboxRuntime,
} from 'cdktf-sandbox-byoc';

const app = new App();
const stack = new TerraformStack(app, 'sandboxes');
// azurerm 4.x takes the subscription from ARM_SUBSCRIPTION_ID (or subscriptionId here).
new AzurermProvider(stack, 'azurerm', { features: [{}], storageUseAzuread: true });
new AzureSandboxPlatform(stack, 'platform', {
  location: 'eastus',
  // The runner's public egress address: Terraform manages the platform's Key Vault key through the
  // vault's data plane, which has no other way in at the first apply (docs/azure.md, the runner).
  deployerIpRanges: ['203.0.113.7/32'],
  spec: {
    name: 'contoso-sbx',
    deployment: DeploymentModel.BYOC,
    compliance: ComplianceProfile.HIPAA,
    sandboxPools: [{ name: 'fc', runtime: SandboxRuntime.FIRECRACKER, instanceType: 'Standard_D16s_v5', minNodes: 1, maxNodes: 6 }],
    controlPlane: { principal: '6f1d3a2b-4c5e-4f70-8a91-b2c3d4e5f607' },
  },
});
app.synth();
