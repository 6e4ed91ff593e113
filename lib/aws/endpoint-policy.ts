import { AwsAccountContext } from './context';
import { PolicyStatement, policyDocument } from './policy';

/**
 * Interface-endpoint services whose every call the nodes make targets a resource of this account,
 * so the endpoint policy can also require aws:ResourceAccount: CloudWatch Logs (the platform's log
 * groups), KMS (the platform key) and Auto Scaling (the platform's groups). The others reach
 * AWS-owned or resource-less targets the nodes need: SSM documents and public parameters
 * (AWS-RunShellScript, /aws/service/...), PutMetricData (no resource), STS GetCallerIdentity (no
 * resource), ECR images of other accounts; there aws:ResourceAccount would deny the node itself.
 * Source: docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
 * (aws:ResourceAccount, aws:PrincipalAccount) and the data perimeter guidance
 * (docs.aws.amazon.com/whitepapers/latest/building-a-data-perimeter-on-aws/).
 */
export const RESOURCE_ACCOUNT_SERVICES: readonly string[] = ['logs', 'kms', 'autoscaling'];

/**
 * The endpoint policy of one interface endpoint: any action, only by principals of this account
 * (aws:PrincipalAccount), and for RESOURCE_ACCOUNT_SERVICES only on this account's resources.
 * Sandboxes behind the nodes' NAT can reach the endpoint, but not with another account's credentials.
 */
export function interfaceEndpointPolicyStatements(service: string, ctx: Pick<AwsAccountContext, 'accountId'>): PolicyStatement[] {
  return [{
    Sid: 'OnlyThisAccount',
    Effect: 'Allow',
    Principal: '*',
    Action: '*',
    Resource: '*',
    Condition: {
      StringEquals: {
        'aws:PrincipalAccount': ctx.accountId,
        ...(RESOURCE_ACCOUNT_SERVICES.includes(service) ? { 'aws:ResourceAccount': ctx.accountId } : {}),
      },
    },
  }];
}

export function interfaceEndpointPolicy(service: string, ctx: Pick<AwsAccountContext, 'accountId'>): string {
  return policyDocument(interfaceEndpointPolicyStatements(service, ctx));
}
