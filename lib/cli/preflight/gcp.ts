/**
 * GCP checks with gcloud, all read-only: identity and project, the APIs the stack needs before it
 * can enable the others, regional and project-wide quotas, machine and accelerator types per zone,
 * and organization policies the stack conflicts with.
 */
import { CliProblem, CliResult } from './cli-runner';
import {
  GCLOUD_CLI, asArray, asNumber, asString, fail, field, isFatal, pass, skipped, unknown, unknownFrom,
} from './checks';
import { CloudContext } from './context';
import { PoolDemand, groupBy, planZones, poolDemands } from './demand';
import {
  GcpQuota, gcpAcceleratorType, gcpCpuMetrics, gcpGpuMetrics, gcpPreemptibleMetric, gcpQuotaFix,
} from './gcp-quotas';
import { GKE_CHANNEL, gkeVersionCheck } from './kubernetes';
import { PreflightCheck } from './types';
import { gcpSecureBoot } from '../../gcp/machine';
import { gcpZoneRestricted } from '../../gcp/placement';
import { DeploymentModel, EgressMode } from '../../spec/types';

/** Must be on before the stack can enable anything (lib/gcp/apis.ts: Service Usage enables the others; google_project_service reads the project through Resource Manager). */
export const GCP_BOOTSTRAP_APIS = ['serviceusage.googleapis.com', 'cloudresourcemanager.googleapis.com'];

/**
 * The APIs the reference stack enables itself (GcpSandboxPlatform.apisNeeded in lib/gcp/platform.ts;
 * values of GcpApi in lib/gcp/apis.ts, kept equal by test/preflight-gcp.test.ts).
 */
export function gcpStackApis(egress: EgressMode, deployment: DeploymentModel, kubernetes = false): string[] {
  const apis = ['compute.googleapis.com', 'cloudkms.googleapis.com', 'iam.googleapis.com', 'cloudresourcemanager.googleapis.com',
    'logging.googleapis.com', 'monitoring.googleapis.com', 'storage.googleapis.com'];
  if (egress !== EgressMode.NAT) apis.push('dns.googleapis.com');
  if (deployment === DeploymentModel.BYOC) apis.push('iamcredentials.googleapis.com');
  if (kubernetes) apis.push('container.googleapis.com');
  return apis;
}

type Gcloud = (args: string[]) => CliResult;

export function gcpChecks(ctx: CloudContext): PreflightCheck[] {
  const project = ctx.project!;
  const { region, plan } = ctx;
  const gcloud: Gcloud = (args) => ctx.run('gcloud', [...args, '--format=json']);
  const checks: PreflightCheck[] = [];

  const idTitle = `GCP identity and project ${project}`;
  // The active account (honours CLOUDSDK_CORE_ACCOUNT and --account like `gcloud config get-value account`, but answers in JSON).
  const account = gcloud(['auth', 'list', '--filter=status:ACTIVE']);
  const who = asString(field(asArray(account.json)[0], 'account'));
  if (account.problem || !who) {
    const r = account.problem ? account : { ...account, problem: CliProblem.NO_CREDENTIALS, message: 'no active account (`gcloud auth list` shows none)' };
    checks.push(unknownFrom('gcp.identity', idTitle, r, GCLOUD_CLI, 'nothing (local configuration)'));
    return [...checks, skipped('gcp', r)];
  }
  const proj = gcloud(['projects', 'describe', project]);
  if (proj.problem) {
    checks.push(unknownFrom('gcp.identity', idTitle, proj, GCLOUD_CLI, 'resourcemanager.projects.get (roles/browser)'));
    if (isFatal(proj)) return [...checks, skipped('gcp', proj)];
  } else {
    const state = asString(field(proj.json, 'lifecycleState')) ?? asString(field(proj.json, 'state'));
    const detail = `account ${who}, project ${project} (number ${asString(field(proj.json, 'projectNumber'))}, ${state}), region ${region}`;
    checks.push(state === 'ACTIVE' ? pass('gcp.identity', idTitle, detail)
      : fail('gcp.identity', idTitle, detail, `the project must be ACTIVE: restore it (\`gcloud projects undelete ${project}\`) or target another project`));
  }

  checks.push(gcpBillingCheck(gcloud, project));
  const apis = gcpApiChecks(gcloud, project, plan.network.egress, plan.deployment, plan.kubernetes !== undefined);
  checks.push(...apis.checks);
  const zones = planZones(plan, region);
  const demands = apis.computeOff ? poolDemands(plan) : withGcpVcpus(gcloud, project, zones, poolDemands(plan));
  checks.push(...gcpQuotaChecks(gcloud, project, region, demands, apis.computeOff));
  checks.push(...gcpOfferingChecks(gcloud, project, region, demands, zones, apis.computeOff));
  checks.push(...gcpOrgPolicyChecks(gcloud, project, demands, plan.deployment === DeploymentModel.BYOC));
  if (plan.kubernetes) checks.push(gkeVersionCheck(gcloud, project, region, plan.kubernetes.version, GKE_CHANNEL));
  return checks;
}

/**
 * Fills in the vCPUs of machine types the catalog does not know (an allowed unknown instanceType)
 * from `gcloud compute machine-types describe` (guestCpus) in the first zone; undefined when unreadable.
 */
export function withGcpVcpus(gcloud: Gcloud, project: string, zones: readonly string[], demands: PoolDemand[]): PoolDemand[] {
  if (zones.length === 0) return demands;
  const found = new Map<string, number | undefined>();
  for (const t of new Set(demands.filter((d) => d.vcpusPerNode === undefined).map((d) => d.instanceType))) {
    const r = gcloud(['compute', 'machine-types', 'describe', t, '--zone', zones[0], '--project', project]);
    found.set(t, r.problem ? undefined : asNumber(field(r.json, 'guestCpus')));
  }
  return demands.map((d) => (d.vcpusPerNode === undefined && found.get(d.instanceType) !== undefined ? { ...d, vcpusPerNode: found.get(d.instanceType) } : d));
}

/** Every API the stack uses needs a linked billing account (docs/gcp.md, prerequisites). */
export function gcpBillingCheck(gcloud: Gcloud, project: string): PreflightCheck {
  const id = 'gcp.billing';
  const title = `project ${project} has billing enabled`;
  const r = gcloud(['billing', 'projects', 'describe', project]);
  if (r.problem) return unknownFrom(id, title, r, GCLOUD_CLI, 'resourcemanager.projects.get on the project (the Cloud Billing API must be enabled in the quota project)');
  if (field(r.json, 'billingEnabled') === true) return pass(id, title, `billing account ${asString(field(r.json, 'billingAccountName'))}`);
  return fail(id, title, 'no billing account is linked: no API the stack needs can be enabled',
    `\`gcloud billing projects link ${project} --billing-account=<ACCOUNT_ID>\` (needs Billing Account User on the account)`);
}

/** The bootstrap APIs must be on; the others the stack enables (listed for the record). */
export function gcpApiChecks(gcloud: Gcloud, project: string, egress: EgressMode, deployment: DeploymentModel, kubernetes = false): { checks: PreflightCheck[]; computeOff: boolean } {
  const r = gcloud(['services', 'list', '--enabled', '--project', project]);
  const checks: PreflightCheck[] = [];
  if (r.problem === CliProblem.API_DISABLED && /serviceusage/i.test(r.message)) {
    checks.push(fail('gcp.api.serviceusage.googleapis.com', 'API serviceusage.googleapis.com is enabled', `disabled: ${r.message}`,
      `\`gcloud services enable serviceusage.googleapis.com --project ${project}\` (the stack enables every other API through it)`));
    return { checks, computeOff: true };
  }
  if (r.problem) {
    checks.push(unknownFrom('gcp.api', 'APIs the stack needs are enabled', r, GCLOUD_CLI, 'serviceusage.services.list (roles/serviceusage.serviceUsageViewer)'));
    return { checks, computeOff: false };
  }
  const enabled = new Set(asArray(r.json).map((s) => asString(field(field(s, 'config'), 'name')) ?? asString(field(s, 'name'))?.split('/').pop()));
  for (const api of GCP_BOOTSTRAP_APIS) {
    const title = `API ${api} is enabled (the stack cannot enable it for itself)`;
    checks.push(enabled.has(api) ? pass(`gcp.api.${api}`, title, 'enabled')
      : fail(`gcp.api.${api}`, title, 'disabled', `\`gcloud services enable ${api} --project ${project}\``));
  }
  const stack = gcpStackApis(egress, deployment, kubernetes).filter((a) => !GCP_BOOTSTRAP_APIS.includes(a));
  const off = stack.filter((a) => !enabled.has(a));
  checks.push(pass('gcp.api.stack', 'APIs the stack enables itself',
    off.length === 0 ? `all enabled: ${stack.join(', ')}`
      : `not yet enabled (the stack enables them; the runner needs serviceusage.services.enable): ${off.join(', ')}`));
  return { checks, computeOff: !enabled.has('compute.googleapis.com') };
}

function quotas(json: unknown): Map<string, GcpQuota> {
  return new Map(asArray(field(json, 'quotas')).map((q) => {
    const metric = asString(field(q, 'metric')) ?? '';
    return [metric, { metric, limit: asNumber(field(q, 'limit')) ?? 0, usage: asNumber(field(q, 'usage')) ?? 0 }];
  }));
}

/** Picks the metric a pool counts against: the first listed candidate, or its Spot counterpart when that has quota. */
export function gcpPickMetric(listed: Map<string, GcpQuota>, candidates: readonly string[], spot: boolean): string | undefined {
  const standard = candidates.find((m) => listed.has(m));
  if (!standard) return undefined;
  if (spot) {
    const pre = gcpPreemptibleMetric(standard);
    if ((listed.get(pre)?.limit ?? 0) > 0) return pre;
  }
  return standard;
}

function computeOffCheck(id: string, title: string, project: string): PreflightCheck {
  return unknown(id, title, 'the Compute Engine API is not enabled, so its quotas and machine types cannot be read',
    `\`gcloud services enable compute.googleapis.com --project ${project}\` (the stack enables it too), then rerun preflight`);
}

/** Regional CPU/GPU quotas per metric (pools sharing one summed) and the project-wide CPUS_ALL_REGIONS / GPUS_ALL_REGIONS. */
export function gcpQuotaChecks(gcloud: Gcloud, project: string, region: string, demands: readonly PoolDemand[], computeOff: boolean): PreflightCheck[] {
  const title = `regional quotas in ${region}`;
  if (computeOff) return [computeOffCheck('gcp.quota', title, project)];
  const reg = gcloud(['compute', 'regions', 'describe', region, '--project', project]);
  if (reg.problem) return [unknownFrom('gcp.quota', title, reg, GCLOUD_CLI, 'compute.regions.get (roles/compute.viewer)')];
  const listed = quotas(reg.json);
  const out: PreflightCheck[] = [];
  const uses: { metric: string; pool: string; amount: number; what: string }[] = [];
  for (const d of demands) {
    if (d.vcpusPerNode === undefined) {
      out.push(unknown(`gcp.quota.${d.pool}`, `CPU quota for ${d.instanceType} (pool ${d.pool})`,
        `neither the catalog nor \`gcloud compute machine-types describe\` gave the vCPUs of ${d.instanceType}`,
        `check the ${gcpCpuMetrics(d.instanceType)[0]} quota in ${region} covers ${d.nodes} nodes`));
    } else {
      const m = gcpPickMetric(listed, gcpCpuMetrics(d.instanceType), d.spot) ?? 'CPUS';
      uses.push({ metric: m, pool: d.pool, amount: d.nodes * d.vcpusPerNode, what: `${d.nodes} x ${d.vcpusPerNode}` });
    }
    if (d.gpuModel && d.gpusPerNode > 0) {
      const candidates = gcpGpuMetrics(d.gpuModel, d.instanceType);
      const m = gcpPickMetric(listed, candidates, d.spot);
      if (!m) {
        out.push(fail(`gcp.quota.${d.pool}.gpu`, `GPU quota for ${d.gpuModel} (pool ${d.pool}) in ${region}`,
          `${region} lists no quota ${candidates.join(' / ') || `for ${d.gpuModel}`}: the region does not sell this GPU to the project, or the quota was never granted`,
          `${gcpQuotaFix(project, region, candidates[0] ?? d.gpuModel, d.nodes * d.gpusPerNode)}; or choose a region that sells ${d.gpuModel} (cloud.google.com/compute/docs/gpus/gpu-regions-zones)`));
      } else {
        uses.push({ metric: m, pool: d.pool, amount: d.nodes * d.gpusPerNode, what: `${d.nodes} x ${d.gpusPerNode} GPUs` });
      }
    }
  }
  for (const [metric, group] of groupBy(uses, (u) => u.metric)) {
    const need = group.reduce((s, u) => s + u.amount, 0);
    const q = listed.get(metric);
    const id = `gcp.quota.${metric.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
    const t = `${metric} in ${region} covers ${need} at max nodes`;
    if (!q) {
      out.push(unknown(id, t, `${region} lists no ${metric} quota`, `check ${metric} on https://console.cloud.google.com/iam-admin/quotas?project=${project}`));
      continue;
    }
    const free = q.limit - q.usage;
    const detail = `limit ${q.limit}, in use ${q.usage}, needed ${need} (${group.map((u) => `${u.pool}: ${u.what}`).join(', ')}; max + warm nodes)`;
    out.push(free >= need ? pass(id, t, detail) : fail(id, t, detail, gcpQuotaFix(project, region, metric, q.usage + need)));
  }
  out.push(...gcpProjectQuotaChecks(gcloud, project, uses.filter((u) => !/GPU/.test(u.metric)).reduce((s, u) => s + u.amount, 0),
    uses.filter((u) => /GPU/.test(u.metric)).reduce((s, u) => s + u.amount, 0)));
  return out;
}

function gcpProjectQuotaChecks(gcloud: Gcloud, project: string, cpus: number, gpus: number): PreflightCheck[] {
  const info = gcloud(['compute', 'project-info', 'describe', '--project', project]);
  const wanted: [string, number][] = [['CPUS_ALL_REGIONS', cpus], ...(gpus > 0 ? [['GPUS_ALL_REGIONS', gpus] as [string, number]] : [])];
  if (info.problem) return [unknownFrom('gcp.quota.global', 'project-wide CPU and GPU quotas', info, GCLOUD_CLI, 'compute.projects.get (roles/compute.viewer)')];
  const listed = quotas(info.json);
  return wanted.map(([metric, need]) => {
    const id = `gcp.quota.${metric.toLowerCase().replace(/_/g, '-')}`;
    const t = `${metric} covers ${need} at max nodes`;
    const q = listed.get(metric);
    if (!q) return unknown(id, t, `the project lists no ${metric} quota`, `check ${metric} on https://console.cloud.google.com/iam-admin/quotas?project=${project}`);
    const detail = `limit ${q.limit}, in use ${q.usage} (all regions), needed ${need}`;
    return q.limit - q.usage >= need ? pass(id, t, detail)
      : fail(id, t, detail, `request ${metric} of at least ${q.usage + need} (a global quota): https://console.cloud.google.com/iam-admin/quotas?project=${project}`);
  });
}

function isCustom(machineType: string): boolean {
  return /-custom-\d+-\d+(-ext)?$/.test(machineType);
}

/** Machine types (and N1 accelerators) offered in each zone the stack uses. */
export function gcpOfferingChecks(gcloud: Gcloud, project: string, region: string, demands: readonly PoolDemand[], zones: readonly string[], computeOff: boolean): PreflightCheck[] {
  if (demands.length === 0) return [];
  if (zones.length === 0) {
    return [unknown('gcp.offering', 'machine types offered in the zones', 'network.availabilityZones is not set, so the zones are not known',
      `pin network.availabilityZones (the GCP stack requires it), e.g. ["${region}-a", "${region}-b", "${region}-c"]`)];
  }
  if (computeOff) return [computeOffCheck('gcp.offering', 'machine types offered in the zones', project)];
  const types = [...new Set(demands.map((d) => d.instanceType).filter((t) => !isCustom(t)))];
  const zoneFilter = `zone:(${zones.join(' ')})`;
  const mt: CliResult = types.length > 0 ? gcloud(['compute', 'machine-types', 'list', '--project', project, `--filter=name=(${types.join(' ')}) AND ${zoneFilter}`])
    : { command: '', json: [], message: '' };
  const accTypes = [...new Set(demands.map((d) => (d.instanceType.startsWith('n1-') && d.gpuModel ? gcpAcceleratorType(d.gpuModel) : undefined)).filter((a): a is string => !!a))];
  const acc = accTypes.length ? gcloud(['compute', 'accelerator-types', 'list', '--project', project, `--filter=name=(${accTypes.join(' ')}) AND ${zoneFilter}`]) : undefined;
  const zonesOf = (r: CliResult, name: string): Set<string> => new Set(asArray(r.json)
    .filter((m) => asString(field(m, 'name')) === name).map((m) => (asString(field(m, 'zone')) ?? '').split('/').pop() ?? ''));
  return demands.map((d) => {
    const acceleratorType = d.instanceType.startsWith('n1-') && d.gpuModel ? gcpAcceleratorType(d.gpuModel) : undefined;
    const what = acceleratorType ? `${d.instanceType} with ${acceleratorType}` : d.instanceType;
    // GPU and bare-metal pools use the BALANCED distribution shape (lib/gcp/placement.ts): a zone
    // without the type does not block the others, so only "no zone at all" fails them.
    const restricted = gcpZoneRestricted(d.resolved);
    const id = `gcp.offering.${d.pool}`;
    const title = `${what} (pool ${d.pool}) is offered in ${restricted ? 'at least one of ' : ''}${zones.join(', ')}`;
    if (mt.problem) return unknownFrom(id, title, mt, GCLOUD_CLI, 'compute.machineTypes.list (roles/compute.viewer)');
    if (acc?.problem) return unknownFrom(id, title, acc, GCLOUD_CLI, 'compute.acceleratorTypes.list (roles/compute.viewer)');
    let where = zonesOf(mt, d.instanceType);
    if (isCustom(d.instanceType)) {
      // Custom machine types are not listed; describing one in a zone says whether the zone can make it.
      const perZone = zones.map((z) => [z, gcloud(['compute', 'machine-types', 'describe', d.instanceType, '--zone', z, '--project', project])] as const);
      const blocked = perZone.find(([, r]) => r.problem && r.problem !== CliProblem.FAILED && r.problem !== CliProblem.NOT_FOUND);
      if (blocked) return unknownFrom(id, title, blocked[1], GCLOUD_CLI, 'compute.machineTypes.get (roles/compute.viewer)');
      where = new Set(perZone.filter(([, r]) => !r.problem).map(([z]) => z));
    }
    if (acceleratorType && acc) {
      const accZones = zonesOf(acc, acceleratorType);
      where = new Set([...where].filter((z) => accZones.has(z)));
    }
    const lacking = zones.filter((z) => !where.has(z));
    const offered = zones.filter((z) => where.has(z));
    if (lacking.length === 0) return pass(id, title, `offered in all ${zones.length} zones`);
    if (restricted && offered.length > 0) {
      return pass(id, title, `offered in ${offered.join(', ')}; not in ${lacking.join(', ')} (the group's BALANCED shape places nodes only where the type is sold)`);
    }
    return fail(id, title, `not offered in ${lacking.join(', ')}${offered.length ? `; offered in ${offered.join(', ')}` : ' (none of the zones the stack uses sells it)'}`,
      offered.length ? `pin network.availabilityZones to zones that sell it (${offered.join(', ')}), or choose another machine type`
        : `choose a machine type sold in ${region} (\`gcloud compute machine-types list --filter="name=${d.instanceType}"\` shows where it is) or another region`);
  });
}

interface V1Policy { enforced?: boolean; allowed?: string[]; allValues?: string; denied?: string[] }

function readPolicy(json: unknown): V1Policy {
  const b = field(json, 'booleanPolicy');
  const l = field(json, 'listPolicy');
  return {
    enforced: field(b, 'enforced') === true,
    allowed: asArray(field(l, 'allowedValues')).map(String),
    denied: asArray(field(l, 'deniedValues')).map(String),
    allValues: asString(field(l, 'allValues')),
  };
}

/** Organization policies the stack conflicts with, read as the effective policy on the project. */
export function gcpOrgPolicyChecks(gcloud: Gcloud, project: string, demands: readonly PoolDemand[], byoc: boolean): PreflightCheck[] {
  const out: PreflightCheck[] = [];
  const describe = (constraint: string): CliResult => gcloud(['resource-manager', 'org-policies', 'describe', constraint, `--project=${project}`, '--effective']);
  const perm = 'orgpolicy.policy.get (roles/orgpolicy.policyViewer on the project, folder or organization)';
  const nested = demands.filter((d) => d.nestedVirtualization).map((d) => d.pool);
  if (nested.length > 0) {
    const c = 'compute.disableNestedVirtualization';
    const id = 'gcp.orgpolicy.nested-virtualization';
    const title = `constraints/${c} does not forbid nested virtualization (pools ${nested.join(', ')})`;
    const r = describe(c);
    if (r.problem) out.push(unknownFrom(id, title, r, GCLOUD_CLI, perm));
    else if (readPolicy(r.json).enforced) {
      out.push(fail(id, title, `enforced on project ${project}: nodes of ${nested.join(', ')} would boot without /dev/kvm and fail the KVM check`,
        `an organization policy administrator exempts the project: \`gcloud resource-manager org-policies disable-enforce ${c} --project=${project}\` ` +
        '(or GcpSandboxPlatform allowNestedVirtualizationPolicy, which needs roles/orgpolicy.policyAdmin for the runner); or use bare-metal or gVisor pools'));
    } else out.push(pass(id, title, 'not enforced'));
  }
  // Pools the stack runs with Secure Boot off (lib/gcp/machine.ts gcpSecureBoot: GPU pools), which requireShieldedVm rejects.
  const insecure = demands.filter((d) => !gcpSecureBoot(d.resolved)).map((d) => d.pool);
  if (insecure.length > 0) {
    const c = 'compute.requireShieldedVm';
    const id = 'gcp.orgpolicy.shielded-vm';
    const title = `constraints/${c} admits the GPU pools' Secure-Boot-off VMs (${insecure.join(', ')})`;
    const r = describe(c);
    if (r.problem) out.push(unknownFrom(id, title, r, GCLOUD_CLI, perm));
    else if (readPolicy(r.json).enforced) {
      out.push(fail(id, title, `enforced on project ${project}: the GPU pools' VMs (Secure Boot off for the NVIDIA driver image) are rejected; the groups never create nodes`,
        `exempt the project (\`gcloud resource-manager org-policies disable-enforce ${c} --project=${project}\`, by an organization policy administrator), ` +
        'or use an image with signed NVIDIA modules and list the pools in GcpSandboxPlatform secureBootPools'));
    } else out.push(pass(id, title, 'not enforced'));
  }
  if (byoc) {
    const c = 'iam.allowedPolicyMemberDomains';
    const id = 'gcp.orgpolicy.domain-restricted-sharing';
    const title = `constraints/${c} (domain-restricted sharing) admits the vendor's principal`;
    const r = describe(c);
    if (r.problem) out.push(unknownFrom(id, title, r, GCLOUD_CLI, perm));
    else {
      const p = readPolicy(r.json);
      if (p.allValues === 'DENY') {
        out.push(fail(id, title, 'denies every member domain: the stack cannot grant the vendor\'s service account anything',
          'exempt the project from the constraint, or add the vendor\'s customer ID to its allowed values'));
      } else if ((p.allowed?.length ?? 0) > 0) {
        out.push(unknown(id, title, `restricted to ${p.allowed!.join(', ')}: the vendor's principal is admitted only if its organization's customer ID is listed, which cannot be read from here`,
          'ask the vendor for the Cloud Identity / Workspace customer ID of its organization and have an organization policy administrator add it ' +
          `for this project (\`gcloud resource-manager org-policies allow ${c} <customer-id> --project=${project}\`), or exempt the project`));
      } else out.push(pass(id, title, 'not restricted'));
    }
  }
  return out;
}
