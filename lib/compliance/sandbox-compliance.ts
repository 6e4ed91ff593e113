/**
 * cdktf integration: enforce a profile's pack on a stack at synth time, suppress rules on a
 * construct subtree with a reason, and write the report next to cdk.tf.json.
 *
 * How it hooks into synth (cdktf 0.21, StackSynthesizer.synthesize):
 *   1. aspects run, 2. node validations run, 3. annotations are collected and an error
 *   annotation throws (app.synth(), Testing.fullSynth) or is printed and fails the command
 *   (`cdktf synth` sets CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS and fails after all stacks),
 *   4. cdk.tf.json is written.
 * enforce() adds a node validation (step 2, so every aspect has already changed the tree) that
 * evaluates `stack.toTerraform()` and turns each violation into an error annotation (warning for
 * advisory rules) on the resource's construct, and each result a rule could not evaluate (a value
 * computed only at apply, a key outside the stack) into a warning; the validation itself returns no error, so the
 * violations surface as annotations with construct paths. enforce() also wraps the stack's
 * synthesizer so that, after synthesis (even a failed one), compliance-report.json and
 * compliance-report.md are written into the stack's output directory (cdktf.out/stacks/<stack>/).
 * With App({ skipValidation: true }) no violation is raised, but the report is still written.
 * Testing.synth(stack) runs no validations, so it neither fails nor writes reports.
 */
import { AnnotationMetadataEntryType, ISynthesisSession, IStackSynthesizer, TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import { join } from 'path';
import { ComplianceProfile } from '../spec';
import { evaluate, notEvaluated, notEvaluatedMessage, validateSuppression, violationMessage, violations } from './engine';
import { isRuleId } from './packs';
import { writeReport } from './report';
import { stricter } from './rules/define';
import { ComplianceReport, RuleSeverity, Suppression, SynthesizedStack } from './types';

/** Node metadata type under which suppressions are recorded. */
export const SUPPRESSION_METADATA_TYPE = 'cdktf-sandbox-byoc/compliance-suppression';

/** Options of SandboxCompliance.enforce. */
export interface ComplianceEnforceOptions {
  /** The profile whose pack is enforced. */
  readonly profile: ComplianceProfile;
  /**
   * The spec declares an existing organization trail / audit config / activity-log export, so the
   * stack need not create one (AWS-TRAIL, GCP-AUDIT, AZ-LOG-ACTIVITY). Default false.
   */
  readonly existingOrganizationTrail?: boolean;
  /** Write compliance-report.json and compliance-report.md next to cdk.tf.json on synth. Default true. */
  readonly writeReports?: boolean;
}

/** Options of SandboxCompliance.evaluate. */
export interface ComplianceEvaluateOptions {
  /** Default: the profile enforced on the stack. */
  readonly profile?: ComplianceProfile;
  /** Default: as enforced on the stack, else false. */
  readonly existingOrganizationTrail?: boolean;
}

interface Enforcement {
  profile: ComplianceProfile;
  existingOrganizationTrail: boolean;
  writeReports: boolean;
  lastReport?: ComplianceReport;
  /** Annotations already added (construct path + message), so repeated validation does not duplicate them. */
  readonly annotated: Set<string>;
  /** True while our synthesizer wrapper runs: validation then happens inside that synthesis. */
  synthesizing?: boolean;
}

const ENFORCEMENT = Symbol.for('cdktf-sandbox-byoc/compliance-enforcement');

function enforcementOf(stack: TerraformStack): Enforcement | undefined {
  return (stack as unknown as { [ENFORCEMENT]?: Enforcement })[ENFORCEMENT];
}

/** The stack's resolved Terraform JSON (tokens resolved, "//" metadata kept). */
function synthesizedJson(stack: TerraformStack, tf: unknown = stack.toTerraform()): SynthesizedStack {
  return JSON.parse(JSON.stringify(tf)) as SynthesizedStack;
}

const REUSE = Symbol.for('cdktf-sandbox-byoc/compliance-reuse-to-terraform');

/**
 * Resolving a stack (toTerraform) is the most expensive step of synth, and the synthesizer does it
 * again right after validation, with nothing changed in between. Within one synthesis, the
 * synthesizer's call gets the result the evaluation already computed; the shortcut is removed
 * when that synthesis ends, so a later toTerraform always resolves afresh.
 */
function reuseOnce(stack: TerraformStack, tf: unknown): void {
  const own = stack as unknown as { toTerraform: () => unknown; [REUSE]?: boolean };
  own[REUSE] = true;
  own.toTerraform = () => {
    endReuse(stack);
    return tf;
  };
}

function endReuse(stack: TerraformStack): void {
  const own = stack as unknown as { toTerraform?: unknown; [REUSE]?: boolean };
  if (!own[REUSE]) return;
  delete own.toTerraform; // back to TerraformStack.prototype.toTerraform
  delete own[REUSE];
}

/** Writes the report after the wrapped synthesizer ran, whether or not it threw. */
class ReportingSynthesizer implements IStackSynthesizer {
  constructor(private readonly inner: IStackSynthesizer, private readonly stack: TerraformStack, private readonly state: Enforcement) {}

  public synthesize(session: ISynthesisSession): void {
    this.state.lastReport = undefined;
    let failed = true;
    this.state.synthesizing = true;
    try {
      this.inner.synthesize(session);
      failed = false;
    } finally {
      this.state.synthesizing = false;
      endReuse(this.stack);
      try {
        this.write(session);
      } catch (e) {
        if (!failed) throw e; // never mask the synth error itself
      }
    }
  }

  private write(session: ISynthesisSession): void {
    if (!this.state.writeReports) return;
    const report = this.state.lastReport ?? SandboxCompliance.evaluate(this.stack);
    this.state.lastReport = report;
    writeReport(join(session.outdir, session.manifest.forStack(this.stack).workingDirectory), report);
  }
}

function annotateOnce(state: Enforcement, target: IConstruct, severity: RuleSeverity, message: string): void {
  const key = `${target.node.path}\u0000${severity}\u0000${message}`;
  if (state.annotated.has(key)) return;
  state.annotated.add(key);
  // The same metadata Annotations.of(target).addError/addWarning records, minus the stack trace:
  // it would point into this module, not at the user's code, and bury the message in `cdktf synth`.
  target.node.addMetadata(severity === RuleSeverity.ERROR ? AnnotationMetadataEntryType.ERROR : AnnotationMetadataEntryType.WARN, message);
}

function runEnforcement(stack: TerraformStack, state: Enforcement): void {
  const tf = stack.toTerraform();
  if (state.synthesizing) reuseOnce(stack, tf);
  const report = evaluateResolved(stack, tf, {});
  state.lastReport = report;
  const byPath = new Map<string, IConstruct>(stack.node.findAll().map((c) => [c.node.path, c]));
  for (const { rule, result } of violations(report)) {
    const target = (result.constructPath && byPath.get(result.constructPath)) || stack;
    annotateOnce(state, target, result.severity ?? RuleSeverity.ERROR, violationMessage(rule, result));
  }
  // What a rule could not check fails nothing, but is said out loud (and listed in the report).
  for (const { rule, result } of notEvaluated(report)) {
    const target = (result.constructPath && byPath.get(result.constructPath)) || stack;
    annotateOnce(state, target, RuleSeverity.WARNING, notEvaluatedMessage(rule, result));
  }
  for (const s of report.suppressions.filter((x) => x.covered === 0)) {
    annotateOnce(state, byPath.get(s.constructPath) ?? stack, RuleSeverity.WARNING,
      `[${s.ruleId}] suppression on ${s.constructPath} covers no failing resource under profile ${report.profile}; remove it if it is no longer needed`);
  }
}

/** Compliance enforcement, suppression and reporting for cdktf stacks. */
export class SandboxCompliance {
  /**
   * Enforces `options.profile`'s rule pack on the stack of `scope` at synth: every violation is an
   * error annotation (a warning for advisory rules) that fails app.synth(), Testing.fullSynth and
   * `cdktf synth`; the report is written next to cdk.tf.json. Calling it again on the same stack
   * keeps one enforcement with the stricter profile (existingOrganizationTrail if any call declares it).
   */
  public static enforce(scope: IConstruct, options: ComplianceEnforceOptions): void {
    const stack = TerraformStack.of(scope);
    const existing = enforcementOf(stack);
    if (existing) {
      existing.profile = stricter(existing.profile, options.profile);
      existing.existingOrganizationTrail ||= options.existingOrganizationTrail ?? false;
      existing.writeReports &&= options.writeReports ?? true;
      return;
    }
    const state: Enforcement = {
      profile: options.profile,
      existingOrganizationTrail: options.existingOrganizationTrail ?? false,
      writeReports: options.writeReports ?? true,
      annotated: new Set(),
    };
    Object.defineProperty(stack, ENFORCEMENT, { value: state, enumerable: false });
    stack.node.addValidation({
      validate: () => {
        runEnforcement(stack, state);
        return [];
      },
    });
    stack.synthesizer = new ReportingSynthesizer(stack.synthesizer, stack, state);
  }

  /**
   * Accepts failures of `ruleId` on `construct` and every construct beneath it, for `reason`
   * (required, non-empty; it is printed in the report). Throws for an unknown rule id or an empty reason.
   */
  public static suppress(construct: IConstruct, ruleId: string, reason: string): void {
    const path = construct.node.path;
    if (!isRuleId(ruleId)) {
      throw new Error(`SandboxCompliance.suppress(${path}): unknown rule id "${ruleId}"; use a RuleId value such as RuleId.AWS_S3_ENC ("AWS-S3-ENC").`);
    }
    if (typeof reason !== 'string' || reason.trim() === '') {
      throw new Error(`SandboxCompliance.suppress(${path}, "${ruleId}"): a reason is required; say why the failure is accepted (it goes into the audit report).`);
    }
    construct.node.addMetadata(SUPPRESSION_METADATA_TYPE, { ruleId, reason: reason.trim() });
  }

  /** Suppressions recorded on the stack's constructs (and on its ancestors, which cover the whole stack). */
  public static suppressionsOf(stack: TerraformStack): Suppression[] {
    const out: Suppression[] = [];
    const collect = (c: IConstruct, constructPath: string) => {
      for (const m of c.node.metadata) {
        if (m.type !== SUPPRESSION_METADATA_TYPE) continue;
        const data = m.data as { ruleId: string; reason: string };
        out.push({ ruleId: data.ruleId, reason: data.reason, constructPath });
      }
    };
    for (const ancestor of stack.node.scopes.slice(0, -1)) collect(ancestor, stack.node.path);
    for (const c of stack.node.findAll()) collect(c, c.node.path);
    out.forEach(validateSuppression);
    return out;
  }

  /**
   * Evaluates the stack now, from `stack.toTerraform()`. Aspects must already have run (during
   * synth enforce() evaluates at the right moment; in tests call it after Testing.synth or
   * Testing.fullSynth). Throws if neither the stack enforces a profile nor options give one.
   */
  public static evaluate(stack: TerraformStack, options: ComplianceEvaluateOptions = {}): ComplianceReport {
    return evaluateResolved(stack, stack.toTerraform(), options);
  }

  /** The report of the stack's last synthesis, if it enforces a profile and was synthesized. */
  public static reportOf(stack: TerraformStack): ComplianceReport | undefined {
    return enforcementOf(stack)?.lastReport;
  }

  /** The profile enforced on the stack, if any. */
  public static profileOf(stack: TerraformStack): ComplianceProfile | undefined {
    return enforcementOf(stack)?.profile;
  }
}

/** Evaluates an already resolved stack (the output of `stack.toTerraform()`). */
function evaluateResolved(stack: TerraformStack, tf: unknown, options: ComplianceEvaluateOptions): ComplianceReport {
  const state = enforcementOf(stack);
  const profile = options.profile ?? state?.profile;
  if (!profile) throw new Error(`SandboxCompliance.evaluate(${stack.node.path}): no profile given and none enforced on the stack`);
  return evaluate(synthesizedJson(stack, tf), {
    profile,
    suppressions: SandboxCompliance.suppressionsOf(stack),
    existingOrganizationTrail: options.existingOrganizationTrail ?? state?.existingOrganizationTrail ?? false,
    stackName: stack.node.id,
  });
}
