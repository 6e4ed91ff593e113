/**
 * Azure VM size catalog. Pure data: no cdktf or provider imports.
 *
 * Every table is taken from the size-series page on Microsoft Learn
 * (learn.microsoft.com/azure/virtual-machines/sizes/<family>/<series>, source:
 * github.com/MicrosoftDocs/azure-compute-docs, articles/virtual-machines/sizes/...). Each page's
 * "Feature support" section says whether the series supports nested virtualization and which VM
 * generations it runs; memory is kept as published (the pages label it GB or GiB; it is GiB).
 *
 * Azure sells no bare-metal VM size: `defaultSandboxType(BARE_METAL)` is undefined, and no shape
 * is metal. Nested virtualization is a property of the size (no template switch): Dv3, Dsv5,
 * Ddsv5, Dasv5, Dsv6, Ddsv6, Dasv6 and Lsv3 support it; no GPU size does.
 *
 * `localNvme` is set only where the page lists NVMe local disks (Ddsv6, Lsv3, ND H100 v5,
 * ND H200 v5). SCSI temp ("resource") disks are in AZURE_TEMP_DISK_GIB instead.
 */
import { CloudProvider, GpuModel, Virtualization } from '../types';
import { buildCatalog } from './build';
import { CloudCatalog, CpuArchitecture, InstanceShape } from './types';

/** VM generations (Hyper-V generation 1 / 2) a series runs. */
export type AzureVmGeneration = 1 | 2;

interface SeriesSpec {
  /** Series name as Microsoft writes it, e.g. "Dsv5". */
  readonly series: string;
  /** Size names with vCPUs and memory (GiB). */
  readonly sizes: readonly (readonly [name: string, vcpus: number, memoryGiB: number])[];
  readonly nested: boolean;
  readonly generations: readonly AzureVmGeneration[];
  readonly arch?: CpuArchitecture;
  /** GPU model and per-size count; every size must be listed when present. */
  readonly gpu?: { readonly model: GpuModel; readonly count: Readonly<Record<string, number>> };
  /** NVMe local disks [count, GiB each] by size. */
  readonly nvme?: Readonly<Record<string, readonly [disks: number, diskGiB: number]>>;
  /** SCSI temp disk GiB by size. */
  readonly tempDiskGiB?: Readonly<Record<string, number>>;
}

/** D-family general-purpose sizes: `Standard_D<n><letters>_v<gen>` at 4 GiB per vCPU. */
function dSizes(letters: string, version: string, vcpus: readonly number[]): [string, number, number][] {
  return vcpus.map((v) => [`Standard_D${v}${letters}_${version}`, v, v * 4]);
}

const V5_VCPUS = [2, 4, 8, 16, 32, 48, 64, 96];

const SERIES: readonly SeriesSpec[] = [
  // ---- General purpose ------------------------------------------------------------------------
  // Source: "Dv3 sizes series" — learn.microsoft.com/azure/virtual-machines/sizes/general-purpose/dv3-series
  // (previous generation; "VM Generation Support: Generation 1"; Nested Virtualization: Supported).
  {
    series: 'Dv3', sizes: dSizes('', 'v3', [2, 4, 8, 16, 32, 48, 64]), nested: true, generations: [1],
    tempDiskGiB: {
      Standard_D2_v3: 50, Standard_D4_v3: 100, Standard_D8_v3: 200, Standard_D16_v3: 400,
      Standard_D32_v3: 800, Standard_D48_v3: 1200, Standard_D64_v3: 1600,
    },
  },
  // Source: ".../general-purpose/dsv5-series" (Intel Ice Lake / Sapphire Rapids / Emerald Rapids; Gen 1 and 2; nested Supported).
  { series: 'Dsv5', sizes: dSizes('s', 'v5', V5_VCPUS), nested: true, generations: [1, 2] },
  // Source: ".../general-purpose/ddsv5-series" (SCSI temp disk; Gen 1 and 2; nested Supported).
  {
    series: 'Ddsv5', sizes: dSizes('ds', 'v5', V5_VCPUS), nested: true, generations: [1, 2],
    tempDiskGiB: {
      Standard_D2ds_v5: 75, Standard_D4ds_v5: 150, Standard_D8ds_v5: 300, Standard_D16ds_v5: 600,
      Standard_D32ds_v5: 1200, Standard_D48ds_v5: 1800, Standard_D64ds_v5: 2400, Standard_D96ds_v5: 3600,
    },
  },
  // Source: ".../general-purpose/dasv5-series" (AMD EPYC; Gen 1 and 2; nested Supported).
  { series: 'Dasv5', sizes: dSizes('as', 'v5', V5_VCPUS), nested: true, generations: [1, 2] },
  // Source: ".../general-purpose/dsv6-series" (Intel Emerald Rapids; Gen 2 only; nested Supported).
  { series: 'Dsv6', sizes: dSizes('s', 'v6', [...V5_VCPUS, 128, 192]), nested: true, generations: [2] },
  // Source: ".../general-purpose/ddsv6-series" (NVMe local disks; Gen 2 only; nested Supported).
  {
    series: 'Ddsv6', sizes: dSizes('ds', 'v6', [...V5_VCPUS, 128]), nested: true, generations: [2],
    nvme: {
      Standard_D2ds_v6: [1, 110], Standard_D4ds_v6: [1, 220], Standard_D8ds_v6: [1, 440],
      Standard_D16ds_v6: [2, 440], Standard_D32ds_v6: [4, 440], Standard_D48ds_v6: [6, 440],
      Standard_D64ds_v6: [4, 880], Standard_D96ds_v6: [6, 880], Standard_D128ds_v6: [4, 1760],
    },
  },
  // Source: ".../general-purpose/dasv6-series" (AMD EPYC Genoa; Gen 2 only, NVMe-capable images only; nested Supported).
  { series: 'Dasv6', sizes: dSizes('as', 'v6', V5_VCPUS), nested: true, generations: [2] },

  // ---- Storage optimized ----------------------------------------------------------------------
  // Source: ".../storage-optimized/lsv3-series" (NVMe disks of 1.92 TB, kept as published in
  // decimal GB like the AWS catalog; Gen 1 and 2; nested Supported).
  {
    series: 'Lsv3', nested: true, generations: [1, 2],
    sizes: [8, 16, 32, 48, 64, 80].map((v) => [`Standard_L${v}s_v3`, v, v * 8] as [string, number, number]),
    nvme: {
      Standard_L8s_v3: [1, 1920], Standard_L16s_v3: [2, 1920], Standard_L32s_v3: [4, 1920],
      Standard_L48s_v3: [6, 1920], Standard_L64s_v3: [8, 1920], Standard_L80s_v3: [10, 1920],
    },
    tempDiskGiB: {
      Standard_L8s_v3: 80, Standard_L16s_v3: 160, Standard_L32s_v3: 320, Standard_L48s_v3: 480,
      Standard_L64s_v3: 640, Standard_L80s_v3: 800,
    },
  },

  // ---- GPU accelerated (no series supports nested virtualization) ------------------------------
  // Source: ".../gpu-accelerated/ncast4v3-series" (NVIDIA T4; Gen 1 and 2; nested Not Supported).
  {
    series: 'NCasT4_v3', nested: false, generations: [1, 2],
    sizes: [
      ['Standard_NC4as_T4_v3', 4, 28], ['Standard_NC8as_T4_v3', 8, 56],
      ['Standard_NC16as_T4_v3', 16, 110], ['Standard_NC64as_T4_v3', 64, 440],
    ],
    gpu: {
      model: GpuModel.T4,
      count: { Standard_NC4as_T4_v3: 1, Standard_NC8as_T4_v3: 1, Standard_NC16as_T4_v3: 1, Standard_NC64as_T4_v3: 4 },
    },
    tempDiskGiB: {
      Standard_NC4as_T4_v3: 176, Standard_NC8as_T4_v3: 352, Standard_NC16as_T4_v3: 352, Standard_NC64as_T4_v3: 2816,
    },
  },
  // Source: ".../gpu-accelerated/nvadsa10v5-series" (NVIDIA A10; Gen 1 and 2; nested Not Supported).
  // Only whole-GPU sizes: NV6ads/NV12ads/NV18ads_A10_v5 carry 1/6, 1/3, 1/2 of a GPU
  // (AZURE_FRACTIONAL_GPU_SIZES) and are left out.
  {
    series: 'NVadsA10_v5', nested: false, generations: [1, 2],
    sizes: [
      ['Standard_NV36ads_A10_v5', 36, 440], ['Standard_NV36adms_A10_v5', 36, 880], ['Standard_NV72ads_A10_v5', 72, 880],
    ],
    gpu: {
      model: GpuModel.A10,
      count: { Standard_NV36ads_A10_v5: 1, Standard_NV36adms_A10_v5: 1, Standard_NV72ads_A10_v5: 2 },
    },
    tempDiskGiB: { Standard_NV36ads_A10_v5: 1440, Standard_NV36adms_A10_v5: 2880, Standard_NV72ads_A10_v5: 2880 },
  },
  // Source: ".../gpu-accelerated/ndasra100v4-series" (8 x A100 40GB, 320 GB GPU memory; Gen 2; nested Not Supported).
  {
    series: 'NDasrA100_v4', nested: false, generations: [2],
    sizes: [['Standard_ND96asr_v4', 96, 900]],
    gpu: { model: GpuModel.A100_40GB, count: { Standard_ND96asr_v4: 8 } },
    tempDiskGiB: { Standard_ND96asr_v4: 6000 },
  },
  // Source: ".../gpu-accelerated/nca100v4-series" (A100 PCIe 80GB; Gen 2; nested Not Supported).
  {
    series: 'NC_A100_v4', nested: false, generations: [2],
    sizes: [
      ['Standard_NC24ads_A100_v4', 24, 220], ['Standard_NC48ads_A100_v4', 48, 440], ['Standard_NC96ads_A100_v4', 96, 880],
    ],
    gpu: {
      model: GpuModel.A100_80GB,
      count: { Standard_NC24ads_A100_v4: 1, Standard_NC48ads_A100_v4: 2, Standard_NC96ads_A100_v4: 4 },
    },
    tempDiskGiB: { Standard_NC24ads_A100_v4: 64, Standard_NC48ads_A100_v4: 128, Standard_NC96ads_A100_v4: 256 },
  },
  // Source: ".../gpu-accelerated/ndma100v4-series" (8 x A100 80GB; Gen 2; nested Not Supported).
  {
    series: 'NDm_A100_v4', nested: false, generations: [2],
    sizes: [['Standard_ND96amsr_A100_v4', 96, 1900]],
    gpu: { model: GpuModel.A100_80GB, count: { Standard_ND96amsr_A100_v4: 8 } },
    tempDiskGiB: { Standard_ND96amsr_A100_v4: 6400 },
  },
  // Source: ".../gpu-accelerated/ncadsh100v5-series" (H100 NVL, 94 GB per GPU; Gen 2; nested Not Supported).
  {
    series: 'NCads_H100_v5', nested: false, generations: [2],
    sizes: [['Standard_NC40ads_H100_v5', 40, 320], ['Standard_NC80adis_H100_v5', 80, 640]],
    gpu: { model: GpuModel.H100, count: { Standard_NC40ads_H100_v5: 1, Standard_NC80adis_H100_v5: 2 } },
    tempDiskGiB: { Standard_NC40ads_H100_v5: 3576, Standard_NC80adis_H100_v5: 7152 },
  },
  // Source: ".../gpu-accelerated/ndh100v5-series" (8 x H100; 8 NVMe disks, 28 TiB in all; Gen 2; nested Not Supported).
  {
    series: 'ND_H100_v5', nested: false, generations: [2],
    sizes: [['Standard_ND96isr_H100_v5', 96, 1900]],
    gpu: { model: GpuModel.H100, count: { Standard_ND96isr_H100_v5: 8 } },
    nvme: { Standard_ND96isr_H100_v5: [8, 3584] },
    tempDiskGiB: { Standard_ND96isr_H100_v5: 1024 },
  },
  // Source: ".../gpu-accelerated/nd-h200-v5-series" (8 x H200; 8 NVMe disks, 28 TiB in all; Gen 2; nested Not Supported).
  {
    series: 'ND_H200_v5', nested: false, generations: [2],
    sizes: [['Standard_ND96isr_H200_v5', 96, 1850]],
    gpu: { model: GpuModel.H200, count: { Standard_ND96isr_H200_v5: 8 } },
    nvme: { Standard_ND96isr_H200_v5: [8, 3584] },
    tempDiskGiB: { Standard_ND96isr_H200_v5: 1024 },
  },
];

/**
 * NVadsA10_v5 sizes that carry a fraction of one A10 (vGPU partitions): not whole-GPU shapes,
 * so not in the catalog. Source: nvadsa10v5-series page (Accelerators: 1/6, 1/3, 1/2).
 */
export const AZURE_FRACTIONAL_GPU_SIZES: readonly string[] = Object.freeze([
  'Standard_NV6ads_A10_v5', 'Standard_NV12ads_A10_v5', 'Standard_NV18ads_A10_v5',
]);

function buildSeries(spec: SeriesSpec): InstanceShape[] {
  return spec.sizes.map(([name, vcpus, memoryGiB]) => {
    const gpuCount = spec.gpu?.count[name];
    if (spec.gpu && gpuCount === undefined) throw new Error(`azure catalog: GPU count of ${name} missing`);
    if (spec.nvme && !spec.nvme[name]) throw new Error(`azure catalog: NVMe disks of ${name} missing`);
    const nvme = spec.nvme?.[name];
    const shape: InstanceShape = {
      name,
      vcpus,
      memoryGiB,
      arch: spec.arch ?? CpuArchitecture.X86_64,
      metal: false,
      nestedVirtualization: spec.nested,
      ...(spec.gpu && gpuCount !== undefined ? { gpu: Object.freeze({ model: spec.gpu.model, count: gpuCount }) } : {}),
      ...(nvme ? { localNvme: Object.freeze({ disks: nvme[0], diskGiB: nvme[1] }) } : {}),
    };
    return Object.freeze(shape);
  });
}

/** Every shape in the Azure catalog, frozen. */
export const AZURE_INSTANCE_SHAPES: readonly InstanceShape[] = Object.freeze(SERIES.flatMap(buildSeries));

const SERIES_BY_SIZE: ReadonlyMap<string, SeriesSpec> = new Map(
  SERIES.flatMap((spec) => spec.sizes.map(([name]) => [name, spec] as const)),
);

/** Series of a catalog size ("Dsv5" for "Standard_D8s_v5"), or undefined outside the catalog. */
export function azureSeriesOf(size: string): string | undefined {
  return SERIES_BY_SIZE.get(size)?.series;
}

/** VM generations a catalog size runs, per its series page, or undefined outside the catalog. */
export function azureVmGenerations(size: string): readonly AzureVmGeneration[] | undefined {
  return SERIES_BY_SIZE.get(size)?.generations;
}

/**
 * True when the size runs only generation-1 VMs, so the image (and the scale set) must be Gen1:
 * no Trusted Launch / Secure Boot / vTPM, which need Gen2. Per the Dv3 page this holds for the
 * whole Dv3 series, nested or not; it is not a nested-virtualization-specific restriction.
 */
export function azureRequiresGen1Image(size: string): boolean {
  const gens = azureVmGenerations(size);
  return gens !== undefined && !gens.includes(2);
}

/** SCSI temp (resource) disk size in GiB by size, where the series has one. */
export const AZURE_TEMP_DISK_GIB: Readonly<Record<string, number>> = Object.freeze(
  Object.fromEntries(SERIES.flatMap((spec) => Object.entries(spec.tempDiskGiB ?? {}))),
);

/**
 * Default sandbox sizes by virtualization. Azure has no bare-metal size, so BARE_METAL has none.
 * - NESTED: Standard_D16s_v5 (16 vCPU, 64 GiB): Intel, nested virtualization supported, runs Gen1
 *   and Gen2 images (Trusted Launch possible), widely available; the 1:4 ratio of the AWS default.
 * - NONE: Standard_D16as_v5 (AMD, same shape): gVisor needs no /dev/kvm and Dasv5 is the cheaper
 *   v5 general-purpose series.
 */
export const AZURE_DEFAULT_SANDBOX_TYPES: Readonly<Partial<Record<Virtualization, string>>> = Object.freeze({
  [Virtualization.NESTED]: 'Standard_D16s_v5',
  [Virtualization.NONE]: 'Standard_D16as_v5',
});

/**
 * Region lists are left unknown (undefined) for the models Azure sells: availability differs per
 * size and changes often ("Products available by region"). A model Azure does not sell (L4, A10G)
 * is sold in no region.
 */
export const AZURE_CATALOG: CloudCatalog = buildCatalog({
  cloud: CloudProvider.AZURE,
  shapes: AZURE_INSTANCE_SHAPES,
  defaultSandboxTypes: AZURE_DEFAULT_SANDBOX_TYPES,
});
