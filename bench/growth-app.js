// One AWS platform with N sandbox pools (N from argv), synthesized from the compiled library.
const { App, TerraformStack } = require('cdktf');
const { AwsProvider } = require('@cdktf/provider-aws/lib/provider');
const { AwsSandboxPlatform } = require('./.build/lib');

const n = Number(process.argv[2] || 1);
const app = new App();
const stack = new TerraformStack(app, `growth-${n}`);
new AwsProvider(stack, 'aws', { region: 'us-east-1' });
new AwsSandboxPlatform(stack, 'platform', {
  spec: {
    name: 'growth',
    deployment: 'managed',
    compliance: 'soc2',
    sandboxPools: Array.from({ length: n }, (_, i) => ({ name: `p${i}`, runtime: 'firecracker', minNodes: 1, maxNodes: 4 })),
  },
});
app.synth();
