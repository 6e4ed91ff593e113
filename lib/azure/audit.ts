import { DataAzurermResourceGroup } from '@cdktf/provider-azurerm/lib/data-azurerm-resource-group';
import { LogAnalyticsWorkspace } from '@cdktf/provider-azurerm/lib/log-analytics-workspace';
import { LogAnalyticsWorkspaceTable } from '@cdktf/provider-azurerm/lib/log-analytics-workspace-table';
import { MonitorDataCollectionRule } from '@cdktf/provider-azurerm/lib/monitor-data-collection-rule';
import { MonitorDataCollectionRuleAssociation } from '@cdktf/provider-azurerm/lib/monitor-data-collection-rule-association';
import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container';
import { StorageContainerImmutabilityPolicy } from '@cdktf/provider-azurerm/lib/storage-container-immutability-policy';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { RuleId, SandboxCompliance } from '../compliance';
import { STORAGE_CONTAINER_NAME_RULE, assertAzureName } from './naming';
import { WORKSPACE_MAX_RETENTION_DAYS, tableTotalRetentionDays, workspaceRetentionDays } from './retention';
import { AzureSecureStorageAccount, AzureStorageCmk, AzureStorageNetworkAccess } from './secure-storage';

/**
 * Every activity log category a subscription diagnostic setting can export: who changed what
 * (Administrative, which records Run Command and serial console connections with their caller),
 * Defender alerts (Security), service incidents (ServiceHealth), fired alerts (Alert), Advisor
 * (Recommendation), Azure Policy (Policy), autoscale actions (Autoscale: node removals are part of
 * the audit trail) and resource health (ResourceHealth)
 * (learn.microsoft.com/azure/azure-monitor/essentials/activity-log-schema, Categories). No
 * retention_policy: diagnostic-setting retention is retired; the workspace keeps the data.
 */
export const ACTIVITY_LOG_CATEGORIES = ['Administrative', 'Security', 'ServiceHealth', 'Alert', 'Recommendation', 'Policy', 'Autoscale', 'ResourceHealth'];

/**
 * Blob containers Azure Monitor writes exports to: "insights-activity-logs" for the activity log,
 * "insights-logs-{log category name}" for resource logs
 * (learn.microsoft.com/azure/azure-monitor/essentials/resource-logs, Send to Azure Storage;
 * learn.microsoft.com/azure/key-vault/general/logging: "insights-logs-auditevent").
 */
export const ACTIVITY_LOG_ARCHIVE_CONTAINER = 'insights-activity-logs';
export function resourceLogArchiveContainer(category: string): string {
  return `insights-logs-${category.toLowerCase()}`;
}

/**
 * Syslog facilities that record shell access on a node: SSH logins, sudo and su (auth, authpriv).
 * Run Command and the serial console are recorded in the activity log (Administrative), without
 * the script or the session content.
 */
export const HOST_AUDIT_FACILITIES = ['auth', 'authpriv'];

/** Tables of the audit workspace kept for the whole floor when it exceeds the interactive maximum. */
export const AUDIT_LONG_RETENTION_TABLES = [
  'AzureActivity', 'AzureDiagnostics', 'AZFWApplicationRule', 'AZFWNetworkRule', 'AZFWThreatIntel', 'AZFWDnsQuery',
  'NTANetAnalytics', 'StorageBlobLogs', 'Syslog',
];

export interface AzureAuditImmutableArchive {
  /** Globally unique account name (3..24 of [a-z0-9]; may be a Terraform expression). */
  readonly storageAccountName: string;
  readonly cmk: AzureStorageCmk;
  /** Days every archived blob stays immutable (the profile floor). 1..146000 (azurerm v4.55.0 storage_container_immutability_policy_resource.go). */
  readonly retentionDays: number;
  /** Resource log categories exported to the archive (one container each, created and locked before the exports). */
  readonly resourceLogCategories: string[];
  /** The subscription activity log is exported to the archive too. */
  readonly activityLog: boolean;
}

export interface AzureAuditLogsProps {
  readonly name: string;
  readonly location: string;
  /**
   * Existing resource group for the audit data. It must be outside every scope the vendor's control
   * plane role is assigned at. Default: create "<name>-audit-rg".
   */
  readonly existingResourceGroupName?: string;
  /** The profile's log retention floor (or more), in days. */
  readonly logRetentionDays: number;
  /** Also archive the exports in storage under locked time-based retention (hipaa). Default: none. */
  readonly immutableArchive?: AzureAuditImmutableArchive;
  /** prevent_destroy on the workspace and archive. Default false. */
  readonly preventDestroy?: boolean;
}

/**
 * Where the customer's audit trail lands, out of the vendor's reach: a resource group of its own
 * (the BYOC control-plane role is scoped to the platform's group, and Log Analytics queries are
 * authorized on the workspace's scope: learn.microsoft.com/azure/azure-monitor/logs/manage-access),
 * a Log Analytics workspace there (activity log, Key Vault audit, firewall rule/threat-intel/DNS
 * logs, traffic analytics, blob access logs, host SSH/sudo logs) with the profile's retention, and
 * under hipaa an archive storage account whose containers carry a locked time-based retention
 * policy of the floor: "To prevent modification of the data, send it to immutable storage ...
 * including enabling protected append blobs writes"
 * (learn.microsoft.com/azure/azure-monitor/essentials/diagnostic-settings, Destination limitations).
 * A locked policy cannot be shortened or removed, and neither the container nor the account can
 * be deleted while a blob is under retention: terraform destroy fails until the floor has passed.
 */
export class AzureAuditLogs extends Construct {
  public readonly resourceGroupName: string;
  public readonly resourceGroupId: string;
  public readonly workspace: LogAnalyticsWorkspace;
  /** Resource id of the audit workspace. */
  public readonly workspaceId: string;
  public readonly archive?: AzureSecureStorageAccount;
  /** Archive containers by name. */
  public readonly archiveContainers: { [name: string]: StorageContainer } = {};
  /** Diagnostic settings writing to the archive depend on these (containers exist and are locked). */
  public readonly archiveReady: ITerraformDependable[] = [];
  /** Ships SSH, sudo and su records of the nodes (HOST_AUDIT_FACILITIES) to the audit workspace. */
  public readonly hostAuditRule: MonitorDataCollectionRule;

  constructor(scope: Construct, id: string, private readonly props: AzureAuditLogsProps) {
    super(scope, id);
    const { name, location } = props;
    const lifecycle = props.preventDestroy ? { preventDestroy: true } : undefined;
    if (props.existingResourceGroupName) {
      const rg = new DataAzurermResourceGroup(this, 'existing-group', { name: props.existingResourceGroupName });
      this.resourceGroupName = rg.name;
      this.resourceGroupId = rg.id;
    } else {
      const rg = new ResourceGroup(this, 'group', { name: `${name}-audit-rg`, location });
      this.resourceGroupName = rg.name;
      this.resourceGroupId = rg.id;
    }
    const base = { resourceGroupName: this.resourceGroupName, location };
    const total = tableTotalRetentionDays(props.logRetentionDays);
    this.workspace = new LogAnalyticsWorkspace(this, 'workspace', {
      ...base,
      name: `${name}-audit`,
      sku: 'PerGB2018',
      retentionInDays: workspaceRetentionDays(props.logRetentionDays),
      localAuthenticationEnabled: false,
      lifecycle,
    });
    this.workspaceId = this.workspace.id;
    if (total > WORKSPACE_MAX_RETENTION_DAYS) {
      for (const table of AUDIT_LONG_RETENTION_TABLES) {
        new LogAnalyticsWorkspaceTable(this, `retention-${table}`, {
          workspaceId: this.workspace.id, name: table, plan: 'Analytics', retentionInDays: WORKSPACE_MAX_RETENTION_DAYS, totalRetentionInDays: total,
        });
      }
    }

    this.hostAuditRule = new MonitorDataCollectionRule(this, 'host-audit', {
      ...base,
      name: `${name}-host-audit`,
      kind: 'Linux',
      description: `SSH, sudo and su records of ${name} nodes (syslog ${HOST_AUDIT_FACILITIES.join(', ')})`,
      dataSources: {
        syslog: [{
          name: 'host-auth', facilityNames: [...HOST_AUDIT_FACILITIES],
          logLevels: ['Info', 'Notice', 'Warning', 'Error', 'Critical', 'Alert', 'Emergency'], streams: ['Microsoft-Syslog'],
        }],
      },
      destinations: { logAnalytics: [{ name: 'audit', workspaceResourceId: this.workspace.id }] },
      dataFlow: [{ streams: ['Microsoft-Syslog'], destinations: ['audit'] }],
    });

    const archive = props.immutableArchive;
    if (archive) this.archive = this.buildArchive(archive, base, props.preventDestroy);
  }

  /** Resource id of the archive account, when there is one. */
  public get archiveStorageAccountId(): string | undefined {
    return this.archive?.id;
  }

  /** Associates a scale set with the host audit rule (its SSH and sudo records reach the audit workspace). */
  public addScaleSet(key: string, scaleSetId: string): MonitorDataCollectionRuleAssociation {
    return new MonitorDataCollectionRuleAssociation(this, `host-audit-${key}`, {
      name: `${this.props.name}-${key}-host-audit`,
      targetResourceId: scaleSetId,
      dataCollectionRuleId: this.hostAuditRule.id,
    });
  }

  private buildArchive(archive: AzureAuditImmutableArchive, base: { resourceGroupName: string; location: string }, preventDestroy?: boolean): AzureSecureStorageAccount {
    if (!Number.isInteger(archive.retentionDays) || archive.retentionDays < 1 || archive.retentionDays > 146000) {
      throw new Error(`${this.node.path}: immutable archive retention ${archive.retentionDays} days is outside 1..146000 (azurerm storage_container_immutability_policy)`);
    }
    const account = new AzureSecureStorageAccount(this, 'archive', {
      ...base,
      accountName: archive.storageAccountName,
      cmk: archive.cmk,
      // "Diagnostic settings can't access storage accounts when virtual networks are enabled. You
      // must enable Allow trusted Microsoft services" (diagnostic-settings, Destination limitations).
      networkAccess: AzureStorageNetworkAccess.TRUSTED_SERVICES,
      deleteRetentionDays: 7,
      preventDestroy,
    });
    SandboxCompliance.suppress(account, RuleId.AZ_ST_PUBLIC,
      'Azure Monitor writes the audit exports through the trusted-services exception of the storage firewall, which applies only while the ' +
      'public endpoint is enabled; the firewall denies every network (default_action Deny, no IP or VNet rules) and shared keys are off ' +
      '(learn.microsoft.com/azure/azure-monitor/essentials/diagnostic-settings, Destination limitations).');
    const containers = [
      ...(archive.activityLog ? [ACTIVITY_LOG_ARCHIVE_CONTAINER] : []),
      ...archive.resourceLogCategories.map(resourceLogArchiveContainer),
    ];
    for (const containerName of [...new Set(containers)]) {
      assertAzureName(this.node.path, 'archive container name', STORAGE_CONTAINER_NAME_RULE, containerName);
      const container = new StorageContainer(this, `archive-${containerName}`, {
        name: containerName, storageAccountId: account.id, containerAccessType: 'private',
      });
      this.archiveContainers[containerName] = container;
      // Locked at creation: the policy can then only be extended, never shortened or removed.
      // Azure Monitor appends to its hourly PT1H.json blobs, so protected append writes (append
      // blobs only) stay on: new blocks may be added, none changed or deleted.
      this.archiveReady.push(new StorageContainerImmutabilityPolicy(this, `archive-${containerName}-immutability`, {
        storageContainerResourceManagerId: `${account.id}/blobServices/default/containers/${container.name}`,
        immutabilityPeriodInDays: archive.retentionDays,
        locked: true,
        protectedAppendWritesEnabled: true,
      }));
    }
    return account;
  }
}

export interface AzureActivityLogExportProps {
  readonly name: string;
  /** "/subscriptions/<id>" (data azurerm_subscription). */
  readonly subscriptionResourceId: string;
  /** Log Analytics workspace receiving the activity log (the audit workspace). */
  readonly workspaceId: string;
  /** Also archive the activity log here (immutable under hipaa). Default: none. */
  readonly storageAccountId?: string;
  /** What the export waits for (the archive's locked containers). Default none. */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * The subscription's activity log exported to the audit workspace (the Azure counterpart of a
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
      storageAccountId: props.storageAccountId,
      enabledLog: ACTIVITY_LOG_CATEGORIES.map((category) => ({ category })),
      dependsOn: props.dependsOn && props.dependsOn.length > 0 ? props.dependsOn : undefined,
    });
  }
}
