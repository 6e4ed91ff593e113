import { OrgPolicyPolicy } from '@cdktf/provider-google/lib/org-policy-policy';
import { Construct } from 'constructs';

/** The boolean constraint that forbids nested virtualization (cloud.google.com/compute/docs/instances/nested-virtualization/overview). */
export const GCP_NESTED_VIRTUALIZATION_CONSTRAINT = 'compute.disableNestedVirtualization';

export interface GcpNestedVirtualizationPolicyProps {
  readonly project: string;
}

/**
 * A project-level organization policy that does not enforce constraints/compute.disableNestedVirtualization,
 * overriding an inherited enforcement for this project. Needs roles/orgpolicy.policyAdmin (granted at
 * the organization or folder). Without it, an
 * organization that enforces the constraint makes every nested-virtualization node fail its KVM check.
 */
export class GcpNestedVirtualizationPolicy extends Construct {
  public readonly policy: OrgPolicyPolicy;

  constructor(scope: Construct, id: string, props: GcpNestedVirtualizationPolicyProps) {
    super(scope, id);
    this.policy = new OrgPolicyPolicy(this, 'policy', {
      name: `projects/${props.project}/policies/${GCP_NESTED_VIRTUALIZATION_CONSTRAINT}`,
      parent: `projects/${props.project}`,
      // Boolean constraints take enforce = "TRUE" | "FALSE" (registry: google_org_policy_policy).
      spec: { rules: [{ enforce: 'FALSE' }] },
    });
  }
}
