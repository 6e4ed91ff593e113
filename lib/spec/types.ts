/**
 * Public, cloud-agnostic spec types. Pure: no cdktf or provider imports.
 */

/** The cloud a platform is resolved for. */
export enum CloudProvider {
  AWS = 'aws',
  GCP = 'gcp',
  AZURE = 'azure',
}

/** Who runs the platform's control plane. */
export enum DeploymentModel {
  /** Bring your own cloud: the vendor's control plane operates resources in the customer's account. */
  BYOC = 'byoc',
  /** The vendor runs the fleet in its own account; no cross-account principal. */
  MANAGED = 'managed',
}

/** Compliance preset; each sets floors a spec may tighten but never loosen. */
export enum ComplianceProfile {
  BASELINE = 'baseline',
  SOC2 = 'soc2',
  HIPAA = 'hipaa',
}

/** Isolation runtime for untrusted sandboxes. */
export enum SandboxRuntime {
  /** Firecracker microVMs: needs /dev/kvm, no GPU passthrough. */
  FIRECRACKER = 'firecracker',
  /** Kata Containers: needs /dev/kvm; GPU passthrough only on bare-metal GPU hosts. */
  KATA = 'kata',
  /** gVisor: user-space kernel, runs without KVM. */
  GVISOR = 'gvisor',
}

/** How a node exposes hardware virtualization to the sandbox runtime. */
export enum Virtualization {
  BARE_METAL = 'bare-metal',
  NESTED = 'nested',
  NONE = 'none',
}

/** GPU models the platform knows how to place. */
export enum GpuModel {
  T4 = 't4',
  L4 = 'l4',
  A10G = 'a10g',
  A10 = 'a10',
  A100_40GB = 'a100-40gb',
  A100_80GB = 'a100-80gb',
  H100 = 'h100',
  H200 = 'h200',
}

/** How nodes reach the internet. */
export enum EgressMode {
  /** NAT gateway(s): outbound on 80/443 to anywhere. */
  NAT = 'nat',
  /** A managed firewall with a domain allow-list in front of NAT. */
  FIREWALL = 'firewall',
  /** No internet egress; cloud services through private endpoints only. */
  NONE = 'none',
}

/** What the vendor's control plane may do in a BYOC account. */
export enum ControlPlaneAccess {
  /** Describe, scale pools, run commands on nodes, read logs and metrics. */
  OPERATE = 'operate',
  /** Describe and read only. */
  READ_ONLY = 'read-only',
}

/** What schedules sandboxes onto the pools. */
export enum Orchestrator {
  /** E2B-style: pools of instances the vendor's agent drives directly (default). */
  INSTANCES = 'instances',
  /**
   * Northflank-style: a private managed Kubernetes cluster (EKS, GKE, AKS); each pool becomes a node
   * group labelled and tainted for its pool and runtime, and each runtime gets a RuntimeClass.
   */
  KUBERNETES = 'kubernetes',
}

/** Who can reach the Kubernetes API server. */
export enum KubernetesApiEndpoint {
  /** Only from inside the platform's network (default; the only choice under soc2 and hipaa). */
  PRIVATE = 'private',
  /** Private endpoint plus a public endpoint reachable only from `authorizedCidrs` (baseline only). */
  RESTRICTED_PUBLIC = 'restricted-public',
}

/** The managed Kubernetes cluster; only with orchestrator KUBERNETES. */
export interface KubernetesSpec {
  /**
   * Kubernetes minor version, e.g. "1.34". Default: the newest version in the library's Kubernetes
   * catalog for the cloud (the managed add-ons are pinned per version there).
   */
  readonly version?: string;
  /** API server exposure. Default PRIVATE. */
  readonly apiEndpoint?: KubernetesApiEndpoint;
  /**
   * Public IPv4 CIDRs allowed to reach the public API endpoint; required and non-empty with
   * RESTRICTED_PUBLIC, rejected otherwise. Never 0.0.0.0/0. Default none.
   */
  readonly authorizedCidrs?: string[];
}

/** The whole platform, cloud-agnostic. */
export interface SandboxPlatformSpec {
  /**
   * Prefix of every resource name: 2..21 lowercase letters, digits and single hyphens, starting with
   * a letter and ending with a letter or digit. Required.
   */
  readonly name: string;
  /** BYOC or managed. Required. */
  readonly deployment: DeploymentModel;
  /** Compliance preset. Required. */
  readonly compliance: ComplianceProfile;
  /** Network layout; default 10.64.0.0/16 over 3 zones with NAT egress. */
  readonly network?: NetworkSpec;
  /** KVM / gVisor sandbox pools. Default: none. */
  readonly sandboxPools?: SandboxPoolSpec[];
  /** GPU pools. Default: none. */
  readonly gpuPools?: GpuPoolSpec[];
  /** The vendor control plane; required for BYOC, rejected for MANAGED. */
  readonly controlPlane?: ControlPlaneSpec;
  /** Alerts and retention; defaults from the compliance profile. */
  readonly observability?: ObservabilitySpec;
  /** Extra tags/labels on every resource. Default: none. */
  readonly tags?: { [key: string]: string };
  /** Instances (pools of hosts the vendor's agent drives) or Kubernetes (a managed cluster). Default INSTANCES. */
  readonly orchestrator?: Orchestrator;
  /** Cluster settings; only with orchestrator KUBERNETES. Default: the newest catalog version, private API endpoint. */
  readonly kubernetes?: KubernetesSpec;
}

/** Fields shared by sandbox and GPU pools. */
export interface PoolCommonSpec {
  /**
   * Pool name, unique across sandbox and GPU pools: 1..16 lowercase letters, digits and single
   * hyphens, starting with a letter and ending with a letter or digit. Required.
   */
  readonly name: string;
  /** Instance type / machine type / VM size; default from the catalog. */
  readonly instanceType?: string;
  /**
   * Accept an instance type that is not in our catalog (new or regional types).
   * Shape-dependent checks are skipped and capacity planning is unavailable. Default false.
   */
  readonly allowUnknownInstanceType?: boolean;
  /** Minimum nodes. Default 1 for sandbox pools, 0 for GPU pools (or from `capacity`). */
  readonly minNodes?: number;
  /** Maximum nodes. Default 10 for sandbox pools, 4 for GPU pools (or from `capacity`). */
  readonly maxNodes?: number;
  /** Use spot / preemptible capacity. Default false. */
  readonly spot?: boolean;
  /** Root disk size in GiB. Default 100 (GPU pools 200). */
  readonly rootVolumeGiB?: number;
  /** 2 MiB hugepages reserved on the host, in MiB. Default 0 (none). */
  readonly hugepagesMiB?: number;
  /**
   * Image override: AWS AMI id (ami- and 8 or 17 hex digits) or SSM parameter path (/aws/service/...,
   * without "resolve:ssm:"); GCP image self link, "project/image", "family/name" or image name;
   * Azure marketplace URN "publisher:offer:sku:version" or a managed/gallery image resource id.
   * Default: the cloud's current Linux image (an NVIDIA-driver image for GPU pools where the cloud has one).
   */
  readonly image?: string;
  /** Shell commands appended to the host bootstrap, run as root after the host is prepared. Default none. */
  readonly bootstrapCommands?: string[];
}

/** A pool of hosts for sandboxes. */
export interface SandboxPoolSpec extends PoolCommonSpec {
  /** Sandbox runtime. Default FIRECRACKER. */
  readonly runtime?: SandboxRuntime;
  /**
   * Virtualization. Default: NONE for GVISOR; for KVM runtimes, from the instance type when
   * given (metal: BARE_METAL, nested-capable: NESTED), else the cloud's default (AWS: BARE_METAL).
   */
  readonly virtualization?: Virtualization;
  /**
   * Pre-initialized standby nodes (AWS warm pool). Default 0. Not with `spot`, and not with
   * orchestrator KUBERNETES (standby instances would register as NotReady nodes; use minNodes).
   */
  readonly warmNodes?: number;
  /** Size the pool from sandbox concurrency instead of min/max. */
  readonly capacity?: CapacitySpec;
}

/** A pool of GPU hosts. */
export interface GpuPoolSpec extends PoolCommonSpec {
  /** GPU model. Required. */
  readonly gpu: GpuModel;
  /** GPUs per node; must be a shape the cloud sells. Default: the smallest shape for the model. */
  readonly gpusPerNode?: number;
  /** Runtime. Default GVISOR; KATA only on bare-metal GPU types; never FIRECRACKER. */
  readonly runtime?: SandboxRuntime;
  /**
   * Share each GPU among several sandboxes (Kubernetes mode only; each cloud's Kubernetes catalog
   * says which strategies it runs with which runtime). Default: none, one sandbox per GPU.
   */
  readonly gpuSharing?: GpuSharingSpec;
}

/** How a GPU is shared among sandboxes. */
export enum GpuSharingStrategy {
  /** Time-slicing: the device plugin advertises each GPU several times; no memory or fault isolation between sharers. */
  TIME_SHARING = 'time-sharing',
  /** NVIDIA Multi-Instance GPU: hardware partitions with their own memory and compute (A100, H100, H200). */
  MIG = 'mig',
}

/** GPU sharing of a GPU pool (Kubernetes mode). */
export interface GpuSharingSpec {
  /** Strategy. Required. */
  readonly strategy: GpuSharingStrategy;
  /** TIME_SHARING only: sandboxes per physical GPU, 2..48. Default 2. */
  readonly maxSharedClientsPerGpu?: number;
  /** MIG only, required there: the partition profile of the GPU model, e.g. "1g.10gb" (NVIDIA MIG user guide). */
  readonly migPartitionSize?: string;
}

export interface NetworkSpec {
  /** IPv4 CIDR of the VPC/VNet. Default 10.64.0.0/16. */
  readonly cidr?: string;
  /** Availability zones (AWS, Azure) or zones of the region (GCP), 1..6. Default 3 (or the length of availabilityZones). */
  readonly zones?: number;
  /**
   * Pin the zones by name: AWS "us-east-1a", GCP "us-central1-a", Azure "1".."3". Pinned zones
   * never shift when the cloud adds or retires one (an index into "available zones" can).
   * Default: the first `zones` zones the cloud reports as available.
   */
  readonly availabilityZones?: string[];
  /** Egress. Default { mode: NAT }. */
  readonly egress?: EgressSpec;
}

export interface EgressSpec {
  /** Egress mode. Required. */
  readonly mode: EgressMode;
  /** Domains allowed through the firewall (FIREWALL only); ".example.com" allows subdomains. Required for FIREWALL. */
  readonly allowedDomains?: string[];
}

/** Sizes a pool from the sandboxes it must hold. */
export interface CapacitySpec {
  /** Sandboxes that must run at peak. Required, > 0. */
  readonly concurrentSandboxes: number;
  /** vCPUs per sandbox. Required, > 0. */
  readonly vcpusPerSandbox: number;
  /** Memory per sandbox in MiB. Required, > 0. */
  readonly memoryMiBPerSandbox: number;
  /** vCPU overcommit ratio, 1..16. Default 1. */
  readonly cpuOvercommit?: number;
  /** Memory overcommit ratio, 1..4. Default 1. */
  readonly memoryOvercommit?: number;
  /** Fraction of peak nodes kept as the pool minimum, 0..1, rounded up (0: scale to zero). Default 0.25. */
  readonly minFraction?: number;
}

export interface ObservabilitySpec {
  /** E-mail addresses subscribed to alerts. Default none. */
  readonly alertEmails?: string[];
  /** Log retention in days; may raise the profile floor, never lower it. Default the floor. */
  readonly logRetentionDays?: number;
  /** An organization trail already records this account: skip creating an audit trail. Default false. */
  readonly existingOrganizationTrail?: boolean;
}

export interface ControlPlaneSpec {
  /**
   * The vendor principal: AWS account id or IAM role ARN; GCP service account e-mail;
   * Azure Entra object id (a GUID). Required.
   */
  readonly principal: string;
  /** sts:ExternalId the vendor presents; required on AWS (8..1224 chars of [\w+=,.@:/-]). */
  readonly externalId?: string;
  /** Access level. Default OPERATE. */
  readonly access?: ControlPlaneAccess;
}
