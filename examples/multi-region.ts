/**
 * One stack, two regions: each platform gets its own aliased provider, so every resource (and
 * every data source) of that platform lands in that region.
 * Run: npm run build && node -r ./register.js examples/multi-region.ts (package imports resolve to dist/ by self-reference)
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { AwsSandboxPlatform, ComplianceProfile, DeploymentModel, SandboxPlatformSpec } from 'cdktf-sandbox-byoc';

export function build(app: App): TerraformStack {
  const stack = new TerraformStack(app, 'multi-region');
  const regions = ['us-east-1', 'eu-central-1'];
  regions.forEach((region, i) => {
    const provider = new AwsProvider(stack, `aws-${region}`, { region, alias: region.replace(/-/g, '_') });
    const spec: SandboxPlatformSpec = {
      name: `sbx-${region.split('-')[0]}`,
      deployment: DeploymentModel.MANAGED,
      compliance: ComplianceProfile.BASELINE,
      network: { cidr: `10.${80 + i}.0.0/16`, zones: 2 },
      sandboxPools: [{ name: 'fc', minNodes: 1, maxNodes: 8 }],
      // One trail per account is enough: the first region's trail is multi-region.
      observability: { existingOrganizationTrail: i > 0 },
    };
    new AwsSandboxPlatform(stack, `platform-${region}`, { spec, region, provider });
  });
  return stack;
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
