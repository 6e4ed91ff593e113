/** What every cloud's checks get: the plan, the target, and a CLI runner bound to the options. */
import { CliProblem, CliResult, runCli } from './cli-runner';
import { ResolvedPlatform } from '../../spec/resolved';
import { PreflightOptions } from './types';

export interface CloudContext {
  readonly plan: ResolvedPlatform;
  readonly region: string;
  /** GCP project id. */
  readonly project?: string;
  readonly options: PreflightOptions;
  readonly env: NodeJS.ProcessEnv;
  /** Runs a CLI with the options' env and timeout; never throws. */
  run(cli: string, args: readonly string[]): CliResult;
}

export const DEFAULT_TIMEOUT_MS = 60000;

/**
 * Environment for the CLIs: the caller's, with prompts and pagers off (a prompt would wait for the
 * timeout; AWS CLI v2 pipes output through a pager on a terminal).
 */
export function cliEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, AWS_PAGER: '', CLOUDSDK_CORE_DISABLE_PROMPTS: '1', AZURE_CORE_NO_COLOR: 'true', AZURE_CORE_COLLECT_TELEMETRY: 'false' };
}

export function makeContext(plan: ResolvedPlatform, region: string, project: string | undefined, options: PreflightOptions): CloudContext {
  const env = cliEnv(options.env ?? process.env);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // After a timeout or a credentials error, later calls of the same CLI answer the same at once: an
  // unreachable API would otherwise cost the full timeout for every remaining check, and an expired
  // login (az and gcloud read the identity locally, so it shows only at the first API call) would
  // repeat its error for each.
  const stopped = new Map<string, CliResult>();
  const run = (cli: string, args: readonly string[]): CliResult => {
    const earlier = stopped.get(cli);
    if (earlier) {
      const why = earlier.problem === CliProblem.TIMEOUT ? `did not answer within ${Math.round(timeoutMs / 1000)} s` : `found no valid credentials (${earlier.message})`;
      return { command: [cli, ...args].join(' '), problem: earlier.problem, message: `not run: an earlier ${cli} call ${why}` };
    }
    const r = runCli(cli, args, { env, timeoutMs });
    if (r.problem === CliProblem.TIMEOUT || r.problem === CliProblem.NO_CREDENTIALS) stopped.set(cli, r);
    return r;
  };
  return { plan, region, project, options, env, run };
}
