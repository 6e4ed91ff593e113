import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { AwsAccountContext } from './context';
import { PolicyStatement, policyDocument } from './policy';

export interface AwsPlatformKeyProps {
  /** Platform name: alias/<name>-platform. */
  readonly name: string;
  readonly context: AwsAccountContext;
  /**
   * ARN of the Auto Scaling service-linked role the platform's groups use (AwsAutoScalingServiceLinkedRole).
   * The key policy names it, so it must exist before the key: pass the role's `arn` attribute
   * and the key orders itself after it. Default: the account's default AWSServiceRoleForAutoScaling
   * (which a fresh account does not have: KMS then rejects the policy).
   */
  readonly autoScalingServiceLinkedRoleArn?: string;
  /** Automatic rotation period in days (90..2560). Default 365. */
  readonly rotationPeriodDays?: number;
  /** Add lifecycle.prevent_destroy. Default false. */
  readonly preventDestroy?: boolean;
  /** Days before a scheduled deletion completes (7..30). Default 30. */
  readonly deletionWindowDays?: number;
  /** Resources the key is created after (the service-linked role). Default none. */
  readonly dependsOn?: ITerraformDependable[];
}

/** Where a platform key lives: partition, account and region (tokens or literals). */
export interface AwsKeyPolicyScope {
  readonly partition: string;
  readonly accountId: string;
  readonly region: string;
  /** The Auto Scaling service-linked role ARN of the platform (see autoScalingServiceLinkedRoleArn). */
  readonly autoScalingServiceLinkedRoleArn: string;
}

/** The default Auto Scaling service-linked role of an account (AWSServiceRoleForAutoScaling). */
export function defaultAutoScalingServiceLinkedRoleArn(partition: string, accountId: string): string {
  return `arn:${partition}:iam::${accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
}

/**
 * The key-policy statements a platform key needs, for a key you bring (AwsSandboxPlatformProps.kmsKeyArn):
 * add them to its policy. They let the account's IAM govern use, and let CloudWatch Logs,
 * CloudTrail, CloudWatch alarms (to the encrypted SNS topic) and the platform's Auto Scaling
 * service-linked role (EBS volumes of the nodes, through grants) use the key. KMS rejects a policy
 * naming a principal that does not exist yet, so create the service-linked role first.
 * Sources: docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html,
 * docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html,
 * docs.aws.amazon.com/autoscaling/ec2/userguide/key-policy-requirements-EBS-encryption.html
 * ("Allow service-linked role use of the customer managed key" and "Allow attachment of
 * persistent resources": kms:CreateGrant with kms:GrantIsForAWSResource = true).
 */
export function awsPlatformKeyPolicyStatements(scope: AwsKeyPolicyScope): PolicyStatement[] {
  const account = scope.accountId;
  const trails = `arn:${scope.partition}:cloudtrail:*:${account}:trail/*`;
  const asgRole = scope.autoScalingServiceLinkedRoleArn;
  return [
    {
      Sid: 'AccountIamGovernsUse',
      Effect: 'Allow',
      Principal: { AWS: `arn:${scope.partition}:iam::${account}:root` },
      Action: 'kms:*',
      Resource: '*',
    },
    {
      Sid: 'CloudWatchLogs',
      Effect: 'Allow',
      Principal: { Service: `logs.${scope.region}.amazonaws.com` },
      Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      Resource: '*',
      Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${scope.partition}:logs:${scope.region}:${account}:*` } },
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
      // EventBridge rules publishing to an encrypted topic (the launch-unsuccessful alert):
      // docs.aws.amazon.com/eventbridge/latest/userguide/eb-troubleshooting.html (encrypted SNS topics).
      Sid: 'EventBridgeToEncryptedSns',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
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
}

/** The whole key policy (JSON) of a platform key: awsPlatformKeyPolicyStatements as a document. */
export function awsPlatformKeyPolicy(scope: AwsKeyPolicyScope): string {
  return policyDocument(awsPlatformKeyPolicyStatements(scope));
}

/**
 * The platform's customer-managed KMS key. Its policy lets this account's IAM govern use (the
 * node and control-plane roles get grants through their own policies) and lets the services that
 * write encrypted data on the platform's behalf use it, each narrowed by encryption context or
 * source ARN: CloudWatch Logs, CloudTrail, SNS from CloudWatch alarms, and the platform's Auto
 * Scaling service-linked role (which launches instances with CMK-encrypted EBS volumes).
 * See awsPlatformKeyPolicyStatements for the sources.
 */
export class AwsPlatformKey extends Construct {
  public readonly key: KmsKey;
  public readonly keyArn: string;

  constructor(scope: Construct, id: string, props: AwsPlatformKeyProps) {
    super(scope, id);
    const ctx = props.context;
    const policy = awsPlatformKeyPolicy({
      partition: ctx.partition, accountId: ctx.accountId, region: ctx.region,
      autoScalingServiceLinkedRoleArn: props.autoScalingServiceLinkedRoleArn ?? defaultAutoScalingServiceLinkedRoleArn(ctx.partition, ctx.accountId),
    });
    this.key = new KmsKey(this, 'key', {
      description: `${props.name} sandbox platform: disks, buckets, logs, trail, alerts`,
      enableKeyRotation: true,
      rotationPeriodInDays: props.rotationPeriodDays ?? 365,
      deletionWindowInDays: props.deletionWindowDays ?? 30,
      policy,
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
      dependsOn: props.dependsOn,
    });
    new KmsAlias(this, 'alias', { name: `alias/${props.name}-platform`, targetKeyId: this.key.keyId });
    this.keyArn = this.key.arn;
  }
}
