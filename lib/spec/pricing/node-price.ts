/**
 * List price of one node of a pool (machine plus the GPUs it carries), per cloud. Pure: no
 * cdktf imports. A price is either found in a dated table, with its source, or unknown with
 * the reason; it is never guessed, scaled from another region or defaulted to 0.
 */
import { GCP_ATTACHED_ACCELERATORS, GCP_CATALOG, gcpSeriesOf } from '../catalog/gcp';
import { InstanceShape } from '../catalog/types';
import { ResolvedPool } from '../resolved';
import { CloudProvider } from '../types';
import { AWS_PRICE_TABLE } from './aws';
import { AZURE_PRICE_TABLE } from './azure';
import { GCP_ACCELERATOR_PRICES, GCP_MACHINE_TYPE_PRICES, GCP_SERIES_RATES, gcpSeriesRate } from './gcp';
import { InstancePriceTable, PriceSource, lookupPrice, pricedRegions } from './types';

/** A node-hour price, or why there is none. */
/** @jsii ignore not in Python: cost estimates come from a free function (the CLI's explain) */
export interface NodePrice {
  /** USD per node-hour; undefined when unknown. */
  readonly usdPerHour?: number;
  /** Every source the price was built from (one for a per-type price, two for N1 + GPU). */
  readonly sources: readonly PriceSource[];
  /** Why the price is unknown (set exactly when usdPerHour is undefined). */
  readonly reason?: string;
  /** How the price was built, when that is not a single table row. */
  readonly notes: readonly string[];
}

/** What a node price depends on: the type, its shape (GCP per-vCPU pricing) and attached GPUs. */
export type PricedNode = Pick<ResolvedPool, 'instanceType' | 'shape' | 'gpu'>;

/** Rounds away float noise (prices are quoted to at most 6 decimals). */
export function roundUsd(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function unknown(reason: string): NodePrice {
  return { sources: [], reason, notes: [] };
}

function regionList(regions: readonly string[]): string {
  return regions.length ? regions.join(', ') : 'none';
}

/** Per-type lookup for clouds that price every type as a unit (AWS, Azure). */
function tablePrice(cloud: string, table: InstancePriceTable, region: string, type: string): NodePrice {
  const quote = lookupPrice(table, region, type);
  if (quote) return { usdPerHour: quote.usdPerHour, sources: [quote.source], notes: quote.caveat ? [quote.caveat] : [] };
  const regions = pricedRegions(table);
  if (!regions.includes(region)) {
    return unknown(`no ${cloud} prices for region ${region} in the table (regions priced: ${regionList(regions)})`);
  }
  return unknown(`${type} has no ${cloud} price for ${region} in the table (not read from a source for that region)`);
}

/** GCP series that carry their GPUs and are priced per machine type (Google publishes a price per type). */
const GCP_PER_TYPE_SERIES = new Set(['a2', 'a3', 'g2']);

function gcpShape(pool: PricedNode): InstanceShape | undefined {
  return pool.shape ?? GCP_CATALOG.shape(pool.instanceType);
}

function gcpPrice(pool: PricedNode, region: string): NodePrice {
  const type = pool.instanceType;
  const series = gcpSeriesOf(type);
  const perType = lookupPrice(GCP_MACHINE_TYPE_PRICES, region, type);
  if (perType) {
    return { usdPerHour: perType.usdPerHour, sources: [perType.source], notes: ['per-machine-type price (GPUs included where the type carries them)'] };
  }
  if (GCP_PER_TYPE_SERIES.has(series)) {
    return unknown(`${type} is priced per machine type (its GPUs and any bundled Local SSD included); the table has no price for it in ${region}`);
  }
  const shape = gcpShape(pool);
  if (!shape) return unknown(`${type} is not in the catalog, so its vCPUs and memory are unknown`);
  if (shape.metal) return unknown(`${type} is a bare-metal machine type, billed under its own SKUs; the table has no price for it`);
  if (shape.localNvme) return unknown(`${type} bundles Local SSD, which the series rates do not cover; the table has no per-type price for it`);
  const rated = gcpSeriesRate(region, series);
  if (!rated) {
    const regions = [...new Set([...GCP_SERIES_RATES.blocks.map((b) => b.region), ...pricedRegions(GCP_MACHINE_TYPE_PRICES)])];
    return regions.includes(region)
      ? unknown(`${type}: the table has neither a per-type price nor ${series.toUpperCase()} vCPU/memory rates for ${region}`)
      : unknown(`no GCP prices for region ${region} in the table (regions priced: ${regionList(regions)})`);
  }
  const machine = shape.vcpus * rated.rate.vcpuHour + shape.memoryGiB * rated.rate.gibHour;
  const notes = [`${shape.vcpus} vCPU x ${rated.rate.vcpuHour} + ${shape.memoryGiB} GiB x ${rated.rate.gibHour} (${series.toUpperCase()} rates)`];
  if (!pool.gpu) return { usdPerHour: roundUsd(machine), sources: [rated.source], notes };
  const acc = GCP_ATTACHED_ACCELERATORS[pool.gpu.model];
  if (!acc || acc.series !== series) {
    return unknown(`${type} with ${pool.gpu.count} x ${pool.gpu.model}: no attached-accelerator pricing for that model on ${series.toUpperCase()}`);
  }
  const gpu = lookupPrice(GCP_ACCELERATOR_PRICES, region, acc.acceleratorType);
  if (!gpu) return unknown(`no ${acc.acceleratorType} price for ${region} in the table`);
  notes.push(`+ ${pool.gpu.count} x ${acc.acceleratorType} x ${gpu.usdPerHour}`);
  const sources = gpu.source === rated.source ? [rated.source] : [rated.source, gpu.source];
  return { usdPerHour: roundUsd(machine + pool.gpu.count * gpu.usdPerHour), sources, notes };
}

/** The list price of one node of `pool` in `region`, or why it is unknown. */
export function nodeHourPrice(cloud: CloudProvider, pool: PricedNode, region: string): NodePrice {
  switch (cloud) {
    case CloudProvider.AWS:
      return tablePrice('AWS', AWS_PRICE_TABLE, region, pool.instanceType);
    case CloudProvider.AZURE:
      // Azure region names are case-insensitive and the portal writes them with spaces ("East US").
      return tablePrice('Azure', AZURE_PRICE_TABLE, region.replace(/\s+/g, '').toLowerCase(), pool.instanceType);
    case CloudProvider.GCP:
      return gcpPrice(pool, region);
    default:
      return unknown(`no price table for cloud ${String(cloud)}`);
  }
}
