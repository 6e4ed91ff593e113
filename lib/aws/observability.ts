import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchLogMetricFilter } from '@cdktf/provider-aws/lib/cloudwatch-log-metric-filter';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Lazy } from 'cdktf';
import { Construct } from 'constructs';
import { BootstrapMarker } from '../host';
import { AwsAccountContext } from './context';
import { encryptedLogGroup } from './log-group';

/** CloudWatch namespace of the platform's own metrics. */
export const METRIC_NAMESPACE = 'SandboxPlatform';
export const KVM_MISSING_METRIC = 'KvmMissing';

/** What the observability construct needs to know about one pool. */
export interface ObservedPool {
  readonly name: string;
  readonly autoScalingGroupName: string;
  readonly maxNodes: number;
}

export interface AwsObservabilityProps {
  readonly name: string;
  readonly context: AwsAccountContext;
  readonly kmsKeyArn: string;
  readonly logRetentionDays: number;
  readonly alertEmails: readonly string[];
  readonly preventDestroy?: boolean;
}

/**
 * Logs, alerts and a dashboard: the bootstrap log group (CMK, profile retention), an encrypted
 * SNS topic with the alert e-mails, a metric filter that counts nodes without /dev/kvm, and per
 * pool alarms for "at max size" and "unhealthy instances". Pools register with addPool().
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
    new CloudwatchLogMetricFilter(this, 'kvm-missing-filter', {
      name: `${name}-kvm-missing`,
      logGroupName: this.bootstrapLogGroup.name,
      pattern: `"${BootstrapMarker.KVM_MISSING}"`,
      metricTransformation: { name: KVM_MISSING_METRIC, namespace: metricNamespace, value: '1', unit: 'Count' },
    });
    this.alarm('kvm-missing', {
      alarmName: `${name}-kvm-missing`,
      alarmDescription: `A ${name} node booted without /dev/kvm (not metal, or nested virtualization off); it was marked unhealthy. Check the instance type and the launch template's CPU options.`,
      namespace: metricNamespace, metricName: KVM_MISSING_METRIC, statistic: 'Sum', period: 300, evaluationPeriods: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold', threshold: 1,
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
    this.alarm(`${pool.name}-at-max`, {
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
        title: 'Nodes without /dev/kvm', region, stat: 'Sum', period: 300, view: 'timeSeries',
        metrics: [[`${METRIC_NAMESPACE}/${this.props.name}`, KVM_MISSING_METRIC]],
      },
    });
    return JSON.stringify({ widgets });
  }
}
