import { CommandDef, FORMAT_OPTION, HELP_OPTION, ParsedArgs } from '../args';
import { CliIo, ExitCode, JSON_SCHEMA_VERSION, OutputFormat, printJson } from '../io';
import { LoadResult, loadFile, warningPath } from '../load';

export const VALIDATE: CommandDef = {
  name: 'validate',
  summary: 'check spec files: every problem of every file, with its path and fix',
  args: '<spec.json>...',
  minArgs: 1,
  maxArgs: Infinity,
  options: [FORMAT_OPTION, HELP_OPTION],
  details: [
    'Loads each spec file ({ "target", "backend"?, "spec" }) with the same validation synth applies, and reports',
    'every problem of every file (path, message, fix) and the plan\'s warnings. Exit 1 when any file has a problem.',
    'With --format json, one document lists each problem as { file, path, message, hint, severity }, ready for CI',
    'annotations (docs/cli.md).',
  ],
};

/** One finding of validate --format json. */
export interface Diagnostic {
  readonly file: string;
  /** Field path in the file, e.g. "spec.gpuPools[0].gpu"; "(file)" for an unreadable file or bad JSON. */
  readonly path: string;
  readonly message: string;
  /** How to fix it; null for a warning (a warning needs a review, not a fix). */
  readonly hint: string | null;
  readonly severity: 'error' | 'warning';
}

/** validate --format json. */
export interface ValidateDocument {
  readonly schemaVersion: number;
  readonly command: 'validate';
  readonly ok: boolean;
  readonly files: readonly { readonly file: string; readonly valid: boolean; readonly cloud: string | null; readonly region: string | null; readonly errors: number; readonly warnings: number }[];
  readonly diagnostics: readonly Diagnostic[];
  readonly summary: { readonly files: number; readonly valid: number; readonly invalid: number; readonly errors: number; readonly warnings: number };
}

function diagnostics(r: LoadResult): Diagnostic[] {
  if (!r.ok) return r.issues.map((i) => ({ file: r.file, path: i.path, message: i.message, hint: i.hint, severity: 'error' as const }));
  return r.loaded.resolved.warnings.map((w) => ({ file: r.file, path: warningPath(w), message: w.message, hint: null, severity: 'warning' as const }));
}

/** Builds the validate document for already-loaded files (pure). */
export function validateDocument(results: readonly LoadResult[]): ValidateDocument {
  const all = results.map((r) => ({ r, d: diagnostics(r) }));
  const files = all.map(({ r, d }) => ({
    file: r.file, valid: r.ok,
    cloud: r.ok ? r.loaded.target.cloud : null, region: r.ok ? r.loaded.target.region : null,
    errors: d.filter((x) => x.severity === 'error').length, warnings: d.filter((x) => x.severity === 'warning').length,
  }));
  const flat = all.flatMap((x) => x.d);
  const valid = files.filter((f) => f.valid).length;
  return {
    schemaVersion: JSON_SCHEMA_VERSION, command: 'validate', ok: valid === files.length, files, diagnostics: flat,
    summary: {
      files: files.length, valid, invalid: files.length - valid,
      errors: flat.filter((x) => x.severity === 'error').length, warnings: flat.filter((x) => x.severity === 'warning').length,
    },
  };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The text rendering of the document. */
export function renderValidate(doc: ValidateDocument): string {
  const out: string[] = [];
  for (const f of doc.files) {
    const mine = doc.diagnostics.filter((d) => d.file === f.file);
    if (f.valid) {
      const w = f.warnings ? `, ${plural(f.warnings, 'warning')}` : '';
      out.push(`${f.file}: valid (${f.cloud} ${f.region}${w})`);
    } else {
      out.push(`${f.file}: ${plural(f.errors, 'problem')}`);
    }
    for (const d of mine) {
      out.push(`  ${d.severity} ${d.path}: ${d.message}`);
      if (d.hint) out.push(`    fix: ${d.hint}`);
    }
  }
  const s = doc.summary;
  out.push('', `${plural(s.files, 'file')}: ${s.valid} valid, ${s.invalid} invalid; ${plural(s.errors, 'problem')}, ${plural(s.warnings, 'warning')}`);
  return `${out.join('\n')}\n`;
}

export function runValidate(io: CliIo, args: ParsedArgs): ExitCode {
  const doc = validateDocument(args.positionals.map((f) => loadFile(io, f)));
  if (args.options.format === OutputFormat.JSON) printJson(io, doc);
  else io.stdout(renderValidate(doc));
  return doc.ok ? ExitCode.OK : ExitCode.PROBLEMS;
}
