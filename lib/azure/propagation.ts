import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { Construct } from 'constructs';
import { TimeSleep } from '../common/time-sleep';

/**
 * How long a new Azure role assignment may take to apply: "it will take up to 10 minutes (600
 * seconds) after role assignments is changed for role to be applied" (Key Vault RBAC guide,
 * learn.microsoft.com/azure/key-vault/general/rbac-guide, Known limits and performance) and "it can
 * take up to 10 minutes for changes to take effect" (learn.microsoft.com/azure/role-based-access-control/troubleshooting,
 * Role assignment changes are not being detected). A resource that uses a grant in the same
 * apply waits this long after it.
 */
export const AZURE_RBAC_PROPAGATION = '10m';

/**
 * A time_sleep after `grants`: consumers depend on it, so they start only after the documented
 * propagation delay. Replacing a grant (a new principal, a new scope) replaces the sleep and waits
 * again (triggers hold the assignments' ids).
 */
export function waitForGrants(scope: Construct, id: string, grants: readonly RoleAssignment[], duration = AZURE_RBAC_PROPAGATION): TimeSleep {
  return new TimeSleep(scope, id, {
    createDuration: duration,
    dependsOn: [...grants],
    triggers: Object.fromEntries(grants.map((g, i) => [`grant_${i}`, g.id])),
  });
}
