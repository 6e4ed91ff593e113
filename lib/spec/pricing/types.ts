/**
 * Shapes of the dated list-price tables (issue 12). Pure data types: no cdktf imports.
 */

/** Where a block of prices comes from. */
/** @jsii ignore not in Python: cost estimates come from a free function (the CLI's explain) */
export interface PriceSource {
  /** Short title, e.g. "aws/karpenter-provider-aws zz_generated.pricing_aws.go". */
  readonly title: string;
  /** URL of the file or page, pinned to a commit where the source is a repository. */
  readonly url: string;
  /** When the source itself was generated or published (ISO date), when it says so. */
  readonly published?: string;
  /** The date the prices were read into this table (ISO date). */
  readonly read: string;
}

/** Prices of one region from one source: USD per hour, Linux, on-demand. */
/** @jsii ignore not in Python: cost estimates come from a free function (the CLI's explain) */
export interface RegionPriceBlock {
  readonly region: string;
  readonly source: PriceSource;
  /** Instance type / machine type / VM size -> USD per hour. */
  readonly prices: { readonly [name: string]: number };
  /** Row caveats shown with the price (e.g. sources that disagree on it), by type. */
  readonly caveats?: { readonly [name: string]: string };
}

/** A dated table of per-type hourly prices for one cloud. */
/** @jsii ignore not in Python: cost estimates come from a free function (the CLI's explain) */
export interface InstancePriceTable {
  /** The date the newest block was read (ISO date); every block also carries its own. */
  readonly date: string;
  readonly blocks: readonly RegionPriceBlock[];
}

/** A price found in a table, with where it came from. */
/** @jsii ignore not in Python: cost estimates come from a free function (the CLI's explain) */
export interface PriceQuote {
  readonly usdPerHour: number;
  readonly source: PriceSource;
  /** The row's caveat, if the table has one. */
  readonly caveat?: string;
}

/** First block of `region` that prices `name`, or undefined. */
export function lookupPrice(table: InstancePriceTable, region: string, name: string): PriceQuote | undefined {
  for (const block of table.blocks) {
    if (block.region !== region) continue;
    const p = block.prices[name];
    const caveat = block.caveats?.[name];
    if (p !== undefined) return { usdPerHour: p, source: block.source, ...(caveat ? { caveat } : {}) };
  }
  return undefined;
}

/** Regions the table has any block for. */
export function pricedRegions(table: InstancePriceTable): string[] {
  return [...new Set(table.blocks.map((b) => b.region))];
}

/** "title (url), published X, read Y": the one-line citation shown next to a price. */
export function citeSource(source: PriceSource): string {
  return `${source.title} (${source.url})${source.published ? `, generated ${source.published}` : ''}, read ${source.read}`;
}
