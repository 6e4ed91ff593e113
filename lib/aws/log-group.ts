import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { Construct } from 'constructs';

export interface EncryptedLogGroupProps {
  readonly name: string;
  /** Retention in days; CloudWatch accepts only its listed values (e.g. 90, 365, 2192). */
  readonly retentionDays: number;
  readonly kmsKeyArn: string;
  readonly preventDestroy?: boolean;
}

/** Retention values CloudWatch Logs accepts (API_PutRetentionPolicy). */
export const CLOUDWATCH_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/** The smallest CloudWatch retention value >= `days` (so a floor is never undercut by rounding). */
export function cloudwatchRetention(days: number): number {
  return CLOUDWATCH_RETENTION_DAYS.find((d) => d >= days) ?? 3653;
}

/** A CloudWatch log group with CMK encryption and retention rounded up to a value CloudWatch accepts. */
export function encryptedLogGroup(scope: Construct, id: string, props: EncryptedLogGroupProps): CloudwatchLogGroup {
  return new CloudwatchLogGroup(scope, id, {
    name: props.name,
    retentionInDays: cloudwatchRetention(props.retentionDays),
    kmsKeyId: props.kmsKeyArn,
    lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
  });
}
