import { ContainerNodePool } from '@cdktf/provider-google/lib/container-node-pool';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { enableGkeSandbox } from '../provider-compat';
import {
  GCP_CATALOG, GpuModel, GpuSharingStrategy, KUBERNETES_LABELS, PoolKind, ResolvedPlatform, ResolvedPool, SYSTEM_POOL_NAME, SandboxRuntime,
  TAG_KEYS, Virtualization, gcpNestedMinCpuPlatform,
} from '../spec';
import { GcpProjectContext } from './context';
import { gcpBootDiskType, gcpNicType } from './machine';
import { GCP_NODE_SCOPES } from './node-pool';
import { gcpLabels } from './scope-aspect';

/**
 * GKE accelerator type of each GPU model (the "accelerator type" names of Compute Engine's GPU
 * table, cloud.google.com/compute/docs/gpus). A3 Mega carries the H100 as nvidia-h100-mega-80gb.
 */
export const GKE_ACCELERATOR_TYPES: { readonly [model: string]: string } = Object.freeze({
  [GpuModel.T4]: 'nvidia-tesla-t4',
  [GpuModel.L4]: 'nvidia-l4',
  [GpuModel.A100_40GB]: 'nvidia-tesla-a100',
  [GpuModel.A100_80GB]: 'nvidia-a100-80gb',
  [GpuModel.H100]: 'nvidia-h100-80gb',
  [GpuModel.H200]: 'nvidia-h200-141gb',
});

/** The accelerator type of a pool's GPUs on GKE. */
export function gkeAcceleratorType(pool: ResolvedPool): string {
  const model = pool.gpu!.model;
  if (model === GpuModel.H100 && pool.instanceType.startsWith('a3-megagpu-')) return 'nvidia-h100-mega-80gb';
  const type = GKE_ACCELERATOR_TYPES[model];
  if (!type) throw new Error(`GKE: no accelerator type for GPU model ${model}`);
  return type;
}

/** Kubernetes taint effect -> the GKE API's enum (provider validator NO_SCHEDULE, PREFER_NO_SCHEDULE, NO_EXECUTE). */
const TAINT_EFFECT: { readonly [effect: string]: string } = { NoSchedule: 'NO_SCHEDULE', PreferNoSchedule: 'PREFER_NO_SCHEDULE', NoExecute: 'NO_EXECUTE' };

/**
 * Node image of a pool: Ubuntu with containerd for Kata (kata-deploy writes /opt/kata and
 * containerd's config, which Container-Optimized OS keeps read-only), Container-Optimized OS with
 * containerd otherwise (GKE Sandbox runs only there: cloud.google.com/kubernetes-engine/docs/concepts/sandbox-pods).
 */
export function gkeImageType(pool: ResolvedPool): string {
  return pool.runtime === SandboxRuntime.KATA ? 'UBUNTU_CONTAINERD' : 'COS_CONTAINERD';
}

/**
 * The untainted system node pool of a Kubernetes-mode platform, as a pool: kube-dns, metrics-server,
 * the vendor's agent and the kata-deploy installer's controller-free DaemonSet pods on other pools
 * run beside it; GKE Sandbox also needs one pool without the sandbox (sandbox-pods docs).
 */
export function gkeSystemPool(plan: ResolvedPlatform): ResolvedPool {
  const k = plan.kubernetes;
  if (!k) throw new Error('gkeSystemPool: the plan is not in Kubernetes mode');
  return {
    name: SYSTEM_POOL_NAME, kind: PoolKind.SANDBOX, runtime: SandboxRuntime.GVISOR, virtualization: Virtualization.NONE,
    instanceType: k.systemNodes.instanceType, shape: GCP_CATALOG.shape(k.systemNodes.instanceType), kvmRequired: false, nestedVirtualization: false,
    minNodes: k.systemNodes.minNodes, maxNodes: k.systemNodes.maxNodes, warmNodes: 0, spot: false,
    rootVolumeGiB: 50, hugepagesMiB: 0, localNvme: false, bootstrapCommands: [],
    tags: { ...plan.tags, [TAG_KEYS.pool]: SYSTEM_POOL_NAME },
    kubernetes: { runtimeClass: '', labels: { [KUBERNETES_LABELS.pool]: SYSTEM_POOL_NAME }, taints: [] },
  };
}

export interface GcpGkeNodePoolProps {
  /** The resolved pool, with its Kubernetes labels and taints. Required. */
  readonly pool: ResolvedPool;
  /** Project and region (the cluster's). Required. */
  readonly context: GcpProjectContext;
  /** The cluster (id). Required. */
  readonly clusterId: string;
  /** Zones of the pool (node_locations; pinned). Required. */
  readonly zones: string[];
  /** The nodes' service account. Required. */
  readonly serviceAccountEmail: string;
  /** CMEK of the boot disks (the Compute Engine service agent holds encrypter/decrypter on it). */
  readonly kmsKeyId: string;
  /** The system pool: no sandbox, no taint, Container-Optimized OS. Default false. */
  readonly system?: boolean;
  /** What the pool is created after. Default none. */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * One GKE node pool per spec pool: the pool's machine type in its zones, autoscaled between the
 * pool's total minimum and maximum, private nodes (no external IP), Shielded (Secure Boot, integrity
 * monitoring), the nodes' own service account, CMEK boot disks, the GKE metadata server (Workload
 * Identity: pods never get the node's token), node labels and the NoSchedule taint of its
 * RuntimeClass, auto-repair and auto-upgrade (the release channel requires them).
 * gVisor pools (CPU and GPU) run GKE Sandbox; Kata pools run Ubuntu with nested virtualization;
 * GPU pools get their driver from GKE and, optionally, time-shared GPUs.
 */
export class GcpGkeNodePool extends Construct {
  public readonly nodePool: ContainerNodePool;

  constructor(scope: Construct, id: string, props: GcpGkeNodePoolProps) {
    super(scope, id);
    const { pool, context: ctx } = props;
    const k = pool.kubernetes;
    if (!k) throw new Error(`${this.node.path}: pool ${pool.name} has no Kubernetes settings (orchestrator is not "kubernetes")`);
    const vcpus = pool.shape?.vcpus ?? 2;
    const gpu = pool.kind === PoolKind.GPU && pool.gpu;
    const sharing = gpu ? pool.gpu!.sharing : undefined;
    const nic = gcpNicType(pool.instanceType, false);
    this.nodePool = new ContainerNodePool(this, 'pool', {
      project: ctx.project,
      name: pool.name,
      cluster: props.clusterId,
      location: ctx.region,
      nodeLocations: [...props.zones],
      // Per zone; only read at creation (the autoscaler owns the size afterwards).
      initialNodeCount: Math.ceil(pool.minNodes / props.zones.length),
      autoscaling: {
        totalMinNodeCount: pool.minNodes,
        totalMaxNodeCount: pool.maxNodes,
        // ANY draws Spot capacity from whichever zone has it (provider validator: BALANCED, ANY).
        locationPolicy: pool.spot ? 'ANY' : 'BALANCED',
      },
      management: { autoRepair: true, autoUpgrade: true },
      upgradeSettings: { strategy: 'SURGE', maxSurge: 1, maxUnavailable: 0 },
      networkConfig: { enablePrivateNodes: true },
      nodeConfig: {
        machineType: pool.instanceType,
        diskSizeGb: pool.rootVolumeGiB,
        diskType: gcpBootDiskType(pool.instanceType, false),
        imageType: gkeImageType(pool),
        serviceAccount: props.serviceAccountEmail,
        oauthScopes: GCP_NODE_SCOPES,
        bootDiskKmsKey: props.kmsKeyId,
        shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
        workloadMetadataConfig: { mode: 'GKE_METADATA' },
        metadata: { 'disable-legacy-endpoints': 'true' },
        labels: { ...k.labels },
        resourceLabels: gcpLabels(pool.tags),
        taint: k.taints.map((t) => ({ key: t.key, value: t.value, effect: TAINT_EFFECT[t.effect] })),
        spot: pool.spot,
        gvnic: nic === 'GVNIC' ? { enabled: true } : undefined,
        // threads_per_core is required in the block (provider node_config.go); 2 keeps SMT as the machine type has it.
        advancedMachineFeatures: pool.nestedVirtualization ? { threadsPerCore: vcpus >= 2 ? 2 : 1, enableNestedVirtualization: true } : undefined,
        minCpuPlatform: pool.nestedVirtualization ? gcpNestedMinCpuPlatform(pool.instanceType) : undefined,
        guestAccelerator: gpu ? [{
          type: gkeAcceleratorType(pool),
          count: pool.gpu!.count,
          // DEFAULT: the driver version GKE pairs with the node version, which GKE Sandbox supports (provider validator:
          // GPU_DRIVER_VERSION_UNSPECIFIED, INSTALLATION_DISABLED, DEFAULT, LATEST).
          gpuDriverInstallationConfig: { gpuDriverVersion: 'DEFAULT' },
          gpuSharingConfig: sharing?.strategy === GpuSharingStrategy.TIME_SHARING
            ? { gpuSharingStrategy: 'TIME_SHARING', maxSharedClientsPerGpu: sharing.maxSharedClientsPerGpu! } : undefined,
          gpuPartitionSize: sharing?.strategy === GpuSharingStrategy.MIG ? sharing.migPartitionSize : undefined,
        }] : undefined,
      },
      lifecycle: { ignoreChanges: ['initial_node_count'] },
      dependsOn: props.dependsOn,
    });
    if (!props.system && pool.runtime === SandboxRuntime.GVISOR) enableGkeSandbox(this.nodePool);
  }
}
