/**
 * Accepting a compliance finding on purpose: a break-glass bastion open on SSH from the internet
 * breaks two baseline rules (AWS-SG-ADMIN: SSH/RDP from the internet; AWS-SG-OPEN: any ingress from
 * the internet). Each is suppressed with a reason on the construct; synth passes and the report
 * lists both as suppressed, with the reason. The README shows the part between the markers.
 * Run: npm run build && node -r ./register.js examples/suppress-bastion.ts (package imports resolve to dist/ by self-reference)
 */
// --- readme ---
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { App, TerraformStack } from 'cdktf';
import { AwsSandboxPlatform, ComplianceProfile, DeploymentModel, RuleId, SandboxCompliance } from 'cdktf-sandbox-byoc';

const app = new App();
const stack = new TerraformStack(app, 'bastion-example');
new AwsProvider(stack, 'aws', { region: 'us-east-1' });
const platform = new AwsSandboxPlatform(stack, 'platform', {
  spec: { name: 'acme-sbx', deployment: DeploymentModel.MANAGED, compliance: ComplianceProfile.BASELINE },
});
const bastion = new SecurityGroup(stack, 'bastion', {
  vpcId: platform.vpcId,
  ingress: [{ protocol: 'tcp', fromPort: 22, toPort: 22, cidrBlocks: ['0.0.0.0/0'] }],
});
const reason = 'break-glass bastion, closed by SCP outside change windows';
SandboxCompliance.suppress(bastion, RuleId.AWS_SG_ADMIN, reason); // SSH (22) / RDP (3389) from the internet
SandboxCompliance.suppress(bastion, RuleId.AWS_SG_OPEN, reason); // any ingress from the internet
app.synth();
// --- end ---
