/**
 * Estimated on-demand cost of a resolved platform (issue 12): per pool and in total, hourly and
 * monthly at min and at max nodes, from the dated list-price tables in aws.ts, gcp.ts and
 * azure.ts, plus fixed platform lines (NAT gateways, managed firewalls; in Kubernetes mode the
 * control-plane fee and the system node pool) kept separate.
 * Pure: no cdktf imports. An unknown price stays unknown (undefined bounds, a reason in
 * `notes`), never 0, and every total it feeds says it is incomplete.
 */
import { ResolvedPlatform, ResolvedPool } from '../resolved';
import { CloudProvider } from '../types';
import { CostRange, sumRanges } from './cost-range';
import { FixedCostLine, fixedCostLines, trafficOnlyCharges } from './fixed-costs';
import { nodeHourPrice, roundUsd } from './node-price';
import { citeSource } from './types';

export { CostRange, sumRanges } from './cost-range';
export * from './fixed-costs';
export * from './kubernetes-fees';
export { NodePrice, nodeHourPrice, roundUsd } from './node-price';
export * from './types';
export * from './aws';
export * from './gcp';
export * from './azure';

/** Hours in the monthly figures (365 x 24 / 12). */
export const HOURS_PER_MONTH = 730;

/**
 * What no figure here includes. The managed Kubernetes control-plane fee is not among them: in
 * Kubernetes mode it is a fixed line (fixed-costs.ts), and instance mode has no managed cluster.
 */
export const COST_EXCLUSIONS: readonly string[] = Object.freeze([
  'block storage (root volumes, disks, snapshots) and object storage',
  'data transfer, NAT/firewall per-GB processing, load balancers and public IP addresses',
  'logs, metrics and audit storage (CloudWatch / Cloud Logging / Log Analytics), KMS / Key Vault keys and requests',
  'support plans, taxes, and any discount (savings plans, reservations, committed use, spot)',
]);

export const COST_DISCLAIMER =
  'Estimate only: on-demand Linux list prices from dated tables (sources per line), not a quote. ' +
  'Excluded: storage, data transfer, logs, keys, discounts.';

/** @jsii ignore not in Python: cost estimates come from a free function (the CLI's explain) */
export interface PoolCostEstimate {
  readonly pool: string;
  readonly instanceType: string;
  readonly minNodes: number;
  readonly maxNodes: number;
  /** List price per node-hour in USD (machine plus attached GPUs); undefined when unknown. */
  readonly hourlyPerNode?: number;
  /** Hourly cost at min and at max nodes. */
  readonly hourly: CostRange;
  /** Monthly cost (730 h) at min and at max nodes. */
  readonly monthly: CostRange;
  /** Where the price comes from (URL or page name) and the date it was read; undefined when unknown. */
  readonly source?: string;
  readonly priceDate?: string;
  /** Why the price is unknown, or caveats (spot priced at on-demand, region not in the table, ...). */
  readonly notes: readonly string[];
  /** The price is known. */
  readonly known: boolean;
  /** The pool asks for spot capacity (priced at on-demand: an upper bound). */
  readonly spot: boolean;
}

/** @jsii ignore not in Python: cost estimates come from a free function (the CLI's explain) */
export interface PlatformCostEstimate {
  readonly cloud: CloudProvider;
  readonly region: string;
  readonly currency: 'USD';
  readonly hoursPerMonth: number;
  readonly pools: readonly PoolCostEstimate[];
  /** Sum over pools; a bound is undefined when any pool's price is unknown. */
  readonly totalHourly: CostRange;
  readonly totalMonthly: CostRange;
  /** Every pool's price is known. */
  readonly complete: boolean;
  /** The sentence every rendering shows: this is an estimate from dated list prices. */
  readonly disclaimer: string;
  /**
   * Fixed platform lines (NAT gateways, managed firewalls; in Kubernetes mode the control-plane fee and the
   * system node pool), not included in totalHourly / totalMonthly.
   */
  readonly fixed: readonly FixedCostLine[];
  /** Pools plus fixed lines; a bound is undefined when any pool's or line's price is unknown. */
  readonly platformHourly: CostRange;
  readonly platformMonthly: CostRange;
  /** Every pool's and every fixed line's price is known. */
  readonly platformComplete: boolean;
  /** One line per unknown price: what it is and why. Empty when platformComplete. */
  readonly unknown: readonly string[];
  /** What no figure includes. */
  readonly excluded: readonly string[];
}

export const SPOT_NOTE = 'spot pool priced at the on-demand list price: an upper bound (spot prices vary by zone and hour)';

function poolEstimate(cloud: CloudProvider, pool: ResolvedPool, region: string): PoolCostEstimate {
  const price = nodeHourPrice(cloud, pool, region);
  const notes = [...price.notes];
  if (pool.spot) notes.push(SPOT_NOTE);
  const base = {
    pool: pool.name, instanceType: pool.instanceType, minNodes: pool.minNodes, maxNodes: pool.maxNodes, spot: pool.spot,
  };
  if (price.usdPerHour === undefined) {
    return { ...base, hourly: {}, monthly: {}, known: false, notes: [`price unknown: ${price.reason ?? 'no source'}`, ...notes] };
  }
  const h = price.usdPerHour;
  const hourly = { min: roundUsd(h * pool.minNodes), max: roundUsd(h * pool.maxNodes) };
  return {
    ...base, hourlyPerNode: h, known: true, hourly,
    monthly: { min: roundUsd(h * pool.minNodes * HOURS_PER_MONTH), max: roundUsd(h * pool.maxNodes * HOURS_PER_MONTH) },
    source: price.sources.map(citeSource).join('; '),
    priceDate: price.sources.map((s) => s.read).sort().reverse()[0],
    notes,
  };
}

/** Estimates the pools' compute cost (and the fixed platform lines) in `region` from the dated list-price tables. */
export function estimatePlatformCost(resolved: ResolvedPlatform, region: string): PlatformCostEstimate {
  const pools = resolved.pools.map((p) => poolEstimate(resolved.cloud, p, region));
  const fixed = fixedCostLines(resolved, region, HOURS_PER_MONTH);
  const complete = pools.every((p) => p.known);
  const unknown = [
    ...pools.filter((p) => !p.known).map((p) => `pool ${p.pool} (${p.instanceType}): ${p.notes[0]}`),
    ...fixed.filter((f) => !f.known).map((f) => `${f.item} x ${f.quantity}: ${f.notes[0]}`),
  ];
  const disclaimer = COST_DISCLAIMER;
  return {
    cloud: resolved.cloud, region, currency: 'USD', hoursPerMonth: HOURS_PER_MONTH, pools,
    totalHourly: sumRanges(pools.map((p) => p.hourly)),
    totalMonthly: sumRanges(pools.map((p) => p.monthly)),
    complete,
    disclaimer: complete ? disclaimer : `${disclaimer} Incomplete: some prices are unknown and are not counted as 0.`,
    fixed,
    platformHourly: sumRanges([...pools.map((p) => p.hourly), ...fixed.map((f) => f.hourly)]),
    platformMonthly: sumRanges([...pools.map((p) => p.monthly), ...fixed.map((f) => f.monthly)]),
    platformComplete: unknown.length === 0,
    unknown,
    excluded: [...COST_EXCLUSIONS, ...trafficOnlyCharges(resolved)],
  };
}
