import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging';
import { S3BucketObjectLockConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { Construct } from 'constructs';
import { PolicyStatement, policyDocument } from './policy';

/** S3 Object Lock retention modes (docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html#object-lock-retention-modes). */
export enum S3ObjectLockMode {
  /** Nobody without s3:BypassGovernanceRetention can delete or overwrite a locked version before it expires. */
  GOVERNANCE = 'GOVERNANCE',
  /** Nobody, the root user included, can delete or overwrite a locked version before it expires. */
  COMPLIANCE = 'COMPLIANCE',
}

/** Default retention of every new object version (write once, read many). */
export interface S3ObjectLock {
  readonly mode: S3ObjectLockMode;
  /** Days each version stays locked. */
  readonly days: number;
}

export interface SecureBucketProps {
  /** bucket_prefix (<= 37 characters); S3 appends a unique suffix. */
  readonly bucketPrefix: string;
  /**
   * CMK for SSE-KMS. Omit only for an access-log target bucket: S3 server access logging
   * delivers only to SSE-S3 buckets (docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html).
   */
  readonly kmsKeyArn?: string;
  /** Server access logging to this bucket (name). Default: none. */
  readonly accessLogBucket?: string;
  /** Expire noncurrent object versions after this many days. Default 30. */
  readonly noncurrentVersionDays?: number;
  /** Expire current objects after this many days (log buckets). Default: never. */
  readonly expireAfterDays?: number;
  /**
   * Statements added to the bucket policy after the TLS-only denies.
   * @jsii ignore not in Python: a callback prop (jsii languages cannot pass one here).
   */
  readonly extraPolicy?: (bucketArn: string) => PolicyStatement[];
  readonly preventDestroy?: boolean;
  /**
   * S3 Object Lock with this default retention. Object Lock can only be enabled when the bucket is
   * created (object_lock_enabled forces a new bucket), never turned off, and a bucket with it can
   * not receive server access logs. Default: none.
   */
  readonly objectLock?: S3ObjectLock;
}

/**
 * An S3 bucket that cannot be made public by accident: owner-enforced ownership (no ACLs), all
 * four public-access-block flags, default encryption (SSE-KMS with a bucket key), versioning,
 * TLS 1.2+ only, noncurrent-version expiry and abandoned multipart cleanup, optional access logs.
 */
export class SecureBucket extends Construct {
  public readonly bucket: S3Bucket;
  public readonly bucketName: string;
  public readonly bucketArn: string;
  /** Depend on this before writing to the bucket (e.g. CloudTrail needs the policy first). */
  public readonly policy: S3BucketPolicy;
  /** The default retention, when props.objectLock is set. */
  public readonly objectLock?: S3BucketObjectLockConfigurationA;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    this.bucket = new S3Bucket(this, 'bucket', {
      bucketPrefix: props.bucketPrefix,
      objectLockEnabled: props.objectLock ? true : undefined,
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    this.bucketName = this.bucket.bucket;
    this.bucketArn = this.bucket.arn;
    const bucket = this.bucket.id;
    new S3BucketOwnershipControls(this, 'ownership', { bucket, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    const pab = new S3BucketPublicAccessBlock(this, 'public-access-block', {
      bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
    });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket,
      rule: [props.kmsKeyArn
        ? { applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.kmsKeyArn }, bucketKeyEnabled: true }
        : { applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
    });
    const versioning = new S3BucketVersioningA(this, 'versioning', { bucket, versioningConfiguration: { status: 'Enabled' } });
    if (props.objectLock) {
      // aws_s3_bucket_object_lock_configuration: rule.default_retention { mode, days }; mode is
      // GOVERNANCE or COMPLIANCE (provider validator: the SDK's ObjectLockRetentionMode enum).
      this.objectLock = new S3BucketObjectLockConfigurationA(this, 'object-lock', {
        bucket,
        rule: { defaultRetention: { mode: props.objectLock.mode, days: props.objectLock.days } },
        dependsOn: [versioning],
      });
    }
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket,
      rule: [{
        id: 'housekeeping',
        status: 'Enabled',
        filter: [{ prefix: '' }],
        noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionDays ?? 30 }],
        abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        ...(props.expireAfterDays ? { expiration: [{ days: props.expireAfterDays }] } : {}),
      }],
    });
    if (props.accessLogBucket) {
      new S3BucketLoggingA(this, 'logging', { bucket, targetBucket: props.accessLogBucket, targetPrefix: 'access/' });
    }
    const arn = this.bucket.arn;
    this.policy = new S3BucketPolicy(this, 'policy', {
      bucket,
      dependsOn: [pab],
      policy: policyDocument([
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [arn, `${arn}/*`],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
        {
          Sid: 'DenyTlsBelow12',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [arn, `${arn}/*`],
          Condition: { NumericLessThan: { 's3:TlsVersion': '1.2' } },
        },
        ...(props.extraPolicy?.(arn) ?? []),
      ]),
    });
  }
}
