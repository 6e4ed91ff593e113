import { KubernetesClusterNodePool } from '@cdktf/provider-azurerm/lib/kubernetes-cluster-node-pool';
import { createHash } from 'crypto';
import { Construct } from 'constructs';
import { enableAksKataIsolation } from '../provider-compat';
import { PoolKind, ResolvedPool, SandboxRuntime, azureRequiresGen1Image } from '../spec';
import { AKS_MAX_PODS } from './aks-cluster';
import { distribute } from './util';

/** Label with the AKS node pool's spec pool name, which the 12-character AKS name cannot hold. */
export const AKS_SPEC_POOL_TAG = 'cdktf-sandbox-byoc-pool';

/**
 * The AKS node pool name of a spec pool in one zone: at most 12 lowercase alphanumerics starting with a
 * letter (AKS_NODE_POOL_NAME_RULE). Pool names have up to 16 characters with hyphens, so the name is the
 * first 7 letters and digits of the pool, 3 base-36 characters of a hash of the full pool name (two pools
 * that share their first letters still differ), and the zone (1..6 in one character, or "r" for a regional pool).
 * The full name is on every node as the cdktf-sandbox-byoc.io/pool label and on the pool as a tag.
 */
export function aksNodePoolName(pool: string, zone: string | undefined): string {
  const head = pool.replace(/[^a-z0-9]/g, '').slice(0, 7);
  const digest = createHash('sha256').update(pool).digest();
  const hash = (digest.readUInt32BE(0) % (36 ** 3)).toString(36).padStart(3, '0');
  const z = zone === undefined ? 'r' : zone;
  if (!/^[1-9]$/.test(z) && z !== 'r') throw new Error(`AKS node pool name: zone ${JSON.stringify(zone)} is not one digit`);
  return `${head}${hash}${z}`;
}

/** "key=value:Effect", the node_taints format of azurerm_kubernetes_cluster_node_pool. */
export function aksTaint(t: { key: string; value: string; effect: string }): string {
  return `${t.key}=${t.value}:${t.effect}`;
}

export interface AzureAksNodePoolProps {
  readonly platformName: string;
  /** The resolved pool (Kubernetes mode: it carries labels, taints and its RuntimeClass). */
  readonly pool: ResolvedPool;
  readonly kubernetesClusterId: string;
  readonly kubernetesVersion: string;
  /** Node subnet per zone (index i is zones[i]). */
  readonly subnetIds: string[];
  /** Zone of each node subnet, e.g. ["1", "2", "3"]: one AKS node pool per zone. */
  readonly zones: string[];
  /** Tags of the node pools (the spec pool's name is added as AKS_SPEC_POOL_TAG). Default none. */
  readonly tags?: { [key: string]: string };
}

/**
 * One AKS user node pool per zone for a spec pool, each pinned to its zone and the zone's subnet, with the
 * pool's labels and taint, autoscaling between the pool's min and max spread over the zones, Azure Linux,
 * encryption at host, managed OS disks (encrypted with the cluster's disk encryption set), no public IPs.
 * Kata pools get AKS Pod Sandboxing (workload_runtime KataVmIsolation through provider-compat, which raises
 * the stack's azurerm floor to 4.78.0); their size must run Gen2 VMs with nested virtualization. gVisor pools
 * (GPU pools included) are plain Azure Linux pools: the gVisor installer DaemonSet of the manifests adds runsc
 * (lib/azure/aks-manifests.ts); GPU pools get the AKS-installed NVIDIA driver.
 */
export class AzureAksNodePool extends Construct {
  public readonly nodePools: KubernetesClusterNodePool[] = [];

  constructor(scope: Construct, id: string, props: AzureAksNodePoolProps) {
    super(scope, id);
    const { pool } = props;
    const k = pool.kubernetes;
    if (!k) throw new Error(`${this.node.path}: pool ${pool.name} has no Kubernetes settings (orchestrator is not "kubernetes")`);
    const kata = pool.runtime === SandboxRuntime.KATA;
    const gpu = pool.kind === PoolKind.GPU;
    const problems: string[] = [];
    if (kata && azureRequiresGen1Image(pool.instanceType)) {
      problems.push(`${pool.instanceType} runs only generation-1 VMs; AKS Pod Sandboxing needs a Gen2 size with nested virtualization ` +
        '(learn.microsoft.com/azure/aks/use-pod-sandboxing): use Dsv5, Dasv5, Dsv6 or Dasv6');
    }
    if (pool.spot) {
      problems.push('spot is not offered for AKS pools: AKS taints spot nodes kubernetes.azure.com/scalesetpriority=spot:NoSchedule, which the ' +
        'sandbox RuntimeClasses do not tolerate; remove spot');
    }
    if (problems.length > 0) throw new Error(`${this.node.path} (pool ${pool.name}): ${problems.join('; ')}`);

    const zones = props.zones;
    const mins = distribute(pool.minNodes, zones.length);
    const maxs = distribute(pool.maxNodes, zones.length);
    zones.forEach((zone, i) => {
      const np = new KubernetesClusterNodePool(this, `zone-${zone}`, {
        name: aksNodePoolName(pool.name, zone),
        kubernetesClusterId: props.kubernetesClusterId,
        mode: 'User',
        vmSize: pool.instanceType,
        osType: 'Linux',
        osSku: 'AzureLinux',
        osDiskType: 'Managed',
        maxPods: AKS_MAX_PODS,
        orchestratorVersion: props.kubernetesVersion,
        hostEncryptionEnabled: true,
        nodePublicIpEnabled: false,
        autoScalingEnabled: true,
        minCount: mins[i],
        // The autoscaler needs max >= 1 per pool; a zone with no share of the maximum still gets one.
        maxCount: Math.max(maxs[i], 1, mins[i]),
        zones: [zone],
        vnetSubnetId: props.subnetIds[i],
        nodeLabels: { ...k.labels },
        nodeTaints: k.taints.map(aksTaint),
        // GPU pools: AKS installs the NVIDIA driver and container toolkit (gpu_driver "Install", azurerm v4.55.0
        // kubernetes_cluster_node_pool_resource.go: Install or None); the device plugin and runsc come from the manifests.
        gpuDriver: gpu ? 'Install' : undefined,
        tags: { ...props.tags, [AKS_SPEC_POOL_TAG]: pool.name },
      });
      if (kata) enableAksKataIsolation(np);
      this.nodePools.push(np);
    });
  }
}
