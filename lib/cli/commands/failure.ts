import { SpecIssue } from '../../spec';
import { CliIo, ExitCode, JSON_SCHEMA_VERSION, OutputFormat, printJson } from '../io';
import { issuesMessage } from '../load';

/**
 * A spec file explain, synth or preflight cannot work on: the same path-and-fix message synth
 * prints (stderr), or with --format json a document { ok: false, diagnostics } (stdout). Exit 1.
 */
export function reportInvalidFile(io: CliIo, command: string, format: unknown, file: string, issues: readonly SpecIssue[]): ExitCode {
  if (format === OutputFormat.JSON) {
    printJson(io, {
      schemaVersion: JSON_SCHEMA_VERSION, command, ok: false, file,
      diagnostics: issues.map((i) => ({ file, path: i.path, message: i.message, hint: i.hint, severity: 'error' })),
    });
  } else {
    io.stderr(`${issuesMessage(file, issues)}\n`);
  }
  return ExitCode.PROBLEMS;
}
