import {
  AZURE_CATALOG,
  AZURE_DEFAULT_SANDBOX_TYPES,
  AZURE_FRACTIONAL_GPU_SIZES,
  AZURE_INSTANCE_SHAPES,
  AZURE_TEMP_DISK_GIB,
  azureRequiresGen1Image,
  azureSeriesOf,
  azureVmGenerations,
} from '../lib/spec/catalog/azure';
import { CpuArchitecture, InstanceShape } from '../lib/spec/catalog/types';
import { CloudProvider, GpuModel, Virtualization } from '../lib/spec/types';

function mustShape(name: string): InstanceShape {
  const s = AZURE_CATALOG.shape(name);
  if (!s) throw new Error(`expected ${name} in the Azure catalog`);
  return s;
}

describe('Azure catalog: basics', () => {
  test('is the Azure catalog', () => {
    expect(AZURE_CATALOG.cloud).toBe(CloudProvider.AZURE);
  });

  test('shape names are unique and Standard_-prefixed', () => {
    const names = AZURE_INSTANCE_SHAPES.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^Standard_[A-Z]/);
  });

  test('unknown or differently spelled names are not found', () => {
    expect(AZURE_CATALOG.shape('Standard_D8s_v9')).toBeUndefined();
    expect(AZURE_CATALOG.shape('standard_d8s_v5')).toBeUndefined();
    expect(AZURE_CATALOG.shape('D8s_v5')).toBeUndefined();
    expect(AZURE_CATALOG.shape('')).toBeUndefined();
  });

  test('shapes are frozen', () => {
    expect(Object.isFrozen(mustShape('Standard_D8s_v5'))).toBe(true);
    expect(Object.isFrozen(AZURE_INSTANCE_SHAPES)).toBe(true);
  });

  test('every shape is sane; Azure has no bare-metal size', () => {
    for (const s of AZURE_INSTANCE_SHAPES) {
      expect(s.vcpus).toBeGreaterThan(0);
      expect(s.memoryGiB).toBeGreaterThan(0);
      expect(s.metal).toBe(false);
      expect(s.arch).toBe(CpuArchitecture.X86_64);
      if (s.gpu) {
        expect(s.gpu.count).toBeGreaterThan(0);
        expect(Number.isInteger(s.gpu.count)).toBe(true);
      }
      if (s.localNvme) {
        expect(s.localNvme.disks).toBeGreaterThan(0);
        expect(s.localNvme.diskGiB).toBeGreaterThan(0);
      }
    }
  });
});

describe('Azure catalog: CPU sizes', () => {
  test.each([
    ['Standard_D2_v3', 2, 8],
    ['Standard_D64_v3', 64, 256],
    ['Standard_D8s_v5', 8, 32],
    ['Standard_D96s_v5', 96, 384],
    ['Standard_D16ds_v5', 16, 64],
    ['Standard_D16as_v5', 16, 64],
    ['Standard_D192s_v6', 192, 768],
    ['Standard_D128ds_v6', 128, 512],
    ['Standard_D96as_v6', 96, 384],
    ['Standard_L8s_v3', 8, 64],
    ['Standard_L80s_v3', 80, 640],
  ])('%s has %d vCPU and %d GiB', (name, vcpus, mem) => {
    expect(mustShape(name)).toMatchObject({ vcpus, memoryGiB: mem });
  });

  test('Standard_D8s_v5 nests', () => {
    expect(mustShape('Standard_D8s_v5')).toMatchObject({ nestedVirtualization: true, metal: false });
  });

  test('Dv3, Dsv5, Ddsv5, Dasv5, Dsv6, Ddsv6, Dasv6 and Lsv3 support nested virtualization', () => {
    for (const name of ['Standard_D4_v3', 'Standard_D16s_v5', 'Standard_D32ds_v5', 'Standard_D16as_v5',
      'Standard_D16s_v6', 'Standard_D16ds_v6', 'Standard_D16as_v6', 'Standard_L16s_v3']) {
      expect(mustShape(name).nestedVirtualization).toBe(true);
    }
  });

  test('series of a size', () => {
    expect(azureSeriesOf('Standard_D8s_v5')).toBe('Dsv5');
    expect(azureSeriesOf('Standard_D8as_v6')).toBe('Dasv6');
    expect(azureSeriesOf('Standard_ND96isr_H200_v5')).toBe('ND_H200_v5');
    expect(azureSeriesOf('Standard_B2s')).toBeUndefined();
  });

  test('Dv3 runs generation-1 VMs only; v6 generation 2 only; v5 both', () => {
    expect(azureVmGenerations('Standard_D8_v3')).toEqual([1]);
    expect(azureRequiresGen1Image('Standard_D8_v3')).toBe(true);
    expect(azureVmGenerations('Standard_D8s_v5')).toEqual([1, 2]);
    expect(azureRequiresGen1Image('Standard_D8s_v5')).toBe(false);
    expect(azureVmGenerations('Standard_D8s_v6')).toEqual([2]);
    expect(azureVmGenerations('Standard_D8as_v6')).toEqual([2]);
    expect(azureRequiresGen1Image('Standard_D8as_v6')).toBe(false);
    expect(azureVmGenerations('Standard_ND96isr_H100_v5')).toEqual([2]);
    expect(azureVmGenerations('Standard_X1')).toBeUndefined();
    expect(azureRequiresGen1Image('Standard_X1')).toBe(false);
  });

  test('local NVMe and temp disks', () => {
    expect(mustShape('Standard_L8s_v3').localNvme).toEqual({ disks: 1, diskGiB: 1920 });
    expect(mustShape('Standard_L80s_v3').localNvme).toEqual({ disks: 10, diskGiB: 1920 });
    expect(mustShape('Standard_D16ds_v6').localNvme).toEqual({ disks: 2, diskGiB: 440 });
    expect(mustShape('Standard_D128ds_v6').localNvme).toEqual({ disks: 4, diskGiB: 1760 });
    // Ddsv5 and Dv3 have a SCSI temp disk, not NVMe.
    expect(mustShape('Standard_D16ds_v5').localNvme).toBeUndefined();
    expect(AZURE_TEMP_DISK_GIB.Standard_D16ds_v5).toBe(600);
    expect(AZURE_TEMP_DISK_GIB.Standard_D8_v3).toBe(200);
    // No local storage in Dsv5 / Dasv5 / Dsv6 / Dasv6.
    for (const name of ['Standard_D16s_v5', 'Standard_D16as_v5', 'Standard_D16s_v6', 'Standard_D16as_v6']) {
      expect(mustShape(name).localNvme).toBeUndefined();
      expect(AZURE_TEMP_DISK_GIB[name]).toBeUndefined();
    }
  });
});

describe('Azure catalog: GPU sizes', () => {
  test('Standard_ND96isr_H200_v5 has 8 H200', () => {
    const s = mustShape('Standard_ND96isr_H200_v5');
    expect(s.gpu).toEqual({ model: GpuModel.H200, count: 8 });
    expect(s).toMatchObject({ vcpus: 96, memoryGiB: 1850, nestedVirtualization: false });
    expect(s.localNvme).toEqual({ disks: 8, diskGiB: 3584 });
  });

  test.each([
    ['Standard_NC4as_T4_v3', GpuModel.T4, 1, 4, 28],
    ['Standard_NC8as_T4_v3', GpuModel.T4, 1, 8, 56],
    ['Standard_NC16as_T4_v3', GpuModel.T4, 1, 16, 110],
    ['Standard_NC64as_T4_v3', GpuModel.T4, 4, 64, 440],
    ['Standard_NV36ads_A10_v5', GpuModel.A10, 1, 36, 440],
    ['Standard_NV36adms_A10_v5', GpuModel.A10, 1, 36, 880],
    ['Standard_NV72ads_A10_v5', GpuModel.A10, 2, 72, 880],
    ['Standard_ND96asr_v4', GpuModel.A100_40GB, 8, 96, 900],
    ['Standard_NC24ads_A100_v4', GpuModel.A100_80GB, 1, 24, 220],
    ['Standard_NC48ads_A100_v4', GpuModel.A100_80GB, 2, 48, 440],
    ['Standard_NC96ads_A100_v4', GpuModel.A100_80GB, 4, 96, 880],
    ['Standard_ND96amsr_A100_v4', GpuModel.A100_80GB, 8, 96, 1900],
    ['Standard_NC40ads_H100_v5', GpuModel.H100, 1, 40, 320],
    ['Standard_NC80adis_H100_v5', GpuModel.H100, 2, 80, 640],
    ['Standard_ND96isr_H100_v5', GpuModel.H100, 8, 96, 1900],
  ])('%s: %s x%d, %d vCPU, %d GiB', (name, model, count, vcpus, mem) => {
    const s = mustShape(name);
    expect(s.gpu).toEqual({ model, count });
    expect(s).toMatchObject({ vcpus, memoryGiB: mem, metal: false, nestedVirtualization: false });
  });

  test('no GPU size supports nested virtualization', () => {
    for (const s of AZURE_INSTANCE_SHAPES.filter((x) => x.gpu)) expect(s.nestedVirtualization).toBe(false);
  });

  test('fractional A10 sizes are left out', () => {
    for (const name of AZURE_FRACTIONAL_GPU_SIZES) expect(AZURE_CATALOG.shape(name)).toBeUndefined();
    expect(AZURE_CATALOG.gpuShapes(GpuModel.A10).map((s) => s.name)).toEqual([
      'Standard_NV36adms_A10_v5', 'Standard_NV36ads_A10_v5', 'Standard_NV72ads_A10_v5',
    ]);
  });

  test('no L4 and no A10G on Azure', () => {
    expect(AZURE_CATALOG.gpuShapes(GpuModel.L4)).toEqual([]);
    expect(AZURE_CATALOG.gpuShapes(GpuModel.A10G)).toEqual([]);
  });

  test('every model except L4/A10G has shapes; all shapes of a model carry it', () => {
    for (const model of Object.values(GpuModel)) {
      const shapes = AZURE_CATALOG.gpuShapes(model);
      if (model === GpuModel.L4 || model === GpuModel.A10G) continue;
      expect(shapes.length).toBeGreaterThan(0);
      for (const s of shapes) expect(s.gpu?.model).toBe(model);
    }
  });

  test('gpuShapes is sorted by GPU count, then vCPUs', () => {
    for (const model of Object.values(GpuModel)) {
      const shapes = AZURE_CATALOG.gpuShapes(model);
      for (let i = 1; i < shapes.length; i++) {
        const [a, b] = [shapes[i - 1], shapes[i]];
        const ca = a.gpu?.count ?? 0;
        const cb = b.gpu?.count ?? 0;
        expect(ca < cb || (ca === cb && a.vcpus <= b.vcpus)).toBe(true);
      }
    }
    expect(AZURE_CATALOG.gpuShapes(GpuModel.T4).map((s) => s.name)).toEqual([
      'Standard_NC4as_T4_v3', 'Standard_NC8as_T4_v3', 'Standard_NC16as_T4_v3', 'Standard_NC64as_T4_v3',
    ]);
    expect(AZURE_CATALOG.gpuShapes(GpuModel.A100_80GB).map((s) => s.name)).toEqual([
      'Standard_NC24ads_A100_v4', 'Standard_NC48ads_A100_v4', 'Standard_NC96ads_A100_v4', 'Standard_ND96amsr_A100_v4',
    ]);
    expect(AZURE_CATALOG.gpuShapes(GpuModel.H100).map((s) => s.name)).toEqual([
      'Standard_NC40ads_H100_v5', 'Standard_NC80adis_H100_v5', 'Standard_ND96isr_H100_v5',
    ]);
  });

  test('gpuShapes returns a fresh array each call', () => {
    AZURE_CATALOG.gpuShapes(GpuModel.T4).pop();
    expect(AZURE_CATALOG.gpuShapes(GpuModel.T4).length).toBe(4);
  });
});

describe('Azure catalog: defaults', () => {
  test('no BARE_METAL default on Azure', () => {
    expect(AZURE_CATALOG.defaultSandboxType(Virtualization.BARE_METAL)).toBeUndefined();
  });

  test('nested default is a nested-capable size that runs Gen2 images', () => {
    const name = AZURE_CATALOG.defaultSandboxType(Virtualization.NESTED);
    expect(name).toBe('Standard_D16s_v5');
    expect(mustShape(name ?? '')).toMatchObject({ nestedVirtualization: true, vcpus: 16, memoryGiB: 64 });
    expect(azureVmGenerations(name ?? '')).toContain(2);
  });

  test('gVisor (no KVM) default', () => {
    const name = AZURE_CATALOG.defaultSandboxType(Virtualization.NONE);
    expect(name).toBe('Standard_D16as_v5');
    expect(mustShape(name ?? '')).toMatchObject({ vcpus: 16, memoryGiB: 64 });
  });

  test('every default resolves to a catalog shape', () => {
    for (const name of Object.values(AZURE_DEFAULT_SANDBOX_TYPES)) expect(AZURE_CATALOG.shape(name ?? '')).toBeDefined();
  });
});

describe('Azure catalog: GPU regions', () => {
  test('regions of sold models are unknown', () => {
    for (const model of [GpuModel.T4, GpuModel.A10, GpuModel.A100_40GB, GpuModel.A100_80GB, GpuModel.H100, GpuModel.H200]) {
      expect(AZURE_CATALOG.gpuRegions(model)).toBeUndefined();
    }
  });

  test('a model Azure does not sell has no regions', () => {
    expect(AZURE_CATALOG.gpuRegions(GpuModel.L4)).toEqual([]);
    expect(AZURE_CATALOG.gpuRegions(GpuModel.A10G)).toEqual([]);
  });
});
