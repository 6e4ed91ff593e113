/**
 * Fixed hourly platform lines that do not scale with the sandbox pools but dominate small
 * platforms: NAT gateways, managed egress firewalls and, in Kubernetes mode, the managed
 * control-plane fee and the system node pool. Each is a separate, labelled line; a line whose
 * hourly price has no source in the tables is listed with its quantity and an unknown price.
 * Pure: no cdktf imports.
 */
import { kubernetesCatalogFor } from '../catalog/kubernetes';
import { ResolvedPlatform } from '../resolved';
import { CloudProvider, EgressMode } from '../types';
import { AWS_NAT_GATEWAY_HOURLY, AWS_NAT_GATEWAY_SOURCE } from './aws';
import { CostRange } from './cost-range';
import {
  AKS_STANDARD_TIER_HOURLY, AKS_STANDARD_TIER_SOURCE, EKS_CONTROL_PLANE_SOURCE, EKS_EXTENDED_SUPPORT_HOURLY,
  EKS_STANDARD_SUPPORT_HOURLY, GKE_CLUSTER_FEE_HOURLY, GKE_CLUSTER_FEE_SOURCE, KUBERNETES_FEES_READ,
} from './kubernetes-fees';
import { nodeHourPrice, roundUsd } from './node-price';
import { citeSource, PriceSource } from './types';

/** One fixed line: `quantity` units that run every hour the platform exists. */
/** @jsii ignore not in Python: cost estimates come from a free function (the CLI's explain) */
export interface FixedCostLine {
  /** What is billed, e.g. "NAT gateway". */
  readonly item: string;
  /** Units billed (at min nodes, for a line that scales: the system node pool). */
  readonly quantity: number;
  /** Units at max nodes. Default: quantity (a line that does not scale). */
  readonly maxQuantity?: number;
  /** The instance type, for a line of nodes (the Kubernetes system node pool); else undefined. */
  readonly instanceType?: string;
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
  /** Units at max nodes, for a line of nodes; default quantity. */
  readonly maxQuantity?: number;
  readonly instanceType?: string;
  /** A flat price per unit-hour (times quantity at min, maxQuantity at max) ... */
  readonly unitHourly?: number;
  /** ... or a price that depends on the node count (Cloud NAT), at min and at max nodes. */
  readonly hourlyRange?: { readonly min: number; readonly max: number };
  readonly source?: PriceSource;
  /** Several sources (a node price built from two tables); used instead of source when set. */
  readonly sources?: readonly PriceSource[];
  readonly notes: readonly string[];
}

function toLine(spec: LineSpec, hoursPerMonth: number): FixedCostLine {
  const maxQuantity = spec.maxQuantity ?? spec.quantity;
  const range = spec.hourlyRange
    ?? (spec.unitHourly === undefined ? undefined : { min: spec.quantity * spec.unitHourly, max: maxQuantity * spec.unitHourly });
  const base = {
    item: spec.item, quantity: spec.quantity,
    ...(spec.maxQuantity === undefined ? {} : { maxQuantity }),
    ...(spec.instanceType === undefined ? {} : { instanceType: spec.instanceType }),
    notes: spec.notes,
  };
  if (!range) return { ...base, hourly: {}, monthly: {}, known: false };
  const sources = spec.sources ?? (spec.source ? [spec.source] : []);
  return {
    ...base, known: true,
    ...(spec.unitHourly === undefined ? {} : { unitHourly: spec.unitHourly }),
    hourly: { min: roundUsd(range.min), max: roundUsd(range.max) },
    monthly: { min: roundUsd(range.min * hoursPerMonth), max: roundUsd(range.max * hoursPerMonth) },
    source: sources.length ? sources.map(citeSource).join('; ') : undefined,
    priceDate: sources.length ? sources.map((x) => x.read).sort().reverse()[0] : undefined,
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
    // Every node gets a NAT assignment: the gateway NATs all IP ranges of the node subnet (lib/gcp/network.ts),
    // the GKE system pool's nodes included.
    const system = p.kubernetes?.systemNodes;
    const minVms = p.pools.reduce((n, pool) => n + pool.minNodes, system?.minNodes ?? 0);
    const maxVms = p.pools.reduce((n, pool) => n + pool.maxNodes, system?.maxNodes ?? 0);
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

/** The control-plane fee line of a Kubernetes-mode platform. */
function controlPlaneLine(p: ResolvedPlatform): LineSpec | undefined {
  const k = p.kubernetes;
  if (!k) return undefined;
  switch (p.cloud) {
    case CloudProvider.AWS: {
      // Priced at the version's support status on the day the fee was read; the note says when that changes.
      const extended = k.endOfStandardSupport < KUBERNETES_FEES_READ;
      return {
        item: `EKS cluster (Kubernetes ${k.version}, ${extended ? 'extended' : 'standard'} support)`, quantity: 1,
        unitHourly: extended ? EKS_EXTENDED_SUPPORT_HOURLY : EKS_STANDARD_SUPPORT_HOURLY, source: EKS_CONTROL_PLANE_SOURCE,
        notes: [extended
          ? `standard support for ${k.version} ended ${k.endOfStandardSupport}: EKS bills extended support ($${EKS_EXTENDED_SUPPORT_HOURLY.toFixed(2)} per cluster-hour) until the cluster is upgraded`
          : `standard support for ${k.version} ends ${k.endOfStandardSupport}; after that EKS bills extended support ($${EKS_EXTENDED_SUPPORT_HOURLY.toFixed(2)} per cluster-hour) until the cluster is upgraded`],
      };
    }
    case CloudProvider.GCP:
      return {
        item: 'GKE cluster management fee (regional Standard cluster)', quantity: 1, unitHourly: GKE_CLUSTER_FEE_HOURLY, source: GKE_CLUSTER_FEE_SOURCE,
        notes: ['the GKE free-tier credit applies to zonal and Autopilot clusters only, not to this regional cluster'],
      };
    case CloudProvider.AZURE:
      return {
        item: 'AKS cluster management (Standard tier, Uptime SLA)', quantity: 1, unitHourly: AKS_STANDARD_TIER_HOURLY, source: AKS_STANDARD_TIER_SOURCE,
        notes: [],
      };
    default:
      return { item: 'managed Kubernetes control plane', quantity: 1, notes: [NO_PRICE] };
  }
}

/** The untainted system node pool every Kubernetes-mode platform creates (k.systemNodes, as each cloud's construct sizes it). */
function systemPoolLine(p: ResolvedPlatform, region: string): LineSpec | undefined {
  const k = p.kubernetes;
  if (!k) return undefined;
  const s = k.systemNodes;
  const service = kubernetesCatalogFor(p.cloud)?.service ?? 'Kubernetes';
  const price = nodeHourPrice(p.cloud, { instanceType: s.instanceType }, region);
  const base = {
    item: `${service} system node pool`, quantity: s.minNodes, maxQuantity: s.maxNodes, instanceType: s.instanceType,
  };
  if (price.usdPerHour === undefined) return { ...base, notes: [`price unknown: ${price.reason ?? 'no source'}`] };
  return { ...base, unitHourly: price.usdPerHour, sources: price.sources, notes: [...price.notes] };
}

function kubernetesLines(p: ResolvedPlatform, region: string): LineSpec[] {
  return [controlPlaneLine(p), systemPoolLine(p, region)].filter((l): l is LineSpec => l !== undefined);
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
  return [...kubernetesLines(resolved, region), ...specs].map((s) => toLine(s, hoursPerMonth));
}
