/**
 * The explain document: a spec file's resolved plan (pools, KVM mode, capacity arithmetic), its
 * preset decisions with reasons, warnings and the cost estimate. Pure; `--format json` prints it
 * as is and the text rendering reads only it.
 */
import { CapacityPlan, PoolKind, ResolvedPool, Virtualization } from '../../spec';
import { CostRange, PlatformCostEstimate, PoolCostEstimate, estimatePlatformCost } from '../../spec/pricing';
import { JSON_SCHEMA_VERSION } from '../io';
import { LoadedSpecFile, warningPath } from '../load';
import { Decision, presetDecisions } from './decisions';
import { ExplainKubernetes, explainKubernetes } from './kubernetes';

/** A cost range in USD; null where a price is unknown (never 0). */
export interface MoneyRange {
  readonly min: number | null;
  readonly max: number | null;
}

/** One priced pool. */
export interface CostLine {
  readonly name: string;
  readonly instanceType: string;
  readonly minNodes: number;
  readonly maxNodes: number;
  readonly hourlyPerNode: number | null;
  readonly hourly: MoneyRange;
  readonly monthly: MoneyRange;
  readonly source: string | null;
  readonly priceDate: string | null;
  readonly notes: readonly string[];
}

/**
 * One fixed platform line (NAT gateways, managed firewalls; in Kubernetes mode the control-plane fee and
 * the system node pool): the same at min and at max nodes, except where noted.
 */
export interface FixedLine {
  readonly item: string;
  /** Units at min nodes. */
  readonly quantity: number;
  /** Units at max nodes (the system node pool scales; other lines: quantity). */
  readonly maxQuantity: number;
  /** Instance type of a line of nodes; null for other lines. */
  readonly instanceType: string | null;
  readonly unitHourly: number | null;
  readonly hourly: MoneyRange;
  readonly monthly: MoneyRange;
  readonly source: string | null;
  readonly priceDate: string | null;
  readonly notes: readonly string[];
}

export interface ExplainCost {
  readonly currency: string;
  readonly region: string;
  readonly hoursPerMonth: number;
  readonly pools: readonly CostLine[];
  /** Fixed platform lines when the estimator prices them; else empty. */
  readonly fixed: readonly FixedLine[];
  /** The pools' sum. */
  readonly totalHourly: MoneyRange;
  readonly totalMonthly: MoneyRange;
  /** Every pool's price is known. */
  readonly complete: boolean;
  /** Pools plus fixed lines. */
  readonly platformHourly: MoneyRange;
  readonly platformMonthly: MoneyRange;
  /** Every pool's and fixed line's price is known. */
  readonly platformComplete: boolean;
  /** One line per unknown price: what and why. */
  readonly unknown: readonly string[];
  /** What no figure includes. */
  readonly excluded: readonly string[];
  /** Distinct price dates and sources of the lines. */
  readonly priceDates: readonly string[];
  readonly sources: readonly string[];
  readonly disclaimer: string;
}

/** KVM mode of a pool, in words. */
export function kvmMode(v: Virtualization): string {
  switch (v) {
    case Virtualization.BARE_METAL: return 'bare metal (/dev/kvm on the host)';
    case Virtualization.NESTED: return 'nested virtualization (/dev/kvm inside the VM)';
    case Virtualization.NONE:
    default: return 'none (gVisor runs without KVM)';
  }
}

export interface ExplainPool {
  readonly name: string;
  readonly kind: PoolKind;
  readonly instanceType: string;
  readonly vcpus: number | null;
  readonly memoryGiB: number | null;
  readonly gpu: { readonly model: string; readonly count: number } | null;
  readonly runtime: string;
  readonly virtualization: Virtualization;
  readonly kvm: string;
  readonly minNodes: number;
  readonly maxNodes: number;
  readonly warmNodes: number;
  readonly spot: boolean;
  /** The capacity arithmetic, for a pool sized from spec capacity; else null. */
  readonly capacity: CapacityPlan | null;
}

export interface ExplainDocument {
  readonly schemaVersion: number;
  readonly command: 'explain';
  readonly ok: true;
  readonly file: string;
  readonly target: { readonly cloud: string; readonly region: string; readonly project: string | null };
  readonly backend: { readonly type: string; readonly [field: string]: string };
  readonly platform: { readonly name: string; readonly deployment: string; readonly compliance: string };
  readonly network: {
    readonly cidr: string; readonly zones: number; readonly availabilityZones: readonly string[] | null;
    readonly egress: string; readonly allowedDomains: readonly string[];
  };
  readonly pools: readonly ExplainPool[];
  /** instances or kubernetes. */
  readonly orchestrator: string;
  /** The cluster in Kubernetes mode; null in instance mode. */
  readonly kubernetes: ExplainKubernetes | null;
  readonly decisions: readonly Decision[];
  readonly warnings: readonly { readonly path: string; readonly message: string }[];
  readonly cost: ExplainCost;
}

function range(r: CostRange | undefined): MoneyRange {
  return { min: typeof r?.min === 'number' ? r.min : null, max: typeof r?.max === 'number' ? r.max : null };
}

function line(p: PoolCostEstimate): CostLine {
  return {
    name: p.pool, instanceType: p.instanceType, minNodes: p.minNodes, maxNodes: p.maxNodes,
    hourlyPerNode: typeof p.hourlyPerNode === 'number' ? p.hourlyPerNode : null,
    hourly: range(p.hourly), monthly: range(p.monthly),
    source: p.source ?? null, priceDate: p.priceDate ?? null, notes: [...p.notes],
  };
}

/** Sum of ranges: a bound is null when any term's is. */
function sum(ranges: readonly MoneyRange[]): MoneyRange {
  const add = (k: 'min' | 'max') => ranges.reduce<number | null>((a, r) => (a === null || r[k] === null ? null : a + r[k]!), 0);
  return { min: add('min'), max: add('max') };
}

function pool(p: ResolvedPool): ExplainPool {
  return {
    name: p.name, kind: p.kind, instanceType: p.instanceType,
    vcpus: p.shape?.vcpus ?? null, memoryGiB: p.shape?.memoryGiB ?? null,
    gpu: p.gpu ? { model: p.gpu.model, count: p.gpu.count } : null,
    runtime: p.runtime, virtualization: p.virtualization, kvm: kvmMode(p.virtualization),
    minNodes: p.minNodes, maxNodes: p.maxNodes, warmNodes: p.warmNodes, spot: p.spot,
    capacity: p.capacityPlan ?? null,
  };
}

/** The cost part of the document from an estimate (kept separate so tests can feed any estimate). */
export function explainCost(estimate: PlatformCostEstimate): ExplainCost {
  // Tests may feed a hand-made estimate without the optional lists: read them defensively.
  const x = estimate as Partial<PlatformCostEstimate> & PlatformCostEstimate;
  const fixed: FixedLine[] = (x.fixed ?? []).map((f) => ({
    item: f.item, quantity: f.quantity, maxQuantity: f.maxQuantity ?? f.quantity, instanceType: f.instanceType ?? null,
    unitHourly: typeof f.unitHourly === 'number' ? f.unitHourly : null,
    hourly: range(f.hourly), monthly: range(f.monthly), source: f.source ?? null, priceDate: f.priceDate ?? null, notes: [...f.notes],
  }));
  const pools = estimate.pools.map(line);
  const totalHourly = range(estimate.totalHourly);
  const totalMonthly = range(estimate.totalMonthly);
  const lines = [...pools, ...fixed];
  const distinct = (xs: (string | null)[]): string[] => [...new Set(xs.filter((v): v is string => !!v))].sort();
  const fixedKnown = fixed.every((f) => f.hourly.min !== null && f.hourly.max !== null);
  return {
    currency: estimate.currency, region: estimate.region, hoursPerMonth: estimate.hoursPerMonth,
    pools, fixed, totalHourly, totalMonthly, complete: estimate.complete,
    platformHourly: x.platformHourly ? range(x.platformHourly) : sum([totalHourly, ...fixed.map((f) => f.hourly)]),
    platformMonthly: x.platformMonthly ? range(x.platformMonthly) : sum([totalMonthly, ...fixed.map((f) => f.monthly)]),
    platformComplete: x.platformComplete ?? (estimate.complete && fixedKnown),
    unknown: [...(x.unknown ?? [])],
    excluded: [...(x.excluded ?? [])],
    priceDates: distinct(lines.map((l) => l.priceDate)), sources: distinct(lines.map((l) => l.source)),
    disclaimer: estimate.disclaimer,
  };
}

/** The explain document of a loaded spec file; `estimate` defaults to the library's estimator. */
export function explainDocument(file: string, loaded: LoadedSpecFile, estimate?: PlatformCostEstimate): ExplainDocument {
  const plan = loaded.resolved;
  const n = plan.network;
  const backend = (loaded.backend ?? { type: 'local' }) as unknown as { type: string; [field: string]: string };
  return {
    schemaVersion: JSON_SCHEMA_VERSION,
    command: 'explain',
    ok: true,
    file,
    target: { cloud: loaded.target.cloud, region: loaded.target.region, project: loaded.target.project ?? null },
    backend: { ...backend },
    platform: { name: plan.name, deployment: plan.deployment, compliance: plan.compliance },
    network: {
      cidr: n.cidr, zones: n.zones, availabilityZones: n.availabilityZones ? [...n.availabilityZones] : null,
      egress: n.egress, allowedDomains: [...n.allowedDomains],
    },
    pools: plan.pools.map(pool),
    orchestrator: plan.orchestrator,
    kubernetes: explainKubernetes(plan),
    decisions: presetDecisions(plan),
    warnings: plan.warnings.map((w) => ({ path: warningPath(w), message: w.message })),
    cost: explainCost(estimate ?? estimatePlatformCost(plan, loaded.target.region)),
  };
}
