/**
 * Read-only checks of the target account / project / subscription with the cloud's own CLI
 * (issue 12). STUB: the interface the command line relies on; the checks land with the preflight
 * work. Names here are the contract: extend, do not rename.
 */
import { loadSpecFile } from '../../spec/spec-file';

/** A spec file as loaded and resolved by loadSpecFile. */
export type LoadedSpecFile = ReturnType<typeof loadSpecFile>;

export enum CheckStatus {
  PASS = 'pass',
  FAIL = 'fail',
  /** The check could not run (no CLI, no credentials, no permission to read): says why. */
  UNKNOWN = 'unknown',
}

export interface PreflightCheck {
  /** Stable id, e.g. "aws.quota.p5" or "gcp.api.compute". */
  readonly id: string;
  /** One line: what was checked. */
  readonly title: string;
  readonly status: CheckStatus;
  /** What was found (the quota value, the missing API, the CLI error). */
  readonly detail: string;
  /** How to fix a fail, or how to make an unknown checkable. */
  readonly fix?: string;
}

export interface PreflightOptions {
  /** Environment for the cloud CLIs (PATH selects them; tests put stubs first). Default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Per-command timeout in ms. Default 60000. */
  readonly timeoutMs?: number;
}

/** Runs every read-only check that applies to the loaded spec file. Never throws for a missing CLI. */
export function runPreflight(loaded: LoadedSpecFile, options: PreflightOptions = {}): PreflightCheck[] {
  void options;
  return [{
    id: `${loaded.target.cloud}.preflight`, title: 'preflight checks', status: CheckStatus.UNKNOWN,
    detail: 'not implemented yet', fix: 'wait for the preflight work',
  }];
}
