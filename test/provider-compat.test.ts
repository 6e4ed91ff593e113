import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { KubernetesClusterNodePool } from '@cdktf/provider-azurerm/lib/kubernetes-cluster-node-pool';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { ComputeInstanceTemplate } from '@cdktf/provider-google/lib/compute-instance-template';
import { ComputeRegionInstanceGroupManager } from '@cdktf/provider-google/lib/compute-region-instance-group-manager';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { TerraformProvider, TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import {
  AWS_NESTED_VIRTUALIZATION_MIN_VERSION, AZURERM_KATA_MIN_VERSION, GOOGLE_IDPF_MIN_VERSION, compareVersions, enableAksKataIsolation, enableAwsNestedVirtualization,
  mergeProviderVersion, requireProviderVersion, setGoogleIdpfNic,
} from '../lib/provider-compat';

function awsStack() {
  const stack = new TerraformStack(Testing.app(), 's');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  return stack;
}

describe('provider-compat', () => {
  it('sets nested virtualization on the launch template and raises the aws constraint in one call', () => {
    const stack = awsStack();
    const lt = new LaunchTemplate(stack, 'lt', { name: 'x' });
    const before = JSON.parse(Testing.synth(stack));
    expect(before.terraform.required_providers.aws.version).toBe('6.25.0');
    enableAwsNestedVirtualization(lt);
    const json = JSON.parse(Testing.synth(stack));
    expect(json.resource.aws_launch_template.lt.cpu_options).toEqual({ nested_virtualization: 'enabled' });
    expect(json.terraform.required_providers.aws).toEqual({ source: 'aws', version: `>= ${AWS_NESTED_VIRTUALIZATION_MIN_VERSION}, < 7.0.0` });
  });

  it('rejects resources the setting does not belong to', () => {
    const stack = awsStack();
    const vpc = new Vpc(stack, 'vpc', { cidrBlock: '10.0.0.0/16' });
    expect(() => enableAwsNestedVirtualization(vpc)).toThrow(/launch-template setting, got aws_vpc/);
  });

  it('keeps the highest minimum when several are required', () => {
    const stack = awsStack();
    const lt = new LaunchTemplate(stack, 'lt', { name: 'x' });
    requireProviderVersion(lt, 'aws', '6.40.1');
    requireProviderVersion(lt, 'aws', '6.33.0');
    expect(JSON.parse(Testing.synth(stack)).terraform.required_providers.aws.version).toBe('>= 6.40.1, < 7.0.0');
    expect(() => requireProviderVersion(lt, 'kubernetes', '1.0.0')).toThrow(/unknown provider/);
  });

  it('sets AKS Kata isolation and raises the azurerm constraint', () => {
    const stack = new TerraformStack(Testing.app(), 'az');
    new AzurermProvider(stack, 'azurerm', { features: [{}] });
    const pool = new KubernetesClusterNodePool(stack, 'pool', { name: 'kata', kubernetesClusterId: 'id', vmSize: 'Standard_D8s_v5' });
    enableAksKataIsolation(pool);
    const json = JSON.parse(Testing.synth(stack));
    expect(json.resource.azurerm_kubernetes_cluster_node_pool.pool.workload_runtime).toBe('KataVmIsolation');
    expect(json.terraform.required_providers.azurerm.version).toBe(`>= ${AZURERM_KATA_MIN_VERSION}, < 5.0.0`);
  });

  it('compares dotted versions numerically', () => {
    expect(compareVersions('6.33.0', '6.4.0')).toBeGreaterThan(0);
    expect(compareVersions('6.33', '6.33.0')).toBe(0);
    expect(compareVersions('4.55.0', '4.78.0')).toBeLessThan(0);
  });
});

describe('provider-compat: GCP', () => {
  it('sets IDPF on the instance template NIC and raises google to >= 7.32.0 in one call', () => {
    const stack = new TerraformStack(Testing.app(), 'g');
    new GoogleProvider(stack, 'google', { project: 'p-123456', region: 'us-central1' });
    const template = new ComputeInstanceTemplate(stack, 't', {
      machineType: 'c3-standard-192-metal', disk: [{ boot: true, sourceImage: 'family/ubuntu-2404-lts-amd64' }],
      networkInterface: [{ subnetwork: 'nodes', stackType: 'IPV4_ONLY' }],
    });
    expect(JSON.parse(Testing.synth(stack)).terraform.required_providers.google.version).toBe('6.50.0');
    setGoogleIdpfNic(template);
    const json = JSON.parse(Testing.synth(stack));
    expect(json.resource.google_compute_instance_template.t.network_interface).toEqual([{ subnetwork: 'nodes', stack_type: 'IPV4_ONLY', nic_type: 'IDPF' }]);
    expect(json.terraform.required_providers.google).toEqual({ source: 'google', version: `>= ${GOOGLE_IDPF_MIN_VERSION}, < 8.0.0` });
    expect(GOOGLE_IDPF_MIN_VERSION).toBe('7.32.0');
  });

  it('sets IDPF on instance templates only', () => {
    const stack = new TerraformStack(Testing.app(), 'g');
    new GoogleProvider(stack, 'google', { project: 'p-123456', region: 'us-central1' });
    const group = new ComputeRegionInstanceGroupManager(stack, 'g', { name: 'g', baseInstanceName: 'g', version: [{ instanceTemplate: 'x' }] });
    expect(() => setGoogleIdpfNic(group)).toThrow(/IDPF is set on instance templates here, got google_compute_region_instance_group_manager/);
  });
});

/**
 * The provider construct of a CDK Terrain binding as it reaches the stack: @cdktn/provider-aws 25.7.0
 * (lib/provider/index.js) passes providerVersion '6.66.0' and source 'hashicorp/aws';
 * @cdktn/provider-azurerm 16.1.0 passes '4.73.0' and 'hashicorp/azurerm'. The real bindings run in
 * scripts/smoke-consumer.sh (SMOKE_FLAVOR=cdktn); they cannot be installed next to the cdktf ones here.
 */
class BindingProvider extends TerraformProvider {
  constructor(scope: Construct, name: string, version: string) {
    super(scope, name, {
      terraformResourceType: name, terraformProviderSource: `hashicorp/${name}`,
      terraformGeneratorMetadata: { providerName: name, providerVersion: version, providerVersionConstraint: `~> ${version.split('.')[0]}.0` },
    });
  }
  protected synthesizeAttributes(): { [name: string]: unknown } {
    return {};
  }
}

describe('provider-compat: merged with what the binding writes (cdktf 6.25.0, cdktn 6.66.0)', () => {
  function nested(version: string, providerFirst = true) {
    const stack = new TerraformStack(Testing.app(), 's');
    if (providerFirst) new BindingProvider(stack, 'aws', version);
    const lt = new LaunchTemplate(stack, 'lt', { name: 'x', cpuOptions: { coreCount: 4 } });
    enableAwsNestedVirtualization(lt);
    if (!providerFirst) new BindingProvider(stack, 'aws', version);
    return { stack, lt };
  }

  it('keeps a binding pin at or above the floor (cdktn aws 6.66.0): one constraint, the binding\'s source, one nested_virtualization key', () => {
    const raw = Testing.synth(nested('6.66.0').stack);
    const json = JSON.parse(raw);
    expect(json.terraform.required_providers).toEqual({ aws: { source: 'hashicorp/aws', version: '6.66.0' } });
    expect(json.resource.aws_launch_template.lt.cpu_options).toEqual({ core_count: 4, nested_virtualization: 'enabled' });
    expect(raw.match(/"nested_virtualization"/g)).toHaveLength(1);
    expect(JSON.parse(Testing.synth(nested('6.33.0').stack)).terraform.required_providers.aws.version).toBe('6.33.0');
  });

  it('replaces a binding pin below the floor (cdktf aws 6.25.0) with the range, keeping the binding\'s source', () => {
    expect(JSON.parse(Testing.synth(nested('6.25.0').stack)).terraform.required_providers)
      .toEqual({ aws: { source: 'hashicorp/aws', version: '>= 6.33.0, < 7.0.0' } });
  });

  it('decides at synth: a provider added after the call counts', () => {
    expect(JSON.parse(Testing.synth(nested('6.66.0', false).stack)).terraform.required_providers.aws.version).toBe('6.66.0');
  });

  it('applies a later, higher floor to the binding pin', () => {
    const { stack, lt } = nested('6.66.0');
    requireProviderVersion(lt, 'aws', '6.70.0');
    expect(JSON.parse(Testing.synth(stack)).terraform.required_providers.aws.version).toBe('>= 6.70.0, < 7.0.0');
  });

  it('refuses a binding of a newer major than the floor\'s, naming the version and the fix', () => {
    expect(() => Testing.synth(nested('7.2.0').stack)).toThrow(
      /aws binding writes required_providers.aws.version "7.2.0", a newer major than the aws 6.x release \(>= 6.33.0\).*install a binding of aws 6.x/);
  });

  it('raises the cdktn azurerm binding (4.73.0) to the Kata floor 4.78.0', () => {
    const stack = new TerraformStack(Testing.app(), 'az');
    new BindingProvider(stack, 'azurerm', '4.73.0');
    const pool = new KubernetesClusterNodePool(stack, 'pool', { name: 'kata', kubernetesClusterId: 'id', vmSize: 'Standard_D8s_v5' });
    enableAksKataIsolation(pool);
    expect(JSON.parse(Testing.synth(stack)).terraform.required_providers)
      .toEqual({ azurerm: { source: 'hashicorp/azurerm', version: '>= 4.78.0, < 5.0.0' } });
  });

  it('merges one binding version with one floor', () => {
    expect(mergeProviderVersion('aws', '6.33.0', undefined)).toBe('>= 6.33.0, < 7.0.0');
    expect(mergeProviderVersion('aws', '6.33.0', '~> 6.0')).toBe('>= 6.33.0, < 7.0.0');
    expect(mergeProviderVersion('aws', '6.33.0', '6.25.0')).toBe('>= 6.33.0, < 7.0.0');
    expect(mergeProviderVersion('aws', '6.33.0', '= 6.66.0')).toBe('6.66.0');
    expect(mergeProviderVersion('aws', '6.33.0', '6.66.0')).toBe('6.66.0');
    expect(mergeProviderVersion('aws', '6.33.0', '5.99.0')).toBe('>= 6.33.0, < 7.0.0');
    expect(() => mergeProviderVersion('aws', '6.33.0', '7.0.0')).toThrow(/newer major/);
  });
});
