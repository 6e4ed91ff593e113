/**
 * The engine: evaluates a synthesized stack against a profile's pack, applies suppressions and
 * returns a structured report. Pure (no cdktf): works on cdk.tf.json or hand-written fixtures.
 */
import { CloudProvider } from '../spec';
import { StackModel } from './model';
import { packFor, ruleById, severityFor } from './packs';
import {
  CheckOutcome, CheckStatus, ComplianceReport, ComplianceRule, EvaluationOptions, ResourceResult, ResultStatus, RuleContext,
  RuleReport, RuleSeverity, RuleState, Suppression, SuppressionReport, SynthesizedStack,
} from './types';

const CLOUD_PREFIXES: [string, CloudProvider][] = [['aws_', CloudProvider.AWS], ['google_', CloudProvider.GCP], ['azurerm_', CloudProvider.AZURE]];

/** Clouds whose resource types appear in the stack; all clouds if none does. */
export function detectClouds(stack: SynthesizedStack): CloudProvider[] {
  const types = [...Object.keys(stack.resource ?? {}), ...Object.keys(stack.data ?? {})];
  const found = CLOUD_PREFIXES.filter(([prefix]) => types.some((t) => t.startsWith(prefix))).map(([, c]) => c);
  return found.length > 0 ? found : CLOUD_PREFIXES.map(([, c]) => c);
}

/** Throws unless the suppression names a known rule and gives a non-empty reason. */
export function validateSuppression(s: Suppression): void {
  if (!ruleById(s.ruleId)) {
    throw new Error(`Unknown compliance rule id "${s.ruleId}" in a suppression of ${s.constructPath}; use a RuleId value, e.g. "AWS-S3-ENC".`);
  }
  if (typeof s.reason !== 'string' || s.reason.trim() === '') {
    throw new Error(`The suppression of ${s.ruleId} on ${s.constructPath} has no reason; give the reason the failure is accepted (it goes into the audit report).`);
  }
}

/** True if `path` is `prefix` or lies beneath it. */
export function coversPath(prefix: string, path: string | undefined): boolean {
  if (path === undefined) return false;
  return path === prefix || path.startsWith(`${prefix}/`);
}

function runCheck<T>(rule: ComplianceRule, what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw new Error(`compliance rule ${rule.id} failed while evaluating ${what}: ${(e as Error).message}`);
  }
}

function toStatus(s: CheckStatus): ResultStatus {
  switch (s) {
    case CheckStatus.PASS: return ResultStatus.PASS;
    case CheckStatus.FAIL: return ResultStatus.FAIL;
    case CheckStatus.NOT_EVALUATED: return ResultStatus.NOT_EVALUATED;
    default: return ResultStatus.NOT_APPLICABLE;
  }
}

/** The weakest result decides: fail, warning, suppressed, not evaluated, pass, not applicable; no results is not evaluated. */
export function ruleState(results: ResourceResult[]): RuleState {
  const has = (status: ResultStatus, severity?: RuleSeverity) =>
    results.some((r) => r.status === status && (severity === undefined || r.severity === severity));
  if (has(ResultStatus.FAIL, RuleSeverity.ERROR)) return RuleState.FAIL;
  if (has(ResultStatus.FAIL)) return RuleState.WARNING;
  if (has(ResultStatus.SUPPRESSED)) return RuleState.SUPPRESSED;
  if (results.length === 0 || has(ResultStatus.NOT_EVALUATED)) return RuleState.NOT_EVALUATED;
  if (has(ResultStatus.PASS)) return RuleState.PASS;
  return RuleState.NOT_APPLICABLE;
}

/**
 * Evaluates every rule of the profile's pack (for the stack's clouds) on every resource of the
 * rule's types, then turns failures covered by a suppression into SUPPRESSED.
 */
export function evaluate(stackJson: SynthesizedStack, options: EvaluationOptions): ComplianceReport {
  const suppressions = options.suppressions ?? [];
  suppressions.forEach(validateSuppression);
  const model = new StackModel(stackJson);
  const stackName = options.stackName ?? model.stackName ?? 'stack';
  const clouds = options.clouds ?? detectClouds(stackJson);
  const rules = packFor(options.profile).filter((r) => r.clouds.some((c) => clouds.includes(c)));
  const ctx: RuleContext = { profile: options.profile, stack: model, existingOrganizationTrail: options.existingOrganizationTrail ?? false };
  const covered = new Map<Suppression, number>(suppressions.map((s) => [s, 0]));

  const ruleReports = rules.map((rule): RuleReport => {
    const severity = severityFor(rule, options.profile) ?? RuleSeverity.ERROR;
    const results: ResourceResult[] = [];
    const add = (address: string, type: string, constructPath: string | undefined, outcome: CheckOutcome) => {
      let status = toStatus(outcome.status);
      let suppression: Suppression | undefined;
      if (status === ResultStatus.FAIL) {
        suppression = suppressions.filter((s) => s.ruleId === rule.id && coversPath(s.constructPath, constructPath))
          .sort((a, b) => b.constructPath.length - a.constructPath.length)[0];
        if (suppression) {
          status = ResultStatus.SUPPRESSED;
          covered.set(suppression, (covered.get(suppression) ?? 0) + 1);
        }
      }
      const failed = status === ResultStatus.FAIL || status === ResultStatus.SUPPRESSED;
      results.push({
        address, type, constructPath, status, message: outcome.message,
        ...(failed ? { severity, fix: outcome.fix } : {}),
        ...(status === ResultStatus.NOT_EVALUATED && outcome.fix ? { fix: outcome.fix } : {}),
        ...(suppression ? { suppression } : {}),
      });
    };
    for (const type of rule.resourceTypes) {
      for (const r of model.resources(type)) {
        const outcome = runCheck(rule, r.address, () => rule.check(r, ctx));
        add(r.address, r.type, r.constructPath, outcome);
      }
    }
    if (rule.checkStack) {
      for (const f of runCheck(rule, 'the stack', () => rule.checkStack!(ctx))) {
        add(f.address, f.type, stackName, f);
      }
    }
    return {
      id: rule.id, title: rule.title, description: rule.description, clouds: rule.clouds, severity,
      resourceTypes: rule.resourceTypes, controls: rule.controls, upstream: rule.upstream, state: ruleState(results), results,
    };
  });

  const all = ruleReports.flatMap((r) => r.results);
  const count = (pred: (r: ResourceResult) => boolean) => all.filter(pred).length;
  const errors = count((r) => r.status === ResultStatus.FAIL && r.severity === RuleSeverity.ERROR);
  const suppressionReports: SuppressionReport[] = suppressions.map((s) => ({
    ruleId: s.ruleId, constructPath: s.constructPath, reason: s.reason, covered: covered.get(s) ?? 0,
  }));
  return {
    stack: stackName,
    profile: options.profile,
    clouds,
    compliant: errors === 0,
    summary: {
      rules: ruleReports.length,
      evaluations: all.length,
      passed: count((r) => r.status === ResultStatus.PASS),
      errors,
      warnings: count((r) => r.status === ResultStatus.FAIL && r.severity === RuleSeverity.WARNING),
      suppressed: count((r) => r.status === ResultStatus.SUPPRESSED),
      notApplicable: count((r) => r.status === ResultStatus.NOT_APPLICABLE),
      notEvaluated: count((r) => r.status === ResultStatus.NOT_EVALUATED),
      rulesWithoutResources: ruleReports.filter((r) => r.results.length === 0).length,
    },
    rules: ruleReports,
    suppressions: suppressionReports,
  };
}

/** Unsuppressed failures of a report, with their rule, most severe first. */
export function violations(report: ComplianceReport): { rule: RuleReport; result: ResourceResult }[] {
  const list = report.rules.flatMap((rule) => rule.results.filter((r) => r.status === ResultStatus.FAIL).map((result) => ({ rule, result })));
  return [...list.filter((v) => v.result.severity === RuleSeverity.ERROR), ...list.filter((v) => v.result.severity !== RuleSeverity.ERROR)];
}

/** Results a rule could not evaluate (a value computed only at apply, a resource outside the stack), with their rule. */
export function notEvaluated(report: ComplianceReport): { rule: RuleReport; result: ResourceResult }[] {
  return report.rules.flatMap((rule) => rule.results.filter((r) => r.status === ResultStatus.NOT_EVALUATED).map((result) => ({ rule, result })));
}

/** The warning for a result the rule could not evaluate: rule id, address, construct path, why, how to make it checkable. */
export function notEvaluatedMessage(rule: RuleReport, result: ResourceResult): string {
  const where = result.constructPath ? ` (${result.constructPath})` : '';
  const fix = result.fix ? ` To make it checkable: ${result.fix}.` : '';
  return `[${rule.id}] ${result.address}${where}: not evaluated: ${result.message}.${fix} (${rule.title}; the report lists it as not evaluated, never as pass)`;
}

/** A one-line violation message: rule id, address, construct path, what is wrong, how to fix. */
export function violationMessage(rule: RuleReport, result: ResourceResult): string {
  const where = result.constructPath ? ` (${result.constructPath})` : '';
  const fix = result.fix ? ` Fix: ${result.fix}.` : '';
  return `[${rule.id}] ${result.address}${where}: ${result.message}.${fix} `
    + `(${rule.title}; to accept it, SandboxCompliance.suppress(<construct>, '${rule.id}', '<reason>'))`;
}
