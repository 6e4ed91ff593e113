import { CloudProvider, ComplianceProfile, DeploymentModel } from './types';

/**
 * The concrete settings a (deployment x compliance) preset implies. Explicit spec values may
 * tighten these but never go below the profile's floor.
 */
export interface CompliancePreset {
  readonly profile: ComplianceProfile;
  /** Customer-managed keys are required for disks, buckets and logs (baseline: created anyway, may be replaced by the user's key). */
  readonly customerManagedKeysRequired: boolean;
  /** Minimum log retention in days. */
  readonly logRetentionFloorDays: number;
  /** Maximum key rotation period in days, per cloud. */
  readonly keyRotationMaxDays: { readonly [cloud: string]: number };
  /** Audit trail with log-file integrity validation. */
  readonly auditLogFileValidation: boolean;
  /** Stateful resources (keys, audit/log buckets) get lifecycle.prevent_destroy. */
  readonly preventDestroy: boolean;
  /** One NAT gateway per zone (true) or a single shared one (false). */
  readonly natPerZone: boolean;
  /** Access logging on artifact and audit buckets. */
  readonly bucketAccessLogging: boolean;
  /** Minimum TLS version for storage endpoints. */
  readonly tlsMinimum: '1.2';
  /** Lock the log bucket's retention (GCP) / immutability where the cloud supports it. */
  readonly lockLogRetention: boolean;
}

export interface DeploymentPreset {
  readonly model: DeploymentModel;
  /** A vendor control-plane principal must be given and gets a scoped role. */
  readonly controlPlaneRole: boolean;
}

/**
 * Log retention floors.
 * - baseline 90 d: CIS AWS Foundations / common SIEM practice for 90 days online.
 * - soc2 365 d: SOC 2 CC7.2/CC4.1 evidence over a 12-month Type II audit window (interpretation; SOC 2 prescribes no number).
 * - hipaa 2192 d: 6 years, 45 CFR 164.316(b)(2)(i); CloudWatch Logs accepts 2192 but not 2190
 *   (docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html).
 */
export const LOG_RETENTION_FLOOR_DAYS: { readonly [p in ComplianceProfile]: number } = Object.freeze({
  [ComplianceProfile.BASELINE]: 90,
  [ComplianceProfile.SOC2]: 365,
  [ComplianceProfile.HIPAA]: 2192,
});

/**
 * Key rotation ceilings: AWS KMS automatic rotation period 90..2560 days, we use 365
 * (docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html); GCP 90 days per CIS GCP 1.10;
 * Azure Key Vault rotation policy, 365 days (CIS Azure 8.x "key expiration" guidance).
 */
const KEY_ROTATION = Object.freeze({ [CloudProvider.AWS]: 365, [CloudProvider.GCP]: 90, [CloudProvider.AZURE]: 365 } as const);

// Frozen: every resolved plan shares these objects, so a caller must not be able to edit a profile.
const PRESETS: { readonly [p in ComplianceProfile]: CompliancePreset } = {
  [ComplianceProfile.BASELINE]: Object.freeze({
    profile: ComplianceProfile.BASELINE,
    customerManagedKeysRequired: false,
    logRetentionFloorDays: LOG_RETENTION_FLOOR_DAYS[ComplianceProfile.BASELINE],
    keyRotationMaxDays: KEY_ROTATION,
    // Log-file validation costs nothing and checkov (CKV_AWS_36) expects it: on for every profile.
    auditLogFileValidation: true,
    preventDestroy: false,
    natPerZone: false,
    bucketAccessLogging: false,
    tlsMinimum: '1.2',
    lockLogRetention: false,
  }),
  [ComplianceProfile.SOC2]: Object.freeze({
    profile: ComplianceProfile.SOC2,
    customerManagedKeysRequired: true,
    logRetentionFloorDays: LOG_RETENTION_FLOOR_DAYS[ComplianceProfile.SOC2],
    keyRotationMaxDays: KEY_ROTATION,
    auditLogFileValidation: true,
    preventDestroy: true,
    natPerZone: true,
    bucketAccessLogging: true,
    tlsMinimum: '1.2',
    lockLogRetention: false,
  }),
  [ComplianceProfile.HIPAA]: Object.freeze({
    profile: ComplianceProfile.HIPAA,
    customerManagedKeysRequired: true,
    logRetentionFloorDays: LOG_RETENTION_FLOOR_DAYS[ComplianceProfile.HIPAA],
    keyRotationMaxDays: KEY_ROTATION,
    auditLogFileValidation: true,
    preventDestroy: true,
    natPerZone: true,
    bucketAccessLogging: true,
    tlsMinimum: '1.2',
    lockLogRetention: true,
  }),
};

export function compliancePreset(profile: ComplianceProfile): CompliancePreset {
  return PRESETS[profile];
}

export function deploymentPreset(model: DeploymentModel): DeploymentPreset {
  return { model, controlPlaneRole: model === DeploymentModel.BYOC };
}
