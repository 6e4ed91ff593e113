/** Building blocks for checks: results, and turning a CLI problem into an "unknown" with its fix. */
import { CliProblem, CliResult } from './cli-runner';
import { CheckStatus, PreflightCheck } from './types';

export function pass(id: string, title: string, detail: string): PreflightCheck {
  return { id, title, status: CheckStatus.PASS, detail };
}

export function fail(id: string, title: string, detail: string, fix: string): PreflightCheck {
  return { id, title, status: CheckStatus.FAIL, detail, fix };
}

export function unknown(id: string, title: string, detail: string, fix: string): PreflightCheck {
  return { id, title, status: CheckStatus.UNKNOWN, detail, fix };
}

/** How to install and log in to each CLI. */
export interface CliHelp {
  readonly cli: string;
  readonly install: string;
  readonly login: string;
}

export const AWS_CLI: CliHelp = {
  cli: 'aws',
  install: 'install the AWS CLI v2 (docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html) and put `aws` on PATH',
  login: 'configure credentials for the target account: `aws sso login --profile <profile>` and export AWS_PROFILE, or set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN',
};
export const GCLOUD_CLI: CliHelp = {
  cli: 'gcloud',
  install: 'install the Google Cloud CLI (cloud.google.com/sdk/docs/install) and put `gcloud` on PATH',
  login: 'run `gcloud auth login` (or `gcloud auth activate-service-account --key-file=...`) with an account that can read the project',
};
export const AZ_CLI: CliHelp = {
  cli: 'az',
  install: 'install the Azure CLI (learn.microsoft.com/cli/azure/install-azure-cli) and put `az` on PATH',
  login: 'run `az login` (or `az login --service-principal ...`) and `az account set --subscription <id>`',
};

/**
 * An "unknown" for a CLI call that produced no answer: says why and how to make it checkable.
 * `permission` names what the preflight principal needs for this one call.
 */
export function unknownFrom(id: string, title: string, r: CliResult, help: CliHelp, permission: string): PreflightCheck {
  const why = r.message || r.problem || 'no answer';
  switch (r.problem) {
    case CliProblem.MISSING_CLI:
      return unknown(id, title, `${help.cli} is not installed: ${why}`, help.install);
    case CliProblem.NO_CREDENTIALS:
      return unknown(id, title, `no valid credentials: ${why}`, help.login);
    case CliProblem.ACCESS_DENIED:
      return unknown(id, title, `not allowed to read this: ${why}`, `grant the preflight principal ${permission} (docs/preflight.md lists a read-only policy/role), then rerun`);
    case CliProblem.API_DISABLED:
      return unknown(id, title, `the API this reads is disabled: ${why}`, 'enable the API the error names (`gcloud services enable <api> --project <project>`), then rerun');
    case CliProblem.TIMEOUT:
      return unknown(id, title, why, 'check network access to the cloud API and rerun (the timeout is per command)');
    default:
      return unknown(id, title, `\`${r.command}\` failed: ${why}`, `run \`${r.command}\` by hand to see the error; ${permission} is needed`);
  }
}

/** True when the problem means no later call of the same CLI can work either. */
export function isFatal(r: CliResult): boolean {
  return r.problem === CliProblem.MISSING_CLI || r.problem === CliProblem.NO_CREDENTIALS || r.problem === CliProblem.TIMEOUT;
}

/** A JSON object's field, or undefined (CLI output is untyped). */
export function field(o: unknown, key: string): unknown {
  return o !== null && typeof o === 'object' && !Array.isArray(o) ? (o as Record<string, unknown>)[key] : undefined;
}

export function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function asNumber(v: unknown): number | undefined {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

export function asString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** "1 node" / "3 nodes". */
export function plural(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

/** The one "unknown" that stands for every check after an identity check that cannot answer. */
export function skipped(cloud: string, r: CliResult): PreflightCheck {
  return unknown(`${cloud}.checks`, 'remaining checks', `skipped: the ${({ aws: 'aws', gcp: 'gcloud', azure: 'az' } as { [c: string]: string })[cloud] ?? cloud} CLI cannot answer (${r.problem})`,
    'fix the identity check above, then rerun preflight');
}
