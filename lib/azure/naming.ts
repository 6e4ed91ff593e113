/**
 * Naming rules of every Azure resource type the platform creates (a NamingTable, see
 * lib/spec/naming.ts). Each rule carries its source: the azurerm validator at v4.55.0 (the only
 * version the stacks' required_providers admits; internal/services/<service>/...) or Microsoft's
 * resource-name rules page (learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules,
 * MicrosoftDocs/azure-docs articles/azure-resource-manager/management/resource-name-rules.md,
 * 2025-03-14 revision). Where both exist the rule is the stricter of the two. Where neither gives a
 * limit the rule says so and holds the name to a self-imposed bound. Pure: no cdktf imports.
 */
import { NameRule, NamingTable, checkName } from '../spec';

const RULES_PAGE = 'learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules';

function rule(attribute: string, minLength: number, maxLength: number, pattern: RegExp, patternText: string, source: string,
  extra: Partial<NameRule> = {}): NameRule {
  return { attribute, minLength, maxLength, pattern, patternText, source, ...extra };
}

/** Microsoft.Network's common rule: alphanumerics, underscores, periods and hyphens; starts alphanumeric; ends alphanumeric or underscore. */
const NETWORK_PATTERN = /^[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9_])?$/;
const NETWORK_TEXT = 'alphanumerics, underscores, periods and hyphens; starts with an alphanumeric, ends with an alphanumeric or underscore';
const network = (attribute: string, entity: string, min = 1, max = 80): NameRule =>
  rule(attribute, min, max, NETWORK_PATTERN, NETWORK_TEXT, `${RULES_PAGE} (Microsoft.Network ${entity})`);

/** Microsoft.Insights names: no listed special characters, not ending with a space or period. */
const insights = (attribute: string, entity: string, forbidden: string): NameRule => {
  const cls = forbidden.replace(/[\\\]^-]/g, (c) => `\\${c}`);
  return rule(attribute, 1, 260, new RegExp(`^[^${cls}\\x00-\\x1f]*[^${cls}\\x00-\\x1f. ]$`),
    `no ${forbidden} or control characters; does not end with a space or period`, `${RULES_PAGE} (Microsoft.Insights ${entity})`);
};

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Standby pool names: "name must be between 3 and 24 characters in length and may contain only
 * letters, numbers and hyphens" (azurerm v4.55.0 compute/virtual_machine_scale_set_standby_pool_resource.go,
 * ^[a-zA-Z0-9-]{3,24}$; the REST API's standbyVirtualMachinePoolName has the same pattern).
 */
export const STANDBY_POOL_NAME_RULE: NameRule = rule('name', 3, 24, /^[A-Za-z0-9-]+$/, 'letters, digits and hyphens',
  'azurerm v4.55.0 compute/virtual_machine_scale_set_standby_pool_resource.go; REST standbyVirtualMachinePools (StandbyPool 2025-03-01)');

/** Key Vault names: 3..24 alphanumerics and hyphens, start with a letter, end with a letter or digit, no "--". */
export const KEY_VAULT_NAME_RULE: NameRule = rule('name', 3, 24, /^[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9]$/,
  'alphanumerics and hyphens; starts with a letter, ends with a letter or digit',
  `azurerm v4.55.0 keyvault/validate/vault_name.go (^[a-zA-Z0-9-]{3,24}$); ${RULES_PAGE} (Microsoft.KeyVault vaults)`,
  { noConsecutiveHyphens: true });

/** Storage account names: 3..24 lowercase letters and digits, globally unique. */
export const STORAGE_ACCOUNT_NAME_RULE: NameRule = rule('name', 3, 24, /^[a-z0-9]+$/, 'lowercase letters and digits',
  `azurerm v4.55.0 storage/validate/storage_account_name.go; ${RULES_PAGE} (Microsoft.Storage storageAccounts)`);

/** Blob container names: 3..63 lowercase letters, digits and hyphens; starts and ends with a letter or digit; no "--". */
export const STORAGE_CONTAINER_NAME_RULE: NameRule = rule('name', 3, 63, /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/,
  'lowercase letters, digits and hyphens; starts and ends with a letter or digit',
  `azurerm v4.55.0 storage/validate/storage_container.go; ${RULES_PAGE} (Microsoft.Storage containers)`, { noConsecutiveHyphens: true });

/** Scale set (Linux host) names: 1..64, no "_" or other listed characters, not ending with a period or hyphen; azurerm: 1..80 of [a-zA-Z0-9._-], starts alphanumeric, ends with a word character. */
const VMSS_NAME = rule('name', 1, 64, /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/,
  'alphanumerics, periods and hyphens; starts and ends with an alphanumeric',
  `azurerm v4.55.0 compute/validate/virtual_machine_name.go; ${RULES_PAGE} (Microsoft.Compute virtualMachineScaleSets, Linux)`);

/**
 * The Azure naming table: every resource type the Azure platform can synthesize. A type mapped to
 * [] has no name of its own (associations, settings bound to a parent, the name of an existing
 * table or the time provider's sleep).
 */
// ---- AKS (issue 16) ----------------------------------------------------------------------------
export const AKS_CLUSTER_NAME_RULE: NameRule = rule('name', 1, 63, /^[A-Za-z0-9]([A-Za-z0-9_-]*[A-Za-z0-9])?$/,
  'alphanumerics, underscores and hyphens; starts and ends with an alphanumeric',
  `${RULES_PAGE} (Microsoft.ContainerService managedClusters); azurerm v4.55.0 containers/kubernetes_cluster_resource.go checks non-empty only`);

export const AKS_DNS_PREFIX_RULE: NameRule = rule('dns_prefix', 1, 54, /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$/,
  'alphanumerics and hyphens; starts and ends with an alphanumeric', 'azurerm v4.55.0 containers/validate/kubernetes.go (KubernetesDNSPrefix)');

/** Linux node pool names: azurerm's validator (AKS itself: 1..12 lowercase alphanumerics starting with a letter for Linux). */
export const AKS_NODE_POOL_NAME_RULE: NameRule = rule('name', 1, 12, /^[a-z][a-z0-9]*$/, 'lowercase letters and digits; starts with a letter',
  'azurerm v4.55.0 containers/validate/kubernetes.go (KubernetesAgentPoolName: ^[a-z]{1}[a-z\\d]{0,11}$); learn.microsoft.com/azure/aks/create-node-pools (Linux: 1-12 characters)');

export const AZURE_NAMING_TABLE: NamingTable = Object.freeze({
  azurerm_resource_group: [rule('name', 1, 90, /^[-\w.()]*[-\w()]$/, 'letters, digits, underscores, hyphens, periods and parentheses; does not end with a period',
    `${RULES_PAGE} (Microsoft.Resources resourcegroups)`)],
  azurerm_log_analytics_workspace: [rule('name', 4, 63, /^[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9]$/, 'alphanumerics and hyphens; starts and ends with an alphanumeric',
    `azurerm v4.55.0 loganalytics/validate/log_analytics_workspace_name.go; ${RULES_PAGE} (Microsoft.OperationalInsights workspaces)`)],
  // The name selects one of the workspace's (Azure-defined) tables.
  azurerm_log_analytics_workspace_table: [],
  azurerm_monitor_action_group: [
    insights('name', 'actionGroups', ':<>+/&%\\?|'),
    rule('short_name', 1, 12, /^.+$/, 'any characters', 'azurerm v4.55.0 monitor/monitor_action_group_resource.go (StringLenBetween(1, 12))'),
  ],
  azurerm_monitor_autoscale_setting: [insights('name', 'autoScaleSettings', ':<>+/&%\\?|')],
  azurerm_monitor_scheduled_query_rules_alert_v2: [insights('name', 'scheduledQueryRules', '*<>%{}&:\\?/#|')],
  azurerm_monitor_metric_alert: [insights('name', 'metricAlerts', '*#&+:<>?@%{}\\/|')],
  azurerm_monitor_diagnostic_setting: [rule('name', 1, 260, /^[^<>*%&:\\?+/]+$/, 'no < > * % & : \\ ? + /',
    'azurerm v4.55.0 monitor/validate/monitor_diagnostic_setting.go')],
  // azurerm checks only that these are non-empty and the rules page has no entry: held to a
  // self-imposed 1..64 of the characters the platform uses.
  azurerm_monitor_data_collection_rule: [rule('name', 1, 64, /^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'alphanumerics, underscores, periods and hyphens (self-imposed)',
    'azurerm v4.55.0 monitor/monitor_data_collection_rule_resource.go checks non-empty only; no documented limit found')],
  azurerm_monitor_data_collection_rule_association: [rule('name', 1, 64, /^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'alphanumerics, underscores, periods and hyphens (self-imposed)',
    'azurerm v4.55.0 monitor/monitor_data_collection_rule_association_resource.go checks non-empty only; no documented limit found')],
  azurerm_application_insights_workbook: [rule('name', 36, 36, GUID, 'a lowercase GUID',
    'azurerm v4.55.0 applicationinsights/application_insights_workbook_resource.go (IsUUID, no uppercase letters)')],
  azurerm_key_vault: [KEY_VAULT_NAME_RULE],
  azurerm_key_vault_key: [rule('name', 1, 127, /^[A-Za-z0-9-]+$/, 'alphanumerics and hyphens',
    `azurerm v4.55.0 keyvault/validate/nested_item_name.go; ${RULES_PAGE} (Microsoft.KeyVault vaults objects, 1-127)`)],
  azurerm_role_assignment: [rule('name', 36, 36, /^[0-9a-fA-F-]{36}$/, 'a GUID', `azurerm v4.55.0 authorization/role_assignment_resource.go (IsUUID); ${RULES_PAGE} (roleAssignments)`)],
  azurerm_role_definition: [
    rule('role_definition_id', 36, 36, /^[0-9a-fA-F-]{36}$/, 'a GUID', `${RULES_PAGE} (Microsoft.Authorization roleDefinitions: a GUID)`),
    rule('name', 1, 128, /^[^<>%&\\?/]+$/, 'no < > % & \\ ? / (self-imposed)',
      'azurerm v4.55.0 authorization/role_definition_resource.go checks non-empty only; role names are unique per tenant; 128 is self-imposed'),
  ],
  azurerm_disk_encryption_set: [rule('name', 1, 80, /^[A-Za-z0-9]([A-Za-z0-9_-]*[A-Za-z0-9_])?$/,
    'alphanumerics, underscores and hyphens; starts with an alphanumeric, does not end with a hyphen',
    `azurerm v4.55.0 compute/validate/disk_encryption_set_name.go; ${RULES_PAGE} (Microsoft.Compute diskEncryptionSets)`)],
  azurerm_user_assigned_identity: [rule('name', 3, 128, /^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'alphanumerics, hyphens and underscores; starts with an alphanumeric',
    `${RULES_PAGE} (Microsoft.ManagedIdentity userAssignedIdentities)`)],
  azurerm_virtual_network: [network('name', 'virtualNetworks', 2, 64)],
  azurerm_virtual_network_dns_servers: [],
  azurerm_subnet: [network('name', 'virtualnetworks/subnets')],
  azurerm_network_security_group: [network('name', 'networkSecurityGroups'), network('security_rule.name', 'networkSecurityGroups/securityRules')],
  azurerm_subnet_network_security_group_association: [],
  azurerm_public_ip: [network('name', 'publicIPAddresses')],
  azurerm_nat_gateway: [rule('name', 1, 80, NETWORK_PATTERN, NETWORK_TEXT, 'azurerm v4.55.0 network/validate/nat_gateway_name.go')],
  azurerm_nat_gateway_public_ip_association: [],
  azurerm_subnet_nat_gateway_association: [],
  azurerm_firewall: [network('name', 'azureFirewalls')],
  azurerm_firewall_policy: [network('name', 'firewallPolicies')],
  azurerm_firewall_policy_rule_collection_group: [network('name', 'firewallPolicies/ruleGroups')],
  azurerm_route_table: [network('name', 'routeTables'), network('route.name', 'routeTables/routes')],
  azurerm_subnet_route_table_association: [],
  azurerm_storage_account: [STORAGE_ACCOUNT_NAME_RULE],
  azurerm_storage_container: [STORAGE_CONTAINER_NAME_RULE],
  azurerm_storage_container_immutability_policy: [],
  azurerm_storage_management_policy: [],
  azurerm_network_watcher_flow_log: [rule('name', 1, 80, NETWORK_PATTERN, NETWORK_TEXT, 'azurerm v4.55.0 network/validate/network_watcher_flow_log_name.go')],
  azurerm_private_dns_zone: [rule('name', 1, 63, /^([A-Za-z0-9_-]+\.){1,33}[A-Za-z0-9_-]+$/, '2..34 labels of alphanumerics, underscores and hyphens separated by periods',
    `${RULES_PAGE} (Microsoft.Network privateDnsZones)`)],
  azurerm_private_dns_zone_virtual_network_link: [network('name', 'privateDnsZones/virtualNetworkLinks')],
  azurerm_private_endpoint: [
    network('name', 'privateEndpoints', 2, 64),
    rule('private_service_connection.name', 1, 80, NETWORK_PATTERN, NETWORK_TEXT, 'azurerm v4.55.0 network/validate/private_link_name.go'),
    rule('private_dns_zone_group.name', 1, 80, NETWORK_PATTERN, NETWORK_TEXT, 'azurerm v4.55.0 network/validate/private_link_name.go'),
  ],
  azurerm_orchestrated_virtual_machine_scale_set: [
    VMSS_NAME,
    rule('os_profile.linux_configuration.computer_name_prefix', 1, 58, /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9-])?$/,
      'alphanumerics, periods and hyphens; does not start with an underscore or end with a period', 'azurerm v4.55.0 compute/validate/linux_computer_name.go (LinuxComputerNamePrefix)',
      { prefix: true }),
    network('network_interface.name', 'networkInterfaces'),
  ],
  azurerm_virtual_machine_scale_set_standby_pool: [STANDBY_POOL_NAME_RULE],
  azurerm_kubernetes_cluster: [AKS_CLUSTER_NAME_RULE, AKS_DNS_PREFIX_RULE,
    { ...AKS_NODE_POOL_NAME_RULE, attribute: 'default_node_pool.name' }, { ...AKS_NODE_POOL_NAME_RULE, attribute: 'default_node_pool.temporary_name_for_rotation' }],
  azurerm_kubernetes_cluster_node_pool: [AKS_NODE_POOL_NAME_RULE],
  time_sleep: [],
});

/**
 * Throws at synth time when a literal name breaks its rule, naming the construct, the value, the
 * rule and its source. Terraform expressions are not checked (their text is known only at apply).
 */
export function assertAzureName(where: string, what: string, r: NameRule, value: string): void {
  if (value.includes('${')) return;
  const problem = checkName(r, value);
  if (problem) throw new Error(`${where}: the ${what} ${problem}; ${r.patternText} (${r.source})`);
}
