import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { TerraformStack, TerraformVariable } from 'cdktf';
import { AzureSandboxPlatform } from '../../azure/platform';
import { PlatformSpecFile } from '../../spec';

/** Terraform variables a reference Azure stack needs at plan/apply time (docs/azure.md, What the runner needs). */
export const AZURE_STACK_VARIABLES = {
  deployerIpRanges: 'deployer_ip_ranges',
  standbyPoolPrincipalId: 'standby_pool_principal_id',
} as const;

/**
 * Adds the Azure provider and platform for a loaded spec file to `stack`. The subscription comes
 * from the environment (ARM_SUBSCRIPTION_ID, as azurerm 4.x requires a subscription id; or set
 * subscription_id in the provider). Storage is reached with Entra ID only (every account but the
 * flow-log one disables shared keys) and never through its data plane (containers are created
 * through Resource Manager).
 *
 * Two values only the runner knows are Terraform variables, so the stack as written applies on a
 * first run: deployer_ip_ranges (the runner's public egress addresses: azurerm manages the platform
 * key through the Key Vault data plane, which is otherwise closed) and, when a pool has warm nodes,
 * standby_pool_principal_id (the object id of the Standby Pool resource provider in the tenant).
 * Set them with TF_VAR_deployer_ip_ranges='["203.0.113.7/32"]' and
 * TF_VAR_standby_pool_principal_id=$(az ad sp list --display-name "Standby Pool Resource Provider" --query "[0].id" -o tsv).
 */
export function addAzurePlatform(stack: TerraformStack, _file: string, loaded: PlatformSpecFile): void {
  new AzurermProvider(stack, 'azurerm', {
    features: [{ storage: [{ dataPlaneAvailable: false }] }],
    storageUseAzuread: true,
  });
  const deployerIpRanges = new TerraformVariable(stack, AZURE_STACK_VARIABLES.deployerIpRanges, {
    type: 'list(string)',
    description: 'Public IPv4 addresses or CIDRs of the machine running terraform plan/apply; the Key Vault firewall admits only these.',
    validation: [{
      condition: `\${length(var.${AZURE_STACK_VARIABLES.deployerIpRanges}) > 0 && alltrue([for r in var.${AZURE_STACK_VARIABLES.deployerIpRanges} : can(cidrhost(r, 0)) || can(cidrhost(format("%s/32", r), 0))])}`,
      errorMessage: 'Give at least one public IPv4 address or CIDR, e.g. ["203.0.113.7/32"].',
    }],
  });
  const warm = (loaded.spec.sandboxPools ?? []).some((p) => (p.warmNodes ?? 0) > 0);
  const standbyPoolPrincipalId = warm
    ? new TerraformVariable(stack, AZURE_STACK_VARIABLES.standbyPoolPrincipalId, {
      type: 'string',
      description: 'Object id of the "Standby Pool Resource Provider" service principal in this tenant '
        + '(az ad sp list --display-name "Standby Pool Resource Provider" --query "[0].id" -o tsv).',
      validation: [{
        condition: `\${can(regex("^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$", var.${AZURE_STACK_VARIABLES.standbyPoolPrincipalId}))}`,
        errorMessage: 'Give the service principal\'s object id (a GUID).',
      }],
    }).stringValue
    : undefined;
  new AzureSandboxPlatform(stack, 'platform', {
    spec: loaded.spec,
    location: loaded.target.region,
    deployerIpRanges: deployerIpRanges.listValue,
    standbyPoolPrincipalId,
  });
}
