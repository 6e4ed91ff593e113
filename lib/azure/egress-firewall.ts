import { Firewall } from '@cdktf/provider-azurerm/lib/firewall';
import { FirewallPolicy } from '@cdktf/provider-azurerm/lib/firewall-policy';
import { FirewallPolicyRuleCollectionGroup } from '@cdktf/provider-azurerm/lib/firewall-policy-rule-collection-group';
import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';
import { PublicIp } from '@cdktf/provider-azurerm/lib/public-ip';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { Construct } from 'constructs';
import { prefixLength } from './util';

/** Azure Firewall must live in a subnet named exactly this, /26 or larger (learn.microsoft.com/azure/firewall/firewall-faq). */
export const AZURE_FIREWALL_SUBNET_NAME = 'AzureFirewallSubnet';
export const AZURE_FIREWALL_MIN_PREFIX = 26;

/** Structured firewall log categories sent to the workspace (learn.microsoft.com/azure/firewall/monitor-firewall-reference). */
export const AZURE_FIREWALL_LOG_CATEGORIES = ['AZFWApplicationRule', 'AZFWNetworkRule'];

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

export interface AzureEgressFirewallProps {
  readonly name: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly vnetName: string;
  /** CIDR of AzureFirewallSubnet: /26 or larger. */
  readonly subnetCidr: string;
  /** Traffic sources the rules allow (the VNet's CIDR). */
  readonly sourceCidrs: readonly string[];
  /** Domains sandboxes may reach over HTTP/HTTPS; ".example.com" includes subdomains. */
  readonly allowedDomains: readonly string[];
  /** Availability zones of the firewall and its public IP, e.g. ["1","2","3"]. */
  readonly zones: readonly string[];
  /** Log Analytics workspace for the firewall's rule logs. Default: none. */
  readonly workspaceId?: string;
}

/**
 * Azure Firewall (Standard) with a firewall policy whose allow rules are HTTP/HTTPS application
 * rules for the allowed domains (matched on the HTTP Host header and the TLS SNI) and HTTPS to the
 * AzureMonitor service tag for the nodes' monitoring agent; everything else is denied by the
 * firewall's default deny. Threat intelligence denies known-malicious destinations (policy and
 * firewall both in Deny mode). Nodes reach it through a 0.0.0.0/0 user-defined route (see
 * AzureSandboxNetwork). IDPS is not configured: it needs the Premium tier (see checkov-skips.txt,
 * CKV_AZURE_220).
 * Source: learn.microsoft.com/azure/firewall/policy-rule-sets, .../firewall/rule-processing.
 */
export class AzureEgressFirewall extends Construct {
  public readonly subnet: Subnet;
  public readonly firewall: Firewall;
  public readonly policy: FirewallPolicy;
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
    });
    new FirewallPolicyRuleCollectionGroup(this, 'rules', {
      name: 'sandbox-egress',
      firewallPolicyId: this.policy.id,
      priority: 200,
      // The nodes' Azure Monitor Agent must reach Azure Monitor (ingestion, configuration) whatever the
      // allow-list holds: a network rule to the AzureMonitor service tag
      // (learn.microsoft.com/azure/azure-monitor/agents/azure-monitor-agent-network-configuration).
      networkRuleCollection: [{
        name: 'azure-platform',
        priority: 100,
        action: 'Allow',
        rule: [{
          name: 'azure-monitor',
          description: 'Azure Monitor Agent: logs and configuration',
          sourceAddresses: [...props.sourceCidrs],
          destinationAddresses: ['AzureMonitor'],
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
        }],
      }],
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
        enabledLog: AZURE_FIREWALL_LOG_CATEGORIES.map((category) => ({ category })),
      });
    }
  }
}
