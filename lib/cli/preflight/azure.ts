/**
 * Azure checks with the az CLI, all read-only: identity and subscription, resource providers and
 * the EncryptionAtHost feature, VM sizes per zone (with subscription restrictions), per-family and
 * regional vCPU quotas, the Key Vault name and the deployer's reach to its data plane, and Azure
 * Policy assignments to review.
 */
import { createHash } from 'crypto';
import * as ipaddr from 'ipaddr.js';
import { keyVaultName } from '../../azure/util';
import { CliProblem, CliResult } from './cli-runner';
import {
  AZ_CLI, asArray, asNumber, asString, fail, field, pass, skipped, unknown, unknownFrom,
} from './checks';
import { CloudContext } from './context';
import { PoolDemand, groupBy, planZones, poolDemands } from './demand';
import { AZURE_AKS_PROVIDER, aksVersionCheck, azureAksProviderCheck } from './kubernetes';
import { PreflightCheck } from './types';

/**
 * Providers azurerm registers itself when the runner may (resource_provider_registrations =
 * "legacy", the default; docs/azure.md "Prerequisites"). Unregistered is not a failure for them.
 */
export const AZURE_AUTO_REGISTERED_PROVIDERS = ['Microsoft.Compute', 'Microsoft.Network', 'Microsoft.KeyVault', 'Microsoft.Storage',
  'Microsoft.OperationalInsights', 'Microsoft.Insights', 'Microsoft.ManagedIdentity', 'Microsoft.Authorization', 'Microsoft.Resources'];

/** Providers the stack needs that azurerm does not register (docs/azure.md): Standby Pools for warm nodes. */
export const AZURE_STANDBY_POOL_PROVIDER = 'Microsoft.StandbyPool';

/**
 * The Key Vault name the platform gives its vault (keyVaultName in lib/azure/util.ts, pure),
 * suffix = first 8 hex characters of sha256("<subscription id>/<resource group>/<name>/<location>"),
 * lib/azure/context.ts uniqueSuffix; the reference stack uses the default group "<name>-sandbox-rg").
 */
export function azureVaultName(name: string, subscriptionId: string, location: string, resourceGroupName = `${name}-sandbox-rg`): string {
  const suffix = createHash('sha256').update(`${subscriptionId}/${resourceGroupName}/${name}/${location}`).digest('hex').slice(0, 8);
  return keyVaultName(name, suffix);
}

type Az = (args: string[]) => CliResult;

export function azureChecks(ctx: CloudContext): PreflightCheck[] {
  const { region, plan, options, env } = ctx;
  const wanted = options.subscription ?? env.ARM_SUBSCRIPTION_ID;
  const checks: PreflightCheck[] = [];
  const idTitle = `Azure identity and subscription${wanted ? ` ${wanted}` : ' (the az CLI\'s current one)'}`;
  const account = ctx.run('az', ['account', 'show', ...(wanted ? ['--subscription', wanted] : []), '--output', 'json']);
  if (account.problem) {
    checks.push(unknownFrom('azure.identity', idTitle, account, AZ_CLI, 'Reader on the subscription'));
    // Every later call names the subscription this one finds: without it nothing else can run.
    return [...checks, skipped('azure', account)];
  }
  const sub = asString(field(account.json, 'id')) ?? wanted ?? '';
  const state = asString(field(account.json, 'state'));
  const detail = `${asString(field(field(account.json, 'user'), 'name'))} in subscription ${asString(field(account.json, 'name'))} (${sub}), tenant ${asString(field(account.json, 'tenantId'))}, state ${state}, location ${region}`;
  checks.push(state === 'Enabled' ? pass('azure.identity', idTitle, detail)
    : fail('azure.identity', idTitle, detail, 'the subscription must be Enabled: reactivate it (billing) or target another one'));
  const az: Az = (args) => ctx.run('az', [...args, '--subscription', sub, '--output', 'json']);

  const demands = poolDemands(plan);
  const warm = demands.some((d) => d.resolved.warmNodes > 0);
  checks.push(...azureProviderChecks(az, warm, plan.kubernetes !== undefined));
  if (plan.kubernetes) checks.push(aksVersionCheck(az, region, plan.kubernetes.version));
  checks.push(azureEncryptionAtHostCheck(az));
  const skus = azureSkuChecks(az, region, demands, planZones(plan, region));
  checks.push(...skus.checks);
  checks.push(...azureQuotaChecks(az, region, demands, skus.sizes));
  checks.push(azureNetworkWatcherCheck(az, region));
  if (plan.observability.createAuditTrail) checks.push(azureDiagnosticSettingsCheck(az));
  checks.push(azureVaultNameCheck(az, azureVaultName(plan.name, sub, region)));
  checks.push(azureDeployerRangesCheck(options.deployerIpRanges ?? parseRanges(env.TF_VAR_deployer_ip_ranges)));
  checks.push(azurePolicyCheck(az));
  return checks;
}

export function azureProviderChecks(az: Az, warm: boolean, kubernetes = false): PreflightCheck[] {
  const r = az(['provider', 'list', '--query', '[].{namespace:namespace, registrationState:registrationState}']);
  const needed = [...AZURE_AUTO_REGISTERED_PROVIDERS, ...(warm ? [AZURE_STANDBY_POOL_PROVIDER] : [])];
  if (r.problem) return [unknownFrom('azure.providers', 'resource providers the stack needs are registered', r, AZ_CLI, 'Microsoft.Resources/subscriptions/providers/read (Reader)')];
  const state = new Map(asArray(r.json).map((p) => [(asString(field(p, 'namespace')) ?? '').toLowerCase(), asString(field(p, 'registrationState'))]));
  const out: PreflightCheck[] = [];
  const auto = needed.filter((n) => AZURE_AUTO_REGISTERED_PROVIDERS.includes(n));
  const autoOff = auto.filter((n) => state.get(n.toLowerCase()) !== 'Registered');
  out.push(pass('azure.providers', `resource providers azurerm registers (${auto.length})`,
    autoOff.length === 0 ? 'all registered'
      : `not registered yet: ${autoOff.join(', ')}; azurerm registers them at the first plan if the runner may (*/register/action, in Contributor and Owner); ` +
        `otherwise run \`az provider register -n <namespace>\` for each first`));
  if (kubernetes) out.push(azureAksProviderCheck(state.get(AZURE_AKS_PROVIDER.toLowerCase())));
  if (warm) {
    const s = state.get(AZURE_STANDBY_POOL_PROVIDER.toLowerCase());
    const id = 'azure.provider.standbypool';
    const title = `${AZURE_STANDBY_POOL_PROVIDER} is registered (pools with warm nodes)`;
    out.push(s === 'Registered' ? pass(id, title, 'Registered')
      : fail(id, title, `${s ?? 'NotRegistered'}: azurerm does not register it, and standby pools fail without it`,
        `\`az provider register --namespace ${AZURE_STANDBY_POOL_PROVIDER}\` (takes up to 30 minutes; \`az provider show -n ${AZURE_STANDBY_POOL_PROVIDER} --query registrationState\` shows progress)`));
  }
  return out;
}

export function azureEncryptionAtHostCheck(az: Az): PreflightCheck {
  const id = 'azure.feature.encryption-at-host';
  const title = 'feature Microsoft.Compute/EncryptionAtHost is registered (every scale set enables encryption at host)';
  const r = az(['feature', 'show', '--namespace', 'Microsoft.Compute', '--name', 'EncryptionAtHost']);
  const fix = '`az feature register --namespace Microsoft.Compute --name EncryptionAtHost`, wait until `az feature show --namespace Microsoft.Compute --name EncryptionAtHost --query properties.state` says Registered, then `az provider register -n Microsoft.Compute`';
  if (r.problem === CliProblem.NOT_FOUND) return fail(id, title, `not registered: ${r.message}`, fix);
  if (r.problem) return unknownFrom(id, title, r, AZ_CLI, 'Microsoft.Features/providers/features/read (Reader)');
  const state = asString(field(field(r.json, 'properties'), 'state'));
  return state === 'Registered' ? pass(id, title, 'Registered') : fail(id, title, `state ${state ?? 'unknown'}`, fix);
}

/** What list-skus says about one size. */
export interface AzureSize { readonly family?: string; readonly vcpus?: number }

/** Each size is sold in the location and zones used, without a subscription restriction. */
export function azureSkuChecks(az: Az, location: string, demands: readonly PoolDemand[], zones: readonly string[]): { checks: PreflightCheck[]; sizes: Map<string, AzureSize> } {
  const sizes = new Map<string, AzureSize>();
  const answers = new Map<string, CliResult>();
  for (const t of new Set(demands.map((d) => d.instanceType))) {
    // --all: without it the CLI hides sizes restricted for the subscription (NotAvailableForSubscription), the very thing to find.
    answers.set(t, az(['vm', 'list-skus', '--location', location, '--size', t, '--resource-type', 'virtualMachines', '--all']));
  }
  const checks = demands.map((d) => {
    const id = `azure.offering.${d.pool}`;
    const used = zones.slice(0, Math.max(1, Math.min(zones.length, d.resolved.maxNodes)));
    const title = `${d.instanceType} (pool ${d.pool}) is offered to this subscription in ${location} zones ${used.join(', ')}`;
    const r = answers.get(d.instanceType)!;
    if (r.problem) return unknownFrom(id, title, r, AZ_CLI, 'Microsoft.Compute/skus/read (Reader)');
    // --size matches partially: keep the exact name.
    const sku = asArray(r.json).find((s) => (asString(field(s, 'name')) ?? '').toLowerCase() === d.instanceType.toLowerCase());
    if (!sku) {
      return fail(id, title, `${d.instanceType} is not sold in ${location}`,
        `choose a size sold there (\`az vm list-skus --location ${location} --resource-type virtualMachines --output table\`) or another location`);
    }
    const capability = (name: string) => asString(field(asArray(field(sku, 'capabilities')).find((c) => asString(field(c, 'name')) === name), 'value'));
    const vcpus = asNumber(capability('vCPUs'));
    sizes.set(d.instanceType, { family: asString(field(sku, 'family')), vcpus });
    const restrictions = asArray(field(sku, 'restrictions'));
    const locBlock = restrictions.find((x) => asString(field(x, 'type')) === 'Location');
    const request = `request access to ${d.instanceType} in ${location} (Azure portal: Help + support > New support request > "Service and subscription limits (quotas)" > region/zone access), or choose another size or location`;
    if (locBlock) return fail(id, title, `restricted in ${location}: ${asString(field(locBlock, 'reasonCode')) ?? 'restricted'}`, request);
    // Every scale set and AKS node pool sets encryption at host; list-skus names the sizes that cannot
    // (capability EncryptionAtHostSupported: learn.microsoft.com/azure/virtual-machines/disk-encryption, "Finding supported VM sizes").
    if (capability('EncryptionAtHostSupported')?.toLowerCase() === 'false') {
      return fail(id, title, `${d.instanceType} does not support encryption at host (EncryptionAtHostSupported False), which every node of the platform enables`,
        'choose a size whose `az vm list-skus --location ' + location + ' --size <size> --all` shows EncryptionAtHostSupported True');
    }
    const info = asArray(field(sku, 'locationInfo')).find((l) => (asString(field(l, 'location')) ?? '').toLowerCase() === location.toLowerCase());
    const offered = new Set(asArray(field(info, 'zones')).map(String));
    const blocked = new Set(restrictions.filter((x) => asString(field(x, 'type')) === 'Zone')
      .flatMap((x) => asArray(field(field(x, 'restrictionInfo'), 'zones')).map(String)));
    const lacking = used.filter((z) => !offered.has(z) || blocked.has(z));
    if (lacking.length === 0) return pass(id, title, `offered in zones ${used.join(', ')}`);
    const good = [...offered].filter((z) => !blocked.has(z)).sort();
    return fail(id, title, `not available in zone ${lacking.join(', ')}${blocked.size ? ` (NotAvailableForSubscription in ${[...blocked].join(', ')})` : ''}; available in ${good.join(', ') || 'no zone'}`,
      good.length ? `pin network.availabilityZones to ${good.join(', ')}, or ${request}` : request);
  });
  return { checks, sizes };
}

/** Per-family vCPUs for regular pools, the regional total, and the regional Spot vCPUs for spot pools. */
export function azureQuotaChecks(az: Az, location: string, demands: readonly PoolDemand[], sizes: Map<string, AzureSize>): PreflightCheck[] {
  const r = az(['vm', 'list-usage', '--location', location]);
  if (r.problem) return [unknownFrom('azure.quota', `vCPU quotas in ${location}`, r, AZ_CLI, 'Microsoft.Compute/locations/usages/read (Reader)')];
  const usage = new Map(asArray(r.json).map((u) => {
    const n = field(u, 'name');
    const name = asString(field(n, 'value')) ?? asString(n) ?? '';
    const label = asString(field(n, 'localizedValue')) ?? asString(field(u, 'localName')) ?? name;
    return [name.toLowerCase(), { name, limit: asNumber(field(u, 'limit')) ?? 0, current: asNumber(field(u, 'currentValue')) ?? 0, label }];
  }));
  const out: PreflightCheck[] = [];
  const uses: { key: string; pool: string; amount: number; what: string }[] = [];
  for (const d of demands) {
    const size = sizes.get(d.instanceType);
    const vcpus = size?.vcpus ?? d.vcpusPerNode;
    if (vcpus === undefined || (!d.spot && !size?.family)) {
      out.push(unknown(`azure.quota.${d.pool}`, `vCPU quota for ${d.instanceType} (pool ${d.pool})`, 'the size\'s family or vCPUs could not be read (see the offering check)',
        `check the family quota of ${d.instanceType} in ${location} on the portal's Quotas page`));
      continue;
    }
    const what = `${d.nodes} x ${vcpus}`;
    if (d.spot) uses.push({ key: 'lowprioritycores', pool: d.pool, amount: d.nodes * vcpus, what });
    else {
      uses.push({ key: size!.family!.toLowerCase(), pool: d.pool, amount: d.nodes * vcpus, what });
      uses.push({ key: 'cores', pool: d.pool, amount: d.nodes * vcpus, what });
    }
  }
  for (const [key, group] of groupBy(uses, (u) => u.key)) {
    const need = group.reduce((s, u) => s + u.amount, 0);
    const q = usage.get(key);
    const label = q?.label ?? key;
    const id = `azure.quota.${key}`;
    const title = `${label} (${q?.name ?? key}) in ${location} covers ${need} at max nodes`;
    if (!q) {
      out.push(fail(id, title, `${location} lists no quota ${key} for this subscription`, `request ${key} vCPUs in ${location} on the portal's Quotas page (Compute)`));
      continue;
    }
    const detail = `limit ${q.limit}, in use ${q.current}, needed ${need} (${group.map((u) => `${u.pool}: ${u.what}`).join(', ')}; max + warm nodes: deallocated standby VMs count too)`;
    out.push(q.limit - q.current >= need ? pass(id, title, detail)
      : fail(id, title, detail, `request "${label}" of at least ${q.current + need} in ${location}: Azure portal > Quotas > Compute ` +
        `(https://portal.azure.com/#view/Microsoft_Azure_Capacity/QuotaMenuBlade/~/myQuotas), filter by location and "${label}"`));
  }
  return out;
}

/**
 * Flow logs use the Network Watcher Azure creates with the first VNet of a region
 * (NetworkWatcher_<location> in NetworkWatcherRG, lib/azure/network.ts), unless the subscription
 * opted out of that with the feature Microsoft.Network/DisableNetworkWatcherAutocreation
 * (learn.microsoft.com/azure/network-watcher/network-watcher-create, "Opt out of Network Watcher automatic enablement").
 */
export function azureNetworkWatcherCheck(az: Az, location: string): PreflightCheck {
  const id = 'azure.network-watcher';
  const name = `NetworkWatcher_${location}`;
  const title = `Network Watcher ${name} exists or Azure creates it with the VNet (flow logs need it)`;
  const r = az(['network', 'watcher', 'list']);
  if (r.problem) return unknownFrom(id, title, r, AZ_CLI, 'Microsoft.Network/networkWatchers/read (Reader)');
  const found = asArray(r.json).find((w) => (asString(field(w, 'location')) ?? '').toLowerCase() === location.toLowerCase());
  if (found) return pass(id, title, `exists: ${asString(field(found, 'name'))} in ${asString(field(found, 'resourceGroup'))}`);
  const f = az(['feature', 'show', '--namespace', 'Microsoft.Network', '--name', 'DisableNetworkWatcherAutocreation']);
  if (f.problem === CliProblem.NOT_FOUND) return pass(id, title, 'none yet; Azure creates it with the platform\'s VNet');
  if (f.problem) return unknownFrom(id, title, f, AZ_CLI, 'Microsoft.Features/providers/features/read (Reader)');
  if (asString(field(field(f.json, 'properties'), 'state')) !== 'Registered') return pass(id, title, 'none yet; Azure creates it with the platform\'s VNet');
  return fail(id, title, `none in ${location}, and automatic creation is disabled (Microsoft.Network/DisableNetworkWatcherAutocreation is registered)`,
    `create it first: \`az group create -n NetworkWatcherRG -l ${location}\` and \`az network watcher configure --resource-group NetworkWatcherRG --locations ${location} --enabled true\`, or pass networkWatcher to AzureSandboxPlatform`);
}

/** A subscription holds at most five diagnostic settings; the platform's audit trail adds one (docs/azure.md). */
export function azureDiagnosticSettingsCheck(az: Az): PreflightCheck {
  const id = 'azure.diagnostic-settings';
  const title = 'the subscription has room for the audit trail\'s diagnostic setting (at most 5)';
  const r = az(['monitor', 'diagnostic-settings', 'subscription', 'list']);
  if (r.problem) return unknownFrom(id, title, r, AZ_CLI, 'Microsoft.Insights/DiagnosticSettings/read (Reader)');
  const list = Array.isArray(r.json) ? r.json : asArray(field(r.json, 'value'));
  const names = list.map((d) => asString(field(d, 'name')) ?? '?');
  const detail = `${names.length} in use${names.length ? `: ${names.join(', ')}` : ''}`;
  return names.length < 5 ? pass(id, title, detail)
    : fail(id, title, detail, 'remove an unused subscription diagnostic setting, or set observability.existingOrganizationTrail when an organization-wide export already covers the subscription');
}

/** The vault name the stack will use is free (names are global; purge protection keeps a deleted one for 90 days). */
export function azureVaultNameCheck(az: Az, vaultName: string): PreflightCheck {
  const id = 'azure.keyvault.name';
  const title = `Key Vault name ${vaultName} is free`;
  const r = az(['keyvault', 'check-name', '--name', vaultName]);
  if (r.problem) return unknownFrom(id, title, r, AZ_CLI, 'Microsoft.KeyVault/checkNameAvailability/read (Reader)');
  if (field(r.json, 'nameAvailable') === true) {
    const deleted = az(['keyvault', 'list-deleted', '--resource-type', 'vault']);
    const soft = !deleted.problem && asArray(deleted.json).some((v) => asString(field(v, 'name')) === vaultName);
    if (soft) {
      return fail(id, title, `${vaultName} is soft-deleted in this subscription`,
        `recover it (\`az keyvault recover --name ${vaultName}\`) and import it, or wait for its scheduled purge date (\`az keyvault show-deleted --name ${vaultName}\`)`);
    }
    return pass(id, title, 'available');
  }
  return fail(id, title, [asString(field(r.json, 'reason')) ?? 'unavailable', asString(field(r.json, 'message'))].filter(Boolean).join(': '),
    'if this state already manages the vault (a later run), ignore this; otherwise a soft-deleted vault of a destroyed platform holds the name: ' +
    `\`az keyvault list-deleted\` and recover or purge it, or deploy under another platform name or location`);
}

function parseRanges(v: string | undefined): string[] | undefined {
  if (!v) return undefined;
  try {
    const a = JSON.parse(v);
    return Array.isArray(a) ? a.map(String) : undefined;
  } catch {
    return undefined;
  }
}


/**
 * A public IPv4 address or CIDR ("203.0.113.7" or "203.0.113.0/24"): ipaddr.js's "unicast" range,
 * which excludes private, loopback, link-local, carrier-grade NAT and reserved space. Leading zeros
 * are refused (ipaddr.js reads them as octal, like inet_aton).
 */
export function isPublicIpv4Range(text: string): boolean {
  if (/(^|[./])0\d/.test(text)) return false;
  const cidr = text.includes('/') ? text : `${text}/32`;
  if (!ipaddr.IPv4.isValidCIDR(cidr) || !ipaddr.IPv4.isValidFourPartDecimal(cidr.split('/')[0])) return false;
  const [addr] = ipaddr.IPv4.parseCIDR(cidr);
  return addr.range() === 'unicast';
}

/**
 * The deployer reaches the vault's data plane only from deployer_ip_ranges (lib/azure/keys.ts network
 * ACL, default Deny): the ranges must be given and be public IPv4. The CLI cannot tell this machine's
 * public egress address, so whether it is inside the ranges is left to the reader.
 */
export function azureDeployerRangesCheck(ranges: readonly string[] | undefined): PreflightCheck {
  const id = 'azure.keyvault.reach';
  const title = 'the runner can reach the platform Key Vault\'s data plane (deployer_ip_ranges)';
  const how = 'set TF_VAR_deployer_ip_ranges=\'["<this runner\'s public IPv4>/32"]\' (the reference stack\'s variable; any "what is my IP" service shows the address)';
  if (!ranges || ranges.length === 0) {
    return fail(id, title, 'no deployer_ip_ranges given: the vault admits no public address, and a new VNet\'s private endpoint does not exist before the first apply, so creating the key fails',
      `${how}, or pass PreflightOptions.deployerIpRanges`);
  }
  const bad = ranges.filter((r) => !isPublicIpv4Range(r));
  if (bad.length > 0) return fail(id, title, `not public IPv4 addresses or CIDRs: ${bad.join(', ')} (private, shared, reserved and documentation ranges never reach the vault's public endpoint)`, how);
  return pass(id, title, `ranges ${ranges.join(', ')} are public IPv4; confirm this runner's egress address is among them (the az CLI cannot tell it)`);
}

/** Azure Policy assignments that may deny the stack's resources; their effects need their definitions, so they are listed for review. */
export function azurePolicyCheck(az: Az): PreflightCheck {
  const id = 'azure.policy';
  const title = 'no Azure Policy assignment is in force that could deny the stack';
  const r = az(['policy', 'assignment', 'list', '--disable-scope-strict-match']);
  if (r.problem) return unknownFrom(id, title, r, AZ_CLI, 'Microsoft.Authorization/policyAssignments/read (Reader)');
  const enforced = asArray(r.json).filter((a) => asString(field(a, 'enforcementMode')) !== 'DoNotEnforce');
  if (enforced.length === 0) return pass(id, title, 'no enforced policy assignment applies to the subscription');
  const names = enforced.map((a) => asString(field(a, 'displayName')) ?? asString(field(a, 'name')) ?? '?');
  return unknown(id, title, `${enforced.length} enforced assignment(s): ${names.slice(0, 10).join('; ')}${names.length > 10 ? '; ...' : ''}`,
    'review them for Deny effects on what the stack creates: public IPs (NAT gateway, firewall), Trusted Launch requirements (GPU driver extension), ' +
    'allowed locations and VM sizes, required tags, encryption at host, Key Vault network rules; exempt the platform\'s resource groups where needed ' +
    '(`az policy state list --filter "complianceState eq \'NonCompliant\'"` shows what they flag today)');
}
