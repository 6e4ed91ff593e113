import { DiskEncryptionSet } from '@cdktf/provider-azurerm/lib/disk-encryption-set';
import { KeyVault } from '@cdktf/provider-azurerm/lib/key-vault';
import { KeyVaultKey } from '@cdktf/provider-azurerm/lib/key-vault-key';
import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { Fn, ITerraformDependable, Token } from 'cdktf';
import { Construct } from 'constructs';
import { RuleId, SandboxCompliance } from '../compliance';
import { KEY_VAULT_NAME_RULE, assertAzureName } from './naming';
import { AZURE_RBAC_PROPAGATION, waitForGrants } from './propagation';
import { AzureStorageCmk } from './secure-storage';

/**
 * Built-in role names used by the platform (learn.microsoft.com/azure/role-based-access-control/built-in-roles):
 * Key Vault Crypto Officer may create and rotate keys in an RBAC vault; Key Vault Crypto Service
 * Encryption User may read a key and wrap/unwrap with it (what disk encryption sets and storage
 * accounts need, learn.microsoft.com/azure/key-vault/general/rbac-guide).
 */
export const AZURE_BUILT_IN_ROLES = {
  cryptoOfficer: 'Key Vault Crypto Officer',
  cryptoServiceEncryptionUser: 'Key Vault Crypto Service Encryption User',
  keyVaultReader: 'Key Vault Reader',
  storageBlobDataReader: 'Storage Blob Data Reader',
  storageBlobDataContributor: 'Storage Blob Data Contributor',
  monitoringMetricsPublisher: 'Monitoring Metrics Publisher',
} as const;

/** The Key Vault resource log category that records every data-plane call (learn.microsoft.com/azure/key-vault/general/logging). */
export const KEY_VAULT_AUDIT_CATEGORY = 'AuditEvent';

/** Soft-deleted vaults and keys are recoverable for this many days (7..90; learn.microsoft.com/azure/key-vault/general/soft-delete-overview). */
export const KEY_VAULT_SOFT_DELETE_DAYS = 90;

/**
 * Days between a key version's automatic rotation and its expiry: every version expires this long
 * after the rotation that replaces it is due, so services holding the key (disk encryption sets,
 * storage accounts: up to 24 hours to pick up a new version) never meet an expired one, and Event
 * Grid's near-expiry notice (a day less) flags a rotation that did not happen.
 */
export const KEY_ROTATE_BEFORE_EXPIRY_DAYS = 30;

/** A key the caller manages (instead of the vault and key this module creates). */
export interface AzureExistingKey {
  /** Versionless key id, https://<vault>.vault.azure.net/keys/<name>. */
  readonly keyVaultKeyId: string;
  /** Resource id of the key's vault (scope of the role assignments and of the private endpoint). */
  readonly keyVaultId: string;
}

export interface AzurePlatformKeysProps {
  readonly name: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly tenantId: string;
  /** Globally unique vault name, 3..24 of [a-zA-Z0-9-] (may be a Terraform expression). */
  readonly vaultName: string;
  /** Object id of the principal running Terraform: gets Key Vault Crypto Officer on the vault to create the key. */
  readonly deployerObjectId: string;
  /** Automatic rotation period of the key in days. Default 365. */
  readonly rotationDays?: number;
  /**
   * Public IPv4 addresses or CIDRs of the machine running `terraform plan/apply` (a list, or a
   * Terraform list such as a variable's listValue). azurerm creates the key, reads it on every
   * refresh and, for a disk encryption set with auto key rotation, reads it again when the set is
   * created: all Key Vault data-plane calls (azurerm v4.55.0 disk_encryption_set_resource.go
   * keyVaultKeyClient.GetKey), which public_network_access_enabled = false closes to everything but
   * private endpoints. Listing ranges here turns the public endpoint on for them only
   * (network_acls default Deny, trusted services bypass) and records that exception as an AZ-KV
   * suppression on the vault. Default: none (the runner must reach the vault through a private
   * endpoint and resolve privatelink.vaultcore.azure.net, which a first apply cannot give it).
   */
  readonly deployerIpRanges?: string[];
  /** Wait after each role assignment used in the same apply. Default AZURE_RBAC_PROPAGATION ("10m"). */
  readonly propagationDelay?: string;
  /** Use this key and its vault; no vault or key is created. Default: create both. */
  readonly existingKey?: AzureExistingKey;
  /** Send the vault's AuditEvent log to this (audit) workspace. Default: none. */
  readonly workspaceId?: string;
  /** Also archive the AuditEvent log in this storage account (immutable under hipaa). Default: none. */
  readonly auditArchiveStorageAccountId?: string;
  /** lifecycle.prevent_destroy on the vault and key. Default false. */
  readonly preventDestroy?: boolean;
}

/**
 * Customer-managed keys: a Key Vault (RBAC authorization, purge protection, 90-day soft delete, no
 * public network access, firewall default Deny with the trusted-services bypass that disk
 * encryption sets and storage need), one RSA-HSM key with an automatic rotation policy and an
 * expiry on every version (rotation + 30 days), a disk
 * encryption set with auto key rotation whose system identity is granted the key, and a
 * user-assigned identity through which storage accounts use the key.
 * Sources: learn.microsoft.com/azure/key-vault/keys/how-to-configure-key-rotation,
 * learn.microsoft.com/azure/virtual-machines/disk-encryption (DES with automatic key rotation),
 * learn.microsoft.com/azure/key-vault/general/network-security (trusted services).
 */
export class AzurePlatformKeys extends Construct {
  public readonly vault?: KeyVault;
  public readonly key?: KeyVaultKey;
  public readonly keyVaultId: string;
  /** Versionless key id: disks and storage follow rotations automatically. */
  public readonly keyVaultKeyId: string;
  public readonly diskEncryptionSet: DiskEncryptionSet;
  /** The DES identity's grant on the key. */
  public readonly diskEncryptionGrant: RoleAssignment;
  /** The DES grant and the propagation wait after it: scale sets depend on this. */
  public readonly diskEncryptionReady: ITerraformDependable;
  public readonly storageIdentity: UserAssignedIdentity;
  public readonly storageCmk: AzureStorageCmk;
  /** The vault's AuditEvent export (exportAuditLog). */
  public auditLog?: MonitorDiagnosticSetting;

  constructor(scope: Construct, id: string, private readonly props: AzurePlatformKeysProps) {
    super(scope, id);
    const base = { resourceGroupName: props.resourceGroupName, location: props.location };
    const lifecycle = props.preventDestroy ? { preventDestroy: true } : undefined;
    const delay = props.propagationDelay ?? AZURE_RBAC_PROPAGATION;
    let keyScope: string;
    if (props.existingKey) {
      this.keyVaultId = props.existingKey.keyVaultId;
      this.keyVaultKeyId = props.existingKey.keyVaultKeyId;
      keyScope = props.existingKey.keyVaultId;
    } else {
      assertAzureName(this.node.path, 'Key Vault name', KEY_VAULT_NAME_RULE, props.vaultName);
      const ips = props.deployerIpRanges ?? [];
      const open = Token.isUnresolved(ips) || ips.length > 0;
      this.vault = new KeyVault(this, 'vault', {
        ...base,
        name: props.vaultName,
        tenantId: props.tenantId,
        skuName: 'premium',
        rbacAuthorizationEnabled: true,
        purgeProtectionEnabled: true,
        softDeleteRetentionDays: KEY_VAULT_SOFT_DELETE_DAYS,
        publicNetworkAccessEnabled: open,
        networkAcls: { defaultAction: 'Deny', bypass: 'AzureServices', ipRules: open ? (Token.isUnresolved(ips) ? (ips as string[]) : [...ips]) : undefined },
        lifecycle,
      });
      if (open) {
        SandboxCompliance.suppress(this.vault, RuleId.AZ_KV,
          'The Terraform runner manages the platform key through the Key Vault data plane (create, every refresh, and the disk encryption set\'s ' +
          'GetKey at creation: azurerm v4.55.0 disk_encryption_set_resource.go), so the public endpoint is on for the deployer IP ranges only: ' +
          'network_acls default Deny with only those ip_rules and the trusted-services bypass; every call still needs Entra ID and Key Vault RBAC. ' +
          'Nodes and storage use the private endpoint. Pass no deployerIpRanges once the runner reaches the vault privately.');
      }
      this.keyVaultId = this.vault.id;
      const officer = new RoleAssignment(this, 'deployer-crypto-officer', {
        scope: this.vault.id,
        roleDefinitionName: AZURE_BUILT_IN_ROLES.cryptoOfficer,
        principalId: props.deployerObjectId,
        description: `Lets the Terraform deployer create and rotate the ${props.name} platform key`,
      });
      const officerReady = waitForGrants(this, 'deployer-crypto-officer-propagation', [officer], delay);
      const rotation = props.rotationDays ?? 365;
      const lifetimeDays = rotation + KEY_ROTATE_BEFORE_EXPIRY_DAYS;
      this.key = new KeyVaultKey(this, 'key', {
        name: `${props.name}-platform`,
        keyVaultId: this.vault.id,
        keyType: 'RSA-HSM',
        keySize: 3072,
        keyOpts: ['wrapKey', 'unwrapKey', 'encrypt', 'decrypt'],
        // A rotation policy's expiry "is used to set expiration date on newly rotated key. It doesn't
        // affect a current key", and near-expiry triggers need "'Expiration Date' set on the key"
        // (learn.microsoft.com/azure/key-vault/keys/how-to-configure-key-rotation). So the first
        // version gets its expiry here, computed by Terraform at plan time (plantimestamp: the
        // synthesized JSON stays deterministic), and every later version from expire_after.
        // ignore_changes: after a rotation the provider reads the newest version's expiry, which
        // belongs to Key Vault, not to this configuration.
        expirationDate: Fn.timeadd(Fn.plantimestamp(), `${lifetimeDays * 24}h`),
        rotationPolicy: {
          expireAfter: `P${lifetimeDays}D`,
          notifyBeforeExpiry: `P${KEY_ROTATE_BEFORE_EXPIRY_DAYS - 1}D`,
          // Rotation counted from each version's creation, which needs no expiry on the current
          // version (the default rotation type), so the cadence holds whatever the expiry says.
          automatic: { timeAfterCreation: `P${rotation}D` },
        },
        // The deployer's Crypto Officer grant must have propagated before the data-plane create.
        dependsOn: [officerReady],
        lifecycle: { ...lifecycle, ignoreChanges: ['expiration_date'] },
      });
      this.keyVaultKeyId = this.key.versionlessId;
      keyScope = this.key.resourceVersionlessId;
    }

    this.diskEncryptionSet = new DiskEncryptionSet(this, 'disk-encryption-set', {
      ...base,
      name: `${props.name}-des`,
      keyVaultKeyId: this.keyVaultKeyId,
      autoKeyRotationEnabled: true,
      encryptionType: 'EncryptionAtRestWithCustomerKey',
      identity: { type: 'SystemAssigned' },
      dependsOn: this.key ? [this.key] : undefined,
    });
    this.diskEncryptionGrant = this.grant('des-key-access', keyScope, this.diskEncryptionSet.identity.principalId, 'disk encryption set');
    this.diskEncryptionReady = waitForGrants(this, 'des-key-access-propagation', [this.diskEncryptionGrant], delay);
    this.storageIdentity = new UserAssignedIdentity(this, 'storage-identity', { ...base, name: `${props.name}-storage-cmk` });
    const storageGrant = this.grant('storage-key-access', keyScope, this.storageIdentity.principalId, 'storage accounts');
    // Storage accounts validate the key through this identity when they are created: after the wait.
    const storageReady = waitForGrants(this, 'storage-key-access-propagation', [storageGrant], delay);
    this.storageCmk = { keyVaultKeyId: this.keyVaultKeyId, identityId: this.storageIdentity.id, grant: storageReady };
    if (props.workspaceId) this.exportAuditLog(props.workspaceId, props.auditArchiveStorageAccountId);
  }

  /**
   * Sends the created vault's AuditEvent log (every data-plane call) to `workspaceId` and, when
   * given, to the archive account; no-op for a caller's key (its vault is the caller's to log).
   */
  public exportAuditLog(workspaceId: string, archiveStorageAccountId?: string, dependsOn: ITerraformDependable[] = []): MonitorDiagnosticSetting | undefined {
    if (!this.vault || this.auditLog) return this.auditLog;
    this.auditLog = new MonitorDiagnosticSetting(this, 'vault-audit', {
      name: `${this.props.name}-key-vault-audit`,
      targetResourceId: this.vault.id,
      logAnalyticsWorkspaceId: workspaceId,
      storageAccountId: archiveStorageAccountId,
      enabledLog: [{ category: KEY_VAULT_AUDIT_CATEGORY }],
      dependsOn: dependsOn.length > 0 ? dependsOn : undefined,
    });
    return this.auditLog;
  }

  private grant(id: string, scope: string, principalId: string, what: string): RoleAssignment {
    return new RoleAssignment(this, id, {
      scope,
      roleDefinitionName: AZURE_BUILT_IN_ROLES.cryptoServiceEncryptionUser,
      principalId,
      principalType: 'ServicePrincipal',
      description: `Wrap/unwrap with the platform key for ${what}`,
    });
  }
}
