/**
 * Reading synthesized attribute values. cdktf renders booleans of some bindings as "true"/"false"
 * strings, numbers sometimes as strings, single nested blocks as an object or a one-element
 * array; an unresolved Terraform expression is a string containing "${".
 */
import { CheckOutcome, CheckStatus } from './types';

export type Json = { readonly [key: string]: unknown };

/** True for a string holding an unresolved Terraform expression. */
export function isExpression(v: unknown): boolean {
  return typeof v === 'string' && v.includes('${');
}

/** Present and non-empty. An unresolved expression counts as set. */
export function isSet(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'string') return v.trim() !== '';
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

export function isTrue(v: unknown): boolean {
  return v === true || (typeof v === 'string' && v.trim().toLowerCase() === 'true');
}

export function isFalse(v: unknown): boolean {
  return v === false || (typeof v === 'string' && v.trim().toLowerCase() === 'false');
}

/** A literal number (or numeric string); undefined otherwise. */
export function num(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Number(v);
  return undefined;
}

/** A literal string; undefined for non-strings and unresolved expressions. */
export function str(v: unknown): string | undefined {
  return typeof v === 'string' && !v.includes('${') ? v : undefined;
}

/** The objects of a nested block (object or array of objects). */
export function blocks(v: unknown): Json[] {
  if (Array.isArray(v)) return v.filter((b): b is Json => b !== null && typeof b === 'object' && !Array.isArray(b));
  if (v !== null && typeof v === 'object') return [v as Json];
  return [];
}

/** The first object of a nested block, if any. */
export function block(v: unknown): Json | undefined {
  return blocks(v)[0];
}

/** A string or list of strings as a list (other values dropped). */
export function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((s): s is string => typeof s === 'string');
  return [];
}

/** A value rendered for a message. */
export function show(v: unknown): string {
  if (v === undefined) return 'unset';
  const s = JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

export function pass(message: string): CheckOutcome {
  return { status: CheckStatus.PASS, message };
}

export function notApplicable(message: string): CheckOutcome {
  return { status: CheckStatus.NOT_APPLICABLE, message };
}

export function fail(message: string, fix: string): CheckOutcome {
  return { status: CheckStatus.FAIL, message, fix };
}

/**
 * The rule cannot evaluate the resource (see CheckStatus.NOT_EVALUATED): `message` says why, in
 * the words "cannot evaluate ..." or "... outside this stack"; `fix` says how to make it checkable.
 */
export function notEvaluated(message: string, fix: string): CheckOutcome {
  return { status: CheckStatus.NOT_EVALUATED, message, fix };
}

/**
 * Why a value cannot be read at synth, for a "cannot evaluate" message; undefined for a literal.
 * Fn.jsonencode() renders as the Terraform expression "${jsonencode(...)}"; a reference to a
 * variable, local or another resource's attribute is computed at apply.
 */
export function unreadable(v: unknown): string | undefined {
  if (typeof v !== 'string' || !v.includes('${')) return undefined;
  const expr = v.trim();
  if (/^\$\{jsonencode\(/.test(expr)) return 'a Fn.jsonencode() expression, which Terraform computes only at apply';
  if (/^\$\{var\./.test(expr)) return `the variable ${expr}, whose value is known only at apply`;
  return `the Terraform expression ${show(expr)}, computed only at apply`;
}

/** Collects the problems of one resource; one failure lists them all. */
export class Problems {
  private readonly what: string[] = [];
  private readonly fixes: string[] = [];

  /** Records a problem when `condition` holds. */
  public add(condition: boolean, what: string, fix: string): this {
    if (condition) {
      this.what.push(what);
      if (!this.fixes.includes(fix)) this.fixes.push(fix);
    }
    return this;
  }

  public get empty(): boolean {
    return this.what.length === 0;
  }

  /** FAIL listing every problem, or PASS with `passMessage`. */
  public outcome(passMessage: string): CheckOutcome {
    if (this.empty) return pass(passMessage);
    return fail(this.what.join('; '), this.fixes.join('; '));
  }
}

/** A KMS key id/ARN that names an AWS managed key (alias/aws/...) rather than a customer-managed key. */
export function isAwsManagedKeyAlias(v: unknown): boolean {
  return typeof v === 'string' && /alias\/aws\//.test(v);
}
