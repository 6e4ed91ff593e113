/**
 * Estimated on-demand cost of a resolved platform's pools (issue 12). Pure: no cdktf imports.
 * STUB: the interface the command line relies on; the pricing tables and the estimator land with
 * the pricing work. Field names here are the contract: extend, do not rename.
 */
import { CloudProvider } from '../types';
import { ResolvedPlatform } from '../resolved';

/** A money range in USD; a bound is undefined when a price it needs is unknown (never 0). */
export interface CostRange {
  readonly min?: number;
  readonly max?: number;
}

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
}

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
}

/** Estimates the pools' compute cost in `region` from the dated list-price tables. */
export function estimatePlatformCost(resolved: ResolvedPlatform, region: string): PlatformCostEstimate {
  const pools: PoolCostEstimate[] = resolved.pools.map((p) => ({
    pool: p.name, instanceType: p.instanceType, minNodes: p.minNodes, maxNodes: p.maxNodes,
    hourly: {}, monthly: {}, notes: ['price unknown (pricing tables not built yet)'],
  }));
  return {
    cloud: resolved.cloud, region, currency: 'USD', hoursPerMonth: 730, pools,
    totalHourly: {}, totalMonthly: {}, complete: pools.length === 0,
    disclaimer: 'Estimate only: compute list prices; not a quote.',
  };
}
