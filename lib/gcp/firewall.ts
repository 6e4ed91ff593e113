import { ComputeNetworkFirewallPolicy } from '@cdktf/provider-google/lib/compute-network-firewall-policy';
import { ComputeNetworkFirewallPolicyAssociation } from '@cdktf/provider-google/lib/compute-network-firewall-policy-association';
import {
  ComputeNetworkFirewallPolicyRule, ComputeNetworkFirewallPolicyRuleMatch,
} from '@cdktf/provider-google/lib/compute-network-firewall-policy-rule';
import { Construct } from 'constructs';
import { EgressMode } from '../spec';
import { GcpProjectContext } from './context';
import { GCP_PRIVATE_GOOGLE_APIS_RANGE } from './network';

/**
 * Google front-end ranges that send load-balancer and autohealing health checks
 * (cloud.google.com/load-balancing/docs/health-check-concepts#ip-ranges).
 */
export const GCP_HEALTH_CHECK_RANGES = ['35.191.0.0/16', '130.211.0.0/22'];

/** Source range of IAP TCP forwarding (cloud.google.com/iap/docs/using-tcp-forwarding#create-firewall-rule). */
export const GCP_IAP_TCP_FORWARDING_RANGE = '35.235.240.0/20';

/** The metadata server: instance metadata, the VPC DNS resolver and NTP (cloud.google.com/compute/docs/metadata/overview). */
export const GCP_METADATA_SERVER = '169.254.169.254/32';

/**
 * Domains a node itself needs under FIREWALL egress: the Ops Agent installer and package
 * repository (dl.google.com, packages.cloud.google.com; cloud.google.com/stackdriver/docs/solutions/agents/ops-agent/installation)
 * and the Ubuntu archives the bootstrap installs nftables, mdadm and xfsprogs from when the image
 * lacks them (Compute Engine Ubuntu images use the regional <region>.gce.archive.ubuntu.com mirror).
 * They are separate from `allowedDomains` and can be replaced with GcpNodeFirewallProps.nodeDomains.
 */
export function gcpDefaultNodeDomains(region: string): string[] {
  return ['dl.google.com', 'packages.cloud.google.com', `${region}.gce.archive.ubuntu.com`, 'security.ubuntu.com'];
}

/**
 * FQDN objects per rule. The rules are split into chunks of this size so that long allow-lists
 * stay within the per-rule attribute quota (cloud.google.com/firewall/quotas); 100 is conservative.
 */
export const GCP_FQDNS_PER_RULE = 100;

/**
 * Spec domains as firewall FQDN objects. An FQDN object is one DNS name that Cloud NGFW resolves
 * (to at most 32 IPv4 and 32 IPv6 addresses) and programs as addresses; there is no wildcard or
 * subdomain form (cloud.google.com/firewall/docs/fqdn-objects-overview). So ".example.com" (the
 * spec's "subdomains too") becomes "example.com" and covers only that name: list each subdomain
 * sandboxes need. Duplicates are dropped, order kept.
 */
export function gcpFqdnObjects(domains: readonly string[]): { fqdns: string[]; subdomainWildcards: string[] } {
  const fqdns: string[] = [];
  const subdomainWildcards: string[] = [];
  for (const d of domains) {
    const name = d.replace(/^\./, '').toLowerCase();
    if (d.startsWith('.')) subdomainWildcards.push(d);
    if (!fqdns.includes(name)) fqdns.push(name);
  }
  return { fqdns, subdomainWildcards };
}

export interface GcpNodeFirewallProps {
  /** Platform name, prefix of names. */
  readonly name: string;
  readonly context: GcpProjectContext;
  readonly egress: EgressMode;
  /** FIREWALL: domains sandboxes may reach over 80/443 (see gcpFqdnObjects). Default none. */
  readonly allowedDomains?: string[];
  /** FIREWALL: domains the node itself needs. Default gcpDefaultNodeDomains(region). */
  readonly nodeDomains?: string[];
  /** Every rule targets this service account (the nodes'), so the policy never affects other VMs of a shared network. */
  readonly nodeServiceAccountEmail: string;
  /** Network (id or self link) to associate the new policy with. Required unless `existingPolicy` is given. */
  readonly network?: string;
  /**
   * Add the rules to this global network firewall policy (id or name) instead of creating and
   * associating one: a network takes only one global network firewall policy. Default: a new policy.
   */
  readonly existingPolicy?: string;
  /** Priority of the first rule; the rules use base .. base+999. Default 1000. */
  readonly priorityBase?: number;
  /** Allow TCP from the Google health-check ranges to this port (autohealing). Default: no health checks. */
  readonly healthCheckPort?: number;
  /**
   * Allow SSH (TCP 22) from the IAP TCP-forwarding range only. Nodes use OS Login, so access still
   * needs IAM (roles/compute.osLogin and roles/iap.tunnelResourceAccessor). Default false: no SSH at all.
   */
  readonly allowIapSsh?: boolean;
}

/**
 * The nodes' firewall: a global network firewall policy whose rules all target the node service
 * account. Egress: Google APIs through private.googleapis.com and the metadata server always;
 * NAT: 80/443 anywhere; FIREWALL: 80/443 to FQDN objects of the allow-list (Cloud NGFW Standard
 * tier, billed per GB: cloud.google.com/firewall/docs/about-firewalls); NONE: nothing else. Then deny
 * every other egress. Ingress: optional health checks and IAP SSH, then deny all; never SSH from
 * the internet. Deny rules log their hits. The sandboxes' traffic leaves through the host, so the
 * same rules bind the sandboxes. Traffic to the metadata server is always allowed, whatever the
 * rules say (cloud.google.com/firewall/docs/firewalls, "Always allowed traffic"); its rule documents the intent.
 */
export class GcpNodeFirewall extends Construct {
  public readonly policy?: ComputeNetworkFirewallPolicy;
  /** The policy the rules are in (id of the new policy, or `existingPolicy`). */
  public readonly policyId: string;
  public readonly association?: ComputeNetworkFirewallPolicyAssociation;
  public readonly rules: ComputeNetworkFirewallPolicyRule[] = [];
  /** allowedDomains entries with a leading dot, which cover only the bare domain on GCP. */
  public readonly subdomainWildcards: string[];
  private readonly props: GcpNodeFirewallProps;

  constructor(scope: Construct, id: string, props: GcpNodeFirewallProps) {
    super(scope, id);
    this.props = props;
    const { name, context: ctx } = props;
    if (props.existingPolicy) {
      this.policyId = props.existingPolicy;
    } else {
      if (!props.network) throw new Error(`${this.node.path}: network is required unless existingPolicy is given`);
      this.policy = new ComputeNetworkFirewallPolicy(this, 'policy', {
        project: ctx.project, name: `${name}-nodes`, description: `Sandbox hosts of ${name}: egress ${props.egress}, no inbound`,
      });
      this.policyId = this.policy.id;
      this.association = new ComputeNetworkFirewallPolicyAssociation(this, 'association', {
        project: ctx.project, name: `${name}-nodes`, firewallPolicy: this.policy.id, attachmentTarget: props.network,
      });
    }
    const base = props.priorityBase ?? 1000;
    const tcp = (...ports: string[]) => [{ ipProtocol: 'tcp', ports }];

    // Egress allows.
    this.rule('allow-google-apis', base, 'EGRESS', 'allow', 'Google APIs through private.googleapis.com (Private Google Access)',
      { destIpRanges: [GCP_PRIVATE_GOOGLE_APIS_RANGE], layer4Configs: tcp('443') });
    this.rule('allow-metadata', base + 1, 'EGRESS', 'allow', 'Metadata server: instance metadata, DNS, NTP',
      { destIpRanges: [GCP_METADATA_SERVER], layer4Configs: [{ ipProtocol: 'tcp', ports: ['53', '80'] }, { ipProtocol: 'udp', ports: ['53', '123'] }] });
    let subdomainWildcards: string[] = [];
    if (props.egress === EgressMode.NAT) {
      this.rule('allow-web', base + 10, 'EGRESS', 'allow', 'HTTP(S) to the internet through Cloud NAT',
        { destIpRanges: ['0.0.0.0/0'], layer4Configs: tcp('80', '443') });
    } else if (props.egress === EgressMode.FIREWALL) {
      const node = gcpFqdnObjects(props.nodeDomains ?? gcpDefaultNodeDomains(ctx.region)).fqdns;
      const sandbox = gcpFqdnObjects(props.allowedDomains ?? []);
      subdomainWildcards = sandbox.subdomainWildcards;
      chunks(node, GCP_FQDNS_PER_RULE).forEach((fqdns, i) => this.rule(`allow-node-domains-${i}`, base + 10 + i, 'EGRESS', 'allow',
        'Domains the node needs (Ops Agent, OS packages)', { destFqdns: fqdns, layer4Configs: tcp('80', '443') }));
      chunks(sandbox.fqdns, GCP_FQDNS_PER_RULE).forEach((fqdns, i) => this.rule(`allow-domains-${i}`, base + 100 + i, 'EGRESS', 'allow',
        'Allow-listed domains (network.egress.allowedDomains)', { destFqdns: fqdns, layer4Configs: tcp('80', '443') }));
    }
    this.subdomainWildcards = subdomainWildcards;

    // Ingress allows.
    if (props.healthCheckPort !== undefined) {
      this.rule('allow-health-checks', base + 500, 'INGRESS', 'allow', 'Google health checks (autohealing)',
        { srcIpRanges: GCP_HEALTH_CHECK_RANGES, layer4Configs: tcp(String(props.healthCheckPort)) });
    }
    if (props.allowIapSsh) {
      this.rule('allow-iap-ssh', base + 501, 'INGRESS', 'allow', 'SSH through IAP TCP forwarding only (OS Login)',
        { srcIpRanges: [GCP_IAP_TCP_FORWARDING_RANGE], layer4Configs: tcp('22') });
    }

    // Deny everything else, logged.
    this.rule('deny-egress', base + 900, 'EGRESS', 'deny', 'Deny all other egress', { destIpRanges: ['0.0.0.0/0'], layer4Configs: [{ ipProtocol: 'all' }] }, true);
    this.rule('deny-ingress', base + 901, 'INGRESS', 'deny', 'Deny all other ingress', { srcIpRanges: ['0.0.0.0/0'], layer4Configs: [{ ipProtocol: 'all' }] }, true);
  }

  /**
   * Kubernetes mode: lets the nodes and pods reach each other and the control plane's private
   * endpoint on the listed internal ranges (node subnetwork, pods, Services): egress on every
   * protocol at base+20, ingress on TCP (but 22), UDP and ICMP at base+520, before the deny rules.
   */
  public allowClusterRanges(ranges: string[]): void {
    const base = this.props.priorityBase ?? 1000;
    this.rule('allow-cluster-egress', base + 20, 'EGRESS', 'allow', 'Kubernetes: nodes, pods, Services and the control plane\'s private endpoint',
      { destIpRanges: [...ranges], layer4Configs: [{ ipProtocol: 'all' }] });
    // Every port but SSH: a sandbox pod must not reach the nodes' sshd (SSH only through IAP, GCP-NET-SSH).
    this.rule('allow-cluster-ingress', base + 520, 'INGRESS', 'allow', 'Kubernetes: nodes, pods and the control plane\'s private endpoint (no SSH)',
      { srcIpRanges: [...ranges], layer4Configs: [{ ipProtocol: 'tcp', ports: ['1-21', '23-65535'] }, { ipProtocol: 'udp' }, { ipProtocol: 'icmp' }] });
  }

  /**
   * Kubernetes mode: the control plane to kubelets (TCP 10250) and webhooks (TCP 443) from its
   * private endpoint address, at base+521. Returns the rule, so node pools can wait for it.
   */
  public allowControlPlane(endpointCidr: string): ComputeNetworkFirewallPolicyRule {
    const base = this.props.priorityBase ?? 1000;
    this.rule('allow-control-plane', base + 521, 'INGRESS', 'allow', 'Kubernetes control plane to kubelets and webhooks',
      { srcIpRanges: [endpointCidr], layer4Configs: [{ ipProtocol: 'tcp', ports: ['443', '10250'] }] });
    return this.rules[this.rules.length - 1];
  }

  private rule(ruleName: string, priority: number, direction: 'EGRESS' | 'INGRESS', action: 'allow' | 'deny', description: string,
    match: ComputeNetworkFirewallPolicyRuleMatch, log = false): void {
    this.rules.push(new ComputeNetworkFirewallPolicyRule(this, ruleName, {
      project: this.props.context.project,
      firewallPolicy: this.policyId,
      ruleName: `${this.props.name}-${ruleName}`,
      description,
      priority,
      direction,
      action,
      match,
      targetServiceAccounts: [this.props.nodeServiceAccountEmail],
      enableLogging: log,
    }));
  }
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
