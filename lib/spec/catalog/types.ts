import { CloudProvider, GpuModel, Virtualization } from '../types';

/** CPU architecture of an instance shape. */
export enum CpuArchitecture {
  X86_64 = 'x86_64',
  ARM64 = 'arm64',
}

/** One purchasable instance shape. */
export interface InstanceShape {
  /** Cloud name of the shape, e.g. "c7i.metal-24xl", "n2-standard-8", "Standard_D8s_v5". */
  readonly name: string;
  readonly vcpus: number;
  readonly memoryGiB: number;
  readonly arch: CpuArchitecture;
  /** The host itself is bare metal: /dev/kvm without nested virtualization. */
  readonly metal: boolean;
  /** The cloud can expose VT-x/AMD-V to the guest on this shape. */
  readonly nestedVirtualization: boolean;
  /** GPUs attached to the shape, if any. */
  readonly gpu?: GpuAttachment;
  /** Local instance-store NVMe disks, if any. */
  readonly localNvme?: LocalNvme;
}

/**
 * Everything validation and resolution need to know about one cloud.
 * @jsii ignore not in Python: behaviour interface (lookups) - jsii would need ICloudCatalog
 */
export interface CloudCatalog {
  readonly cloud: CloudProvider;
  /** Look up a shape by its exact name. */
  shape(name: string): InstanceShape | undefined;
  /** All shapes carrying `model`, smallest first. Empty when the cloud does not sell the model. */
  gpuShapes(model: GpuModel): InstanceShape[];
  /** Default type for a KVM / gVisor sandbox pool with the given virtualization. */
  defaultSandboxType(virtualization: Virtualization): string | undefined;
  /**
   * The shape of `instanceType` fitted with `count` (default: its usual count) `model` GPUs, for
   * clouds where GPUs attach to a general machine type (GCP N1 + T4 guest accelerators).
   * Undefined when that type cannot carry them. Omitted: a type carries GPUs only as its shape says.
   */
  gpuShape?(instanceType: string, model: GpuModel, count?: number): InstanceShape | undefined;
  /** Regions known to sell the model (for warnings only; region lists change often). */
  gpuRegions(model: GpuModel): readonly string[] | undefined;
}

/** GPUs of a shape or pool. */
export interface GpuAttachment {
  readonly model: GpuModel;
  /** GPUs per node. */
  readonly count: number;
}

/** Local instance-store NVMe disks of a shape. */
export interface LocalNvme {
  readonly disks: number;
  /** Size of each disk in GiB. */
  readonly diskGiB: number;
}
