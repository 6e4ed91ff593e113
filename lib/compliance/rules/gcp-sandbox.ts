/**
 * GCP rules for a hostile sandbox and an untrusted vendor: the vendor reads logs only through a
 * view that holds no audit trail, SSH comes only through IAP (recorded), and a network whose egress
 * is restricted records its DNS queries.
 */
import { CloudProvider, ComplianceProfile } from '../../spec';
import { covers, parsePortSpec } from '../net';
import { ComplianceRule, RuleId, StackIndex, TerraformResource } from '../types';
import { Json, Problems, block, blocks, isSet, isTrue, notApplicable, pass, str, strings } from '../values';
import { defineRule } from './define';

/** Roles that let a principal impersonate a service account. */
const IMPERSONATION_ROLES = ['roles/iam.serviceAccountTokenCreator', 'roles/iam.serviceAccountUser', 'roles/iam.workloadIdentityUser'];

/** Predefined roles that read log entries (cloud.google.com/logging/docs/access-control). */
const LOG_READ_ROLES = ['roles/logging.viewer', 'roles/logging.privateLogViewer', 'roles/logging.viewAccessor', 'roles/logging.admin',
  'roles/owner', 'roles/editor', 'roles/viewer'];
/** Permissions that read log entries. */
const LOG_READ_PERMISSIONS = ['logging.logEntries.list', 'logging.privateLogEntries.list', 'logging.views.access'];

const SA_MEMBER = /^serviceAccount:[^@]+@([a-z][-a-z0-9]{4,28}[a-z0-9])\.iam\.gserviceaccount\.com$/;

/** Project ids the stack's resources name (the "project" attribute of every google resource). */
function stackProjects(stack: StackIndex): Set<string> {
  const out = new Set<string>();
  for (const t of stack.resourceTypes.filter((x) => x.startsWith('google_'))) {
    for (const r of stack.resources(t)) {
      const p = str(r.config.project);
      if (p && !p.includes('${')) out.add(p);
    }
  }
  return out;
}

/**
 * Service accounts of the stack that a principal outside the stack's projects may impersonate: an
 * IAM member/binding on the account grants an impersonation role to a member that is not a service
 * account of those projects (a vendor, another organization's user or group).
 */
function externallyImpersonable(stack: StackIndex): TerraformResource[] {
  const projects = stackProjects(stack);
  const external = (m: string) => {
    const sa = SA_MEMBER.exec(m);
    return sa ? !projects.has(sa[1]) : !/^(projectOwner|projectEditor|projectViewer):/.test(m);
  };
  return stack.resources('google_service_account').filter((sa) => ['google_service_account_iam_member', 'google_service_account_iam_binding']
    .some((t) => stack.resources(t).some((g) => stack.refersTo(g.config.service_account_id, sa)
      && IMPERSONATION_ROLES.includes(String(g.config.role))
      && [...strings(g.config.member), ...strings(g.config.members)].some(external))));
}

/** The log-read permissions a role grants (predefined roles by name, custom roles of the stack by their permissions). */
function readsLogs(stack: StackIndex, role: unknown): boolean {
  if (LOG_READ_ROLES.includes(String(role))) return true;
  return stack.resources('google_project_iam_custom_role').some((c) => stack.refersTo(role, c)
    && strings(c.config.permissions).some((p) => LOG_READ_PERMISSIONS.includes(p)));
}

/** Buckets (resource ids or names) that receive audit logs through a sink of the stack. */
function auditSinkDestinations(stack: StackIndex): string[] {
  return stack.resources('google_logging_project_sink').filter((s) => String(s.config.filter ?? '').includes('cloudaudit.googleapis.com')
    && !/NOT\s*\(?\s*logName:"cloudaudit\.googleapis\.com"/.test(String(s.config.filter ?? '')))
    .map((s) => String(s.config.destination ?? ''));
}

export const gcpVendorLogView: ComplianceRule = defineRule({
  id: RuleId.GCP_LOG_VIEW,
  title: 'The vendor reads logs only through a view without the audit trail',
  description:
    'A service account that a principal outside the stack\'s projects may impersonate (token creator, service account user or '
    + 'workload identity user granted to a foreign member: the BYOC vendor) holds no project-level log-read role or permission '
    + '(logging.viewer, privateLogViewer, viewAccessor, or a custom role with logging.logEntries.list / privateLogEntries.list / '
    + 'views.access) without an IAM condition naming one log view ("resource.name == .../views/<view>"), and that view\'s bucket '
    + 'receives no audit logs (no sink whose filter includes cloudaudit.googleapis.com writes into it). Project-level viewAccessor '
    + 'reads every view of every bucket (cloud.google.com/logging/docs/logs-views).',
  cloud: CloudProvider.GCP,
  minimumProfile: ComplianceProfile.SOC2,
  resourceTypes: ['google_project_iam_member', 'google_project_iam_binding'],
  controls: { hipaa: ['164.308(a)(4)(ii)(B)', '164.312(b)'], soc2: ['CC6.3', 'CC7.2'] },
  upstream: {},
  check: (r, ctx) => {
    const vendorAccounts = externallyImpersonable(ctx.stack);
    const members = [...strings(r.config.member), ...strings(r.config.members)];
    const vendor = vendorAccounts.filter((sa) => members.some((m) => ctx.stack.refersTo(m, sa)));
    if (vendor.length === 0) return notApplicable('not granted to a service account a foreign principal can impersonate');
    if (!readsLogs(ctx.stack, r.config.role)) return pass(`${String(r.config.role)} reads no logs`);
    const condition = block(r.config.condition);
    const expression = String(condition?.expression ?? '');
    const view = /resource\.name\s*==\s*"(projects\/[^"]+\/locations\/[^"/]+\/buckets\/([^"/]+)\/views\/[^"]+)"/.exec(expression);
    const p = new Problems();
    p.add(!view || /\|\|/.test(expression), `${String(r.config.role)} lets ${vendor.map((v) => v.address).join(', ')} (impersonable by a foreign principal) ` +
      'read logs project-wide: every bucket, audit logs included',
    'bind the log-read role with condition { expression = "resource.name == \\"projects/P/locations/L/buckets/B/views/V\\"" } on a view of a bucket without audit logs');
    if (view) {
      const bucketId = view[2];
      const audited = auditSinkDestinations(ctx.stack).some((d) => d.endsWith(`/buckets/${bucketId}`));
      p.add(audited, `the view's bucket ${bucketId} receives audit logs through a sink`,
        'send audit logs to a separate bucket the vendor has no view of, and exclude them from the platform sink');
    }
    return p.outcome(`log reads limited to the view ${view?.[1] ?? ''}`);
  },
});

/** IAP TCP forwarding's source range (cloud.google.com/iap/docs/using-tcp-forwarding#create-firewall-rule). */
const IAP_RANGE = { base: [35, 235, 240, 0], prefix: 20 };

function insideIap(cidr: string): boolean {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)(?:\/(\d+))?$/.exec(cidr.trim());
  if (!m) return false;
  const prefix = m[5] === undefined ? 32 : Number(m[5]);
  if (prefix < IAP_RANGE.prefix) return false;
  const ip = m.slice(1, 5).map(Number);
  const n = (a: number[]) => ((a[0] << 24) >>> 0) + (a[1] << 16) + (a[2] << 8) + a[3];
  const mask = (0xffffffff << (32 - IAP_RANGE.prefix)) >>> 0;
  return ((n(ip) & mask) >>> 0) === ((n(IAP_RANGE.base) & mask) >>> 0);
}

function opensSsh(protocol: string, ports: string[]): boolean {
  const proto = protocol.toLowerCase();
  if (proto === 'all') return true;
  if (proto !== 'tcp' && proto !== '6') return false;
  if (ports.length === 0) return true;
  return ports.map(parsePortSpec).some((pr) => !pr || covers(pr, 22));
}

export const gcpSshThroughIap: ComplianceRule = defineRule({
  id: RuleId.GCP_NET_SSH,
  title: 'SSH only through IAP TCP forwarding',
  description:
    'No INGRESS allow rule (google_compute_firewall, or a google_compute_network_firewall_policy_rule with action allow) opens TCP 22 '
    + '(or all ports / all protocols) to a source outside the IAP TCP forwarding range 35.235.240.0/20. Through IAP every session '
    + 'is an IAM-checked tunnel recorded in the Data Access audit logs of iap.googleapis.com; a direct source is not.',
  cloud: CloudProvider.GCP,
  minimumProfile: ComplianceProfile.SOC2,
  resourceTypes: ['google_compute_firewall', 'google_compute_network_firewall_policy_rule'],
  controls: { hipaa: ['164.312(a)(1)', '164.312(b)'], soc2: ['CC6.1', 'CC6.6'] },
  upstream: { checkov: ['CKV_GCP_2'] },
  check: (r) => {
    const c = r.config;
    const p = new Problems();
    const fix = 'allow TCP 22 only from 35.235.240.0/20 (IAP TCP forwarding) and reach hosts with `gcloud compute ssh --tunnel-through-iap`';
    if (r.type === 'google_compute_firewall') {
      if ((str(c.direction) ?? 'INGRESS') !== 'INGRESS' || isTrue(c.disabled)) return notApplicable('not an enabled ingress rule');
      const sources = strings(c.source_ranges);
      const foreign = sources.length === 0 && !isSet(c.source_tags) && !isSet(c.source_service_accounts) ? ['0.0.0.0/0 (default)'] : sources.filter((s) => !insideIap(s));
      blocks(c.allow).forEach((a, i) => p.add(opensSsh(String(a.protocol ?? ''), strings(a.ports)) && foreign.length > 0,
        `allow[${i}] opens SSH to ${foreign.join(', ')}`, fix));
      return p.outcome('SSH, if any, only from the IAP range');
    }
    if (str(c.direction) !== 'INGRESS' || str(c.action) !== 'allow' || isTrue(c.disabled)) return notApplicable('not an enabled ingress allow rule');
    const match = block(c.match) ?? {};
    const sources = strings(match.src_ip_ranges);
    const foreign = sources.length === 0 ? ['any source'] : sources.filter((s) => !insideIap(s));
    blocks(match.layer4_configs).forEach((l, i) => p.add(opensSsh(String(l.ip_protocol ?? ''), strings(l.ports)) && foreign.length > 0,
      `match.layer4_configs[${i}] opens SSH to ${foreign.join(', ')}`, fix));
    return p.outcome('SSH, if any, only from the IAP range');
  },
});

/** True when a firewall policy of the stack, associated with `network`, ends egress in a deny-all and allows no 0.0.0.0/0 egress. */
function restrictedEgress(stack: StackIndex, network: TerraformResource): boolean {
  const policies = stack.resources('google_compute_network_firewall_policy_association')
    .filter((a) => stack.refersTo(a.config.attachment_target, network))
    .flatMap((a) => stack.referencedResources(a.config.firewall_policy, 'google_compute_network_firewall_policy'));
  return policies.some((policy) => {
    const rules = stack.resources('google_compute_network_firewall_policy_rule').filter((x) => stack.refersTo(x.config.firewall_policy, policy))
      .filter((x) => str(x.config.direction) === 'EGRESS' && !isTrue(x.config.disabled));
    const ranges = (x: TerraformResource) => strings((block(x.config.match) as Json | undefined)?.dest_ip_ranges);
    const denyAll = rules.some((x) => str(x.config.action) === 'deny' && ranges(x).includes('0.0.0.0/0'));
    const allowAll = rules.some((x) => str(x.config.action) === 'allow' && ranges(x).includes('0.0.0.0/0'));
    return denyAll && !allowAll;
  });
}

export const gcpDnsQueryLogging: ComplianceRule = defineRule({
  id: RuleId.GCP_DNS_LOG,
  title: 'Networks with restricted egress log their DNS queries',
  description:
    'A google_compute_network whose network firewall policy (in the stack) denies all egress and allows none to 0.0.0.0/0 is bound to a '
    + 'google_dns_policy with enable_logging = true. Sandboxes keep DNS to the metadata server (the VPC resolver) while everything '
    + 'else is denied, so a lookup is the channel the firewall cannot close; the query log records it (cloud.google.com/dns/docs/monitoring).',
  cloud: CloudProvider.GCP,
  minimumProfile: ComplianceProfile.SOC2,
  resourceTypes: ['google_compute_network'],
  controls: { hipaa: ['164.312(b)'], soc2: ['CC7.2'] },
  upstream: {},
  check: (r, ctx) => {
    if (!restrictedEgress(ctx.stack, r)) return notApplicable('egress is not restricted by a firewall policy of the stack');
    const logged = ctx.stack.resources('google_dns_policy').some((d) => isTrue(d.config.enable_logging)
      && blocks(d.config.networks).some((n) => ctx.stack.refersTo(n.network_url, r)));
    return logged ? pass('DNS queries are logged (google_dns_policy enable_logging)')
      : new Problems().add(true, 'restricted egress, but no DNS server policy logs the network\'s queries',
        'add google_dns_policy { enable_logging = true, networks { network_url = <network> } }').outcome('');
  },
});

export const GCP_SANDBOX_RULES: ComplianceRule[] = [gcpVendorLogView, gcpSshThroughIap, gcpDnsQueryLogging];
