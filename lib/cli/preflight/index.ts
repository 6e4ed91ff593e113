/**
 * Read-only checks of the target account / project / subscription with the cloud's own CLI
 * (issue 12): identity, quotas at max nodes, instance types per zone, APIs / resource providers /
 * features, organization policies, service-linked roles and Key Vault reachability. Every CLI call
 * reads; none creates, changes or deletes anything (docs/preflight.md lists them with the
 * permissions they need). A missing CLI, missing or expired credentials, a denied read or a timeout
 * make the affected checks "unknown" with the reason and the fix; nothing here throws for them.
 */
import { loadSpecFile } from '../../spec/spec-file';
import { CloudProvider } from '../../spec/types';
import { awsChecks } from './aws';
import { azureChecks } from './azure';
import { makeContext } from './context';
import { gcpChecks } from './gcp';
import { CheckStatus, PreflightCheck, PreflightOptions } from './types';

export { CheckStatus } from './types';
export type { PreflightCheck, PreflightOptions } from './types';
export { CliProblem, runCli } from './cli-runner';
export type { CliResult } from './cli-runner';
export { DEFAULT_TIMEOUT_MS } from './context';

/** A spec file as loaded and resolved by loadSpecFile. */
export type LoadedSpecFile = ReturnType<typeof loadSpecFile>;

/** Runs every read-only check that applies to the loaded spec file. Never throws for a missing CLI. */
export function runPreflight(loaded: LoadedSpecFile, options: PreflightOptions = {}): PreflightCheck[] {
  const ctx = makeContext(loaded.resolved, loaded.target.region, loaded.target.project, options);
  switch (loaded.target.cloud) {
    case CloudProvider.AWS:
      return awsChecks(ctx);
    case CloudProvider.GCP:
      return gcpChecks(ctx);
    case CloudProvider.AZURE:
      return azureChecks(ctx);
    default:
      return [{ id: 'preflight', title: 'preflight checks', status: CheckStatus.UNKNOWN, detail: `no checks for cloud ${String(loaded.target.cloud)}`, fix: 'use aws, gcp or azure' }];
  }
}

/** 1 when any check failed, else 0 (unknown checks do not fail the run; they are printed with their fix). */
export function preflightExitCode(checks: readonly PreflightCheck[]): number {
  return checks.some((c) => c.status === CheckStatus.FAIL) ? 1 : 0;
}
