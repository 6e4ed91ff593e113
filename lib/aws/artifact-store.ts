import { Construct } from 'constructs';
import { AwsAccountContext } from './context';
import { SecureBucket } from './secure-bucket';

export interface AwsArtifactStoreProps {
  readonly name: string;
  readonly kmsKeyArn: string;
  /** Access-log target bucket name (required under soc2/hipaa). Default: no access logging. */
  readonly accessLogBucket?: string;
  /** Days to keep noncurrent versions of templates and snapshots. Default 30. */
  readonly noncurrentVersionDays?: number;
  /** prevent_destroy on the bucket: it holds sandbox templates and snapshots (soc2/hipaa). Default false. */
  readonly preventDestroy?: boolean;
}

/** The S3 bucket for sandbox templates and snapshots: SSE-KMS with the platform CMK, versioned, private, TLS only. */
export class AwsArtifactStore extends Construct {
  public readonly bucket: SecureBucket;
  public readonly bucketName: string;
  public readonly bucketArn: string;

  constructor(scope: Construct, id: string, props: AwsArtifactStoreProps) {
    super(scope, id);
    this.bucket = new SecureBucket(this, 'artifacts', {
      bucketPrefix: `${props.name}-artifacts-`,
      kmsKeyArn: props.kmsKeyArn,
      accessLogBucket: props.accessLogBucket,
      noncurrentVersionDays: props.noncurrentVersionDays ?? 30,
      preventDestroy: props.preventDestroy,
    });
    this.bucketName = this.bucket.bucketName;
    this.bucketArn = this.bucket.bucketArn;
  }
}

export interface AwsAccessLogBucketProps {
  readonly name: string;
  readonly context: AwsAccountContext;
  /** Days to keep access logs (the profile's log retention). */
  readonly retentionDays: number;
  readonly preventDestroy?: boolean;
}

/**
 * Target of S3 server access logs. SSE-S3, because log delivery does not support SSE-KMS
 * targets; write access only for the S3 logging service from this account
 * (docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html#grant-log-delivery-permissions-general).
 */
export class AwsAccessLogBucket extends Construct {
  public readonly bucket: SecureBucket;
  public readonly bucketName: string;

  constructor(scope: Construct, id: string, props: AwsAccessLogBucketProps) {
    super(scope, id);
    this.bucket = new SecureBucket(this, 'access-logs', {
      bucketPrefix: `${props.name}-access-logs-`,
      expireAfterDays: props.retentionDays,
      // The access logs of the trail bucket are audit evidence: a deleted log stays recoverable for
      // the whole retention. (Object Lock is not possible here: "S3 buckets with Object Lock can't
      // be used as destination buckets for server access logs",
      // docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-configure.html.)
      noncurrentVersionDays: props.retentionDays,
      preventDestroy: props.preventDestroy,
      extraPolicy: (arn) => [{
        Sid: 'S3ServerAccessLogDelivery',
        Effect: 'Allow',
        Principal: { Service: 'logging.s3.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: `${arn}/access/*`,
        Condition: {
          StringEquals: { 'aws:SourceAccount': props.context.accountId },
          ArnLike: { 'aws:SourceArn': `arn:${props.context.partition}:s3:::${props.name}-*` },
        },
      }],
    });
    this.bucketName = this.bucket.bucketName;
  }
}
