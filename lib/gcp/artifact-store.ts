import { StorageBucketIamMember } from '@cdktf/provider-google/lib/storage-bucket-iam-member';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { GcsSecureBucket } from './secure-bucket';

/**
 * Writer of Cloud Storage usage and storage logs; it needs roles/storage.objectCreator on the log
 * bucket (cloud.google.com/storage/docs/access-logs#delivery).
 */
export const GCS_STORAGE_ANALYTICS_GROUP = 'group:cloud-storage-analytics@google.com';

export interface GcpArtifactStoreProps {
  readonly project: string;
  readonly region: string;
  /** Bucket name (globally unique). */
  readonly bucketName: string;
  /** CMEK for the bucket. */
  readonly kmsKeyId: string;
  /** Usage-log target bucket. Default: no usage logs (object access is recorded by Data Access audit logs). */
  readonly accessLogBucket?: string;
  /** Days to keep noncurrent versions of templates and snapshots. Default 30. */
  readonly noncurrentVersionDays?: number;
  readonly preventDestroy?: boolean;
  /** Create after these (the Cloud Storage service agent's key grant). */
  readonly dependsOn?: ITerraformDependable[];
}

/** The bucket for sandbox templates and snapshots: CMEK, versioned, private, usage-logged where the preset asks. */
export class GcpArtifactStore extends Construct {
  public readonly bucket: GcsSecureBucket;
  public readonly bucketName: string;

  constructor(scope: Construct, id: string, props: GcpArtifactStoreProps) {
    super(scope, id);
    this.bucket = new GcsSecureBucket(this, 'artifacts', {
      project: props.project, name: props.bucketName, location: props.region, kmsKeyId: props.kmsKeyId,
      accessLogBucket: props.accessLogBucket, noncurrentVersionDays: props.noncurrentVersionDays ?? 30,
      preventDestroy: props.preventDestroy, dependsOn: props.dependsOn,
    });
    this.bucketName = this.bucket.bucketName;
  }
}

export interface GcpAccessLogBucketProps {
  readonly project: string;
  readonly region: string;
  readonly bucketName: string;
  readonly kmsKeyId: string;
  /** Days to keep usage logs (the profile's log retention). */
  readonly retentionDays: number;
  readonly preventDestroy?: boolean;
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * Target of Cloud Storage usage logs: CMEK like every bucket (objects written by the analytics
 * service are encrypted by the bucket's default key through the Cloud Storage service agent),
 * versioned, expiring after the retention period, writable only by cloud-storage-analytics@google.com.
 * The platform no longer uses it (Data Access audit logs record object access instead): the grant
 * to that Google group fails in organizations with Domain Restricted Sharing
 * (constraints/iam.allowedPolicyMemberDomains) unless Google's customer ID is allowed.
 */
export class GcpAccessLogBucket extends Construct {
  public readonly bucket: GcsSecureBucket;
  public readonly bucketName: string;

  constructor(scope: Construct, id: string, props: GcpAccessLogBucketProps) {
    super(scope, id);
    this.bucket = new GcsSecureBucket(this, 'access-logs', {
      project: props.project, name: props.bucketName, location: props.region, kmsKeyId: props.kmsKeyId,
      noncurrentVersionDays: 7, expireAfterDays: props.retentionDays, preventDestroy: props.preventDestroy, dependsOn: props.dependsOn,
    });
    this.bucketName = this.bucket.bucketName;
    new StorageBucketIamMember(this, 'analytics-writer', { bucket: this.bucketName, role: 'roles/storage.objectCreator', member: GCS_STORAGE_ANALYTICS_GROUP });
  }
}
