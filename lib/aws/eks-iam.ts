import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { AwsAccountContext } from './context';
import { PolicyStatement, policyDocument } from './policy';

/**
 * A role for an AWS service that tags its sessions: EKS (cluster role) and EKS Pod Identity
 * (pods.eks.amazonaws.com) both call sts:AssumeRole and sts:TagSession.
 * Sources: docs.aws.amazon.com/eks/latest/userguide/cluster-iam-role.html,
 * docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html.
 */
export function taggingServiceTrust(service: string): string {
  return policyDocument([{ Effect: 'Allow', Principal: { Service: service }, Action: ['sts:AssumeRole', 'sts:TagSession'] }]);
}

export interface AwsServiceRoleProps {
  readonly name: string;
  readonly description: string;
  readonly context: AwsAccountContext;
  /** Service principal that assumes the role. */
  readonly service: string;
  /** AWS managed policies attached by name (arn:<partition>:iam::aws:policy/<name>). Default none. */
  readonly managedPolicies?: string[];
  /**
   * Inline statements (one policy named "platform-access"). Default none.
   * @jsii ignore not in Python: IAM statements are PascalCase JSON (see PolicyStatement)
   */
  readonly statements?: PolicyStatement[];
}

/**
 * An IAM role for an EKS service principal with its managed and inline policies. `grants` lists
 * every attachment: consumers (the cluster, add-ons) depend on them, because EKS checks the role's
 * permissions when the resource is created and IAM is eventually consistent.
 */
export class AwsServiceRole extends Construct {
  public readonly role: IamRole;
  public readonly grants: ITerraformDependable[] = [];

  constructor(scope: Construct, id: string, props: AwsServiceRoleProps) {
    super(scope, id);
    this.role = new IamRole(this, 'role', {
      name: props.name,
      description: props.description,
      assumeRolePolicy: taggingServiceTrust(props.service),
    });
    for (const policy of props.managedPolicies ?? []) {
      this.grants.push(new IamRolePolicyAttachment(this, policy, {
        role: this.role.name, policyArn: `arn:${props.context.partition}:iam::aws:policy/${policy}`,
      }));
    }
    if (props.statements?.length) {
      this.grants.push(new IamRolePolicy(this, 'platform', { role: this.role.id, name: 'platform-access', policy: policyDocument(props.statements) }));
    }
  }
}
