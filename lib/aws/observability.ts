import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchLogMetricFilter } from '@cdktf/provider-aws/lib/cloudwatch-log-metric-filter';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Lazy } from 'cdktf';
import { Construct } from 'constructs';
import { BootstrapMarker } from '../host';
import { AwsAccountContext } from './context';
import { encryptedLogGroup } from './log-group';
import { policyDocument } from './policy';

/** CloudWatch namespace of the platform's own metrics. */
export const METRIC_NAMESPACE = 'SandboxPlatform';
export const KVM_MISSING_METRIC = 'KvmMissing';
export const BOOTSTRAP_FAILED_METRIC = 'BootstrapFailed';
export const GPU_DRIVER_MISSING_METRIC = 'GpuDriverMissing';

/**
 * The metric filter pattern that counts one marker once per failure. sandbox_fail logs
 * "ERROR <marker>: <reason>" and, for a specific marker, also "ERROR SANDBOX_BOOTSTRAP_FAILED: <marker>";
 * a bare "<marker>" term would match both lines of a KVM failure. The quoted phrase, colon
 * included, matches only the marker's own line (CloudWatch Logs filter syntax: a quoted term
 * matches that exact phrase; docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html).
 */
export function bootstrapMarkerPattern(marker: BootstrapMarker): string {
  return `"ERROR ${marker}:"`;
}

/** EventBridge detail-type of a failed Auto Scaling launch (docs.aws.amazon.com/autoscaling/ec2/userguide/automating-ec2-auto-scaling-with-eventbridge.html). */
export const LAUNCH_UNSUCCESSFUL_DETAIL_TYPE = 'EC2 Instance Launch Unsuccessful';

/** What the observability construct needs to know about one pool. */
export interface ObservedPool {
  readonly name: string;
  readonly autoScalingGroupName: string;
  readonly maxNodes: number;
  /** The pool's minimum: with min == max the group always runs at max, so no at-max alarm. Default 0. */
  readonly minNodes?: number;
}

export interface AwsObservabilityProps {
  readonly name: string;
  readonly context: AwsAccountContext;
  readonly kmsKeyArn: string;
  readonly logRetentionDays: number;
  readonly alertEmails: string[];
  readonly preventDestroy?: boolean;
}

/**
 * Logs, alerts and a dashboard: the bootstrap log group (CMK, profile retention), an encrypted
 * SNS topic with the alert e-mails, metric filters and alarms for failed bootstraps (any cause,
 * missing /dev/kvm, missing GPU driver; each failure counted once), an EventBridge rule that
 * forwards failed launches of the platform's groups, and per pool alarms for "at max size"
 * (unless min == max) and "unhealthy instances". Pools register with addPool().
 */
export class AwsObservability extends Construct {
  public readonly bootstrapLogGroup: CloudwatchLogGroup;
  /** The bootstrap log group's name as a plain string (safe to render into user data). */
  public readonly bootstrapLogGroupName: string;
  public readonly alertTopic: SnsTopic;
  public readonly dashboard: CloudwatchDashboard;
  private readonly pools: ObservedPool[] = [];

  constructor(scope: Construct, id: string, private readonly props: AwsObservabilityProps) {
    super(scope, id);
    const { name } = props;
    this.bootstrapLogGroupName = `/sandbox/${name}/bootstrap`;
    this.bootstrapLogGroup = encryptedLogGroup(this, 'bootstrap-logs', {
      name: this.bootstrapLogGroupName, retentionDays: props.logRetentionDays, kmsKeyArn: props.kmsKeyArn, preventDestroy: props.preventDestroy,
    });
    this.alertTopic = new SnsTopic(this, 'alerts', { name: `${name}-alerts`, kmsMasterKeyId: props.kmsKeyArn });
    props.alertEmails.forEach((email, i) => {
      new SnsTopicSubscription(this, `alert-email-${i}`, { topicArn: this.alertTopic.arn, protocol: 'email', endpoint: email });
    });

    const metricNamespace = `${METRIC_NAMESPACE}/${name}`;
    const markers: [string, BootstrapMarker, string, string][] = [
      ['bootstrap-failed', BootstrapMarker.BOOTSTRAP_FAILED, BOOTSTRAP_FAILED_METRIC,
        `A ${name} node failed its bootstrap and was abandoned or replaced (the log line names the step; see ${this.bootstrapLogGroupName}).`],
      ['kvm-missing', BootstrapMarker.KVM_MISSING, KVM_MISSING_METRIC,
        `A ${name} node booted without /dev/kvm (not metal, or nested virtualization off); it was marked unhealthy. Check the instance type and the launch template's CPU options.`],
      ['gpu-driver-missing', BootstrapMarker.GPU_DRIVER_MISSING, GPU_DRIVER_MISSING_METRIC,
        `A ${name} GPU node has no working NVIDIA driver (nvidia-smi missing or failing); it was replaced. Check the pool's image.`],
    ];
    for (const [id2, marker, metric, description] of markers) {
      new CloudwatchLogMetricFilter(this, `${id2}-filter`, {
        name: `${name}-${id2}`,
        logGroupName: this.bootstrapLogGroup.name,
        pattern: bootstrapMarkerPattern(marker),
        metricTransformation: { name: metric, namespace: metricNamespace, value: '1', unit: 'Count' },
      });
      this.alarm(id2, {
        alarmName: `${name}-${id2}`,
        alarmDescription: description,
        namespace: metricNamespace, metricName: metric, statistic: 'Sum', period: 300, evaluationPeriods: 1,
        comparisonOperator: 'GreaterThanOrEqualToThreshold', threshold: 1,
      });
    }

    // Launches that never reach the bootstrap (capacity, quota, a key the Auto Scaling role cannot
    // use) leave no log line: Auto Scaling reports them to EventBridge.
    const launchRule = new CloudwatchEventRule(this, 'launch-unsuccessful', {
      name: `${name}-launch-unsuccessful`,
      description: `Failed instance launches of the ${name} sandbox pools`,
      eventPattern: Lazy.stringValue({
        produce: () => JSON.stringify({
          source: ['aws.autoscaling'],
          'detail-type': [LAUNCH_UNSUCCESSFUL_DETAIL_TYPE],
          detail: { AutoScalingGroupName: this.pools.map((p) => p.autoScalingGroupName) },
        }),
      }),
    });
    new CloudwatchEventTarget(this, 'launch-unsuccessful-target', { rule: launchRule.name, arn: this.alertTopic.arn, targetId: 'alerts' });
    // The topic's policy: this account, CloudWatch alarms of this account, and the one EventBridge
    // rule (docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions).
    // The topic's key lets both services use it (AwsPlatformKey).
    new SnsTopicPolicy(this, 'alerts-policy', {
      arn: this.alertTopic.arn,
      policy: policyDocument([
        {
          Sid: 'AccountOwner', Effect: 'Allow', Principal: { AWS: `arn:${props.context.partition}:iam::${props.context.accountId}:root` },
          Action: ['sns:Publish', 'sns:Subscribe', 'sns:GetTopicAttributes', 'sns:SetTopicAttributes', 'sns:ListSubscriptionsByTopic'],
          Resource: this.alertTopic.arn,
        },
        {
          Sid: 'CloudWatchAlarms', Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish',
          Resource: this.alertTopic.arn, Condition: { StringEquals: { 'aws:SourceAccount': props.context.accountId } },
        },
        {
          Sid: 'LaunchUnsuccessfulEvents', Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sns:Publish',
          Resource: this.alertTopic.arn, Condition: { ArnEquals: { 'aws:SourceArn': launchRule.arn } },
        },
      ]),
    });

    this.dashboard = new CloudwatchDashboard(this, 'dashboard', {
      dashboardName: `${name}-sandbox-platform`,
      // Rendered at synth, after every pool has been added.
      dashboardBody: Lazy.stringValue({ produce: () => this.dashboardBody() }),
    });
  }

  /** Adds the pool's alarms and dashboard widgets. */
  public addPool(pool: ObservedPool): void {
    this.pools.push(pool);
    const dims = { AutoScalingGroupName: pool.autoScalingGroupName };
    // A pool whose minimum is its maximum runs at max by design: that alarm would never clear.
    if ((pool.minNodes ?? 0) < pool.maxNodes) this.alarm(`${pool.name}-at-max`, {
      alarmName: `${this.props.name}-${pool.name}-at-max-size`,
      alarmDescription: `Pool ${pool.name} has run at its maximum of ${pool.maxNodes} nodes for 15 minutes: sandboxes may be queuing. Raise maxNodes or capacity.`,
      namespace: 'AWS/AutoScaling', metricName: 'GroupInServiceInstances', dimensions: dims, statistic: 'Maximum', period: 300,
      evaluationPeriods: 3, comparisonOperator: 'GreaterThanOrEqualToThreshold', threshold: pool.maxNodes,
    });
    this.alarm(`${pool.name}-unhealthy`, {
      alarmName: `${this.props.name}-${pool.name}-unhealthy-instances`,
      alarmDescription: `An instance of pool ${pool.name} fails EC2 status checks.`,
      namespace: 'AWS/EC2', metricName: 'StatusCheckFailed', dimensions: dims, statistic: 'Maximum', period: 60,
      evaluationPeriods: 5, datapointsToAlarm: 3, comparisonOperator: 'GreaterThanThreshold', threshold: 0,
    });
  }

  private alarm(id: string, cfg: Omit<ConstructorParameters<typeof CloudwatchMetricAlarm>[2], 'alarmActions' | 'okActions' | 'treatMissingData'>): void {
    new CloudwatchMetricAlarm(this, `alarm-${id}`, {
      ...cfg, treatMissingData: 'notBreaching', alarmActions: [this.alertTopic.arn], okActions: [this.alertTopic.arn],
    });
  }

  private dashboardBody(): string {
    const region = this.props.context.region;
    const widgets: object[] = [];
    let y = 0;
    for (const pool of this.pools) {
      widgets.push({
        type: 'metric', x: 0, y, width: 12, height: 6,
        properties: {
          title: `${pool.name}: nodes`, region, stat: 'Maximum', period: 60, view: 'timeSeries',
          metrics: ['GroupDesiredCapacity', 'GroupInServiceInstances', 'GroupPendingInstances', 'GroupMaxSize']
            .map((m) => ['AWS/AutoScaling', m, 'AutoScalingGroupName', pool.autoScalingGroupName]),
        },
      }, {
        type: 'metric', x: 12, y, width: 12, height: 6,
        properties: {
          title: `${pool.name}: CPU and status checks`, region, stat: 'Average', period: 60, view: 'timeSeries',
          metrics: [
            ['AWS/EC2', 'CPUUtilization', 'AutoScalingGroupName', pool.autoScalingGroupName],
            ['AWS/EC2', 'StatusCheckFailed', 'AutoScalingGroupName', pool.autoScalingGroupName, { stat: 'Maximum', yAxis: 'right' }],
          ],
        },
      });
      y += 6;
    }
    widgets.push({
      type: 'metric', x: 0, y, width: 12, height: 6,
      properties: {
        title: 'Failed bootstraps', region, stat: 'Sum', period: 300, view: 'timeSeries',
        metrics: [BOOTSTRAP_FAILED_METRIC, KVM_MISSING_METRIC, GPU_DRIVER_MISSING_METRIC].map((m) => [`${METRIC_NAMESPACE}/${this.props.name}`, m]),
      },
    });
    return JSON.stringify({ widgets });
  }
}
