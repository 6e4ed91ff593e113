/** Rule packs per compliance profile: baseline < soc2 < hipaa. */
import { CloudProvider, ComplianceProfile } from '../spec';
import { ALL_RULES } from './rules';
import { ComplianceRule, RuleId, RuleSeverity } from './types';

/** Every rule, all clouds and profiles. */
export function allRules(): ComplianceRule[] {
  return [...ALL_RULES];
}

/**
 * The rules a profile evaluates: those it enforces plus those it lists as advisory, optionally
 * for one cloud only. Baseline rules are in every pack; soc2 adds its rules; hipaa adds its own.
 */
export function packFor(profile: ComplianceProfile, cloud?: CloudProvider): ComplianceRule[] {
  return ALL_RULES.filter((r) => (r.profiles.includes(profile) || r.advisoryProfiles.includes(profile))
    && (cloud === undefined || r.clouds.includes(cloud)));
}

/** Severity of a rule's violations under a profile; undefined if the profile's pack does not contain it. */
export function severityFor(rule: ComplianceRule, profile: ComplianceProfile): RuleSeverity | undefined {
  if (rule.profiles.includes(profile)) return rule.severity;
  if (rule.advisoryProfiles.includes(profile)) return RuleSeverity.WARNING;
  return undefined;
}

/** A rule by id; undefined for an unknown id. */
export function ruleById(id: string): ComplianceRule | undefined {
  return ALL_RULES.find((r) => r.id === id);
}

/** True if `id` names a rule (use RuleId members). */
export function isRuleId(id: string): id is RuleId {
  return ALL_RULES.some((r) => r.id === id);
}
