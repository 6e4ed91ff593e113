import { LoggingLogView } from '@cdktf/provider-google/lib/logging-log-view';
import { LoggingMetric } from '@cdktf/provider-google/lib/logging-metric';
import { LoggingProjectBucketConfig } from '@cdktf/provider-google/lib/logging-project-bucket-config';
import { LoggingProjectSink } from '@cdktf/provider-google/lib/logging-project-sink';
import { MonitoringAlertPolicy, MonitoringAlertPolicyConditionsConditionThreshold } from '@cdktf/provider-google/lib/monitoring-alert-policy';
import { MonitoringDashboard } from '@cdktf/provider-google/lib/monitoring-dashboard';
import { MonitoringNotificationChannel } from '@cdktf/provider-google/lib/monitoring-notification-channel';
import { ITerraformDependable, Lazy } from 'cdktf';
import { Construct } from 'constructs';
import { BOOTSTRAP_LOG_TAG, BootstrapMarker } from '../host';
import { GCP_AUDIT_LOG_FILTER } from './audit';
import { GcpProjectContext } from './context';

/** What the observability construct needs to know about one pool. */
export interface GcpObservedPool {
  /** Pool name. */
  readonly name: string;
  /** The regional instance group's name (its instances are "<group>-xxxx"). */
  readonly instanceGroupName: string;
  readonly minNodes: number;
  readonly maxNodes: number;
  /** The pool's nodes must have /dev/kvm (the KVM-missing alert). */
  readonly kvmRequired: boolean;
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
  readonly alertEmails?: string[];
  /** lifecycle.prevent_destroy on the log bucket. Default false. */
  readonly preventDestroy?: boolean;
  /** The node subnetwork's name, to route its flow and firewall logs. Default: not routed. */
  readonly subnetworkName?: string;
  /** The Cloud NAT gateway's name, to route its logs. Default: not routed. */
  readonly natName?: string;
  /**
   * Kubernetes mode: the GKE cluster's name, to route its control-plane, node, pod and container logs
   * (resource types k8s_cluster, k8s_control_plane_component, k8s_node, k8s_pod, k8s_container;
   * cloud.google.com/kubernetes-engine/docs/how-to/view-logs) into the platform bucket with the
   * profile's retention. Default: not routed.
   */
  readonly kubernetesClusterName?: string;
  /** Create the log bucket after these (the logging service account's key grant). */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * Log name (log_id) under which the guest environment's startup-script runner writes every line
 * the startup script prints: the runner logs as its program name, google_metadata_script_runner,
 * with message "startup-script: <line>" (GoogleCloudPlatform/guest-agent,
 * google_metadata_script_runner/main.go: LogOpts{LoggerName: programName}, runCmd). The host
 * bootstrap prints each of its lines there (stderr), and also to its log file (shipped by the Ops
 * Agent) and the journal (which the Ops Agent's default syslog receiver ships again): counting
 * markers in this one stream counts each bootstrap line once.
 */
export const GCP_STARTUP_SCRIPT_LOG_ID = 'google_metadata_script_runner';

/**
 * Cloud Logging filter for bootstrap lines of this platform (or one pool). Without a marker: every
 * bootstrap line from every stream (what the platform sink routes). With a marker: only the line
 * "ERROR <marker>: ..." that the bootstrap's sandbox_fail writes once per failure, and only from the
 * startup-script runner's stream, so one failure matches one entry. (sandbox_fail with a specific
 * marker also writes "ERROR SANDBOX_BOOTSTRAP_FAILED: <marker>"; that second line does not contain
 * "ERROR <specific marker>", and it is the one line that counts as the failed run.)
 */
export function gcpBootstrapLogFilter(platform: string, marker: BootstrapMarker | undefined, pool?: string): string {
  const who = `${BOOTSTRAP_LOG_TAG}[${platform}/${pool !== undefined ? `${pool}]` : ''}`;
  if (!marker) return `resource.type="gce_instance" AND (textPayload:"${who}" OR jsonPayload.message:"${who}")`;
  const field = (f: string) => `(${f}:"ERROR ${marker}:" AND ${f}:"${who}")`;
  return `resource.type="gce_instance" AND log_id("${GCP_STARTUP_SCRIPT_LOG_ID}") AND (${field('textPayload')} OR ${field('jsonPayload.message')})`;
}

/** Cloud Logging filter of a GKE cluster's logs (every Kubernetes resource type carries resource.labels.cluster_name). */
export function gkeLogFilter(clusterName: string): string {
  return `(resource.type=("k8s_cluster" OR "k8s_control_plane_component" OR "k8s_node" OR "k8s_pod" OR "k8s_container") ` +
    `AND resource.labels.cluster_name="${clusterName}")`;
}

/**
 * How often a log-match alert may notify: one notification per hour per policy while failures keep
 * matching (a pool whose nodes fail their bootstrap is recreated over and over). The API requires
 * alert_strategy.notification_rate_limit on alert policies with a log-match condition
 * (AlertStrategy.notificationRateLimit: "Required for alert policies with a LogMatch condition",
 * cloud.google.com/monitoring/api/ref_v3/rest/v3/projects.alertPolicies).
 */
export const GCP_LOG_ALERT_RATE_LIMIT = '3600s';

/**
 * Logs, alerts and a dashboard:
 * - a regional log bucket with the profile's retention (locked under hipaa, CMEK when a key is
 *   given) and a sink that routes the platform's logs into it: bootstrap lines, the nodes' own logs,
 *   the subnet's flow and firewall logs and the NAT's logs, never audit logs (they go to the audit
 *   bucket; a sink into a log bucket of the same project needs no grant:
 *   cloud.google.com/logging/docs/export/configure_export_v2#dest-auth);
 * - a log view over that bucket, the only logs the vendor's control plane may read (GcpControlPlaneAccess);
 * - log-based metrics (dashboard only) counting nodes without /dev/kvm and failed bootstraps per pool;
 * - e-mail notification channels; log-match alert policies (condition_matched_log) for missing
 *   KVM and for failed bootstraps per pool: they need no metric descriptor, so they can be created
 *   in the same apply as everything else (an alert on a log-based metric created in the same apply
 *   fails with "Cannot find metric(s)": hashicorp/terraform-provider-google#11102); a threshold
 *   alert per pool at its maximum for 15 minutes (none when min = max: such a pool is always at
 *   its maximum); one dashboard.
 * Pools register with addPool().
 */
export class GcpObservability extends Construct {
  public readonly logBucket: LoggingProjectBucketConfig;
  /** The log bucket as a sink destination (logging.googleapis.com/projects/P/locations/R/buckets/B). */
  public readonly logBucketDestination: string;
  /** The view the vendor's control plane reads ("<name>-platform" over the platform bucket). */
  public readonly vendorView: LoggingLogView;
  /** Resource name of the view, for IAM conditions: projects/P/locations/R/buckets/B/views/V. */
  public readonly vendorViewName: string;
  public readonly sink: LoggingProjectSink;
  /** Log-based metric of nodes without /dev/kvm (dashboard); created with the first KVM pool. */
  public kvmMissingMetric?: LoggingMetric;
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
      description: `Logs of sandbox platform ${name} (no audit logs)`,
      retentionDays: props.logRetentionDays,
      locked: props.lockRetention ? true : undefined,
      cmekSettings: props.kmsKeyId ? { kmsKeyName: props.kmsKeyId } : undefined,
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
      dependsOn: props.dependsOn,
    });
    this.logBucketDestination = `logging.googleapis.com/projects/${project}/locations/${ctx.region}/buckets/${bucketId}`;
    const viewId = `${name}-vendor`;
    // A view without a filter shows the whole bucket, which holds only what the sink below routes.
    this.vendorView = new LoggingLogView(this, 'vendor-view', {
      parent: `projects/${project}`,
      location: ctx.region,
      bucket: this.logBucket.id,
      name: viewId,
      description: `Logs of sandbox platform ${name} that the vendor's control plane may read`,
    });
    this.vendorViewName = `projects/${project}/locations/${ctx.region}/buckets/${bucketId}/views/${viewId}`;
    const routed = [
      `(${gcpBootstrapLogFilter(name, undefined)})`,
      `(resource.type="gce_instance" AND labels."compute.googleapis.com/resource_name"=~"^${name}-")`,
      ...(props.subnetworkName ? [`(resource.type="gce_subnetwork" AND resource.labels.subnetwork_name="${props.subnetworkName}")`] : []),
      ...(props.natName ? [`(resource.type="nat_gateway" AND resource.labels.gateway_name="${props.natName}")`] : []),
      ...(props.kubernetesClusterName ? [gkeLogFilter(props.kubernetesClusterName)] : []),
    ];
    this.sink = new LoggingProjectSink(this, 'sink', {
      project,
      name: `${name}-platform`,
      description: `Routes the logs of sandbox platform ${name} (never audit logs) into its log bucket`,
      destination: this.logBucketDestination,
      filter: `(${routed.join(' OR ')}) AND NOT ${GCP_AUDIT_LOG_FILTER}`,
      uniqueWriterIdentity: true,
      dependsOn: [this.logBucket],
    });

    this.notificationChannels = (props.alertEmails ?? []).map((email, i) => new MonitoringNotificationChannel(this, `email-${i}`, {
      project, type: 'email', displayName: `${name} alerts: ${email}`, labels: { email_address: email },
    }));

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
    if (pool.kvmRequired && !this.kvmMissingMetric) {
      const filter = gcpBootstrapLogFilter(name, BootstrapMarker.KVM_MISSING);
      this.kvmMissingMetric = this.logMetric('kvm-missing', `${name}-kvm-missing`, `${name} nodes without /dev/kvm`, filter);
      this.logAlert('kvm-missing', `${name}: node without /dev/kvm`, 'CRITICAL', filter,
        `A ${name} node booted without /dev/kvm: nested virtualization is off (template or the organization policy ` +
        'constraints/compute.disableNestedVirtualization), or the machine type cannot nest. The node powered itself off and ' +
        'the managed instance group recreates it. Check the instance template and the project\'s organization policies.');
    }
    if (pool.minNodes < pool.maxNodes) {
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
    }
    const failed = gcpBootstrapLogFilter(name, BootstrapMarker.BOOTSTRAP_FAILED, pool.name);
    this.logMetric(`${pool.name}-bootstrap-failed`, `${name}-${pool.name}-bootstrap-failed`, `${name} ${pool.name} failed bootstraps`, failed);
    this.logAlert(`${pool.name}-unhealthy`, `${name}: failed bootstrap in pool ${pool.name}`, 'ERROR', failed,
      `A node of pool ${pool.name} failed its bootstrap (any step: KVM, GPU driver, packages, nftables guard, disks, user commands; ` +
      `see the bootstrap log in the ${name}-platform log bucket), powered itself off and is being recreated by the managed instance group.`);
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

  /** A log-match alert: one incident per matching entry, at most one notification per GCP_LOG_ALERT_RATE_LIMIT. */
  private logAlert(id: string, displayName: string, severity: string, filter: string, documentation: string): void {
    this.alertPolicies.push(new MonitoringAlertPolicy(this, `alert-${id}`, {
      project: this.props.context.project,
      displayName,
      combiner: 'OR',
      severity,
      conditions: [{ displayName, conditionMatchedLog: { filter } }],
      notificationChannels: this.notificationChannels.map((c) => c.name),
      documentation: { content: documentation, mimeType: 'text/markdown' },
      alertStrategy: { autoClose: '1800s', notificationRateLimit: { period: GCP_LOG_ALERT_RATE_LIMIT } },
    }));
  }

  private alert(id: string, displayName: string, severity: string, condition: MonitoringAlertPolicyConditionsConditionThreshold,
    documentation: string): void {
    this.alertPolicies.push(new MonitoringAlertPolicy(this, `alert-${id}`, {
      project: this.props.context.project,
      displayName,
      combiner: 'OR',
      severity,
      conditions: [{ displayName, conditionThreshold: condition }],
      notificationChannels: this.notificationChannels.map((c) => c.name),
      documentation: { content: documentation, mimeType: 'text/markdown' },
      alertStrategy: { autoClose: '1800s' },
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
    if (this.kvmMissingMetric) {
      widgets.push(chart('Nodes without /dev/kvm', `resource.type="gce_instance" AND metric.type="logging.googleapis.com/user/${name}-kvm-missing"`,
        'ALIGN_SUM', 'REDUCE_SUM'));
    }
    return JSON.stringify({ displayName: `${name} sandbox platform`, gridLayout: { columns: '2', widgets } });
  }
}
