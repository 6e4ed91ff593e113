import { Route53ResolverFirewallConfig } from '@cdktf/provider-aws/lib/route53-resolver-firewall-config';
import { Route53ResolverFirewallDomainList } from '@cdktf/provider-aws/lib/route53-resolver-firewall-domain-list';
import { Route53ResolverFirewallRule } from '@cdktf/provider-aws/lib/route53-resolver-firewall-rule';
import { Route53ResolverFirewallRuleGroup } from '@cdktf/provider-aws/lib/route53-resolver-firewall-rule-group';
import { Route53ResolverFirewallRuleGroupAssociation } from '@cdktf/provider-aws/lib/route53-resolver-firewall-rule-group-association';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { ResolvedPool } from '../spec';
import { runtimeDownloadDomains } from '../spec/catalog/runtimes';
import { PRIVATE_ENDPOINT_SERVICES } from './endpoint-services';

/**
 * Values of the DNS Firewall resources, as the AWS API defines them (route53resolver
 * CreateFirewallRule Action ALLOW | BLOCK | ALERT, BlockResponse NODATA | NXDOMAIN | OVERRIDE;
 * UpdateFirewallConfig FirewallFailOpen ENABLED | DISABLED | USE_LOCAL_RESOURCE_SETTING), which
 * terraform-provider-aws validates with the SDK enums (internal/service/route53resolver/firewall_rule.go,
 * firewall_config.go). AssociateFirewallRuleGroup: "The allowed values for Priority are between
 * 100 and 9900"; 101 stays clear of either end.
 */
export const DNS_FIREWALL_VALUES = {
  allow: 'ALLOW',
  block: 'BLOCK',
  blockResponse: 'NXDOMAIN',
  failOpen: 'DISABLED',
  associationPriority: 101,
} as const;

/**
 * The AWS names a node resolves: the API endpoints of PRIVATE_ENDPOINT_SERVICES (the SSM agent,
 * CloudWatch agent, the bootstrap's Auto Scaling calls, ECR), S3 in the region (artifacts, the
 * AL2023 package repository al2023-repos-<region>-de612dc2.s3.dualstack.<region>.amazonaws.com,
 * the CloudWatch and SSM agent buckets), the global STS name older SDKs default to, and the
 * VPC's own host names (ip-...<region>.compute.internal, ip-....ec2.internal in us-east-1).
 * Sources: docs.aws.amazon.com/general/latest/gr/rande.html (service endpoints),
 * docs.aws.amazon.com/linux/al2023/ug/managing-repos-os-updates.html, the AL2023 repo file
 * (/etc/yum.repos.d/amazonlinux.repo, mirrorlist on the S3 dualstack name),
 * docs.aws.amazon.com/vpc/latest/userguide/AmazonDNS-concepts.html (private DNS host names).
 */
export function nodeServiceDomains(region: string, dnsSuffix = 'amazonaws.com'): string[] {
  const api = PRIVATE_ENDPOINT_SERVICES.map((svc) => (svc === 'ecr.api' ? `api.ecr.${region}.${dnsSuffix}`
    : svc === 'ecr.dkr' ? `*.dkr.ecr.${region}.${dnsSuffix}` : `${svc}.${region}.${dnsSuffix}`));
  return [
    ...api,
    `s3.${region}.${dnsSuffix}`, `*.s3.${region}.${dnsSuffix}`,
    `s3.dualstack.${region}.${dnsSuffix}`, `*.s3.dualstack.${region}.${dnsSuffix}`,
    `sts.${dnsSuffix}`,
    'compute.internal', '*.compute.internal', 'ec2.internal', '*.ec2.internal',
  ];
}

/**
 * The names EKS nodes resolve beyond nodeServiceDomains: the EC2 API (VPC CNI), the EKS API
 * (DescribeCluster in the bootstrap), EKS Auth for Pod Identity (eks-auth.<region>.api.aws), and the
 * cluster's own API server names (<id>.<zone>.<region>.eks.amazonaws.com, answered by the private
 * hosted zone EKS attaches to the VPC).
 * Sources: docs.aws.amazon.com/general/latest/gr/eks.html (EKS and EKS Auth endpoints),
 * docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html (private endpoint DNS).
 */
export function eksNodeDomains(region: string, dnsSuffix = 'amazonaws.com'): string[] {
  return [`ec2.${region}.${dnsSuffix}`, `eks.${region}.${dnsSuffix}`, `*.${region}.eks.${dnsSuffix}`, `eks-auth.${region}.api.aws`];
}

/**
 * Kubernetes mode under "firewall" egress: the upstream hosts the sandbox pools' nodes download their
 * pinned runtime from (lib/spec/catalog/runtimes.ts: github.com and its release-asset hosts for Kata,
 * storage.googleapis.com for gVisor), for the Network Firewall and DNS firewall allow-lists. Only the
 * runtimes the pools use; none for a pool without a RuntimeClass. These hosts are reachable from
 * sandboxes too (the firewall sees the VPC, not the process): fill the artifact bucket and use egress
 * "none" where that matters (docs/aws.md).
 */
export function sandboxRuntimeDomains(pools: readonly Pick<ResolvedPool, 'runtime' | 'kubernetes'>[]): string[] {
  return runtimeDownloadDomains(pools.filter((p) => p.kubernetes?.runtimeClass).map((p) => p.runtime));
}

/**
 * DNS Firewall domain names from the allow-list's spelling: "example.com" as is, ".example.com"
 * (the domain and its subdomains, as Network Firewall reads it) as "example.com" and "*.example.com".
 */
export function dnsFirewallDomains(domains: readonly string[]): string[] {
  const out = domains.flatMap((d) => (d.startsWith('.') ? [d.slice(1), `*${d}`] : [d]));
  return [...new Set(out)];
}

export interface AwsDnsFirewallProps {
  readonly name: string;
  readonly vpcId: string;
  /** Names the VPC's Resolver answers ("example.com", ".example.com" for subdomains, "*.x" wildcards). */
  readonly allowedDomains: string[];
}

/**
 * Route 53 Resolver DNS Firewall on the platform VPC: queries for the allow-list are answered,
 * every other name gets NXDOMAIN (a catch-all "*" list), and the VPC fails closed if the firewall
 * is impaired (firewall_fail_open = DISABLED). This closes DNS tunnelling, which no network rule
 * sees: the queries travel through the Resolver, not the nodes' routes.
 * Source: docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-dns-firewall.html.
 */
export class AwsDnsFirewall extends Construct {
  public readonly ruleGroup: Route53ResolverFirewallRuleGroup;
  public readonly association: Route53ResolverFirewallRuleGroupAssociation;
  public readonly config: Route53ResolverFirewallConfig;
  /** What must exist before nodes resolve names. */
  public readonly dependables: ITerraformDependable[];

  constructor(scope: Construct, id: string, props: AwsDnsFirewallProps) {
    super(scope, id);
    const allowed = new Route53ResolverFirewallDomainList(this, 'allowed', {
      name: `${props.name}-dns-allowed`, domains: dnsFirewallDomains(props.allowedDomains),
    });
    const everything = new Route53ResolverFirewallDomainList(this, 'everything', { name: `${props.name}-dns-everything`, domains: ['*'] });
    this.ruleGroup = new Route53ResolverFirewallRuleGroup(this, 'rules', { name: `${props.name}-dns` });
    const allowRule = new Route53ResolverFirewallRule(this, 'allow', {
      name: `${props.name}-dns-allow`, firewallRuleGroupId: this.ruleGroup.id, firewallDomainListId: allowed.id,
      priority: 100, action: DNS_FIREWALL_VALUES.allow,
    });
    const blockRule = new Route53ResolverFirewallRule(this, 'block', {
      name: `${props.name}-dns-block-rest`, firewallRuleGroupId: this.ruleGroup.id, firewallDomainListId: everything.id,
      priority: 200, action: DNS_FIREWALL_VALUES.block, blockResponse: DNS_FIREWALL_VALUES.blockResponse,
    });
    this.association = new Route53ResolverFirewallRuleGroupAssociation(this, 'association', {
      name: `${props.name}-dns`, firewallRuleGroupId: this.ruleGroup.id, vpcId: props.vpcId,
      priority: DNS_FIREWALL_VALUES.associationPriority,
      // Rules first: an association of an empty group would answer everything for a moment.
      dependsOn: [allowRule, blockRule],
    });
    this.config = new Route53ResolverFirewallConfig(this, 'config', { resourceId: props.vpcId, firewallFailOpen: DNS_FIREWALL_VALUES.failOpen });
    this.dependables = [this.association, this.config];
  }
}
