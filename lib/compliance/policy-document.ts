/**
 * AWS IAM policy documents, from a JSON string attribute or from a referenced
 * data.aws_iam_policy_document, normalized to one statement shape.
 */
import { StackIndex } from './types';
import { Json, blocks, isSet, show, strings, unreadable } from './values';

/** One condition: operator ("StringEquals"), key ("sts:ExternalId"), values. */
export interface PolicyCondition {
  readonly operator: string;
  readonly key: string;
  readonly values: string[];
}

/** A statement with every list normalized. Principal "*" shows as `anyPrincipal`. */
export interface PolicyStatement {
  readonly effect: 'Allow' | 'Deny';
  readonly actions: string[];
  readonly notActions: string[];
  readonly resources: string[];
  /** Principals by type ("AWS", "Service", "Federated"); "*" appears as AWS ["*"]. */
  readonly principals: { readonly [type: string]: string[] };
  readonly anyPrincipal: boolean;
  readonly conditions: PolicyCondition[];
}

function list(v: unknown): string[] {
  if (typeof v === 'boolean' || typeof v === 'number') return [String(v)];
  if (Array.isArray(v)) return v.map((x) => String(x));
  return typeof v === 'string' ? [v] : [];
}

function fromJsonStatement(s: Json): PolicyStatement {
  const principals: { [type: string]: string[] } = {};
  let anyPrincipal = false;
  const p = s.Principal;
  if (p === '*') {
    anyPrincipal = true;
    principals.AWS = ['*'];
  } else if (p && typeof p === 'object') {
    for (const [type, ids] of Object.entries(p as Json)) {
      principals[type] = list(ids);
      if (principals[type].includes('*')) anyPrincipal = true;
    }
  }
  const conditions: PolicyCondition[] = [];
  for (const [operator, body] of Object.entries((s.Condition as Json | undefined) ?? {})) {
    for (const [key, values] of Object.entries((body as Json) ?? {})) conditions.push({ operator, key, values: list(values) });
  }
  return {
    effect: s.Effect === 'Deny' ? 'Deny' : 'Allow',
    actions: list(s.Action), notActions: list(s.NotAction), resources: list(s.Resource),
    principals, anyPrincipal, conditions,
  };
}

function fromDataStatement(s: Json): PolicyStatement {
  const principals: { [type: string]: string[] } = {};
  let anyPrincipal = false;
  for (const pb of blocks(s.principals)) {
    const type = String(pb.type ?? 'AWS');
    const ids = strings(pb.identifiers);
    principals[type] = [...(principals[type] ?? []), ...ids];
    if (ids.includes('*')) anyPrincipal = true;
  }
  return {
    effect: s.effect === 'Deny' ? 'Deny' : 'Allow',
    actions: strings(s.actions), notActions: strings(s.not_actions), resources: strings(s.resources),
    principals, anyPrincipal,
    conditions: blocks(s.condition).map((c) => ({ operator: String(c.test ?? ''), key: String(c.variable ?? ''), values: list(c.values) })),
  };
}

/**
 * The statements of a policy attribute: a JSON document string, or a reference to
 * data.aws_iam_policy_document.<id>.json. Undefined when the document cannot be read at synth
 * (another expression, e.g. jsonencode() or a variable).
 */
export function policyStatements(value: unknown, stack: StackIndex): PolicyStatement[] | undefined {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return statementsOfJson(value as Json);
  }
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (trimmed.startsWith('{')) {
    try {
      return statementsOfJson(JSON.parse(trimmed) as Json);
    } catch {
      return undefined;
    }
  }
  const docs = stack.referencedDataSources(trimmed, 'aws_iam_policy_document');
  if (docs.length === 1 && /^\$\{data\.aws_iam_policy_document\.[\w-]+\.json\}$/.test(trimmed)) {
    return blocks(docs[0].config.statement).map(fromDataStatement);
  }
  return undefined;
}

function statementsOfJson(doc: Json): PolicyStatement[] {
  const st = doc.Statement;
  return blocks(Array.isArray(st) ? st : st ? [st] : []).map(fromJsonStatement);
}

/** True if `patterns` (IAM wildcards) include one that matches `action`, e.g. "s3:*" matches "s3:GetObject". */
export function matchesAction(patterns: string[], action: string): boolean {
  return patterns.some((p) => {
    const re = new RegExp(`^${p.split('*').map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
    return re.test(action);
  });
}

/** How to write a policy document so the rules can read it at synth. */
export const READABLE_POLICY_FIX = 'write the document with JSON.stringify({ Version: "2012-10-17", Statement: [...] }) (tokens such as '
  + 'bucket.arn inside are fine) or with a DataAwsIamPolicyDocument and pass its .json; Fn.jsonencode() renders as a Terraform '
  + 'expression that is computed only at apply';

/**
 * Why policyStatements cannot read a policy attribute, for a "cannot evaluate" message; undefined
 * when it can, or when the attribute is unset.
 */
export function unreadablePolicy(value: unknown, stack: StackIndex): string | undefined {
  if (!isSet(value) || policyStatements(value, stack) !== undefined) return undefined;
  if (typeof value === 'string' && value.trim().startsWith('{')) return 'not valid JSON';
  return unreadable(value) ?? `the value ${show(value)}`;
}
