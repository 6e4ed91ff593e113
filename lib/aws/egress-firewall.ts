import { NetworkfirewallFirewall } from '@cdktf/provider-aws/lib/networkfirewall-firewall';
import { NetworkfirewallFirewallPolicy } from '@cdktf/provider-aws/lib/networkfirewall-firewall-policy';
import { NetworkfirewallRuleGroup } from '@cdktf/provider-aws/lib/networkfirewall-rule-group';
import { NetworkfirewallLoggingConfiguration } from '@cdktf/provider-aws/lib/networkfirewall-logging-configuration';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Construct } from 'constructs';
import { encryptedLogGroup } from './log-group';

export interface AwsEgressFirewallProps {
  readonly name: string;
  readonly vpcId: string;
  readonly vpcCidr: string;
  /** One firewall subnet CIDR per zone. */
  readonly subnetCidrs: string[];
  /** The AZ of each zone (same order as subnetCidrs). */
  readonly availabilityZones: string[];
  /** Domains sandboxes may reach over TLS (SNI) or HTTP (Host); ".example.com" includes subdomains. */
  readonly allowedDomains: string[];
  readonly kmsKeyArn: string;
  /** Retention of the firewall's alert and flow logs (the profile's floor or more). */
  readonly logRetentionDays: number;
  /** Delete, policy-change and subnet-change protection, and prevent_destroy on the log group. Default false. */
  readonly protect?: boolean;
}

/**
 * AWS Network Firewall with a domain allow-list. Strict rule order with "drop established" as
 * the default: a flow whose TLS SNI or HTTP Host is not on the list is dropped after the
 * handshake, and so is every other protocol. Source: docs.aws.amazon.com/network-firewall/latest/developerguide/
 * stateful-rule-groups-domain-names.html and suricata-rule-evaluation-order.html (strict order).
 */
export class AwsEgressFirewall extends Construct {
  public readonly firewall: NetworkfirewallFirewall;
  public readonly subnets: Subnet[];

  constructor(scope: Construct, id: string, props: AwsEgressFirewallProps) {
    super(scope, id);
    this.subnets = props.subnetCidrs.map((cidr, i) => new Subnet(this, `subnet-${i}`, {
      vpcId: props.vpcId, cidrBlock: cidr, availabilityZone: props.availabilityZones[i], mapPublicIpOnLaunch: false,
      tags: { Name: `${props.name}-firewall-${i}`, 'sandbox-subnet': 'firewall' },
    }));
    const encryption = { type: 'CUSTOMER_KMS', keyId: props.kmsKeyArn };
    const rules = new NetworkfirewallRuleGroup(this, 'allowed-domains', {
      name: `${props.name}-allowed-domains`,
      type: 'STATEFUL',
      // Domain-list rule groups consume about two rules per domain and target type.
      capacity: Math.max(100, props.allowedDomains.length * 4 + 10),
      encryptionConfiguration: encryption,
      ruleGroup: {
        ruleVariables: { ipSets: [{ key: 'HOME_NET', ipSet: { definition: [props.vpcCidr] } }] },
        rulesSource: {
          rulesSourceList: { generatedRulesType: 'ALLOWLIST', targetTypes: ['TLS_SNI', 'HTTP_HOST'], targets: [...props.allowedDomains] },
        },
        statefulRuleOptions: { ruleOrder: 'STRICT_ORDER' },
      },
    });
    const policy = new NetworkfirewallFirewallPolicy(this, 'policy', {
      name: `${props.name}-egress`,
      encryptionConfiguration: encryption,
      firewallPolicy: {
        statelessDefaultActions: ['aws:forward_to_sfe'],
        statelessFragmentDefaultActions: ['aws:forward_to_sfe'],
        statefulEngineOptions: { ruleOrder: 'STRICT_ORDER' },
        statefulDefaultActions: ['aws:drop_established', 'aws:alert_established'],
        statefulRuleGroupReference: [{ resourceArn: rules.arn, priority: 100 }],
      },
    });
    this.firewall = new NetworkfirewallFirewall(this, 'firewall', {
      name: `${props.name}-egress`,
      vpcId: props.vpcId,
      firewallPolicyArn: policy.arn,
      subnetMapping: this.subnets.map((s) => ({ subnetId: s.id })),
      encryptionConfiguration: encryption,
      deleteProtection: props.protect ?? false,
      firewallPolicyChangeProtection: props.protect ?? false,
      subnetChangeProtection: props.protect ?? false,
    });
    // Every drop is an alert ("aws:alert_established"): keep alerts and flows as audit evidence.
    const logs = encryptedLogGroup(this, 'logs', {
      name: `/sandbox/${props.name}/network-firewall`, retentionDays: props.logRetentionDays, kmsKeyArn: props.kmsKeyArn,
      preventDestroy: props.protect,
    });
    new NetworkfirewallLoggingConfiguration(this, 'logging', {
      firewallArn: this.firewall.arn,
      loggingConfiguration: {
        logDestinationConfig: ['ALERT', 'FLOW'].map((logType) => ({
          logType, logDestinationType: 'CloudWatchLogs', logDestination: { logGroup: logs.name },
        })),
      },
    });
  }

  /** The firewall endpoint in zone `i`: route targets for that zone's traffic (sync_states is a set, so select by AZ). */
  public endpointIdFor(i: number): string {
    const fw = this.firewall.fqn;
    const subnet = this.subnets[i].fqn;
    return `\${[for s in tolist(${fw}.firewall_status[0].sync_states) : s.attachment[0].endpoint_id if s.availability_zone == ${subnet}.availability_zone][0]}`;
  }
}
