/** Helpers to declare rules compactly. */
import { CloudProvider, ComplianceProfile, LOG_RETENTION_FLOOR_DAYS, compliancePreset } from '../../spec';
import {
  CheckOutcome, ComplianceRule, ControlMapping, RuleContext, RuleId, RuleSeverity, StackFinding, TerraformResource, UpstreamIds,
} from '../types';

const ORDER = [ComplianceProfile.BASELINE, ComplianceProfile.SOC2, ComplianceProfile.HIPAA];

/** The profile and every stricter one: fromProfile(SOC2) = [SOC2, HIPAA]. */
export function fromProfile(p: ComplianceProfile): ComplianceProfile[] {
  return ORDER.slice(ORDER.indexOf(p));
}

/** The stricter of two profiles. */
export function stricter(a: ComplianceProfile, b: ComplianceProfile): ComplianceProfile {
  return ORDER.indexOf(a) >= ORDER.indexOf(b) ? a : b;
}

/** Log retention floor of a profile (days): baseline 90, soc2 365, hipaa 2192. */
export function retentionFloorDays(p: ComplianceProfile): number {
  return LOG_RETENTION_FLOOR_DAYS[p];
}

/** Customer-managed keys are required (soc2, hipaa). */
export function cmkRequired(p: ComplianceProfile): boolean {
  return compliancePreset(p).customerManagedKeysRequired;
}

/** The declaration of a rule; omitted fields take defaults (error severity, no advisory profiles). */
export interface RuleDefinition {
  readonly id: RuleId;
  readonly title: string;
  readonly description: string;
  readonly cloud: CloudProvider;
  /** The least strict enforcing profile (the table's B / S / H). */
  readonly minimumProfile: ComplianceProfile;
  readonly advisoryProfiles?: ComplianceProfile[];
  readonly resourceTypes: string[];
  readonly controls: Partial<ControlMapping>;
  readonly upstream: Partial<UpstreamIds>;
  readonly check: (resource: TerraformResource, context: RuleContext) => CheckOutcome;
  readonly checkStack?: (context: RuleContext) => StackFinding[];
}

export function defineRule(d: RuleDefinition): ComplianceRule {
  return {
    id: d.id,
    title: d.title,
    description: d.description,
    clouds: [d.cloud],
    profiles: fromProfile(d.minimumProfile),
    advisoryProfiles: d.advisoryProfiles ?? [],
    severity: RuleSeverity.ERROR,
    resourceTypes: d.resourceTypes,
    controls: { hipaa: d.controls.hipaa ?? [], soc2: d.controls.soc2 ?? [], cis: d.controls.cis ?? [] },
    upstream: { checkov: d.upstream.checkov ?? [], cdkNag: d.upstream.cdkNag ?? [] },
    check: d.check,
    checkStack: d.checkStack,
  };
}
