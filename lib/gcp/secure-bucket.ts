import { StorageBucket, StorageBucketLifecycleRule } from '@cdktf/provider-google/lib/storage-bucket';
import { ITerraformDependable, Token } from 'cdktf';
import { Construct } from 'constructs';

/** Bucket names: 3..63 characters of lowercase letters, digits, "-", "_" and "." (cloud.google.com/storage/docs/buckets#naming). */
const BUCKET_NAME = /^[a-z0-9][a-z0-9_.-]{1,61}[a-z0-9]$/;

export interface GcsSecureBucketProps {
  readonly project: string;
  /** Globally unique bucket name (3..63 characters; no "goog" prefix, no "google"). */
  readonly name: string;
  /** Bucket location: the platform's region (CMEK keys must be in the same location). */
  readonly location: string;
  /** Cloud KMS key id for default encryption (CMEK). */
  readonly kmsKeyId: string;
  /** Usage and storage logs to this bucket (name). Default: none. */
  readonly accessLogBucket?: string;
  /** Delete noncurrent object versions this many days after they become noncurrent. Default 30. */
  readonly noncurrentVersionDays?: number;
  /** Delete objects this many days after creation (log buckets). Default: never. */
  readonly expireAfterDays?: number;
  readonly preventDestroy?: boolean;
  /** Resources to create first: the Cloud Storage service agent's grant on the key. */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * A Cloud Storage bucket that cannot be made public by accident: uniform bucket-level access (no
 * ACLs), public access prevention enforced, default CMEK, versioning, noncurrent-version expiry,
 * optional usage logs. Sources: cloud.google.com/storage/docs/uniform-bucket-level-access,
 * cloud.google.com/storage/docs/public-access-prevention, cloud.google.com/storage/docs/access-logs.
 * TLS: Cloud Storage serves only HTTPS endpoints; a TLS floor is an organization policy
 * (constraints/gcp.restrictTLSVersion), not a bucket setting.
 */
export class GcsSecureBucket extends Construct {
  public readonly bucket: StorageBucket;
  public readonly bucketName: string;

  constructor(scope: Construct, id: string, props: GcsSecureBucketProps) {
    super(scope, id);
    if (!Token.isUnresolved(props.name) && (!BUCKET_NAME.test(props.name) || props.name.includes('google') || props.name.startsWith('goog'))) {
      throw new Error(`${this.node.path}: bucket name ${JSON.stringify(props.name)} is not valid: use 3..63 lowercase letters, digits, "-", "_" or "." ` +
        'starting and ending with a letter or digit, without "google" (pass bucketNamePrefix to choose another name)');
    }
    const lifecycleRule: StorageBucketLifecycleRule[] = [
      { action: { type: 'Delete' }, condition: { daysSinceNoncurrentTime: props.noncurrentVersionDays ?? 30, withState: 'ARCHIVED' } },
      { action: { type: 'AbortIncompleteMultipartUpload' }, condition: { age: 7 } },
    ];
    if (props.expireAfterDays !== undefined) lifecycleRule.push({ action: { type: 'Delete' }, condition: { age: props.expireAfterDays } });
    this.bucket = new StorageBucket(this, 'bucket', {
      project: props.project,
      name: props.name,
      location: props.location.toUpperCase(),
      storageClass: 'STANDARD',
      uniformBucketLevelAccess: true,
      publicAccessPrevention: 'enforced',
      versioning: { enabled: true },
      encryption: { defaultKmsKeyName: props.kmsKeyId },
      logging: props.accessLogBucket ? { logBucket: props.accessLogBucket, logObjectPrefix: 'access/' } : undefined,
      lifecycleRule,
      forceDestroy: false,
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
      dependsOn: props.dependsOn,
    });
    this.bucketName = this.bucket.name;
  }
}
