import { GpuAttachment, InstanceShape } from './catalog/types';
import { CompliancePreset } from './presets';
import { SpecWarning } from './errors';
import { ResolvedKubernetes, ResolvedPoolKubernetes } from './kubernetes';
import {
  CloudProvider, ComplianceProfile, ControlPlaneAccess, DeploymentModel, EgressMode, GpuSharingStrategy, Orchestrator,
  SandboxRuntime, Virtualization,
} from './types';

/** Whether a pool hosts CPU sandboxes or GPU workloads. */
export enum PoolKind {
  SANDBOX = 'sandbox',
  GPU = 'gpu',
}

/** Which constraint bounded sandboxes per node in a capacity plan. */
export enum CapacityLimit {
  CPU = 'cpu',
  MEMORY = 'memory',
}

/** The arithmetic behind a pool sized from `capacity`, kept in the plan so it can be reviewed. */
export interface CapacityPlan {
  readonly concurrentSandboxes: number;
  readonly nodeVcpus: number;
  readonly nodeMemoryMiB: number;
  readonly reservedVcpus: number;
  readonly reservedMemoryMiB: number;
  readonly cpuOvercommit: number;
  readonly memoryOvercommit: number;
  readonly sandboxesPerNodeByCpu: number;
  readonly sandboxesPerNodeByMemory: number;
  readonly sandboxesPerNode: number;
  readonly limitedBy: CapacityLimit;
  readonly maxNodes: number;
  readonly minNodes: number;
  /** One line a reviewer can check by hand. */
  readonly explanation: string;
}

/** GPU sharing of a GPU pool, validated (Kubernetes mode only). */
export interface ResolvedGpuSharing {
  readonly strategy: GpuSharingStrategy;
  /** TIME_SHARING: sandboxes per GPU (2..48). */
  readonly maxSharedClientsPerGpu?: number;
  /** MIG: the partition profile, e.g. "1g.10gb". */
  readonly migPartitionSize?: string;
}

/** The GPUs of a pool's nodes, and how pods share them. */
export interface ResolvedPoolGpu extends GpuAttachment {
  /** GPU sharing (Kubernetes mode); undefined: whole GPUs per pod. */
  readonly sharing?: ResolvedGpuSharing;
}

export interface ResolvedPool {
  readonly name: string;
  readonly kind: PoolKind;
  readonly runtime: SandboxRuntime;
  readonly virtualization: Virtualization;
  readonly instanceType: string;
  /** Catalog shape; undefined only for an allowed unknown instance type. */
  readonly shape?: InstanceShape;
  /** The host must expose /dev/kvm (Firecracker, Kata). */
  readonly kvmRequired: boolean;
  /** Nested virtualization must be switched on for the instance (cloud-specific mechanism). */
  readonly nestedVirtualization: boolean;
  readonly gpu?: ResolvedPoolGpu;
  readonly minNodes: number;
  readonly maxNodes: number;
  readonly warmNodes: number;
  readonly spot: boolean;
  readonly rootVolumeGiB: number;
  readonly hugepagesMiB: number;
  /** Instance-store NVMe disks to assemble at /var/lib/sandbox. */
  readonly localNvme: boolean;
  readonly image?: string;
  readonly bootstrapCommands: string[];
  readonly capacityPlan?: CapacityPlan;
  /** Tags/labels for this pool's resources (platform tags plus the pool name). */
  readonly tags: { readonly [key: string]: string };
  /** Node labels, taints and RuntimeClass; only with orchestrator KUBERNETES. */
  readonly kubernetes?: ResolvedPoolKubernetes;
}

export interface ResolvedSubnetLayout {
  /** Node subnets, one per zone. */
  readonly private: string[];
  /** NAT / load-balancer subnets, one per zone. */
  readonly public: string[];
  /** Firewall endpoint subnets, one per zone. */
  readonly firewall: string[];
}

export interface ResolvedNetwork {
  readonly cidr: string;
  readonly zones: number;
  /** Pinned zone names, one per zone, when the spec gives them. */
  readonly availabilityZones?: string[];
  readonly egress: EgressMode;
  readonly allowedDomains: string[];
  /** NAT gateways to create: one per zone, one shared, or none. */
  readonly natGateways: number;
  readonly subnets: ResolvedSubnetLayout;
}

export interface ResolvedControlPlane {
  readonly principal: string;
  readonly externalId?: string;
  readonly access: ControlPlaneAccess;
}

export interface ResolvedObservability {
  readonly alertEmails: string[];
  readonly logRetentionDays: number;
  /** Create an audit trail (false when an organization trail already covers the account). */
  readonly createAuditTrail: boolean;
}

/** A fully concrete plan: every default applied, every floor enforced. */
export interface ResolvedPlatform {
  readonly name: string;
  readonly cloud: CloudProvider;
  readonly deployment: DeploymentModel;
  readonly compliance: ComplianceProfile;
  readonly preset: CompliancePreset;
  readonly network: ResolvedNetwork;
  readonly pools: ResolvedPool[];
  readonly controlPlane?: ResolvedControlPlane;
  readonly observability: ResolvedObservability;
  readonly orchestrator: Orchestrator;
  /** The cluster; only with orchestrator KUBERNETES. */
  readonly kubernetes?: ResolvedKubernetes;
  /** Tags/labels for every resource. */
  readonly tags: { readonly [key: string]: string };
  readonly warnings: SpecWarning[];
}
