import { Firewall } from '@cdktf/provider-azurerm/lib/firewall';
import { FirewallPolicy } from '@cdktf/provider-azurerm/lib/firewall-policy';
import { FirewallPolicyRuleCollectionGroup } from '@cdktf/provider-azurerm/lib/firewall-policy-rule-collection-group';
import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';
import { PublicIp } from '@cdktf/provider-azurerm/lib/public-ip';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { prefixLength } from './util';

/** Azure Firewall must live in a subnet named exactly this, /26 or larger (learn.microsoft.com/azure/firewall/firewall-faq). */
export const AZURE_FIREWALL_SUBNET_NAME = 'AzureFirewallSubnet';
export const AZURE_FIREWALL_MIN_PREFIX = 26;

/**
 * Structured firewall log categories sent to the audit workspace: application and network rule
 * hits, threat-intelligence denies and the DNS proxy's queries (resource-specific tables
 * AZFWApplicationRule, AZFWNetworkRule, AZFWThreatIntel, AZFWDnsQuery:
 * learn.microsoft.com/azure/firewall/monitor-firewall-reference).
 */
export const AZURE_FIREWALL_LOG_CATEGORIES = ['AZFWApplicationRule', 'AZFWNetworkRule', 'AZFWThreatIntel', 'AZFWDnsQuery'];

/**
 * Service tags the nodes' Azure Monitor Agent needs on TCP 443: "Both AzureMonitor and
 * AzureResourceManager tags are required"
 * (learn.microsoft.com/azure/azure-monitor/agents/azure-monitor-agent-network-configuration; the
 * install page: "the Azure Resource Manager service tag must be enabled on the virtual network").
 */
export const AZURE_MONITOR_AGENT_SERVICE_TAGS = ['AzureMonitor', 'AzureResourceManager'];

/**
 * Maps the spec's domain syntax to Azure Firewall application-rule FQDNs: "example.com" stays as
 * is; ".example.com" ("the domain and its subdomains") becomes "example.com" and "*.example.com",
 * because a "*.example.com" target matches subdomains only
 * (learn.microsoft.com/azure/firewall/rule-processing, FQDN wildcards in application rules).
 */
export function azureFirewallFqdns(domains: readonly string[]): string[] {
  const out: string[] = [];
  for (const d of domains) {
    const names = d.startsWith('.') ? [d.slice(1), `*${d}`] : [d];
    for (const n of names) if (!out.includes(n)) out.push(n);
  }
  return out;
}

export interface AzureEgressRulesProps {
  /** Rule collection group name, 1..80 (AZURE_NAMING_TABLE). */
  readonly name: string;
  readonly firewallPolicyId: string;
  /** Priority of the group in the policy, 100..65000 (azurerm firewall_policy_rule_collection_group: IntBetween(100, 65000)). */
  readonly priority: number;
  /** Sources the rules allow (the node subnets' address ranges). */
  readonly sourceCidrs: string[];
  /** Domains sandboxes may reach over HTTP/HTTPS; ".example.com" includes subdomains. */
  readonly allowedDomains: string[];
  /**
   * Also allow what AKS nodes must reach (HTTPS to the FQDN tag AzureKubernetesService: the AKS control plane,
   * mcr.microsoft.com, management.azure.com, login.microsoftonline.com, packages.aks.azure.com...;
   * learn.microsoft.com/azure/aks/outbound-rules-control-egress, "Azure Firewall FQDN tag"). Default false.
   */
  readonly aksNodes?: boolean;
  /**
   * Kubernetes mode: hosts the nodes download their pinned sandbox runtime from (HTTPS only; lib/spec/catalog/runtimes.ts,
   * storage.googleapis.com for gVisor). Sandboxes reach them too: the firewall sees pod traffic with the node's address
   * (Azure CNI Overlay masquerades it). Default none.
   */
  readonly runtimeDomains?: string[];
}

/** Azure Firewall FQDN tag of every FQDN AKS nodes require (learn.microsoft.com/azure/firewall/fqdn-tags). */
export const AKS_FIREWALL_FQDN_TAG = 'AzureKubernetesService';

/**
 * The platform's egress allow rules as a rule collection group of a firewall policy (the platform's
 * own, or an existing hub firewall's): HTTP/HTTPS application rules for the allowed domains and a
 * network rule to the Azure Monitor Agent's service tags on TCP 443
 * (AZURE_MONITOR_AGENT_SERVICE_TAGS). Sandboxes share the node's address after the host's NAT, so
 * they reach those service tags too (docs/azure.md, egress guarantees).
 */
export function egressRuleCollectionGroup(scope: Construct, id: string, props: AzureEgressRulesProps): FirewallPolicyRuleCollectionGroup {
  if (!Number.isInteger(props.priority) || props.priority < 100 || props.priority > 65000) {
    throw new Error(`${scope.node.path}: firewall rule collection group priority ${props.priority} is outside 100..65000`);
  }
  return new FirewallPolicyRuleCollectionGroup(scope, id, {
    name: props.name,
    firewallPolicyId: props.firewallPolicyId,
    priority: props.priority,
    networkRuleCollection: [{
      name: 'azure-platform',
      priority: 100,
      action: 'Allow',
      rule: [{
        name: 'azure-monitor-agent',
        description: 'Azure Monitor Agent: logs, configuration and Resource Manager',
        sourceAddresses: [...props.sourceCidrs],
        destinationAddresses: [...AZURE_MONITOR_AGENT_SERVICE_TAGS],
        destinationPorts: ['443'],
        protocols: ['TCP'],
      }],
    }],
    applicationRuleCollection: [{
      name: 'allowed-domains',
      priority: 100,
      action: 'Allow',
      rule: [{
        name: 'allowed-domains-web',
        description: 'Domains sandboxes may reach (network.egress.allowedDomains)',
        sourceAddresses: [...props.sourceCidrs],
        destinationFqdns: azureFirewallFqdns(props.allowedDomains),
        protocols: [{ type: 'Http', port: 80 }, { type: 'Https', port: 443 }],
      }, ...(props.aksNodes ? [{
        name: 'aks-nodes',
        description: 'What AKS nodes must reach (FQDN tag AzureKubernetesService)',
        sourceAddresses: [...props.sourceCidrs],
        destinationFqdnTags: [AKS_FIREWALL_FQDN_TAG],
        protocols: [{ type: 'Https', port: 443 }],
      }] : []), ...(props.runtimeDomains && props.runtimeDomains.length > 0 ? [{
        name: 'sandbox-runtime-downloads',
        description: 'Pinned sandbox runtime releases the nodes download (lib/spec/catalog/runtimes.ts)',
        sourceAddresses: [...props.sourceCidrs],
        destinationFqdns: [...props.runtimeDomains],
        protocols: [{ type: 'Https', port: 443 }],
      }] : [])],
    }],
  });
}

export interface AzureEgressFirewallProps {
  readonly name: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly vnetName: string;
  /** CIDR of AzureFirewallSubnet: /26 or larger. */
  readonly subnetCidr: string;
  /** Traffic sources the rules allow (the VNet's CIDR). */
  readonly sourceCidrs: string[];
  /** Domains sandboxes may reach over HTTP/HTTPS; ".example.com" includes subdomains. */
  readonly allowedDomains: string[];
  /** Also allow what AKS nodes must reach (AzureEgressRulesProps.aksNodes). Default false. */
  readonly aksNodes?: boolean;
  /** Runtime download hosts of the nodes (AzureEgressRulesProps.runtimeDomains). Default none. */
  readonly runtimeDomains?: string[];
  /** Availability zones of the firewall and its public IP, e.g. ["1","2","3"]. */
  readonly zones: string[];
  /** Log Analytics workspace for the firewall's logs (the audit workspace). Default: none. */
  readonly workspaceId?: string;
  /** Also archive the firewall's logs in this storage account (immutable under hipaa). Default: none. */
  readonly archiveStorageAccountId?: string;
  /** What the log export waits for (the archive's locked containers). Default none. */
  readonly archiveReady?: ITerraformDependable[];
}

/**
 * Azure Firewall (Standard) with a firewall policy whose allow rules are HTTP/HTTPS application
 * rules for the allowed domains (matched on the HTTP Host header and the TLS SNI) and HTTPS to the
 * AzureMonitor and AzureResourceManager service tags for the nodes' monitoring agent; everything
 * else is denied by the firewall's default deny. The policy's DNS proxy is on: the VNet's DNS
 * servers point at the firewall (AzureSandboxNetwork), so every name a node or sandbox resolves
 * goes through it and is logged (AZFWDnsQuery), and FQDN filtering sees the same answers the
 * clients get ("DNS proxy ... is required for FQDN filtering in network rules" and keeps client
 * and firewall resolution consistent: learn.microsoft.com/azure/firewall/dns-settings). The
 * proxy forwards to Azure DNS, which resolves the privatelink zones linked to this VNet. Threat intelligence denies known-malicious destinations (policy and
 * firewall both in Deny mode). Nodes reach it through a 0.0.0.0/0 user-defined route (see
 * AzureSandboxNetwork). IDPS is not configured: it needs the Premium tier (see checkov-skips.txt,
 * CKV_AZURE_220).
 * Source: learn.microsoft.com/azure/firewall/policy-rule-sets, .../firewall/rule-processing.
 */
export class AzureEgressFirewall extends Construct {
  public readonly subnet: Subnet;
  public readonly firewall: Firewall;
  public readonly policy: FirewallPolicy;
  public readonly rules: FirewallPolicyRuleCollectionGroup;
  public readonly publicIp: PublicIp;
  /** Private IP of the firewall: next hop of the nodes' default route. */
  public readonly privateIp: string;

  constructor(scope: Construct, id: string, props: AzureEgressFirewallProps) {
    super(scope, id);
    const prefix = prefixLength(props.subnetCidr);
    if (prefix > AZURE_FIREWALL_MIN_PREFIX) {
      throw new Error(`${this.node.path}: ${AZURE_FIREWALL_SUBNET_NAME} ${props.subnetCidr} is smaller than the /${AZURE_FIREWALL_MIN_PREFIX} Azure Firewall needs; ` +
        'use a larger network.cidr (e.g. a /20 or larger) or fewer zones');
    }
    const base = { resourceGroupName: props.resourceGroupName, location: props.location };
    this.subnet = new Subnet(this, 'subnet', {
      name: AZURE_FIREWALL_SUBNET_NAME,
      resourceGroupName: props.resourceGroupName,
      virtualNetworkName: props.vnetName,
      addressPrefixes: [props.subnetCidr],
      defaultOutboundAccessEnabled: false,
    });
    this.publicIp = new PublicIp(this, 'public-ip', {
      ...base, name: `${props.name}-firewall-pip`, sku: 'Standard', allocationMethod: 'Static', zones: [...props.zones],
    });
    this.policy = new FirewallPolicy(this, 'policy', {
      ...base, name: `${props.name}-egress-policy`, sku: 'Standard', threatIntelligenceMode: 'Deny',
      // servers unset: the proxy forwards to Azure-provided DNS (168.63.129.16).
      dns: { proxyEnabled: true },
    });
    this.rules = egressRuleCollectionGroup(this, 'rules', {
      name: 'sandbox-egress', firewallPolicyId: this.policy.id, priority: 200, sourceCidrs: props.sourceCidrs, allowedDomains: props.allowedDomains, aksNodes: props.aksNodes,
      runtimeDomains: props.runtimeDomains,
    });
    this.firewall = new Firewall(this, 'firewall', {
      ...base,
      name: `${props.name}-egress-fw`,
      skuName: 'AZFW_VNet',
      skuTier: 'Standard',
      firewallPolicyId: this.policy.id,
      // The policy's threat_intelligence_mode governs a policy-managed firewall; the firewall's own
      // (classic) setting would otherwise read "Alert", the default. Both say Deny.
      threatIntelMode: 'Deny',
      zones: [...props.zones],
      ipConfiguration: [{ name: 'egress', subnetId: this.subnet.id, publicIpAddressId: this.publicIp.id }],
    });
    this.privateIp = this.firewall.ipConfiguration.get(0).privateIpAddress;
    if (props.workspaceId) {
      new MonitorDiagnosticSetting(this, 'logs', {
        name: `${props.name}-firewall-logs`,
        targetResourceId: this.firewall.id,
        logAnalyticsWorkspaceId: props.workspaceId,
        logAnalyticsDestinationType: 'Dedicated',
        storageAccountId: props.archiveStorageAccountId,
        enabledLog: AZURE_FIREWALL_LOG_CATEGORIES.map((category) => ({ category })),
        dependsOn: props.archiveReady && props.archiveReady.length > 0 ? props.archiveReady : undefined,
      });
    }
  }
}
