/**
 * The host guard: what traffic from a sandbox interface may never reach, per cloud. Pure data and
 * validation; bootstrap.ts renders it as an nftables table.
 *
 * Threat model: code inside a sandbox is hostile, and the host routes or NATs its traffic. Every
 * link-local service of the node (instance metadata and credentials, container credential agents,
 * time sync), the cloud's host-agent endpoints and private service VIPs that accept any tenant's
 * credentials are escape or exfiltration paths. The host's own traffic (the output hook) is not
 * filtered: the node keeps its metadata, agents and APIs.
 */
import { CloudProvider, EgressMode } from '../spec';

/** What sandboxes may not reach, and the resolvers they may still query on port 53. */
export interface HostGuardOptions {
  /** IPv4 addresses or CIDRs dropped from sandbox interfaces (forward and input hooks). */
  readonly blockedIpv4: string[];
  /** IPv6 addresses or CIDRs dropped from sandbox interfaces. */
  readonly blockedIpv6: string[];
  /**
   * IPv4 resolvers sandboxes may query (UDP and TCP port 53), even inside a blocked range: the
   * resolver the platform controls (its filtering is the cloud's DNS firewall or policy).
   */
  readonly dnsIpv4: string[];
  /** IPv6 resolvers sandboxes may query on port 53. */
  readonly dnsIpv6: string[];
}

/** IPv4 link-local (RFC 3927): every cloud's metadata, credential, DNS and time endpoints live here. */
export const LINK_LOCAL_V4 = '169.254.0.0/16';
/** IPv6 link-local (RFC 4291). Neighbour discovery with the host stays allowed. */
export const LINK_LOCAL_V6 = 'fe80::/10';

/**
 * AWS: IMDS (169.254.169.254), ECS task credentials (169.254.170.2), the EKS Pod Identity agent
 * (169.254.170.23), Amazon Time Sync (169.254.169.123) and the Route 53 Resolver (169.254.169.253)
 * are link-local; over IPv6 they are fd00:ec2::254, ::23, ::123 and ::253
 * (docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-data-retrieval.html,
 * docs.aws.amazon.com/vpc/latest/userguide/AmazonDNS-concepts.html). Sandboxes keep the Route 53
 * Resolver on port 53 only (the VPC+2 address works too: it is not link-local); in "firewall" and
 * "none" egress, Route 53 Resolver DNS Firewall decides what it answers.
 */
const AWS_IPV6_SERVICES = 'fd00:ec2::/32';
const AWS_RESOLVER_V4 = '169.254.169.253';
const AWS_RESOLVER_V6 = 'fd00:ec2::253';

/**
 * GCP: the metadata server (169.254.169.254) is also the VPC's only resolver: "Each VM must be
 * configured to use the metadata server IP address (169.254.169.254) as its name server"
 * (cloud.google.com/dns/docs/vpc-name-res-order), so with "nat" egress sandboxes keep port 53 on it
 * and nothing else. With "firewall" egress they keep no resolver: their DNS goes to the host's DNS
 * filter (HostBootstrapOptions.dnsFilter), which asks the metadata server through the host's own
 * resolver, for allow-listed names only.
 * private.googleapis.com (199.36.153.8/30) and restricted.googleapis.com (199.36.153.4/30) accept
 * any project's credentials (cloud.google.com/vpc/docs/configure-private-google-access#domain-options):
 * only the host may use them. With "none" egress sandboxes get no DNS at all (nothing to reach,
 * and any name the resolver looks up leaves the network as a query: a tunnel).
 */
export const GCP_PRIVATE_GOOGLE_VIPS = ['199.36.153.4/30', '199.36.153.8/30'];
const GCP_METADATA = '169.254.169.254';

/**
 * Azure: WireServer and the host GA plugin live at 168.63.129.16 (TCP 80 and 32526), a virtual IP
 * of the host node that user-defined routes and NSGs do not govern
 * (learn.microsoft.com/azure/virtual-network/what-is-ip-address-168-63-129-16). It is also Azure's
 * default DNS resolver: sandboxes keep port 53 on it only where it is the resolver the platform
 * uses ("nat" egress). With "firewall" egress the VNet's resolver is the firewall's DNS proxy, which
 * logs names but cannot filter them, so 168.63.129.16 is closed entirely and sandbox DNS goes to the
 * host's DNS filter (HostBootstrapOptions.dnsFilter), which asks the proxy through the host's own
 * resolver, for allow-listed names only; with "none" egress sandboxes get no DNS.
 */
export const AZURE_WIRESERVER = '168.63.129.16';

/** The host guard for a cloud and egress mode. Unknown egress is treated as the strictest. */
export function hostGuardFor(cloud: CloudProvider, egress?: EgressMode): HostGuardOptions {
  switch (cloud) {
    case CloudProvider.AWS:
      return {
        blockedIpv4: [LINK_LOCAL_V4], blockedIpv6: [LINK_LOCAL_V6, AWS_IPV6_SERVICES],
        dnsIpv4: [AWS_RESOLVER_V4], dnsIpv6: [AWS_RESOLVER_V6],
      };
    case CloudProvider.GCP:
      // With "none" egress a sandbox has nothing to resolve names for, and the metadata server
      // would resolve (and so carry) any name: no DNS. With "firewall" egress, only through the
      // host's DNS filter. Default (no egress given): the strictest.
      return {
        blockedIpv4: [LINK_LOCAL_V4, ...GCP_PRIVATE_GOOGLE_VIPS], blockedIpv6: [LINK_LOCAL_V6],
        dnsIpv4: egress === EgressMode.NAT ? [GCP_METADATA] : [], dnsIpv6: [],
      };
    case CloudProvider.AZURE:
      return {
        blockedIpv4: [LINK_LOCAL_V4, AZURE_WIRESERVER], blockedIpv6: [LINK_LOCAL_V6],
        dnsIpv4: egress === EgressMode.NAT ? [AZURE_WIRESERVER] : [], dnsIpv6: [],
      };
  }
  return DEFAULT_HOST_GUARD;
}

/** Without a cloud: every link-local address, no resolver exceptions. */
export const DEFAULT_HOST_GUARD: HostGuardOptions = Object.freeze({
  blockedIpv4: [LINK_LOCAL_V4], blockedIpv6: [LINK_LOCAL_V6], dnsIpv4: [], dnsIpv6: [],
});
