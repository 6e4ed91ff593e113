import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { Construct } from 'constructs';

/**
 * Account, partition and region of the provider in scope, read once per platform so ARNs and
 * service principals are never hard-coded to "aws" or one region.
 */
export class AwsAccountContext extends Construct {
  public readonly accountId: string;
  public readonly partition: string;
  public readonly region: string;
  public readonly dnsSuffix: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.accountId = new DataAwsCallerIdentity(this, 'account').accountId;
    const partition = new DataAwsPartition(this, 'partition');
    this.partition = partition.partition;
    this.dnsSuffix = partition.dnsSuffix;
    // `region` (not the deprecated `name`) in aws provider 6.x.
    this.region = new DataAwsRegion(this, 'region').region;
  }

  /** ARN with this account, partition and region filled in. */
  public arn(service: string, resource: string, opts: AwsArnOptions = {}): string {
    return `arn:${this.partition}:${service}:${opts.global ? '' : this.region}:${opts.noAccount ? '' : this.accountId}:${resource}`;
  }
}

/** Options of AwsAccountContext.arn. */
export interface AwsArnOptions {
  /** A global service (IAM, CloudFront): no region in the ARN. Default false. */
  readonly global?: boolean;
  /** A resource without an account in its ARN (S3 buckets). Default false. */
  readonly noAccount?: boolean;
}
