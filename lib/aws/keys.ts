import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Construct } from 'constructs';
import { AwsAccountContext } from './context';
import { PolicyStatement, policyDocument } from './policy';

export interface AwsPlatformKeyProps {
  /** Platform name: alias/<name>-platform. */
  readonly name: string;
  readonly context: AwsAccountContext;
  /** Automatic rotation period in days (90..2560). Default 365. */
  readonly rotationPeriodDays?: number;
  /** Add lifecycle.prevent_destroy. Default false. */
  readonly preventDestroy?: boolean;
  /** Days before a scheduled deletion completes (7..30). Default 30. */
  readonly deletionWindowDays?: number;
}

/**
 * The platform's customer-managed KMS key. Its policy lets this account's IAM govern use (the
 * node and control-plane roles get grants through their own policies) and lets the services that
 * write encrypted data on the platform's behalf use it, each narrowed by encryption context or
 * source ARN: CloudWatch Logs, CloudTrail, SNS from CloudWatch alarms, and the Auto Scaling
 * service-linked role (which launches instances with CMK-encrypted EBS volumes).
 * Sources: docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html,
 * docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html,
 * docs.aws.amazon.com/autoscaling/ec2/userguide/key-policy-requirements-EBS-encryption.html.
 */
export class AwsPlatformKey extends Construct {
  public readonly key: KmsKey;
  public readonly keyArn: string;

  constructor(scope: Construct, id: string, props: AwsPlatformKeyProps) {
    super(scope, id);
    const ctx = props.context;
    const account = ctx.accountId;
    const trails = `arn:${ctx.partition}:cloudtrail:*:${account}:trail/*`;
    const asgRole = `arn:${ctx.partition}:iam::${account}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
    const statements: PolicyStatement[] = [
      {
        Sid: 'AccountIamGovernsUse',
        Effect: 'Allow',
        Principal: { AWS: `arn:${ctx.partition}:iam::${account}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
      {
        Sid: 'CloudWatchLogs',
        Effect: 'Allow',
        Principal: { Service: `logs.${ctx.region}.amazonaws.com` },
        Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        Resource: '*',
        Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': ctx.arn('logs', '*') } },
      },
      // CloudTrail: encrypt (context-bound), describe (no encryption context on DescribeKey, so a
      // separate statement), and decrypt, which trail creation needs when the trail bucket uses
      // an S3 Bucket Key with this key.
      {
        Sid: 'CloudTrailEncrypt',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 'kms:GenerateDataKey*',
        Resource: '*',
        Condition: {
          StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': trails, 'aws:SourceArn': trails },
        },
      },
      {
        Sid: 'CloudTrailDescribe',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 'kms:DescribeKey',
        Resource: '*',
        Condition: { StringLike: { 'aws:SourceArn': trails } },
      },
      {
        Sid: 'CloudTrailDecryptForBucketKey',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 'kms:Decrypt',
        Resource: '*',
        Condition: { StringLike: { 'aws:SourceArn': trails } },
      },
      {
        // Alarms publishing to an encrypted topic (AWS knowledge center: "CloudWatch alarm
        // notifications to an encrypted SNS topic"); CloudWatch sends no source condition keys.
        Sid: 'CloudWatchAlarmsToEncryptedSns',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Resource: '*',
      },
      {
        Sid: 'AutoScalingUseForEbs',
        Effect: 'Allow',
        Principal: { AWS: asgRole },
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
        Resource: '*',
      },
      {
        Sid: 'AutoScalingGrantsForEbs',
        Effect: 'Allow',
        Principal: { AWS: asgRole },
        Action: 'kms:CreateGrant',
        Resource: '*',
        Condition: { Bool: { 'kms:GrantIsForAWSResource': true } },
      },
    ];
    this.key = new KmsKey(this, 'key', {
      description: `${props.name} sandbox platform: disks, buckets, logs, trail, alerts`,
      enableKeyRotation: true,
      rotationPeriodInDays: props.rotationPeriodDays ?? 365,
      deletionWindowInDays: props.deletionWindowDays ?? 30,
      policy: policyDocument(statements),
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    new KmsAlias(this, 'alias', { name: `alias/${props.name}-platform`, targetKeyId: this.key.keyId });
    this.keyArn = this.key.arn;
  }
}
