import { readdirSync } from 'fs';
import { join } from 'path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import { AWS_NAMING_TABLE, AwsSandboxPlatform } from '../lib/aws';
import { checkName } from '../lib/spec';
import {
  ComplianceProfile, DeploymentModel, EgressMode, GpuModel, Orchestrator, SandboxPlatformSpec, SandboxRuntime, Virtualization,
} from '../lib/spec';
import { addSpecStack } from '../stacks/main';
import { MAX_PLATFORM_NAME, expectNamesValid, maxPoolName } from './naming';

/* eslint-disable @typescript-eslint/no-explicit-any */

const specDir = join(__dirname, '..', 'stacks', 'specs');

/** Every kind of pool at the maximum name lengths. */
function maxSpec(deployment: DeploymentModel, mode: EgressMode): SandboxPlatformSpec {
  return {
    name: MAX_PLATFORM_NAME,
    deployment,
    compliance: ComplianceProfile.HIPAA,
    network: { egress: { mode, ...(mode === EgressMode.FIREWALL ? { allowedDomains: ['pypi.org', '.github.com'] } : {}) } },
    sandboxPools: [
      { name: maxPoolName('metal'), runtime: SandboxRuntime.FIRECRACKER, instanceType: 'm7i.metal-24xl', minNodes: 1, maxNodes: 3, warmNodes: 1 },
      { name: maxPoolName('nested'), runtime: SandboxRuntime.KATA, virtualization: Virtualization.NESTED, instanceType: 'm8i.4xlarge', maxNodes: 4 },
      { name: maxPoolName('gvisor'), runtime: SandboxRuntime.GVISOR, maxNodes: 4 },
      { name: maxPoolName('spot'), runtime: SandboxRuntime.GVISOR, maxNodes: 4, spot: true },
    ],
    gpuPools: [
      { name: maxPoolName('gpu'), gpu: GpuModel.L4, maxNodes: 2 },
      { name: maxPoolName('kata'), gpu: GpuModel.T4, runtime: SandboxRuntime.KATA, instanceType: 'g4dn.metal', maxNodes: 1 },
    ],
    ...(deployment === DeploymentModel.BYOC ? { controlPlane: { principal: '111122223333', externalId: 'ext-id-123456' } } : {}),
    observability: { alertEmails: ['oncall@example.com'] },
  };
}

/** Kubernetes mode at the maximum lengths: every pool kind EKS runs (no Firecracker, no Kata GPU, no warm pools). */
function maxKubernetesSpec(deployment: DeploymentModel, mode: EgressMode): SandboxPlatformSpec {
  const base = maxSpec(deployment, mode);
  return {
    ...base,
    orchestrator: Orchestrator.KUBERNETES,
    sandboxPools: [
      { name: maxPoolName('metal'), runtime: SandboxRuntime.KATA, instanceType: 'm7i.metal-24xl', minNodes: 1, maxNodes: 3 },
      ...base.sandboxPools!.slice(1),
    ],
    gpuPools: base.gpuPools!.slice(0, 1),
  };
}

function synthMax(spec: SandboxPlatformSpec): any {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'naming');
  new AwsProvider(stack, 'aws', { region: 'ap-southeast-2' });
  new AwsSandboxPlatform(stack, 'platform', { spec, region: 'ap-southeast-2', manageAccountSessionPreferences: true });
  return JSON.parse(Testing.synth(stack));
}

describe('AWS naming table', () => {
  it.each(readdirSync(specDir).filter((f) => f.startsWith('aws-') && f.endsWith('.json')).sort())('%s: every name passes its rule', (file) => {
    const json = JSON.parse(Testing.synth(addSpecStack(Testing.app(), join(specDir, file))));
    expect(expectNamesValid(json, AWS_NAMING_TABLE, file)).toBeGreaterThan(20);
  });

  const cases: [DeploymentModel, EgressMode][] = [];
  for (const d of [DeploymentModel.BYOC, DeploymentModel.MANAGED]) for (const m of [EgressMode.NAT, EgressMode.FIREWALL, EgressMode.NONE]) cases.push([d, m]);
  it.each(cases)('maximum lengths, %s, %s egress: every name and prefix passes its rule', (deployment, mode) => {
    const json = synthMax(maxSpec(deployment, mode));
    expect(expectNamesValid(json, AWS_NAMING_TABLE, `${deployment}/${mode}`)).toBeGreaterThan(40);
    // The longest names sit near their limits: the checks above are not vacuous.
    expect(Object.values(json.resource.aws_iam_role).map((r: any) => r.name.length).sort((a: number, b: number) => b - a)[0]).toBeGreaterThan(30);
  });

  it.each(cases)('maximum lengths, Kubernetes mode, %s, %s egress: every name and prefix passes its rule', (deployment, mode) => {
    const json = synthMax(maxKubernetesSpec(deployment, mode));
    expect(json.resource.aws_eks_cluster).toBeDefined();
    expect(expectNamesValid(json, AWS_NAMING_TABLE, `kubernetes/${deployment}/${mode}`)).toBeGreaterThan(40);
  });

  it('has a rule for each name-bearing attribute that fails on a name over its limit', () => {
    const rule = (type: string, attribute: string) => AWS_NAMING_TABLE[type].find((r) => r.attribute === attribute)!;
    expect(checkName(rule('aws_iam_role', 'name'), 'x'.repeat(65))).toMatch(/65 characters/);
    expect(checkName(rule('aws_cloudwatch_event_rule', 'name'), 'x'.repeat(65))).toMatch(/65 characters/);
    expect(checkName(rule('aws_s3_bucket', 'bucket_prefix'), 'a'.repeat(38))).toMatch(/38 characters/);
    expect(checkName(rule('aws_ssm_document', 'name'), 'aws-sbx-run')).toMatch(/does not match/);
    expect(checkName(rule('aws_ssm_document', 'name'), 'AmazonThing')).toMatch(/does not match/);
    expect(checkName(rule('aws_security_group', 'description'), "the VPC's")).toMatch(/does not match/);
    expect(checkName(rule('aws_iam_service_linked_role', 'custom_suffix'), 'a_b')).toMatch(/does not match/);
    expect(checkName(rule('aws_cloudtrail', 'name'), 'a--b')).toMatch(/does not match|consecutive hyphens/);
    expect(checkName(rule('aws_cloudtrail', 'name'), 'my-_trail')).toMatch(/does not match/);
    expect(checkName(rule('aws_cloudtrail', 'name'), '192.168.5.4')).toMatch(/does not match/);
    expect(checkName(rule('aws_kms_alias', 'name'), 'alias/aws/x')).toMatch(/does not match/);
    expect(checkName(rule('aws_eks_cluster', 'name'), `a${'x'.repeat(100)}`)).toMatch(/101 characters/);
    expect(checkName(rule('aws_eks_cluster', 'name'), '-acme')).toMatch(/does not match/);
    expect(checkName(rule('aws_eks_node_group', 'node_group_name'), 'x'.repeat(64))).toMatch(/64 characters/);
  });
});
