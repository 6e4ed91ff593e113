// The README's GCP example, verbatim between the markers (test/consumer-readme.test.ts checks it;
// scripts/smoke-consumer.sh compiles and synthesizes it in a fresh project with only @cdktf/provider-google).
// --- readme ---
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { App, TerraformStack } from 'cdktf';
import {
  ComplianceProfile, DeploymentModel, GcpSandboxPlatform, SandboxRuntime, Virtualization,
} from 'cdktf-sandbox-byoc';

const app = new App();
const stack = new TerraformStack(app, 'sandboxes');
const project = 'acme-sandbox-prod';
const region = 'us-central1';
new GoogleProvider(stack, 'google', { project, region });
new GcpSandboxPlatform(stack, 'platform', {
  project,
  region,
  spec: {
    name: 'acme-sbx',
    deployment: DeploymentModel.BYOC,
    compliance: ComplianceProfile.SOC2,
    // GCP zones are pinned (never read at plan time, where a change would replace every group).
    network: { availabilityZones: ['us-central1-a', 'us-central1-b', 'us-central1-c'] },
    sandboxPools: [{
      name: 'kvm', runtime: SandboxRuntime.FIRECRACKER, virtualization: Virtualization.NESTED,
      instanceType: 'n2-standard-16', minNodes: 1, maxNodes: 8,
    }],
    controlPlane: { principal: 'sandbox-control-plane@vendor-prod.iam.gserviceaccount.com' },
  },
});
app.synth();
