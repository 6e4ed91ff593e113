/**
 * synth: Terraform JSON and the compliance report for a spec file, without a cdktf project. The
 * stack comes from the library's addSpecFileStack (the reference app's module), so the output is
 * what `cdktf synth` of the reference app writes for the same file. cdktf and the provider packages
 * are loaded only here, and only the target cloud's.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { basename, join, relative } from 'path';
import type { ComplianceReport } from '../../compliance/types';
import { SpecValidationError } from '../../spec';
import { CommandDef, FORMAT_OPTION, HELP_OPTION, ParsedArgs } from '../args';
import { CliIo, ExitCode, JSON_SCHEMA_VERSION, OutputFormat, printJson } from '../io';
import { absolute, loadFile } from '../load';
import { reportInvalidFile } from './failure';

export const SYNTH: CommandDef = {
  name: 'synth',
  summary: 'Terraform JSON and the compliance report for a spec file, ready for terraform init && apply',
  args: '<spec.json>',
  minArgs: 1,
  maxArgs: 1,
  options: [
    { name: 'out', short: 'o', value: 'DIR', description: 'where to write cdk.tf.json and the compliance report (default cdktf.out/stacks/<file name>)' },
    FORMAT_OPTION, HELP_OPTION,
  ],
  details: [
    'Builds the stack the reference app builds for the file (its "backend", the target cloud\'s provider, the',
    'platform) and writes cdk.tf.json, compliance-report.json and compliance-report.md into DIR, so plain',
    'Terraform applies it: cd DIR && terraform init && terraform apply. The stack and state are named after the',
    'file (prod.json: stack "prod"). Needs cdktf, constructs and the target cloud\'s provider package',
    '(@cdktf/provider-aws, -google or -azurerm) installed; a missing one is named. Files already in DIR (state,',
    '.terraform) are kept; the three files are replaced. A compliance violation fails synth (exit 1): the report',
    'in DIR says which resource breaks which rule and how to fix it.',
  ],
};

/** synth --format json. */
export interface SynthDocument {
  readonly schemaVersion: number;
  readonly command: 'synth';
  readonly ok: boolean;
  readonly file: string;
  readonly stack: string;
  readonly outDir: string;
  /** Files written into outDir (relative names). */
  readonly files: readonly string[];
  readonly terraform: {
    readonly resources: number;
    readonly backend: { readonly [type: string]: unknown } | null;
    /** Variables terraform asks for at plan/apply (set them as TF_VAR_<name>). */
    readonly variables: readonly { readonly name: string; readonly description: string }[];
  } | null;
  readonly compliance: {
    readonly profile: string;
    readonly compliant: boolean;
    readonly summary: ComplianceReport['summary'];
    readonly report: string;
    readonly violations: readonly { readonly ruleId: string; readonly address: string; readonly message: string; readonly fix: string | null; readonly severity: string }[];
  } | null;
  /** Synth warnings (construct path and message). */
  readonly warnings: readonly string[];
  /** Why synth failed, when ok is false. */
  readonly errors: readonly string[];
  /** The commands to run next. */
  readonly next: readonly string[];
}

type SpecFileStackModule = typeof import('../../common/spec-file-stack');
type CdktfModule = typeof import('cdktf');

/** cdktf (a peer dependency) and the spec-file stack module, or the message naming what to install. */
function loadSynthModules(): { cdktf: CdktfModule; stacks: SpecFileStackModule } | string {
  try {
    /* eslint-disable @typescript-eslint/no-require-imports -- validate/explain/preflight never load cdktf */
    const cdktf = require('cdktf') as CdktfModule;
    const stacks = require('../../common/spec-file-stack') as SpecFileStackModule;
    /* eslint-enable @typescript-eslint/no-require-imports */
    return { cdktf, stacks };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const m = /Cannot find module '((?:@[^/']+\/)?[^/']+)/.exec(String(err?.message));
    if (err?.code === 'MODULE_NOT_FOUND' && m && (m[1] === 'cdktf' || m[1] === 'constructs')) {
      return `synth needs ${m[1]}, which is not installed; install the peer dependencies: npm install cdktf@^0.21 constructs@^10`;
    }
    throw e;
  }
}

/** Stack ids cdktf refuses (whitespace, glob characters: cdktf lib/terraform-stack.js). */
const BAD_STACK_NAME = /[\s*?[\]{}!]/;

function countResources(tf: { resource?: { [type: string]: object } }): number {
  return Object.values(tf.resource ?? {}).reduce((a, r) => a + Object.keys(r).length, 0);
}

function readJsonIfExists<T>(file: string): T | undefined {
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) as T : undefined;
}

function complianceOf(report: ComplianceReport | undefined, reportPath: string): SynthDocument['compliance'] {
  if (!report) return null;
  const violations = report.rules.flatMap((rule) => rule.results.filter((r) => r.status === 'fail')
    .map((r) => ({ ruleId: rule.id, address: r.address, message: r.message, fix: r.fix ?? null, severity: r.severity ?? 'error' })));
  return { profile: report.profile, compliant: report.compliant, summary: report.summary, report: reportPath, violations };
}

/** Environment a cloud's provider block needs that the stack cannot carry (azurerm 4.x: the subscription). */
const CLOUD_ENV: { readonly [cloud: string]: readonly string[] } = {
  azure: ['export ARM_SUBSCRIPTION_ID=<subscription id>   # azurerm 4.x requires the subscription; the stack does not name it'],
};

function nextCommands(outDir: string, cloud: string, variables: readonly { name: string }[]): string[] {
  return [
    `cd ${outDir}`,
    ...(CLOUD_ENV[cloud] ?? []),
    ...variables.map((v) => `export TF_VAR_${v.name}=...`),
    'terraform init',
    'terraform plan -out tfplan',
    'terraform apply tfplan',
  ];
}

function render(doc: SynthDocument): string {
  const out: string[] = [];
  if (doc.ok) out.push(`Synthesized stack ${doc.stack} from ${doc.file} into ${doc.outDir}`);
  else out.push(`synth of ${doc.file} failed`);
  for (const e of doc.errors) out.push(`  ${e}`);
  if (doc.terraform) {
    const b = doc.terraform.backend ? Object.keys(doc.terraform.backend)[0] : 'none';
    out.push(`  ${join(doc.outDir, 'cdk.tf.json')}: ${doc.terraform.resources} resources, ${b} backend`);
  }
  const c = doc.compliance;
  if (c) {
    const s = c.summary;
    out.push(`  ${c.report}: ${c.profile} ${c.compliant ? 'PASS' : 'FAIL'} (${s.passed} passed, ${s.errors} errors, ${s.warnings} warnings, ${s.notEvaluated} not evaluated)`);
    for (const v of c.violations) out.push(`    ${v.severity} [${v.ruleId}] ${v.address}: ${v.message}${v.fix ? `\n      fix: ${v.fix}` : ''}`);
  }
  if (doc.warnings.length > 0) {
    out.push('Warnings:');
    for (const w of doc.warnings) out.push(`  ${w}`);
  }
  if (doc.terraform && doc.terraform.variables.length > 0) {
    out.push('Variables to set before plan (TF_VAR_<name>):');
    for (const v of doc.terraform.variables) out.push(`  ${v.name}: ${v.description}`);
  }
  if (doc.ok) {
    out.push('Next:');
    for (const n of doc.next) out.push(`  ${n}`);
  }
  return `${out.join('\n')}\n`;
}

function annotationLines(manifest: { stacks?: { [name: string]: { annotations?: { level: string; constructPath: string; message: string }[] } } } | undefined, stack: string, level: string): string[] {
  return (manifest?.stacks?.[stack]?.annotations ?? []).filter((a) => a.level === level).map((a) => `[${a.constructPath}] ${a.message}`);
}

export function runSynth(io: CliIo, args: ParsedArgs): ExitCode {
  const file = args.positionals[0];
  const format = args.options.format;
  const r = loadFile(io, file);
  if (!r.ok) return reportInvalidFile(io, 'synth', format, file, r.issues);
  const stackName = basename(file).replace(/\.json$/, '');
  if (BAD_STACK_NAME.test(stackName)) {
    return reportInvalidFile(io, 'synth', format, file, [{
      path: '(file)', message: `the file name gives the stack and state name ${JSON.stringify(stackName)}, which has a space or one of * ? [ ] { } !`,
      hint: 'rename the file, e.g. to prod-us.json',
    }]);
  }
  const outArg = typeof args.options.out === 'string' ? args.options.out : join('cdktf.out', 'stacks', stackName);
  const outDir = absolute(io, outArg);

  const head = (ok: boolean) => ({ schemaVersion: JSON_SCHEMA_VERSION, command: 'synth' as const, ok, file, stack: stackName, outDir: outArg });
  const fail = (errors: string[], extra: Partial<SynthDocument> = {}): ExitCode => {
    const doc: SynthDocument = { ...head(false), files: [], terraform: null, compliance: null, warnings: [], errors, next: [], ...extra };
    if (format === OutputFormat.JSON) printJson(io, doc);
    else io.stderr(render(doc));
    return ExitCode.PROBLEMS;
  };

  const modules = loadSynthModules();
  if (typeof modules === 'string') return fail([modules]);
  const { cdktf, stacks } = modules;

  const tmp = mkdtempSync(join(tmpdir(), 'cdktf-sandbox-byoc-synth-'));
  try {
    let synthError: Error | undefined;
    try {
      const app = new cdktf.App({ outdir: tmp, stackTraces: false });
      stacks.addSpecFileStack(app, r.path, { loaded: r.loaded, stackName });
      app.synth();
    } catch (e) {
      if (e instanceof SpecValidationError) return reportInvalidFile(io, 'synth', format, file, e.issues);
      if (e instanceof stacks.ProviderPackageMissingError) return fail([e.message]);
      if (!(e instanceof Error) || !/Encountered Annotations with level "ERROR"/.test(e.message)) throw e;
      synthError = e;
    }
    // The stack's files (cdk.tf.json, the compliance reports, anything else the stack writes) go into outDir.
    const stackDir = join(tmp, 'stacks', stackName);
    const written = existsSync(stackDir) ? readdirSync(stackDir).sort() : [];
    mkdirSync(outDir, { recursive: true });
    for (const f of written) cpSync(join(stackDir, f), join(outDir, f), { recursive: true });
    const tf = readJsonIfExists<{ resource?: { [t: string]: object }; terraform?: { backend?: { [t: string]: unknown } }; variable?: { [n: string]: { description?: string } } }>(join(stackDir, 'cdk.tf.json'));
    const reportPath = relative(io.cwd ?? process.cwd(), join(outDir, 'compliance-report.md')) || 'compliance-report.md';
    const compliance = complianceOf(readJsonIfExists<ComplianceReport>(join(stackDir, 'compliance-report.json')), reportPath);
    const variables = Object.entries(tf?.variable ?? {}).map(([name, v]) => ({ name, description: v.description ?? '' }));
    const terraform = tf ? { resources: countResources(tf), backend: tf.terraform?.backend ?? null, variables } : null;
    if (synthError) {
      const errors = compliance && !compliance.compliant
        ? [`${compliance.violations.filter((v) => v.severity === 'error').length} compliance violation(s) of the ${compliance.profile} profile; see ${reportPath}`]
        : synthError.message.split('\n').filter((l) => l.startsWith('['));
      return fail(errors.length > 0 ? errors : [synthError.message], { files: written, compliance });
    }
    const manifest = readJsonIfExists<Parameters<typeof annotationLines>[0]>(join(tmp, 'manifest.json'));
    const doc: SynthDocument = {
      ...head(true), files: written, terraform, compliance,
      warnings: annotationLines(manifest, stackName, cdktf.AnnotationMetadataEntryType.WARN), errors: [],
      next: nextCommands(outArg, r.loaded.target.cloud, variables),
    };
    if (format === OutputFormat.JSON) printJson(io, doc);
    else io.stdout(render(doc));
    return ExitCode.OK;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
