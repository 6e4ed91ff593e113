/** Azure VM, scale-set and network rules. */
import { CloudProvider, ComplianceProfile } from '../../spec';
import { ADMIN_PORTS, covers, isWorld, parsePortSpec } from '../net';
import { ComplianceRule, RuleId, TerraformResource } from '../types';
import { Json, Problems, block, blocks, fail, isFalse, isSet, isTrue, notApplicable, num, pass, show, str, strings } from '../values';
import { defineRule } from './define';

const VM_TYPES = ['azurerm_linux_virtual_machine', 'azurerm_linux_virtual_machine_scale_set', 'azurerm_orchestrated_virtual_machine_scale_set'];
const SCALE_SET_TYPES = ['azurerm_linux_virtual_machine_scale_set', 'azurerm_orchestrated_virtual_machine_scale_set'];

/** The Linux login settings: top level, or os_profile.linux_configuration of an orchestrated scale set. */
function linuxLogin(r: TerraformResource): Json | undefined {
  if (r.type !== 'azurerm_orchestrated_virtual_machine_scale_set') return r.config;
  return block(block(r.config.os_profile)?.linux_configuration);
}

export const azVmSsh: ComplianceRule = defineRule({
  id: RuleId.AZ_VM_SSH,
  title: 'Linux VMs: SSH keys only',
  description: 'Linux VMs and scale sets keep disable_password_authentication (default true), set no admin_password and declare at least one admin_ssh_key.',
  cloud: CloudProvider.AZURE,
  minimumProfile: ComplianceProfile.BASELINE,
  resourceTypes: VM_TYPES,
  controls: { hipaa: ['164.312(d)', '164.312(a)(1)'], soc2: ['CC6.1'] },
  upstream: { checkov: ['CKV_AZURE_1', 'CKV_AZURE_149', 'CKV_AZURE_178'] },
  check: (r) => {
    const l = linuxLogin(r);
    if (!l) return notApplicable('no Linux OS profile (Windows or no os_profile)');
    return new Problems()
      .add(isFalse(l.disable_password_authentication), 'disable_password_authentication is false', 'set disable_password_authentication = true')
      .add(isSet(l.admin_password), 'admin_password is set', 'remove admin_password')
      .add(blocks(l.admin_ssh_key).length === 0, 'no admin_ssh_key is declared', 'add admin_ssh_key { username, public_key }')
      .outcome('password authentication disabled, SSH keys only');
  },
});

export const azVmHostEncryption: ComplianceRule = defineRule({
  id: RuleId.AZ_VM_HOSTENC,
  title: 'Encryption at host',
  description: 'Linux VMs and scale sets set encryption_at_host_enabled = true (temp disks and caches encrypted too).',
  cloud: CloudProvider.AZURE,
  minimumProfile: ComplianceProfile.SOC2,
  resourceTypes: VM_TYPES,
  controls: { hipaa: ['164.312(a)(2)(iv)'], soc2: ['CC6.1'] },
  upstream: { checkov: ['CKV_AZURE_97'] },
  check: (r) => (isTrue(r.config.encryption_at_host_enabled)
    ? pass('encryption at host enabled')
    : fail(`encryption_at_host_enabled is ${show(r.config.encryption_at_host_enabled)}`,
      'set encryption_at_host_enabled = true (register the EncryptionAtHost feature on the subscription once)')),
});

function desSet(disk: Json | undefined): boolean {
  return !!disk && (isSet(disk.disk_encryption_set_id) || isSet(disk.secure_vm_disk_encryption_set_id));
}

export const azVmCmk: ComplianceRule = defineRule({
  id: RuleId.AZ_VM_CMK,
  title: 'Disks encrypted with customer-managed keys',
  description: 'OS and data disks of Linux VMs and scale sets, and every azurerm_managed_disk, set disk_encryption_set_id (a disk encryption set holding a customer-managed key).',
  cloud: CloudProvider.AZURE,
  minimumProfile: ComplianceProfile.SOC2,
  resourceTypes: [...VM_TYPES, 'azurerm_managed_disk'],
  controls: { hipaa: ['164.312(a)(2)(iv)'], soc2: ['CC6.1'] },
  upstream: { checkov: ['CKV_AZURE_2', 'CKV_AZURE_93'] },
  check: (r) => {
    const fix = 'set disk_encryption_set_id to an azurerm_disk_encryption_set backed by a Key Vault key';
    const p = new Problems();
    if (r.type === 'azurerm_managed_disk') {
      p.add(!desSet(r.config), 'disk_encryption_set_id is not set', fix);
    } else {
      p.add(!desSet(block(r.config.os_disk)), 'os_disk.disk_encryption_set_id is not set', fix);
      blocks(r.config.data_disk).forEach((d, i) => p.add(!desSet(d), `data_disk[${i}].disk_encryption_set_id is not set`, fix));
    }
    return p.outcome('customer-managed keys on every disk');
  },
});

function forwarding(c: Json): boolean {
  return isTrue(c.ip_forwarding_enabled) || isTrue(c.enable_ip_forwarding);
}

export const azVmPublicIp: ComplianceRule = defineRule({
  id: RuleId.AZ_VM_PUBIP,
  title: 'No public IPs on NICs; IP forwarding off',
  description: 'Network interfaces set no public_ip_address_id and scale-set ip_configurations no public_ip_address; IP forwarding stays off.',
  cloud: CloudProvider.AZURE,
  minimumProfile: ComplianceProfile.BASELINE,
  resourceTypes: ['azurerm_network_interface', ...SCALE_SET_TYPES],
  controls: { hipaa: ['164.312(e)(1)'], soc2: ['CC6.6'] },
  upstream: { checkov: ['CKV_AZURE_118', 'CKV_AZURE_119'] },
  check: (r) => {
    const p = new Problems();
    if (r.type === 'azurerm_network_interface') {
      blocks(r.config.ip_configuration).forEach((ip, i) => p.add(isSet(ip.public_ip_address_id),
        `ip_configuration[${i}].public_ip_address_id attaches a public IP`, `remove ip_configuration[${i}].public_ip_address_id`));
      p.add(forwarding(r.config), 'IP forwarding is enabled', 'set ip_forwarding_enabled = false');
    } else {
      blocks(r.config.network_interface).forEach((n, i) => {
        blocks(n.ip_configuration).forEach((ip, j) => p.add(isSet(ip.public_ip_address),
          `network_interface[${i}].ip_configuration[${j}].public_ip_address gives every instance a public IP`,
          `remove network_interface[${i}].ip_configuration[${j}].public_ip_address`));
        p.add(forwarding(n), `network_interface[${i}] enables IP forwarding`, 'set ip_forwarding_enabled = false');
      });
    }
    return p.outcome('no public IP, no IP forwarding');
  },
});

/** One NSG rule, inline or standalone, in snake_case. */
function nsgRules(r: TerraformResource): { label: string; rule: Json }[] {
  if (r.type === 'azurerm_network_security_rule') return [{ label: 'this rule', rule: r.config }];
  return blocks(r.config.security_rule).map((rule, i) => ({ label: `security_rule[${i}] (${String(rule.name ?? '?')})`, rule }));
}

export const azNsgAdmin: ComplianceRule = defineRule({
  id: RuleId.AZ_NSG_ADMIN,
  title: 'No SSH, RDP or UDP from the internet',
  description:
    'No inbound Allow NSG rule (standalone or inline) from Internet, *, 0.0.0.0/0 or ::/0 reaches TCP 22 or 3389, and '
    + 'none allows UDP (or any protocol) from the internet.',
  cloud: CloudProvider.AZURE,
  minimumProfile: ComplianceProfile.BASELINE,
  resourceTypes: ['azurerm_network_security_rule', 'azurerm_network_security_group'],
  controls: { hipaa: ['164.312(a)(1)', '164.312(e)(1)'], soc2: ['CC6.6'], cis: ['7.1', '7.2', '7.3'] },
  upstream: { checkov: ['CKV_AZURE_9', 'CKV_AZURE_10', 'CKV_AZURE_77'] },
  check: (r) => {
    const p = new Problems();
    for (const { label, rule } of nsgRules(r)) {
      if (str(rule.direction) !== 'Inbound' || str(rule.access) !== 'Allow') continue;
      const sources = [...strings(rule.source_address_prefix), ...strings(rule.source_address_prefixes)];
      if (!sources.some(isWorld)) continue;
      const proto = String(rule.protocol ?? '').toLowerCase();
      const ports = [...strings(rule.destination_port_range), ...strings(rule.destination_port_ranges)].map(parsePortSpec);
      const admin = (proto === 'tcp' || proto === '*') && ports.some((pr) => !pr || ADMIN_PORTS.some((port) => covers(pr, port)));
      const udp = proto === 'udp' || proto === '*';
      p.add(admin, `${label} allows ${show(rule.destination_port_range ?? rule.destination_port_ranges)} (${proto}) from ${sources.join(', ')}, exposing SSH/RDP`,
        'restrict source_address_prefix to known ranges or use Azure Bastion');
      p.add(udp, `${label} allows ${proto === '*' ? 'any protocol (including UDP)' : 'UDP'} from ${sources.join(', ')}`,
        'allow only specific TCP ports from known sources');
    }
    return p.outcome('no SSH/RDP/UDP from the internet');
  },
});

/** Subnets Azure manages itself; NSGs are unsupported or not required there. */
const SPECIAL_SUBNETS = ['GatewaySubnet', 'AzureFirewallSubnet', 'AzureFirewallManagementSubnet', 'AzureBastionSubnet', 'RouteServerSubnet'];

export const azNsgSubnet: ComplianceRule = defineRule({
  id: RuleId.AZ_NSG_SUBNET,
  title: 'Subnets have a network security group',
  description:
    'Every azurerm_subnet has an azurerm_subnet_network_security_group_association whose subnet_id references it, and '
    + 'every inline subnet of an azurerm_virtual_network sets security_group. Gateway, firewall, Bastion and Route '
    + 'Server subnets are not applicable.',
  cloud: CloudProvider.AZURE,
  minimumProfile: ComplianceProfile.BASELINE,
  resourceTypes: ['azurerm_subnet', 'azurerm_virtual_network'],
  controls: { hipaa: ['164.312(e)(1)'], soc2: ['CC6.6'] },
  upstream: { checkov: ['CKV2_AZURE_31'] },
  check: (r, ctx) => {
    if (r.type === 'azurerm_virtual_network') {
      const inline = blocks(r.config.subnet).filter((s) => !SPECIAL_SUBNETS.includes(String(s.name)));
      if (inline.length === 0) return notApplicable('no inline subnets (azurerm_subnet resources are evaluated on their own)');
      const p = new Problems();
      for (const s of inline) p.add(!isSet(s.security_group), `inline subnet ${show(s.name)} has no security_group`, 'set security_group on every inline subnet');
      return p.outcome('every inline subnet has a network security group');
    }
    if (SPECIAL_SUBNETS.includes(String(r.config.name))) return notApplicable(`${String(r.config.name)} is managed by Azure`);
    const assoc = ctx.stack.referrers('azurerm_subnet_network_security_group_association', 'subnet_id', r);
    return assoc.length > 0
      ? pass(`associated through ${assoc[0].address}`)
      : fail('no azurerm_subnet_network_security_group_association references this subnet',
        'add an azurerm_subnet_network_security_group_association with subnet_id = <this subnet>.id');
  },
});

export const azFlowLogs: ComplianceRule = defineRule({
  id: RuleId.AZ_NET_FLOW,
  title: 'VNet flow logs, retained >= 90 days',
  description:
    'Every azurerm_virtual_network is the target_resource_id of an azurerm_network_watcher_flow_log; every flow log is '
    + 'enabled, targets a VNet (NSG flow logs are retired for new deployments) and keeps retention_policy enabled '
    + 'with days >= 90 (0 = forever).',
  cloud: CloudProvider.AZURE,
  minimumProfile: ComplianceProfile.BASELINE,
  resourceTypes: ['azurerm_virtual_network', 'azurerm_network_watcher_flow_log'],
  controls: { hipaa: ['164.312(b)'], soc2: ['CC7.2'], cis: ['7.5'] },
  upstream: { checkov: ['CKV_AZURE_12'] },
  check: (r, ctx) => {
    if (r.type === 'azurerm_virtual_network') {
      const logs = ctx.stack.referrers('azurerm_network_watcher_flow_log', 'target_resource_id', r);
      return logs.length > 0
        ? pass(`flow log ${logs[0].address}`)
        : fail('no azurerm_network_watcher_flow_log targets this VNet',
          'add an azurerm_network_watcher_flow_log with target_resource_id = <this VNet>.id');
    }
    const c = r.config;
    const rp = block(c.retention_policy);
    const days = num(rp?.days);
    return new Problems()
      .add(!isTrue(c.enabled), `enabled is ${show(c.enabled)}`, 'set enabled = true')
      .add(!isSet(c.target_resource_id) && isSet(c.network_security_group_id), 'targets a network security group: NSG flow logs are retired for new deployments',
        'set target_resource_id to the virtual network instead of network_security_group_id')
      .add(!rp || !isTrue(rp.enabled) || (days !== 0 && (days ?? 0) < 90), `retention_policy is ${show(rp)}`,
        'set retention_policy { enabled = true, days = 90 } (or more)')
      .outcome(`enabled, VNet target, retention ${days === 0 ? 'forever' : `${days} days`}`);
  },
});

export const AZURE_COMPUTE_RULES: ComplianceRule[] = [azVmSsh, azVmHostEncryption, azVmCmk, azVmPublicIp, azNsgAdmin, azNsgSubnet, azFlowLogs];
