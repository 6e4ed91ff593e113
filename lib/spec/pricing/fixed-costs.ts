/**
 * Fixed hourly platform lines that do not scale with nodes but dominate small platforms:
 * NAT gateways, managed egress firewalls. Each is a separate, labelled line; a line whose
 * hourly price has no source in the tables is listed with its quantity and an unknown price.
 * Pure: no cdktf imports.
 */
import { ResolvedPlatform } from '../resolved';
import { CloudProvider, EgressMode } from '../types';
import { AWS_NAT_GATEWAY_HOURLY, AWS_NAT_GATEWAY_SOURCE } from './aws';
import { roundUsd } from './node-price';
import { CostRange } from './cost-range';
import { citeSource, PriceSource } from './types';

/** One fixed line: `quantity` units that run every hour the platform exists. */
/** @jsii ignore not in Python: cost estimates come from a free function (the CLI's explain) */
export interface FixedCostLine {
  /** What is billed, e.g. "NAT gateway". */
  readonly item: string;
  readonly quantity: number;
  /** USD per unit-hour; undefined when unknown (never 0). */
  readonly unitHourly?: number;
  /** Hourly cost at min and at max nodes (equal bounds for a flat price: quantity x unitHourly). */
  readonly hourly: CostRange;
  /** hourly x hoursPerMonth. */
  readonly monthly: CostRange;
  readonly source?: string;
  readonly priceDate?: string;
  /** Why the price is unknown, and what the line leaves out (traffic, IPs, ...). */
  readonly notes: readonly string[];
  /** Both hourly bounds are known. */
  readonly known: boolean;
}

interface LineSpec {
  readonly item: string;
  readonly quantity: number;
  /** A flat price per unit-hour ... */
  readonly unitHourly?: number;
  /** ... or a price that depends on the node count (Cloud NAT), at min and at max nodes. */
  readonly hourlyRange?: { readonly min: number; readonly max: number };
  readonly source?: PriceSource;
  readonly notes: readonly string[];
}

function toLine(spec: LineSpec, hoursPerMonth: number): FixedCostLine {
  const range = spec.hourlyRange
    ?? (spec.unitHourly === undefined ? undefined : { min: spec.quantity * spec.unitHourly, max: spec.quantity * spec.unitHourly });
  const base = { item: spec.item, quantity: spec.quantity, notes: spec.notes };
  if (!range) return { ...base, hourly: {}, monthly: {}, known: false };
  return {
    ...base, known: true,
    ...(spec.unitHourly === undefined ? {} : { unitHourly: spec.unitHourly }),
    hourly: { min: roundUsd(range.min), max: roundUsd(range.max) },
    monthly: { min: roundUsd(range.min * hoursPerMonth), max: roundUsd(range.max * hoursPerMonth) },
    source: spec.source ? citeSource(spec.source) : undefined, priceDate: spec.source?.read,
  };
}

const NO_PRICE = 'hourly price unknown: no source for it was read into the table';

function awsLines(p: ResolvedPlatform, region: string): LineSpec[] {
  const lines: LineSpec[] = [];
  const net = p.network;
  if (net.natGateways > 0) {
    const unit = AWS_NAT_GATEWAY_HOURLY[region];
    lines.push({
      item: 'NAT gateway', quantity: net.natGateways, unitHourly: unit, source: unit === undefined ? undefined : AWS_NAT_GATEWAY_SOURCE,
      notes: [
        ...(unit === undefined ? [`${NO_PRICE} (NAT gateway prices are in the table for ${Object.keys(AWS_NAT_GATEWAY_HOURLY).join(', ')} only)`] : []),
        'per-GB data processing, data transfer and the Elastic IP addresses are excluded',
      ],
    });
  }
  if (net.egress === EgressMode.FIREWALL) {
    lines.push({ item: 'AWS Network Firewall endpoint (one per zone)', quantity: net.zones, notes: [NO_PRICE, 'per-GB traffic processing is excluded'] });
  }
  return lines;
}

function azureLines(p: ResolvedPlatform): LineSpec[] {
  const net = p.network;
  // Under FIREWALL egress the Azure platform builds the firewall (which SNATs to its own
  // public IP) and no NAT gateway (lib/azure/network.ts); under NAT, natGateways gateways.
  if (net.egress === EgressMode.NAT && net.natGateways > 0) {
    return [{ item: 'NAT gateway', quantity: net.natGateways, notes: [NO_PRICE, 'per-GB data processing and public IPs are excluded'] }];
  }
  if (net.egress === EgressMode.FIREWALL) {
    return [{ item: 'Azure Firewall (Standard tier, one deployment)', quantity: 1, notes: [NO_PRICE, 'per-GB data processing and its public IP are excluded'] }];
  }
  return [];
}

/**
 * Cloud NAT gateway-hour: $0.0014 per VM instance using the gateway, capped at $0.044 (32 VMs
 * or more); the same in every region. Source: "Cloud NAT pricing", cloud.google.com/nat/pricing
 * (Public NAT table). Refresh from that page.
 */
export const GCP_CLOUD_NAT_SOURCE: PriceSource = Object.freeze({
  title: 'Cloud NAT pricing (Public NAT: $0.0014 per VM instance-hour using the gateway, at most $0.044 per hour)',
  url: 'https://cloud.google.com/nat/pricing',
  read: '2026-12-02',
});
export const GCP_CLOUD_NAT_PER_VM_HOURLY = 0.0014;
export const GCP_CLOUD_NAT_MAX_HOURLY = 0.044;

/** Cloud NAT hourly price for `vms` instances behind one gateway. */
export function gcpCloudNatHourly(vms: number): number {
  return Math.min(vms * GCP_CLOUD_NAT_PER_VM_HOURLY, GCP_CLOUD_NAT_MAX_HOURLY);
}

function gcpLines(p: ResolvedPlatform): LineSpec[] {
  const net = p.network;
  const lines: LineSpec[] = [];
  if (net.egress !== EgressMode.NONE) {
    // Every node gets a NAT assignment: the gateway NATs all IP ranges of the node subnet (lib/gcp/network.ts).
    const minVms = p.pools.reduce((n, pool) => n + pool.minNodes, 0);
    const maxVms = p.pools.reduce((n, pool) => n + pool.maxNodes, 0);
    lines.push({
      item: 'Cloud NAT gateway (one per region, priced per node using it)', quantity: 1,
      hourlyRange: { min: gcpCloudNatHourly(minVms), max: gcpCloudNatHourly(maxVms) }, source: GCP_CLOUD_NAT_SOURCE,
      notes: [`${minVms}..${maxVms} nodes x ${GCP_CLOUD_NAT_PER_VM_HOURLY}, at most ${GCP_CLOUD_NAT_MAX_HOURLY} per hour`, 'per-GiB processing and the NAT IP addresses ($/IP-hour) are excluded'],
    });
  }
  return lines;
}

/**
 * Network charges of `resolved` that have no hourly part, so no fixed line, named so a reader
 * does not take their absence for "free". Cloud NGFW Standard (the FQDN objects of FIREWALL
 * egress on GCP) bills only data processing: "Cloud NGFW pricing", cloud.google.com/firewall/pricing.
 */
export function trafficOnlyCharges(resolved: ResolvedPlatform): string[] {
  if (resolved.cloud === CloudProvider.GCP && resolved.network.egress === EgressMode.FIREWALL) {
    return ['Cloud NGFW Standard (FQDN objects in the egress firewall policy): no hourly charge, per-GiB data processing only (cloud.google.com/firewall/pricing); excluded with traffic'];
  }
  return [];
}

/** The fixed platform lines of `resolved` in `region`. */
export function fixedCostLines(resolved: ResolvedPlatform, region: string, hoursPerMonth: number): FixedCostLine[] {
  let specs: LineSpec[];
  switch (resolved.cloud) {
    case CloudProvider.AWS:
      specs = awsLines(resolved, region);
      break;
    case CloudProvider.AZURE:
      specs = azureLines(resolved);
      break;
    case CloudProvider.GCP:
      specs = gcpLines(resolved);
      break;
    default:
      specs = [];
  }
  return specs.map((s) => toLine(s, hoursPerMonth));
}
