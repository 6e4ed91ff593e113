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
export interface FixedCostLine {
  /** What is billed, e.g. "NAT gateway". */
  readonly item: string;
  readonly quantity: number;
  /** USD per unit-hour; undefined when unknown (never 0). */
  readonly unitHourly?: number;
  /** quantity x unitHourly, the same at min and at max nodes. */
  readonly hourly: CostRange;
  /** hourly x hoursPerMonth. */
  readonly monthly: CostRange;
  readonly source?: string;
  readonly priceDate?: string;
  /** Why the price is unknown, and what the line leaves out (traffic, IPs, ...). */
  readonly notes: readonly string[];
}

interface LineSpec {
  readonly item: string;
  readonly quantity: number;
  readonly unitHourly?: number;
  readonly source?: PriceSource;
  readonly notes: readonly string[];
}

function toLine(spec: LineSpec, hoursPerMonth: number): FixedCostLine {
  if (spec.unitHourly === undefined) {
    return { item: spec.item, quantity: spec.quantity, hourly: {}, monthly: {}, notes: spec.notes };
  }
  const hourly = roundUsd(spec.quantity * spec.unitHourly);
  const monthly = roundUsd(hourly * hoursPerMonth);
  return {
    item: spec.item, quantity: spec.quantity, unitHourly: spec.unitHourly,
    hourly: { min: hourly, max: hourly }, monthly: { min: monthly, max: monthly },
    source: spec.source ? citeSource(spec.source) : undefined, priceDate: spec.source?.read, notes: spec.notes,
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

function gcpLines(p: ResolvedPlatform): LineSpec[] {
  const net = p.network;
  const lines: LineSpec[] = [];
  if (net.egress !== EgressMode.NONE) {
    lines.push({ item: 'Cloud NAT gateway (one per region)', quantity: 1, notes: [NO_PRICE, 'Cloud NAT bills per VM-hour and per GB processed; both are excluded'] });
  }
  if (net.egress === EgressMode.FIREWALL) {
    lines.push({ item: 'Cloud NGFW firewall policy with FQDN objects', quantity: 1, notes: [NO_PRICE] });
  }
  return lines;
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
