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
      noncurrentVersionDays: 7,
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
