import { ComputeFirewall } from '@cdktf/provider-google/lib/compute-firewall';
import { ComputeNetwork } from '@cdktf/provider-google/lib/compute-network';
import { ComputeRoute } from '@cdktf/provider-google/lib/compute-route';
import { ComputeRouter } from '@cdktf/provider-google/lib/compute-router';
import { ComputeRouterNat } from '@cdktf/provider-google/lib/compute-router-nat';
import { ComputeSubnetwork } from '@cdktf/provider-google/lib/compute-subnetwork';
import { DnsManagedZone } from '@cdktf/provider-google/lib/dns-managed-zone';
import { DnsPolicy } from '@cdktf/provider-google/lib/dns-policy';
import { DnsRecordSet } from '@cdktf/provider-google/lib/dns-record-set';
import { Construct } from 'constructs';
import { EgressMode, ResolvedNetwork } from '../spec';
import { GcpProjectContext } from './context';

/**
 * The private.googleapis.com VIP range: most Google APIs, reachable without internet access once
 * *.googleapis.com resolves to it. Source: cloud.google.com/vpc/docs/configure-private-google-access
 * ("Domain options": private.googleapis.com = 199.36.153.8/30; restricted.googleapis.com =
 * 199.36.153.4/30 for VPC Service Controls).
 */
export const GCP_PRIVATE_GOOGLE_APIS_RANGE = '199.36.153.8/30';
export const GCP_PRIVATE_GOOGLE_APIS_ADDRESSES = ['199.36.153.8', '199.36.153.9', '199.36.153.10', '199.36.153.11'];

/**
 * Cloud NAT ports per VM with dynamic port allocation: a sandbox host NATs the connections of all
 * its sandboxes, so it starts at 1024 ports and may grow to the 65536 maximum (both powers of two,
 * as dynamic allocation requires; cloud.google.com/nat/docs/ports-and-addresses#dynamic-port).
 */
export const GCP_NAT_MIN_PORTS_PER_VM = 1024;
export const GCP_NAT_MAX_PORTS_PER_VM = 65536;

/** A secondary IP range of the node subnetwork. */
export interface GcpSecondaryRange {
  /** Range name (GKE's ip_allocation_policy names it). */
  readonly rangeName: string;
  /** IPv4 CIDR of the range. */
  readonly ipCidrRange: string;
}

export interface GcpSandboxNetworkProps {
  /** Platform name, prefix of resource names. */
  readonly name: string;
  readonly context: GcpProjectContext;
  /** The resolved network (resolvePlatform(...).network). */
  readonly network: ResolvedNetwork;
  /** Secondary ranges of the node subnetwork (Kubernetes mode: the GKE pods and Services). Default none. */
  readonly secondaryRanges?: GcpSecondaryRange[];
}

/**
 * A custom-mode VPC with one regional node subnet over the whole `network.cidr` (GCP subnets are
 * regional; the group spreads nodes over the region's zones), Private Google Access and flow logs
 * of every flow with all metadata (CIS GCP 3.8). Egress:
 * - NAT: Cloud Router + one regional Cloud NAT (errors logged).
 * - FIREWALL: the same NAT; the node firewall policy (GcpNodeFirewall) allows only the domains.
 * - NONE: no NAT and no default route; only 199.36.153.8/30 (private.googleapis.com) is routed.
 * With FIREWALL and NONE, a private DNS zone answers *.googleapis.com with private.googleapis.com,
 * so Google APIs stay reachable through the firewall's single allow rule for that range, and a DNS
 * server policy logs every query the network's resolver answers (GcpDnsQueryLogging): sandboxes
 * keep DNS to the metadata server (the VPC's only resolver), so a name lookup is the one channel
 * the firewall cannot close, and the query log is its record.
 * The network evaluates its firewall policy before any VPC firewall rule
 * (network_firewall_policy_enforcement_order = BEFORE_CLASSIC_FIREWALL), so a VPC rule added later
 * cannot open what the policy denies (cloud.google.com/firewall/docs/firewall-policies-rule-eval).
 */
export class GcpSandboxNetwork extends Construct {
  public readonly network: ComputeNetwork;
  public readonly subnetwork: ComputeSubnetwork;
  public readonly router?: ComputeRouter;
  public readonly nat?: ComputeRouterNat;
  public readonly googleApisZone?: GcpPrivateGoogleApisZone;
  public readonly dnsLogging?: GcpDnsQueryLogging;

  constructor(scope: Construct, id: string, props: GcpSandboxNetworkProps) {
    super(scope, id);
    const { name, context: ctx, network: net } = props;
    const project = ctx.project;
    const isolated = net.egress === EgressMode.NONE;
    this.network = new ComputeNetwork(this, 'vpc', {
      project,
      name: `${name}-vpc`,
      description: `Sandbox platform ${name} (egress: ${net.egress})`,
      autoCreateSubnetworks: false,
      routingMode: 'REGIONAL',
      // No internet route at all without egress; Google APIs get their own route below.
      deleteDefaultRoutesOnCreate: isolated,
      networkFirewallPolicyEnforcementOrder: 'BEFORE_CLASSIC_FIREWALL',
    });
    // Fail-closed backstop below the network firewall policy (which is evaluated first and ends in
    // its own deny-all): should the policy ever be detached, the VPC still denies everything instead
    // of falling back to the implied allow-all egress.
    for (const direction of ['INGRESS', 'EGRESS'] as const) {
      new ComputeFirewall(this, `backstop-deny-${direction.toLowerCase()}`, {
        project,
        name: `${name}-backstop-deny-${direction.toLowerCase()}`,
        description: 'Deny everything the network firewall policy does not decide (fail closed)',
        network: this.network.id,
        direction,
        priority: 65534,
        deny: [{ protocol: 'all' }],
        ...(direction === 'INGRESS' ? { sourceRanges: ['0.0.0.0/0'] } : { destinationRanges: ['0.0.0.0/0'] }),
        logConfig: { metadata: 'INCLUDE_ALL_METADATA' },
      });
    }
    this.subnetwork = new ComputeSubnetwork(this, 'nodes', {
      project,
      region: ctx.region,
      name: `${name}-nodes`,
      description: `Sandbox hosts of ${name}`,
      network: this.network.id,
      ipCidrRange: net.cidr,
      stackType: 'IPV4_ONLY',
      privateIpGoogleAccess: true,
      secondaryIpRange: props.secondaryRanges?.map((r) => ({ rangeName: r.rangeName, ipCidrRange: r.ipCidrRange })),
      // Provider defaults are 0.5 sampling and 5 s aggregation; CIS GCP 3.8 wants every flow.
      logConfig: { aggregationInterval: 'INTERVAL_5_SEC', flowSampling: 1, metadata: 'INCLUDE_ALL_METADATA' },
    });

    if (isolated) {
      new ComputeRoute(this, 'google-apis-route', {
        project,
        name: `${name}-google-apis`,
        description: 'private.googleapis.com through the default internet gateway (Private Google Access)',
        network: this.network.id,
        destRange: GCP_PRIVATE_GOOGLE_APIS_RANGE,
        nextHopGateway: 'default-internet-gateway',
        priority: 1000,
      });
    } else {
      this.router = new ComputeRouter(this, 'router', { project, region: ctx.region, name: `${name}-router`, network: this.network.id });
      this.nat = new ComputeRouterNat(this, 'nat', {
        project,
        region: ctx.region,
        name: `${name}-nat`,
        router: this.router.name,
        natIpAllocateOption: 'AUTO_ONLY',
        sourceSubnetworkIpRangesToNat: 'LIST_OF_SUBNETWORKS',
        subnetwork: [{ name: this.subnetwork.id, sourceIpRangesToNat: ['ALL_IP_RANGES'] }],
        enableDynamicPortAllocation: true,
        // Must be off with dynamic port allocation.
        enableEndpointIndependentMapping: false,
        minPortsPerVm: GCP_NAT_MIN_PORTS_PER_VM,
        maxPortsPerVm: GCP_NAT_MAX_PORTS_PER_VM,
        logConfig: { enable: true, filter: 'ERRORS_ONLY' },
      });
    }
    if (net.egress !== EgressMode.NAT) {
      this.googleApisZone = new GcpPrivateGoogleApisZone(this, 'googleapis', { name, context: ctx, network: this.network.id });
      this.dnsLogging = new GcpDnsQueryLogging(this, 'dns-logging', { name, context: ctx, network: this.network.id });
    }
  }
}

export interface GcpPrivateGoogleApisZoneProps {
  readonly name: string;
  readonly context: GcpProjectContext;
  /** The network (id or self link) that sees the zone. */
  readonly network: string;
}

/**
 * A private DNS zone googleapis.com for one network: *.googleapis.com -> private.googleapis.com ->
 * 199.36.153.8/30, so Google APIs are reached through Private Google Access addresses that a
 * deny-all egress policy can allow as one range. Source: cloud.google.com/vpc/docs/configure-private-google-access#config-domain.
 */
export class GcpPrivateGoogleApisZone extends Construct {
  public readonly zone: DnsManagedZone;
  /** The A and CNAME records (nodes need them before their first API call). */
  public readonly records: DnsRecordSet[];

  constructor(scope: Construct, id: string, props: GcpPrivateGoogleApisZoneProps) {
    super(scope, id);
    const project = props.context.project;
    this.zone = new DnsManagedZone(this, 'zone', {
      project,
      name: `${props.name}-googleapis`,
      dnsName: 'googleapis.com.',
      description: 'Google APIs through private.googleapis.com (Private Google Access)',
      visibility: 'private',
      privateVisibilityConfig: { networks: [{ networkUrl: props.network }] },
    });
    this.records = [
      new DnsRecordSet(this, 'a', {
        project, managedZone: this.zone.name, name: 'private.googleapis.com.', type: 'A', ttl: 300, rrdatas: GCP_PRIVATE_GOOGLE_APIS_ADDRESSES,
      }),
      new DnsRecordSet(this, 'cname', {
        project, managedZone: this.zone.name, name: '*.googleapis.com.', type: 'CNAME', ttl: 300, rrdatas: ['private.googleapis.com.'],
      }),
    ];
  }
}

export interface GcpDnsQueryLoggingProps {
  readonly name: string;
  readonly context: GcpProjectContext;
  /** The network (id or self link) whose queries are logged. */
  readonly network: string;
}

/**
 * A Cloud DNS server policy "<name>-dns" with enable_logging = true on one network: every query
 * that VMs send to the metadata server's resolver is logged (resource type dns_query; cloud.google.com/dns/docs/monitoring).
 * A network takes one server policy (cloud.google.com/dns/docs/policies). This records DNS; it does
 * not filter it: an allow-list needs response-policy rules with passthru (behavior =
 * "bypassResponsePolicy"), which the google provider exposes only in google-beta (magic-modules
 * mmv1/products/dns/ResponsePolicyRule.yaml: behavior min_version beta; absent from the google
 * provider's resource_dns_response_policy_rule.go at 6.50.0 through 7.45.0).
 */
export class GcpDnsQueryLogging extends Construct {
  public readonly policy: DnsPolicy;

  constructor(scope: Construct, id: string, props: GcpDnsQueryLoggingProps) {
    super(scope, id);
    this.policy = new DnsPolicy(this, 'policy', {
      project: props.context.project,
      name: `${props.name}-dns`,
      description: `Logs the DNS queries of sandbox platform ${props.name}'s network`,
      enableLogging: true,
      enableInboundForwarding: false,
      networks: [{ networkUrl: props.network }],
    });
  }
}
