import { readdirSync } from 'fs';
import { join } from 'path';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import {
  AZURE_NAMING_TABLE, AzureGpuDriver, AzureSandboxPlatform, AzureSandboxPlatformProps, STANDBY_POOL_NAME_RULE, standbyPoolName,
} from '../lib/azure';
import {
  ComplianceProfile, DeploymentModel, EgressMode, GpuModel, SandboxPlatformSpec, SandboxRuntime, Virtualization, checkName, loadSpecFile,
} from '../lib/spec';
import { addAzurePlatform } from '../stacks/azure';
import { STANDBY_PRINCIPAL, VENDOR_PRINCIPAL } from './azure-helpers';
import { MAX_PLATFORM_NAME, expectNamesValid, maxPoolName } from './naming';

/* eslint-disable @typescript-eslint/no-explicit-any */

const specsDir = join(__dirname, '..', 'stacks', 'specs');
const azureSpecFiles = readdirSync(specsDir).filter((f) => f.startsWith('azure-') && f.endsWith('.json'));

/** A spec at every maximum length: 21-character platform, 16-character pools, every kind of pool. */
function maxSpec(deployment: DeploymentModel, egress: EgressMode, compliance = ComplianceProfile.HIPAA): SandboxPlatformSpec {
  return {
    name: MAX_PLATFORM_NAME,
    deployment,
    compliance,
    network: egress === EgressMode.FIREWALL
      ? { egress: { mode: egress, allowedDomains: ['pypi.org', '.pythonhosted.org', 'developer.download.nvidia.com', 'download.microsoft.com', 'azure.archive.ubuntu.com'] } }
      : { egress: { mode: egress } },
    sandboxPools: [
      { name: maxPoolName('fc'), runtime: SandboxRuntime.FIRECRACKER, virtualization: Virtualization.NESTED, instanceType: 'Standard_D16s_v5',
        minNodes: 1, maxNodes: 6, warmNodes: 2 },
      { name: maxPoolName('kata'), runtime: SandboxRuntime.KATA, virtualization: Virtualization.NESTED, instanceType: 'Standard_D8_v3', maxNodes: 2 },
      { name: maxPoolName('gvisor'), runtime: SandboxRuntime.GVISOR, maxNodes: 3, spot: true },
    ],
    gpuPools: [
      // NvidiaGpuDriverLinux paths: CUDA (NCasT4_v3) and GRID (NVadsA10_v5); drivers in the image: ND H100 v5.
      { name: maxPoolName('t4'), gpu: GpuModel.T4, maxNodes: 2 },
      { name: maxPoolName('a10'), gpu: GpuModel.A10, maxNodes: 1 },
      { name: maxPoolName('h100'), gpu: GpuModel.H100, gpusPerNode: 8, maxNodes: 1 },
    ],
    controlPlane: deployment === DeploymentModel.BYOC ? { principal: VENDOR_PRINCIPAL } : undefined,
  };
}

function synth(spec: SandboxPlatformSpec, props: Partial<AzureSandboxPlatformProps> = {}): any {
  const stack = new TerraformStack(Testing.app(), 'naming');
  new AzurermProvider(stack, 'azurerm', { features: [{}], storageUseAzuread: true });
  new AzureSandboxPlatform(stack, 'platform', {
    spec, location: 'eastus', standbyPoolPrincipalId: STANDBY_PRINCIPAL, deployerIpRanges: ['203.0.113.7/32'], ...props,
  });
  return JSON.parse(Testing.synth(stack));
}

describe('Azure naming table', () => {
  it.each(azureSpecFiles)('every name of the reference stack %s passes its rule', (file) => {
    const stack = new TerraformStack(Testing.app(), file.replace(/\.json$/, ''));
    addAzurePlatform(stack, join(specsDir, file), loadSpecFile(join(specsDir, file)));
    expect(expectNamesValid(JSON.parse(Testing.synth(stack)), AZURE_NAMING_TABLE, file)).toBeGreaterThan(50);
  });

  const cases: [DeploymentModel, EgressMode][] = [];
  for (const d of [DeploymentModel.BYOC, DeploymentModel.MANAGED]) for (const e of [EgressMode.NAT, EgressMode.FIREWALL, EgressMode.NONE]) cases.push([d, e]);
  it.each(cases)('every name at the maximum lengths passes its rule (%s, %s egress)', (deployment, egress) => {
    // Without egress the NVIDIA extension cannot download: those pools take drivers from the image.
    const json = synth(maxSpec(deployment, egress), egress === EgressMode.NONE ? { gpuDriver: AzureGpuDriver.IMAGE } : {});
    const checked = expectNamesValid(json, AZURE_NAMING_TABLE, `${deployment}/${egress}`);
    expect(checked).toBeGreaterThan(100);
    // The longest literal names sit right at their limits' safe side.
    const vmss = Object.values(json.resource.azurerm_orchestrated_virtual_machine_scale_set).map((v: any) => v.name as string);
    expect(Math.max(...vmss.map((n) => n.length))).toBe(21 + 1 + 16 + 3);
    const standby = Object.values(json.resource.azurerm_virtual_machine_scale_set_standby_pool).map((s: any) => s.name as string);
    expect(standby.length).toBeGreaterThan(0);
    for (const n of standby) expect(n.length).toBeLessThanOrEqual(24);
    expect(Object.keys(json.resource.time_sleep).length).toBeGreaterThan(0);
  });

  it('covers an existing network with a hub firewall policy (its rule collection group name)', () => {
    const json = synth(maxSpec(DeploymentModel.BYOC, EgressMode.FIREWALL, ComplianceProfile.SOC2), {
      existingNetwork: {
        vnetId: '/subscriptions/0/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/hub-spoke',
        nodeSubnetIds: ['/s/1', '/s/2', '/s/3'],
        egressFirewall: { firewallPolicyId: '/subscriptions/0/resourceGroups/net/providers/Microsoft.Network/firewallPolicies/hub', nodeSubnetCidrs: ['10.20.0.0/22'] },
      },
    });
    expectNamesValid(json, AZURE_NAMING_TABLE, 'existing network');
    expect(Object.values(json.resource.azurerm_firewall_policy_rule_collection_group).map((g: any) => g.name)).toEqual([`${MAX_PLATFORM_NAME}-sandbox-egress`]);
  });

  it('standby pool names fit 3..24 of [a-zA-Z0-9-] for every scale set name the spec allows (finding 1)', () => {
    // The old "<scale set>-standby": 25 characters for the reference stack, 49 at the maximum lengths.
    expect(checkName(STANDBY_POOL_NAME_RULE, 'contoso-sbx-fc-z1-standby')).toMatch(/is 25 characters; 3\.\.24 allowed/);
    for (const platform of ['ab', 'contoso-sbx', MAX_PLATFORM_NAME]) {
      for (const pool of ['a', 'fc', maxPoolName('fc')]) {
        for (const zone of ['1', '2', '3']) {
          const name = standbyPoolName(`${platform}-${pool}-z${zone}`, zone);
          expect(checkName(STANDBY_POOL_NAME_RULE, name)).toBeUndefined();
          expect(name.endsWith(`-z${zone}`)).toBe(true);
        }
      }
    }
    // Distinct per scale set even when the readable part is cut.
    const a = standbyPoolName(`${MAX_PLATFORM_NAME}-${maxPoolName('fc')}-z1`, '1');
    const b = standbyPoolName(`${MAX_PLATFORM_NAME}-${maxPoolName('fd')}-z1`, '1');
    expect(a).not.toBe(b);
    expect(a.slice(0, 11)).toBe(b.slice(0, 11));
  });

  it('knows every resource type of every Azure stack, with a source for each rule', () => {
    for (const [type, rules] of Object.entries(AZURE_NAMING_TABLE)) {
      for (const r of rules) {
        expect(`${type}.${r.attribute}: ${r.source}`).toMatch(/(azurerm v4\.55\.0|learn\.microsoft\.com|no documented limit)/);
        expect(r.minLength).toBeLessThanOrEqual(r.maxLength);
      }
    }
    // Key Vault: no consecutive hyphens (the azurerm validator would let them through to the API).
    expect(checkName(AZURE_NAMING_TABLE.azurerm_key_vault[0], 'acme--sbx-kv-0123abcd')).toMatch(/consecutive hyphens/);
  });
});
