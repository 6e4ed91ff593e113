/**
 * Compute Engine on-demand list prices: USD per hour, no premium image. Pure data.
 *
 * Compute Engine bills a predefined machine type as vCPUs plus GiB of memory at its series'
 * rates, GPUs attached to N1 per accelerator, and accelerator-optimized types (A2, A3, G2) with
 * their GPUs (and bundled Local SSD); Google publishes a per-machine-type price for those.
 * Source: "VM instance pricing" (cloud.google.com/compute/vm-instance-pricing) and
 * "Accelerator-optimized machine family" (docs.cloud.google.com/compute/docs/accelerator-optimized-machines,
 * "Pricing and consumption options").
 *
 * HOW TO REFRESH: the series rates, the N1 GPU price and the A2 per-type prices come from
 * `cluster-autoscaler/cloudprovider/gce/gce_price_info.go` of github.com/kubernetes/autoscaler
 * (predefinedCpuPricePerHour, predefinedMemoryPricePerHourPerGb, gpuPrices, instancePrices);
 * take the newest commit, copy the rows used below, and update the commit in the URL and both
 * dates. That file names no region: check its rates still reproduce us-central1 rows of
 * skypilot-catalog `catalogs/v8/gcp/vms.csv` (for example n1-340-48-tpu, 48 vCPU + 340 GB:
 * 48 x n1 vCPU + 340 x n1 GiB = 2.95791) before calling them us-central1. Other regions: the
 * Cloud Billing Catalog API (services/6F81-5844-456A/skus) per region. Never scale one
 * region's rates into another, and never price an A2/A3/G2 type, a "-lssd" type or a bare-metal
 * type from series rates: they carry GPUs, bundled Local SSD or a separate SKU.
 *
 * The G2 rows are the sum of two rows of skypilot-catalog `catalogs/v8/gcp/vms.csv`: the
 * machine type's row (vCPU + memory only; the catalog lists GPUs as separate rows) and the row
 * of its L4 count (g2-standard-4/12/16/32: 1 L4, g2-standard-24: 2; GCP_CATALOG). In us-central1
 * the vCPU + memory rows agree with the autoscaler's G2 rates (g2-standard-4: 4 x 0.024988 +
 * 16 x 0.002927 = 0.146784, listed as 0.14679). europe-west4 rows are per machine type from the
 * same file. SkyPilot's "-lssd" rows equal the plain types' (no Local SSD), so they are not used.
 *
 * Left out: A3 (the H100/H200 GPU rows of that file are inconsistent across regions), G2 sizes
 * whose rows were not read (8, 48, 96), series rates outside us-central1, and every region but
 * us-central1 and europe-west4. They are priced as unknown.
 */
import { InstancePriceTable, PriceSource } from './types';

/** Date the GCP prices below were read into this table. */
export const GCP_PRICES_READ = '2026-12-02';

export const GCP_SOURCE_AUTOSCALER: PriceSource = Object.freeze({
  title: 'kubernetes/autoscaler cluster-autoscaler/cloudprovider/gce/gce_price_info.go (us-central1 list prices; region checked against skypilot-catalog catalogs/v8/gcp/vms.csv)',
  url: 'https://github.com/kubernetes/autoscaler/blob/e72c7c68329bf047ba574f237592e84d2fa041d0/cluster-autoscaler/cloudprovider/gce/gce_price_info.go',
  published: '2026-06-23',
  read: GCP_PRICES_READ,
});

/** SkyPilot's GCP catalog at the commit read (column Price = on-demand); the file carries no generation date. */
export const GCP_SOURCE_SKYPILOT: PriceSource = Object.freeze({
  title: 'skypilot-org/skypilot-catalog catalogs/v8/gcp/vms.csv (column Price; machine rows exclude GPUs, GPU rows priced per count)',
  url: 'https://github.com/skypilot-org/skypilot-catalog/blob/006059e0f18acb1341e22a27751e9f80df6ba92f/catalogs/v8/gcp/vms.csv',
  read: GCP_PRICES_READ,
});

/**
 * G2 prices as the vCPU + memory row and the L4 row of the SkyPilot catalog, by region. The machine
 * type's price is their sum (Compute Engine bills G2 as vCPUs + memory + attached GPUs).
 */
/** The two SkyPilot rows a G2 machine type's price is the sum of. */
/** @jsii ignore not in Python: cost estimates come from a free function (the CLI's explain) */
export interface GcpG2Parts {
  /** The machine type's row: vCPUs and memory only. */
  readonly vcpuMemory: number;
  /** The row of its L4 count. */
  readonly gpus: number;
}

type G2Parts = { readonly [type: string]: GcpG2Parts };

export const GCP_G2_PARTS: { readonly [region: string]: G2Parts } = {
  'us-central1': {
    'g2-standard-4': { vcpuMemory: 0.14679, gpus: 0.56004 },
    'g2-standard-12': { vcpuMemory: 0.44038, gpus: 0.56004 },
    'g2-standard-16': { vcpuMemory: 0.58717, gpus: 0.56004 },
    'g2-standard-24': { vcpuMemory: 0.88075, gpus: 1.12008 },
    'g2-standard-32': { vcpuMemory: 1.17434, gpus: 0.56004 },
  },
  'europe-west4': {
    'g2-standard-4': { vcpuMemory: 0.15429, gpus: 0.58804 },
    'g2-standard-12': { vcpuMemory: 0.46286, gpus: 0.58804 },
    'g2-standard-16': { vcpuMemory: 0.61714, gpus: 0.58804 },
    'g2-standard-24': { vcpuMemory: 0.92571, gpus: 1.17608 },
    'g2-standard-32': { vcpuMemory: 1.23429, gpus: 0.58804 },
  },
};

function sumParts(parts: G2Parts): { [type: string]: number } {
  return Object.fromEntries(Object.entries(parts).map(([k, p]) => [k, Math.round((p.vcpuMemory + p.gpus) * 1e6) / 1e6]));
}

/** Per-series rates of predefined machine types: USD per vCPU-hour and per GiB-hour. */
/** @jsii ignore not in Python: cost estimates come from a free function (the CLI's explain) */
export interface GcpSeriesRate {
  readonly vcpuHour: number;
  readonly gibHour: number;
}

/** @jsii ignore not in Python: cost estimates come from a free function (the CLI's explain) */
export interface GcpSeriesRateBlock {
  readonly region: string;
  readonly source: PriceSource;
  /** Series ("n2") -> rates. */
  readonly rates: { readonly [series: string]: GcpSeriesRate };
}

/** @jsii ignore not in Python: cost estimates come from a free function (the CLI's explain) */
export interface GcpSeriesRateTable {
  readonly date: string;
  readonly blocks: readonly GcpSeriesRateBlock[];
}

export const GCP_SERIES_RATES: GcpSeriesRateTable = Object.freeze({
  date: GCP_PRICES_READ,
  blocks: Object.freeze([
    {
      region: 'us-central1', source: GCP_SOURCE_AUTOSCALER,
      rates: Object.freeze({
        n1: { vcpuHour: 0.031611, gibHour: 0.004237 },
        n2: { vcpuHour: 0.031611, gibHour: 0.004237 },
        n2d: { vcpuHour: 0.027502, gibHour: 0.003686 },
        e2: { vcpuHour: 0.021811, gibHour: 0.002923 },
        c3: { vcpuHour: 0.03398, gibHour: 0.00456 },
        c3d: { vcpuHour: 0.02956, gibHour: 0.003956 },
      }),
    },
  ]),
});

/**
 * Per-machine-type prices: accelerator-optimized types with their GPUs (A2 as Google publishes
 * them; G2 as vCPU + memory + L4 rows summed), and predefined types of regions without series
 * rates in this table (europe-west4). Looked up before series rates.
 */
export const GCP_MACHINE_TYPE_PRICES: InstancePriceTable = Object.freeze({
  date: GCP_PRICES_READ,
  blocks: Object.freeze([
    {
      region: 'us-central1', source: GCP_SOURCE_AUTOSCALER,
      prices: Object.freeze({
        'a2-highgpu-1g': 3.673385, 'a2-highgpu-2g': 7.34677, 'a2-highgpu-4g': 14.69354,
        'a2-highgpu-8g': 29.38708, 'a2-megagpu-16g': 55.739504,
        'a2-ultragpu-1g': 5.0688, 'a2-ultragpu-2g': 10.1376, 'a2-ultragpu-4g': 20.2752,
        'a2-ultragpu-8g': 40.5504,
      }),
    },
    { region: 'us-central1', source: GCP_SOURCE_SKYPILOT, prices: Object.freeze(sumParts(GCP_G2_PARTS['us-central1'])) },
    {
      region: 'europe-west4', source: GCP_SOURCE_SKYPILOT,
      prices: Object.freeze({
        ...sumParts(GCP_G2_PARTS['europe-west4']),
        'n2-standard-2': 0.10692, 'n2-standard-16': 0.85533, 'n2-highmem-4': 0.28846, 'n2-highmem-48': 3.46147,
        'e2-standard-8': 0.29509, 'e2-highmem-2': 0.09952,
      }),
    },
  ]),
});

/** GPUs attached to N1 with guest_accelerator: USD per GPU-hour, by accelerator type. */
export const GCP_ACCELERATOR_PRICES: InstancePriceTable = Object.freeze({
  date: GCP_PRICES_READ,
  blocks: Object.freeze([
    {
      region: 'us-central1', source: GCP_SOURCE_AUTOSCALER,
      prices: Object.freeze({ 'nvidia-tesla-t4': 0.35 }),
    },
  ]),
});

/** Series rates of `series` in `region`, with their source, or undefined. */
export function gcpSeriesRate(region: string, series: string): { readonly rate: GcpSeriesRate; readonly source: PriceSource } | undefined {
  for (const block of GCP_SERIES_RATES.blocks) {
    if (block.region !== region) continue;
    const rate = block.rates[series];
    if (rate) return { rate, source: block.source };
  }
  return undefined;
}
