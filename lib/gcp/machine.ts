/**
 * Per-series Compute Engine facts the node pool needs beyond the spec catalog: boot disk type,
 * NIC type, host-maintenance behaviour and default images. Pure data; no cdktf imports.
 */
import { CpuArchitecture, PoolKind, ResolvedPool, gcpSeriesOf } from '../spec';

/**
 * Series whose VMs attach only Hyperdisk (no Persistent Disk), so their boot disk must be
 * "hyperdisk-balanced": C4, C4A, C4D and N4 ("General-purpose machine family",
 * cloud.google.com/compute/docs/general-purpose-machines, supported disk types per series), A3 Ultra
 * and A4 ("Accelerator-optimized machine family", cloud.google.com/compute/docs/accelerator-optimized-machines),
 * and every bare-metal type ("Bare metal instances", cloud.google.com/compute/docs/instances/bare-metal-instances).
 */
const HYPERDISK_ONLY_SERIES = new Set(['c4', 'c4a', 'c4d', 'n4', 'a4', 'x4']);
const HYPERDISK_ONLY_TYPES = /^a3-ultragpu-/;

/**
 * Series that need the gVNIC network interface (Google Virtual NIC): third-generation and later
 * general-purpose and accelerator-optimized series (cloud.google.com/compute/docs/networking/using-gvnic,
 * "machine series that require gVNIC"). Bare-metal types use IDPF instead (bare-metal page above).
 */
const GVNIC_SERIES = new Set(['c3', 'c3d', 'c4', 'c4a', 'c4d', 'n4', 'a3', 'a4', 'g2', 'h3']);

/** Boot disk type for a machine type: "hyperdisk-balanced" where Persistent Disk is not offered, else "pd-balanced". */
export function gcpBootDiskType(machineType: string, metal: boolean): string {
  const series = gcpSeriesOf(machineType);
  return metal || HYPERDISK_ONLY_SERIES.has(series) || HYPERDISK_ONLY_TYPES.test(machineType) ? 'hyperdisk-balanced' : 'pd-balanced';
}

/** network_interface.nic_type: "IDPF" on bare metal, "GVNIC" where the series needs it, else the default (undefined). */
export function gcpNicType(machineType: string, metal: boolean): string | undefined {
  if (metal) return 'IDPF';
  return GVNIC_SERIES.has(gcpSeriesOf(machineType)) ? 'GVNIC' : undefined;
}

/**
 * scheduling.on_host_maintenance: GPU VMs ("GPU VMs can't live migrate; set TERMINATE",
 * cloud.google.com/compute/docs/gpus/gpu-host-maintenance), bare-metal instances (no live
 * migration, bare-metal page above) and Spot VMs ("Spot VMs ... onHostMaintenance TERMINATE",
 * cloud.google.com/compute/docs/instances/spot) must TERMINATE; everything else live-migrates.
 * Nested-virtualization VMs keep MIGRATE: the nested-virtualization overview lists no live-migration
 * restriction for L1 VMs (cloud.google.com/compute/docs/instances/nested-virtualization/overview).
 */
export function gcpOnHostMaintenance(pool: ResolvedPool): 'MIGRATE' | 'TERMINATE' {
  return pool.kind === PoolKind.GPU || pool.gpu !== undefined || pool.shape?.metal || pool.spot ? 'TERMINATE' : 'MIGRATE';
}

/**
 * Default boot images (image families, so new nodes get the current image without a re-deploy):
 * - CPU pools: Ubuntu 24.04 LTS (ubuntu-os-cloud), amd64 or arm64 by the machine type. It carries
 *   the Google guest environment (runs the startup script every boot, ships its output to Cloud
 *   Logging) and supports gVNIC and IDPF. Source: cloud.google.com/compute/docs/images/os-details.
 * - GPU pools: a Deep Learning VM image with the NVIDIA driver preinstalled (the "-nvidia-570"
 *   families of deeplearning-platform-release; cloud.google.com/deep-learning-vm/docs/images). Family
 *   names roll with CUDA and driver releases: pin `image` in the spec for reproducible GPU nodes.
 */
export const GCP_DEFAULT_IMAGES = {
  [CpuArchitecture.X86_64]: 'projects/ubuntu-os-cloud/global/images/family/ubuntu-2404-lts-amd64',
  [CpuArchitecture.ARM64]: 'projects/ubuntu-os-cloud/global/images/family/ubuntu-2404-lts-arm64',
  gpu: 'projects/deeplearning-platform-release/global/images/family/common-cu128-ubuntu-2204-nvidia-570',
} as const;

/** The boot image of a pool: its `image`, or the default for its kind and architecture. */
export function gcpImageFor(pool: ResolvedPool): string {
  if (pool.image) return pool.image;
  if (pool.kind === PoolKind.GPU) return GCP_DEFAULT_IMAGES.gpu;
  return GCP_DEFAULT_IMAGES[pool.shape?.arch ?? CpuArchitecture.X86_64];
}

/**
 * Secure Boot: on for CPU pools (distribution kernels and in-tree modules such as kvm, vhost and
 * nbd are signed). Off for GPU pools: the NVIDIA kernel modules of the driver images are built by
 * DKMS and not signed with a key in the VM's UEFI db, so they would not load under Secure Boot
 * (cloud.google.com/compute/docs/gpus/install-drivers-gpu, "Secure Boot": signed drivers are needed).
 * vTPM and integrity monitoring stay on everywhere.
 */
export function gcpSecureBoot(pool: ResolvedPool): boolean {
  return pool.kind !== PoolKind.GPU;
}
