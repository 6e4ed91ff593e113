/**
 * KMS keys a stack uses but does not manage: a literal key ARN or id (e.g. AwsSandboxPlatform's
 * kmsKeyArn) or a data.aws_kms_key. Their rotation and key policy cannot be evaluated from the
 * stack, so AWS-KMS-ROTATE reports each as not evaluated instead of saying nothing.
 */
import { StackIndex } from './types';
import { Json } from './values';

const KMS_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/[\w/+=,.@-]+$/;
const KEY_ID = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32}|alias\/[\w/+=,.@-]+)$/;
// AWS managed keys (alias/aws/<service>) rotate every year under AWS's control; other rules decide whether they are enough.
const AWS_MANAGED = /(^|:)alias\/aws\//;

/** One key outside the stack and the resources that use it. */
export interface ExternalKey {
  /** The key ARN, id or alias as written, or the data source address ("data.aws_kms_key.x"). */
  readonly key: string;
  /** Addresses of the resources that use it, sorted. */
  readonly usedBy: string[];
}

/** Every KMS key the stack's resources use without managing it, sorted by key. */
export function externalKmsKeys(stack: StackIndex): ExternalKey[] {
  const users = new Map<string, Set<string>>();
  const add = (key: string, address: string) => users.set(key, (users.get(key) ?? new Set()).add(address));
  const visit = (value: unknown, attribute: string, address: string) => {
    if (typeof value === 'string') {
      const v = value.trim();
      if (AWS_MANAGED.test(v)) return;
      if (KMS_ARN.test(v) || (/kms/i.test(attribute) && KEY_ID.test(v))) add(v, address);
      for (const d of stack.referencedDataSources(v, 'aws_kms_key')) add(d.address, address);
    } else if (Array.isArray(value)) {
      for (const x of value) visit(x, attribute, address);
    } else if (value !== null && typeof value === 'object') {
      for (const [k, x] of Object.entries(value as Json)) if (k !== '//') visit(x, k, address);
    }
  };
  for (const type of stack.resourceTypes) {
    for (const r of stack.resources(type)) visit(r.config, '', r.address);
  }
  // An alias the stack itself creates (aws_kms_alias with a literal name) names an in-stack key.
  const ownAliases = stack.resources('aws_kms_alias').map((a) => a.config.name).filter((n): n is string => typeof n === 'string');
  const own = (key: string) => ownAliases.some((name) => key === name || key.endsWith(`:${name}`));
  return [...users.keys()].filter((key) => !own(key)).sort().map((key) => ({ key, usedBy: [...users.get(key)!].sort() }));
}
