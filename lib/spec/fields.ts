import { IssueCollector, show } from './errors';

/**
 * Typed readers over untrusted input (JSON or TypeScript callers that cast): each records an
 * issue with the field path instead of throwing, so one pass reports every problem.
 */
export class FieldReader {
  constructor(private readonly c: IssueCollector) {}

  /** Returns the object, or undefined (recording an issue) when `v` is not a plain object. */
  public object(path: string, v: unknown, allowed: readonly string[]): Record<string, unknown> | undefined {
    if (v === undefined) return undefined;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      this.c.add(path, `must be an object, got ${show(v)}`, `write ${path} as { ... } with fields ${allowed.join(', ')}`);
      return undefined;
    }
    const obj = v as Record<string, unknown>;
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key)) {
        const near = nearest(key, allowed);
        this.c.add(join(path, key), `unknown field ${show(key)}`,
          near ? `did you mean ${show(near)}?` : `allowed fields: ${allowed.join(', ')}`);
      }
    }
    return obj;
  }

  public array(path: string, v: unknown): unknown[] | undefined {
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) {
      this.c.add(path, `must be a list, got ${show(v)}`, `write ${path} as [ ... ]`);
      return undefined;
    }
    return v;
  }

  public string(path: string, v: unknown, pattern?: RegExp, what?: string): string | undefined {
    if (v === undefined) return undefined;
    if (typeof v !== 'string') {
      this.c.add(path, `must be a string, got ${show(v)}`, `quote the value`);
      return undefined;
    }
    if (pattern && !pattern.test(v)) {
      this.c.add(path, `${show(v)} is not ${what ?? `a match for ${pattern}`}`, `use ${what ?? `a value matching ${pattern}`}`);
      return undefined;
    }
    return v;
  }

  public requiredString(path: string, v: unknown, pattern?: RegExp, what?: string): string | undefined {
    if (v === undefined) {
      this.c.add(path, 'is required', `set ${path}${what ? ` to ${what}` : ''}`);
      return undefined;
    }
    return this.string(path, v, pattern, what);
  }

  /** An integer in [min, max]. */
  public int(path: string, v: unknown, min: number, max: number, why = ''): number | undefined {
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      this.c.add(path, `must be an integer, got ${show(v)}`, `use a whole number in ${min}..${max}${unquote(v)}`);
      return undefined;
    }
    if (v < min || v > max) {
      this.c.add(path, `${v} is out of range ${min}..${max}${why}`, `use a whole number in ${min}..${max}`);
      return undefined;
    }
    return v;
  }

  /** A finite number in [min, max]. */
  public number(path: string, v: unknown, min: number, max: number, minExclusive = false): number | undefined {
    if (v === undefined) return undefined;
    const range = `${minExclusive ? `> ${min}` : `>= ${min}`} and <= ${max}`;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      this.c.add(path, `must be a number, got ${show(v)}`, `use a number ${range}${unquote(v)}`);
      return undefined;
    }
    if ((minExclusive ? v <= min : v < min) || v > max) {
      this.c.add(path, `${v} is out of range (must be ${range})`, `use a number ${range}`);
      return undefined;
    }
    return v;
  }

  public bool(path: string, v: unknown): boolean | undefined {
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') {
      this.c.add(path, `must be true or false, got ${show(v)}`, 'write true or false, without quotes');
      return undefined;
    }
    return v;
  }

  /** A member of a string enum. */
  public enumValue<E extends string>(path: string, v: unknown, e: { [k: string]: E }, required = false): E | undefined {
    const values = Object.values(e);
    if (v === undefined) {
      if (required) this.c.add(path, 'is required', `set ${path} to one of ${values.map((x) => show(x)).join(', ')}`);
      return undefined;
    }
    if (typeof v !== 'string' || !(values as string[]).includes(v)) {
      const near = typeof v === 'string' ? nearest(v, values) : undefined;
      this.c.add(path, `${show(v)} is not allowed`,
        `${near ? `did you mean ${show(near)}? ` : ''}use one of ${values.map((x) => show(x)).join(', ')}`);
      return undefined;
    }
    return v as E;
  }

  public stringMap(path: string, v: unknown): Record<string, string> | undefined {
    if (v === undefined) return undefined;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      this.c.add(path, `must be an object of string values, got ${show(v)}`, `write ${path} as { "key": "value" }`);
      return undefined;
    }
    const out: Record<string, string> = {};
    for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
      if (typeof val !== 'string') {
        this.c.add(join(path, k), `must be a string, got ${show(val)}`, 'quote the value');
      } else {
        out[k] = val;
      }
    }
    return out;
  }
}

/** A hint suffix for a number or boolean written as a JSON string ("5", "true"). */
function unquote(v: unknown): string {
  if (typeof v !== 'string') return '';
  const t = v.trim();
  return t !== '' && (Number.isFinite(Number(t)) || t === 'true' || t === 'false') ? `, written without quotes (${t}, not ${show(v)})` : '';
}

export function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/** The allowed name closest to `key` by edit distance, when it is close enough to be a typo. */
function nearest(key: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const a of allowed) {
    const d = distance(key.toLowerCase(), a.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = a;
    }
  }
  // A case-only difference always counts; otherwise allow about one edit per three characters,
  // so "minNode" suggests "minNodes" but "zz" suggests nothing.
  return bestD <= Math.max(1, Math.floor(key.length / 3)) ? best : undefined;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}
