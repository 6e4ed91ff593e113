/**
 * Naming rules of the cloud resources the platforms create: a table per cloud (lib/aws/naming.ts,
 * lib/gcp/naming.ts, lib/azure/naming.ts), checked against every synthesized name by the tests
 * and usable on any synthesized Terraform JSON. Pure: no cdktf or provider imports.
 *
 * A rule names the attribute that carries a name (or a name prefix the provider completes), its
 * length limits, the full pattern it must match (characters, first and last character) and
 * whether consecutive hyphens are forbidden, with the document that says so.
 */

/**
 * One naming rule for one attribute of one resource type.
 * @jsii ignore not in Python: RegExp members.
 */
export interface NameRule {
  /**
   * Path of the attribute in the synthesized resource, dot-separated; a list on the way applies
   * the rest of the path to every element (e.g. "os_profile.linux_configuration.computer_name_prefix").
   */
  readonly attribute: string;
  /** The attribute is a prefix the provider (or the cloud) completes; limits are the prefix's. Default false. */
  readonly prefix?: boolean;
  readonly minLength: number;
  readonly maxLength: number;
  /** The whole value must match (anchored): characters, first and last character. */
  readonly pattern: RegExp;
  /** Words for messages, e.g. "lowercase letters, digits and hyphens; starts with a letter". */
  readonly patternText: string;
  /** No "--" anywhere. Default false. */
  readonly noConsecutiveHyphens?: boolean;
  /** Where the rule is documented (provider validator or cloud documentation). */
  readonly source: string;
}

/**
 * A cloud's table: every Terraform resource type the platform creates maps to its naming rules;
 * an empty list says the type has no name of its own (associations, attachments, policies bound
 * to a parent). A synthesized type missing from the table is an error in the tests.
 */
export type NamingTable = { readonly [resourceType: string]: readonly NameRule[] };

/** One name that breaks its rule. */
export interface NameViolation {
  readonly resourceType: string;
  readonly logicalId: string;
  readonly attribute: string;
  readonly value: string;
  readonly problem: string;
  readonly source: string;
}

/** True when the value holds a Terraform expression (its final text is only known at apply). */
export function isUnresolvedName(value: string): boolean {
  return value.includes('${');
}

/** The values at `path` in `config` (several when the path crosses lists). */
export function valuesAt(config: unknown, path: string): unknown[] {
  let current: unknown[] = [config];
  for (const key of path.split('.')) {
    const next: unknown[] = [];
    for (const c of current) {
      const items = Array.isArray(c) ? c : [c];
      for (const item of items) {
        if (item !== null && typeof item === 'object' && key in (item as object)) next.push((item as Record<string, unknown>)[key]);
      }
    }
    current = next;
  }
  return current.flatMap((v) => (Array.isArray(v) ? v : [v])).filter((v) => v !== undefined && v !== null);
}

/** What is wrong with `value` under `rule`, or undefined when it complies. */
export function checkName(rule: NameRule, value: string): string | undefined {
  const what = rule.prefix ? 'name prefix' : 'name';
  if (value.length < rule.minLength || value.length > rule.maxLength) {
    return `${what} ${JSON.stringify(value)} is ${value.length} characters; ${rule.minLength}..${rule.maxLength} allowed`;
  }
  if (!rule.pattern.test(value)) return `${what} ${JSON.stringify(value)} does not match ${rule.patternText} (${rule.pattern.source})`;
  if (rule.noConsecutiveHyphens && value.includes('--')) return `${what} ${JSON.stringify(value)} has consecutive hyphens, which are not allowed`;
  return undefined;
}

/**
 * Checks every named attribute of every resource in a synthesized stack (`resource` of
 * cdk.tf.json) against `table`. Names holding Terraform expressions are skipped (their text is
 * only known at apply). Returns the violations and the resource types the table does not know.
 */
export function checkStackNames(
  resources: { readonly [type: string]: { readonly [logicalId: string]: unknown } },
  table: NamingTable,
): { readonly violations: NameViolation[]; readonly unknownTypes: string[]; readonly checked: number } {
  const violations: NameViolation[] = [];
  const unknownTypes: string[] = [];
  let checked = 0;
  for (const [type, byId] of Object.entries(resources)) {
    const rules = table[type];
    if (!rules) {
      unknownTypes.push(type);
      continue;
    }
    for (const [logicalId, config] of Object.entries(byId)) {
      for (const rule of rules) {
        for (const v of valuesAt(config, rule.attribute)) {
          if (typeof v !== 'string' || isUnresolvedName(v)) continue;
          checked++;
          const problem = checkName(rule, v);
          if (problem) violations.push({ resourceType: type, logicalId, attribute: rule.attribute, value: v, problem, source: rule.source });
        }
      }
    }
  }
  return { violations, unknownTypes: unknownTypes.sort(), checked };
}
