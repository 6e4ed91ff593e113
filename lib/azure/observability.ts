import { ApplicationInsightsWorkbook } from '@cdktf/provider-azurerm/lib/application-insights-workbook';
import { LogAnalyticsWorkspace } from '@cdktf/provider-azurerm/lib/log-analytics-workspace';
import { LogAnalyticsWorkspaceTable } from '@cdktf/provider-azurerm/lib/log-analytics-workspace-table';
import { MonitorActionGroup } from '@cdktf/provider-azurerm/lib/monitor-action-group';
import { MonitorDataCollectionRule } from '@cdktf/provider-azurerm/lib/monitor-data-collection-rule';
import { MonitorDataCollectionRuleAssociation } from '@cdktf/provider-azurerm/lib/monitor-data-collection-rule-association';
import { MonitorMetricAlert } from '@cdktf/provider-azurerm/lib/monitor-metric-alert';
import { MonitorScheduledQueryRulesAlertV2 } from '@cdktf/provider-azurerm/lib/monitor-scheduled-query-rules-alert-v2';
import { Fn, Lazy } from 'cdktf';
import { Construct } from 'constructs';
import { BOOTSTRAP_LOG_TAG, BootstrapMarker } from '../host';
import { WORKSPACE_MAX_RETENTION_DAYS, tableTotalRetentionDays, workspaceRetentionDays } from './retention';
import { stableUuid } from './util';

export { TABLE_TOTAL_RETENTION_YEAR_VALUES, WORKSPACE_MAX_RETENTION_DAYS, WORKSPACE_MIN_RETENTION_DAYS, tableTotalRetentionDays, workspaceRetentionDays } from './retention';

/**
 * Tables of the platform workspace kept for the full floor when it exceeds the interactive
 * maximum: the host bootstrap log (Syslog). The customer's audit data (activity log, Key Vault,
 * firewall, traffic analytics, blob access, SSH/sudo) goes to the audit workspace (AzureAuditLogs),
 * which the vendor's role cannot query.
 */
export const LONG_RETENTION_TABLES = ['Syslog'];

/** Syslog facilities of the platform workspace: the bootstrap's journal lines (user) and daemon/kernel messages. */
export const PLATFORM_SYSLOG_FACILITIES = ['user', 'daemon', 'kern'];

/** What the observability construct needs to know about one scale set. */
export interface AzureObservedScaleSet {
  /** Pool name. */
  readonly pool: string;
  /** Zone of the scale set ("1".."3"). */
  readonly zone: string;
  readonly scaleSetId: string;
  readonly autoscaleSettingId: string;
  /** The autoscale maximum of this scale set (the at-max alert's threshold). */
  readonly maxNodes: number;
  /** The autoscale minimum. Default 0. A scale set whose minimum is its maximum gets no at-max alert (it is always there). */
  readonly minNodes?: number;
}

export interface AzureObservabilityProps {
  readonly name: string;
  readonly resourceGroupName: string;
  readonly location: string;
  /** The profile's log retention floor (or more), in days. */
  readonly logRetentionDays: number;
  readonly alertEmails: string[];
  /** prevent_destroy on the workspace. Default false. */
  readonly preventDestroy?: boolean;
}

/**
 * Logs, alerts and a workbook: a Log Analytics workspace (local authentication off, interactive
 * retention up to 730 days, and total retention for the audit tables up to the floor), a data
 * collection rule that ships the host bootstrap's journal lines (syslog facility user, tag
 * sandbox-bootstrap) to it through the Azure Monitor Agent, an action group with the alert
 * e-mails, log alerts for nodes without /dev/kvm and failed bootstraps, per scale set metric
 * alerts for "at max capacity" and "unavailable instances", and a workbook. Scale sets register
 * with addScaleSet().
 */
export class AzureObservability extends Construct {
  public readonly workspace: LogAnalyticsWorkspace;
  /** Resource id of the workspace. */
  public readonly workspaceId: string;
  public readonly actionGroup: MonitorActionGroup;
  public readonly dataCollectionRule: MonitorDataCollectionRule;
  public readonly workbook: ApplicationInsightsWorkbook;
  private readonly scaleSets: AzureObservedScaleSet[] = [];

  constructor(scope: Construct, id: string, private readonly props: AzureObservabilityProps) {
    super(scope, id);
    const { name } = props;
    const base = { resourceGroupName: props.resourceGroupName, location: props.location };
    const total = tableTotalRetentionDays(props.logRetentionDays);
    this.workspace = new LogAnalyticsWorkspace(this, 'workspace', {
      ...base,
      name: `${name}-logs`,
      sku: 'PerGB2018',
      retentionInDays: workspaceRetentionDays(props.logRetentionDays),
      localAuthenticationEnabled: false,
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    this.workspaceId = this.workspace.id;
    if (total > WORKSPACE_MAX_RETENTION_DAYS) {
      for (const table of LONG_RETENTION_TABLES) {
        new LogAnalyticsWorkspaceTable(this, `retention-${table}`, {
          workspaceId: this.workspace.id,
          name: table,
          plan: 'Analytics',
          retentionInDays: WORKSPACE_MAX_RETENTION_DAYS,
          totalRetentionInDays: total,
        });
      }
    }

    this.actionGroup = new MonitorActionGroup(this, 'alerts', {
      resourceGroupName: props.resourceGroupName,
      name: `${name}-alerts`,
      shortName: name.replace(/-/g, '').slice(0, 12),
      emailReceiver: props.alertEmails.map((email, i) => ({ name: `email-${i}`, emailAddress: email, useCommonAlertSchema: true })),
    });

    this.dataCollectionRule = new MonitorDataCollectionRule(this, 'bootstrap-logs', {
      ...base,
      name: `${name}-host-logs`,
      kind: 'Linux',
      description: `Host bootstrap log of ${name} (journal tag ${BOOTSTRAP_LOG_TAG}, syslog facility user)`,
      dataSources: {
        syslog: [{ name: 'host-syslog', facilityNames: [...PLATFORM_SYSLOG_FACILITIES], logLevels: ['Info', 'Notice', 'Warning', 'Error', 'Critical', 'Alert', 'Emergency'], streams: ['Microsoft-Syslog'] }],
      },
      destinations: { logAnalytics: [{ name: 'workspace', workspaceResourceId: this.workspace.id }] },
      dataFlow: [{ streams: ['Microsoft-Syslog'], destinations: ['workspace'] }],
    });

    const bootstrapLines = `Syslog | where ProcessName == "${BOOTSTRAP_LOG_TAG}" and SyslogMessage has "sandbox-bootstrap[${name}/"`;
    // One line per failure: sandbox_fail logs "ERROR <marker>: <reason>" and, for a specific
    // marker, "ERROR SANDBOX_BOOTSTRAP_FAILED: <marker>" (lib/host/bootstrap.ts); the exit trap adds
    // one "ERROR SANDBOX_BOOTSTRAP_FAILED: exit status ..." only when nothing was logged. Matching
    // the "ERROR <marker>:" prefix counts each failure once per alert.
    this.logAlert('kvm-missing', 1,
      `A ${name} node booted without /dev/kvm (size without nested virtualization); it reported itself unhealthy and automatic repair replaces it. Check the pool's VM size.`,
      failureLines(bootstrapLines, BootstrapMarker.KVM_MISSING));
    this.logAlert('bootstrap-failed', 2,
      `A ${name} node failed its host bootstrap (any step: KVM, GPU driver, nftables guard, packages, user commands); see the Syslog lines of ${BOOTSTRAP_LOG_TAG} for the step.`,
      failureLines(bootstrapLines, BootstrapMarker.BOOTSTRAP_FAILED));

    this.workbook = new ApplicationInsightsWorkbook(this, 'workbook', {
      ...base,
      name: stableUuid(`${name}/${props.location}/workbook`),
      displayName: `${name} sandbox platform`,
      category: 'workbook',
      // "should not contain any uppercase letters" (azurerm application_insights_workbook source_id).
      sourceId: Fn.lower(this.workspace.id),
      dataJson: Lazy.stringValue({ produce: () => this.workbookJson(bootstrapLines) }),
    });
  }

  /** Metric alerts for one scale set, and the data collection rule association that ships its logs. */
  public addScaleSet(s: AzureObservedScaleSet): void {
    this.scaleSets.push(s);
    const key = `${s.pool}-z${s.zone}`;
    new MonitorDataCollectionRuleAssociation(this, `dcr-${key}`, {
      name: `${this.props.name}-${key}-host-logs`,
      targetResourceId: s.scaleSetId,
      dataCollectionRuleId: this.dataCollectionRule.id,
    });
    // "At max for 15 minutes": the lowest observed capacity of the window is the maximum (Minimum
    // aggregation; Maximum would fire on one touch). Stateful (auto-mitigated): one alert while it
    // lasts. None where the minimum is the maximum: such a scale set is always at its maximum.
    if ((s.minNodes ?? 0) < s.maxNodes) {
      this.metricAlert(`${key}-at-max`, [s.autoscaleSettingId], 2,
        `Pool ${s.pool} (zone ${s.zone}) has run at its maximum of ${s.maxNodes} nodes for 15 minutes: sandboxes may be queuing. Raise maxNodes or capacity.`,
        { metricNamespace: 'microsoft.insights/autoscalesettings', metricName: 'ObservedCapacity', aggregation: 'Minimum', operator: 'GreaterThanOrEqual', threshold: s.maxNodes });
    }
    this.metricAlert(`${key}-unhealthy`, [s.scaleSetId], 1,
      `An instance of pool ${s.pool} (zone ${s.zone}) is unavailable (VmAvailabilityMetric below 1).`,
      { metricNamespace: 'Microsoft.Compute/virtualMachineScaleSets', metricName: 'VmAvailabilityMetric', aggregation: 'Average', operator: 'LessThan', threshold: 1 });
  }

  private metricAlert(id: string, scopes: string[], severity: number, description: string,
    criteria: { metricNamespace: string; metricName: string; aggregation: string; operator: string; threshold: number }): void {
    new MonitorMetricAlert(this, `alert-${id}`, {
      name: `${this.props.name}-${id}`,
      resourceGroupName: this.props.resourceGroupName,
      scopes,
      description,
      severity,
      frequency: 'PT5M',
      windowSize: 'PT15M',
      autoMitigate: true,
      criteria: [criteria],
      action: [{ actionGroupId: this.actionGroup.id }],
    });
  }

  private logAlert(id: string, severity: number, description: string, query: string): void {
    new MonitorScheduledQueryRulesAlertV2(this, `alert-${id}`, {
      name: `${this.props.name}-${id}`,
      resourceGroupName: this.props.resourceGroupName,
      location: this.props.location,
      description,
      severity,
      scopes: [this.workspace.id],
      // The query counts records ingested in the last 5 minutes (ingestion_time) over a 15-minute
      // TimeGenerated window: each line is counted in exactly one evaluation even when it arrives
      // late, so a failure alerts once.
      evaluationFrequency: 'PT5M',
      windowDuration: 'PT15M',
      criteria: [{
        query: `${query} | where ingestion_time() > ago(5m)`,
        timeAggregationMethod: 'Count',
        operator: 'GreaterThan',
        threshold: 0,
        failingPeriods: { minimumFailingPeriodsToTriggerAlert: 1, numberOfEvaluationPeriods: 1 },
      }],
      autoMitigationEnabled: false,
      action: { actionGroups: [this.actionGroup.id] },
    });
  }

  /** Workbook (Notebook/1.0 schema) with the bootstrap outcomes and scale set sizes. */
  private workbookJson(bootstrapLines: string): string {
    const query = (title: string, q: string, visualization = 'table') => ({
      type: 3,
      content: { version: 'KqlItem/1.0', title, query: q, size: 0, queryType: 0, resourceType: 'microsoft.operationalinsights/workspaces', visualization },
    });
    const markers = Object.values(BootstrapMarker).map((m) => `"${m}"`).join(', ');
    const items: object[] = [
      { type: 1, content: { json: `## ${this.props.name} sandbox platform\nHost bootstrap outcomes, nodes without /dev/kvm or GPU driver, and scale set capacity.` } },
      query('Bootstrap outcomes by pool (24 h)',
        `${bootstrapLines} | where TimeGenerated > ago(24h) | extend marker = extract(@"(SANDBOX_[A-Z_]+)", 1, SyslogMessage) ` +
        `| where marker in (${markers}) | extend pool = extract(@"sandbox-bootstrap\\[[^/]+/([^\\]]+)\\]", 1, SyslogMessage) | summarize count() by pool, marker`),
      query('Failures over time', `${bootstrapLines} and SyslogMessage has "ERROR" | summarize count() by bin(TimeGenerated, 15m)`, 'timechart'),
      query('Nodes reporting (Azure Monitor Agent heartbeat)', 'Heartbeat | summarize nodes = dcount(Computer) by bin(TimeGenerated, 15m)', 'timechart'),
    ];
    if (this.scaleSets.length > 0) {
      items.push({ type: 1, content: { json: `Scale sets: ${this.scaleSets.map((s) => `${s.pool} (zone ${s.zone}, max ${s.maxNodes})`).join(', ')}` } });
    }
    return JSON.stringify({ version: 'Notebook/1.0', items, isLocked: false, fallbackResourceIds: [] });
  }
}

/** The bootstrap lines that start with "ERROR <marker>:": one per failure of that kind. */
export function failureLines(bootstrapLines: string, marker: BootstrapMarker): string {
  return `${bootstrapLines} and SyslogMessage has "${marker}" and SyslogMessage contains "ERROR ${marker}:"`;
}
