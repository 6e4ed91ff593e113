// A consumer importing the provider package roots, the common style.
import * as aws from '@cdktf/provider-aws';
import { App, TerraformStack } from 'cdktf';

const app = new App();
const stack = new TerraformStack(app, 'consumer');
new aws.provider.AwsProvider(stack, 'aws', { region: 'us-east-1' });
new aws.vpc.Vpc(stack, 'vpc', { cidrBlock: '10.0.0.0/16' });
app.synth();
