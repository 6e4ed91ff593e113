import { AWS_CATALOG, KUBERNETES_LABELS, PoolKind, ResolvedPlatform, ResolvedPool, SYSTEM_POOL_NAME, SandboxRuntime, TAG_KEYS, Virtualization } from '../spec';

/**
 * The untainted node group of a Kubernetes-mode platform, as a pool: CoreDNS, the EBS CSI controller,
 * the cluster autoscaler and the vendor's agent run there, never on sandbox nodes (those are tainted
 * for their RuntimeClass). It gets the same host bootstrap and guard as every node; no KVM, no GPU.
 */
export function systemPool(plan: ResolvedPlatform): ResolvedPool {
  const k = plan.kubernetes;
  if (!k) throw new Error('systemPool: the plan is not in Kubernetes mode');
  const shape = AWS_CATALOG.shape(k.systemNodes.instanceType);
  return {
    name: SYSTEM_POOL_NAME, kind: PoolKind.SANDBOX, runtime: SandboxRuntime.GVISOR, virtualization: Virtualization.NONE,
    instanceType: k.systemNodes.instanceType, shape, kvmRequired: false, nestedVirtualization: false,
    minNodes: k.systemNodes.minNodes, maxNodes: k.systemNodes.maxNodes, warmNodes: 0, spot: false,
    rootVolumeGiB: 50, hugepagesMiB: 0, localNvme: false, bootstrapCommands: [],
    tags: { ...plan.tags, [TAG_KEYS.pool]: SYSTEM_POOL_NAME },
    kubernetes: { runtimeClass: '', labels: { [KUBERNETES_LABELS.pool]: SYSTEM_POOL_NAME }, taints: [] },
  };
}
