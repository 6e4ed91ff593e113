import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import * as core from 'cdktf';
import { TerraformResource, TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { applyScope } from '../lib/common/scope-aspect';
import { applyGcpScope } from '../lib/gcp/scope-aspect';

/**
 * In a CDK Terrain project the cdktn bindings import the core library as `cdktn`, while this library
 * imports `cdktf` (an npm alias of the same release): two copies of every core class. The aspects
 * must treat the bindings' resources as resources all the same (they once used instanceof, which
 * left every AWS and Azure resource of a cdktn project untagged and on the default provider).
 * jest.isolateModules loads a binding with its own copy of cdktf, which is the same situation.
 */
function fromOtherCopy<T>(load: () => T): { mod: T; otherCore: typeof core } {
  let mod: T | undefined;
  let otherCore: typeof core | undefined;
  jest.isolateModules(() => {
    mod = load();
    otherCore = jest.requireActual<typeof core>('cdktf');
  });
  return { mod: mod as T, otherCore: otherCore as typeof core };
}

describe('resources of a binding built on another copy of the core library', () => {
  it('AWS/Azure scope aspect: tags them and gives them and data sources the platform provider', () => {
    const { mod, otherCore } = fromOtherCopy(() => ({
      Vpc: jest.requireActual<typeof import('@cdktf/provider-aws/lib/vpc')>('@cdktf/provider-aws/lib/vpc').Vpc,
      DataAwsRegion: jest.requireActual<typeof import('@cdktf/provider-aws/lib/data-aws-region')>('@cdktf/provider-aws/lib/data-aws-region').DataAwsRegion,
    }));
    expect(otherCore.TerraformResource).not.toBe(TerraformResource);
    const stack = new TerraformStack(Testing.app(), 's');
    new AwsProvider(stack, 'aws', { region: 'us-east-1' });
    const west = new AwsProvider(stack, 'west', { region: 'us-west-2', alias: 'west' });
    const scope = new Construct(stack, 'platform');
    const vpc = new mod.Vpc(scope, 'vpc', { cidrBlock: '10.0.0.0/16', tags: { Name: 'mine' } });
    new mod.DataAwsRegion(scope, 'region');
    // eslint-disable-next-line no-restricted-syntax -- the situation under test: instanceof fails across copies
    expect(vpc instanceof TerraformResource).toBe(false); // the situation under test
    applyScope(scope, { 'managed-by': 'cdktf-sandbox-byoc' }, west);
    const json = JSON.parse(Testing.synth(stack));
    const [res] = Object.values(json.resource.aws_vpc) as { tags: object; provider: string }[];
    expect(res.tags).toEqual({ 'managed-by': 'cdktf-sandbox-byoc', Name: 'mine' });
    expect(res.provider).toBe('aws.west');
    const [data] = Object.values(json.data.aws_region) as { provider: string }[];
    expect(data.provider).toBe('aws.west');
  });

  it('GCP scope aspect: labels them and gives them the platform provider', () => {
    const { mod } = fromOtherCopy(() => jest.requireActual<typeof import('@cdktf/provider-google/lib/storage-bucket')>('@cdktf/provider-google/lib/storage-bucket'));
    const stack = new TerraformStack(Testing.app(), 'g');
    new GoogleProvider(stack, 'google', { project: 'p-123456', region: 'us-central1' });
    const other = new GoogleProvider(stack, 'other', { project: 'p-123456', region: 'europe-west4', alias: 'eu' });
    const scope = new Construct(stack, 'platform');
    new mod.StorageBucket(scope, 'bucket', { name: 'b-123456', location: 'EU' });
    applyGcpScope(scope, { 'managed-by': 'cdktf-sandbox-byoc' }, other);
    const [bucket] = Object.values(JSON.parse(Testing.synth(stack)).resource.google_storage_bucket) as { labels: object; provider: string }[];
    expect(bucket.labels).toEqual({ 'managed-by': 'cdktf-sandbox-byoc' });
    expect(bucket.provider).toBe('google.eu');
  });
});
