/**
 * Compose the platform into a VPC your stack already owns: pass its id, its private subnets and
 * its CIDR. The platform then creates no network of its own (no VPC, subnets, NAT, flow logs).
 * Run: npx ts-node examples/existing-vpc.ts  (or node -r @swc-node/register examples/existing-vpc.ts)
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { App, TerraformStack } from 'cdktf';
import { AwsSandboxPlatform, ComplianceProfile, DeploymentModel, SandboxRuntime } from '../lib';

export function build(app: App): TerraformStack {
  const stack = new TerraformStack(app, 'existing-vpc');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });

  // Stand-ins for what your repo already has (or use DataAwsVpc / DataAwsSubnets lookups).
  const vpc = new Vpc(stack, 'corp-vpc', { cidrBlock: '10.20.0.0/16', enableDnsHostnames: true, enableDnsSupport: true });
  const subnets = ['a', 'b'].map((az, i) => new Subnet(stack, `corp-private-${az}`, {
    vpcId: vpc.id, cidrBlock: `10.20.${i * 16}.0/20`, availabilityZone: `eu-west-1${az}`, mapPublicIpOnLaunch: false,
  }));

  new AwsSandboxPlatform(stack, 'sandboxes', {
    region: 'eu-west-1',
    existingNetwork: { vpcId: vpc.id, privateSubnetIds: subnets.map((s) => s.id), vpcCidr: '10.20.0.0/16' },
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
