import { CommandDef, FORMAT_OPTION, HELP_OPTION, ParsedArgs, UsageError } from '../args';
import { CliIo, ExitCode, JSON_SCHEMA_VERSION, OutputFormat, printJson } from '../io';
import { loadFile } from '../load';
import { CheckStatus, PreflightCheck, PreflightOptions, preflightExitCode, runPreflight } from '../preflight';
import { reportInvalidFile } from './failure';

export const PREFLIGHT: CommandDef = {
  name: 'preflight',
  summary: 'read-only checks of the target account with aws / gcloud / az: quotas, offerings, APIs, policies',
  args: '<spec.json>',
  minArgs: 1,
  maxArgs: 1,
  options: [
    { name: 'timeout', value: 'SECONDS', description: 'per cloud-CLI call (default 60)' },
    { name: 'subscription', value: 'ID', description: 'Azure: the subscription to check (default ARM_SUBSCRIPTION_ID, else the az CLI\'s current one)' },
    { name: 'deployer-ip-ranges', value: 'CIDRS', description: 'Azure: comma-separated public ranges the deployer applies from (default TF_VAR_deployer_ip_ranges)' },
    FORMAT_OPTION, HELP_OPTION,
  ],
  details: [
    'Asks the target cloud, with its own CLI and your credentials, what no synth can see: quotas for each pool\'s',
    'instance family and GPUs at max nodes, the type offered in each zone, the APIs / resource providers /',
    'features the stack needs, organization policies that would block it, service-linked roles and Key Vault',
    'reachability. Nothing is changed. Each check is pass, fail or unknown (it could not run: no CLI, no',
    'credentials, no permission to read), with the fix. Exit 1 when a check fails; unknown checks alone exit 0',
    'but are listed, since the first apply may still fail on them. The checks and the read-only permissions',
    'they need: docs/preflight.md.',
  ],
};

/** preflight --format json. */
export interface PreflightDocument {
  readonly schemaVersion: number;
  readonly command: 'preflight';
  /** No check failed (unknown checks do not make it false). */
  readonly ok: boolean;
  readonly file: string;
  readonly target: { readonly cloud: string; readonly region: string; readonly project: string | null };
  readonly checks: readonly { readonly id: string; readonly title: string; readonly status: CheckStatus; readonly detail: string; readonly fix: string | null }[];
  readonly summary: { readonly total: number; readonly pass: number; readonly fail: number; readonly unknown: number };
}

const LABEL: { readonly [s in CheckStatus]: string } = {
  [CheckStatus.PASS]: 'pass',
  [CheckStatus.FAIL]: 'FAIL',
  [CheckStatus.UNKNOWN]: 'unknown',
};

/** The text rendering of the document. */
export function renderPreflight(doc: PreflightDocument): string {
  const t = doc.target;
  const out = [`Preflight (read-only) of ${doc.file}: ${t.cloud} ${t.region}${t.project ? `, project ${t.project}` : ''}`];
  for (const c of doc.checks) {
    out.push(`  ${LABEL[c.status].padEnd(7)}  ${c.title} [${c.id}]`);
    if (c.detail) out.push(`           ${c.detail}`);
    if (c.fix && c.status !== CheckStatus.PASS) out.push(`           fix: ${c.fix}`);
  }
  const s = doc.summary;
  out.push('', `${s.total} check${s.total === 1 ? '' : 's'}: ${s.pass} pass, ${s.fail} fail, ${s.unknown} unknown`);
  if (s.fail > 0) out.push(`${s.fail} check${s.fail === 1 ? '' : 's'} failed: the first apply would fail; fix what failed and run preflight again.`);
  else if (s.unknown > 0) out.push(`No check failed, but ${s.unknown} could not run: the first apply may still fail on what they check (see each fix).`);
  else out.push('Every check passed.');
  return `${out.join('\n')}\n`;
}

/** Builds the document from the checks (pure). */
export function preflightDocument(file: string, target: PreflightDocument['target'], checks: readonly PreflightCheck[]): PreflightDocument {
  const count = (s: CheckStatus): number => checks.filter((c) => c.status === s).length;
  const fail = count(CheckStatus.FAIL);
  return {
    schemaVersion: JSON_SCHEMA_VERSION, command: 'preflight', ok: preflightExitCode(checks) === 0, file, target,
    checks: checks.map((c) => ({ id: c.id, title: c.title, status: c.status, detail: c.detail, fix: c.fix ?? null })),
    summary: { total: checks.length, pass: count(CheckStatus.PASS), fail, unknown: count(CheckStatus.UNKNOWN) },
  };
}

export async function runPreflightCommand(io: CliIo, args: ParsedArgs): Promise<ExitCode> {
  const file = args.positionals[0];
  let timeoutMs: number | undefined;
  if (typeof args.options.timeout === 'string') {
    const seconds = Number(args.options.timeout);
    if (!Number.isFinite(seconds) || seconds <= 0) {
      throw new UsageError(`--timeout ${JSON.stringify(args.options.timeout)} is not a positive number of seconds`, 'write e.g. --timeout 120', 'preflight');
    }
    timeoutMs = Math.round(seconds * 1000);
  }
  const r = loadFile(io, file);
  if (!r.ok) return reportInvalidFile(io, 'preflight', args.options.format, file, r.issues);
  const options: PreflightOptions = {
    env: io.env ?? process.env,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(typeof args.options.subscription === 'string' ? { subscription: args.options.subscription } : {}),
    ...(typeof args.options['deployer-ip-ranges'] === 'string'
      ? { deployerIpRanges: args.options['deployer-ip-ranges'].split(',').map((x) => x.trim()).filter((x) => x !== '') } : {}),
  };
  const run = io.runPreflight ?? runPreflight;
  const checks = await run(r.loaded, options);
  const t = r.loaded.target;
  const doc = preflightDocument(file, { cloud: t.cloud, region: t.region, project: t.project ?? null }, checks);
  if (args.options.format === OutputFormat.JSON) printJson(io, doc);
  else io.stdout(renderPreflight(doc));
  return doc.ok ? ExitCode.OK : ExitCode.PROBLEMS;
}
