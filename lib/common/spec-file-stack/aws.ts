import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack } from 'cdktf';
import { AwsSandboxPlatform } from '../../aws/platform';
import { PlatformSpecFile } from '../../spec';

/** Adds the AWS provider (region from the spec file's target) and the platform to `stack`. */
export function addAwsPlatform(stack: TerraformStack, _file: string, loaded: PlatformSpecFile): void {
  new AwsProvider(stack, 'aws', { region: loaded.target.region });
  new AwsSandboxPlatform(stack, 'platform', { spec: loaded.spec, region: loaded.target.region });
}
