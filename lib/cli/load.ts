import { isAbsolute, resolve } from 'path';
import { SpecIssue, SpecValidationError, SpecWarning, loadSpecFile } from '../spec';
import { CliIo } from './io';

/** A spec file as loadSpecFile returns it (target, backend, spec, resolved plan). */
export type LoadedSpecFile = ReturnType<typeof loadSpecFile>;

/** The outcome of loading one spec file: the plan, or every problem found in it. */
export type LoadResult =
  | { readonly ok: true; readonly file: string; readonly path: string; readonly loaded: LoadedSpecFile }
  | { readonly ok: false; readonly file: string; readonly path: string; readonly issues: readonly SpecIssue[] };

/** The file's path relative to the working directory of the command. */
export function absolute(io: CliIo, file: string): string {
  return isAbsolute(file) ? file : resolve(io.cwd ?? process.cwd(), file);
}

/**
 * Loads and validates a spec file (loadSpecFile: every problem, with paths and fixes). `file` is
 * kept as given on the command line, so messages name it the way the user wrote it.
 */
export function loadFile(io: CliIo, file: string): LoadResult {
  const path = absolute(io, file);
  try {
    return { ok: true, file, path, loaded: loadSpecFile(path) };
  } catch (e) {
    if (e instanceof SpecValidationError) return { ok: false, file, path, issues: e.issues };
    throw e;
  }
}

/** The message synth prints for a bad spec file: every problem with its path and fix. */
export function issuesMessage(file: string, issues: readonly SpecIssue[]): string {
  return new SpecValidationError([...issues], file).message;
}

/** A warning's path in the spec file (the resolver reports paths inside "spec"). */
export function warningPath(w: SpecWarning): string {
  return w.path === '' ? 'spec' : `spec.${w.path}`;
}
