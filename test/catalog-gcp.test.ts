import {
  GCP_ATTACHED_ACCELERATORS,
  GCP_ATTACHED_GPU_SHAPES,
  GCP_CATALOG,
  GCP_DEFAULT_SANDBOX_TYPES,
  GCP_INSTANCE_SHAPES,
  GCP_LOCAL_SSD_DISK_GIB,
  gcpAttachableLocalSsdCounts,
  gcpGpuShape,
  gcpGuestAccelerator,
  gcpNestedMinCpuPlatform,
  gcpSeriesOf,
} from '../lib/spec/catalog/gcp';
import { CpuArchitecture, InstanceShape } from '../lib/spec/catalog/types';
import { CloudProvider, GpuModel, Virtualization } from '../lib/spec/types';

function mustShape(name: string): InstanceShape {
  const s = GCP_CATALOG.shape(name);
  if (!s) throw new Error(`expected ${name} in the GCP catalog`);
  return s;
}

describe('GCP catalog: basics', () => {
  test('is the GCP catalog', () => {
    expect(GCP_CATALOG.cloud).toBe(CloudProvider.GCP);
  });

  test('shape names are unique', () => {
    const names = GCP_INSTANCE_SHAPES.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
  });

  test('unknown or differently spelled names are not found', () => {
    expect(GCP_CATALOG.shape('n2-standard-3')).toBeUndefined();
    expect(GCP_CATALOG.shape('N2-STANDARD-8')).toBeUndefined();
    expect(GCP_CATALOG.shape('')).toBeUndefined();
    expect(GCP_CATALOG.shape('c3-standard-16')).toBeUndefined(); // C3 jumps 8 -> 22
    expect(GCP_CATALOG.shape('m7i.4xlarge')).toBeUndefined();
  });

  test('shapes are frozen', () => {
    expect(Object.isFrozen(mustShape('n2-standard-8'))).toBe(true);
    expect(Object.isFrozen(GCP_INSTANCE_SHAPES)).toBe(true);
    expect(Object.isFrozen(GCP_ATTACHED_GPU_SHAPES)).toBe(true);
  });

  test('every shape is sane', () => {
    for (const s of [...GCP_INSTANCE_SHAPES, ...GCP_ATTACHED_GPU_SHAPES]) {
      expect(s.vcpus).toBeGreaterThan(0);
      expect(s.memoryGiB).toBeGreaterThan(0);
      expect(s.metal && s.nestedVirtualization).toBe(false);
      expect(s.name.endsWith('-metal')).toBe(s.metal);
      if (s.gpu) {
        expect(s.gpu.count).toBeGreaterThan(0);
        expect(s.nestedVirtualization).toBe(false);
      }
      if (s.localNvme) {
        expect(s.localNvme.disks).toBeGreaterThan(0);
        expect(s.localNvme.diskGiB).toBe(GCP_LOCAL_SSD_DISK_GIB);
      }
    }
  });

  test('series of a machine type', () => {
    expect(gcpSeriesOf('n2-standard-8')).toBe('n2');
    expect(gcpSeriesOf('c3-standard-192-metal')).toBe('c3');
  });
});

describe('GCP catalog: CPU shapes', () => {
  test.each([
    ['n1-standard-1', 1, 3.75],
    ['n1-standard-96', 96, 360],
    ['n1-highmem-8', 8, 52],
    ['n1-highcpu-16', 16, 14.4],
    ['n2-standard-16', 16, 64],
    ['n2-standard-128', 128, 512],
    ['n2-highmem-8', 8, 64],
    ['n2-highcpu-32', 32, 32],
    ['n2d-standard-224', 224, 896],
    ['n2d-highmem-96', 96, 768],
    ['e2-standard-8', 8, 32],
    ['e2-highcpu-32', 32, 32],
    ['c3-standard-22', 22, 88],
    ['c3-highmem-176', 176, 1408],
    ['c3-highcpu-44', 44, 88],
    ['c3d-standard-360', 360, 1440],
    ['c3d-highcpu-30', 30, 59],
    ['c4-standard-2', 2, 7],
    ['c4-standard-288', 288, 1080],
    ['c4-highmem-4', 4, 31],
    ['c4-highmem-288', 288, 2232],
    ['c4-highcpu-96', 96, 192],
    ['c4a-standard-72', 72, 288],
    ['c4a-highmem-16', 16, 128],
  ])('%s has %d vCPU and %d GB', (name, vcpus, mem) => {
    const s = mustShape(name);
    expect(s.vcpus).toBe(vcpus);
    expect(s.memoryGiB).toBe(mem);
  });

  test.each([
    ['c3-standard-192-metal', 192, 768],
    ['c3-highmem-192-metal', 192, 1536],
    ['c3-highcpu-192-metal', 192, 512],
    ['c4-standard-288-metal', 288, 1080],
    ['c4-highmem-288-metal', 288, 2232],
    ['c4-highcpu-288-metal', 288, 576],
  ])('%s is bare metal with %d vCPU and %d GB', (name, vcpus, mem) => {
    const s = mustShape(name);
    expect(s).toMatchObject({ metal: true, nestedVirtualization: false, vcpus, memoryGiB: mem, arch: CpuArchitecture.X86_64 });
    expect(s.gpu).toBeUndefined();
  });

  test('only the C3 and C4 -metal types are metal', () => {
    const metal = GCP_INSTANCE_SHAPES.filter((s) => s.metal).map((s) => s.name).sort();
    expect(metal).toEqual([
      'c3-highcpu-192-metal', 'c3-highmem-192-metal', 'c3-standard-192-metal',
      'c4-highcpu-288-metal', 'c4-highmem-288-metal', 'c4-standard-288-metal',
    ]);
  });

  test('Intel N1, N2, C3, C4 virtual machines can nest', () => {
    for (const name of ['n1-standard-8', 'n1-highmem-4', 'n2-standard-16', 'n2-highcpu-2', 'c3-standard-8',
      'c3-highmem-88', 'c3-standard-22-lssd', 'c4-standard-16', 'c4-highmem-288', 'c4-standard-48-lssd']) {
      expect(mustShape(name)).toMatchObject({ nestedVirtualization: true, metal: false });
    }
  });

  test('E2, AMD (N2D, C3D) and Arm (C4A) cannot nest', () => {
    for (const name of ['e2-standard-8', 'e2-highmem-16', 'n2d-standard-16', 'n2d-highcpu-8',
      'c3d-standard-30', 'c3d-highmem-60-lssd', 'c4a-standard-8', 'c4a-standard-16-lssd']) {
      expect(mustShape(name).nestedVirtualization).toBe(false);
    }
  });

  test('nested-capable series are exactly N1, N2, C3, C4', () => {
    const series = new Set(GCP_INSTANCE_SHAPES.filter((s) => s.nestedVirtualization).map((s) => gcpSeriesOf(s.name)));
    expect([...series].sort()).toEqual(['c3', 'c4', 'n1', 'n2']);
  });

  test('N1 needs a Skylake minimum CPU platform for nested virtualization, others none', () => {
    expect(gcpNestedMinCpuPlatform('n1-standard-8')).toBe('Intel Skylake');
    expect(gcpNestedMinCpuPlatform('n1-highmem-96')).toBe('Intel Skylake');
    expect(gcpNestedMinCpuPlatform('n2-standard-16')).toBeUndefined();
    expect(gcpNestedMinCpuPlatform('c3-standard-8')).toBeUndefined();
    expect(gcpNestedMinCpuPlatform('c4-standard-16')).toBeUndefined();
  });

  test('C4A is arm64, the rest x86_64', () => {
    for (const s of GCP_INSTANCE_SHAPES) {
      expect(s.arch).toBe(gcpSeriesOf(s.name) === 'c4a' ? CpuArchitecture.ARM64 : CpuArchitecture.X86_64);
    }
  });
});

describe('GCP catalog: Local SSD', () => {
  test.each([
    ['c3-standard-4-lssd', 1],
    ['c3-standard-22-lssd', 4],
    ['c3-standard-176-lssd', 32],
    ['c3d-standard-8-lssd', 1],
    ['c3d-standard-90-lssd', 8],
    ['c3d-highmem-360-lssd', 32],
    ['c4-standard-4-lssd', 1],
    ['c4-standard-32-lssd', 5],
    ['c4-standard-288-lssd', 48],
    ['c4a-standard-48-lssd', 10],
  ])('%s bundles %d Local SSD disks', (name, disks) => {
    const s = mustShape(name);
    expect(s.localNvme).toEqual({ disks, diskGiB: 375 });
    const plain = mustShape(name.replace(/-lssd$/, ''));
    expect(s.vcpus).toBe(plain.vcpus);
    expect(s.memoryGiB).toBe(plain.memoryGiB);
    expect(plain.localNvme).toBeUndefined();
  });

  test('no 4-vCPU C3D -lssd type', () => {
    expect(GCP_CATALOG.shape('c3d-standard-4-lssd')).toBeUndefined();
  });

  test('attachable Local SSD counts', () => {
    expect(gcpAttachableLocalSsdCounts('n1-standard-8')).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 16, 24]);
    expect(gcpAttachableLocalSsdCounts('n2-standard-8')).toEqual([1, 2, 4, 8, 16, 24]);
    expect(gcpAttachableLocalSsdCounts('n2-standard-16')).toEqual([2, 4, 8, 16, 24]);
    expect(gcpAttachableLocalSsdCounts('n2-standard-128')).toEqual([16, 24]);
    expect(gcpAttachableLocalSsdCounts('n2d-standard-32')).toEqual([2, 4, 8, 16, 24]);
    expect(gcpAttachableLocalSsdCounts('a2-highgpu-1g')).toEqual([1, 2, 4, 8]);
    expect(gcpAttachableLocalSsdCounts('g2-standard-48')).toEqual([4]);
  });

  test('types without attachable Local SSD', () => {
    for (const name of ['e2-standard-8', 'c3-standard-8', 'c3-standard-8-lssd', 'c4-standard-16', 'c4a-standard-8',
      'c3-standard-192-metal', 'a3-highgpu-8g', 'unknown-type']) {
      expect(gcpAttachableLocalSsdCounts(name)).toEqual([]);
    }
  });
});

describe('GCP catalog: GPU shapes', () => {
  test('a3-highgpu-8g has 8 H100', () => {
    const s = mustShape('a3-highgpu-8g');
    expect(s).toMatchObject({ vcpus: 208, memoryGiB: 1872, metal: false, nestedVirtualization: false });
    expect(s.gpu).toEqual({ model: GpuModel.H100, count: 8 });
    expect(s.localNvme).toEqual({ disks: 16, diskGiB: 375 }); // 6,000 GB bundled
  });

  test.each([
    ['g2-standard-4', GpuModel.L4, 1, 4, 16],
    ['g2-standard-8', GpuModel.L4, 1, 8, 32],
    ['g2-standard-12', GpuModel.L4, 1, 12, 48],
    ['g2-standard-16', GpuModel.L4, 1, 16, 64],
    ['g2-standard-24', GpuModel.L4, 2, 24, 96],
    ['g2-standard-32', GpuModel.L4, 1, 32, 128],
    ['g2-standard-48', GpuModel.L4, 4, 48, 192],
    ['g2-standard-96', GpuModel.L4, 8, 96, 384],
    ['a2-highgpu-1g', GpuModel.A100_40GB, 1, 12, 85],
    ['a2-highgpu-2g', GpuModel.A100_40GB, 2, 24, 170],
    ['a2-highgpu-4g', GpuModel.A100_40GB, 4, 48, 340],
    ['a2-highgpu-8g', GpuModel.A100_40GB, 8, 96, 680],
    ['a2-megagpu-16g', GpuModel.A100_40GB, 16, 96, 1360],
    ['a2-ultragpu-1g', GpuModel.A100_80GB, 1, 12, 170],
    ['a2-ultragpu-2g', GpuModel.A100_80GB, 2, 24, 340],
    ['a2-ultragpu-4g', GpuModel.A100_80GB, 4, 48, 680],
    ['a2-ultragpu-8g', GpuModel.A100_80GB, 8, 96, 1360],
    ['a3-highgpu-1g', GpuModel.H100, 1, 26, 234],
    ['a3-highgpu-2g', GpuModel.H100, 2, 52, 468],
    ['a3-highgpu-4g', GpuModel.H100, 4, 104, 936],
    ['a3-megagpu-8g', GpuModel.H100, 8, 208, 1872],
    ['a3-ultragpu-8g', GpuModel.H200, 8, 224, 2952],
  ])('%s: %s x%d, %d vCPU, %d GB', (name, model, count, vcpus, mem) => {
    const s = mustShape(name);
    expect(s.gpu).toEqual({ model, count });
    expect(s).toMatchObject({ vcpus, memoryGiB: mem, metal: false, nestedVirtualization: false, arch: CpuArchitecture.X86_64 });
    expect(gcpGuestAccelerator(s)).toBeUndefined(); // GPUs come with the machine type
  });

  test('A2 Ultra and A3 bundle Local SSD; A2 Standard and G2 do not', () => {
    expect(mustShape('a2-ultragpu-8g').localNvme).toEqual({ disks: 8, diskGiB: 375 });
    expect(mustShape('a3-ultragpu-8g').localNvme).toEqual({ disks: 32, diskGiB: 375 });
    expect(mustShape('a2-highgpu-8g').localNvme).toBeUndefined();
    expect(mustShape('g2-standard-96').localNvme).toBeUndefined();
  });

  test('T4 is attached to N1 with guest_accelerator nvidia-tesla-t4 (1, 2, 4)', () => {
    const t4 = GCP_CATALOG.gpuShapes(GpuModel.T4);
    expect(t4.map((s) => [s.name, s.gpu?.count])).toEqual([
      ['n1-standard-8', 1], ['n1-standard-16', 2], ['n1-standard-32', 4],
    ]);
    const acc = GCP_ATTACHED_ACCELERATORS[GpuModel.T4];
    expect(acc?.acceleratorType).toBe('nvidia-tesla-t4');
    expect(acc?.counts).toEqual([1, 2, 4]);
    for (const s of t4) {
      expect(gcpSeriesOf(s.name)).toBe('n1');
      expect(s.vcpus).toBeLessThanOrEqual(acc?.maxVcpus[s.gpu!.count] ?? 0);
      expect(s.nestedVirtualization).toBe(false);
      expect(gcpGuestAccelerator(s)).toEqual({ type: 'nvidia-tesla-t4', count: s.gpu!.count });
    }
  });

  test('shape(name) of an N1 type is the GPU-less shape; gcpGpuShape attaches T4s', () => {
    expect(mustShape('n1-standard-16').gpu).toBeUndefined();
    expect(mustShape('n1-standard-16').nestedVirtualization).toBe(true);
    expect(gcpGpuShape('n1-standard-16', GpuModel.T4)?.gpu).toEqual({ model: GpuModel.T4, count: 2 });
    expect(gcpGpuShape('n1-standard-16', GpuModel.T4, 4)?.gpu).toEqual({ model: GpuModel.T4, count: 4 });
    expect(gcpGpuShape('n1-standard-16', GpuModel.T4, 4)?.nestedVirtualization).toBe(false);
    expect(gcpGpuShape('n1-standard-16', GpuModel.T4, 3)).toBeUndefined();
    expect(gcpGpuShape('n1-standard-64', GpuModel.T4, 1)).toBeUndefined(); // over 48 vCPUs
    expect(gcpGpuShape('n2-standard-16', GpuModel.T4, 1)).toBeUndefined(); // T4 attaches to N1 only
    expect(gcpGpuShape('a3-highgpu-8g', GpuModel.H100)).toBe(mustShape('a3-highgpu-8g'));
    expect(gcpGpuShape('a3-highgpu-8g', GpuModel.H100, 4)).toBeUndefined();
    expect(gcpGpuShape('a3-highgpu-8g', GpuModel.H200)).toBeUndefined();
  });

  test('no A10 or A10G on GCP', () => {
    expect(GCP_CATALOG.gpuShapes(GpuModel.A10)).toEqual([]);
    expect(GCP_CATALOG.gpuShapes(GpuModel.A10G)).toEqual([]);
  });

  test('H200 only as 8 GPUs', () => {
    expect(GCP_CATALOG.gpuShapes(GpuModel.H200).map((s) => s.name)).toEqual(['a3-ultragpu-8g']);
  });

  test('every model except A10/A10G has shapes; all shapes of a model carry it', () => {
    for (const model of Object.values(GpuModel)) {
      const shapes = GCP_CATALOG.gpuShapes(model);
      if (model === GpuModel.A10 || model === GpuModel.A10G) continue;
      expect(shapes.length).toBeGreaterThan(0);
      for (const s of shapes) expect(s.gpu?.model).toBe(model);
    }
  });

  test('gpuShapes is sorted by GPU count, then vCPUs', () => {
    for (const model of Object.values(GpuModel)) {
      const shapes = GCP_CATALOG.gpuShapes(model);
      for (let i = 1; i < shapes.length; i++) {
        const [a, b] = [shapes[i - 1], shapes[i]];
        const ca = a.gpu?.count ?? 0;
        const cb = b.gpu?.count ?? 0;
        expect(ca < cb || (ca === cb && a.vcpus <= b.vcpus)).toBe(true);
      }
    }
    expect(GCP_CATALOG.gpuShapes(GpuModel.L4).map((s) => s.name)).toEqual([
      'g2-standard-4', 'g2-standard-8', 'g2-standard-12', 'g2-standard-16', 'g2-standard-32',
      'g2-standard-24', 'g2-standard-48', 'g2-standard-96',
    ]);
    expect(GCP_CATALOG.gpuShapes(GpuModel.H100).map((s) => s.name)).toEqual([
      'a3-highgpu-1g', 'a3-highgpu-2g', 'a3-highgpu-4g', 'a3-highgpu-8g', 'a3-megagpu-8g',
    ]);
    expect(GCP_CATALOG.gpuShapes(GpuModel.A100_40GB).map((s) => s.name)).toEqual([
      'a2-highgpu-1g', 'a2-highgpu-2g', 'a2-highgpu-4g', 'a2-highgpu-8g', 'a2-megagpu-16g',
    ]);
  });

  test('gpuShapes returns a fresh array each call', () => {
    GCP_CATALOG.gpuShapes(GpuModel.L4).pop();
    expect(GCP_CATALOG.gpuShapes(GpuModel.L4).length).toBe(8);
  });
});

describe('GCP catalog: defaults', () => {
  test('bare metal default is c3-standard-192-metal', () => {
    const name = GCP_CATALOG.defaultSandboxType(Virtualization.BARE_METAL);
    expect(name).toBe('c3-standard-192-metal');
    expect(mustShape(name ?? '')).toMatchObject({ metal: true, vcpus: 192, memoryGiB: 768 });
  });

  test('nested default is a nested-capable N2 without a minimum CPU platform', () => {
    const name = GCP_CATALOG.defaultSandboxType(Virtualization.NESTED);
    expect(name).toBe('n2-standard-16');
    expect(mustShape(name ?? '')).toMatchObject({ metal: false, nestedVirtualization: true, vcpus: 16, memoryGiB: 64 });
    expect(gcpNestedMinCpuPlatform(name ?? '')).toBeUndefined();
  });

  test('gVisor (no KVM) default is a virtualized shape', () => {
    const name = GCP_CATALOG.defaultSandboxType(Virtualization.NONE);
    expect(name).toBe('n2-standard-16');
    expect(mustShape(name ?? '').metal).toBe(false);
  });

  test('every default resolves to a catalog shape', () => {
    for (const v of Object.values(Virtualization)) {
      expect(GCP_CATALOG.shape(GCP_DEFAULT_SANDBOX_TYPES[v])).toBeDefined();
    }
  });
});

describe('GCP catalog: GPU regions', () => {
  test('regions of sold models are unknown', () => {
    for (const model of [GpuModel.T4, GpuModel.L4, GpuModel.A100_40GB, GpuModel.A100_80GB, GpuModel.H100, GpuModel.H200]) {
      expect(GCP_CATALOG.gpuRegions(model)).toBeUndefined();
    }
  });

  test('a model GCP does not sell has no regions', () => {
    expect(GCP_CATALOG.gpuRegions(GpuModel.A10)).toEqual([]);
    expect(GCP_CATALOG.gpuRegions(GpuModel.A10G)).toEqual([]);
  });
});
