/**
 * Capacity planning arithmetic on concrete catalog shapes. Every expected number is worked out
 * by hand in the comment next to it.
 */
import {
  AWS_CATALOG, CapacityLimit, CapacityPlan, CapacitySpec, CloudProvider, ComplianceProfile, DeploymentModel, InstanceShape, hostReserve, planCapacity,
  resolvePlatform,
} from '../lib/spec';
import { DEFAULT_MIN_FRACTION } from '../lib/spec/capacity';

function shape(name: string): InstanceShape {
  const s = AWS_CATALOG.shape(name);
  if (!s) throw new Error(`no ${name} in the AWS catalog`);
  return s;
}

function plan(capacity: CapacitySpec, type: string, minNodes?: number): CapacityPlan {
  const p = planCapacity(capacity, shape(type), minNodes);
  if (typeof p === 'string') throw new Error(p);
  return p;
}

describe('hostReserve', () => {
  test.each([
    // 1 + ceil((96 - 1) x 0.04 = 3.8) = 5 vCPU; 2048 + ceil(393216 x 0.05 = 19660.8) = 21709 MiB
    ['m7i.metal-24xl', 5, 21709],
    // 1 + ceil(15 x 0.04 = 0.6) = 2; 2048 + ceil(65536 x 0.05 = 3276.8) = 5325
    ['m8i.4xlarge', 2, 5325],
    // 1 + ceil(0.04) = 2; 2048 + ceil(8192 x 0.05 = 409.6) = 2458
    ['m7i.large', 2, 2458],
    // 1 + ceil(0) = 1; 2048 + ceil(4096 x 0.05 = 204.8) = 2253
    ['m7g.medium', 1, 2253],
    // 1 + ceil(35 x 0.04 = 1.4) = 3; 2048 + ceil(73728 x 0.05 = 3686.4) = 5735
    ['c5.9xlarge', 3, 5735],
    // 1 + ceil(191 x 0.04 = 7.64) = 9; 2048 + ceil(2097152 x 0.05 = 104857.6) = 106906
    ['p5.48xlarge', 9, 106906],
  ])('%s reserves %i vCPU and %i MiB', (type, vcpus, memoryMiB) => {
    expect(hostReserve(shape(type))).toEqual({ vcpus, memoryMiB });
  });
});

describe('planCapacity', () => {
  // m8i.4xlarge: 16 vCPU - 2 = 14 usable; 65536 MiB - 5325 = 60211 MiB usable.
  const base: CapacitySpec = { concurrentSandboxes: 100, vcpusPerSandbox: 1, memoryMiBPerSandbox: 2048 };

  test('CPU-bound: 14 per node, ceil(100 / 14) = 8 nodes, min ceil(8 x 0.25) = 2', () => {
    expect(plan(base, 'm8i.4xlarge')).toEqual({
      concurrentSandboxes: 100,
      nodeVcpus: 16,
      nodeMemoryMiB: 65536,
      reservedVcpus: 2,
      reservedMemoryMiB: 5325,
      cpuOvercommit: 1,
      memoryOvercommit: 1,
      sandboxesPerNodeByCpu: 14,
      sandboxesPerNodeByMemory: 29, // floor(60211 / 2048 = 29.4)
      sandboxesPerNode: 14,
      limitedBy: CapacityLimit.CPU,
      maxNodes: 8,
      minNodes: 2,
      explanation: expect.any(String),
    });
  });

  test('the explanation shows the arithmetic with the numbers', () => {
    expect(plan(base, 'm8i.4xlarge').explanation).toBe(
      'm8i.4xlarge: 16 vCPU - 2 reserved = 14 x 1 / 1 = 14 by CPU; ' +
      '65536 MiB - 5325 reserved = 60211 x 1 / 2048 = 29 by memory; ' +
      '14 per node (cpu-bound); ceil(100 / 14) = 8 max nodes, 2 min nodes',
    );
  });

  test('CPU overcommit 4 makes it memory-bound: 29 per node, ceil(100 / 29) = 4 nodes, min 1', () => {
    const p = plan({ ...base, cpuOvercommit: 4 }, 'm8i.4xlarge');
    expect(p).toMatchObject({ sandboxesPerNodeByCpu: 56, sandboxesPerNodeByMemory: 29, sandboxesPerNode: 29, limitedBy: CapacityLimit.MEMORY, maxNodes: 4, minNodes: 1 });
    expect(p.explanation).toContain('14 x 4 / 1 = 56 by CPU');
    expect(p.explanation).toContain('(memory-bound)');
  });

  test('memory overcommit 2 as well: floor(120422 / 2048) = 58 by memory, 56 by CPU', () => {
    const p = plan({ ...base, cpuOvercommit: 4, memoryOvercommit: 2 }, 'm8i.4xlarge');
    expect(p).toMatchObject({ sandboxesPerNodeByCpu: 56, sandboxesPerNodeByMemory: 58, sandboxesPerNode: 56, limitedBy: CapacityLimit.CPU, maxNodes: 2, minNodes: 1 });
    expect(p.explanation).toContain('60211 x 2 / 2048 = 58 by memory');
  });

  test('a tie is reported as CPU-bound', () => {
    // floor(60211 / 4300 = 14.003) = 14 = 14 by CPU
    expect(plan({ ...base, memoryMiBPerSandbox: 4300 }, 'm8i.4xlarge')).toMatchObject({ sandboxesPerNode: 14, limitedBy: CapacityLimit.CPU });
  });

  test('an exact multiple needs no extra node: 140 / 14 = 10', () => {
    expect(plan({ ...base, concurrentSandboxes: 140 }, 'm8i.4xlarge').maxNodes).toBe(10);
    expect(plan({ ...base, concurrentSandboxes: 141 }, 'm8i.4xlarge').maxNodes).toBe(11);
  });

  test('one sandbox needs one node, and the minimum is that node', () => {
    expect(plan({ ...base, concurrentSandboxes: 1 }, 'm8i.4xlarge')).toMatchObject({ maxNodes: 1, minNodes: 1 });
  });

  test('the big metal default: 2000 sandboxes of 2 vCPU / 2 GiB with 4x CPU and 1.5x memory overcommit', () => {
    // (96 - 5) x 4 / 2 = 182 by CPU; (393216 - 21709 = 371507) x 1.5 / 2048 = 272.1 -> 272 by memory
    const p = plan({ concurrentSandboxes: 2000, vcpusPerSandbox: 2, memoryMiBPerSandbox: 2048, cpuOvercommit: 4, memoryOvercommit: 1.5 }, 'm7i.metal-24xl');
    expect(p).toMatchObject({ sandboxesPerNodeByCpu: 182, sandboxesPerNodeByMemory: 272, sandboxesPerNode: 182, limitedBy: CapacityLimit.CPU, maxNodes: 11, minNodes: 3 });
    expect(p.explanation).toContain('ceil(2000 / 182) = 11 max nodes, 3 min nodes');
  });

  test('floating-point error never costs a sandbox: 33 / 1.1 is 30, not 29', () => {
    // c5.9xlarge: 36 - 3 = 33 usable; 33 / 1.1 = 29.999999999999996 in floating point.
    expect(plan({ concurrentSandboxes: 300, vcpusPerSandbox: 1.1, memoryMiBPerSandbox: 512 }, 'c5.9xlarge'))
      .toMatchObject({ sandboxesPerNodeByCpu: 30, maxNodes: 10 });
  });

  describe('minimum nodes', () => {
    // m8i.4xlarge, 1 vCPU each: 14 per node; 1400 sandboxes -> 100 nodes.
    const big: CapacitySpec = { ...base, concurrentSandboxes: 1400 };

    test(`default fraction ${DEFAULT_MIN_FRACTION}: ceil(100 x 0.25) = 25`, () => {
      expect(DEFAULT_MIN_FRACTION).toBe(0.25);
      expect(plan(big, 'm8i.4xlarge')).toMatchObject({ maxNodes: 100, minNodes: 25 });
    });

    test.each([
      [0.5, 50],
      [1, 100],
      [0.07, 7], // 100 x 0.07 = 7.000000000000001 in floating point: still 7
      [0.001, 1], // any positive fraction keeps at least one node
      [0, 0], // scale to zero
    ])('minFraction %d -> %i', (minFraction, minNodes) => {
      expect(plan({ ...big, minFraction }, 'm8i.4xlarge').minNodes).toBe(minNodes);
    });

    test('an explicit minimum overrides the fraction', () => {
      expect(plan(big, 'm8i.4xlarge', 0).minNodes).toBe(0);
      expect(plan(big, 'm8i.4xlarge', 40)).toMatchObject({ minNodes: 40, maxNodes: 100 });
      expect(plan(big, 'm8i.4xlarge', 40).explanation).toContain('100 max nodes, 40 min nodes');
    });
  });

  describe('nothing fits', () => {
    test('by CPU: 16 vCPU on 14 usable', () => {
      expect(planCapacity({ ...base, vcpusPerSandbox: 16 }, shape('m8i.4xlarge'))).toBe(
        'one sandbox (16 vCPU, 2048 MiB) does not fit on m8i.4xlarge (14 vCPU x1 and 60211 MiB x1 usable after the host reserve)',
      );
    });

    test('by memory: 64 GiB on 60211 MiB usable', () => {
      expect(planCapacity({ ...base, memoryMiBPerSandbox: 65536 }, shape('m8i.4xlarge'))).toMatch(/does not fit on m8i\.4xlarge/);
    });

    test('memory overcommit can make it fit', () => {
      expect(typeof planCapacity({ ...base, memoryMiBPerSandbox: 65536, memoryOvercommit: 2 }, shape('m8i.4xlarge'))).toBe('object');
    });

    test('a 1-vCPU shape has no vCPU left after the reserve', () => {
      expect(planCapacity({ ...base, vcpusPerSandbox: 0.25 }, shape('m7g.medium'))).toMatch(/\(0 vCPU x1 and/);
    });
  });
});

describe('capacity through resolvePlatform', () => {
  const resolvePool = (pool: Record<string, unknown>) =>
    resolvePlatform({ name: 'acme', deployment: DeploymentModel.MANAGED, compliance: ComplianceProfile.BASELINE, sandboxPools: [pool as never] }, CloudProvider.AWS).pools[0];

  test('the pool takes min/max from the plan on its own instance type', () => {
    const p = resolvePool({ name: 'c', instanceType: 'm8i.4xlarge', capacity: { concurrentSandboxes: 100, vcpusPerSandbox: 1, memoryMiBPerSandbox: 2048 } });
    expect(p).toMatchObject({ minNodes: 2, maxNodes: 8, virtualization: 'nested' });
    expect(p.capacityPlan?.sandboxesPerNode).toBe(14);
  });

  test('minNodes overrides the fraction', () => {
    const p = resolvePool({ name: 'c', instanceType: 'm8i.4xlarge', minNodes: 0, capacity: { concurrentSandboxes: 100, vcpusPerSandbox: 1, memoryMiBPerSandbox: 2048 } });
    expect(p).toMatchObject({ minNodes: 0, maxNodes: 8 });
  });

  test('warm nodes are checked against the planned maximum', () => {
    expect(() => resolvePool({ name: 'c', instanceType: 'm8i.4xlarge', warmNodes: 9, capacity: { concurrentSandboxes: 100, vcpusPerSandbox: 1, memoryMiBPerSandbox: 2048 } }))
      .toThrow(/sandboxPools\[0\]\.warmNodes: 9 warm nodes exceed maxNodes 8/);
  });
});
