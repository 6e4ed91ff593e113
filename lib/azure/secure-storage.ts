import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';
import { StorageAccount } from '@cdktf/provider-azurerm/lib/storage-account';
import { StorageManagementPolicy } from '@cdktf/provider-azurerm/lib/storage-management-policy';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';

/** A customer-managed key for a storage account, used through a user-assigned identity. */
export interface AzureStorageCmk {
  /** Versionless Key Vault key id (https://<vault>.vault.azure.net/keys/<name>): Azure picks up rotated versions. */
  readonly keyVaultKeyId: string;
  /** User-assigned identity holding "Key Vault Crypto Service Encryption User" on the key. */
  readonly identityId: string;
  /** The role assignment above: the account must not be created before it exists. */
  readonly grant?: ITerraformDependable;
}

/**
 * Blob service log categories sent to Log Analytics (table StorageBlobLogs): every read, write and
 * delete with the caller's identity (learn.microsoft.com/azure/storage/blobs/monitor-blob-storage-reference).
 */
export const STORAGE_BLOB_LOG_CATEGORIES = ['StorageRead', 'StorageWrite', 'StorageDelete'];

/** How the account's public endpoint is reached. */
export enum AzureStorageNetworkAccess {
  /** public_network_access_enabled = false: private endpoints only (the artifact store). */
  PRIVATE_ONLY = 'private-only',
  /**
   * Public endpoint on, firewall default Deny, only trusted Azure services bypass it: for accounts
   * Azure services write to, e.g. Network Watcher flow logs ("To use a storage account behind a
   * firewall, you have to provide an exception for Trusted Microsoft Services",
   * learn.microsoft.com/azure/network-watcher/frequently-asked-questions).
   */
  TRUSTED_SERVICES = 'trusted-services',
}

export interface AzureSecureStorageAccountProps {
  /** Globally unique account name, 3..24 lowercase letters and digits (may be a Terraform expression). */
  readonly accountName: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly cmk: AzureStorageCmk;
  /** Default PRIVATE_ONLY. */
  readonly networkAccess?: AzureStorageNetworkAccess;
  /** Days soft-deleted blobs and containers are kept (1..365). Default 30. */
  readonly deleteRetentionDays?: number;
  /** Delete blobs (and their old versions) this many days after creation: log retention. Default: never. */
  readonly expireAfterDays?: number;
  /**
   * Replication. Default "ZRS": three synchronous copies in three availability zones of the region,
   * so data survives a zone loss. Geo-redundancy ("GZRS", "RAGZRS") is a disaster-recovery choice
   * left to the caller: it copies the data to the paired region (possibly another country: data
   * residency), roughly doubles the storage price, and does not exist in regions without a pair
   * (learn.microsoft.com/azure/storage/common/storage-redundancy,
   * learn.microsoft.com/azure/reliability/cross-region-replication-azure).
   */
  readonly replication?: string;
  /**
   * Shared-key (account key, SAS) authorization. Default false (Entra ID only). Only for accounts
   * an Azure service writes to with the account keys (VNet flow logs).
   */
  readonly sharedKeyAccess?: boolean;
  /** Send the blob service's read, write and delete logs (STORAGE_BLOB_LOG_CATEGORIES) to this Log Analytics workspace. Default: none. */
  readonly blobLogsWorkspaceId?: string;
  readonly preventDestroy?: boolean;
}

/**
 * A StorageV2 account that cannot be opened by accident: TLS 1.2 minimum, HTTPS only, no anonymous
 * blob access, no shared-key (account key / SAS) authorization, infrastructure (double) encryption,
 * a customer-managed key through a user-assigned identity, blob versioning with blob and container
 * soft delete, OAuth as the portal default, a firewall that denies every network and lets only
 * trusted Azure services through, and optionally the blob service's access logs in Log Analytics. Attribute names as in azurerm 4.x
 * (https_traffic_only_enabled, allow_nested_items_to_be_public, shared_access_key_enabled).
 * Sources: learn.microsoft.com/azure/storage/common/security-recommendations,
 * learn.microsoft.com/azure/storage/common/customer-managed-keys-overview.
 */
export class AzureSecureStorageAccount extends Construct {
  public readonly account: StorageAccount;
  /** Diagnostic setting of the blob service (when blobLogsWorkspaceId is given). */
  public readonly blobLogs?: MonitorDiagnosticSetting;
  public readonly id: string;
  public readonly name: string;

  constructor(scope: Construct, id: string, props: AzureSecureStorageAccountProps) {
    super(scope, id);
    const trusted = props.networkAccess === AzureStorageNetworkAccess.TRUSTED_SERVICES;
    const retention = props.deleteRetentionDays ?? 30;
    this.account = new StorageAccount(this, 'account', {
      name: props.accountName,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      accountKind: 'StorageV2',
      accountTier: 'Standard',
      accountReplicationType: props.replication ?? 'ZRS',
      minTlsVersion: 'TLS1_2',
      httpsTrafficOnlyEnabled: true,
      allowNestedItemsToBePublic: false,
      sharedAccessKeyEnabled: props.sharedKeyAccess === true,
      // With shared keys on, a SAS expiration policy logs any SAS signed for longer than a day
      // ("days.hours:minutes:seconds", action Log: learn.microsoft.com/azure/storage/common/sas-expiration-policy).
      sasPolicy: props.sharedKeyAccess === true ? { expirationPeriod: '1.00:00:00', expirationAction: 'Log' } : undefined,
      defaultToOauthAuthentication: true,
      crossTenantReplicationEnabled: false,
      infrastructureEncryptionEnabled: true,
      publicNetworkAccessEnabled: trusted,
      // No IP or VNet rule. The trusted-services exception admits only Azure services that someone
      // with rights on this account pointed at it (Network Watcher flow logs, diagnostic settings)
      // or that hold an Entra role on it (shared keys are off); no network or key gets in through it
      // (learn.microsoft.com/azure/storage/common/storage-network-security, trusted access).
      networkRules: { defaultAction: 'Deny', bypass: ['AzureServices'] },
      identity: { type: 'UserAssigned', identityIds: [props.cmk.identityId] },
      customerManagedKey: { keyVaultKeyId: props.cmk.keyVaultKeyId, userAssignedIdentityId: props.cmk.identityId },
      blobProperties: {
        versioningEnabled: true,
        changeFeedEnabled: true,
        deleteRetentionPolicy: { days: retention },
        containerDeleteRetentionPolicy: { days: retention },
      },
      dependsOn: props.cmk.grant ? [props.cmk.grant] : undefined,
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    this.id = this.account.id;
    this.name = this.account.name;
    if (props.blobLogsWorkspaceId) {
      // Azure Monitor resource logs of the blob service (the successor of classic Storage Analytics
      // logging, which needs the data plane and shared keys): who read, wrote or deleted which blob.
      this.blobLogs = new MonitorDiagnosticSetting(this, 'blob-logs', {
        name: 'blob-access-logs',
        targetResourceId: `${this.account.id}/blobServices/default`,
        logAnalyticsWorkspaceId: props.blobLogsWorkspaceId,
        enabledLog: STORAGE_BLOB_LOG_CATEGORIES.map((category) => ({ category })),
      });
    }
    if (props.expireAfterDays) {
      new StorageManagementPolicy(this, 'lifecycle', {
        storageAccountId: this.account.id,
        rule: [{
          name: 'expire-after-retention',
          enabled: true,
          filters: { blobTypes: ['blockBlob', 'appendBlob'] },
          actions: {
            baseBlob: { deleteAfterDaysSinceCreationGreaterThan: props.expireAfterDays },
            version: { deleteAfterDaysSinceCreation: props.expireAfterDays },
          },
        }],
      });
    }
  }
}
