// A consumer of the published package root: the GCP and Azure declarations load too, typed by fallbacks where their providers are absent.
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { AwsSandboxPlatform, ComplianceProfile, DeploymentModel } from 'cdktf-sandbox-byoc';

const app = new App();
const stack = new TerraformStack(app, 'consumer');
new AwsProvider(stack, 'aws', { region: 'us-east-1' });
new AwsSandboxPlatform(stack, 'p', {
  spec: { name: 'consumer', deployment: DeploymentModel.MANAGED, compliance: ComplianceProfile.BASELINE, sandboxPools: [{ name: 'fc' }] },
});
app.synth();
