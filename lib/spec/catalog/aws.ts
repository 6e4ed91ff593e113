/**
 * AWS instance catalog. Pure data: no cdktf or provider imports.
 *
 * Shapes are generated from per-family size tables. A size's vCPU count follows from its
 * name (medium = 1, large = 2, xlarge = 4, Nxlarge = 4N, metal-Nxl = 4N); plain "metal"
 * sizes and irregular shapes give their vCPUs (and memory) explicitly. Memory is
 * vCPUs x the family's GiB-per-vCPU ratio unless given.
 *
 * Instance store: AWS publishes volume sizes in (decimal) GB; `diskGiB` holds the published
 * figure unchanged, so it slightly overstates the GiB a host will see.
 */
import { CloudProvider, GpuModel, Virtualization } from '../types';
import { buildCatalog } from './build';
import { CloudCatalog, CpuArchitecture, InstanceShape } from './types';

/** Oldest hashicorp/aws provider with `cpu_options.nested_virtualization` (aws_instance, aws_launch_template). */
export const AWS_NESTED_VIRTUALIZATION_MIN_PROVIDER = '6.33.0';

/**
 * Families whose virtualized (non-metal) sizes can expose VT-x to the guest via the
 * `NestedVirtualization` CPU option: 8th-generation Intel C8i, M8i, R8i and their flex variants.
 * Source: "Use nested virtualization to run hypervisors in Amazon EC2 instances" —
 * docs.aws.amazon.com/AWSEC2/latest/UserGuide/amazon-ec2-nested-virtualization.html, and
 * EC2 API reference LaunchTemplateCpuOptionsRequest.NestedVirtualization.
 * Not the d variants (c8id, m8id, r8id): the API text names only c8i, m8i, r8i and flex.
 */
export const AWS_NESTED_VIRTUALIZATION_FAMILIES: readonly string[] = Object.freeze([
  'c8i', 'c8i-flex', 'm8i', 'm8i-flex', 'r8i', 'r8i-flex',
]);

/** [disks, size of each disk as published by AWS]. */
type Nvme = readonly [disks: number, diskGiB: number];

/** A size name, or [size, vCPUs, memory GiB?] where the name does not determine them. */
type SizeSpec = string | readonly [size: string, vcpus: number, memoryGiB?: number];

interface FamilySpec {
  /** Family prefix before the dot, e.g. "c7i", "m8i-flex". */
  readonly family: string;
  /** Memory per vCPU, used when a size gives no explicit memory. */
  readonly memPerVcpu: number;
  readonly sizes: readonly SizeSpec[];
  /** Default x86_64. */
  readonly arch?: CpuArchitecture;
  /** Virtualized sizes can enable nested virtualization (never applies to metal). Default false. */
  readonly nested?: boolean;
  /** Instance store by size; every size must be listed when present. */
  readonly nvme?: Readonly<Record<string, Nvme>>;
  /** GPU model and per-size count; every size must be listed when present. */
  readonly gpu?: { readonly model: GpuModel; readonly count: Readonly<Record<string, number>> };
}

/** vCPUs implied by an AWS size name, or undefined when the name does not say (e.g. "metal"). */
export function vcpusFromSizeName(size: string): number | undefined {
  if (size === 'medium') return 1;
  if (size === 'large') return 2;
  if (size === 'xlarge') return 4;
  const m = /^(?:(\d+)xlarge|metal-(\d+)xl)$/.exec(size);
  if (!m) return undefined;
  return 4 * Number(m[1] ?? m[2]);
}

function isMetalSize(size: string): boolean {
  return size === 'metal' || size.startsWith('metal-');
}

function buildFamily(spec: FamilySpec): InstanceShape[] {
  return spec.sizes.map((entry) => {
    const [size, explicitVcpus, explicitMem] = typeof entry === 'string' ? [entry, undefined, undefined] : entry;
    const name = `${spec.family}.${size}`;
    const vcpus = explicitVcpus ?? vcpusFromSizeName(size);
    if (vcpus === undefined) throw new Error(`aws catalog: vCPUs of ${name} must be given explicitly`);
    const metal = isMetalSize(size);
    const nvme = spec.nvme?.[size];
    if (spec.nvme && !nvme) throw new Error(`aws catalog: instance store of ${name} missing`);
    const gpuCount = spec.gpu?.count[size];
    if (spec.gpu && gpuCount === undefined) throw new Error(`aws catalog: GPU count of ${name} missing`);
    const shape: InstanceShape = {
      name,
      vcpus,
      memoryGiB: explicitMem ?? vcpus * spec.memPerVcpu,
      arch: spec.arch ?? CpuArchitecture.X86_64,
      metal,
      nestedVirtualization: !metal && (spec.nested ?? false),
      ...(spec.gpu && gpuCount !== undefined ? { gpu: Object.freeze({ model: spec.gpu.model, count: gpuCount }) } : {}),
      ...(nvme ? { localNvme: Object.freeze({ disks: nvme[0], diskGiB: nvme[1] }) } : {}),
    };
    return Object.freeze(shape);
  });
}

// ---------------------------------------------------------------------------------------------
// Size lists shared by families (as sold; checked against the "Instance families and instance
// types" table of each page cited below).
// ---------------------------------------------------------------------------------------------

const GEN5_SIZES = ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge'];
const C5_SIZES = ['large', 'xlarge', '2xlarge', '4xlarge', '9xlarge', '12xlarge', '18xlarge', '24xlarge'];
const GEN6_SIZES = [...GEN5_SIZES, '32xlarge'];
const GEN7I_SIZES = [...GEN5_SIZES, '48xlarge', 'metal-24xl', 'metal-48xl'];
const GEN8I_SIZES = [...GEN6_SIZES, '48xlarge', '96xlarge', 'metal-48xl', 'metal-96xl'];
const FLEX_SIZES = ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge'];
const GRAVITON3_SIZES: readonly SizeSpec[] = [
  'medium', 'large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', ['metal', 64],
];

// Instance store tables (volumes x GB).
/** c5d. Source: co.html, "Instance store specifications". */
const NVME_C5D: Record<string, Nvme> = {
  large: [1, 50], xlarge: [1, 100], '2xlarge': [1, 200], '4xlarge': [1, 400], '9xlarge': [1, 900],
  '12xlarge': [2, 900], '18xlarge': [2, 900], '24xlarge': [4, 900], metal: [4, 900],
};
/** m5d and r5d (identical). Sources: gp.html and mo.html, "Instance store specifications". */
const NVME_M5D_R5D: Record<string, Nvme> = {
  large: [1, 75], xlarge: [1, 150], '2xlarge': [1, 300], '4xlarge': [2, 300], '8xlarge': [2, 600],
  '12xlarge': [2, 900], '16xlarge': [4, 600], '24xlarge': [4, 900], metal: [4, 900],
};
/** c6id, m6id and r6id (identical). Sources: co.html, gp.html, mo.html, "Instance store specifications". */
const NVME_6ID: Record<string, Nvme> = {
  large: [1, 118], xlarge: [1, 237], '2xlarge': [1, 474], '4xlarge': [1, 950], '8xlarge': [1, 1900],
  '12xlarge': [2, 1425], '16xlarge': [2, 1900], '24xlarge': [4, 1425], '32xlarge': [4, 1900], metal: [4, 1900],
};

// ---------------------------------------------------------------------------------------------
// Families
// ---------------------------------------------------------------------------------------------

const FAMILIES: readonly FamilySpec[] = [
  // Source: "Specifications for Amazon EC2 compute optimized instances" —
  // docs.aws.amazon.com/ec2/latest/instancetypes/co.html (performance and instance store tables).
  { family: 'c5', memPerVcpu: 2, sizes: [...C5_SIZES, ['metal', 96]] },
  { family: 'c5d', memPerVcpu: 2, sizes: [...C5_SIZES, ['metal', 96]], nvme: NVME_C5D },
  { family: 'c6i', memPerVcpu: 2, sizes: [...GEN6_SIZES, ['metal', 128]] },
  { family: 'c6id', memPerVcpu: 2, sizes: [...GEN6_SIZES, ['metal', 128]], nvme: NVME_6ID },
  { family: 'c7i', memPerVcpu: 2, sizes: GEN7I_SIZES },
  { family: 'c7g', memPerVcpu: 2, sizes: GRAVITON3_SIZES, arch: CpuArchitecture.ARM64 },
  // 8th-gen Intel: virtualized sizes support nested virtualization (see AWS_NESTED_VIRTUALIZATION_FAMILIES).
  { family: 'c8i', memPerVcpu: 2, sizes: GEN8I_SIZES, nested: true },
  { family: 'c8i-flex', memPerVcpu: 2, sizes: FLEX_SIZES, nested: true },

  // Source: "Specifications for Amazon EC2 general purpose instances" —
  // docs.aws.amazon.com/ec2/latest/instancetypes/gp.html (performance and instance store tables).
  { family: 'm5', memPerVcpu: 4, sizes: [...GEN5_SIZES, ['metal', 96]] },
  { family: 'm5d', memPerVcpu: 4, sizes: [...GEN5_SIZES, ['metal', 96]], nvme: NVME_M5D_R5D },
  { family: 'm6i', memPerVcpu: 4, sizes: [...GEN6_SIZES, ['metal', 128]] },
  { family: 'm6id', memPerVcpu: 4, sizes: [...GEN6_SIZES, ['metal', 128]], nvme: NVME_6ID },
  { family: 'm7i', memPerVcpu: 4, sizes: GEN7I_SIZES },
  { family: 'm7g', memPerVcpu: 4, sizes: GRAVITON3_SIZES, arch: CpuArchitecture.ARM64 },
  { family: 'm8i', memPerVcpu: 4, sizes: GEN8I_SIZES, nested: true },
  { family: 'm8i-flex', memPerVcpu: 4, sizes: FLEX_SIZES, nested: true },

  // Source: "Specifications for Amazon EC2 memory optimized instances" —
  // docs.aws.amazon.com/ec2/latest/instancetypes/mo.html (performance and instance store tables).
  { family: 'r5', memPerVcpu: 8, sizes: [...GEN5_SIZES, ['metal', 96]] },
  { family: 'r5d', memPerVcpu: 8, sizes: [...GEN5_SIZES, ['metal', 96]], nvme: NVME_M5D_R5D },
  { family: 'r6i', memPerVcpu: 8, sizes: [...GEN6_SIZES, ['metal', 128]] },
  { family: 'r6id', memPerVcpu: 8, sizes: [...GEN6_SIZES, ['metal', 128]], nvme: NVME_6ID },
  { family: 'r7i', memPerVcpu: 8, sizes: GEN7I_SIZES },
  { family: 'r8i', memPerVcpu: 8, sizes: GEN8I_SIZES, nested: true },
  { family: 'r8i-flex', memPerVcpu: 8, sizes: FLEX_SIZES, nested: true },

  // Source: "Specifications for Amazon EC2 storage optimized instances" —
  // docs.aws.amazon.com/ec2/latest/instancetypes/so.html (performance and instance store tables).
  {
    family: 'i3',
    memPerVcpu: 7.625, // i3.large 15.25 GiB ... i3.16xlarge 488 GiB
    sizes: ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '16xlarge', ['metal', 72, 512]],
    nvme: {
      large: [1, 475], xlarge: [1, 950], '2xlarge': [1, 1900], '4xlarge': [2, 1900], '8xlarge': [4, 1900],
      '16xlarge': [8, 1900], metal: [8, 1900],
    },
  },
  {
    family: 'i3en',
    memPerVcpu: 8,
    sizes: ['large', 'xlarge', '2xlarge', '3xlarge', '6xlarge', '12xlarge', '24xlarge', ['metal', 96]],
    nvme: {
      large: [1, 1250], xlarge: [1, 2500], '2xlarge': [2, 2500], '3xlarge': [1, 7500], '6xlarge': [2, 7500],
      '12xlarge': [4, 7500], '24xlarge': [8, 7500], metal: [8, 7500],
    },
  },
  {
    family: 'i4i',
    memPerVcpu: 8,
    sizes: [...GEN6_SIZES, ['metal', 128]],
    nvme: {
      large: [1, 468], xlarge: [1, 937], '2xlarge': [1, 1875], '4xlarge': [1, 3750], '8xlarge': [2, 3750],
      '12xlarge': [3, 3750], '16xlarge': [4, 3750], '24xlarge': [6, 3750], '32xlarge': [8, 3750], metal: [8, 3750],
    },
  },

  // Source: "Specifications for Amazon EC2 accelerated computing instances" —
  // docs.aws.amazon.com/ec2/latest/instancetypes/ac.html (performance and instance store tables).
  {
    family: 'g4dn', // NVIDIA T4
    memPerVcpu: 4,
    sizes: ['xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', ['metal', 96]],
    gpu: {
      model: GpuModel.T4,
      count: { xlarge: 1, '2xlarge': 1, '4xlarge': 1, '8xlarge': 1, '12xlarge': 4, '16xlarge': 1, metal: 8 },
    },
    nvme: {
      xlarge: [1, 125], '2xlarge': [1, 225], '4xlarge': [1, 225], '8xlarge': [1, 900], '12xlarge': [1, 900],
      '16xlarge': [1, 900], metal: [2, 900],
    },
  },
  {
    family: 'g5', // NVIDIA A10G (AWS's A10 variant; no plain A10 is sold on EC2)
    memPerVcpu: 4,
    sizes: ['xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge', '48xlarge'],
    gpu: {
      model: GpuModel.A10G,
      count: { xlarge: 1, '2xlarge': 1, '4xlarge': 1, '8xlarge': 1, '12xlarge': 4, '16xlarge': 1, '24xlarge': 4, '48xlarge': 8 },
    },
    nvme: {
      xlarge: [1, 250], '2xlarge': [1, 450], '4xlarge': [1, 600], '8xlarge': [1, 900], '12xlarge': [1, 3800],
      '16xlarge': [1, 1900], '24xlarge': [1, 3800], '48xlarge': [2, 3800],
    },
  },
  {
    family: 'g6', // NVIDIA L4
    memPerVcpu: 4,
    sizes: ['xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge', '48xlarge'],
    gpu: {
      model: GpuModel.L4,
      count: { xlarge: 1, '2xlarge': 1, '4xlarge': 1, '8xlarge': 1, '12xlarge': 4, '16xlarge': 1, '24xlarge': 4, '48xlarge': 8 },
    },
    nvme: {
      xlarge: [1, 250], '2xlarge': [1, 450], '4xlarge': [1, 600], '8xlarge': [2, 450], '12xlarge': [4, 940],
      '16xlarge': [2, 940], '24xlarge': [4, 940], '48xlarge': [8, 940],
    },
  },
  {
    family: 'p4d', // 8 x A100 40 GB
    memPerVcpu: 12,
    sizes: ['24xlarge'],
    gpu: { model: GpuModel.A100_40GB, count: { '24xlarge': 8 } },
    nvme: { '24xlarge': [8, 1000] },
  },
  {
    family: 'p4de', // 8 x A100 80 GB
    memPerVcpu: 12,
    sizes: ['24xlarge'],
    gpu: { model: GpuModel.A100_80GB, count: { '24xlarge': 8 } },
    nvme: { '24xlarge': [8, 1000] },
  },
  {
    family: 'p5', // NVIDIA H100
    memPerVcpu: 16,
    sizes: ['4xlarge', ['48xlarge', 192, 2048]],
    gpu: { model: GpuModel.H100, count: { '4xlarge': 1, '48xlarge': 8 } },
    nvme: { '4xlarge': [1, 3800], '48xlarge': [8, 3800] },
  },
  {
    family: 'p5e', // NVIDIA H200; sold only as 8 GPUs
    memPerVcpu: 16,
    sizes: [['48xlarge', 192, 2048]],
    gpu: { model: GpuModel.H200, count: { '48xlarge': 8 } },
    nvme: { '48xlarge': [8, 3800] },
  },
  {
    family: 'p5en', // NVIDIA H200; sold only as 8 GPUs
    memPerVcpu: 16,
    sizes: [['48xlarge', 192, 2048]],
    gpu: { model: GpuModel.H200, count: { '48xlarge': 8 } },
    nvme: { '48xlarge': [8, 3800] },
  },
];

/** Every shape in the AWS catalog, frozen. */
export const AWS_INSTANCE_SHAPES: readonly InstanceShape[] = Object.freeze(FAMILIES.flatMap(buildFamily));

/**
 * Default sandbox instance types by virtualization.
 * - BARE_METAL: m7i.metal-24xl (96 vCPU, 384 GiB). Chosen over c7i.metal-24xl (192 GiB): microVM
 *   density is usually bound by memory, not vCPUs (vCPU overcommit is cheap, memory overcommit
 *   is not), and 4 GiB per vCPU fits common sandbox sizes without stranding cores.
 * - NESTED: m8i.4xlarge (16 vCPU, 64 GiB): same 1:4 ratio, on a family that supports the
 *   NestedVirtualization CPU option.
 * - NONE: m7i.4xlarge: gVisor needs no /dev/kvm, so any virtualized shape will do.
 */
export const AWS_DEFAULT_SANDBOX_TYPES: Readonly<Record<Virtualization, string>> = Object.freeze({
  [Virtualization.BARE_METAL]: 'm7i.metal-24xl',
  [Virtualization.NESTED]: 'm8i.4xlarge',
  [Virtualization.NONE]: 'm7i.4xlarge',
});

/**
 * Regions known to sell each GPU model. For warnings only: region availability changes often
 * and these lists are deliberately short (a region missing here may still sell the model).
 * Models without an entry return undefined (unknown); T4 (g4dn) and L4 (g6) are sold in most
 * commercial regions and are left unlisted rather than listed incompletely.
 * Sources:
 * - A10G: `aws ec2 describe-instance-type-offerings` for g5.2xlarge, quoted in
 *   github.com/validatedpatterns/rag-llm-gitops/pull/52.
 * - A100 40GB (p4d): "Work with Capacity Blocks" (docs.aws.amazon.com/AWSEC2/latest/UserGuide/capacity-blocks-using.html)
 *   lists us-east-2 and us-west-2; us-east-1 also sells p4d (aws/aws-parallelcluster#4105).
 * - A100 80GB (p4de): us-east-1 and us-west-2 (aws.amazon.com/ec2/instance-types/p4; aws/karpenter-provider-aws#5455).
 * - H100 (p5): Capacity Blocks page lists us-east-1 and us-east-2; us-west-2 was a launch region.
 * - H200 (p5e/p5en): p5en offers in us-east-1, us-east-2, us-west-2 (dstackai/dstack#4110);
 *   p5e Capacity Blocks in us-east-2. p5e and p5en regions differ; this is their union's core.
 */
const GPU_REGIONS: Readonly<Partial<Record<GpuModel, readonly string[]>>> = Object.freeze({
  [GpuModel.A10G]: Object.freeze([
    'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'sa-east-1',
    'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-north-1',
    'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-southeast-1', 'ap-southeast-2', 'ap-south-1',
  ]),
  [GpuModel.A100_40GB]: Object.freeze(['us-east-1', 'us-east-2', 'us-west-2']),
  [GpuModel.A100_80GB]: Object.freeze(['us-east-1', 'us-west-2']),
  [GpuModel.H100]: Object.freeze(['us-east-1', 'us-east-2', 'us-west-2']),
  [GpuModel.H200]: Object.freeze(['us-east-1', 'us-east-2', 'us-west-2']),
});

export const AWS_CATALOG: CloudCatalog = buildCatalog({
  cloud: CloudProvider.AWS,
  shapes: AWS_INSTANCE_SHAPES,
  defaultSandboxTypes: AWS_DEFAULT_SANDBOX_TYPES,
  gpuRegions: GPU_REGIONS,
});
