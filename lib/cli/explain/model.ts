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

/** A cost range in USD; null where a price is unknown (never 0). */
export interface MoneyRange {
  readonly min: number | null;
  readonly max: number | null;
}

/** One priced line: a pool (or fixed infrastructure, when the estimator lists it). */
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

export interface ExplainCost {
  readonly currency: string;
  readonly region: string;
  readonly hoursPerMonth: number;
  readonly pools: readonly CostLine[];
  /** Fixed infrastructure lines (NAT gateways, firewalls...) when the estimator prices them; else empty. */
  readonly fixed: readonly CostLine[];
  readonly totalHourly: MoneyRange;
  readonly totalMonthly: MoneyRange;
  /** Every price is known. */
  readonly complete: boolean;
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
  // Fixed infrastructure lines are optional in the estimator's contract; read them when present.
  const fixedLines = (estimate as PlatformCostEstimate & { readonly fixed?: readonly PoolCostEstimate[] }).fixed ?? [];
  const lines = [...estimate.pools, ...fixedLines];
  const distinct = (xs: (string | undefined)[]): string[] => [...new Set(xs.filter((x): x is string => !!x))].sort();
  return {
    currency: estimate.currency, region: estimate.region, hoursPerMonth: estimate.hoursPerMonth,
    pools: estimate.pools.map(line), fixed: fixedLines.map(line),
    totalHourly: range(estimate.totalHourly), totalMonthly: range(estimate.totalMonthly),
    complete: estimate.complete,
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
    decisions: presetDecisions(plan),
    warnings: plan.warnings.map((w) => ({ path: warningPath(w), message: w.message })),
    cost: explainCost(estimate ?? estimatePlatformCost(plan, loaded.target.region)),
  };
}
