import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { TerraformStack, Testing } from 'cdktf';
import { TimeSleep } from '../lib/common/time-sleep';

describe('TimeSleep', () => {
  test('waits after its dependencies and pins the time provider', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 's');
    new AwsProvider(stack, 'aws', { region: 'us-east-1' });
    const role = new IamRole(stack, 'role', { assumeRolePolicy: '{}' });
    new TimeSleep(stack, 'wait', { createDuration: '60s', dependsOn: [role], triggers: { role: role.arn } });
    const json = JSON.parse(Testing.synth(stack));
    const sleep = json.resource.time_sleep.wait;
    expect(sleep.create_duration).toBe('60s');
    expect(sleep.depends_on).toEqual(['aws_iam_role.role']);
    expect(sleep.triggers).toEqual({ role: '${aws_iam_role.role.arn}' });
    expect(json.terraform.required_providers.time).toEqual({ source: 'hashicorp/time', version: '>= 0.9.0, < 1.0.0' });
  });

  test('a stack with a sleep and no time provider construct passes cdktf validation at app.synth()', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 's');
    new TimeSleep(stack, 'wait', { createDuration: '30s' });
    expect(() => app.synth()).not.toThrow();
  });

  test('rejects a duration Terraform would not parse', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    expect(() => new TimeSleep(stack, 'wait', { createDuration: '5 minutes' })).toThrow('not a Go duration');
  });
});
