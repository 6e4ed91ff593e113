/**
 * Google Cloud (Compute Engine) machine-type catalog. Pure data: no cdktf or provider imports.
 *
 * Shapes are generated from per-series size tables. A predefined machine type is named
 * `<series>-<kind>-<vCPUs>[-lssd|-metal]` (e.g. "n2-standard-16", "c3-standard-8-lssd",
 * "c3-standard-192-metal"); memory is vCPUs x the kind's GB-per-vCPU ratio unless a size gives
 * it explicitly. Compute Engine publishes memory in "GB" that are binary (GiB); the figures are
 * kept as published.
 *
 * Nested virtualization (`advanced_machine_features.enable_nested_virtualization = true`):
 * Compute Engine exposes Intel VT-x only. Not on E2 or N2D, not on AMD or Arm series, not on
 * Intel memory-optimized series; an L1 VM must run on Intel Haswell or later. An organization
 * can forbid it with `constraints/compute.disableNestedVirtualization`.
 * Source: "About nested virtualization" — cloud.google.com/compute/docs/instances/nested-virtualization/overview
 * (Restrictions). The accelerator-optimized series (A2, A3, G2) and N1 GPU shapes are marked not
 * nested-capable here: the page does not list them as supported and GPU pools never nest.
 *
 * Local SSD: each (non-Titanium-large) Local SSD disk is 375 GiB; "-lssd" machine types attach a
 * fixed number of them automatically, others (N1, N2, N2D, A2 highgpu, G2) accept a chosen number
 * at creation. Source: "About Local SSD disks" — cloud.google.com/compute/docs/disks/local-ssd.
 * `localNvme` is set only where the count is fixed by the machine type; attachable counts are in
 * `gcpAttachableLocalSsdCounts`.
 *
 * Where a cited page's tables could not be read in full, sizes were cross-checked against the
 * machine-type tables of Google's GKE cluster-autoscaler (public Go source, `machinetypes` package).
 */
import { CloudProvider, GpuModel, Virtualization } from '../types';
import { buildCatalog, indexShapes } from './build';
import { CloudCatalog, CpuArchitecture, InstanceShape } from './types';

/** Size of one Local SSD disk attached by "-lssd" types and chosen counts. Source: local-ssd page above. */
export const GCP_LOCAL_SSD_DISK_GIB = 375;

/**
 * Series whose VMs may need `min_cpu_platform` for nested virtualization, with the platform the
 * construct must set. Nested virtualization needs Intel Haswell or later (nested-virtualization
 * overview, Restrictions); N1 can still be placed on older Sandy Bridge / Ivy Bridge hosts, so
 * an N1 template with nested virtualization must set `min_cpu_platform = "Intel Skylake"` (the
 * newest N1 platform, which satisfies "Haswell or later"). N2, C3 and C4 run only on Cascade
 * Lake or newer and need no minimum.
 */
export const GCP_NESTED_MIN_CPU_PLATFORM: Readonly<Record<string, string>> = Object.freeze({
  n1: 'Intel Skylake',
});

/** Machine series ("n2" of "n2-standard-16"). */
export function gcpSeriesOf(machineType: string): string {
  const i = machineType.indexOf('-');
  return i < 0 ? machineType : machineType.slice(0, i);
}

/**
 * The `min_cpu_platform` a template must set to enable nested virtualization on `machineType`,
 * or undefined when none is needed.
 */
export function gcpNestedMinCpuPlatform(machineType: string): string | undefined {
  return GCP_NESTED_MIN_CPU_PLATFORM[gcpSeriesOf(machineType)];
}

/**
 * A GPU model that Compute Engine attaches to an N1 VM through `guest_accelerator`.
 * @jsii ignore not in Python: a number-keyed map.
 */
export interface GcpAttachedAccelerator {
  /** `guest_accelerator.type` / accelerator-type name. */
  readonly acceleratorType: string;
  /** Machine series the accelerator attaches to. */
  readonly series: string;
  /** Accepted `guest_accelerator.count` values. */
  readonly counts: readonly number[];
  /** Most vCPUs an N1 VM may have with that many GPUs attached. */
  readonly maxVcpus: Readonly<Record<number, number>>;
}

/**
 * GPU models attached with `guest_accelerator` (the A2, A3 and G2 series carry theirs
 * implicitly). Sources: "GPU machine types" — cloud.google.com/compute/docs/gpus (accelerator
 * name `nvidia-tesla-t4`; T4 is attached to N1 general-purpose types; counts 1, 2, 4).
 * vCPU limits: 48 vCPUs with 1 or 2 T4s, 96 with 4 — the page's T4 table could not be read in
 * full; the 48-vCPU bound is corroborated by the GKE autoscaler source ("the whole CPU range of a
 * T4 GPU (the 48-core ones)"), the 96 one is not independently confirmed. The catalog's T4 shapes
 * stay within 48 vCPUs either way.
 */
export const GCP_ATTACHED_ACCELERATORS: Readonly<Partial<Record<GpuModel, GcpAttachedAccelerator>>> = Object.freeze({
  [GpuModel.T4]: Object.freeze({
    acceleratorType: 'nvidia-tesla-t4',
    series: 'n1',
    counts: Object.freeze([1, 2, 4]),
    maxVcpus: Object.freeze({ 1: 48, 2: 48, 4: 96 }),
  }),
});

/** `guest_accelerator` for a GPU shape that needs one (N1 + T4), else undefined (A2/A3/G2, CPU shapes). */
export function gcpGuestAccelerator(shape: InstanceShape): { readonly type: string; readonly count: number } | undefined {
  if (!shape.gpu) return undefined;
  const acc = GCP_ATTACHED_ACCELERATORS[shape.gpu.model];
  if (!acc || gcpSeriesOf(shape.name) !== acc.series) return undefined;
  return { type: acc.acceleratorType, count: shape.gpu.count };
}

// ---------------------------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------------------------

/** A size: vCPUs, or [vCPUs, memory GB] where the ratio does not give the published memory. */
type Size = number | readonly [vcpus: number, memoryGiB: number];

interface KindSpec {
  /** Series, e.g. "n2". */
  readonly series: string;
  /** Kind, e.g. "standard", "highmem", "highcpu". */
  readonly kind: string;
  /** GB per vCPU for sizes without explicit memory. */
  readonly memPerVcpu: number;
  readonly sizes: readonly Size[];
  readonly arch?: CpuArchitecture;
  /** Nested virtualization on the virtualized sizes. Default false. */
  readonly nested?: boolean;
  /** Name suffix, e.g. "lssd" (Local SSD bundled) or "metal". */
  readonly suffix?: 'lssd' | 'metal';
  /** Fixed Local SSD disk count per vCPU count (required with suffix "lssd"). */
  readonly lssd?: Readonly<Record<number, number>>;
}

function buildKind(spec: KindSpec): InstanceShape[] {
  return spec.sizes.map((size) => {
    const [vcpus, explicitMem] = typeof size === 'number' ? [size, undefined] : size;
    const name = `${spec.series}-${spec.kind}-${vcpus}${spec.suffix ? `-${spec.suffix}` : ''}`;
    const metal = spec.suffix === 'metal';
    const disks = spec.lssd?.[vcpus];
    if (spec.suffix === 'lssd' && disks === undefined) throw new Error(`gcp catalog: Local SSD count of ${name} missing`);
    const shape: InstanceShape = {
      name,
      vcpus,
      memoryGiB: explicitMem ?? vcpus * spec.memPerVcpu,
      arch: spec.arch ?? CpuArchitecture.X86_64,
      metal,
      nestedVirtualization: !metal && (spec.nested ?? false),
      ...(disks !== undefined ? { localNvme: Object.freeze({ disks, diskGiB: GCP_LOCAL_SSD_DISK_GIB }) } : {}),
    };
    return Object.freeze(shape);
  });
}

interface GpuSpec {
  readonly name: string;
  readonly vcpus: number;
  readonly memoryGiB: number;
  readonly model: GpuModel;
  readonly count: number;
  /** Local SSD disks attached automatically (375 GiB each). */
  readonly lssd?: number;
}

function buildGpu(spec: GpuSpec): InstanceShape {
  return Object.freeze({
    name: spec.name,
    vcpus: spec.vcpus,
    memoryGiB: spec.memoryGiB,
    arch: CpuArchitecture.X86_64,
    metal: false,
    nestedVirtualization: false,
    gpu: Object.freeze({ model: spec.model, count: spec.count }),
    ...(spec.lssd ? { localNvme: Object.freeze({ disks: spec.lssd, diskGiB: GCP_LOCAL_SSD_DISK_GIB }) } : {}),
  });
}

// ---------------------------------------------------------------------------------------------
// General-purpose and compute series
// ---------------------------------------------------------------------------------------------

const N2_SIZES = [2, 4, 8, 16, 32, 48, 64, 80, 96, 128];
const N2D_SIZES = [2, 4, 8, 16, 32, 48, 64, 80, 96, 128, 224];
const C3_SIZES = [4, 8, 22, 44, 88, 176];
const C3D_SIZES = [4, 8, 16, 30, 60, 90, 180, 360];
const C4_SIZES = [2, 4, 8, 16, 24, 32, 48, 64, 96, 144, 192, 288];
const C4A_SIZES = [1, 2, 4, 8, 16, 32, 48, 64, 72];

/** C3 "-lssd" fixed Local SSD counts (c3-standard-*-lssd). */
const C3_LSSD: Record<number, number> = { 4: 1, 8: 2, 22: 4, 44: 8, 88: 16, 176: 32 };
/** C3D "-lssd" fixed Local SSD counts (standard and highmem); no 4-vCPU lssd type. */
const C3D_LSSD: Record<number, number> = { 8: 1, 16: 1, 30: 2, 60: 4, 90: 8, 180: 16, 360: 32 };
/** C4 "-lssd" fixed Titanium SSD counts (c4-standard-*-lssd, Granite Rapids). */
const C4_LSSD: Record<number, number> = {
  4: 1, 8: 1, 16: 2, 24: 4, 32: 5, 48: 8, 64: 10, 96: 16, 144: 24, 192: 32, 288: 48,
};
/** C4A "-lssd" fixed Titanium SSD counts (c4a-standard-*-lssd). */
const C4A_LSSD: Record<number, number> = { 4: 1, 8: 2, 16: 4, 32: 6, 48: 10, 64: 14, 72: 16 };

/** C4 memory as published (GB, rounded down by Google: 3.75 and 7.75 GB per vCPU). */
const C4_STANDARD_MEM: Record<number, number> = {
  2: 7, 4: 15, 8: 30, 16: 60, 24: 90, 32: 120, 48: 180, 64: 240, 96: 360, 144: 540, 192: 720, 288: 1080,
};
const C4_HIGHMEM_MEM: Record<number, number> = {
  2: 15, 4: 31, 8: 62, 16: 124, 24: 186, 32: 248, 48: 372, 64: 496, 96: 744, 144: 1116, 192: 1488, 288: 2232,
};
/** C3D highcpu memory as published (about 1.97 GB per vCPU). */
const C3D_HIGHCPU_MEM: Record<number, number> = { 4: 8, 8: 16, 16: 32, 30: 59, 60: 118, 90: 177, 180: 354, 360: 708 };

const withMem = (sizes: readonly number[], mem: Record<number, number>): Size[] => sizes.map((v) => [v, mem[v]] as const);

const KINDS: readonly KindSpec[] = [
  // Source: "General-purpose machine family" — cloud.google.com/compute/docs/general-purpose-machines
  // (N1, N2, N2D, E2, C3, C3D, C4, C4A series tables); vCPU/memory cross-checked against
  // "SAP NetWeaver planning guide" — docs.cloud.google.com/sap/docs/netweaver-planning-guide
  // (certified machine types table: N1, N2, N2D, C3 incl. -192-metal, C3D, C4 incl. -288-metal).

  // N1 (Intel Sandy Bridge..Skylake): nested with min_cpu_platform (GCP_NESTED_MIN_CPU_PLATFORM).
  { series: 'n1', kind: 'standard', memPerVcpu: 3.75, sizes: [1, 2, 4, 8, 16, 32, 64, 96], nested: true },
  { series: 'n1', kind: 'highmem', memPerVcpu: 6.5, sizes: [2, 4, 8, 16, 32, 64, 96], nested: true },
  { series: 'n1', kind: 'highcpu', memPerVcpu: 0.9, sizes: [2, 4, 8, 16, 32, 64, 96], nested: true },
  // N2 (Intel Cascade Lake / Ice Lake). n2-highmem-128 left out: sources disagree on its memory.
  { series: 'n2', kind: 'standard', memPerVcpu: 4, sizes: N2_SIZES, nested: true },
  { series: 'n2', kind: 'highmem', memPerVcpu: 8, sizes: N2_SIZES.filter((v) => v !== 128), nested: true },
  { series: 'n2', kind: 'highcpu', memPerVcpu: 1, sizes: [2, 4, 8, 16, 32, 48, 64, 80, 96], nested: true },
  // N2D (AMD EPYC Rome/Milan): no nested virtualization.
  { series: 'n2d', kind: 'standard', memPerVcpu: 4, sizes: N2D_SIZES },
  { series: 'n2d', kind: 'highmem', memPerVcpu: 8, sizes: [2, 4, 8, 16, 32, 48, 64, 80, 96] },
  { series: 'n2d', kind: 'highcpu', memPerVcpu: 1, sizes: [2, 4, 8, 16, 32, 48, 64, 80, 96] },
  // E2 (shared platform, Intel or AMD): no nested virtualization, no Local SSD.
  { series: 'e2', kind: 'standard', memPerVcpu: 4, sizes: [2, 4, 8, 16, 32] },
  { series: 'e2', kind: 'highmem', memPerVcpu: 8, sizes: [2, 4, 8, 16] },
  { series: 'e2', kind: 'highcpu', memPerVcpu: 1, sizes: [2, 4, 8, 16, 32] },
  // C3 (Intel Sapphire Rapids): nested on VMs; bare metal 192-vCPU types.
  { series: 'c3', kind: 'standard', memPerVcpu: 4, sizes: C3_SIZES, nested: true },
  { series: 'c3', kind: 'highmem', memPerVcpu: 8, sizes: C3_SIZES, nested: true },
  { series: 'c3', kind: 'highcpu', memPerVcpu: 2, sizes: C3_SIZES, nested: true },
  { series: 'c3', kind: 'standard', memPerVcpu: 4, sizes: C3_SIZES, nested: true, suffix: 'lssd', lssd: C3_LSSD },
  // Bare metal: "Bare metal instances on Compute Engine" — cloud.google.com/compute/docs/instances/bare-metal-instances;
  // c3-highcpu-192-metal (512 GB) from the GKE autoscaler table.
  { series: 'c3', kind: 'standard', memPerVcpu: 4, sizes: [192], suffix: 'metal' },
  { series: 'c3', kind: 'highmem', memPerVcpu: 8, sizes: [192], suffix: 'metal' },
  { series: 'c3', kind: 'highcpu', memPerVcpu: 2, sizes: [[192, 512]], suffix: 'metal' },
  // C3D (AMD EPYC Genoa): no nested virtualization.
  { series: 'c3d', kind: 'standard', memPerVcpu: 4, sizes: C3D_SIZES },
  { series: 'c3d', kind: 'highmem', memPerVcpu: 8, sizes: C3D_SIZES },
  { series: 'c3d', kind: 'highcpu', memPerVcpu: 2, sizes: withMem(C3D_SIZES, C3D_HIGHCPU_MEM) },
  { series: 'c3d', kind: 'standard', memPerVcpu: 4, sizes: C3D_SIZES.filter((v) => v !== 4), suffix: 'lssd', lssd: C3D_LSSD },
  { series: 'c3d', kind: 'highmem', memPerVcpu: 8, sizes: C3D_SIZES.filter((v) => v !== 4), suffix: 'lssd', lssd: C3D_LSSD },
  // C4 (Intel Emerald Rapids / Granite Rapids): nested on VMs; bare metal 288-vCPU types.
  // c4-*-lssd and -288-metal: Compute Engine release notes, 2025-07-30 (GA) and 2025-07-02
  // (preview, incl. c4-highcpu-288-metal) — cloud.google.com/compute/docs/release-notes.
  { series: 'c4', kind: 'standard', memPerVcpu: 3.75, sizes: withMem(C4_SIZES, C4_STANDARD_MEM), nested: true },
  { series: 'c4', kind: 'highmem', memPerVcpu: 7.75, sizes: withMem(C4_SIZES, C4_HIGHMEM_MEM), nested: true },
  { series: 'c4', kind: 'highcpu', memPerVcpu: 2, sizes: C4_SIZES, nested: true },
  {
    series: 'c4', kind: 'standard', memPerVcpu: 3.75, nested: true, suffix: 'lssd', lssd: C4_LSSD,
    sizes: withMem(C4_SIZES.filter((v) => v !== 2), C4_STANDARD_MEM),
  },
  { series: 'c4', kind: 'standard', memPerVcpu: 3.75, sizes: [[288, 1080]], suffix: 'metal' },
  { series: 'c4', kind: 'highmem', memPerVcpu: 7.75, sizes: [[288, 2232]], suffix: 'metal' },
  { series: 'c4', kind: 'highcpu', memPerVcpu: 2, sizes: [288], suffix: 'metal' },
  // C4A (Google Axion, Arm): no nested virtualization.
  { series: 'c4a', kind: 'standard', memPerVcpu: 4, sizes: C4A_SIZES, arch: CpuArchitecture.ARM64 },
  { series: 'c4a', kind: 'highmem', memPerVcpu: 8, sizes: C4A_SIZES, arch: CpuArchitecture.ARM64 },
  { series: 'c4a', kind: 'highcpu', memPerVcpu: 2, sizes: C4A_SIZES, arch: CpuArchitecture.ARM64 },
  {
    series: 'c4a', kind: 'standard', memPerVcpu: 4, sizes: Object.keys(C4A_LSSD).map(Number),
    arch: CpuArchitecture.ARM64, suffix: 'lssd', lssd: C4A_LSSD,
  },
];

// ---------------------------------------------------------------------------------------------
// Accelerator-optimized series (GPUs attached implicitly by the machine type)
// ---------------------------------------------------------------------------------------------

/**
 * Source: "GPU machine types" — cloud.google.com/compute/docs/gpus, and "Accelerator-optimized
 * machine family" — cloud.google.com/compute/docs/accelerator-optimized-machines
 * (a3-highgpu-8g: 8 H100, 208 vCPUs, 1,872 GB, 6,000 GB bundled Local SSD; g2-standard-4/8: 1 L4,
 * 4/8 vCPUs, 16/32 GB). Remaining sizes and bundled Local SSD counts from the GKE autoscaler table.
 * A2 highgpu and G2 accept optional Local SSD (see gcpAttachableLocalSsdCounts).
 */
const GPU_SPECS: readonly GpuSpec[] = [
  // G2: NVIDIA L4.
  ...([[4, 1], [8, 1], [12, 1], [16, 1], [24, 2], [32, 1], [48, 4], [96, 8]] as const).map(([vcpus, count]) => ({
    name: `g2-standard-${vcpus}`, vcpus, memoryGiB: vcpus * 4, model: GpuModel.L4, count,
  })),
  // A2 Standard: NVIDIA A100 40GB.
  { name: 'a2-highgpu-1g', vcpus: 12, memoryGiB: 85, model: GpuModel.A100_40GB, count: 1 },
  { name: 'a2-highgpu-2g', vcpus: 24, memoryGiB: 170, model: GpuModel.A100_40GB, count: 2 },
  { name: 'a2-highgpu-4g', vcpus: 48, memoryGiB: 340, model: GpuModel.A100_40GB, count: 4 },
  { name: 'a2-highgpu-8g', vcpus: 96, memoryGiB: 680, model: GpuModel.A100_40GB, count: 8 },
  { name: 'a2-megagpu-16g', vcpus: 96, memoryGiB: 1360, model: GpuModel.A100_40GB, count: 16 },
  // A2 Ultra: NVIDIA A100 80GB, Local SSD bundled.
  { name: 'a2-ultragpu-1g', vcpus: 12, memoryGiB: 170, model: GpuModel.A100_80GB, count: 1, lssd: 1 },
  { name: 'a2-ultragpu-2g', vcpus: 24, memoryGiB: 340, model: GpuModel.A100_80GB, count: 2, lssd: 2 },
  { name: 'a2-ultragpu-4g', vcpus: 48, memoryGiB: 680, model: GpuModel.A100_80GB, count: 4, lssd: 4 },
  { name: 'a2-ultragpu-8g', vcpus: 96, memoryGiB: 1360, model: GpuModel.A100_80GB, count: 8, lssd: 8 },
  // A3 High / Mega: NVIDIA H100 80GB, Local SSD bundled.
  { name: 'a3-highgpu-1g', vcpus: 26, memoryGiB: 234, model: GpuModel.H100, count: 1, lssd: 2 },
  { name: 'a3-highgpu-2g', vcpus: 52, memoryGiB: 468, model: GpuModel.H100, count: 2, lssd: 4 },
  { name: 'a3-highgpu-4g', vcpus: 104, memoryGiB: 936, model: GpuModel.H100, count: 4, lssd: 8 },
  { name: 'a3-highgpu-8g', vcpus: 208, memoryGiB: 1872, model: GpuModel.H100, count: 8, lssd: 16 },
  { name: 'a3-megagpu-8g', vcpus: 208, memoryGiB: 1872, model: GpuModel.H100, count: 8, lssd: 16 },
  // A3 Ultra: NVIDIA H200 141GB, sold only as 8 GPUs; 32 x 375 GiB = 12,000 GiB Titanium SSD.
  { name: 'a3-ultragpu-8g', vcpus: 224, memoryGiB: 2952, model: GpuModel.H200, count: 8, lssd: 32 },
];

/**
 * T4 GPU shapes: N1 machine types with `nvidia-tesla-t4` attached through `guest_accelerator`
 * (GCP_ATTACHED_ACCELERATORS). One representative type per GPU count, 8 vCPUs per GPU, within
 * the 48-vCPU limit. Their names are ordinary N1 machine types, so they are kept out of
 * `shape(name)` (which returns the GPU-less N1 shape); `gpuShapes(T4)` returns them.
 */
const ATTACHED_GPU_SPECS: readonly GpuSpec[] = [
  { name: 'n1-standard-8', vcpus: 8, memoryGiB: 30, model: GpuModel.T4, count: 1 },
  { name: 'n1-standard-16', vcpus: 16, memoryGiB: 60, model: GpuModel.T4, count: 2 },
  { name: 'n1-standard-32', vcpus: 32, memoryGiB: 120, model: GpuModel.T4, count: 4 },
];

/** Every shape reachable through `shape(name)` (unique names), frozen. */
export const GCP_INSTANCE_SHAPES: readonly InstanceShape[] = Object.freeze([
  ...KINDS.flatMap(buildKind),
  ...GPU_SPECS.map(buildGpu),
]);

/** N1 + T4 shapes (names shared with GPU-less N1 shapes). */
export const GCP_ATTACHED_GPU_SHAPES: readonly InstanceShape[] = Object.freeze(ATTACHED_GPU_SPECS.map(buildGpu));

const SHAPES_BY_NAME: ReadonlyMap<string, InstanceShape> = (() => {
  const byName = indexShapes(CloudProvider.GCP, GCP_INSTANCE_SHAPES);
  for (const s of GCP_ATTACHED_GPU_SHAPES) {
    const base = byName.get(s.name);
    if (!base || base.vcpus !== s.vcpus || base.memoryGiB !== s.memoryGiB) {
      throw new Error(`gcp catalog: attached-GPU shape ${s.name} does not match its N1 machine type`);
    }
  }
  return byName;
})();

/**
 * A GPU shape by name and model: the implicit-GPU shape of that name, or an N1 type with
 * `count` (default: the catalog's count for that type) attached accelerators of `model` when the
 * type is N1 and within the accelerator's vCPU limit. `shape(name)` cannot express "n1-standard-16
 * with 2 T4", so validation of an explicit N1 GPU instance type should use this.
 */
export function gcpGpuShape(name: string, model: GpuModel, count?: number): InstanceShape | undefined {
  const base = SHAPES_BY_NAME.get(name);
  if (!base) return undefined;
  if (base.gpu) return base.gpu.model === model && (count === undefined || count === base.gpu.count) ? base : undefined;
  const acc = GCP_ATTACHED_ACCELERATORS[model];
  if (!acc || gcpSeriesOf(name) !== acc.series) return undefined;
  const wanted = count ?? GCP_ATTACHED_GPU_SHAPES.find((s) => s.name === name && s.gpu?.model === model)?.gpu?.count;
  if (wanted === undefined || !acc.counts.includes(wanted)) return undefined;
  if (base.vcpus > (acc.maxVcpus[wanted] ?? 0)) return undefined;
  return Object.freeze({ ...base, nestedVirtualization: false, gpu: Object.freeze({ model, count: wanted }) });
}

/**
 * Local SSD counts a machine type accepts at creation when it has no fixed ("-lssd") set:
 * N1 1-8, 16 or 24; N2 and N2D by size; A2 highgpu 1-8 (by size); G2 exactly the GPU-proportional
 * count. Empty for types that take none (E2, C3/C4 without -lssd, C4A, A3, metal).
 * Source: "About Local SSD disks" — cloud.google.com/compute/docs/disks/local-ssd ("Choose a valid
 * number of Local SSD disks"); counts per size from the GKE autoscaler table.
 */
export function gcpAttachableLocalSsdCounts(machineType: string): readonly number[] {
  const shape = SHAPES_BY_NAME.get(machineType);
  if (!shape || shape.localNvme || shape.metal) return [];
  const series = gcpSeriesOf(machineType);
  const v = shape.vcpus;
  switch (series) {
    case 'n1':
      return [1, 2, 3, 4, 5, 6, 7, 8, 16, 24];
    case 'n2':
      if (v <= 8) return [1, 2, 4, 8, 16, 24];
      if (v <= 16) return [2, 4, 8, 16, 24];
      if (v <= 32) return [4, 8, 16, 24];
      if (v <= 80) return [8, 16, 24];
      return [16, 24];
    case 'n2d':
      if (v <= 16) return [1, 2, 4, 8, 16, 24];
      if (v <= 48) return [2, 4, 8, 16, 24];
      if (v <= 80) return [4, 8, 16, 24];
      return [8, 16, 24];
    case 'a2': {
      const counts: Record<string, readonly number[]> = {
        'a2-highgpu-1g': [1, 2, 4, 8], 'a2-highgpu-2g': [2, 4, 8], 'a2-highgpu-4g': [4, 8],
        'a2-highgpu-8g': [8], 'a2-megagpu-16g': [8],
      };
      return counts[machineType] ?? [];
    }
    case 'g2':
      return shape.gpu ? [shape.gpu.count] : [];
    default:
      return [];
  }
}

/**
 * Default sandbox machine types by virtualization.
 * - BARE_METAL: c3-standard-192-metal (192 vCPU, 768 GB), the general-purpose bare-metal type
 *   with the 1:4 ratio (memory-bound microVM density, as on AWS); c4-standard-288-metal is larger
 *   and newer, and offered in fewer zones.
 * - NESTED: n2-standard-16 (16 vCPU, 64 GB). N2 rather than C3: N2 nests on any of its platforms
 *   with no min_cpu_platform, has a 16-vCPU size (C3 jumps 8 -> 22), accepts attachable Local SSD,
 *   and is sold in nearly every zone; the same 1:4 ratio as the AWS default m8i.4xlarge.
 * - NONE: n2-standard-16 as well: gVisor needs no /dev/kvm, and one machine type for both kinds
 *   of pool keeps quota requests to one series.
 */
export const GCP_DEFAULT_SANDBOX_TYPES: Readonly<Record<Virtualization, string>> = Object.freeze({
  [Virtualization.BARE_METAL]: 'c3-standard-192-metal',
  [Virtualization.NESTED]: 'n2-standard-16',
  [Virtualization.NONE]: 'n2-standard-16',
});

/**
 * Region lists for GPU models are left unknown (undefined): GPU zones on Compute Engine change
 * often and are listed per zone ("GPU regions and zones availability" —
 * cloud.google.com/compute/docs/gpus/gpu-regions-zones). A model GCP does not sell (A10, A10G)
 * is sold in no region.
 */
export const GCP_CATALOG: CloudCatalog = buildCatalog({
  cloud: CloudProvider.GCP,
  shapes: GCP_INSTANCE_SHAPES,
  attachedGpuShapes: GCP_ATTACHED_GPU_SHAPES,
  defaultSandboxTypes: GCP_DEFAULT_SANDBOX_TYPES,
  gpuShape: gcpGpuShape,
});
