import { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container';
import { Construct } from 'constructs';
import { AzureSecureStorageAccount, AzureStorageCmk, AzureStorageNetworkAccess } from './secure-storage';

/** Container of sandbox templates and snapshots. */
export const ARTIFACT_CONTAINER = 'sandbox-artifacts';

export interface AzureArtifactStoreProps {
  readonly resourceGroupName: string;
  readonly location: string;
  /** Globally unique storage account name (3..24 of [a-z0-9]; may be a Terraform expression). */
  readonly accountName: string;
  readonly cmk: AzureStorageCmk;
  /** Days deleted blobs, versions and containers stay recoverable. Default 30. */
  readonly deleteRetentionDays?: number;
  /** Replication (see AzureSecureStorageAccountProps.replication). Default "ZRS". */
  readonly replication?: string;
  /** Log Analytics workspace for the blob service's read, write and delete logs (who touched which template or snapshot). Default: none. */
  readonly accessLogsWorkspaceId?: string;
  readonly preventDestroy?: boolean;
}

/**
 * The storage account for sandbox templates and snapshots (AzureSecureStorageAccount: TLS 1.2,
 * HTTPS only, no public or shared-key access, CMK, versioning, soft delete) with one private
 * container and, given a workspace, the blob access logs (StorageRead/Write/Delete) in Log Analytics. The container is created through Azure Resource Manager (storage_account_id, azurerm
 * >= 4.9), so Terraform never needs the account's data plane, which is reachable only through the
 * private endpoint the platform adds.
 */
export class AzureArtifactStore extends Construct {
  public readonly storage: AzureSecureStorageAccount;
  public readonly container: StorageContainer;
  public readonly accountId: string;
  public readonly accountName: string;
  /** Resource-manager id of the container: scope of the blob data roles. */
  public readonly containerResourceId: string;

  constructor(scope: Construct, id: string, props: AzureArtifactStoreProps) {
    super(scope, id);
    this.storage = new AzureSecureStorageAccount(this, 'artifacts', {
      accountName: props.accountName,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      cmk: props.cmk,
      networkAccess: AzureStorageNetworkAccess.PRIVATE_ONLY,
      deleteRetentionDays: props.deleteRetentionDays ?? 30,
      replication: props.replication,
      blobLogsWorkspaceId: props.accessLogsWorkspaceId,
      preventDestroy: props.preventDestroy,
    });
    this.container = new StorageContainer(this, 'container', {
      name: ARTIFACT_CONTAINER,
      storageAccountId: this.storage.id,
      containerAccessType: 'private',
    });
    this.accountId = this.storage.id;
    this.accountName = this.storage.name;
    // Built from parts (the ARM id of a blob container) rather than from resource_manager_id, whose
    // meaning changed when azurerm 4.x added the resource-manager mode.
    this.containerResourceId = `${this.storage.id}/blobServices/default/containers/${this.container.name}`;
  }
}
