/**
 * IAM policy documents as plain objects, rendered to deterministic JSON.
 * @jsii ignore not in Python: IAM JSON keys are PascalCase (Effect and Action) but jsii members are camelCase
 */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: unknown;
  readonly Action: string | string[];
  readonly Resource?: string | string[];
  readonly Condition?: { readonly [op: string]: { readonly [key: string]: string | string[] | boolean } };
}

export function policyDocument(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/** Trust policy for an AWS service principal. */
export function serviceTrust(service: string, condition?: PolicyStatement['Condition']): string {
  return policyDocument([{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole', ...(condition ? { Condition: condition } : {}) }]);
}
