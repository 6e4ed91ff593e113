/** One problem found in a spec: where, what, and how to fix it. */
export interface SpecIssue {
  /** Field path, e.g. "gpuPools[1].gpusPerNode". */
  readonly path: string;
  /** What is wrong, naming the bad value and what is allowed. */
  readonly message: string;
  /** How to fix it. */
  readonly hint: string;
}

/** A non-fatal finding (e.g. a region not known to carry a GPU model). */
export interface SpecWarning {
  readonly path: string;
  readonly message: string;
}

/**
 * Thrown by resolvePlatform / loadPlatformSpec with every problem found, never just the first.
 * @jsii ignore not in Python: jsii cannot extend Error; Python gets a RuntimeError with this message.
 */
export class SpecValidationError extends Error {
  public readonly issues: SpecIssue[];
  /** The spec file, when the spec came from one. */
  public readonly source?: string;

  constructor(issues: SpecIssue[], source?: string) {
    super(SpecValidationError.format(issues, source));
    this.name = 'SpecValidationError';
    this.issues = issues;
    this.source = source;
  }

  private static format(issues: SpecIssue[], source?: string): string {
    const where = source ? ` in ${source}` : '';
    const n = issues.length;
    const lines = issues.map((i) => `  - ${i.path}: ${i.message}\n    fix: ${i.hint}`);
    return `Invalid sandbox platform spec${where}: ${n} problem${n === 1 ? '' : 's'}\n${lines.join('\n')}`;
  }
}

/** Collects issues during validation. */
export class IssueCollector {
  public readonly issues: SpecIssue[] = [];
  public readonly warnings: SpecWarning[] = [];

  public add(path: string, message: string, hint: string): void {
    this.issues.push({ path, message, hint });
  }

  public warn(path: string, message: string): void {
    this.warnings.push({ path, message });
  }

  public throwIfAny(source?: string): void {
    if (this.issues.length > 0) throw new SpecValidationError(this.issues, source);
  }
}

/** JSON-ish rendering of a bad value for messages. */
export function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value);
  // JSON.stringify renders NaN and Infinity as "null", which would misname the bad value.
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  try {
    const s = JSON.stringify(value);
    return s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    return String(value);
  }
}
