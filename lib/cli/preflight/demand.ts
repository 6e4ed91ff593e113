/**
 * What a plan asks of the account, cloud-independent and pure: per pool the nodes that can exist at
 * once and their vCPUs and GPUs, and the zones the stack places them in.
 */
import { catalogFor } from '../../spec/catalog';
import { SYSTEM_POOL_NAME } from '../../spec/kubernetes';
import { PoolKind, ResolvedPlatform, ResolvedPool } from '../../spec/resolved';
import { CloudProvider, GpuModel, SandboxRuntime, Virtualization } from '../../spec/types';

export interface PoolDemand {
  readonly pool: string;
  readonly instanceType: string;
  /**
   * Nodes that can exist at once: max nodes plus warm nodes. An upper bound: warm nodes count while
   * they boot and are prepared (AWS warm pools, GCP standby pools), and Azure counts deallocated
   * standby VMs against vCPU quota.
   */
  readonly nodes: number;
  /** vCPUs of one node; undefined for an instance type the catalog does not know. */
  readonly vcpusPerNode?: number;
  readonly gpuModel?: GpuModel;
  readonly gpusPerNode: number;
  readonly spot: boolean;
  readonly nestedVirtualization: boolean;
  readonly resolved: ResolvedPool;
}

/**
 * Every pool's demand; in Kubernetes mode also the untainted system node group the cluster constructs
 * create (pool "system": kubernetes.systemNodes, instance type and min/max from the resolved plan, as
 * lib/aws/eks-system-pool.ts, lib/gcp/gke-node-pool.ts gkeSystemPool and lib/azure/platform.ts read
 * them), which counts against the same vCPU quotas and must be offered in the same zones.
 */
export function poolDemands(plan: ResolvedPlatform): PoolDemand[] {
  const pools = plan.kubernetes ? [...plan.pools, systemPoolOf(plan)] : plan.pools;
  return pools.map((p) => ({
    pool: p.name,
    instanceType: p.instanceType,
    nodes: p.maxNodes + p.warmNodes,
    vcpusPerNode: p.shape?.vcpus,
    gpuModel: p.gpu?.model,
    gpusPerNode: p.gpu?.count ?? 0,
    spot: p.spot,
    nestedVirtualization: p.nestedVirtualization,
    resolved: p,
  }));
}

/** The system node group as a pool (no KVM, no GPU, on-demand, no warm nodes). */
function systemPoolOf(plan: ResolvedPlatform): ResolvedPool {
  const k = plan.kubernetes!.systemNodes;
  return {
    name: SYSTEM_POOL_NAME, kind: PoolKind.SANDBOX, runtime: SandboxRuntime.GVISOR, virtualization: Virtualization.NONE,
    instanceType: k.instanceType, shape: catalogFor(plan.cloud)?.shape(k.instanceType), kvmRequired: false, nestedVirtualization: false,
    minNodes: k.minNodes, maxNodes: k.maxNodes, warmNodes: 0, spot: false, rootVolumeGiB: 50, hugepagesMiB: 0, localNvme: false,
    bootstrapCommands: [], tags: plan.tags,
  };
}

/** Zone letters the AWS stack derives when zones are not pinned (lib/aws/network.ts awsZoneName). */
const AWS_ZONE_LETTERS = 'abcdef';

/**
 * The zones the stack places nodes in: network.availabilityZones when pinned; otherwise AWS derives
 * "<region>a", "<region>b", ... (lib/aws/network.ts awsZoneName), Azure uses zones "1".."n"
 * (lib/azure/node-pool.ts), and GCP requires pinned zones (lib/gcp/placement.ts).
 */
export function planZones(plan: ResolvedPlatform, region: string): string[] {
  const pinned = plan.network.availabilityZones;
  if (pinned && pinned.length > 0) return [...pinned];
  const n = plan.network.zones;
  switch (plan.cloud) {
    case CloudProvider.AWS:
      return Array.from({ length: Math.min(n, AWS_ZONE_LETTERS.length) }, (_, i) => `${region}${AWS_ZONE_LETTERS[i]}`);
    case CloudProvider.AZURE:
      return Array.from({ length: n }, (_, i) => String(i + 1));
    default:
      return [];
  }
}

/** Groups items by key, keeping first-seen order. */
export function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const i of items) {
    const k = key(i);
    m.set(k, [...(m.get(k) ?? []), i]);
  }
  return m;
}

/** "fc: 10 x 16 vCPUs = 160" lines for a quota's detail. */
export function vcpuBreakdown(pools: readonly PoolDemand[], vcpus: (p: PoolDemand) => number): string {
  return pools.map((p) => `${p.pool}: ${p.nodes} x ${vcpus(p)}`).join(', ');
}
