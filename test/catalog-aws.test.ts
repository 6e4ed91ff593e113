import {
  AWS_CATALOG,
  AWS_DEFAULT_SANDBOX_TYPES,
  AWS_INSTANCE_SHAPES,
  AWS_NESTED_VIRTUALIZATION_FAMILIES,
  vcpusFromSizeName,
} from '../lib/spec/catalog/aws';
import { CpuArchitecture, InstanceShape } from '../lib/spec/catalog/types';
import { CloudProvider, GpuModel, Virtualization } from '../lib/spec/types';

function mustShape(name: string): InstanceShape {
  const s = AWS_CATALOG.shape(name);
  if (!s) throw new Error(`expected ${name} in the AWS catalog`);
  return s;
}

const familyOf = (name: string): string => name.slice(0, name.indexOf('.'));

describe('AWS catalog: basics', () => {
  test('is the AWS catalog', () => {
    expect(AWS_CATALOG.cloud).toBe(CloudProvider.AWS);
  });

  test('shape names are unique', () => {
    const names = AWS_INSTANCE_SHAPES.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
  });

  test('unknown or differently spelled names are not found', () => {
    expect(AWS_CATALOG.shape('m7i.huge')).toBeUndefined();
    expect(AWS_CATALOG.shape('M7I.LARGE')).toBeUndefined();
    expect(AWS_CATALOG.shape('')).toBeUndefined();
    expect(AWS_CATALOG.shape('c7i.metal')).toBeUndefined(); // sold as metal-24xl / metal-48xl
  });

  test('shapes are frozen', () => {
    const s = mustShape('m7i.large');
    expect(Object.isFrozen(s)).toBe(true);
    expect(Object.isFrozen(AWS_INSTANCE_SHAPES)).toBe(true);
  });

  test('size names map to vCPUs', () => {
    expect(vcpusFromSizeName('medium')).toBe(1);
    expect(vcpusFromSizeName('large')).toBe(2);
    expect(vcpusFromSizeName('xlarge')).toBe(4);
    expect(vcpusFromSizeName('9xlarge')).toBe(36);
    expect(vcpusFromSizeName('metal-24xl')).toBe(96);
    expect(vcpusFromSizeName('metal')).toBeUndefined();
  });

  test('every shape is sane', () => {
    for (const s of AWS_INSTANCE_SHAPES) {
      expect(s.vcpus).toBeGreaterThan(0);
      expect(s.memoryGiB).toBeGreaterThan(0);
      expect(s.metal && s.nestedVirtualization).toBe(false);
      if (s.gpu) expect(s.gpu.count).toBeGreaterThan(0);
      if (s.localNvme) {
        expect(s.localNvme.disks).toBeGreaterThan(0);
        expect(s.localNvme.diskGiB).toBeGreaterThan(0);
      }
    }
  });
});

describe('AWS catalog: CPU shapes', () => {
  test.each([
    ['c5.large', 2, 4],
    ['c5.9xlarge', 36, 72],
    ['c5.metal', 96, 192],
    ['c6i.32xlarge', 128, 256],
    ['c7i.48xlarge', 192, 384],
    ['m5.24xlarge', 96, 384],
    ['m6i.metal', 128, 512],
    ['m7i.large', 2, 8],
    ['m7i.4xlarge', 16, 64],
    ['m7i.metal-48xl', 192, 768],
    ['r5.metal', 96, 768],
    ['r6i.32xlarge', 128, 1024],
    ['r7i.metal-24xl', 96, 768],
    ['i3.large', 2, 15.25],
    ['i3.metal', 72, 512],
    ['i3en.3xlarge', 12, 96],
    ['i4i.metal', 128, 1024],
    ['c8i.96xlarge', 384, 768],
    ['m8i.4xlarge', 16, 64],
    ['m8i.96xlarge', 384, 1536],
    ['r8i.96xlarge', 384, 3072],
    ['c8i-flex.16xlarge', 64, 128],
    ['r8i-flex.large', 2, 16],
  ])('%s has %d vCPU and %d GiB', (name, vcpus, mem) => {
    const s = mustShape(name);
    expect(s.vcpus).toBe(vcpus);
    expect(s.memoryGiB).toBe(mem);
  });

  test('c7i.metal-24xl is bare metal with 96 vCPU', () => {
    const s = mustShape('c7i.metal-24xl');
    expect(s.metal).toBe(true);
    expect(s.vcpus).toBe(96);
    expect(s.memoryGiB).toBe(192);
    expect(s.nestedVirtualization).toBe(false);
    expect(s.arch).toBe(CpuArchitecture.X86_64);
  });

  test.each([
    'c5.metal', 'c5d.metal', 'm5.metal', 'm5d.metal', 'r5.metal', 'r5d.metal',
    'c6i.metal', 'c6id.metal', 'm6i.metal', 'm6id.metal', 'r6i.metal', 'r6id.metal',
    'c7i.metal-24xl', 'c7i.metal-48xl', 'm7i.metal-24xl', 'm7i.metal-48xl', 'r7i.metal-24xl', 'r7i.metal-48xl',
    'i3.metal', 'i3en.metal', 'i4i.metal',
    'c8i.metal-48xl', 'm8i.metal-96xl', 'r8i.metal-48xl',
    'm7g.metal', 'c7g.metal',
  ])('%s is metal and not nested', (name) => {
    const s = mustShape(name);
    expect(s.metal).toBe(true);
    expect(s.nestedVirtualization).toBe(false);
  });

  test('pre-8th-gen virtualized shapes cannot do nested virtualization', () => {
    for (const name of ['m7i.large', 'c7i.4xlarge', 'r7i.48xlarge', 'm6i.8xlarge', 'c5.xlarge', 'i4i.4xlarge']) {
      const s = mustShape(name);
      expect(s.metal).toBe(false);
      expect(s.nestedVirtualization).toBe(false);
    }
  });

  test('C8i/M8i/R8i and flex virtualized sizes can do nested virtualization', () => {
    for (const name of ['c8i.4xlarge', 'c8i.large', 'm8i.4xlarge', 'm8i.96xlarge', 'r8i.16xlarge',
      'c8i-flex.large', 'm8i-flex.8xlarge', 'r8i-flex.16xlarge']) {
      const s = mustShape(name);
      expect(s.nestedVirtualization).toBe(true);
      expect(s.metal).toBe(false);
    }
  });

  test('only the 8th-gen Intel families are nested-capable', () => {
    const nestedFamilies = new Set(AWS_INSTANCE_SHAPES.filter((s) => s.nestedVirtualization).map((s) => familyOf(s.name)));
    expect([...nestedFamilies].sort()).toEqual([...AWS_NESTED_VIRTUALIZATION_FAMILIES].sort());
  });

  test('flex families stop at 16xlarge', () => {
    expect(AWS_CATALOG.shape('m8i-flex.16xlarge')).toBeDefined();
    expect(AWS_CATALOG.shape('m8i-flex.24xlarge')).toBeUndefined();
    expect(AWS_CATALOG.shape('m8i-flex.metal-48xl')).toBeUndefined();
  });

  test('instance store', () => {
    expect(mustShape('c5d.large').localNvme).toEqual({ disks: 1, diskGiB: 50 });
    expect(mustShape('c5d.metal').localNvme).toEqual({ disks: 4, diskGiB: 900 });
    expect(mustShape('m5d.16xlarge').localNvme).toEqual({ disks: 4, diskGiB: 600 });
    expect(mustShape('r6id.24xlarge').localNvme).toEqual({ disks: 4, diskGiB: 1425 });
    expect(mustShape('i3.metal').localNvme).toEqual({ disks: 8, diskGiB: 1900 });
    expect(mustShape('i3en.3xlarge').localNvme).toEqual({ disks: 1, diskGiB: 7500 });
    expect(mustShape('i4i.12xlarge').localNvme).toEqual({ disks: 3, diskGiB: 3750 });
    expect(mustShape('m7i.4xlarge').localNvme).toBeUndefined();
    expect(mustShape('c8i.metal-48xl').localNvme).toBeUndefined();
  });

  test('Graviton shapes are arm64', () => {
    expect(mustShape('m7g.large').arch).toBe(CpuArchitecture.ARM64);
    expect(mustShape('c7g.medium').vcpus).toBe(1);
    expect(mustShape('c7g.metal')).toMatchObject({ vcpus: 64, memoryGiB: 128, metal: true, arch: CpuArchitecture.ARM64 });
    expect(mustShape('m7g.metal')).toMatchObject({ vcpus: 64, memoryGiB: 256 });
  });

  test('CPU-only shapes carry no GPU', () => {
    expect(mustShape('m7i.metal-24xl').gpu).toBeUndefined();
    expect(mustShape('c8i.4xlarge').gpu).toBeUndefined();
  });
});

describe('AWS catalog: GPU shapes', () => {
  test('g4dn.metal has 8 T4 and is metal', () => {
    const s = mustShape('g4dn.metal');
    expect(s.gpu).toEqual({ model: GpuModel.T4, count: 8 });
    expect(s.metal).toBe(true);
    expect(s.vcpus).toBe(96);
    expect(s.memoryGiB).toBe(384);
    expect(s.localNvme).toEqual({ disks: 2, diskGiB: 900 });
  });

  test('p5.4xlarge has 1 H100', () => {
    const s = mustShape('p5.4xlarge');
    expect(s.gpu).toEqual({ model: GpuModel.H100, count: 1 });
    expect(s).toMatchObject({ vcpus: 16, memoryGiB: 256, metal: false });
    expect(s.localNvme).toEqual({ disks: 1, diskGiB: 3800 });
  });

  test.each([
    ['g4dn.xlarge', GpuModel.T4, 1, 4, 16],
    ['g4dn.12xlarge', GpuModel.T4, 4, 48, 192],
    ['g4dn.16xlarge', GpuModel.T4, 1, 64, 256],
    ['g5.xlarge', GpuModel.A10G, 1, 4, 16],
    ['g5.12xlarge', GpuModel.A10G, 4, 48, 192],
    ['g5.24xlarge', GpuModel.A10G, 4, 96, 384],
    ['g5.48xlarge', GpuModel.A10G, 8, 192, 768],
    ['g6.16xlarge', GpuModel.L4, 1, 64, 256],
    ['g6.24xlarge', GpuModel.L4, 4, 96, 384],
    ['g6.48xlarge', GpuModel.L4, 8, 192, 768],
    ['p4d.24xlarge', GpuModel.A100_40GB, 8, 96, 1152],
    ['p4de.24xlarge', GpuModel.A100_80GB, 8, 96, 1152],
    ['p5.48xlarge', GpuModel.H100, 8, 192, 2048],
    ['p5e.48xlarge', GpuModel.H200, 8, 192, 2048],
    ['p5en.48xlarge', GpuModel.H200, 8, 192, 2048],
  ])('%s: %s x%d, %d vCPU, %d GiB', (name, model, count, vcpus, mem) => {
    const s = mustShape(name);
    expect(s.gpu).toEqual({ model, count });
    expect(s.vcpus).toBe(vcpus);
    expect(s.memoryGiB).toBe(mem);
    expect(s.metal).toBe(false);
    expect(s.nestedVirtualization).toBe(false);
    expect(s.arch).toBe(CpuArchitecture.X86_64);
    expect(s.localNvme).toBeDefined();
  });

  test('no plain A10 on AWS, but A10G', () => {
    expect(AWS_CATALOG.gpuShapes(GpuModel.A10)).toEqual([]);
    expect(AWS_INSTANCE_SHAPES.some((s) => s.gpu?.model === GpuModel.A10)).toBe(false);
    expect(AWS_CATALOG.gpuShapes(GpuModel.A10G).length).toBe(8);
  });

  test('no single-GPU H200 shape', () => {
    const h200 = AWS_CATALOG.gpuShapes(GpuModel.H200);
    expect(h200.map((s) => s.name)).toEqual(['p5e.48xlarge', 'p5en.48xlarge']);
    expect(h200.every((s) => s.gpu?.count === 8)).toBe(true);
  });

  test('every GPU model except A10 has shapes; all shapes of a model carry it', () => {
    for (const model of Object.values(GpuModel)) {
      const shapes = AWS_CATALOG.gpuShapes(model);
      if (model === GpuModel.A10) continue;
      expect(shapes.length).toBeGreaterThan(0);
      for (const s of shapes) expect(s.gpu?.model).toBe(model);
    }
  });

  test('gpuShapes is sorted by GPU count, then vCPUs', () => {
    for (const model of Object.values(GpuModel)) {
      const shapes = AWS_CATALOG.gpuShapes(model);
      for (let i = 1; i < shapes.length; i++) {
        const [a, b] = [shapes[i - 1], shapes[i]];
        const ca = a.gpu?.count ?? 0;
        const cb = b.gpu?.count ?? 0;
        expect(ca < cb || (ca === cb && a.vcpus <= b.vcpus)).toBe(true);
      }
    }
    expect(AWS_CATALOG.gpuShapes(GpuModel.T4).map((s) => s.name)).toEqual([
      'g4dn.xlarge', 'g4dn.2xlarge', 'g4dn.4xlarge', 'g4dn.8xlarge', 'g4dn.16xlarge', 'g4dn.12xlarge', 'g4dn.metal',
    ]);
    expect(AWS_CATALOG.gpuShapes(GpuModel.L4).map((s) => s.name)).toEqual([
      'g6.xlarge', 'g6.2xlarge', 'g6.4xlarge', 'g6.8xlarge', 'g6.16xlarge', 'g6.12xlarge', 'g6.24xlarge', 'g6.48xlarge',
    ]);
    expect(AWS_CATALOG.gpuShapes(GpuModel.H100).map((s) => s.name)).toEqual(['p5.4xlarge', 'p5.48xlarge']);
  });

  test('gpuShapes returns a fresh array each call', () => {
    const first = AWS_CATALOG.gpuShapes(GpuModel.T4);
    first.pop();
    expect(AWS_CATALOG.gpuShapes(GpuModel.T4).length).toBe(7);
  });
});

describe('AWS catalog: defaults', () => {
  test('bare metal default is a metal shape', () => {
    const name = AWS_CATALOG.defaultSandboxType(Virtualization.BARE_METAL);
    expect(name).toBe('m7i.metal-24xl');
    expect(mustShape(name ?? '')).toMatchObject({ metal: true, vcpus: 96, memoryGiB: 384 });
  });

  test('nested default is a nested-capable, virtualized shape', () => {
    const name = AWS_CATALOG.defaultSandboxType(Virtualization.NESTED);
    expect(name).toBe('m8i.4xlarge');
    expect(mustShape(name ?? '')).toMatchObject({ metal: false, nestedVirtualization: true });
  });

  test('gVisor (no KVM) default is an ordinary virtualized shape', () => {
    const name = AWS_CATALOG.defaultSandboxType(Virtualization.NONE);
    expect(name).toBe('m7i.4xlarge');
    expect(mustShape(name ?? '')).toMatchObject({ metal: false, nestedVirtualization: false, vcpus: 16, memoryGiB: 64 });
  });

  test('every default resolves to a catalog shape', () => {
    for (const v of Object.values(Virtualization)) {
      expect(AWS_CATALOG.shape(AWS_DEFAULT_SANDBOX_TYPES[v])).toBeDefined();
    }
  });
});

describe('AWS catalog: GPU regions', () => {
  test('H200 is known in the big US regions', () => {
    expect(AWS_CATALOG.gpuRegions(GpuModel.H200)).toEqual(expect.arrayContaining(['us-east-1', 'us-east-2', 'us-west-2']));
  });

  test('A100 80GB is known only where p4de is sold', () => {
    expect(AWS_CATALOG.gpuRegions(GpuModel.A100_80GB)).toEqual(['us-east-1', 'us-west-2']);
  });

  test('widely sold models are left unknown', () => {
    expect(AWS_CATALOG.gpuRegions(GpuModel.T4)).toBeUndefined();
    expect(AWS_CATALOG.gpuRegions(GpuModel.L4)).toBeUndefined();
  });

  test('a model AWS does not sell has no regions', () => {
    expect(AWS_CATALOG.gpuRegions(GpuModel.A10)).toEqual([]);
  });

  test('region names look like AWS region codes', () => {
    for (const model of Object.values(GpuModel)) {
      for (const r of AWS_CATALOG.gpuRegions(model) ?? []) expect(r).toMatch(/^[a-z]{2}-[a-z]+-\d$/);
    }
  });
});
