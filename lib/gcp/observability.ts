import { LoggingMetric } from '@cdktf/provider-google/lib/logging-metric';
import { LoggingProjectBucketConfig } from '@cdktf/provider-google/lib/logging-project-bucket-config';
import { LoggingProjectSink } from '@cdktf/provider-google/lib/logging-project-sink';
import { MonitoringAlertPolicy, MonitoringAlertPolicyConditionsConditionThreshold } from '@cdktf/provider-google/lib/monitoring-alert-policy';
import { MonitoringDashboard } from '@cdktf/provider-google/lib/monitoring-dashboard';
import { MonitoringNotificationChannel } from '@cdktf/provider-google/lib/monitoring-notification-channel';
import { ITerraformDependable, Lazy } from 'cdktf';
import { Construct } from 'constructs';
import { BOOTSTRAP_LOG_TAG, BootstrapMarker } from '../host';
import { GcpProjectContext } from './context';

/** What the observability construct needs to know about one pool. */
export interface GcpObservedPool {
  /** Pool name. */
  readonly name: string;
  /** The regional instance group's name (its instances are "<group>-xxxx"). */
  readonly instanceGroupName: string;
  readonly maxNodes: number;
}

export interface GcpObservabilityProps {
  readonly name: string;
  readonly context: GcpProjectContext;
  /** Retention of the platform log bucket (the profile's floor or more). */
  readonly logRetentionDays: number;
  /** Lock the bucket's retention (hipaa): irreversible, the retention can never be shortened. Default false. */
  readonly lockRetention?: boolean;
  /** CMEK for the log bucket (in the platform's region). Default: Google-managed encryption. */
  readonly kmsKeyId?: string;
  /** E-mail notification channels for every alert. Default none. */
  readonly alertEmails?: readonly string[];
  /** lifecycle.prevent_destroy on the log bucket. Default false. */
  readonly preventDestroy?: boolean;
  /** The node subnetwork's name, to route its flow and firewall logs. Default: not routed. */
  readonly subnetworkName?: string;
  /** The Cloud NAT gateway's name, to route its logs. Default: not routed. */
  readonly natName?: string;
  /** Create the log bucket after these (the logging service account's key grant). */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * Cloud Logging filter for bootstrap lines of this platform (or one pool) carrying `marker`. The
 * bootstrap writes "sandbox-bootstrap[<platform>/<pool>] <step>: ..." to the Ops Agent's file log
 * and to stderr (the startup-script runner's log), as plain text or as a JSON message field.
 */
export function gcpBootstrapLogFilter(platform: string, marker: BootstrapMarker | undefined, pool?: string): string {
  const who = `${BOOTSTRAP_LOG_TAG}[${platform}/${pool !== undefined ? `${pool}]` : ''}`;
  const field = (f: string) => marker ? `(${f}:"${marker}" AND ${f}:"${who}")` : `${f}:"${who}"`;
  return `resource.type="gce_instance" AND (${field('textPayload')} OR ${field('jsonPayload.message')})`;
}

/**
 * Logs, alerts and a dashboard:
 * - a regional log bucket with the profile's retention (locked under hipaa, CMEK when a key is
 *   given) and a sink that routes the platform's logs into it: bootstrap lines, the nodes' own logs,
 *   the subnet's flow and firewall logs and the NAT's logs (a sink into a log bucket of the same
 *   project needs no grant: cloud.google.com/logging/docs/export/configure_export_v2#dest-auth);
 * - log-based metrics counting nodes without /dev/kvm and failed bootstraps per pool;
 * - e-mail notification channels; alert policies per pool (at its maximum for 15 minutes; failed
 *   bootstraps, whose nodes power off and are recreated) and for missing KVM; one dashboard.
 * Pools register with addPool().
 */
export class GcpObservability extends Construct {
  public readonly logBucket: LoggingProjectBucketConfig;
  /** The log bucket as a sink destination (logging.googleapis.com/projects/P/locations/R/buckets/B). */
  public readonly logBucketDestination: string;
  public readonly sink: LoggingProjectSink;
  public readonly kvmMissingMetric: LoggingMetric;
  public readonly notificationChannels: MonitoringNotificationChannel[];
  public readonly alertPolicies: MonitoringAlertPolicy[] = [];
  public readonly dashboard: MonitoringDashboard;
  private readonly pools: GcpObservedPool[] = [];

  constructor(scope: Construct, id: string, private readonly props: GcpObservabilityProps) {
    super(scope, id);
    const { name, context: ctx } = props;
    const project = ctx.project;
    const bucketId = `${name}-platform`;
    this.logBucket = new LoggingProjectBucketConfig(this, 'log-bucket', {
      project,
      location: ctx.region,
      bucketId,
      description: `Logs of sandbox platform ${name}`,
      retentionDays: props.logRetentionDays,
      locked: props.lockRetention ? true : undefined,
      cmekSettings: props.kmsKeyId ? { kmsKeyName: props.kmsKeyId } : undefined,
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
      dependsOn: props.dependsOn,
    });
    this.logBucketDestination = `logging.googleapis.com/projects/${project}/locations/${ctx.region}/buckets/${bucketId}`;
    const routed = [
      `(${gcpBootstrapLogFilter(name, undefined)})`,
      `(resource.type="gce_instance" AND labels."compute.googleapis.com/resource_name"=~"^${name}-")`,
      ...(props.subnetworkName ? [`(resource.type="gce_subnetwork" AND resource.labels.subnetwork_name="${props.subnetworkName}")`] : []),
      ...(props.natName ? [`(resource.type="nat_gateway" AND resource.labels.gateway_name="${props.natName}")`] : []),
    ];
    this.sink = new LoggingProjectSink(this, 'sink', {
      project,
      name: `${name}-platform`,
      description: `Routes the logs of sandbox platform ${name} into its log bucket`,
      destination: this.logBucketDestination,
      filter: routed.join(' OR '),
      uniqueWriterIdentity: true,
      dependsOn: [this.logBucket],
    });

    this.notificationChannels = (props.alertEmails ?? []).map((email, i) => new MonitoringNotificationChannel(this, `email-${i}`, {
      project, type: 'email', displayName: `${name} alerts: ${email}`, labels: { email_address: email },
    }));

    this.kvmMissingMetric = this.logMetric('kvm-missing', `${name}-kvm-missing`, `${name} nodes without /dev/kvm`,
      gcpBootstrapLogFilter(name, BootstrapMarker.KVM_MISSING));
    this.alert('kvm-missing', `${name}: node without /dev/kvm`, 'CRITICAL', this.logMetricCondition(this.kvmMissingMetric),
      `A ${name} node booted without /dev/kvm: nested virtualization is off (template or the organization policy ` +
      'constraints/compute.disableNestedVirtualization), or the machine type cannot nest. The node powered itself off and ' +
      'the managed instance group recreates it. Check the instance template and the project\'s organization policies.', [this.kvmMissingMetric]);

    this.dashboard = new MonitoringDashboard(this, 'dashboard', {
      project,
      // Rendered at synth, after every pool has been added.
      dashboardJson: Lazy.stringValue({ produce: () => this.dashboardJson() }),
    });
  }

  /** Adds the pool's log metric, alert policies and dashboard widgets. */
  public addPool(pool: GcpObservedPool): void {
    this.pools.push(pool);
    const { name } = this.props;
    this.alert(`${pool.name}-at-max`, `${name}: pool ${pool.name} at its maximum`, 'WARNING', {
      filter: `resource.type="instance_group" AND metric.type="compute.googleapis.com/instance_group/size" ` +
        `AND resource.labels.instance_group_name="${pool.instanceGroupName}"`,
      aggregations: [{ alignmentPeriod: '300s', perSeriesAligner: 'ALIGN_MAX', crossSeriesReducer: 'REDUCE_SUM' }],
      comparison: 'COMPARISON_GT',
      // Sizes are whole numbers: "> max - 0.5" is "at max".
      thresholdValue: pool.maxNodes - 0.5,
      duration: '900s',
      trigger: { count: 1 },
    }, `Pool ${pool.name} has run at its maximum of ${pool.maxNodes} nodes for 15 minutes: sandboxes may be queuing. Raise maxNodes or capacity.`);
    const failed = this.logMetric(`${pool.name}-bootstrap-failed`, `${name}-${pool.name}-bootstrap-failed`,
      `${name} ${pool.name} failed bootstraps`, gcpBootstrapLogFilter(name, BootstrapMarker.BOOTSTRAP_FAILED, pool.name));
    this.alert(`${pool.name}-unhealthy`, `${name}: unhealthy instances in pool ${pool.name}`, 'ERROR', this.logMetricCondition(failed),
      `A node of pool ${pool.name} failed its bootstrap (see the bootstrap log in the ${name}-platform log bucket), powered itself off ` +
      'and is being recreated by the managed instance group.', [failed]);
  }

  private logMetric(id: string, metricName: string, displayName: string, filter: string): LoggingMetric {
    return new LoggingMetric(this, `metric-${id}`, {
      project: this.props.context.project,
      name: metricName,
      description: displayName,
      filter,
      metricDescriptor: { metricKind: 'DELTA', valueType: 'INT64', unit: '1', displayName },
    });
  }

  private logMetricCondition(metric: LoggingMetric): MonitoringAlertPolicyConditionsConditionThreshold {
    return {
      filter: `resource.type="gce_instance" AND metric.type="logging.googleapis.com/user/${metric.name}"`,
      aggregations: [{ alignmentPeriod: '300s', perSeriesAligner: 'ALIGN_SUM', crossSeriesReducer: 'REDUCE_SUM' }],
      comparison: 'COMPARISON_GT',
      thresholdValue: 0,
      duration: '0s',
      trigger: { count: 1 },
      // No failures logged is not a problem.
      evaluationMissingData: 'EVALUATION_MISSING_DATA_INACTIVE',
    };
  }

  private alert(id: string, displayName: string, severity: string, condition: MonitoringAlertPolicyConditionsConditionThreshold,
    documentation: string, dependsOn?: ITerraformDependable[]): void {
    this.alertPolicies.push(new MonitoringAlertPolicy(this, `alert-${id}`, {
      project: this.props.context.project,
      displayName,
      combiner: 'OR',
      severity,
      conditions: [{ displayName, conditionThreshold: condition }],
      notificationChannels: this.notificationChannels.map((c) => c.name),
      documentation: { content: documentation, mimeType: 'text/markdown' },
      alertStrategy: { autoClose: '1800s' },
      dependsOn,
    }));
  }

  private dashboardJson(): string {
    const { name } = this.props;
    const chart = (title: string, filter: string, aligner: string, reducer?: string) => ({
      title,
      xyChart: {
        dataSets: [{
          plotType: 'LINE',
          timeSeriesQuery: {
            timeSeriesFilter: { filter, aggregation: { alignmentPeriod: '60s', perSeriesAligner: aligner, ...(reducer ? { crossSeriesReducer: reducer } : {}) } },
          },
        }],
      },
    });
    const widgets: object[] = [];
    for (const pool of this.pools) {
      widgets.push(
        chart(`${pool.name}: nodes (max ${pool.maxNodes})`, `resource.type="instance_group" AND metric.type="compute.googleapis.com/instance_group/size" ` +
          `AND resource.labels.instance_group_name="${pool.instanceGroupName}"`, 'ALIGN_MAX', 'REDUCE_SUM'),
        chart(`${pool.name}: CPU utilization`, 'resource.type="gce_instance" AND metric.type="compute.googleapis.com/instance/cpu/utilization" ' +
          `AND metadata.system_labels.name=monitoring.regex.full_match("${pool.instanceGroupName}-[a-z0-9]{4}")`, 'ALIGN_MEAN'),
      );
    }
    widgets.push(chart('Nodes without /dev/kvm', `resource.type="gce_instance" AND metric.type="logging.googleapis.com/user/${name}-kvm-missing"`,
      'ALIGN_SUM', 'REDUCE_SUM'));
    return JSON.stringify({ displayName: `${name} sandbox platform`, gridLayout: { columns: '2', widgets } });
  }
}
