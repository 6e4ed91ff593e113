/**
 * Compose the platform into a VPC that another stack or team owns: look it up, then pass its id,
 * its private subnets and its CIDR. The platform creates no network of its own (no VPC, subnets,
 * NAT, flow logs, endpoints or DNS firewall); the VPC's owner keeps those, egress control included
 * (spec.network may only give the mode: see docs/aws.md). The CIDR is a literal: the host guard in
 * the nodes' user data keeps sandboxes off the VPC's addresses and is rendered at synth.
 * Run: npm run build && node -r ./register.js examples/existing-vpc.ts (package imports resolve to dist/ by self-reference)
 */
import { DataAwsSubnets } from '@cdktf/provider-aws/lib/data-aws-subnets';
import { DataAwsVpc } from '@cdktf/provider-aws/lib/data-aws-vpc';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { AwsSandboxPlatform, ComplianceProfile, DeploymentModel, SandboxRuntime } from 'cdktf-sandbox-byoc';

/** The corporate VPC's CIDR, as its owner publishes it. */
const CORP_VPC_CIDR = '10.20.0.0/16';

export function build(app: App): TerraformStack {
  const stack = new TerraformStack(app, 'existing-vpc');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });

  const vpc = new DataAwsVpc(stack, 'corp-vpc', { tags: { Name: 'corp-vpc' } });
  const privateSubnets = new DataAwsSubnets(stack, 'corp-private', {
    filter: [{ name: 'vpc-id', values: [vpc.id] }, { name: 'tag:tier', values: ['private'] }],
  });

  new AwsSandboxPlatform(stack, 'sandboxes', {
    region: 'eu-west-1',
    existingNetwork: { vpcId: vpc.id, privateSubnetIds: privateSubnets.ids, vpcCidr: CORP_VPC_CIDR },
    spec: {
      name: 'corp-sbx',
      deployment: DeploymentModel.MANAGED,
      compliance: ComplianceProfile.SOC2,
      sandboxPools: [{ name: 'fc', runtime: SandboxRuntime.FIRECRACKER, instanceType: 'c7i.metal-24xl', minNodes: 1, maxNodes: 6 }],
    },
  });
  return stack;
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
