import { gunzipSync } from 'zlib';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import { AwsSandboxPlatform, AwsSandboxPlatformProps } from '../lib/aws';
import { ComplianceProfile, DeploymentModel, SandboxPlatformSpec, SandboxRuntime } from '../lib/spec';

/* eslint-disable @typescript-eslint/no-explicit-any */
export type Synth = { resource: Record<string, Record<string, any>>; data?: Record<string, Record<string, any>>; output?: Record<string, any>; terraform: any };

/** A small valid BYOC spec; override fields per test. */
export function byocSpec(overrides: Partial<SandboxPlatformSpec> = {}): SandboxPlatformSpec {
  return {
    name: 'acme',
    deployment: DeploymentModel.BYOC,
    compliance: ComplianceProfile.SOC2,
    sandboxPools: [{ name: 'fc', runtime: SandboxRuntime.FIRECRACKER, minNodes: 1, maxNodes: 4 }],
    controlPlane: { principal: '111122223333', externalId: 'ext-id-123456' },
    ...overrides,
  };
}

/** Synthesizes one AwsSandboxPlatform in a fresh stack and returns the parsed JSON and the construct. */
export function synthAws(spec: SandboxPlatformSpec, props: Partial<AwsSandboxPlatformProps> = {}): { json: Synth; platform: AwsSandboxPlatform; stack: TerraformStack } {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  const platform = new AwsSandboxPlatform(stack, 'platform', { spec, ...props });
  return { json: JSON.parse(Testing.synth(stack)) as Synth, platform, stack };
}

/** All resources of a type, as [logicalId, config] pairs. */
export function resources(json: Synth, type: string): [string, any][] {
  return Object.entries(json.resource[type] ?? {});
}

/** The only resource of a type whose logical id contains `fragment`. */
export function resource(json: Synth, type: string, fragment = ''): any {
  const found = resources(json, type).filter(([id]) => id.includes(fragment));
  if (found.length !== 1) throw new Error(`expected one ${type} matching "${fragment}", found ${found.map(([id]) => id).join(', ') || 'none'}`);
  return found[0][1];
}

/** Parses a JSON policy document attribute. */
export function policy(doc: string): { Statement: any[] } {
  return JSON.parse(doc);
}

export function userDataOf(lt: any): string {
  const raw = Buffer.from(lt.user_data, 'base64');
  return raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
}
