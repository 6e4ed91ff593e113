/**
 * Compose the GCP platform into a VPC your stack already owns: pass the network and the node
 * subnetwork (it needs Private Google Access). The platform then creates no network of its own
 * (no VPC, subnet, Cloud NAT or DNS zone); egress is whatever the network already has, narrowed by
 * the node firewall policy (the spec's egress mode and allow-list still apply there; the platform
 * warns about every spec.network field the existing network decides instead). A network takes one global network firewall policy: when yours already
 * has one, pass it as `firewallPolicy` and the platform adds its (node-service-account-scoped)
 * rules to it instead of creating and associating its own.
 * Run: npm run build && node -r ./register.js examples/gcp-existing-vpc.ts (package imports resolve to dist/ by self-reference)
 */
import { ComputeNetwork } from '@cdktf/provider-google/lib/compute-network';
import { ComputeSubnetwork } from '@cdktf/provider-google/lib/compute-subnetwork';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { GcpSandboxPlatform } from 'cdktf-sandbox-byoc/gcp';
import { ComplianceProfile, DeploymentModel, SandboxRuntime, Virtualization } from 'cdktf-sandbox-byoc/spec';

export function build(app: App): TerraformStack {
  const stack = new TerraformStack(app, 'gcp-existing-vpc');
  const project = 'corp-platform-prod';
  const region = 'europe-west4';
  new GoogleProvider(stack, 'google', { project, region });

  // Stand-ins for what your repo already has (or use DataGoogleComputeNetwork / DataGoogleComputeSubnetwork lookups).
  const vpc = new ComputeNetwork(stack, 'corp-vpc', { name: 'corp-vpc', autoCreateSubnetworks: false });
  const subnet = new ComputeSubnetwork(stack, 'corp-sandboxes', {
    name: 'corp-sandboxes', network: vpc.id, region, ipCidrRange: '10.20.0.0/20', privateIpGoogleAccess: true,
    logConfig: { aggregationInterval: 'INTERVAL_5_SEC', flowSampling: 1, metadata: 'INCLUDE_ALL_METADATA' },
  });

  new GcpSandboxPlatform(stack, 'sandboxes', {
    project,
    region,
    zones: ['europe-west4-a', 'europe-west4-b'],
    existingNetwork: { network: vpc.selfLink, subnetwork: subnet.selfLink, subnetworkName: 'corp-sandboxes' },
    spec: {
      name: 'corp-sbx',
      deployment: DeploymentModel.MANAGED,
      compliance: ComplianceProfile.SOC2,
      sandboxPools: [{ name: 'fc', runtime: SandboxRuntime.FIRECRACKER, virtualization: Virtualization.NESTED, instanceType: 'n2-standard-32', minNodes: 1, maxNodes: 6 }],
    },
  });
  return stack;
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
