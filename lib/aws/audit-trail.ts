import { Cloudtrail } from '@cdktf/provider-aws/lib/cloudtrail';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Construct } from 'constructs';
import { AwsAccountContext } from './context';
import { encryptedLogGroup } from './log-group';
import { policyDocument, serviceTrust } from './policy';
import { S3ObjectLock, SecureBucket } from './secure-bucket';

export interface AwsAuditTrailProps {
  readonly name: string;
  readonly context: AwsAccountContext;
  readonly kmsKeyArn: string;
  readonly logRetentionDays: number;
  /** Access-log target for the trail bucket (soc2/hipaa). Default: none. */
  readonly accessLogBucket?: string;
  /** Record S3 object-level (data) events on this bucket, e.g. the artifact store. Default: none. */
  readonly dataEventBucketArn?: string;
  /** prevent_destroy on the trail, its bucket and log group (soc2/hipaa). Default false. */
  readonly preventDestroy?: boolean;
  /**
   * S3 Object Lock on the trail bucket: every delivered log file is write-once for `days` (hipaa:
   * the retention floor). Default: none.
   */
  readonly objectLock?: S3ObjectLock;
  /**
   * Name of the trail's CloudWatch log group. It must lie outside the prefix the vendor's role
   * may read (/sandbox/<name>/): the trail records the whole account. Default "/audit/<name>/cloudtrail".
   */
  readonly logGroupName?: string;
}

/** The trail's log group: outside the vendor-readable /sandbox/<name>/ prefix. */
export function auditTrailLogGroupName(name: string): string {
  return `/audit/${name}/cloudtrail`;
}

/**
 * A multi-region CloudTrail with global service events, log-file validation, SSE-KMS with the
 * platform key, delivery to CloudWatch Logs, and its own private bucket that only this trail can
 * write to (docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html).
 */
export class AwsAuditTrail extends Construct {
  public readonly trail: Cloudtrail;
  public readonly bucket: SecureBucket;

  constructor(scope: Construct, id: string, props: AwsAuditTrailProps) {
    super(scope, id);
    const { context: ctx, name } = props;
    const trailName = `${name}-audit`;
    // Built from parts, not from the trail's attribute, to avoid a bucket-policy <-> trail cycle.
    const trailArn = ctx.arn('cloudtrail', `trail/${trailName}`);
    const sourceArn = { StringEquals: { 'aws:SourceArn': trailArn } };
    this.bucket = new SecureBucket(this, 'trail-bucket', {
      bucketPrefix: `${name}-audit-trail-`,
      kmsKeyArn: props.kmsKeyArn,
      accessLogBucket: props.accessLogBucket,
      // A deleted or overwritten log file stays recoverable for the whole retention (finding 6).
      noncurrentVersionDays: props.logRetentionDays,
      expireAfterDays: props.logRetentionDays,
      preventDestroy: props.preventDestroy,
      objectLock: props.objectLock,
      extraPolicy: (arn) => [
        { Sid: 'CloudTrailAclCheck', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:GetBucketAcl', Resource: arn, Condition: sourceArn },
        {
          Sid: 'CloudTrailWrite',
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: `${arn}/AWSLogs/${ctx.accountId}/*`,
          Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': trailArn } },
        },
      ],
    });
    const logGroup = encryptedLogGroup(this, 'trail-logs', {
      name: props.logGroupName ?? auditTrailLogGroupName(name), retentionDays: props.logRetentionDays, kmsKeyArn: props.kmsKeyArn, preventDestroy: props.preventDestroy,
    });
    // The trust carries no aws:SourceArn condition: AWS documents this role's trust without one
    // (docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html
    // and cloudtrail-required-policy-for-cloudwatch-logs.html), and CloudTrail's confused-deputy page
    // lists the condition keys for resource policies (bucket, topic, key) only. Whether CloudTrail
    // sends aws:SourceArn when it validates the role is not documented; if it did not, CreateTrail
    // would fail with InvalidCloudWatchLogsRoleArnException (finding 7). Only CloudTrail can assume
    // the role, and only for a trail whose creator may iam:PassRole it in this account.
    const role = new IamRole(this, 'trail-logs-role', {
      name: `${name}-cloudtrail-logs`,
      assumeRolePolicy: serviceTrust('cloudtrail.amazonaws.com'),
    });
    const deliveryPolicy = new IamRolePolicy(this, 'trail-logs-policy', {
      role: role.id,
      name: 'deliver-to-cloudwatch-logs',
      policy: policyDocument([{ Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `${logGroup.arn}:log-stream:*` }]),
    });
    this.trail = new Cloudtrail(this, 'trail', {
      name: trailName,
      s3BucketName: this.bucket.bucketName,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      enableLogging: true,
      kmsKeyId: props.kmsKeyArn,
      cloudWatchLogsGroupArn: `${logGroup.arn}:*`,
      cloudWatchLogsRoleArn: role.arn,
      eventSelector: [{
        readWriteType: 'All',
        includeManagementEvents: true,
        dataResource: props.dataEventBucketArn ? [{ type: 'AWS::S3::Object', values: [`${props.dataEventBucketArn}/`] }] : undefined,
      }],
      // The bucket policy and the delivery role's policy must be in place first (finding 8); with
      // Object Lock, its default retention too, so no log file lands unlocked.
      dependsOn: [this.bucket.policy, deliveryPolicy, ...(this.bucket.objectLock ? [this.bucket.objectLock] : [])],
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
  }
}
