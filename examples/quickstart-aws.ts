// The README's AWS example, verbatim between the markers (test/consumer-readme.test.ts checks it;
// scripts/smoke-consumer.sh compiles and synthesizes it in a fresh project with only @cdktf/provider-aws).
// --- readme ---
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import {
  AwsSandboxPlatform, ComplianceProfile, DeploymentModel, GpuModel, SandboxRuntime,
} from 'cdktf-sandbox-byoc';

const app = new App();
const stack = new TerraformStack(app, 'sandboxes');
new AwsProvider(stack, 'aws', { region: 'us-east-1' }); // the stack owns providers, never the construct
const platform = new AwsSandboxPlatform(stack, 'platform', {
  region: 'us-east-1', // optional: region-specific warnings (GPU availability)
  spec: {
    name: 'acme-sbx',
    deployment: DeploymentModel.BYOC,
    compliance: ComplianceProfile.SOC2,
    sandboxPools: [{
      name: 'fc', runtime: SandboxRuntime.FIRECRACKER,
      capacity: { concurrentSandboxes: 1000, vcpusPerSandbox: 2, memoryMiBPerSandbox: 2048, cpuOvercommit: 4 },
    }],
    gpuPools: [{ name: 'l4', gpu: GpuModel.L4, maxNodes: 4 }],
    controlPlane: { principal: 'arn:aws:iam::111122223333:role/sandbox-control-plane', externalId: 'acme-7f3c9d2e' },
  },
});
// Every part is exposed (network, key, pools, artifactStore, observability, controlPlane, auditTrail):
new TerraformOutput(stack, 'fc_asg', { value: platform.pools['fc'].autoScalingGroup.name });
app.synth();
