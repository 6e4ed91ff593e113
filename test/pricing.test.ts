/**
 * estimatePlatformCost: hand-checked arithmetic, unknown prices never counted as 0, spot notes,
 * fixed platform lines, and the reference specs' estimates in their own regions.
 */
import { readdirSync } from 'fs';
import { join } from 'path';
import {
  CloudProvider, ComplianceProfile, DeploymentModel, EgressMode, GpuModel, HOURS_PER_MONTH, PlatformCostEstimate, ResolvedPlatform,
  SPOT_NOTE, SandboxPlatformSpec, SandboxRuntime, Virtualization, estimatePlatformCost, loadSpecFile, resolvePlatform,
} from '../lib/spec';

const BASE: SandboxPlatformSpec = { name: 'acme', deployment: DeploymentModel.MANAGED, compliance: ComplianceProfile.BASELINE };

function plan(cloud: CloudProvider, extra: Partial<SandboxPlatformSpec>): ResolvedPlatform {
  return resolvePlatform({ ...BASE, ...extra }, cloud);
}

function poolOf(e: PlatformCostEstimate, name: string) {
  const p = e.pools.find((x) => x.pool === name);
  if (!p) throw new Error(`no pool ${name}`);
  return p;
}

/** Every number anywhere in an estimate, to check that none is a stand-in 0 for an unknown. */
function expectNoZeroForUnknown(e: PlatformCostEstimate): void {
  for (const p of e.pools.filter((x) => !x.known)) {
    expect(p.hourlyPerNode).toBeUndefined();
    expect(p.hourly).toEqual({});
    expect(p.monthly).toEqual({});
  }
  for (const f of e.fixed.filter((x) => !x.known)) {
    expect(f.hourly).toEqual({});
    expect(f.monthly).toEqual({});
  }
}

describe('pool arithmetic (hand-checked)', () => {
  test('AWS m7i.4xlarge in us-east-1: 0.8064/h; 2..5 nodes', () => {
    const e = estimatePlatformCost(plan(CloudProvider.AWS, {
      sandboxPools: [{ name: 'gv', runtime: SandboxRuntime.GVISOR, instanceType: 'm7i.4xlarge', minNodes: 2, maxNodes: 5 }],
    }), 'us-east-1');
    const p = poolOf(e, 'gv');
    expect(p.hourlyPerNode).toBe(0.8064);
    expect(p.hourly).toEqual({ min: 1.6128, max: 4.032 });
    // 1.6128 x 730 = 1177.344; 4.032 x 730 = 2943.36
    expect(p.monthly).toEqual({ min: 1177.344, max: 2943.36 });
    expect(p.source).toContain('karpenter-provider-aws');
    expect(p.priceDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(e.totalHourly).toEqual({ min: 1.6128, max: 4.032 });
    expect(e.totalMonthly).toEqual({ min: 1177.344, max: 2943.36 });
    expect(e.complete).toBe(true);
    expect(e.hoursPerMonth).toBe(730);
    expect(HOURS_PER_MONTH).toBe(730);
    expect(e.currency).toBe('USD');
  });

  test('GCP n2-standard-16 in us-central1 from N2 rates: 16 x 0.031611 + 64 x 0.004237 = 0.776944', () => {
    const e = estimatePlatformCost(plan(CloudProvider.GCP, {
      sandboxPools: [{ name: 'gv', runtime: SandboxRuntime.GVISOR, instanceType: 'n2-standard-16', minNodes: 1, maxNodes: 3 }],
    }), 'us-central1');
    const p = poolOf(e, 'gv');
    expect(p.hourlyPerNode).toBe(0.776944);
    expect(p.hourly).toEqual({ min: 0.776944, max: 2.330832 });
    expect(p.monthly).toEqual({ min: 567.16912, max: 1701.50736 });
    expect(p.notes.join(' ')).toContain('16 vCPU x 0.031611 + 64 GiB x 0.004237');
  });

  test('GCP N1 + T4 adds the accelerator per GPU: 8 x 0.031611 + 30 x 0.004237 + 1 x 0.35 = 0.729998', () => {
    const e = estimatePlatformCost(plan(CloudProvider.GCP, {
      gpuPools: [{ name: 't4', gpu: GpuModel.T4, gpusPerNode: 1, minNodes: 0, maxNodes: 2 }],
    }), 'us-central1');
    const p = poolOf(e, 't4');
    expect(p.instanceType).toBe('n1-standard-8');
    expect(p.hourlyPerNode).toBe(0.729998);
    expect(p.hourly).toEqual({ min: 0, max: 1.459996 });
    expect(p.notes.join(' ')).toContain('nvidia-tesla-t4');
  });

  test('GCP A2 uses the published per-machine-type price (GPU included), not series rates', () => {
    const e = estimatePlatformCost(plan(CloudProvider.GCP, {
      gpuPools: [{ name: 'a100', gpu: GpuModel.A100_40GB, gpusPerNode: 1, maxNodes: 1 }],
    }), 'us-central1');
    const p = poolOf(e, 'a100');
    expect(p.instanceType).toBe('a2-highgpu-1g');
    expect(p.hourlyPerNode).toBe(3.673385);
  });

  test('GCP G2 is its vCPU + memory row plus its L4 row: g2-standard-4 in us-central1 = 0.14679 + 0.56004', () => {
    const e = estimatePlatformCost(plan(CloudProvider.GCP, {
      gpuPools: [{ name: 'l4', gpu: GpuModel.L4, gpusPerNode: 1, maxNodes: 3 }],
    }), 'us-central1');
    const p = poolOf(e, 'l4');
    expect(p.instanceType).toBe('g2-standard-4');
    expect(p.hourlyPerNode).toBe(0.70683);
    expect(p.hourly).toEqual({ min: 0, max: 2.12049 });
    expect(p.source).toContain('skypilot-catalog');
  });

  test('GCP europe-west4 uses per-type rows (no series rates there): n2-standard-16 = 0.85533; n2-standard-8 is unknown', () => {
    const e = estimatePlatformCost(plan(CloudProvider.GCP, {
      sandboxPools: [
        { name: 'a', runtime: SandboxRuntime.GVISOR, instanceType: 'n2-standard-16', minNodes: 1, maxNodes: 1 },
        { name: 'b', runtime: SandboxRuntime.GVISOR, instanceType: 'n2-standard-8', minNodes: 1, maxNodes: 1 },
      ],
    }), 'europe-west4');
    expect(poolOf(e, 'a').hourlyPerNode).toBe(0.85533);
    expect(poolOf(e, 'b').notes[0]).toBe('price unknown: n2-standard-8: the table has neither a per-type price nor N2 vCPU/memory rates for europe-west4');
  });

  test('Azure Standard_D16s_v5 in eastus: 0.768/h, 0 and 4 nodes', () => {
    const e = estimatePlatformCost(plan(CloudProvider.AZURE, {
      sandboxPools: [{ name: 'k', runtime: SandboxRuntime.KATA, virtualization: Virtualization.NESTED, instanceType: 'Standard_D16s_v5', minNodes: 0, maxNodes: 4 }],
    }), 'eastus');
    const p = poolOf(e, 'k');
    expect(p.hourly).toEqual({ min: 0, max: 3.072 });
    expect(p.monthly).toEqual({ min: 0, max: 2242.56 });
    // Azure region names are case-insensitive; the display name works too.
    const display = estimatePlatformCost(plan(CloudProvider.AZURE, {
      sandboxPools: [{ name: 'k', runtime: SandboxRuntime.KATA, virtualization: Virtualization.NESTED, instanceType: 'Standard_D16s_v5', minNodes: 0, maxNodes: 4 }],
    }), 'East US');
    expect(poolOf(display, 'k').hourlyPerNode).toBe(0.768);
  });
});

test('a row whose sources disagree carries the caveat into the pool notes', () => {
  const e = estimatePlatformCost(plan(CloudProvider.AWS, {
    sandboxPools: [{ name: 'metal', runtime: SandboxRuntime.FIRECRACKER, instanceType: 'm7i.metal-24xl', minNodes: 1, maxNodes: 1 }],
  }), 'us-west-2');
  const p = poolOf(e, 'metal');
  expect(p.hourlyPerNode).toBe(4.8384);
  expect(p.notes.join(' ')).toContain('sources disagree on this size');
  // us-east-1 uses the newer source and has no caveat.
  const east = poolOf(estimatePlatformCost(plan(CloudProvider.AWS, {
    sandboxPools: [{ name: 'metal', runtime: SandboxRuntime.FIRECRACKER, instanceType: 'm7i.metal-24xl', minNodes: 1, maxNodes: 1 }],
  }), 'us-east-1'), 'metal');
  expect(east.hourlyPerNode).toBe(5.32224);
  expect(east.notes).toEqual([]);
});

describe('unknown prices are unknown, never 0', () => {
  test('a region with no table: bounds undefined, totals undefined, incomplete, the reason names the region', () => {
    const e = estimatePlatformCost(plan(CloudProvider.AWS, {
      sandboxPools: [
        { name: 'gv', runtime: SandboxRuntime.GVISOR, instanceType: 'm7i.4xlarge', minNodes: 1, maxNodes: 2 },
      ],
    }), 'ap-south-1');
    const p = poolOf(e, 'gv');
    expect(p.known).toBe(false);
    expect(p.hourlyPerNode).toBeUndefined();
    expect(p.hourly).toEqual({});
    expect(p.monthly).toEqual({});
    expect(p.source).toBeUndefined();
    expect(p.notes[0]).toMatch(/^price unknown: no AWS prices for region ap-south-1 in the table \(regions priced: us-east-1, /);
    expect(e.complete).toBe(false);
    expect(e.totalHourly).toEqual({});
    expect(e.totalMonthly).toEqual({});
    expect(e.disclaimer).toContain('Incomplete');
    expect(e.unknown[0]).toContain('pool gv (m7i.4xlarge)');
    expectNoZeroForUnknown(e);
  });

  test('one unknown pool among known ones leaves the known pool priced and the totals undefined', () => {
    const e = estimatePlatformCost(plan(CloudProvider.AWS, {
      sandboxPools: [
        { name: 'gv', runtime: SandboxRuntime.GVISOR, instanceType: 'm7i.4xlarge', minNodes: 1, maxNodes: 2 },
        { name: 'nested', runtime: SandboxRuntime.KATA, virtualization: Virtualization.NESTED, instanceType: 'c8i.4xlarge', minNodes: 0, maxNodes: 2 },
      ],
    }), 'us-west-2');
    expect(poolOf(e, 'gv').hourly).toEqual({ min: 0.8064, max: 1.6128 });
    const nested = poolOf(e, 'nested');
    expect(nested.known).toBe(false);
    expect(nested.notes[0]).toBe('price unknown: c8i.4xlarge has no AWS price for us-west-2 in the table (not read from a source for that region)');
    expect(e.totalHourly.min).toBeUndefined();
    expect(e.totalHourly.max).toBeUndefined();
    expect(e.complete).toBe(false);
    expectNoZeroForUnknown(e);
  });

  test('GCP types priced per machine type are unknown without a per-type row, even though G2 series rates exist', () => {
    // g2-standard-8 (1 L4): its SkyPilot rows were not read, so it has no per-type price.
    const e = estimatePlatformCost(plan(CloudProvider.GCP, {
      gpuPools: [{ name: 'l4', gpu: GpuModel.L4, gpusPerNode: 1, instanceType: 'g2-standard-8', maxNodes: 2 }],
    }), 'us-central1');
    const p = poolOf(e, 'l4');
    expect(p.known).toBe(false);
    expect(p.notes[0]).toContain('priced per machine type');
    expectNoZeroForUnknown(e);
  });

  test('GCP bare-metal and bundled-Local-SSD types are not priced from series rates', () => {
    const e = estimatePlatformCost(plan(CloudProvider.GCP, {
      sandboxPools: [
        { name: 'metal', runtime: SandboxRuntime.FIRECRACKER, instanceType: 'c3-standard-192-metal', minNodes: 1, maxNodes: 1 },
        { name: 'lssd', runtime: SandboxRuntime.GVISOR, instanceType: 'c3-standard-8-lssd', minNodes: 1, maxNodes: 1 },
      ],
    }), 'us-central1');
    expect(poolOf(e, 'metal').notes[0]).toContain('bare-metal machine type');
    expect(poolOf(e, 'lssd').notes[0]).toContain('bundles Local SSD');
    expect(e.complete).toBe(false);
    expectNoZeroForUnknown(e);
  });
});

test('a spot pool is priced at on-demand with a note saying it is an upper bound', () => {
  const e = estimatePlatformCost(plan(CloudProvider.AWS, {
    sandboxPools: [
      { name: 'spot', runtime: SandboxRuntime.GVISOR, instanceType: 'm7i.4xlarge', minNodes: 0, maxNodes: 3, spot: true },
      { name: 'od', runtime: SandboxRuntime.GVISOR, instanceType: 'm7i.4xlarge', minNodes: 0, maxNodes: 3 },
    ],
  }), 'us-east-1');
  const spot = poolOf(e, 'spot');
  expect(spot.spot).toBe(true);
  expect(spot.hourlyPerNode).toBe(0.8064);
  expect(spot.notes).toContain(SPOT_NOTE);
  expect(SPOT_NOTE).toContain('upper bound');
  expect(poolOf(e, 'od').notes).not.toContain(SPOT_NOTE);
});

describe('fixed platform lines', () => {
  test('AWS NAT egress: one labelled NAT line per gateway at 0.045/h in us-east-1, outside the pool totals', () => {
    const p = plan(CloudProvider.AWS, {
      network: { egress: { mode: EgressMode.NAT } },
      sandboxPools: [{ name: 'gv', runtime: SandboxRuntime.GVISOR, instanceType: 'm7i.4xlarge', minNodes: 1, maxNodes: 1 }],
    });
    const e = estimatePlatformCost(p, 'us-east-1');
    expect(e.fixed).toHaveLength(1);
    const nat = e.fixed[0];
    expect(nat.item).toBe('NAT gateway');
    expect(nat.quantity).toBe(p.network.natGateways);
    expect(nat.unitHourly).toBe(0.045);
    expect(nat.hourly).toEqual({ min: 0.045 * p.network.natGateways, max: 0.045 * p.network.natGateways });
    expect(nat.source).toMatch(/^Amazon VPC pricing, NAT gateway/);
    expect(e.totalHourly).toEqual({ min: 0.8064, max: 0.8064 });
    expect(e.platformHourly.min).toBeCloseTo(0.8064 + 0.045 * p.network.natGateways, 6);
    expect(e.platformComplete).toBe(true);
  });

  test('AWS FIREWALL egress adds one Network Firewall endpoint per zone, unpriced, so the platform total is incomplete', () => {
    const p = plan(CloudProvider.AWS, {
      network: { zones: 2, egress: { mode: EgressMode.FIREWALL, allowedDomains: ['pypi.org'] } },
      sandboxPools: [{ name: 'gv', runtime: SandboxRuntime.GVISOR, instanceType: 'm7i.4xlarge', minNodes: 1, maxNodes: 1 }],
    });
    const e = estimatePlatformCost(p, 'us-east-1');
    const fw = e.fixed.find((f) => f.item.startsWith('AWS Network Firewall endpoint'));
    expect(fw?.quantity).toBe(2);
    expect(fw?.unitHourly).toBeUndefined();
    expect(e.complete).toBe(true);
    expect(e.platformComplete).toBe(false);
    expect(e.platformHourly).toEqual({});
    expect(e.unknown).toEqual([expect.stringContaining('AWS Network Firewall endpoint (one per zone) x 2: hourly price unknown')]);
    expectNoZeroForUnknown(e);
  });

  test('NONE egress has no NAT or firewall line on any cloud', () => {
    for (const cloud of [CloudProvider.AWS, CloudProvider.GCP, CloudProvider.AZURE]) {
      const e = estimatePlatformCost(plan(cloud, { network: { egress: { mode: EgressMode.NONE } } }), 'us-east-1');
      expect(e.fixed).toEqual([]);
    }
  });

  test('GCP Cloud NAT: 0.0014 per node-hour at min nodes, capped at 0.044 per hour at max nodes', () => {
    const e = estimatePlatformCost(plan(CloudProvider.GCP, {
      network: { egress: { mode: EgressMode.NAT } },
      sandboxPools: [{ name: 'gv', runtime: SandboxRuntime.GVISOR, instanceType: 'n2-standard-16', minNodes: 2, maxNodes: 40 }],
    }), 'us-central1');
    expect(e.fixed).toHaveLength(1);
    const nat = e.fixed[0];
    expect(nat.item).toMatch(/^Cloud NAT gateway/);
    expect(nat.known).toBe(true);
    expect(nat.hourly).toEqual({ min: 0.0028, max: 0.044 });
    expect(nat.monthly).toEqual({ min: 2.044, max: 32.12 });
    expect(nat.source).toContain('cloud.google.com/nat/pricing');
    expect(e.platformComplete).toBe(true);
    expect(e.platformHourly.max).toBeCloseTo(40 * 0.776944 + 0.044, 6);
  });

  test('GCP FIREWALL egress: Cloud NGFW Standard has no hourly line and is named among the exclusions', () => {
    const e = estimatePlatformCost(plan(CloudProvider.GCP, {
      network: { egress: { mode: EgressMode.FIREWALL, allowedDomains: ['pypi.org'] } },
    }), 'us-central1');
    expect(e.fixed.map((f) => f.item)).toEqual(['Cloud NAT gateway (one per region, priced per node using it)']);
    expect(e.excluded.join(' ')).toContain('Cloud NGFW Standard');
  });

  test('Azure FIREWALL egress lists the firewall and no NAT gateway (the firewall SNATs)', () => {
    const e = estimatePlatformCost(plan(CloudProvider.AZURE, {
      network: { egress: { mode: EgressMode.FIREWALL, allowedDomains: ['pypi.org'] } },
    }), 'eastus');
    expect(e.fixed.map((f) => f.item)).toEqual(['Azure Firewall (Standard tier, one deployment)']);
  });
});

test('the estimate says what it excludes', () => {
  const e = estimatePlatformCost(plan(CloudProvider.AWS, {}), 'us-east-1');
  expect(e.disclaimer).toMatch(/^Estimate only/);
  const excluded = e.excluded.join(' ');
  for (const word of ['storage', 'data transfer', 'logs', 'KMS']) expect(excluded).toContain(word);
});

describe('reference specs in their own regions', () => {
  const dir = join(__dirname, '..', 'stacks', 'specs');
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

  test('every reference spec is one this test knows about (add new ones to EXPECTED_UNKNOWN_POOLS below)', () => {
    expect(files).toEqual(Object.keys(EXPECTED_UNKNOWN_POOLS).sort());
  });

  /** Pools whose price is unknown in the reference region, and why. Everything else must be priced. */
  const EXPECTED_UNKNOWN_POOLS: Record<string, string[]> = {
    'aws-byoc-hipaa.json': [],
    'aws-eks-byoc-hipaa.json': [],
    'aws-managed-baseline.json': [],
    'azure-aks-byoc-hipaa.json': [],
    'azure-byoc-hipaa.json': [],
    'gcp-byoc-soc2.json': [],
    'gcp-gke-byoc-soc2.json': [],
  };

  test.each(files)('%s: every pool priced except the named ones; bounds ordered; no zero for an unknown', (file) => {
    const spec = loadSpecFile(join(dir, file));
    const e = estimatePlatformCost(spec.resolved, spec.target.region);
    expect(e.region).toBe(spec.target.region);
    expect(e.pools.filter((p) => !p.known).map((p) => p.pool)).toEqual(EXPECTED_UNKNOWN_POOLS[file]);
    expect(e.complete).toBe(EXPECTED_UNKNOWN_POOLS[file].length === 0);
    for (const p of e.pools.filter((x) => x.known)) {
      expect(p.hourlyPerNode).toBeGreaterThan(0);
      expect(p.hourly.min).toBeLessThanOrEqual(p.hourly.max as number);
      expect(p.monthly.max).toBeCloseTo((p.hourly.max as number) * 730, 4);
      expect(p.source).toBeTruthy();
      expect(p.priceDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    if (e.complete) expect((e.totalMonthly.max as number)).toBeGreaterThan(0);
    expectNoZeroForUnknown(e);
  });

  test('aws-byoc-hipaa in us-east-1, by hand: 3..11 x 5.32224 + 0..20 x 0.84672 + 0..8 x 0.8048', () => {
    const spec = loadSpecFile(join(dir, 'aws-byoc-hipaa.json'));
    const e = estimatePlatformCost(spec.resolved, 'us-east-1');
    expect(e.totalHourly.min).toBeCloseTo(3 * 5.32224, 6);
    expect(e.totalHourly.max).toBeCloseTo(11 * 5.32224 + 20 * 0.84672 + 8 * 0.8048, 6);
    expect(poolOf(e, 'nested').notes).toContain(SPOT_NOTE);
  });
});
