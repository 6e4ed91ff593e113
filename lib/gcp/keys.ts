import { KmsCryptoKey } from '@cdktf/provider-google/lib/kms-crypto-key';
import { KmsCryptoKeyIamMember } from '@cdktf/provider-google/lib/kms-crypto-key-iam-member';
import { KmsKeyRing } from '@cdktf/provider-google/lib/kms-key-ring';
import { Construct } from 'constructs';
import { GcpProjectContext } from './context';

/** The role a service agent needs to use a key for CMEK (cloud.google.com/kms/docs/reference/permissions-and-roles). */
export const GCP_KMS_ENCRYPTER_DECRYPTER = 'roles/cloudkms.cryptoKeyEncrypterDecrypter';

/** Default rotation: 90 days, the CIS GCP 1.10 ceiling the soc2/hipaa presets use. */
export const GCP_DEFAULT_ROTATION_DAYS = 90;

/** What a platform encrypts, one key each, so a key's grant reaches exactly one service agent. */
export enum GcpKeyPurpose {
  /** Boot disks of the sandbox hosts (Compute Engine service agent). */
  COMPUTE = 'compute',
  /** The artifact and access-log buckets (Cloud Storage service agent). */
  STORAGE = 'storage',
  /** The platform's log bucket (Cloud Logging service account). */
  LOGGING = 'logging',
}

/** The IAM member of the service agent that uses the key of a purpose. */
export function gcpServiceAgentFor(ctx: GcpProjectContext, purpose: GcpKeyPurpose): string {
  switch (purpose) {
    case GcpKeyPurpose.COMPUTE: return ctx.computeServiceAgent;
    case GcpKeyPurpose.STORAGE: return ctx.storageServiceAgent;
    default: return ctx.loggingServiceAgent;
  }
}

export interface GcpPlatformKeysProps {
  /** Platform name: key ring "<name>-platform", keys "<name>-<purpose>". */
  readonly name: string;
  readonly context: GcpProjectContext;
  /** Automatic rotation period in days (1..36500; at most 90 under soc2/hipaa). Default 90. */
  readonly rotationPeriodDays?: number;
  /** lifecycle.prevent_destroy on the key ring and keys. Default false. */
  readonly preventDestroy?: boolean;
  /** Days a destroyed key version stays recoverable (1..120). Default 30. */
  readonly destroyScheduledDays?: number;
  /** Key ring name. Default "<name>-platform". Key rings and keys can never be deleted in GCP: a re-created platform needs a new name. */
  readonly keyRingName?: string;
  /** Protection level of new key versions: "SOFTWARE" or "HSM". Default "SOFTWARE". */
  readonly protectionLevel?: string;
}

/**
 * A regional key ring (in the platform's region: Compute Engine, Cloud Storage and Cloud Logging
 * require the key in the location of the disk, bucket or log bucket) with one symmetric key per
 * purpose, rotated automatically, each usable only by the service agent of its purpose.
 * Key rings and keys cannot be deleted: `terraform destroy` removes them from state and schedules
 * their versions for destruction (cloud.google.com/kms/docs/resource-hierarchy#lifetime).
 */
export class GcpPlatformKeys extends Construct {
  public readonly keyRing: KmsKeyRing;
  public readonly keys: { readonly [purpose: string]: KmsCryptoKey };
  public readonly grants: { readonly [purpose: string]: KmsCryptoKeyIamMember };

  constructor(scope: Construct, id: string, props: GcpPlatformKeysProps) {
    super(scope, id);
    const { context: ctx } = props;
    const lifecycle = props.preventDestroy ? { preventDestroy: true } : undefined;
    const days = props.rotationPeriodDays ?? GCP_DEFAULT_ROTATION_DAYS;
    if (!Number.isInteger(days) || days < 1 || days > 36500) {
      throw new Error(`${this.node.path}: rotationPeriodDays must be an integer of 1..36500 days, got ${days}`);
    }
    const destroyDays = props.destroyScheduledDays ?? 30;
    this.keyRing = new KmsKeyRing(this, 'ring', {
      project: ctx.project, location: ctx.region, name: props.keyRingName ?? `${props.name}-platform`, lifecycle,
    });
    const keys = {} as { [purpose in GcpKeyPurpose]: KmsCryptoKey };
    const grants = {} as { [purpose in GcpKeyPurpose]: KmsCryptoKeyIamMember };
    for (const purpose of Object.values(GcpKeyPurpose)) {
      keys[purpose] = new KmsCryptoKey(this, purpose, {
        name: `${props.name}-${purpose}`,
        keyRing: this.keyRing.id,
        purpose: 'ENCRYPT_DECRYPT',
        // rotation_period is a duration in seconds with an "s" suffix (registry: google_kms_crypto_key).
        rotationPeriod: `${days * 86400}s`,
        destroyScheduledDuration: `${destroyDays * 86400}s`,
        versionTemplate: { algorithm: 'GOOGLE_SYMMETRIC_ENCRYPTION', protectionLevel: props.protectionLevel ?? 'SOFTWARE' },
        lifecycle,
      });
      grants[purpose] = new KmsCryptoKeyIamMember(this, `${purpose}-agent`, {
        cryptoKeyId: keys[purpose].id, role: GCP_KMS_ENCRYPTER_DECRYPTER, member: gcpServiceAgentFor(ctx, purpose),
      });
    }
    this.keys = keys;
    this.grants = grants;
  }

  /** The key id (projects/.../cryptoKeys/...) for a purpose. */
  public keyId(purpose: GcpKeyPurpose): string {
    return this.keys[purpose].id;
  }
}

export interface GcpKeyGrantsProps {
  /** The caller's key (projects/P/locations/L/keyRings/R/cryptoKeys/K), in the platform's region. */
  readonly kmsKeyId: string;
  readonly context: GcpProjectContext;
}

/**
 * Encrypter/decrypter grants for the Compute Engine, Cloud Storage and Cloud Logging service
 * agents on a key the caller brings (non-authoritative members: other grants on the key stay).
 * The deployer needs cloudkms.cryptoKeys.setIamPolicy on that key.
 */
export class GcpKeyGrants extends Construct {
  public readonly grants: { readonly [purpose: string]: KmsCryptoKeyIamMember };

  constructor(scope: Construct, id: string, props: GcpKeyGrantsProps) {
    super(scope, id);
    const ctx = props.context;
    const grants = {} as { [purpose in GcpKeyPurpose]: KmsCryptoKeyIamMember };
    for (const purpose of Object.values(GcpKeyPurpose)) {
      grants[purpose] = new KmsCryptoKeyIamMember(this, `${purpose}-agent`, {
        cryptoKeyId: props.kmsKeyId, role: GCP_KMS_ENCRYPTER_DECRYPTER, member: gcpServiceAgentFor(ctx, purpose),
      });
    }
    this.grants = grants;
  }
}
