import { CloudProvider, SandboxPlatformSpec, SpecValidationError, resolvePlatform } from '../lib/spec';
import { VENDOR_PRINCIPAL } from './azure-helpers';

/* eslint-disable @typescript-eslint/no-explicit-any */
const base = { name: 'acme', deployment: 'byoc', compliance: 'soc2', controlPlane: { principal: VENDOR_PRINCIPAL } };

function issues(overrides: Record<string, unknown>): { path: string; message: string; hint: string }[] {
  try {
    resolvePlatform({ ...base, ...overrides } as unknown as SandboxPlatformSpec, CloudProvider.AZURE);
  } catch (e) {
    if (e instanceof SpecValidationError) return e.issues.map((i) => ({ path: i.path, message: i.message, hint: i.hint }));
    throw e;
  }
  return [];
}

// Each row: what is wrong, the spec fragment, the path and the message (regex) of the one issue it must raise.
const table: [string, Record<string, unknown>, string, RegExp][] = [
  ['bare metal without a size (Azure sells none)', { sandboxPools: [{ name: 'm', virtualization: 'bare-metal' }] },
    'sandboxPools[0].virtualization', /"bare-metal" is not available on azure/],
  ['bare metal on a virtual size', { sandboxPools: [{ name: 'm', instanceType: 'Standard_D16s_v5', virtualization: 'bare-metal' }] },
    'sandboxPools[0].virtualization', /"bare-metal" needs a bare-metal type, and Standard_D16s_v5 is a virtual instance type/],
  ['an L4 GPU pool', { gpuPools: [{ name: 'g', gpu: 'l4' }] }, 'gpuPools[0].gpu', /azure does not sell "l4" GPUs/],
  ['an A10G GPU pool', { gpuPools: [{ name: 'g', gpu: 'a10g' }] }, 'gpuPools[0].gpu', /azure does not sell "a10g" GPUs/],
  ['a KATA GPU pool (no bare-metal GPU size)', { gpuPools: [{ name: 'g', gpu: 'a100-80gb', runtime: 'kata' }] },
    'gpuPools[0].runtime', /Kata needs a bare-metal "a100-80gb" type; azure has none/],
  ['a FIRECRACKER GPU pool', { gpuPools: [{ name: 'g', gpu: 'h100', runtime: 'firecracker' }] }, 'gpuPools[0].runtime', /Firecracker has no GPU passthrough/],
  ['NESTED on a GPU size', { sandboxPools: [{ name: 'm', instanceType: 'Standard_NC4as_T4_v3', virtualization: 'nested' }] },
    'sandboxPools[0].virtualization', /"nested" is not possible on Standard_NC4as_T4_v3/],
  ['a KVM runtime on a size without nested virtualization', { sandboxPools: [{ name: 'm', instanceType: 'Standard_NC4as_T4_v3' }] },
    'sandboxPools[0].instanceType', /Standard_NC4as_T4_v3 cannot give runtime "firecracker" \/dev\/kvm/],
  ['a principal that is not a GUID', { controlPlane: { principal: 'arn:aws:iam::111122223333:role/x' } },
    'controlPlane.principal', /is not an Entra object id \(GUID/],
  ['an external id', { controlPlane: { principal: VENDOR_PRINCIPAL, externalId: 'abcdefgh12' } },
    'controlPlane.externalId', /is an AWS concept and has no effect on azure/],
  ['a GPU count Azure does not sell', { gpuPools: [{ name: 'g', gpu: 'a100-80gb', gpusPerNode: 3 }] },
    'gpuPools[0].gpusPerNode', /azure sells "a100-80gb" in shapes of 1, 2, 4, 8 GPUs per node, not 3/],
  ['a fractional A10 size', { gpuPools: [{ name: 'g', gpu: 'a10', instanceType: 'Standard_NV6ads_A10_v5' }] },
    'gpuPools[0].instanceType', /"Standard_NV6ads_A10_v5" is not a known azure instance type/],
  ['an AWS size', { sandboxPools: [{ name: 'm', instanceType: 'm7i.metal-24xl' }] }, 'sandboxPools[0].instanceType', /"m7i.metal-24xl" is not a known azure instance type/],
  ['an AMI as image', { sandboxPools: [{ name: 'm', image: 'ami-0123456789abcdef0' }] }, 'sandboxPools[0].image', /is not an Azure image/],
  ['a tag name Azure forbids', { tags: { 'a<b': 'x' } }, 'tags.a<b', /is not a valid tag here/],
  ['warm nodes with spot', { sandboxPools: [{ name: 'm', warmNodes: 1, spot: true }] }, 'sandboxPools[0].warmNodes', /cannot be combined with spot on azure/],
  ['a missing control plane for BYOC', { controlPlane: undefined }, 'controlPlane', /is required for BYOC deployments/],
];

describe('Azure bad input', () => {
  it.each(table)('rejects %s', (_what, spec, path, message) => {
    const found = issues(spec);
    expect(found).toHaveLength(1);
    expect(found[0].path).toBe(path);
    expect(found[0].message).toMatch(message);
    expect(found[0].hint.length).toBeGreaterThan(0);
  });

  it('reports every problem at once', () => {
    const found = issues({
      gpuPools: [{ name: 'g', gpu: 'l4' }, { name: 'k', gpu: 't4', runtime: 'kata' }],
      controlPlane: { principal: 'not-a-guid', externalId: 'abcdefgh12' },
    });
    expect(found.map((i) => i.path).sort()).toEqual(['controlPlane.externalId', 'controlPlane.principal', 'gpuPools[0].gpu', 'gpuPools[1].runtime']);
  });

  it('accepts the nested and gVisor defaults (Standard_D16s_v5, Standard_D16as_v5)', () => {
    const plan = resolvePlatform({ ...base, sandboxPools: [{ name: 'fc' }, { name: 'gv', runtime: 'gvisor' }] } as unknown as SandboxPlatformSpec,
      CloudProvider.AZURE);
    expect(plan.pools.map((p: any) => [p.instanceType, p.virtualization])).toEqual([['Standard_D16s_v5', 'nested'], ['Standard_D16as_v5', 'none']]);
  });
});
