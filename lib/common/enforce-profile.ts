import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { SandboxCompliance } from '../compliance';
import { ResolvedPlatform } from '../spec';

/**
 * What each platform construct does by default: enforce the plan's compliance profile on its
 * whole stack (an organization trail declared in the spec counts as the audit trail).
 */
export function enforcePlanProfile(scope: Construct, plan: ResolvedPlatform, enabled = true): void {
  if (!enabled) return;
  SandboxCompliance.enforce(TerraformStack.of(scope), {
    profile: plan.compliance,
    existingOrganizationTrail: !plan.observability.createAuditTrail,
  });
}
