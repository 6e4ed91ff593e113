/** GCP Compute Engine and VPC rules. */
import { CloudProvider, ComplianceProfile } from '../../spec';
import { ADMIN_PORTS, covers, isAllPorts, isWorld, parsePortSpec } from '../net';
import { ComplianceRule, RuleId, StackIndex } from '../types';
import {
  Json, Problems, block, blocks, fail, isFalse, isSet, isTrue, notApplicable, num, pass, show, str, strings,
} from '../values';
import { defineRule } from './define';

const INSTANCE_TYPES = ['google_compute_instance', 'google_compute_instance_template', 'google_compute_region_instance_template'];

export const gcpPublicIp: ComplianceRule = defineRule({
  id: RuleId.GCP_CE_PUBIP,
  title: 'No external IPs on instances',
  description: 'Instances and instance templates have no network_interface.access_config (external IPv4) and no ipv6_access_config (external IPv6).',
  cloud: CloudProvider.GCP,
  minimumProfile: ComplianceProfile.BASELINE,
  resourceTypes: INSTANCE_TYPES,
  controls: { hipaa: ['164.312(e)(1)'], soc2: ['CC6.6'], cis: ['4.9'] },
  upstream: { checkov: ['CKV_GCP_40'] },
  check: (r) => {
    const p = new Problems();
    blocks(r.config.network_interface).forEach((n, i) => {
      p.add(isSet(n.access_config), `network_interface[${i}].access_config gives the instance an external IP`,
        `remove network_interface[${i}].access_config (use Cloud NAT for egress)`);
      p.add(isSet(n.ipv6_access_config), `network_interface[${i}].ipv6_access_config gives the instance an external IPv6 address`,
        `remove network_interface[${i}].ipv6_access_config`);
    });
    return p.outcome('no external IP');
  },
});

export const gcpShieldedVm: ComplianceRule = defineRule({
  id: RuleId.GCP_CE_SHIELD,
  title: 'Shielded VM: vTPM and integrity monitoring',
  description:
    'Instances and templates declare shielded_instance_config with enable_vtpm and enable_integrity_monitoring not '
    + 'false. Secure boot is recommended where the image allows (unsigned kernel modules, e.g. some GPU drivers, '
    + 'do not load under it): it is reported, not required.',
  cloud: CloudProvider.GCP,
  minimumProfile: ComplianceProfile.SOC2,
  resourceTypes: INSTANCE_TYPES,
  controls: { hipaa: ['164.312(c)(1)'], soc2: ['CC6.8'], cis: ['4.8'] },
  upstream: { checkov: ['CKV_GCP_39'] },
  check: (r) => {
    const s = block(r.config.shielded_instance_config);
    if (!s) {
      return fail('shielded_instance_config is not set',
        'add shielded_instance_config { enable_vtpm = true, enable_integrity_monitoring = true, enable_secure_boot = true where the image allows }');
    }
    return new Problems()
      .add(isFalse(s.enable_vtpm), 'shielded_instance_config.enable_vtpm is false', 'set enable_vtpm = true')
      .add(isFalse(s.enable_integrity_monitoring), 'shielded_instance_config.enable_integrity_monitoring is false', 'set enable_integrity_monitoring = true')
      .outcome(`vTPM and integrity monitoring on; secure boot ${isTrue(s.enable_secure_boot) ? 'on' : 'off (enable it where the image\'s kernel modules are signed)'}`);
  },
});

/** Project-wide metadata value of the stack (google_compute_project_metadata / _item). */
function projectMetadata(stack: StackIndex, key: string): unknown {
  for (const m of stack.resources('google_compute_project_metadata')) {
    const md = m.config.metadata as Json | undefined;
    if (md && key in md) return md[key];
  }
  return stack.resources('google_compute_project_metadata_item').find((i) => i.config.key === key)?.config.value;
}

export const gcpLogin: ComplianceRule = defineRule({
  id: RuleId.GCP_CE_LOGIN,
  title: 'OS Login on, project SSH keys blocked, serial port off',
  description:
    'Instance/template metadata sets enable-oslogin = "TRUE" (or project metadata of the stack does), '
    + 'block-project-ssh-keys = true, and serial-port-enable is absent or false.',
  cloud: CloudProvider.GCP,
  minimumProfile: ComplianceProfile.BASELINE,
  resourceTypes: INSTANCE_TYPES,
  controls: { hipaa: ['164.312(a)(1)', '164.312(d)'], soc2: ['CC6.1'], cis: ['4.3', '4.4', '4.5'] },
  upstream: { checkov: ['CKV_GCP_32', 'CKV_GCP_33', 'CKV_GCP_34', 'CKV_GCP_35'] },
  check: (r, ctx) => {
    const md = (r.config.metadata ?? {}) as Json;
    const oslogin = 'enable-oslogin' in md ? md['enable-oslogin'] : projectMetadata(ctx.stack, 'enable-oslogin');
    return new Problems()
      .add(!isTrue(oslogin), `enable-oslogin is ${show(oslogin)}`, 'set metadata "enable-oslogin" = "TRUE"')
      .add(!isTrue(md['block-project-ssh-keys']), `block-project-ssh-keys is ${show(md['block-project-ssh-keys'])}`,
        'set metadata "block-project-ssh-keys" = "true"')
      .add(md['serial-port-enable'] !== undefined && !isFalse(md['serial-port-enable']) && md['serial-port-enable'] !== '0',
        `serial-port-enable is ${show(md['serial-port-enable'])}`, 'remove metadata "serial-port-enable" (or set "false")')
      .outcome('OS Login on, project SSH keys blocked, serial port off');
  },
});

export const gcpServiceAccount: ComplianceRule = defineRule({
  id: RuleId.GCP_CE_SA,
  title: 'No default service account; no IP forwarding',
  description:
    'Instances and templates do not run as the default Compute Engine service account (a service_account block '
    + 'without email falls back to it) and set can_ip_forward = false.',
  cloud: CloudProvider.GCP,
  minimumProfile: ComplianceProfile.BASELINE,
  resourceTypes: INSTANCE_TYPES,
  controls: { hipaa: ['164.312(a)(1)'], soc2: ['CC6.3'], cis: ['4.1', '4.2', '4.6'] },
  upstream: { checkov: ['CKV_GCP_30', 'CKV_GCP_31', 'CKV_GCP_36'] },
  check: (r) => {
    const sa = block(r.config.service_account);
    const email = sa?.email;
    return new Problems()
      .add(!!sa && !isSet(email), 'service_account has no email, so the default Compute Engine service account is used',
        'set service_account.email to a dedicated least-privilege service account')
      .add(!!sa && /-compute@developer\.gserviceaccount\.com$/.test(String(email ?? '')), `service_account.email ${show(email)} is the default Compute Engine service account`,
        'set service_account.email to a dedicated least-privilege service account')
      .add(isTrue(r.config.can_ip_forward), 'can_ip_forward = true', 'set can_ip_forward = false')
      .outcome(sa ? `runs as ${show(email)}, no IP forwarding` : 'no service account attached, no IP forwarding');
  },
});

function hasKey(v: unknown): boolean {
  return isSet(block(v)?.kms_key_self_link);
}

export const gcpCmek: ComplianceRule = defineRule({
  id: RuleId.GCP_CE_CMEK,
  title: 'Disks encrypted with customer-managed keys',
  description:
    'Boot and attached disks set kms_key_self_link (instances: boot_disk / attached_disk; templates: '
    + 'disk.disk_encryption_key; google_compute_disk / region disk: disk_encryption_key). A disk attached by source '
    + 'from a disk resource of the stack is evaluated on that resource.',
  cloud: CloudProvider.GCP,
  minimumProfile: ComplianceProfile.SOC2,
  resourceTypes: [...INSTANCE_TYPES, 'google_compute_disk', 'google_compute_region_disk'],
  controls: { hipaa: ['164.312(a)(2)(iv)'], soc2: ['CC6.1'], cis: ['4.7'] },
  upstream: { checkov: ['CKV_GCP_37', 'CKV_GCP_38'] },
  check: (r, ctx) => {
    const fix = 'set kms_key_self_link to a Cloud KMS key (google_kms_crypto_key.id)';
    const p = new Problems();
    const stackDisk = (source: unknown) => ctx.stack.referencedResources(source, 'google_compute_disk').length > 0
      || ctx.stack.referencedResources(source, 'google_compute_region_disk').length > 0;
    if (r.type === 'google_compute_disk' || r.type === 'google_compute_region_disk') {
      p.add(!hasKey(r.config.disk_encryption_key), 'disk_encryption_key.kms_key_self_link is not set', fix);
    } else if (r.type === 'google_compute_instance') {
      const boot = block(r.config.boot_disk);
      p.add(!boot || (!isSet(boot.kms_key_self_link) && !stackDisk(boot.source)), 'boot_disk.kms_key_self_link is not set', fix);
      blocks(r.config.attached_disk).forEach((d, i) => p.add(!isSet(d.kms_key_self_link) && !stackDisk(d.source),
        `attached_disk[${i}].kms_key_self_link is not set`, fix));
    } else {
      blocks(r.config.disk).forEach((d, i) => p.add(!isSet(d.source) && !hasKey(d.disk_encryption_key),
        `disk[${i}].disk_encryption_key.kms_key_self_link is not set`, fix));
    }
    return p.outcome('customer-managed encryption keys on every disk');
  },
});

function portsOf(allow: Json): { all: boolean; ranges: ReturnType<typeof parsePortSpec>[] } {
  const ports = strings(allow.ports);
  if (ports.length === 0) return { all: true, ranges: [] };
  const ranges = ports.map(parsePortSpec);
  return { all: ranges.some((x) => !x || isAllPorts(x)), ranges };
}

export const gcpFirewallAdmin: ComplianceRule = defineRule({
  id: RuleId.GCP_NET_ADMIN,
  title: 'No SSH or RDP from the internet',
  description:
    'No enabled INGRESS google_compute_firewall allows 0.0.0.0/0 (or ::/0; an ingress rule without any source '
    + 'defaults to 0.0.0.0/0) to TCP/UDP 22 or 3389, or all protocols.',
  cloud: CloudProvider.GCP,
  minimumProfile: ComplianceProfile.BASELINE,
  resourceTypes: ['google_compute_firewall'],
  controls: { hipaa: ['164.312(a)(1)', '164.312(e)(1)'], soc2: ['CC6.6'] },
  upstream: { checkov: ['CKV_GCP_2', 'CKV_GCP_3'] },
  check: (r) => {
    const c = r.config;
    if ((str(c.direction) ?? 'INGRESS') !== 'INGRESS') return notApplicable('egress rule');
    if (isTrue(c.disabled)) return notApplicable('the rule is disabled');
    const ranges = strings(c.source_ranges);
    const defaultsToWorld = ranges.length === 0 && !isSet(c.source_tags) && !isSet(c.source_service_accounts);
    const world = defaultsToWorld || ranges.some(isWorld);
    if (!world) return pass('no internet source');
    const p = new Problems();
    blocks(c.allow).forEach((a, i) => {
      const proto = String(a.protocol ?? '').toLowerCase();
      const { all, ranges: portRanges } = portsOf(a);
      const hit = proto === 'all' || ((proto === 'tcp' || proto === 'udp' || proto === '6' || proto === '17')
        && (all || portRanges.some((pr) => ADMIN_PORTS.some((port) => covers(pr!, port)))));
      p.add(hit, `allow[${i}] (${proto} ${all ? 'all ports' : strings(a.ports).join(',')}) is open to ${defaultsToWorld ? 'the default source 0.0.0.0/0' : ranges.filter(isWorld).join(', ')}, exposing SSH/RDP`,
        'restrict source_ranges (e.g. to the IAP range 35.235.240.0/20) or remove ports 22/3389');
    });
    return p.outcome('no SSH/RDP from the internet');
  },
});

const NO_FLOW_LOG_PURPOSES = ['REGIONAL_MANAGED_PROXY', 'GLOBAL_MANAGED_PROXY', 'INTERNAL_HTTPS_LOAD_BALANCER', 'PRIVATE_SERVICE_CONNECT', 'PRIVATE_NAT'];

export const gcpFlowLogs: ComplianceRule = defineRule({
  id: RuleId.GCP_NET_FLOW,
  title: 'Subnet flow logs: full sampling, all metadata',
  description:
    'Every google_compute_subnetwork has log_config with flow_sampling = 1.0 and metadata = INCLUDE_ALL_METADATA '
    + '(the provider defaults are 0.5 and all metadata) and no filter. Proxy-only and Private Service Connect subnets '
    + 'cannot log flows and are not applicable.',
  cloud: CloudProvider.GCP,
  minimumProfile: ComplianceProfile.BASELINE,
  resourceTypes: ['google_compute_subnetwork'],
  controls: { hipaa: ['164.312(b)'], soc2: ['CC7.2'], cis: ['3.8'] },
  upstream: { checkov: ['CKV_GCP_26'] },
  check: (r) => {
    const purpose = str(r.config.purpose);
    if (purpose && NO_FLOW_LOG_PURPOSES.includes(purpose)) return notApplicable(`${purpose} subnets have no flow logs`);
    const lc = block(r.config.log_config);
    if (!lc) return fail('log_config is not set: no flow logs', 'add log_config { flow_sampling = 1.0, metadata = "INCLUDE_ALL_METADATA" }');
    const sampling = num(lc.flow_sampling) ?? 0.5;
    return new Problems()
      .add(sampling !== 1, `log_config.flow_sampling is ${sampling}`, 'set log_config.flow_sampling = 1.0')
      .add((str(lc.metadata) ?? 'INCLUDE_ALL_METADATA') !== 'INCLUDE_ALL_METADATA', `log_config.metadata is ${show(lc.metadata)}`,
        'set log_config.metadata = "INCLUDE_ALL_METADATA"')
      .add(isSet(lc.filter_expr) && lc.filter_expr !== 'true', `log_config.filter_expr ${show(lc.filter_expr)} drops flows`, 'remove log_config.filter_expr')
      .outcome('all flows sampled with all metadata');
  },
});

export const GCP_COMPUTE_RULES: ComplianceRule[] = [gcpPublicIp, gcpShieldedVm, gcpLogin, gcpServiceAccount, gcpCmek, gcpFirewallAdmin, gcpFlowLogs];
