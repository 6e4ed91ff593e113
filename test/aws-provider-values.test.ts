/**
 * Enum-like values the AWS platform computes or takes from catalogs, checked against what the aws
 * provider versions our required_providers admits (>= 6.25.0 < 7, >= 6.33.0 with nested
 * virtualization) accept. Each row names its source: the provider file that validates the
 * argument (most validate with the AWS SDK enum of the same name) or the API reference where the
 * provider passes the value through unvalidated and the API decides. Read in the provider source
 * here: autoscaling/group.go and route53resolver/firewall_rule.go; the other rows name the file
 * that validates the argument and take the values from the AWS API enum.
 */
import { readdirSync } from 'fs';
import { join } from 'path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import { AwsSandboxPlatform, CLOUDWATCH_RETENTION_DAYS } from '../lib/aws';
import { ComplianceProfile, DeploymentModel, EgressMode, GpuModel, SandboxRuntime, Virtualization, valuesAt } from '../lib/spec';
import { addSpecStack } from '../stacks/main';

/* eslint-disable @typescript-eslint/no-explicit-any */

interface Allowed {
  readonly type: string;
  readonly path: string;
  readonly values?: readonly (string | number | boolean)[];
  readonly range?: readonly [number, number];
  readonly pattern?: RegExp;
  readonly source: string;
}

const P = 'terraform-provider-aws internal/service';
export const AWS_PROVIDER_VALUES: readonly Allowed[] = [
  { type: 'aws_launch_template', path: 'block_device_mappings.ebs.volume_type', values: ['standard', 'io1', 'io2', 'gp2', 'sc1', 'st1', 'gp3'], source: `${P}/ec2/ec2_launch_template.go (enum VolumeType); values from the AWS API enum, file not re-read here` },
  { type: 'aws_launch_template', path: 'metadata_options.http_tokens', values: ['optional', 'required'], source: `${P}/ec2/ec2_launch_template.go (enum LaunchTemplateHttpTokensState); values from the AWS API enum, file not re-read here` },
  { type: 'aws_launch_template', path: 'metadata_options.http_endpoint', values: ['enabled', 'disabled'], source: `${P}/ec2/ec2_launch_template.go; values from the AWS API enum, file not re-read here` },
  { type: 'aws_launch_template', path: 'metadata_options.instance_metadata_tags', values: ['enabled', 'disabled'], source: `${P}/ec2/ec2_launch_template.go; values from the AWS API enum, file not re-read here` },
  { type: 'aws_launch_template', path: 'metadata_options.http_put_response_hop_limit', range: [1, 64], source: `${P}/ec2/ec2_launch_template.go (IntBetween(1, 64)); values from the AWS API enum, file not re-read here` },
  { type: 'aws_launch_template', path: 'cpu_options.nested_virtualization', values: ['enabled', 'disabled'], source: 'aws 6.33.0 (PR #46533); EC2 API NestedVirtualization' },
  { type: 'aws_autoscaling_group', path: 'initial_lifecycle_hook.lifecycle_transition', values: ['autoscaling:EC2_INSTANCE_LAUNCHING', 'autoscaling:EC2_INSTANCE_TERMINATING'], source: `${P}/autoscaling/group.go (lifecycleHookLifecycleTransition)` },
  { type: 'aws_autoscaling_group', path: 'initial_lifecycle_hook.default_result', values: ['ABANDON', 'CONTINUE'], source: `${P}/autoscaling/group.go (lifecycleHookDefaultResult)` },
  { type: 'aws_autoscaling_group', path: 'initial_lifecycle_hook.heartbeat_timeout', range: [30, 7200], source: `${P}/autoscaling/group.go (IntBetween(30, 7200))` },
  { type: 'aws_autoscaling_group', path: 'wait_for_capacity_timeout', pattern: /^(0|\d+[smh])$/, source: `${P}/autoscaling/group.go (verify.ValidDuration; "0" disables)` },
  { type: 'aws_autoscaling_group', path: 'warm_pool.pool_state', values: ['Stopped', 'Running', 'Hibernated'], source: `${P}/autoscaling/group.go (enum WarmPoolState)` },
  { type: 'aws_autoscaling_group', path: 'instance_refresh.strategy', values: ['Rolling'], source: `${P}/autoscaling/group.go (enum RefreshStrategy)` },
  { type: 'aws_autoscaling_group', path: 'mixed_instances_policy.instances_distribution.spot_allocation_strategy',
    values: ['lowest-price', 'capacity-optimized', 'capacity-optimized-prioritized', 'price-capacity-optimized'], source: 'API InstancesDistribution.SpotAllocationStrategy (provider passes it through)' },
  { type: 'aws_autoscaling_group', path: 'metrics_granularity', values: ['1Minute'], source: 'API EnableMetricsCollection Granularity' },
  { type: 'aws_autoscaling_group', path: 'health_check_type', values: ['EC2', 'ELB', 'VPC_LATTICE', 'EBS'], source: 'API CreateAutoScalingGroup HealthCheckType' },
  { type: 'aws_s3_bucket_lifecycle_configuration', path: 'rule.status', values: ['Enabled', 'Disabled'], source: `${P}/s3/bucket_lifecycle_configuration.go; values from the AWS API enum, file not re-read here` },
  { type: 'aws_s3_bucket_object_lock_configuration', path: 'rule.default_retention.mode', values: ['GOVERNANCE', 'COMPLIANCE'], source: `${P}/s3/bucket_object_lock_configuration.go (enum ObjectLockRetentionMode); values from the AWS API enum, file not re-read here` },
  { type: 'aws_s3_bucket_versioning', path: 'versioning_configuration.status', values: ['Enabled', 'Suspended', 'Disabled'], source: `${P}/s3/bucket_versioning.go; values from the AWS API enum, file not re-read here` },
  { type: 'aws_s3_bucket_ownership_controls', path: 'rule.object_ownership', values: ['BucketOwnerPreferred', 'ObjectWriter', 'BucketOwnerEnforced'], source: `${P}/s3/bucket_ownership_controls.go; values from the AWS API enum, file not re-read here` },
  { type: 'aws_s3_bucket_server_side_encryption_configuration', path: 'rule.apply_server_side_encryption_by_default.sse_algorithm', values: ['AES256', 'aws:kms', 'aws:kms:dsse'], source: `${P}/s3/bucket_server_side_encryption_configuration.go; values from the AWS API enum, file not re-read here` },
  { type: 'aws_networkfirewall_rule_group', path: 'type', values: ['STATEFUL', 'STATELESS'], source: `${P}/networkfirewall/rule_group.go; values from the AWS API enum, file not re-read here` },
  { type: 'aws_networkfirewall_rule_group', path: 'rule_group.rules_source.rules_source_list.generated_rules_type', values: ['ALLOWLIST', 'DENYLIST', 'REJECTLIST', 'ALERTLIST'], source: `${P}/networkfirewall/rule_group.go; values from the AWS API enum, file not re-read here` },
  { type: 'aws_networkfirewall_rule_group', path: 'rule_group.rules_source.rules_source_list.target_types', values: ['TLS_SNI', 'HTTP_HOST'], source: `${P}/networkfirewall/rule_group.go; values from the AWS API enum, file not re-read here` },
  { type: 'aws_networkfirewall_rule_group', path: 'rule_group.stateful_rule_options.rule_order', values: ['DEFAULT_ACTION_ORDER', 'STRICT_ORDER'], source: `${P}/networkfirewall/rule_group.go; values from the AWS API enum, file not re-read here` },
  { type: 'aws_networkfirewall_firewall_policy', path: 'firewall_policy.stateful_default_actions', values: ['aws:drop_strict', 'aws:drop_established', 'aws:alert_strict', 'aws:alert_established'], source: 'API StatefulEngineOptions / FirewallPolicy.StatefulDefaultActions (strict order only)' },
  { type: 'aws_networkfirewall_firewall_policy', path: 'firewall_policy.stateless_default_actions', values: ['aws:pass', 'aws:drop', 'aws:forward_to_sfe'], source: 'API FirewallPolicy.StatelessDefaultActions' },
  { type: 'aws_networkfirewall_firewall_policy', path: 'firewall_policy.stateful_engine_options.rule_order', values: ['DEFAULT_ACTION_ORDER', 'STRICT_ORDER'], source: `${P}/networkfirewall/firewall_policy.go; values from the AWS API enum, file not re-read here` },
  { type: 'aws_networkfirewall_firewall', path: 'encryption_configuration.type', values: ['CUSTOMER_KMS', 'AWS_OWNED_KMS_KEY'], source: `${P}/networkfirewall/helpers.go (enum EncryptionType); values from the AWS API enum, file not re-read here` },
  { type: 'aws_networkfirewall_logging_configuration', path: 'logging_configuration.log_destination_config.log_type', values: ['ALERT', 'FLOW', 'TLS'], source: `${P}/networkfirewall/logging_configuration.go; values from the AWS API enum, file not re-read here` },
  { type: 'aws_networkfirewall_logging_configuration', path: 'logging_configuration.log_destination_config.log_destination_type', values: ['CloudWatchLogs', 'KinesisDataFirehose', 'S3'], source: `${P}/networkfirewall/logging_configuration.go; values from the AWS API enum, file not re-read here` },
  { type: 'aws_route53_resolver_firewall_rule', path: 'action', values: ['ALLOW', 'BLOCK', 'ALERT'], source: `${P}/route53resolver/firewall_rule.go (enum Action)` },
  { type: 'aws_route53_resolver_firewall_rule', path: 'block_response', values: ['NODATA', 'NXDOMAIN', 'OVERRIDE'], source: `${P}/route53resolver/firewall_rule.go (enum BlockResponse)` },
  { type: 'aws_route53_resolver_firewall_rule_group_association', path: 'priority', range: [101, 9899], source: 'API AssociateFirewallRuleGroup Priority ("between 100 and 9900"; ends avoided)' },
  { type: 'aws_route53_resolver_firewall_config', path: 'firewall_fail_open', values: ['ENABLED', 'DISABLED', 'USE_LOCAL_RESOURCE_SETTING'], source: `${P}/route53resolver/firewall_config.go (enum FirewallFailOpenStatus); values from the AWS API enum, file not re-read here` },
  { type: 'aws_flow_log', path: 'traffic_type', values: ['ACCEPT', 'REJECT', 'ALL'], source: `${P}/ec2/vpc_flow_log.go (enum TrafficType); values from the AWS API enum, file not re-read here` },
  { type: 'aws_flow_log', path: 'log_destination_type', values: ['cloud-watch-logs', 's3', 'kinesis-data-firehose'], source: `${P}/ec2/vpc_flow_log.go (enum LogDestinationType); values from the AWS API enum, file not re-read here` },
  { type: 'aws_flow_log', path: 'max_aggregation_interval', values: [60, 600], source: `${P}/ec2/vpc_flow_log.go (IntInSlice(60, 600)); values from the AWS API enum, file not re-read here` },
  { type: 'aws_cloudwatch_log_group', path: 'retention_in_days', values: [0, ...CLOUDWATCH_RETENTION_DAYS], source: `${P}/logs/group.go (IntInSlice of the PutRetentionPolicy values); values from the AWS API enum, file not re-read here` },
  { type: 'aws_cloudwatch_metric_alarm', path: 'comparison_operator', values: ['GreaterThanOrEqualToThreshold', 'GreaterThanThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold'], source: `${P}/cloudwatch/metric_alarm.go (enum ComparisonOperator); values from the AWS API enum, file not re-read here` },
  { type: 'aws_cloudwatch_metric_alarm', path: 'statistic', values: ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'], source: `${P}/cloudwatch/metric_alarm.go (enum Statistic); values from the AWS API enum, file not re-read here` },
  { type: 'aws_cloudwatch_metric_alarm', path: 'treat_missing_data', values: ['missing', 'ignore', 'breaching', 'notBreaching'], source: `${P}/cloudwatch/metric_alarm.go; values from the AWS API enum, file not re-read here` },
  { type: 'aws_kms_key', path: 'rotation_period_in_days', range: [90, 2560], source: `${P}/kms/key.go (IntBetween(90, 2560)); values from the AWS API enum, file not re-read here` },
  { type: 'aws_kms_key', path: 'deletion_window_in_days', range: [7, 30], source: `${P}/kms/key.go (IntBetween(7, 30)); values from the AWS API enum, file not re-read here` },
  { type: 'aws_vpc_endpoint', path: 'vpc_endpoint_type', values: ['Gateway', 'GatewayLoadBalancer', 'Interface', 'Resource', 'ServiceNetwork'], source: `${P}/ec2/vpc_endpoint.go (enum VpcEndpointType); values from the AWS API enum, file not re-read here` },
  { type: 'aws_ssm_document', path: 'document_type', values: ['Command', 'Session', 'Policy', 'Automation'], source: `${P}/ssm/document.go (enum DocumentType, the ones used); values from the AWS API enum, file not re-read here` },
  { type: 'aws_ssm_document', path: 'document_format', values: ['JSON', 'YAML', 'TEXT'], source: `${P}/ssm/document.go (enum DocumentFormat); values from the AWS API enum, file not re-read here` },
  { type: 'aws_cloudtrail', path: 'event_selector.read_write_type', values: ['All', 'ReadOnly', 'WriteOnly'], source: `${P}/cloudtrail/trail.go (enum ReadWriteType); values from the AWS API enum, file not re-read here` },
  { type: 'aws_eip', path: 'domain', values: ['vpc', 'standard'], source: `${P}/ec2/eip.go (enum DomainType); values from the AWS API enum, file not re-read here` },
  { type: 'aws_sns_topic_subscription', path: 'protocol', values: ['application', 'email', 'email-json', 'firehose', 'http', 'https', 'lambda', 'sms', 'sqs'], source: `${P}/sns/topic_subscription.go; values from the AWS API enum, file not re-read here` },
];

function maxStack(mode: EgressMode, compliance: ComplianceProfile): any {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'v');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  new AwsSandboxPlatform(stack, 'p', { spec: {
    name: 'vals', deployment: DeploymentModel.BYOC, compliance,
    network: { egress: { mode, ...(mode === EgressMode.FIREWALL ? { allowedDomains: ['pypi.org'] } : {}) } },
    sandboxPools: [
      { name: 'metal', instanceType: 'm7i.metal-24xl', warmNodes: 1, minNodes: 1, maxNodes: 3 },
      { name: 'nested', runtime: SandboxRuntime.KATA, virtualization: Virtualization.NESTED, instanceType: 'm8i.4xlarge', maxNodes: 3, spot: true },
    ],
    gpuPools: [{ name: 'l4', gpu: GpuModel.L4 }],
    controlPlane: { principal: '111122223333', externalId: 'ext-id-123456' },
    observability: { alertEmails: ['a@example.com'] },
  } });
  return JSON.parse(Testing.synth(stack));
}

const stacks: [string, any][] = [
  ...readdirSync(join(__dirname, '..', 'stacks', 'specs')).filter((f) => f.startsWith('aws-')).map((f): [string, any] =>
    [f, JSON.parse(Testing.synth(addSpecStack(Testing.app(), join(__dirname, '..', 'stacks', 'specs', f))))]),
  ...[EgressMode.NAT, EgressMode.FIREWALL, EgressMode.NONE].flatMap((m) => [ComplianceProfile.BASELINE, ComplianceProfile.HIPAA]
    .map((c): [string, any] => [`${m}/${c}`, maxStack(m, c)])),
];

function ok(a: Allowed, v: unknown): boolean {
  if (a.values) return a.values.includes(v as never);
  if (a.range) return typeof v === 'number' && Number.isInteger(v) && v >= a.range[0] && v <= a.range[1];
  return typeof v === 'string' && a.pattern!.test(v);
}

describe('AWS values the provider validates', () => {
  it.each(AWS_PROVIDER_VALUES.map((a) => [`${a.type}.${a.path}`, a] as const))('%s', (_label, a) => {
    let seen = 0;
    const bad: string[] = [];
    for (const [name, json] of stacks) {
      for (const [id, config] of Object.entries(json.resource[a.type] ?? {})) {
        for (const v of valuesAt(config, a.path)) {
          if (typeof v === 'string' && v.includes('${')) continue;
          seen++;
          if (!ok(a, v)) bad.push(`${name}: ${a.type}.${id} ${a.path} = ${JSON.stringify(v)} (${a.source})`);
        }
      }
    }
    expect(bad).toEqual([]);
    // Every row is exercised by some stack: a row nothing produces would prove nothing.
    expect(seen).toBeGreaterThan(0);
  });

  it('fails a value the provider would reject', () => {
    const gp3 = AWS_PROVIDER_VALUES.find((a) => a.path.endsWith('volume_type'))!;
    expect(ok(gp3, 'gp4')).toBe(false);
    const prio = AWS_PROVIDER_VALUES.find((a) => a.type === 'aws_route53_resolver_firewall_rule_group_association')!;
    expect(ok(prio, 100)).toBe(false);
    expect(ok(prio, 101)).toBe(true);
  });
});
