/**
 * What a plan asks of the account, cloud-independent and pure: per pool the nodes that can exist at
 * once and their vCPUs and GPUs, and the zones the stack places them in.
 */
import { ResolvedPlatform, ResolvedPool } from '../../spec/resolved';
import { CloudProvider, GpuModel } from '../../spec/types';

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

export function poolDemands(plan: ResolvedPlatform): PoolDemand[] {
  return plan.pools.map((p) => ({
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
