/**
 * A GPU-only platform: H100 and H200 pools under gVisor, no CPU sandbox pools. Spot H100s scale
 * to zero when idle; the H200 pool keeps one node warm for latency-sensitive inference.
 * Run: npm run build && node -r ./register.js examples/gpu-only.ts (package imports resolve to dist/ by self-reference)
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { AwsSandboxPlatform, ComplianceProfile, DeploymentModel, GpuModel } from 'cdktf-sandbox-byoc';

export function build(app: App): TerraformStack {
  const stack = new TerraformStack(app, 'gpu-only');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  new AwsSandboxPlatform(stack, 'gpu', {
    region: 'us-east-1',
    spec: {
      name: 'gpu-sbx',
      deployment: DeploymentModel.BYOC,
      compliance: ComplianceProfile.SOC2,
      gpuPools: [
        { name: 'h100', gpu: GpuModel.H100, gpusPerNode: 8, minNodes: 0, maxNodes: 4, spot: true },
        { name: 'h200', gpu: GpuModel.H200, gpusPerNode: 8, minNodes: 1, maxNodes: 2 },
      ],
      controlPlane: { principal: '444455556666', externalId: 'gpu-sbx-3b1f7e' },
    },
  });
  return stack;
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
