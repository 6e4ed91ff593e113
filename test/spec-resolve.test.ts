/**
 * resolvePlatform: defaults, presets and derived values of valid specs, with concrete numbers.
 */
import {
  CloudProvider, ComplianceProfile, ControlPlaneAccess, DEFAULT_CIDR, DEFAULT_ZONES, DeploymentModel, EgressMode, GpuModel, MANAGED_BY,
  PoolKind, ResolveOptions, ResolvedPlatform, ResolvedPool, SandboxPlatformSpec, SandboxRuntime, TAG_KEYS, Virtualization, compliancePreset,
  resolvePlatform,
} from '../lib/spec';
import { parseIpv4Cidr } from '../lib/spec/cidr';

const MINIMAL: SandboxPlatformSpec = { name: 'acme', deployment: DeploymentModel.MANAGED, compliance: ComplianceProfile.BASELINE };

function resolve(extra: Partial<SandboxPlatformSpec> = {}, options?: ResolveOptions): ResolvedPlatform {
  return resolvePlatform({ ...MINIMAL, ...extra }, CloudProvider.AWS, options);
}

function pool(plan: ResolvedPlatform, name: string): ResolvedPool {
  const p = plan.pools.find((x) => x.name === name);
  if (!p) throw new Error(`no pool ${name} in ${plan.pools.map((x) => x.name).join(', ')}`);
  return p;
}

/** [first, last] address of a CIDR as unsigned ints. */
function span(cidr: string): [number, number] {
  const c = parseIpv4Cidr(cidr);
  if (typeof c === 'string') throw new Error(c);
  return [c.network, c.network + 2 ** (32 - c.prefix) - 1];
}

function expectDisjointInside(vpc: string, subnets: readonly string[]): void {
  const [vf, vl] = span(vpc);
  const spans = subnets.map(span).sort((a, b) => a[0] - b[0]);
  for (const [f, l] of spans) {
    expect(f).toBeGreaterThanOrEqual(vf);
    expect(l).toBeLessThanOrEqual(vl);
  }
  for (let i = 1; i < spans.length; i++) expect(spans[i][0]).toBeGreaterThan(spans[i - 1][1]);
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

describe('network defaults and layout', () => {
  test('defaults: 10.64.0.0/16, 3 zones, NAT egress, no domains', () => {
    const { network } = resolve();
    expect(DEFAULT_CIDR).toBe('10.64.0.0/16');
    expect(DEFAULT_ZONES).toBe(3);
    expect(network).toMatchObject({ cidr: '10.64.0.0/16', zones: 3, egress: EgressMode.NAT, allowedDomains: [] });
  });

  test('10.64.0.0/16 over 3 zones: /18 node subnets, /21 public and firewall subnets in the last quarter', () => {
    const { subnets } = resolve().network;
    expect(subnets).toEqual({
      private: ['10.64.0.0/18', '10.64.64.0/18', '10.64.128.0/18'],
      public: ['10.64.192.0/21', '10.64.200.0/21', '10.64.208.0/21'],
      firewall: ['10.64.216.0/21', '10.64.224.0/21', '10.64.232.0/21'],
    });
    expectDisjointInside('10.64.0.0/16', [...subnets.private, ...subnets.public, ...subnets.firewall]);
  });

  test('10.64.0.0/16 over 6 zones: /19 node subnets, /23 public and firewall subnets', () => {
    const { subnets, zones } = resolve({ network: { zones: 6 } }).network;
    expect(zones).toBe(6);
    expect(subnets.private).toEqual(['10.64.0.0/19', '10.64.32.0/19', '10.64.64.0/19', '10.64.96.0/19', '10.64.128.0/19', '10.64.160.0/19']);
    expect(subnets.public).toEqual(['10.64.224.0/23', '10.64.226.0/23', '10.64.228.0/23', '10.64.230.0/23', '10.64.232.0/23', '10.64.234.0/23']);
    expect(subnets.firewall).toEqual(['10.64.236.0/23', '10.64.238.0/23', '10.64.240.0/23', '10.64.242.0/23', '10.64.244.0/23', '10.64.246.0/23']);
    expectDisjointInside('10.64.0.0/16', [...subnets.private, ...subnets.public, ...subnets.firewall]);
  });

  test('one zone: half for nodes, a quarter each for public and firewall', () => {
    expect(resolve({ network: { zones: 1 } }).network.subnets).toEqual({
      private: ['10.64.0.0/17'], public: ['10.64.128.0/18'], firewall: ['10.64.192.0/18'],
    });
  });

  test('the smallest network for 3 zones (/22) gives /24 node and /27 infra subnets', () => {
    const { subnets } = resolve({ network: { cidr: '10.20.4.0/22' } }).network;
    expect(subnets).toEqual({
      private: ['10.20.4.0/24', '10.20.5.0/24', '10.20.6.0/24'],
      public: ['10.20.7.0/27', '10.20.7.32/27', '10.20.7.64/27'],
      firewall: ['10.20.7.96/27', '10.20.7.128/27', '10.20.7.160/27'],
    });
    expectDisjointInside('10.20.4.0/22', [...subnets.private, ...subnets.public, ...subnets.firewall]);
  });

  test.each([1, 2, 3, 4, 5, 6])('%i zones in 172.16.0.0/16: one subnet of each kind per zone, disjoint, inside the VPC', (zones) => {
    const { subnets } = resolve({ network: { cidr: '172.16.0.0/16', zones } }).network;
    expect(subnets.private).toHaveLength(zones);
    expect(subnets.public).toHaveLength(zones);
    expect(subnets.firewall).toHaveLength(zones);
    expectDisjointInside('172.16.0.0/16', [...subnets.private, ...subnets.public, ...subnets.firewall]);
    // Node subnets are at least /24.
    for (const s of subnets.private) expect(Number(s.split('/')[1])).toBeLessThanOrEqual(24);
    for (const s of [...subnets.public, ...subnets.firewall]) expect(Number(s.split('/')[1])).toBeLessThanOrEqual(28);
  });

  test('allowed domains are kept in order and lowercased', () => {
    const { network } = resolve({ network: { egress: { mode: EgressMode.FIREWALL, allowedDomains: ['PyPI.org', '.github.com'] } } });
    expect(network.allowedDomains).toEqual(['pypi.org', '.github.com']);
  });

  test.each([
    ['10.0.0.0/16', false],
    ['172.16.0.0/16', false],
    ['192.168.0.0/16', false],
    ['100.64.0.0/16', false],
    ['11.0.0.0/16', true],
    ['172.32.0.0/16', true],
  ])('%s: public-range warning %s', (cidr, warned) => {
    const plan = resolve({ network: { cidr } });
    expect(plan.warnings.some((w) => w.path === 'network.cidr' && /is not a private range/.test(w.message))).toBe(warned);
  });
});

describe('NAT gateways', () => {
  test.each([
    [ComplianceProfile.BASELINE, EgressMode.NAT, 3, 1],
    [ComplianceProfile.BASELINE, EgressMode.NAT, 6, 1],
    [ComplianceProfile.SOC2, EgressMode.NAT, 3, 3],
    [ComplianceProfile.HIPAA, EgressMode.NAT, 2, 2],
    [ComplianceProfile.BASELINE, EgressMode.FIREWALL, 3, 3],
    [ComplianceProfile.BASELINE, EgressMode.FIREWALL, 5, 5],
    [ComplianceProfile.BASELINE, EgressMode.NONE, 3, 0],
    [ComplianceProfile.HIPAA, EgressMode.NONE, 3, 0],
  ])('%s with %s egress over %i zones: %i', (compliance, mode, zones, nat) => {
    const egress = mode === EgressMode.FIREWALL ? { mode, allowedDomains: ['pypi.org'] } : { mode };
    const plan = resolve({ compliance, network: { zones, egress } });
    expect(plan.network.natGateways).toBe(nat);
    expect(plan.network.egress).toBe(mode);
  });
});

describe('compliance presets', () => {
  test.each([
    [ComplianceProfile.BASELINE, 90],
    [ComplianceProfile.SOC2, 365],
    [ComplianceProfile.HIPAA, 2192],
  ])('%s: retention floor %i days is the default', (compliance, floor) => {
    const plan = resolve({ compliance });
    expect(plan.observability.logRetentionDays).toBe(floor);
    expect(plan.preset.logRetentionFloorDays).toBe(floor);
  });

  test('a raised retention is kept', () => {
    expect(resolve({ compliance: ComplianceProfile.SOC2, observability: { logRetentionDays: 731 } }).observability.logRetentionDays).toBe(731);
    expect(resolve({ compliance: ComplianceProfile.HIPAA, observability: { logRetentionDays: 3653 } }).observability.logRetentionDays).toBe(3653);
  });

  test.each([
    [ComplianceProfile.BASELINE, { preventDestroy: false, bucketAccessLogging: false, customerManagedKeysRequired: false, natPerZone: false, lockLogRetention: false }],
    [ComplianceProfile.SOC2, { preventDestroy: true, bucketAccessLogging: true, customerManagedKeysRequired: true, natPerZone: true, lockLogRetention: false }],
    [ComplianceProfile.HIPAA, { preventDestroy: true, bucketAccessLogging: true, customerManagedKeysRequired: true, natPerZone: true, lockLogRetention: true }],
  ])('%s flags', (compliance, flags) => {
    const plan = resolve({ compliance });
    expect(plan.compliance).toBe(compliance);
    expect(plan.preset).toMatchObject({ profile: compliance, ...flags, auditLogFileValidation: true, tlsMinimum: '1.2' });
    expect(plan.preset.keyRotationMaxDays).toEqual({ aws: 365, gcp: 90, azure: 365 });
  });

  test('presets are frozen: a plan cannot loosen the profile for later plans', () => {
    const plan = resolve({ compliance: ComplianceProfile.HIPAA });
    expect(Object.isFrozen(plan.preset)).toBe(true);
    expect(Object.isFrozen(plan.preset.keyRotationMaxDays)).toBe(true);
    expect(() => { (plan.preset as { preventDestroy: boolean }).preventDestroy = false; }).toThrow(TypeError);
    expect(compliancePreset(ComplianceProfile.HIPAA).preventDestroy).toBe(true);
  });

  test('observability: e-mails kept, audit trail created unless an organization trail exists', () => {
    const plan = resolve({ observability: { alertEmails: ['oncall@acme.example'] } });
    expect(plan.observability).toEqual({ alertEmails: ['oncall@acme.example'], logRetentionDays: 90, createAuditTrail: true });
    expect(resolve({ observability: { existingOrganizationTrail: true } }).observability.createAuditTrail).toBe(false);
  });
});

describe('deployment presets: control plane', () => {
  test('BYOC keeps the principal and defaults access to operate', () => {
    const plan = resolve({
      deployment: DeploymentModel.BYOC,
      controlPlane: { principal: 'arn:aws:iam::111122223333:role/cp', externalId: 'acme-external-1' },
    });
    expect(plan.controlPlane).toEqual({ principal: 'arn:aws:iam::111122223333:role/cp', externalId: 'acme-external-1', access: ControlPlaneAccess.OPERATE });
  });

  test('BYOC read-only access is kept', () => {
    const plan = resolve({
      deployment: DeploymentModel.BYOC,
      controlPlane: { principal: '111122223333', externalId: 'acme-external-1', access: ControlPlaneAccess.READ_ONLY },
    });
    expect(plan.controlPlane?.access).toBe(ControlPlaneAccess.READ_ONLY);
  });

  test('managed has no control plane', () => {
    expect(resolve().controlPlane).toBeUndefined();
  });
});

describe('sandbox pool defaults on AWS', () => {
  test('Firecracker by default: bare metal on m7i.metal-24xl, 1..10 nodes', () => {
    const p = pool(resolve({ sandboxPools: [{ name: 'fc' }] }), 'fc');
    expect(p).toMatchObject({
      kind: PoolKind.SANDBOX, runtime: SandboxRuntime.FIRECRACKER, virtualization: Virtualization.BARE_METAL,
      instanceType: 'm7i.metal-24xl', kvmRequired: true, nestedVirtualization: false,
      minNodes: 1, maxNodes: 10, warmNodes: 0, spot: false, rootVolumeGiB: 100, hugepagesMiB: 0, localNvme: false,
      bootstrapCommands: [],
    });
    expect(p.shape?.name).toBe('m7i.metal-24xl');
    expect(p.capacityPlan).toBeUndefined();
    expect(p.gpu).toBeUndefined();
  });

  test('Kata by default: bare metal too', () => {
    expect(pool(resolve({ sandboxPools: [{ name: 'k', runtime: SandboxRuntime.KATA }] }), 'k'))
      .toMatchObject({ virtualization: Virtualization.BARE_METAL, instanceType: 'm7i.metal-24xl', kvmRequired: true });
  });

  test('gVisor by default: no virtualization on m7i.4xlarge', () => {
    expect(pool(resolve({ sandboxPools: [{ name: 'gv', runtime: SandboxRuntime.GVISOR }] }), 'gv'))
      .toMatchObject({ virtualization: Virtualization.NONE, instanceType: 'm7i.4xlarge', kvmRequired: false, nestedVirtualization: false });
  });

  test('an m8i type gives nested virtualization', () => {
    expect(pool(resolve({ sandboxPools: [{ name: 'n', instanceType: 'm8i.2xlarge' }] }), 'n'))
      .toMatchObject({ virtualization: Virtualization.NESTED, nestedVirtualization: true, instanceType: 'm8i.2xlarge', kvmRequired: true });
  });

  test('virtualization nested without a type picks m8i.4xlarge', () => {
    expect(pool(resolve({ sandboxPools: [{ name: 'n', virtualization: Virtualization.NESTED }] }), 'n'))
      .toMatchObject({ virtualization: Virtualization.NESTED, instanceType: 'm8i.4xlarge', nestedVirtualization: true });
  });

  test('a metal type with instance store gives bare metal and local NVMe', () => {
    expect(pool(resolve({ sandboxPools: [{ name: 'm', instanceType: 'c6id.metal' }] }), 'm'))
      .toMatchObject({ virtualization: Virtualization.BARE_METAL, localNvme: true });
  });

  test('gVisor on a nested-capable type does not switch nested virtualization on', () => {
    expect(pool(resolve({ sandboxPools: [{ name: 'g', runtime: SandboxRuntime.GVISOR, instanceType: 'm8i.large' }] }), 'g'))
      .toMatchObject({ virtualization: Virtualization.NONE, nestedVirtualization: false });
  });

  test('min/max: only max given keeps min 1; only min above 10 raises max to it', () => {
    expect(pool(resolve({ sandboxPools: [{ name: 'a', maxNodes: 4 }] }), 'a')).toMatchObject({ minNodes: 1, maxNodes: 4 });
    expect(pool(resolve({ sandboxPools: [{ name: 'a', minNodes: 12 }] }), 'a')).toMatchObject({ minNodes: 12, maxNodes: 12 });
    expect(pool(resolve({ sandboxPools: [{ name: 'a', minNodes: 0, maxNodes: 3 }] }), 'a')).toMatchObject({ minNodes: 0, maxNodes: 3 });
  });

  test('explicit settings are carried through', () => {
    const p = pool(resolve({
      sandboxPools: [{
        name: 'x', warmNodes: 2, maxNodes: 5, rootVolumeGiB: 250, hugepagesMiB: 4096,
        image: 'ami-0123456789abcdef0', bootstrapCommands: ['echo hi'],
      }],
    }), 'x');
    expect(p).toMatchObject({ warmNodes: 2, maxNodes: 5, rootVolumeGiB: 250, hugepagesMiB: 4096, image: 'ami-0123456789abcdef0', bootstrapCommands: ['echo hi'] });
  });

  test('capacity sizes the pool and keeps the plan', () => {
    const p = pool(resolve({
      sandboxPools: [{ name: 'c', capacity: { concurrentSandboxes: 2000, vcpusPerSandbox: 2, memoryMiBPerSandbox: 2048, cpuOvercommit: 4, memoryOvercommit: 1.5 } }],
    }), 'c');
    // m7i.metal-24xl: (96 - 5) x 4 / 2 = 182 by CPU; (393216 - 21709) x 1.5 / 2048 = 272 by memory.
    expect(p.capacityPlan).toMatchObject({ sandboxesPerNode: 182, limitedBy: 'cpu', maxNodes: 11, minNodes: 3 });
    expect(p).toMatchObject({ minNodes: 3, maxNodes: 11 });
  });
});

describe('GPU pool defaults on AWS', () => {
  const gpuPool = (spec: Record<string, unknown>) => pool(resolve({ gpuPools: [{ name: 'g', ...spec } as never] }), 'g');

  test('T4: gVisor on the smallest shape, 0..4 nodes, 200 GiB root', () => {
    expect(gpuPool({ gpu: GpuModel.T4 })).toMatchObject({
      kind: PoolKind.GPU, runtime: SandboxRuntime.GVISOR, virtualization: Virtualization.NONE, instanceType: 'g4dn.xlarge',
      gpu: { model: GpuModel.T4, count: 1 }, kvmRequired: false, nestedVirtualization: false,
      minNodes: 0, maxNodes: 4, warmNodes: 0, rootVolumeGiB: 200, localNvme: true,
    });
  });

  test.each([
    [GpuModel.T4, undefined, 'g4dn.xlarge', 1],
    [GpuModel.T4, 4, 'g4dn.12xlarge', 4],
    [GpuModel.T4, 8, 'g4dn.metal', 8],
    [GpuModel.L4, undefined, 'g6.xlarge', 1],
    [GpuModel.L4, 8, 'g6.48xlarge', 8],
    [GpuModel.A10G, undefined, 'g5.xlarge', 1],
    [GpuModel.A100_40GB, undefined, 'p4d.24xlarge', 8],
    [GpuModel.A100_80GB, undefined, 'p4de.24xlarge', 8],
    [GpuModel.H100, undefined, 'p5.4xlarge', 1],
    [GpuModel.H100, 8, 'p5.48xlarge', 8],
    [GpuModel.H200, undefined, 'p5e.48xlarge', 8],
  ])('%s x %s -> %s', (gpu, gpusPerNode, type, count) => {
    expect(gpuPool({ gpu, gpusPerNode })).toMatchObject({ instanceType: type, gpu: { model: gpu, count } });
  });

  test('T4 with Kata defaults to the bare-metal g4dn.metal (8 GPUs)', () => {
    expect(gpuPool({ gpu: GpuModel.T4, runtime: SandboxRuntime.KATA })).toMatchObject({
      instanceType: 'g4dn.metal', virtualization: Virtualization.BARE_METAL, kvmRequired: true, gpu: { model: GpuModel.T4, count: 8 },
    });
  });

  test('an explicit GPU instance type sets the count', () => {
    expect(gpuPool({ gpu: GpuModel.A10G, instanceType: 'g5.12xlarge' })).toMatchObject({ instanceType: 'g5.12xlarge', gpu: { count: 4 } });
  });
});

describe('tags', () => {
  test('platform tags: user tags (sorted) then the managed ones', () => {
    const plan = resolve({ compliance: ComplianceProfile.SOC2, tags: { team: 'ai', 'cost-center': '42' } });
    expect(plan.tags).toEqual({
      'cost-center': '42', team: 'ai',
      [TAG_KEYS.platform]: 'acme', [TAG_KEYS.compliance]: 'soc2', [TAG_KEYS.deployment]: 'managed', [TAG_KEYS.managedBy]: MANAGED_BY,
    });
    expect(Object.keys(plan.tags)).toEqual(['cost-center', 'team', 'sandbox-platform', 'compliance-profile', 'deployment-model', 'managed-by']);
    expect(MANAGED_BY).toBe('cdktf-sandbox-byoc');
  });

  test('pool tags add the pool name', () => {
    const plan = resolve({ sandboxPools: [{ name: 'fc' }], gpuPools: [{ name: 'gpu', gpu: GpuModel.T4 }], tags: { team: 'ai' } });
    expect(pool(plan, 'fc').tags).toEqual({ ...plan.tags, 'sandbox-pool': 'fc' });
    expect(pool(plan, 'gpu').tags).toEqual({ ...plan.tags, 'sandbox-pool': 'gpu' });
    expect(plan.tags['sandbox-pool']).toBeUndefined();
  });
});

describe('warnings', () => {
  test('a GPU model not known in the region is a warning, not an error', () => {
    const plan = resolve({ gpuPools: [{ name: 'g', gpu: GpuModel.H200 }] }, { region: 'eu-north-1' });
    expect(pool(plan, 'g').instanceType).toBe('p5e.48xlarge');
    expect(plan.warnings).toEqual([{ path: 'gpuPools[0].gpu', message: expect.stringMatching(/"h200" is not known to be offered in eu-north-1 \(known: us-east-1, us-east-2, us-west-2\)/) }]);
  });

  test('no region warning in a known region, or for models without a region list, or without a region', () => {
    expect(resolve({ gpuPools: [{ name: 'g', gpu: GpuModel.H200 }] }, { region: 'us-east-1' }).warnings).toEqual([]);
    expect(resolve({ gpuPools: [{ name: 'g', gpu: GpuModel.T4 }] }, { region: 'eu-north-1' }).warnings).toEqual([]);
    expect(resolve({ gpuPools: [{ name: 'g', gpu: GpuModel.H200 }] }).warnings).toEqual([]);
  });

  test('a platform without pools is valid, with a warning', () => {
    const plan = resolve();
    expect(plan.pools).toEqual([]);
    expect(plan.warnings).toEqual([{ path: 'sandboxPools', message: expect.stringMatching(/no pools/) }]);
  });
});

describe('determinism and purity', () => {
  const spec: SandboxPlatformSpec = {
    name: 'acme', deployment: DeploymentModel.BYOC, compliance: ComplianceProfile.HIPAA,
    network: { cidr: '10.64.0.0/16', zones: 3, egress: { mode: EgressMode.FIREWALL, allowedDomains: ['pypi.org', '.github.com'] } },
    sandboxPools: [
      { name: 'metal', instanceType: 'm7i.metal-24xl', capacity: { concurrentSandboxes: 500, vcpusPerSandbox: 1, memoryMiBPerSandbox: 1024 } },
      { name: 'nested', runtime: SandboxRuntime.KATA, instanceType: 'm8i.4xlarge', spot: true },
    ],
    gpuPools: [{ name: 'l4', gpu: GpuModel.L4 }, { name: 'h100', gpu: GpuModel.H100, gpusPerNode: 8 }],
    controlPlane: { principal: '111122223333', externalId: 'acme-external-1' },
    observability: { alertEmails: ['oncall@acme.example'] },
    tags: { z: '1', a: '2' },
  };

  test('resolving twice gives deep-equal, byte-identical plans', () => {
    const a = resolvePlatform(spec, CloudProvider.AWS, { region: 'us-east-1' });
    const b = resolvePlatform(spec, CloudProvider.AWS, { region: 'us-east-1' });
    expect(a).toEqual(b);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a.pools.map((p) => p.name)).toEqual(['metal', 'nested', 'l4', 'h100']);
  });

  test('the spec is not modified (a deep-frozen spec resolves)', () => {
    const frozen = deepFreeze(JSON.parse(JSON.stringify(spec)) as SandboxPlatformSpec);
    expect(() => resolvePlatform(frozen, CloudProvider.AWS)).not.toThrow();
    expect(frozen).toEqual(JSON.parse(JSON.stringify(spec)));
  });
});

describe('GCP attached accelerators (N1 + T4)', () => {
  const spec = (pool: Record<string, unknown>) => ({ name: 'acme', deployment: 'managed', compliance: 'baseline', gpuPools: [{ name: 'g', gpu: 't4', ...pool }] });

  test('an N1 type carries the T4 count asked for', () => {
    const pool = resolvePlatform(spec({ instanceType: 'n1-standard-16', gpusPerNode: 2 }) as never, CloudProvider.GCP).pools[0];
    expect(pool.instanceType).toBe('n1-standard-16');
    expect(pool.gpu).toEqual({ model: 't4', count: 2 });
    expect(pool.shape?.vcpus).toBe(16);
  });

  test('without instanceType the smallest T4 shape is an N1 type', () => {
    const pool = resolvePlatform(spec({}) as never, CloudProvider.GCP).pools[0];
    expect(pool.instanceType).toMatch(/^n1-/);
    expect(pool.gpu?.count).toBe(1);
  });

  test('a non-N1 type cannot carry a T4', () => {
    expect(() => resolvePlatform(spec({ instanceType: 'n2-standard-16' }) as never, CloudProvider.GCP)).toThrow(/gpuPools\[0\]\.instanceType: n2-standard-16 does not carry "t4" GPUs/);
  });
});
