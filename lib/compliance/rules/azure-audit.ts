/**
 * Azure rules of issue 10: the firewall filters DNS too, the customer's audit trail is out of the
 * vendor's reach and immutable under hipaa, and shell access on nodes is recorded.
 */
import { CloudProvider, ComplianceProfile } from '../../spec';
import { CheckOutcome, ComplianceRule, RuleId, StackIndex, TerraformResource } from '../types';
import { Problems, block, blocks, fail, isTrue, notApplicable, num, pass, str, strings } from '../values';
import { defineRule, retentionFloorDays } from './define';

/** Resource log categories that are audit data (Key Vault access, firewall decisions and DNS). */
const AUDIT_RESOURCE_CATEGORIES = ['AuditEvent', 'AZFWApplicationRule', 'AZFWNetworkRule', 'AZFWThreatIntel', 'AZFWDnsQuery'];
const ACTIVITY_CONTAINER = 'insights-activity-logs';
const VM_TYPES = ['azurerm_linux_virtual_machine', 'azurerm_linux_virtual_machine_scale_set', 'azurerm_orchestrated_virtual_machine_scale_set'];

function isSubscriptionTarget(target: unknown): boolean {
  return typeof target === 'string' && (/^\/subscriptions\/[^/]+\/?$/.test(target) || /^\$\{data\.azurerm_subscription\.[\w-]+\.id\}$/.test(target));
}

/** The audit categories a diagnostic setting exports ("activity" for a subscription setting), or [] when it exports none. */
function auditCategories(r: TerraformResource): string[] {
  const logs = [...blocks(r.config.enabled_log), ...blocks(r.config.log)];
  if (isSubscriptionTarget(r.config.target_resource_id)) return logs.length > 0 ? ['activity'] : [];
  const out: string[] = [];
  for (const l of logs) {
    const category = str(l.category);
    const group = str(l.category_group);
    if (category && AUDIT_RESOURCE_CATEGORIES.includes(category)) out.push(category);
    if (group === 'audit' || group === 'allLogs') out.push(`group:${group}`);
  }
  return out;
}

/** Container Azure Monitor writes a category to ("insights-logs-{category}", "insights-activity-logs"). */
function archiveContainer(category: string): string | undefined {
  if (category === 'activity') return ACTIVITY_CONTAINER;
  return category.startsWith('group:') ? undefined : `insights-logs-${category.toLowerCase()}`;
}

// ---------------------------------------------------------------------------------------------
// AZ-FW-DNS

function firewallsOfPolicy(stack: StackIndex, policy: TerraformResource): TerraformResource[] {
  return stack.referrers('azurerm_firewall', 'firewall_policy_id', policy);
}

/** Firewalls whose ip_configuration subnet lies in `vnet`. */
function firewallsInVnet(stack: StackIndex, vnet: TerraformResource): TerraformResource[] {
  return stack.resources('azurerm_firewall').filter((fw) => blocks(fw.config.ip_configuration).some((ip) =>
    stack.referencedResources(ip.subnet_id, 'azurerm_subnet').some((s) => stack.refersTo(s.config.virtual_network_name, vnet, 'name'))));
}

export const azFirewallDns: ComplianceRule = defineRule({
  id: RuleId.AZ_FW_DNS,
  title: 'Firewall egress: DNS goes through the firewall\'s DNS proxy',
  description:
    'Every azurerm_firewall_policy that governs an azurerm_firewall in the stack has dns.proxy_enabled = true, and every '
    + 'azurerm_virtual_network that holds such a firewall uses the firewall\'s private IP as its DNS server (dns_servers, or an '
    + 'azurerm_virtual_network_dns_servers). Otherwise clients resolve names elsewhere than the firewall (FQDN rules then see other '
    + 'answers, and queries are neither logged nor held to one path). Not applicable without a firewall.',
  cloud: CloudProvider.AZURE,
  minimumProfile: ComplianceProfile.BASELINE,
  resourceTypes: ['azurerm_firewall_policy', 'azurerm_virtual_network'],
  controls: { hipaa: ['164.312(e)(1)', '164.312(b)'], soc2: ['CC6.6', 'CC7.2'] },
  upstream: {},
  check: (r, ctx) => {
    const stack = ctx.stack;
    if (r.type === 'azurerm_firewall_policy') {
      if (firewallsOfPolicy(stack, r).length === 0) return notApplicable('governs no firewall in the stack');
      return isTrue(block(r.config.dns)?.proxy_enabled)
        ? pass('DNS proxy on')
        : fail('the policy\'s DNS proxy is off', 'set dns { proxy_enabled = true } and point the VNet\'s DNS servers at the firewall\'s private IP');
    }
    const firewalls = firewallsInVnet(stack, r);
    if (firewalls.length === 0) return notApplicable('holds no Azure Firewall');
    const servers = [r.config.dns_servers, ...stack.referrers('azurerm_virtual_network_dns_servers', 'virtual_network_id', r).map((d) => d.config.dns_servers)];
    return servers.some((v) => firewalls.some((fw) => stack.refersTo(v, fw)))
      ? pass('DNS servers: the firewall\'s DNS proxy')
      : fail('the VNet\'s DNS servers are not the firewall\'s private IP, so clients resolve around the firewall',
        'add an azurerm_virtual_network_dns_servers with dns_servers = [azurerm_firewall.<name>.ip_configuration[0].private_ip_address]');
  },
});

// ---------------------------------------------------------------------------------------------
// AZ-AUDIT-ISOLATED

/** Built-in roles whose actions include reading Log Analytics data (all actions, every read, or workspace query). */
const QUERYING_BUILT_IN_ROLES = ['Owner', 'Contributor', 'Reader', 'Log Analytics Reader', 'Log Analytics Contributor', 'Monitoring Reader',
  'Monitoring Contributor'];

function roleQueriesLogs(stack: StackIndex, assignment: TerraformResource): boolean {
  const builtIn = str(assignment.config.role_definition_name);
  if (builtIn) return QUERYING_BUILT_IN_ROLES.includes(builtIn);
  return stack.referencedResources(assignment.config.role_definition_id, 'azurerm_role_definition').some((def) =>
    blocks(def.config.permissions).some((p) => strings(p.actions).some((a) =>
      a === '*' || a === '*/read' || /^Microsoft\.OperationalInsights\/(\*|workspaces\/(\*|query\/|analytics\/query\/))/i.test(a))));
}

/** A principal the stack does not create (a literal object id, a variable or a data source): someone outside. */
function isExternalPrincipal(value: unknown): boolean {
  return typeof value === 'string' && !/\$\{azurerm_/.test(value);
}

/** Assignments to outside principals whose roles query logs, at the workspace, its resource group or the subscription. */
function outsideReaders(stack: StackIndex, workspace: TerraformResource): TerraformResource[] {
  const groups = stack.referencedResources(workspace.config.resource_group_name, 'azurerm_resource_group');
  const groupData = stack.referencedDataSources(workspace.config.resource_group_name, 'azurerm_resource_group');
  return stack.resources('azurerm_role_assignment').filter((a) => {
    if (!isExternalPrincipal(a.config.principal_id) || !roleQueriesLogs(stack, a)) return false;
    const scope = a.config.scope;
    return stack.refersTo(scope, workspace) || groups.some((g) => stack.refersTo(scope, g)) || groupData.some((g) => stack.refersTo(scope, g))
      || isSubscriptionTarget(scope);
  });
}

function isolationOf(stack: StackIndex, workspaceValue: unknown, what: string): CheckOutcome {
  const workspaces = stack.referencedResources(workspaceValue, 'azurerm_log_analytics_workspace');
  if (workspaces.length === 0) return notApplicable(`${what} goes to no Log Analytics workspace of this stack`);
  const readers = workspaces.flatMap((w) => outsideReaders(stack, w));
  return readers.length === 0
    ? pass(`${what} lands in ${workspaces.map((w) => w.address).join(', ')}, which no outside principal can query`)
    : fail(`${what} lands in ${workspaces.map((w) => w.address).join(', ')}, which ${readers.map((a) => a.address).join(', ')} lets an outside principal query`,
      'send audit data to a workspace in a resource group of its own (outside every scope the vendor role is assigned at), or grant the vendor table-level read only');
}

export const azAuditIsolated: ComplianceRule = defineRule({
  id: RuleId.AZ_AUDIT_ISOLATED,
  title: 'Audit data lands where the vendor cannot query it',
  description:
    'The subscription activity-log export, Key Vault AuditEvent, firewall rule/threat-intel/DNS logs and traffic analytics of VNet flow logs '
    + 'go to a Log Analytics workspace on which no role assignment to an outside principal (an object id the stack does not create) grants '
    + 'log queries (custom roles with Microsoft.OperationalInsights query actions, or Owner, Contributor, Reader, Log Analytics or Monitoring '
    + 'roles) at the workspace, its resource group or the subscription.',
  cloud: CloudProvider.AZURE,
  minimumProfile: ComplianceProfile.BASELINE,
  resourceTypes: ['azurerm_monitor_diagnostic_setting', 'azurerm_network_watcher_flow_log'],
  controls: { hipaa: ['164.312(a)(1)', '164.308(a)(4)(ii)(B)', '164.312(b)'], soc2: ['CC6.1', 'CC6.3'] },
  upstream: {},
  check: (r, ctx) => {
    if (r.type === 'azurerm_network_watcher_flow_log') {
      const ta = block(r.config.traffic_analytics);
      if (!ta || !isTrue(ta.enabled)) return notApplicable('no traffic analytics');
      return isolationOf(ctx.stack, ta.workspace_resource_id, 'traffic analytics');
    }
    const categories = auditCategories(r);
    if (categories.length === 0) return notApplicable('exports no audit category');
    return isolationOf(ctx.stack, r.config.log_analytics_workspace_id, `audit export (${categories.join(', ')})`);
  },
});

// ---------------------------------------------------------------------------------------------
// AZ-AUDIT-IMMUTABLE

export const azAuditImmutable: ComplianceRule = defineRule({
  id: RuleId.AZ_AUDIT_IMMUTABLE,
  title: 'Audit exports are archived immutably for the retention floor',
  description:
    'Every audit export (subscription activity log; Key Vault AuditEvent; firewall rule, threat-intel and DNS logs) also writes to a storage '
    + 'account (storage_account_id) whose container for each exported category (insights-activity-logs, insights-logs-<category>) carries an '
    + 'azurerm_storage_container_immutability_policy with locked = true and immutability_period_in_days >= the profile floor.',
  cloud: CloudProvider.AZURE,
  minimumProfile: ComplianceProfile.HIPAA,
  resourceTypes: ['azurerm_monitor_diagnostic_setting'],
  controls: { hipaa: ['164.312(c)(1)', '164.312(b)', '164.316(b)(2)(i)'], soc2: ['CC7.2', 'PI1.5'] },
  upstream: {},
  check: (r, ctx) => {
    const stack = ctx.stack;
    const categories = auditCategories(r);
    if (categories.length === 0) return notApplicable('exports no audit category');
    const floor = retentionFloorDays(ctx.profile);
    const accounts = stack.referencedResources(r.config.storage_account_id, 'azurerm_storage_account');
    if (accounts.length === 0) {
      return fail(`audit export (${categories.join(', ')}) has no storage archive of this stack`,
        `set storage_account_id to an account whose export containers carry a locked immutability policy of at least ${floor} days`);
    }
    const p = new Problems();
    for (const category of categories) {
      const name = archiveContainer(category);
      if (!name) {
        p.add(true, `category group ${category.slice(6)} writes to containers that cannot be named in advance`, 'export the audit categories by name');
        continue;
      }
      const containers = accounts.flatMap((a) => stack.referrers('azurerm_storage_container', 'storage_account_id', a)).filter((c) => c.config.name === name);
      const policies = stack.resources('azurerm_storage_container_immutability_policy').filter((pol) =>
        containers.some((c) => stack.refersTo(pol.config.storage_container_resource_manager_id, c)));
      const good = policies.some((pol) => isTrue(pol.config.locked) && (num(pol.config.immutability_period_in_days) ?? 0) >= floor);
      p.add(!good, `container ${name} has no locked immutability policy of at least ${floor} days`,
        `create container ${name} and an azurerm_storage_container_immutability_policy { locked = true, immutability_period_in_days = ${floor}, protected_append_writes_enabled = true }`);
    }
    return p.outcome(`archived in ${accounts.map((a) => a.address).join(', ')}, locked for at least ${floor} days`);
  },
});

// ---------------------------------------------------------------------------------------------
// AZ-HOST-SHELL

const SHELL_FACILITIES = ['auth', 'authpriv'];

export const azHostShellAudit: ComplianceRule = defineRule({
  id: RuleId.AZ_HOST_SHELL,
  title: 'Shell access on nodes is recorded',
  description:
    'Every Linux VM and scale set is associated (azurerm_monitor_data_collection_rule_association) with a data collection rule that collects '
    + 'syslog facilities auth and authpriv (SSH logins, sudo, su) into a Log Analytics workspace. Run Command and serial console use are '
    + 'recorded by the activity log (Administrative, see AZ-LOG-ACTIVITY).',
  cloud: CloudProvider.AZURE,
  minimumProfile: ComplianceProfile.SOC2,
  resourceTypes: VM_TYPES,
  controls: { hipaa: ['164.312(b)', '164.308(a)(5)(ii)(C)'], soc2: ['CC7.2'] },
  upstream: {},
  check: (r, ctx) => {
    const stack = ctx.stack;
    const rules = stack.referrers('azurerm_monitor_data_collection_rule_association', 'target_resource_id', r)
      .flatMap((a) => stack.referencedResources(a.config.data_collection_rule_id, 'azurerm_monitor_data_collection_rule'));
    const covering = rules.filter((dcr) => {
      const facilities = blocks(block(dcr.config.data_sources)?.syslog).flatMap((s) => strings(s.facility_names));
      return SHELL_FACILITIES.every((f) => facilities.includes(f) || facilities.includes('*'))
        && blocks(block(dcr.config.destinations)?.log_analytics).length > 0;
    });
    return covering.length > 0
      ? pass(`auth and authpriv collected by ${covering.map((d) => d.address).join(', ')}`)
      : fail('no associated data collection rule collects syslog auth and authpriv into Log Analytics: SSH logins and sudo leave no record',
        'associate a data collection rule with syslog facility_names ["auth", "authpriv"] and a log_analytics destination');
  },
});

export const AZURE_AUDIT_RULES: ComplianceRule[] = [azFirewallDns, azAuditIsolated, azAuditImmutable, azHostShellAudit];
