import { LoadedSpecFile, PreflightCheck, PreflightOptions } from './preflight';

/** Exit codes of the command line (README, "Command line"). */
export enum ExitCode {
  /** The command did its work and found nothing wrong (warnings and unknown preflight checks allowed). */
  OK = 0,
  /** Problems found: an invalid spec file, a compliance violation, a failed preflight check, a missing package. */
  PROBLEMS = 1,
  /** Usage error: unknown command or option, missing or extra argument. Nothing was checked. */
  USAGE = 2,
  /** A bug in cdktf-sandbox-byoc: the stack trace is printed; please report it. */
  INTERNAL = 3,
}

/** Where the command line reads and writes; the bin passes the process's, tests their own. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Directory relative paths are resolved against. Default process.cwd(). */
  readonly cwd?: string;
  /** Environment for the cloud CLIs preflight runs. Default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Replaces the preflight checks (tests inject results). Default the library's runPreflight. */
  readonly runPreflight?: (loaded: LoadedSpecFile, options: PreflightOptions) => readonly PreflightCheck[] | Promise<readonly PreflightCheck[]>;
}

/** Output format of every command. */
export enum OutputFormat {
  TEXT = 'text',
  JSON = 'json',
}

/** Version of the JSON documents the commands print; raised only on an incompatible change. */
export const JSON_SCHEMA_VERSION = 1;

/** Prints a JSON document (two-space indent, newline-terminated). */
export function printJson(io: CliIo, doc: unknown): void {
  io.stdout(`${JSON.stringify(doc, null, 2)}\n`);
}
