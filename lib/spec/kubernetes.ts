/**
 * The Kubernetes mode, cloud-agnostic: validation of `orchestrator` / `kubernetes`, the node labels and
 * taints of each pool, and the RuntimeClasses that select and tolerate them. Pure: no cdktf imports.
 * The names here (label keys, RuntimeClass names) are the same on every cloud, so the vendor's pod
 * specs do not change between EKS, GKE and AKS; only the containerd handler behind a class differs.
 */
import { KubernetesCatalog, kubernetesCatalogFor } from './catalog/kubernetes';
import { isPrivate, parseIpv4Cidr } from './cidr';
import { IssueCollector, show } from './errors';
import { FieldReader } from './fields';
import { CloudProvider, ComplianceProfile, KubernetesApiEndpoint, Orchestrator, SandboxRuntime } from './types';

/** Label and taint keys the library puts on sandbox nodes. */
export const KUBERNETES_LABELS = {
  /** The pool a node belongs to. */
  pool: 'cdktf-sandbox-byoc.io/pool',
  /** The RuntimeClass a node serves; also the taint key (effect NoSchedule). */
  runtimeClass: 'cdktf-sandbox-byoc.io/runtime-class',
} as const;

/** Pool name reserved in Kubernetes mode for the untainted node group that runs cluster add-ons. */
export const SYSTEM_POOL_NAME = 'system';

/** A Kubernetes taint. */
export interface KubernetesTaint {
  readonly key: string;
  readonly value: string;
  /** NoSchedule, PreferNoSchedule or NoExecute. */
  readonly effect: string;
}

/** A toleration in a RuntimeClass's scheduling. */
export interface KubernetesToleration {
  readonly key: string;
  /** Equal or Exists. */
  readonly operator: string;
  readonly value: string;
  readonly effect: string;
}

/** Per-pool Kubernetes settings: what the node group's nodes carry. */
export interface ResolvedPoolKubernetes {
  /** The RuntimeClass whose pods run on this pool ("" for the system node group). */
  readonly runtimeClass: string;
  /** Node labels set at registration (kubelet --node-labels). */
  readonly labels: { readonly [key: string]: string };
  /** Node taints set at registration (kubelet --register-with-taints). */
  readonly taints: KubernetesTaint[];
}

/** One RuntimeClass the cluster needs, with its scheduling and overhead. */
/** A RuntimeClass's overhead.podFixed. */
export interface RuntimeClassOverhead {
  /** CPU quantity, e.g. "250m". */
  readonly cpu: string;
  /** Memory quantity, e.g. "160Mi". */
  readonly memory: string;
}

export interface ResolvedRuntimeClass {
  /** metadata.name, e.g. "sandbox-kata". */
  readonly name: string;
  /** The containerd runtime handler on the nodes (cloud-specific). */
  readonly handler: string;
  readonly runtime: SandboxRuntime;
  readonly gpu: boolean;
  /** overhead.podFixed: what the sandbox itself costs per pod (VM or Sentry), added to requests. */
  readonly overhead: RuntimeClassOverhead;
  /** scheduling.nodeSelector. */
  readonly nodeSelector: { readonly [key: string]: string };
  /** scheduling.tolerations. */
  readonly tolerations: KubernetesToleration[];
  /** Pools whose nodes serve this class. */
  readonly pools: string[];
}

/** The untainted node group for cluster add-ons and the vendor's agent. */
export interface ResolvedSystemNodes {
  readonly instanceType: string;
  readonly minNodes: number;
  readonly maxNodes: number;
}

/** The resolved cluster settings. */
export interface ResolvedKubernetes {
  readonly version: string;
  readonly apiEndpoint: KubernetesApiEndpoint;
  readonly authorizedCidrs: string[];
  /** Managed add-on name -> pinned version, from the cloud's Kubernetes catalog. */
  readonly addons: { readonly [name: string]: string };
  readonly endOfStandardSupport: string;
  readonly systemNodes: ResolvedSystemNodes;
  /** Filled once the pools are resolved: one per (runtime, GPU) the pools use, sorted by name. */
  readonly runtimeClasses: ResolvedRuntimeClass[];
}

/**
 * Fixed per-pod overhead of each runtime. Kata: the guest VM's kernel and agent (Kata's own
 * guidance for QEMU is 160 MiB and 250m: github.com/kata-containers/kata-containers docs/how-to/how-to-set-sandbox-config-kata.md
 * and the kata-deploy RuntimeClasses); gVisor: the Sentry and Gofer processes (runsc documentation
 * suggests tens of MiB; we reserve 64 MiB and 100m).
 */
const OVERHEAD: { readonly [runtime: string]: { readonly cpu: string; readonly memory: string } } = {
  [SandboxRuntime.KATA]: { cpu: '250m', memory: '160Mi' },
  [SandboxRuntime.GVISOR]: { cpu: '100m', memory: '64Mi' },
};

/** The RuntimeClass name of a runtime on CPU or GPU nodes (same on every cloud). */
export function runtimeClassName(runtime: SandboxRuntime, gpu: boolean): string {
  return `sandbox-${runtime}${gpu ? '-gpu' : ''}`;
}

/** Labels and taints of a pool's nodes. */
export function poolKubernetes(pool: string, runtime: SandboxRuntime, gpu: boolean): ResolvedPoolKubernetes {
  const rc = runtimeClassName(runtime, gpu);
  return {
    runtimeClass: rc,
    labels: { [KUBERNETES_LABELS.pool]: pool, [KUBERNETES_LABELS.runtimeClass]: rc },
    taints: [{ key: KUBERNETES_LABELS.runtimeClass, value: rc, effect: 'NoSchedule' }],
  };
}

/** The RuntimeClasses the pools need, sorted by name; each selects and tolerates its pools' nodes. */
export function runtimeClassesFor(catalog: KubernetesCatalog,
  pools: readonly { readonly name: string; readonly runtime: SandboxRuntime; readonly gpu: boolean }[]): ResolvedRuntimeClass[] {
  const byName = new Map<string, { runtime: SandboxRuntime; gpu: boolean; pools: string[] }>();
  for (const p of pools) {
    const name = runtimeClassName(p.runtime, p.gpu);
    const entry = byName.get(name) ?? { runtime: p.runtime, gpu: p.gpu, pools: [] };
    entry.pools.push(p.name);
    byName.set(name, entry);
  }
  return [...byName.keys()].sort().map((name) => {
    const e = byName.get(name)!;
    const handler = catalog.handlers[name];
    if (!handler) throw new Error(`${catalog.service} Kubernetes catalog has no handler for RuntimeClass ${name}`);
    return {
      name, handler, runtime: e.runtime, gpu: e.gpu, overhead: OVERHEAD[e.runtime],
      nodeSelector: { [KUBERNETES_LABELS.runtimeClass]: name },
      tolerations: [
        { key: KUBERNETES_LABELS.runtimeClass, operator: 'Equal', value: name, effect: 'NoSchedule' },
        // GKE: GKE Sandbox taints its nodes itself (catalog.extraTolerations).
        ...(catalog.extraTolerations?.[name] ?? []).map((t) => ({ ...t })),
      ],
      pools: [...e.pools].sort(),
    };
  });
}

const VERSION = /^1\.\d{1,3}$/;

/**
 * Reads `orchestrator` and `kubernetes`. Returns the orchestrator and, in Kubernetes mode, the
 * cluster settings without runtime classes (the caller adds them once the pools are known).
 */
export function readKubernetes(c: IssueCollector, r: FieldReader, cloud: CloudProvider, compliance: ComplianceProfile,
  orchestratorRaw: unknown, kubernetesRaw: unknown): { orchestrator: Orchestrator; kubernetes?: ResolvedKubernetes; catalog?: KubernetesCatalog } {
  const given = r.enumValue('orchestrator', orchestratorRaw, Orchestrator);
  const orchestrator = given ?? Orchestrator.INSTANCES;
  const k = r.object('kubernetes', kubernetesRaw, ['version', 'apiEndpoint', 'authorizedCidrs']);
  if (k && orchestratorRaw === undefined) {
    c.add('kubernetes', 'is set but orchestrator is not "kubernetes" (the default is "instances")',
      'add "orchestrator": "kubernetes", or remove kubernetes');
    return { orchestrator };
  }
  if (k && given === Orchestrator.INSTANCES) {
    c.add('kubernetes', 'applies only with orchestrator "kubernetes", not "instances"', 'set orchestrator to "kubernetes", or remove kubernetes');
    return { orchestrator };
  }
  if (orchestrator !== Orchestrator.KUBERNETES) return { orchestrator };

  const catalog = kubernetesCatalogFor(cloud);
  if (!catalog) {
    c.add('orchestrator', `"kubernetes" is not available on ${cloud} in this version of the library (EKS, GKE and AKS are)`,
      'use orchestrator "instances" on this cloud, or deploy to AWS, GCP or Azure');
    return { orchestrator };
  }
  const spec = k ?? {};
  const known = catalog.versions.map((v) => v.version);
  let info = catalog.versions[0];
  const version = r.string('kubernetes.version', spec.version, VERSION, 'a Kubernetes minor version such as "1.34"');
  if (version !== undefined) {
    const found = catalog.versions.find((v) => v.version === version);
    if (found) {
      info = found;
    } else {
      c.add('kubernetes.version', `${show(version)} is not among the ${catalog.service} versions this library knows (catalog checked ${catalog.checked}: ${known.join(', ')})`,
        `use one of ${known.map((v) => show(v)).join(', ')}, or omit version for ${show(known[0])}`);
    }
  }

  const endpointGiven = r.enumValue('kubernetes.apiEndpoint', spec.apiEndpoint, KubernetesApiEndpoint);
  const apiEndpoint = endpointGiven ?? KubernetesApiEndpoint.PRIVATE;
  if (apiEndpoint === KubernetesApiEndpoint.RESTRICTED_PUBLIC && compliance !== ComplianceProfile.BASELINE) {
    c.add('kubernetes.apiEndpoint', `"restricted-public" is not allowed under ${compliance}: the ${compliance} preset keeps the API server private`,
      'use "private" (the default) and reach the API from inside the network (VPN, peering, or a bastion through the cloud\'s session manager)');
  }
  const cidrs = authorizedCidrs(c, r, spec.authorizedCidrs, catalog);
  // Not when apiEndpoint itself is invalid (already reported): the default would be a guess.
  const endpointKnown = spec.apiEndpoint === undefined || endpointGiven !== undefined;
  if (spec.authorizedCidrs !== undefined && endpointKnown && apiEndpoint !== KubernetesApiEndpoint.RESTRICTED_PUBLIC) {
    c.add('kubernetes.authorizedCidrs', `applies only to apiEndpoint "restricted-public", not ${show(apiEndpoint)}`,
      'remove authorizedCidrs, or set apiEndpoint to "restricted-public" (baseline only)');
  }
  if (endpointGiven === KubernetesApiEndpoint.RESTRICTED_PUBLIC && spec.authorizedCidrs === undefined) {
    c.add('kubernetes.authorizedCidrs', 'is required with apiEndpoint "restricted-public"',
      'list the public CIDRs that may reach the API server, e.g. ["203.0.113.0/24"], or use apiEndpoint "private"');
  }
  return {
    orchestrator,
    catalog,
    kubernetes: {
      version: info.version, apiEndpoint, authorizedCidrs: apiEndpoint === KubernetesApiEndpoint.RESTRICTED_PUBLIC ? cidrs ?? [] : [],
      addons: info.addons, endOfStandardSupport: info.endOfStandardSupport,
      systemNodes: { instanceType: catalog.systemNodeType, minNodes: 2, maxNodes: 4 },
      runtimeClasses: [],
    },
  };
}

function authorizedCidrs(c: IssueCollector, r: FieldReader, v: unknown, catalog: KubernetesCatalog): string[] | undefined {
  const list = r.array('kubernetes.authorizedCidrs', v);
  if (list === undefined) return undefined;
  const out: string[] = [];
  list.forEach((item, i) => {
    const path = `kubernetes.authorizedCidrs[${i}]`;
    const text = r.string(path, item);
    if (text === undefined) return;
    const parsed = parseIpv4Cidr(text);
    if (typeof parsed === 'string') {
      c.add(path, parsed, 'use a public IPv4 network with a prefix, e.g. "203.0.113.0/24"');
    } else if (parsed.prefix === 0) {
      c.add(path, `${show(text)} opens the API server to the whole internet`, 'list only the networks that administer the cluster, e.g. "203.0.113.0/24"');
    } else if (isPrivate(parsed)) {
      c.add(path, `${show(text)} is a private range; the public endpoint only ever sees public source addresses`,
        'list public CIDRs here; private networks reach the private endpoint without an allow-list');
    } else if (out.includes(text)) {
      c.add(path, `${show(text)} is listed twice`, 'list each CIDR once');
    } else {
      out.push(text);
    }
  });
  if (list.length === 0) {
    c.add('kubernetes.authorizedCidrs', 'is empty', 'list at least one public CIDR, or use apiEndpoint "private"');
  } else if (list.length > catalog.maxAuthorizedCidrs) {
    c.add('kubernetes.authorizedCidrs', `lists ${list.length} CIDRs; ${catalog.service} accepts at most ${catalog.maxAuthorizedCidrs}`,
      `merge them into at most ${catalog.maxAuthorizedCidrs} CIDRs`);
  }
  return out;
}
