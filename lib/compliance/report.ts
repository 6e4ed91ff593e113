/**
 * Report rendering and writing: compliance-report.json (the structured report) and
 * compliance-report.md (the evidence file an auditor reads). Deterministic: no timestamps, so the
 * same stack gives byte-identical reports.
 */
import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { CloudProvider, ComplianceProfile } from '../spec';
import { ComplianceReport, ResourceResult, ResultStatus, RuleReport, RuleSeverity, RuleState } from './types';

export const REPORT_JSON = 'compliance-report.json';
export const REPORT_MARKDOWN = 'compliance-report.md';

const PROFILE_LABEL: { readonly [p in ComplianceProfile]: string } = {
  [ComplianceProfile.BASELINE]: 'baseline',
  [ComplianceProfile.SOC2]: 'SOC 2 (baseline + soc2 rules)',
  [ComplianceProfile.HIPAA]: 'HIPAA Security Rule (baseline + soc2 + hipaa rules)',
};

const CIS_LABEL: { readonly [c in CloudProvider]: string } = {
  [CloudProvider.AWS]: 'CIS AWS Foundations',
  [CloudProvider.GCP]: 'CIS GCP Foundations',
  [CloudProvider.AZURE]: 'CIS Azure Foundations',
};

/** Escapes a value for a markdown table cell. */
function cell(s: string | undefined): string {
  return (s ?? '').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function code(s: string | undefined): string {
  return s ? `\`${s.replace(/`/g, "'")}\`` : '';
}

function statusLabel(r: ResourceResult): string {
  switch (r.status) {
    case ResultStatus.FAIL: return r.severity === RuleSeverity.WARNING ? '**WARNING**' : '**FAIL**';
    case ResultStatus.SUPPRESSED: return 'suppressed';
    case ResultStatus.PASS: return 'pass';
    case ResultStatus.NOT_EVALUATED: return '**not evaluated**';
    default: return 'not applicable';
  }
}

const STATE_LABEL: { readonly [s in RuleState]: string } = {
  [RuleState.FAIL]: 'FAIL',
  [RuleState.WARNING]: 'WARNING',
  [RuleState.SUPPRESSED]: 'suppressed',
  [RuleState.NOT_EVALUATED]: 'not evaluated',
  [RuleState.PASS]: 'pass',
  [RuleState.NOT_APPLICABLE]: 'not applicable',
};

/** Overall status of one rule in the report: its state and, when they differ, the count of each result status. */
export function ruleStatus(rule: RuleReport): string {
  const r = rule.results;
  if (r.length === 0) return 'not evaluated: no resources of these types in the stack';
  const counts = ([
    [ResultStatus.FAIL, 'failing'], [ResultStatus.SUPPRESSED, 'suppressed'], [ResultStatus.NOT_EVALUATED, 'not evaluated'],
    [ResultStatus.PASS, 'pass'], [ResultStatus.NOT_APPLICABLE, 'not applicable'],
  ] as const).map(([status, label]) => [r.filter((x) => x.status === status).length, label] as const).filter(([n]) => n > 0);
  const label = STATE_LABEL[rule.state];
  return counts.length > 1 ? `${label} (${counts.map(([n, l]) => `${n} ${l}`).join(', ')})` : label;
}

/** A rule evidencing a control, with its state. */
export interface ControlRuleState {
  readonly id: string;
  readonly state: RuleState;
}

/** One control of the "Controls evidenced" table. */
export interface ControlState {
  /** e.g. "HIPAA 45 CFR 164.312(b)", "SOC 2 CC6.1", "CIS AWS Foundations 3.7". */
  readonly control: string;
  /** The rules that evidence it, with their states. */
  readonly rules: ControlRuleState[];
  /** The weakest rule state: pass only when every rule passed (or does not apply) and none was suppressed or not evaluated. */
  readonly state: RuleState;
  /** Why the control is not a plain pass: the suppressions (with reasons) and the rules not evaluated (with why). */
  readonly qualifiers: string[];
}

const STATE_ORDER = [RuleState.FAIL, RuleState.WARNING, RuleState.SUPPRESSED, RuleState.NOT_EVALUATED, RuleState.PASS, RuleState.NOT_APPLICABLE];

function qualifiersOf(rule: RuleReport): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const r of rule.results.filter((x) => x.status === ResultStatus.SUPPRESSED)) {
    const text = `suppressed (${rule.id} on ${r.suppression?.constructPath ?? r.address}: ${r.suppression?.reason ?? ''})`;
    if (!seen.has(text)) out.push(text);
    seen.add(text);
  }
  if (rule.results.length === 0) {
    out.push(`not evaluated (${rule.id}: no ${rule.resourceTypes.join(', ')} in this stack)`);
  } else {
    const n = rule.results.filter((x) => x.status === ResultStatus.NOT_EVALUATED).length;
    if (n > 0) out.push(`not evaluated (${rule.id}: ${n} resource${n === 1 ? '' : 's'} could not be evaluated at synth)`);
  }
  return out;
}

/** The controls the report's rules evidence (HIPAA, SOC 2, CIS), each with the state of its rules. */
export function controlStates(report: ComplianceReport): ControlState[] {
  const index = new Map<string, RuleReport[]>();
  const add = (key: string, rule: RuleReport) => index.set(key, [...(index.get(key) ?? []), rule]);
  for (const rule of report.rules) {
    rule.controls.hipaa.forEach((c) => add(`HIPAA 45 CFR ${c}`, rule));
    rule.controls.soc2.forEach((c) => add(`SOC 2 ${c}`, rule));
    rule.controls.cis.forEach((c) => add(`${CIS_LABEL[rule.clouds[0]]} ${c}`, rule));
  }
  const order = (k: string) => (k.startsWith('HIPAA') ? 0 : k.startsWith('SOC') ? 1 : 2);
  const keys = [...index.keys()].sort((a, b) => order(a) - order(b) || a.localeCompare(b, 'en', { numeric: true }));
  return keys.map((control) => {
    const rules = index.get(control)!;
    const worst = Math.min(...rules.map((r) => STATE_ORDER.indexOf(r.state)));
    return {
      control,
      rules: rules.map((r) => ({ id: r.id, state: r.state })),
      state: STATE_ORDER[worst],
      qualifiers: rules.flatMap(qualifiersOf),
    };
  });
}

function controlsLine(rule: RuleReport): string {
  const cis = CIS_LABEL[rule.clouds[0]] ?? 'CIS';
  const part = (label: string, ids: string[]) => `${label} ${ids.length > 0 ? ids.join(', ') : '-'}`;
  return [part('HIPAA 45 CFR', rule.controls.hipaa), part('SOC 2', rule.controls.soc2), part(cis, rule.controls.cis)].join(' · ');
}

function upstreamLine(rule: RuleReport): string {
  const parts: string[] = [];
  if (rule.upstream.checkov.length > 0) parts.push(`checkov ${rule.upstream.checkov.join(', ')}`);
  if (rule.upstream.cdkNag.length > 0) parts.push(`cdk-nag ${rule.upstream.cdkNag.join(', ')}`);
  return parts.length > 0 ? parts.join(' · ') : 'none (rule specific to this library)';
}

function reason(r: ResourceResult): string {
  if (r.status === ResultStatus.SUPPRESSED) return `${r.message}. Suppressed: ${r.suppression?.reason ?? ''}`;
  if (r.status === ResultStatus.NOT_EVALUATED) return r.fix ? `${r.message}. To make it checkable: ${r.fix}` : r.message;
  if (r.status === ResultStatus.FAIL) return `${r.message}. Fix: ${r.fix ?? ''}`;
  return r.message;
}

function controlIndex(report: ComplianceReport): string[] {
  return controlStates(report).map((c) => {
    const failing = c.rules.filter((r) => r.state === c.state).map((r) => r.id).join(', ');
    const status = c.state === RuleState.FAIL || c.state === RuleState.WARNING ? `**${STATE_LABEL[c.state]}** (${failing})`
      : c.qualifiers.length > 0 ? c.qualifiers.join('; ') : STATE_LABEL[c.state];
    return `| ${cell(c.control)} | ${c.rules.map((r) => `${r.id} ${STATE_LABEL[r.state]}`).join(', ')} | ${cell(status)} |`;
  });
}

/** The markdown evidence file. */
export function renderMarkdown(report: ComplianceReport): string {
  const s = report.summary;
  const lines: string[] = [];
  lines.push(`# Compliance report: ${report.stack}`, '');
  lines.push('| | |', '|---|---|');
  lines.push(`| Profile | ${report.profile}: ${PROFILE_LABEL[report.profile]} |`);
  lines.push(`| Clouds | ${report.clouds.join(', ')} |`);
  lines.push(`| Result | ${report.compliant ? '**PASS**: no unsuppressed error' : `**FAIL**: ${s.errors} unsuppressed error(s)`}`
    + `${s.warnings > 0 ? `, ${s.warnings} advisory warning(s)` : ''} |`);
  lines.push('| Evaluated | the synthesized Terraform JSON of this stack (cdk.tf.json, overrides included), at synth time |');
  lines.push('| Generated by | cdktf-sandbox-byoc compliance engine |', '');

  lines.push('## Summary', '');
  lines.push('| Rules | Rules without resources | Evaluations | Pass | Fail (error) | Fail (advisory warning) | Suppressed | Not evaluated | Not applicable |');
  lines.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  lines.push(`| ${s.rules} | ${s.rulesWithoutResources} | ${s.evaluations} | ${s.passed} | ${s.errors} | ${s.warnings} | ${s.suppressed} | ${s.notEvaluated} | ${s.notApplicable} |`, '');

  const open = report.rules.flatMap((rule) => rule.results.filter((r) => r.status === ResultStatus.FAIL).map((r) => ({ rule, r })));
  lines.push('## Open findings', '');
  if (open.length === 0) {
    lines.push('None.', '');
  } else {
    lines.push('| Rule | Severity | Resource | Construct path | What is wrong | How to fix |', '|---|---|---|---|---|---|');
    for (const { rule, r } of open) {
      lines.push(`| ${rule.id} | ${r.severity} | ${code(r.address)} | ${code(r.constructPath)} | ${cell(r.message)} | ${cell(r.fix)} |`);
    }
    lines.push('');
  }

  const unevaluated = report.rules.flatMap((rule) => rule.results.filter((r) => r.status === ResultStatus.NOT_EVALUATED).map((r) => ({ rule, r })));
  lines.push('## Not evaluated', '');
  lines.push('Resources a rule could not check at synth: a value computed only at apply, or a resource outside this stack. They are never counted as pass.', '');
  if (unevaluated.length === 0) {
    lines.push('None.', '');
  } else {
    lines.push('| Rule | Resource | Construct path | Why | How to make it checkable |', '|---|---|---|---|---|');
    for (const { rule, r } of unevaluated) {
      lines.push(`| ${rule.id} | ${code(r.address)} | ${code(r.constructPath)} | ${cell(r.message)} | ${cell(r.fix)} |`);
    }
    lines.push('');
  }

  lines.push('## Suppressions', '');
  if (report.suppressions.length === 0) {
    lines.push('None.', '');
  } else {
    lines.push('| Rule | Construct path (and its children) | Reason | Failures covered |', '|---|---|---|---:|');
    for (const sup of report.suppressions) {
      lines.push(`| ${sup.ruleId} | ${code(sup.constructPath)} | ${cell(sup.reason)} | ${sup.covered} |`);
    }
    lines.push('');
  }

  lines.push('## Controls evidenced', '');
  lines.push('SOC 2 prescribes no settings; its mappings are interpretations. A control reads pass only when every rule that '
    + 'evidences it evaluated at least one resource and passed; "suppressed (reason)" and "not evaluated (why)" are their own states.', '');
  lines.push('| Control | Rules | Status |', '|---|---|---|', ...controlIndex(report), '');

  lines.push('## Rules', '');
  for (const rule of report.rules) {
    lines.push(`### ${rule.id}: ${rule.title}`, '');
    lines.push(`- Status: ${ruleStatus(rule)} (violations are ${rule.severity === RuleSeverity.ERROR ? 'errors' : 'advisory warnings'} under ${report.profile})`);
    lines.push(`- Requirement: ${rule.description}`);
    lines.push(`- Controls: ${controlsLine(rule)}`);
    lines.push(`- Upstream: ${upstreamLine(rule)}`);
    lines.push(`- Evaluates: ${rule.resourceTypes.map((t) => code(t)).join(', ')}`, '');
    if (rule.results.length === 0) {
      lines.push('No resources of these types in the stack.', '');
      continue;
    }
    lines.push('| Resource | Construct path | Status | Reason |', '|---|---|---|---|');
    for (const r of rule.results) {
      lines.push(`| ${code(r.address)} | ${code(r.constructPath)} | ${statusLabel(r)} | ${cell(reason(r))} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** The JSON report (2-space indented, trailing newline). */
export function renderJson(report: ComplianceReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** Writes compliance-report.json and compliance-report.md into `dir` (created if missing); returns their paths. */
export function writeReport(dir: string, report: ComplianceReport): { readonly json: string; readonly markdown: string } {
  mkdirSync(dir, { recursive: true });
  const json = join(dir, REPORT_JSON);
  const markdown = join(dir, REPORT_MARKDOWN);
  writeFileSync(json, renderJson(report));
  writeFileSync(markdown, renderMarkdown(report));
  return { json, markdown };
}
