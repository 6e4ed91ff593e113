/**
 * The Kubernetes part of the explain document (orchestrator "kubernetes"): the managed service, the
 * version and its end of standard support, the API endpoint, the system pool, the RuntimeClasses and,
 * per pool, its RuntimeClass, handler, labels and taints, and the manifests file synth writes. Pure:
 * reads the resolved plan and the cloud's Kubernetes catalog, never the constructs.
 */
import {
  CloudProvider, KUBERNETES_LABELS, KUBERNETES_MANIFESTS_FILE, KubernetesApiEndpoint, ResolvedPlatform, SYSTEM_POOL_NAME, kubernetesCatalogFor,
} from '../../spec';

/** A label or a taint's key and value. */
export interface ExplainLabel {
  readonly key: string;
  readonly value: string;
}

export interface ExplainTaint {
  readonly key: string;
  readonly value: string;
  readonly effect: string;
}

export interface ExplainToleration {
  readonly key: string;
  readonly operator: string;
  readonly value: string;
  readonly effect: string;
}

export interface ExplainRuntimeClass {
  readonly name: string;
  readonly handler: string;
  readonly runtime: string;
  readonly gpu: boolean;
  readonly overhead: { readonly cpu: string; readonly memory: string };
  readonly nodeSelector: readonly ExplainLabel[];
  readonly tolerations: readonly ExplainToleration[];
  readonly pools: readonly string[];
}

/** One node pool as the cluster sees it (the system pool has no RuntimeClass and no taint). */
export interface ExplainKubernetesPool {
  readonly name: string;
  readonly runtimeClass: string | null;
  readonly handler: string | null;
  readonly labels: readonly ExplainLabel[];
  readonly taints: readonly ExplainTaint[];
}

export interface ExplainKubernetes {
  /** EKS, GKE or AKS. */
  readonly service: string;
  readonly version: string;
  readonly endOfStandardSupport: string;
  readonly apiEndpoint: string;
  /** Public CIDRs admitted to a restricted-public endpoint; empty for a private one. */
  readonly authorizedCidrs: readonly string[];
  /** Managed add-ons pinned by the catalog (empty where the cloud manages them itself: GKE, AKS). */
  readonly addons: readonly { readonly name: string; readonly version: string }[];
  readonly systemPool: { readonly instanceType: string; readonly minNodes: number; readonly maxNodes: number };
  readonly runtimeClasses: readonly ExplainRuntimeClass[];
  /** The system pool first, then the spec's pools in order. */
  readonly pools: readonly ExplainKubernetesPool[];
  /** File synth writes beside cdk.tf.json: the RuntimeClasses and other cluster objects, applied once the cluster is up. */
  readonly manifestsFile: string;
}

function pairs(m: { readonly [key: string]: string }): ExplainLabel[] {
  return Object.keys(m).sort().map((key) => ({ key, value: m[key] }));
}

/** The Kubernetes part of the document, or null in instance mode. */
export function explainKubernetes(plan: ResolvedPlatform): ExplainKubernetes | null {
  const k = plan.kubernetes;
  if (!k) return null;
  const handlerOf = (rc: string): string | null => k.runtimeClasses.find((c) => c.name === rc)?.handler ?? null;
  // EKS and GKE label their system pool's nodes with the pool (lib/aws/eks-system-pool.ts, lib/gcp/gke-node-pool.ts);
  // AKS's system pool is the cluster's default_node_pool, created without node labels (lib/azure/aks-cluster.ts).
  const system: ExplainKubernetesPool = {
    name: SYSTEM_POOL_NAME, runtimeClass: null, handler: null,
    labels: plan.cloud === CloudProvider.AZURE ? [] : [{ key: KUBERNETES_LABELS.pool, value: SYSTEM_POOL_NAME }], taints: [],
  };
  return {
    service: kubernetesCatalogFor(plan.cloud)?.service ?? plan.cloud,
    version: k.version,
    endOfStandardSupport: k.endOfStandardSupport,
    apiEndpoint: k.apiEndpoint,
    authorizedCidrs: [...k.authorizedCidrs],
    addons: Object.keys(k.addons).sort().map((name) => ({ name, version: k.addons[name] })),
    systemPool: { instanceType: k.systemNodes.instanceType, minNodes: k.systemNodes.minNodes, maxNodes: k.systemNodes.maxNodes },
    runtimeClasses: k.runtimeClasses.map((c) => ({
      name: c.name, handler: c.handler, runtime: c.runtime, gpu: c.gpu, overhead: { cpu: c.overhead.cpu, memory: c.overhead.memory },
      nodeSelector: pairs(c.nodeSelector),
      tolerations: c.tolerations.map((t) => ({ key: t.key, operator: t.operator, value: t.value, effect: t.effect })),
      pools: [...c.pools],
    })),
    pools: [system, ...plan.pools.map((p) => ({
      name: p.name,
      runtimeClass: p.kubernetes?.runtimeClass || null,
      handler: p.kubernetes?.runtimeClass ? handlerOf(p.kubernetes.runtimeClass) : null,
      labels: pairs(p.kubernetes?.labels ?? {}),
      taints: (p.kubernetes?.taints ?? []).map((t) => ({ key: t.key, value: t.value, effect: t.effect })),
    }))],
    manifestsFile: KUBERNETES_MANIFESTS_FILE,
  };
}

/** The API endpoint in words. */
export function apiEndpointText(k: ExplainKubernetes): string {
  if (k.apiEndpoint === KubernetesApiEndpoint.RESTRICTED_PUBLIC) {
    return `restricted-public: a public endpoint reachable only from ${k.authorizedCidrs.join(', ')}`;
  }
  return 'private: reachable only from inside the network (VPN, peering, or a bastion)';
}

/** The text section for `explain`. */
export function renderKubernetes(k: ExplainKubernetes): string[] {
  const out: string[] = ['', `Kubernetes (${k.service})`];
  const label = (l: ExplainLabel) => `${l.key}=${l.value}`;
  const rows: string[][] = [
    ['version', `${k.version}, standard support until ${k.endOfStandardSupport}`],
    ['API endpoint', apiEndpointText(k)],
    ['system pool', `${k.systemPool.instanceType}, min ${k.systemPool.minNodes}, max ${k.systemPool.maxNodes}; untainted, for cluster add-ons and the vendor's agent`],
    ['add-ons', k.addons.length ? k.addons.map((a) => `${a.name} ${a.version}`).join(', ') : `managed by ${k.service} with the cluster version`],
    ['manifests', `${k.manifestsFile} beside cdk.tf.json (RuntimeClasses and cluster objects; apply once the cluster is up)`],
  ];
  const width = Math.max(...rows.map((r) => r[0].length));
  for (const [key, value] of rows) out.push(`  ${key.padEnd(width)}  ${value}`);
  out.push('  RuntimeClasses');
  if (k.runtimeClasses.length === 0) out.push('    none');
  for (const c of k.runtimeClasses) {
    out.push(`    ${c.name}: handler ${c.handler}, overhead ${c.overhead.cpu} CPU / ${c.overhead.memory}, pools ${c.pools.join(', ')}`);
    const extra = c.tolerations.filter((t) => t.key !== KUBERNETES_LABELS.runtimeClass);
    if (extra.length) out.push(`      also tolerates ${extra.map((t) => `${t.key}=${t.value}:${t.effect}`).join(', ')}`);
  }
  out.push('  Node pools');
  for (const p of k.pools) {
    out.push(`    ${p.name}: ${p.runtimeClass ? `RuntimeClass ${p.runtimeClass} (handler ${p.handler ?? 'unknown'})` : 'no RuntimeClass (system pods)'}`);
    out.push(`      labels ${p.labels.map(label).join(', ') || 'none'}`);
    out.push(`      taints ${p.taints.map((t) => `${t.key}=${t.value}:${t.effect}`).join(', ') || 'none'}`);
  }
  return out;
}
