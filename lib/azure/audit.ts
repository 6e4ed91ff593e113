import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';
import { Construct } from 'constructs';

/**
 * Activity log categories exported: who changed what (Administrative), Defender for Cloud alerts
 * (Security), Azure Policy evaluations (Policy) and fired alerts (Alert)
 * (learn.microsoft.com/azure/azure-monitor/essentials/activity-log-schema). No retention_policy:
 * diagnostic-setting retention is retired; the workspace (and its tables' total retention) keeps the data.
 */
export const ACTIVITY_LOG_CATEGORIES = ['Administrative', 'Security', 'Policy', 'Alert'];

export interface AzureActivityLogExportProps {
  readonly name: string;
  /** "/subscriptions/<id>" (data azurerm_subscription). */
  readonly subscriptionResourceId: string;
  /** Log Analytics workspace receiving the activity log. */
  readonly workspaceId: string;
}

/**
 * The subscription's activity log exported to the platform workspace (the Azure counterpart of a
 * CloudTrail trail). A subscription holds at most five diagnostic settings; a platform adds one.
 * Source: learn.microsoft.com/azure/azure-monitor/essentials/create-diagnostic-settings.
 */
export class AzureActivityLogExport extends Construct {
  public readonly setting: MonitorDiagnosticSetting;

  constructor(scope: Construct, id: string, props: AzureActivityLogExportProps) {
    super(scope, id);
    this.setting = new MonitorDiagnosticSetting(this, 'activity-log', {
      name: `${props.name}-activity-log`,
      targetResourceId: props.subscriptionResourceId,
      logAnalyticsWorkspaceId: props.workspaceId,
      enabledLog: ACTIVITY_LOG_CATEGORIES.map((category) => ({ category })),
    });
  }
}
