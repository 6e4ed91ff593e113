/** A money range in USD; a bound is undefined when a price it needs is unknown (never 0). */
/** @jsii ignore not in Python: cost estimates come from a free function (the CLI's explain) */
export interface CostRange {
  readonly min?: number;
  readonly max?: number;
}

/** Sum of ranges; a bound is undefined as soon as one addend's bound is. */
export function sumRanges(ranges: readonly CostRange[]): CostRange {
  let min: number | undefined = 0;
  let max: number | undefined = 0;
  for (const r of ranges) {
    min = min === undefined || r.min === undefined ? undefined : min + r.min;
    max = max === undefined || r.max === undefined ? undefined : max + r.max;
  }
  return {
    ...(min === undefined ? {} : { min: Math.round(min * 1e6) / 1e6 }),
    ...(max === undefined ? {} : { max: Math.round(max * 1e6) / 1e6 }),
  };
}
