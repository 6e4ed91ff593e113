// The naive baseline: what most cdktf code looks like. Provider packages imported from their
// roots (every binding loads), one VPC synthesized.
const { App, TerraformStack } = require('cdktf');
const aws = require('@cdktf/provider-aws');
const google = require('@cdktf/provider-google');
const azurerm = require('@cdktf/provider-azurerm');

const app = new App();
const stack = new TerraformStack(app, 'naive');
new aws.provider.AwsProvider(stack, 'aws', { region: 'us-east-1' });
new aws.vpc.Vpc(stack, 'vpc', { cidrBlock: '10.0.0.0/16' });
void google;
void azurerm;
app.synth();
