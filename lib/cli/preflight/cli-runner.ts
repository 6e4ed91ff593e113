/**
 * Runs a cloud CLI once, read-only, and classifies what went wrong. No shell: the arguments go to
 * the executable as given (spawnSync with shell false), so nothing in a spec value is interpreted.
 */
import { spawnSync } from 'child_process';

/** Why a CLI call produced no usable answer. */
export enum CliProblem {
  /** The executable is not on PATH. */
  MISSING_CLI = 'missing-cli',
  /** No credentials, or they expired (login needed). */
  NO_CREDENTIALS = 'no-credentials',
  /** Authenticated, but not allowed to read this. */
  ACCESS_DENIED = 'access-denied',
  /** The API behind the command is switched off (GCP Service Usage). */
  API_DISABLED = 'api-disabled',
  /** The thing asked about does not exist (a role, a feature, a quota never set). */
  NOT_FOUND = 'not-found',
  /** The command ran longer than the timeout and was killed. */
  TIMEOUT = 'timeout',
  /** The command printed something that is not the JSON we asked for. */
  BAD_OUTPUT = 'bad-output',
  /** Any other non-zero exit. */
  FAILED = 'failed',
}

export interface CliResult {
  /** The command line, for messages (never run through a shell). */
  readonly command: string;
  /** Parsed JSON when the command succeeded. */
  readonly json?: unknown;
  readonly problem?: CliProblem;
  /** First line(s) of stderr, or the spawn error, trimmed for messages. */
  readonly message: string;
}

/** Patterns per CLI. Order matters: API_DISABLED before ACCESS_DENIED (GCP reports both as 403). */
const PATTERNS: { readonly [cli: string]: ReadonlyArray<readonly [CliProblem, RegExp]> } = {
  aws: [
    [CliProblem.NO_CREDENTIALS, /Unable to locate credentials|ExpiredToken|InvalidClientTokenId|security token included in the request is (invalid|expired)|SSO session .* expired|Token has expired|Error loading SSO Token|could not be found.*profile|The config profile .* could not be found/i],
    [CliProblem.ACCESS_DENIED, /AccessDenied|UnauthorizedOperation|not authorized to perform|UnauthorizedAccess/i],
    [CliProblem.NOT_FOUND, /NoSuchResource|NoSuchEntity|NotFound/i],
  ],
  gcloud: [
    [CliProblem.NO_CREDENTIALS, /do not currently have an active account|Reauthentication (is )?required|problem refreshing your current auth tokens|invalid_grant|gcloud auth login|Could not automatically determine credentials/i],
    [CliProblem.API_DISABLED, /SERVICE_DISABLED|has not been used in project .* before or it is disabled|API .* is not enabled/i],
    [CliProblem.ACCESS_DENIED, /PERMISSION_DENIED|does not have permission|Permission denied|Required '[a-z.]+' permission|HTTPError 403/i],
    [CliProblem.NOT_FOUND, /NOT_FOUND|HTTPError 404|was not found/i],
  ],
  az: [
    [CliProblem.NO_CREDENTIALS, /az login|AADSTS\d+|Interactive authentication is needed|refresh token has expired/i],
    [CliProblem.ACCESS_DENIED, /AuthorizationFailed|does not have authorization|LinkedAuthorizationFailed|Forbidden/i],
    [CliProblem.NOT_FOUND, /FeatureNotFound|ResourceNotFound|SubscriptionNotFound|could not be found|was not found/i],
  ],
};

export interface RunOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly timeoutMs: number;
}

/** Runs `cli args...` and returns its JSON or a classified problem. Never throws. */
export function runCli(cli: string, args: readonly string[], opts: RunOptions): CliResult {
  const command = [cli, ...args].map((a) => (/[\s"'()|]/.test(a) ? JSON.stringify(a) : a)).join(' ');
  const r = spawnSync(cli, [...args], {
    env: opts.env, timeout: opts.timeoutMs, encoding: 'utf8', shell: false, maxBuffer: 64 * 1024 * 1024, windowsHide: true,
  });
  const err = r.error as NodeJS.ErrnoException | undefined;
  if (err?.code === 'ENOENT') return { command, problem: CliProblem.MISSING_CLI, message: `${cli} was not found on PATH` };
  if (err?.code === 'ETIMEDOUT' || (r.signal === 'SIGTERM' && r.status === null)) {
    return { command, problem: CliProblem.TIMEOUT, message: `${command} did not answer within ${Math.round(opts.timeoutMs / 1000)} s` };
  }
  if (err) return { command, problem: CliProblem.FAILED, message: `${command}: ${err.message}` };
  const stderr = (r.stderr ?? '').trim();
  if (r.status !== 0) {
    const problem = classifyCliError(cli, stderr);
    return { command, problem, message: shorten(stderr) || `${cli} exited with ${r.status}` };
  }
  const out = (r.stdout ?? '').trim();
  if (out === '') return { command, json: null, message: '' };
  try {
    return { command, json: JSON.parse(out), message: '' };
  } catch {
    return { command, problem: CliProblem.BAD_OUTPUT, message: `${command} printed no JSON: ${shorten(out)}` };
  }
}

/** What a CLI's error output means (FAILED when no known pattern matches). */
export function classifyCliError(cli: string, stderr: string): CliProblem {
  return (PATTERNS[cli] ?? []).find(([, re]) => re.test(stderr))?.[0] ?? CliProblem.FAILED;
}

/** The error lines that matter, at most 300 characters. */
export function shorten(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !/^(WARNING|Traceback)/.test(l));
  const s = lines.slice(0, 3).join(' ');
  return s.length > 300 ? `${s.slice(0, 297)}...` : s;
}
