/** AWS network rules: VPC flow logs and security groups. */
import { CloudProvider, ComplianceProfile } from '../../spec';
import { ADMIN_PORTS, ALL_PORTS, PortRange, awsProtocol, covers, isAllPorts, isWorld, rangeOf } from '../net';
import { ComplianceRule, RuleId, StackIndex, TerraformResource } from '../types';
import { Json, Problems, blocks, fail, isSet, notApplicable, pass, show, str, strings } from '../values';
import { defineRule } from './define';

/** One ingress or egress permission, normalized across the three ways to write one. */
interface SgPermission {
  /** Where it is written, for messages: "ingress[0]" or the rule resource itself. */
  readonly label: string;
  readonly sources: string[];
  readonly protocol: string;
  /** Undefined when the ports are not literal. */
  readonly range?: PortRange;
}

const SG_RULE_TYPES = ['aws_security_group', 'aws_security_group_rule'];

function permission(label: string, sources: string[], protocol: unknown, from: unknown, to: unknown): SgPermission {
  const proto = awsProtocol(protocol);
  return { label, sources, protocol: proto, range: proto === 'all' ? ALL_PORTS : rangeOf(from, to) };
}

/** The ingress (or egress) permissions a resource defines. */
function permissions(r: TerraformResource, direction: 'ingress' | 'egress'): SgPermission[] | undefined {
  const c = r.config;
  switch (r.type) {
    case 'aws_security_group':
      return blocks(c[direction]).map((b, i) => permission(`${direction}[${i}]`,
        [...strings(b.cidr_blocks), ...strings(b.ipv6_cidr_blocks)], b.protocol, b.from_port, b.to_port));
    case 'aws_security_group_rule':
      if (str(c.type) !== direction) return undefined;
      return [permission('this rule', [...strings(c.cidr_blocks), ...strings(c.ipv6_cidr_blocks)], c.protocol, c.from_port, c.to_port)];
    case `aws_vpc_security_group_${direction}_rule`:
      return [permission('this rule', [...strings(c.cidr_ipv4), ...strings(c.cidr_ipv6)], c.ip_protocol, c.from_port, c.to_port)];
    default:
      return undefined;
  }
}

function describe(p: SgPermission): string {
  const world = p.sources.filter(isWorld).join(', ');
  const ports = p.protocol === 'all' ? 'all traffic'
    : p.range ? `${p.protocol} ${p.range.from === p.range.to ? p.range.from : `${p.range.from}-${p.range.to}`}` : `${p.protocol} (ports not literal)`;
  return `${p.label} allows ${ports} from ${world}`;
}

/** The security group a resource belongs to: itself, or the group its security_group_id references. */
function groupsOf(r: TerraformResource, stack: StackIndex): TerraformResource[] {
  return r.type === 'aws_security_group' ? [r] : stack.referencedResources(r.config.security_group_id, 'aws_security_group');
}

const lbGroupCache = new WeakMap<StackIndex, Set<string>>();
function loadBalancerGroups(stack: StackIndex): Set<string> {
  let set = lbGroupCache.get(stack);
  if (!set) {
    set = new Set();
    for (const type of ['aws_lb', 'aws_alb', 'aws_elb']) {
      for (const lb of stack.resources(type)) {
        for (const sg of stack.referencedResources(lb.config.security_groups, 'aws_security_group')) set.add(sg.address);
      }
    }
    lbGroupCache.set(stack, set);
  }
  return set;
}

const hostGroupCache = new WeakMap<StackIndex, Set<string>>();
/** Security groups attached to instances or launch templates (the sandbox hosts). */
export function hostGroups(stack: StackIndex): Set<string> {
  let set = hostGroupCache.get(stack);
  if (!set) {
    set = new Set();
    const refs: unknown[] = [];
    for (const lt of stack.resources('aws_launch_template')) {
      refs.push(lt.config.vpc_security_group_ids, blocks(lt.config.network_interfaces).map((n) => n.security_groups));
    }
    for (const i of stack.resources('aws_instance')) refs.push(i.config.vpc_security_group_ids, i.config.security_groups);
    for (const sg of stack.referencedResources(refs, 'aws_security_group')) set.add(sg.address);
    hostGroupCache.set(stack, set);
  }
  return set;
}

export const awsVpcFlowLogs: ComplianceRule = defineRule({
  id: RuleId.AWS_VPC_FLOW,
  title: 'VPC flow logs capture all traffic',
  description: 'Every VPC created in the stack has an aws_flow_log whose vpc_id references it, with traffic_type = "ALL".',
  cloud: CloudProvider.AWS,
  minimumProfile: ComplianceProfile.BASELINE,
  resourceTypes: ['aws_vpc'],
  controls: { hipaa: ['164.312(b)'], soc2: ['CC7.2'], cis: ['3.7'] },
  upstream: { checkov: ['CKV2_AWS_11'], cdkNag: ['VPCFlowLogsEnabled'] },
  check: (vpc, ctx) => {
    const logs = ctx.stack.referrers('aws_flow_log', 'vpc_id', vpc);
    const all = logs.find((l) => str(l.config.traffic_type) === 'ALL');
    if (all) return pass(`flow log ${all.address} captures ALL traffic`);
    if (logs.length > 0) {
      return fail(`flow log ${logs.map((l) => `${l.address} (traffic_type ${show(l.config.traffic_type)})`).join(', ')} does not capture all traffic`,
        'set traffic_type = "ALL" on the VPC\'s flow log');
    }
    return fail('no aws_flow_log references this VPC', 'add an aws_flow_log with vpc_id = <this VPC>.id and traffic_type = "ALL"');
  },
});

export const awsSgAdmin: ComplianceRule = defineRule({
  id: RuleId.AWS_SG_ADMIN,
  title: 'No SSH or RDP from the internet',
  description: 'No security group ingress (inline, aws_security_group_rule or aws_vpc_security_group_ingress_rule) from 0.0.0.0/0 or ::/0 reaches port 22 or 3389.',
  cloud: CloudProvider.AWS,
  minimumProfile: ComplianceProfile.BASELINE,
  resourceTypes: [...SG_RULE_TYPES, 'aws_vpc_security_group_ingress_rule'],
  controls: { hipaa: ['164.312(a)(1)', '164.312(e)(1)'], soc2: ['CC6.6'], cis: ['5.3', '5.4'] },
  upstream: { checkov: ['CKV_AWS_24', 'CKV_AWS_25'], cdkNag: ['EC2RestrictedSSH'] },
  check: (r) => {
    const perms = permissions(r, 'ingress');
    if (!perms) return notApplicable('not an ingress rule');
    const p = new Problems();
    for (const perm of perms.filter((x) => x.sources.some(isWorld))) {
      const hits = perm.protocol === 'all' || ((perm.protocol === 'tcp' || perm.protocol === 'udp')
        && (!perm.range || ADMIN_PORTS.some((port) => covers(perm.range!, port))));
      p.add(hits, `${describe(perm)}, which exposes SSH (22) / RDP (3389) to the internet`,
        'remove the rule and reach hosts through SSM Session Manager, or restrict the source to a known CIDR');
    }
    return p.outcome('no SSH/RDP ingress from the internet');
  },
});

export const awsSgOpen: ComplianceRule = defineRule({
  id: RuleId.AWS_SG_OPEN,
  title: 'No ingress from the internet',
  description:
    'No security group ingress from 0.0.0.0/0 or ::/0 on any port. Exception: TCP 443 on a group attached to a load '
    + 'balancer (aws_lb / aws_alb / aws_elb) of the stack.',
  cloud: CloudProvider.AWS,
  minimumProfile: ComplianceProfile.BASELINE,
  resourceTypes: [...SG_RULE_TYPES, 'aws_vpc_security_group_ingress_rule'],
  controls: { hipaa: ['164.312(e)(1)'], soc2: ['CC6.6'] },
  upstream: { checkov: ['CKV_AWS_260', 'CKV_AWS_277'], cdkNag: ['AwsSolutions-EC23'] },
  check: (r, ctx) => {
    const perms = permissions(r, 'ingress');
    if (!perms) return notApplicable('not an ingress rule');
    const lbGroups = loadBalancerGroups(ctx.stack);
    const onLb = groupsOf(r, ctx.stack).some((g) => lbGroups.has(g.address));
    const p = new Problems();
    for (const perm of perms.filter((x) => x.sources.some(isWorld))) {
      const https = perm.protocol === 'tcp' && perm.range?.from === 443 && perm.range.to === 443;
      p.add(!(https && onLb), `${describe(perm)}`,
        'restrict the source to known CIDRs or security groups; only a load balancer may accept TCP 443 from the internet');
    }
    return p.outcome(onLb ? 'no internet ingress beyond HTTPS to a load balancer' : 'no ingress from the internet');
  },
});

export const awsSgEgress: ComplianceRule = defineRule({
  id: RuleId.AWS_SG_EGRESS,
  title: 'Sandbox hosts have no unrestricted egress',
  description:
    'Security groups of sandbox hosts (referenced by a launch template or instance) and egress rules attached to them '
    + 'allow no all-protocol and no all-port egress to 0.0.0.0/0 or ::/0; only the ports the egress mode needs (e.g. '
    + 'TCP 443/80 for NAT or firewall egress). Groups of other resources are not applicable.',
  cloud: CloudProvider.AWS,
  minimumProfile: ComplianceProfile.SOC2,
  resourceTypes: [...SG_RULE_TYPES, 'aws_vpc_security_group_egress_rule'],
  controls: { hipaa: ['164.312(e)(1)'], soc2: ['CC6.6'] },
  upstream: { checkov: ['CKV_AWS_382'] },
  check: (r, ctx) => {
    const hosts = hostGroups(ctx.stack);
    if (!groupsOf(r, ctx.stack).some((g) => hosts.has(g.address))) return notApplicable('not a security group of sandbox hosts');
    const perms = permissions(r, 'egress');
    if (!perms) return notApplicable('not an egress rule');
    const p = new Problems();
    for (const perm of perms.filter((x) => x.sources.some(isWorld))) {
      const open = perm.protocol === 'all' || !perm.range || isAllPorts(perm.range);
      p.add(open, `${describe(perm).replace(' from ', ' to ')}`,
        'allow only the ports the egress mode needs (TCP 443, 80 for NAT/firewall egress) or the VPC CIDR for egress mode none');
    }
    return p.outcome('egress limited to specific ports');
  },
});

export const awsSgDefault: ComplianceRule = defineRule({
  id: RuleId.AWS_SG_DEFAULT,
  title: 'Default security group closed',
  description:
    'Every VPC of the stack manages its default security group with an aws_default_security_group, and that group has '
    + 'no ingress and no egress rules (Terraform removes the rules AWS puts there).',
  cloud: CloudProvider.AWS,
  minimumProfile: ComplianceProfile.BASELINE,
  resourceTypes: ['aws_vpc', 'aws_default_security_group'],
  controls: { hipaa: ['164.312(e)(1)'], soc2: ['CC6.6'], cis: ['5.5'] },
  upstream: { checkov: ['CKV2_AWS_12'], cdkNag: ['VPCDefaultSecurityGroupClosed'] },
  check: (r, ctx) => {
    if (r.type === 'aws_vpc') {
      const dsg = ctx.stack.referrers('aws_default_security_group', 'vpc_id', r);
      return dsg.length > 0
        ? pass(`default group managed by ${dsg[0].address}`)
        : fail('the VPC\'s default security group keeps the rules AWS creates (all traffic within the group, all egress)',
          'add an aws_default_security_group with vpc_id = <this VPC>.id and no ingress or egress blocks');
    }
    const c: Json = r.config;
    return new Problems()
      .add(isSet(c.ingress), `the default group has ${blocks(c.ingress).length} ingress rule(s)`, 'remove every ingress and egress block')
      .add(isSet(c.egress), `the default group has ${blocks(c.egress).length} egress rule(s)`, 'remove every ingress and egress block')
      .outcome('no rules');
  },
});

export const AWS_NETWORK_RULES: ComplianceRule[] = [awsVpcFlowLogs, awsSgAdmin, awsSgOpen, awsSgEgress, awsSgDefault];
