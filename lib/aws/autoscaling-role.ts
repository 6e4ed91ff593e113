import { IamServiceLinkedRole } from '@cdktf/provider-aws/lib/iam-service-linked-role';
import { Construct } from 'constructs';

/** Role name prefix of Auto Scaling service-linked roles; a custom suffix follows "_". */
export const AUTOSCALING_SLR_PREFIX = 'AWSServiceRoleForAutoScaling';

/**
 * ARN of the custom-suffix Auto Scaling service-linked role: path
 * /aws-service-role/autoscaling.amazonaws.com/, name AWSServiceRoleForAutoScaling_<suffix>
 * (docs.aws.amazon.com/autoscaling/ec2/userguide/autoscaling-service-linked-role.html; the
 * provider parses the same shape: terraform-provider-aws internal/service/iam/service_linked_role.go
 * DecodeServiceLinkedRoleID, "role/aws-service-role/SERVICENAME/ROLENAME", suffix after "_").
 */
export function autoScalingServiceLinkedRoleArn(partition: string, accountId: string, suffix: string): string {
  return `arn:${partition}:iam::${accountId}:role/aws-service-role/autoscaling.amazonaws.com/${AUTOSCALING_SLR_PREFIX}_${suffix}`;
}

export interface AwsAutoScalingServiceLinkedRoleProps {
  /**
   * The custom suffix, normally the platform name. IAM: the suffix is 1..64 of [\w+=,.@-] and the
   * role name (prefix, "_", suffix) at most 64 characters (IAM API CreateServiceLinkedRole,
   * CustomSuffix; IAM quotas: role name 64); the provider splits the name at "_", so no underscore.
   */
  readonly suffix: string;
}

/**
 * A per-platform Auto Scaling service-linked role with a custom suffix (AWSServiceRoleForAutoScaling_<name>).
 * Always created: it works the same in a fresh account (which has no AWSServiceRoleForAutoScaling
 * yet, so a key policy naming that role is rejected by KMS with MalformedPolicyDocumentException)
 * and in an account that already has the default role (creating the default role again fails,
 * a custom suffix never collides). Each Auto Scaling group names it in service_linked_role_arn and
 * the platform key's policy lets it use the key for EBS. Its permissions are the default role's.
 */
export class AwsAutoScalingServiceLinkedRole extends Construct {
  public readonly role: IamServiceLinkedRole;
  /** The role ARN, as the provider reports it after creation (a reference: orders consumers after the role). */
  public readonly arn: string;

  constructor(scope: Construct, id: string, props: AwsAutoScalingServiceLinkedRoleProps) {
    super(scope, id);
    if (!/^[A-Za-z0-9+=,.@-]{1,35}$/.test(props.suffix)) {
      throw new Error(`${this.node.path}: suffix ${JSON.stringify(props.suffix)} must be 1..35 of letters, digits and +=,.@- ` +
        `(the role name ${AUTOSCALING_SLR_PREFIX}_<suffix> is at most 64 characters; no "_")`);
    }
    this.role = new IamServiceLinkedRole(this, 'role', {
      awsServiceName: 'autoscaling.amazonaws.com',
      customSuffix: props.suffix,
      description: `Auto Scaling groups of sandbox platform ${props.suffix}`,
    });
    this.arn = this.role.arn;
  }
}
