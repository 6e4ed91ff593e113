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
 * Left out: G2 (the autoscaler's g2-standard-* prices are rounded heuristics, e.g. 0.76, not the
 * list price) and A3 (not in the source); europe-west4 and every region but us-central1 (no
 * source read). They are priced as unknown.
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

/** Per-series rates of predefined machine types: USD per vCPU-hour and per GiB-hour. */
export interface GcpSeriesRate {
  readonly vcpuHour: number;
  readonly gibHour: number;
}

export interface GcpSeriesRateBlock {
  readonly region: string;
  readonly source: PriceSource;
  /** Series ("n2") -> rates. */
  readonly rates: { readonly [series: string]: GcpSeriesRate };
}

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

/** Published per-machine-type prices of accelerator-optimized types (GPUs included). */
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
