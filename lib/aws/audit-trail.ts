import { Cloudtrail } from '@cdktf/provider-aws/lib/cloudtrail';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Construct } from 'constructs';
import { AwsAccountContext } from './context';
import { encryptedLogGroup } from './log-group';
import { policyDocument, serviceTrust } from './policy';
import { SecureBucket } from './secure-bucket';

export interface AwsAuditTrailProps {
  readonly name: string;
  readonly context: AwsAccountContext;
  readonly kmsKeyArn: string;
  readonly logRetentionDays: number;
  /** Access-log target for the trail bucket (soc2/hipaa). Default: none. */
  readonly accessLogBucket?: string;
  /** Record S3 object-level (data) events on this bucket, e.g. the artifact store. Default: none. */
  readonly dataEventBucketArn?: string;
  readonly preventDestroy?: boolean;
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
      noncurrentVersionDays: 90,
      expireAfterDays: props.logRetentionDays,
      preventDestroy: props.preventDestroy,
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
      name: `/sandbox/${name}/cloudtrail`, retentionDays: props.logRetentionDays, kmsKeyArn: props.kmsKeyArn, preventDestroy: props.preventDestroy,
    });
    const role = new IamRole(this, 'trail-logs-role', {
      name: `${name}-cloudtrail-logs`,
      assumeRolePolicy: serviceTrust('cloudtrail.amazonaws.com', { StringEquals: { 'aws:SourceArn': trailArn } }),
    });
    new IamRolePolicy(this, 'trail-logs-policy', {
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
      dependsOn: [this.bucket.policy],
    });
  }
}
