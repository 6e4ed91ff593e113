/**
 * Shared assertions of the per-cloud naming tests (test/naming-<cloud>.test.ts): every resource
 * type of a synthesized stack is in the cloud's naming table, and every name and name prefix
 * passes its rule.
 */
import { NamingTable, checkStackNames } from '../lib/spec';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** Fails with every unknown type and every bad name at once; returns how many names were checked. */
export function expectNamesValid(json: { resource?: Record<string, Record<string, any>> }, table: NamingTable, label: string): number {
  const { violations, unknownTypes, checked } = checkStackNames(json.resource ?? {}, table);
  const problems = [
    ...unknownTypes.map((t) => `${t}: not in the naming table (add its rules, or [] when it has no name of its own)`),
    ...violations.map((v) => `${v.resourceType}.${v.logicalId} ${v.attribute}: ${v.problem} [${v.source}]`),
  ];
  if (problems.length > 0) throw new Error(`${label}: ${problems.length} naming problem(s)\n  ${problems.join('\n  ')}`);
  return checked;
}

/** A platform name of the maximum length (21) and pool names of the maximum length (16). */
export const MAX_PLATFORM_NAME = 'abcdefghij-klmnopq-rs';
export const maxPoolName = (tag: string): string => `${tag}-`.padEnd(16, 'x');
