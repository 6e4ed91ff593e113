/** AWS EC2 rules: instance metadata, disk encryption, public IPs, instance profile, monitoring. */
import { CloudProvider, ComplianceProfile } from '../../spec';
import { ComplianceRule, RuleContext, RuleId, StackIndex, TerraformResource } from '../types';
import {
  Json, Problems, block, blocks, fail, isAwsManagedKeyAlias, isFalse, isSet, isTrue, notApplicable, num, pass, show, str,
} from '../values';
import { cmkRequired, defineRule } from './define';

const INSTANCE_TYPES = ['aws_instance', 'aws_launch_template'];

/** An aws_instance launched from a launch template inherits what it does not set from the template. */
function templateOf(r: TerraformResource): string | undefined {
  if (r.type !== 'aws_instance') return undefined;
  const lt = block(r.config.launch_template);
  return lt ? String(lt.id ?? lt.name ?? 'a launch template') : undefined;
}

export const awsEc2Imds: ComplianceRule = defineRule({
  id: RuleId.AWS_EC2_IMDS,
  title: 'IMDSv2 required with hop limit 1',
  description:
    'Instances and launch templates set metadata_options.http_tokens = "required" and http_put_response_hop_limit = 1 '
    + '(or disable the endpoint), so a sandbox behind the host\'s NAT can never reach the instance credentials.',
  cloud: CloudProvider.AWS,
  minimumProfile: ComplianceProfile.BASELINE,
  resourceTypes: INSTANCE_TYPES,
  controls: { hipaa: ['164.312(a)(1)'], soc2: ['CC6.1'] },
  upstream: { checkov: ['CKV_AWS_79', 'CKV_AWS_341'], cdkNag: ['EC2IMDSv2Enabled'] },
  check: (r) => {
    const mo = block(r.config.metadata_options);
    if (!mo) {
      const lt = templateOf(r);
      if (lt) return notApplicable(`metadata options come from launch template ${lt}, evaluated on its own`);
      return fail('metadata_options is not set, so IMDSv1 stays reachable and the hop limit follows the AMI',
        'add metadata_options { http_tokens = "required", http_put_response_hop_limit = 1 }');
    }
    if (str(mo.http_endpoint) === 'disabled') return pass('the instance metadata endpoint is disabled');
    return new Problems()
      .add(mo.http_tokens !== 'required', `metadata_options.http_tokens is ${show(mo.http_tokens)}, which allows IMDSv1`,
        'set metadata_options.http_tokens = "required"')
      .add(num(mo.http_put_response_hop_limit) !== 1,
        `metadata_options.http_put_response_hop_limit is ${show(mo.http_put_response_hop_limit)}, so workloads one hop away (sandboxes, containers) can reach instance credentials`,
        'set metadata_options.http_put_response_hop_limit = 1')
      .outcome('IMDSv2 required, hop limit 1');
  },
});

/** Account-wide EBS encryption by default (and its default key) declared in the stack. */
function ebsDefaults(stack: StackIndex): { encrypted: boolean; cmk: boolean } {
  const encrypted = stack.resources('aws_ebs_encryption_by_default').some((r) => !isFalse(r.config.enabled));
  const cmk = stack.resources('aws_ebs_default_kms_key').some((r) => isSet(r.config.key_arn) && !isAwsManagedKeyAlias(r.config.key_arn));
  return { encrypted, cmk: encrypted && cmk };
}

function checkVolume(p: Problems, label: string, v: Json, needCmk: boolean): void {
  p.add(!isTrue(v.encrypted), `${label}.encrypted is ${show(v.encrypted)}`, `set ${label}.encrypted = true`);
  const kms = v.kms_key_id;
  p.add(needCmk && (!isSet(kms) || isAwsManagedKeyAlias(kms)),
    `${label}.kms_key_id is ${show(kms)}: the profile requires a customer-managed KMS key`,
    `set ${label}.kms_key_id to a customer-managed KMS key ARN`);
}

export const awsEc2Ebs: ComplianceRule = defineRule({
  id: RuleId.AWS_EC2_EBS,
  title: 'EBS volumes encrypted (customer-managed key under soc2/hipaa)',
  description:
    'Every EBS volume (aws_ebs_volume, aws_instance root and ebs blocks, aws_launch_template block_device_mappings) is '
    + 'encrypted; under soc2 and hipaa with a customer-managed KMS key (kms_key_id, not alias/aws/ebs). A volume that '
    + 'declares nothing passes only when the stack enables account-wide EBS encryption by default (with a CMK default '
    + 'key under soc2/hipaa).',
  cloud: CloudProvider.AWS,
  minimumProfile: ComplianceProfile.BASELINE,
  resourceTypes: ['aws_ebs_volume', 'aws_instance', 'aws_launch_template'],
  controls: { hipaa: ['164.312(a)(2)(iv)'], soc2: ['CC6.1'], cis: ['5.1.1'] },
  upstream: { checkov: ['CKV_AWS_3', 'CKV_AWS_8', 'CKV_AWS_189'] },
  check: (r, ctx: RuleContext) => {
    const needCmk = cmkRequired(ctx.profile);
    const okMessage = needCmk ? 'encrypted with a customer-managed KMS key' : 'encrypted';
    const defaults = ebsDefaults(ctx.stack);
    const defaultsCover = defaults.encrypted && (!needCmk || defaults.cmk);
    const p = new Problems();
    if (r.type === 'aws_ebs_volume') {
      checkVolume(p, 'volume', { encrypted: r.config.encrypted, kms_key_id: r.config.kms_key_id }, needCmk);
      return p.outcome(okMessage);
    }
    if (r.type === 'aws_launch_template') {
      const ebs = blocks(r.config.block_device_mappings).filter((m) => block(m.ebs));
      if (ebs.length === 0) {
        if (defaultsCover) return pass('no block device mappings; the stack enables EBS encryption by default');
        return fail('block_device_mappings declares no ebs volume, so the root volume\'s encryption follows the AMI snapshot',
          'declare the root device in block_device_mappings with ebs { encrypted = true, kms_key_id = <CMK ARN> }');
      }
      ebs.forEach((m, i) => checkVolume(p, `block_device_mappings[${i}] (${String(m.device_name ?? '?')}).ebs`, block(m.ebs)!, needCmk));
      return p.outcome(okMessage);
    }
    const root = block(r.config.root_block_device);
    if (root) checkVolume(p, 'root_block_device', root, needCmk);
    else if (!templateOf(r) && !defaultsCover) {
      p.add(true, 'root_block_device is not set, so the root volume\'s encryption follows the AMI snapshot',
        'add root_block_device { encrypted = true, kms_key_id = <CMK ARN> }');
    }
    blocks(r.config.ebs_block_device).forEach((b, i) => checkVolume(p, `ebs_block_device[${i}]`, b, needCmk));
    return p.outcome(okMessage);
  },
});

/** Subnets that host compute: referenced by instances, launch templates, Auto Scaling groups, EKS node groups. */
const nodeSubnetCache = new WeakMap<StackIndex, Set<string>>();
export function nodeSubnets(stack: StackIndex): Set<string> {
  let set = nodeSubnetCache.get(stack);
  if (set) return set;
  set = new Set<string>();
  const users: [string, (c: Json) => unknown][] = [
    ['aws_autoscaling_group', (c) => c.vpc_zone_identifier],
    ['aws_instance', (c) => c.subnet_id],
    ['aws_launch_template', (c) => blocks(c.network_interfaces).map((n) => n.subnet_id)],
    ['aws_eks_node_group', (c) => c.subnet_ids],
  ];
  for (const [type, attr] of users) {
    for (const r of stack.resources(type)) {
      for (const s of stack.referencedResources(attr(r.config), 'aws_subnet')) set.add(s.address);
    }
  }
  nodeSubnetCache.set(stack, set);
  return set;
}

export const awsEc2PublicIp: ComplianceRule = defineRule({
  id: RuleId.AWS_EC2_PUBIP,
  title: 'No public IPs on nodes',
  description:
    'Instances and launch-template network interfaces do not set associate_public_ip_address = true, and subnets that host '
    + 'nodes (referenced by an instance, launch template, Auto Scaling group or EKS node group of the stack) keep '
    + 'map_public_ip_on_launch = false. Subnets without nodes (NAT, firewall, load balancers) are not applicable.',
  cloud: CloudProvider.AWS,
  minimumProfile: ComplianceProfile.BASELINE,
  resourceTypes: ['aws_instance', 'aws_launch_template', 'aws_subnet'],
  controls: { hipaa: ['164.312(e)(1)'], soc2: ['CC6.6'] },
  upstream: { checkov: ['CKV_AWS_88', 'CKV_AWS_130'], cdkNag: ['EC2InstanceNoPublicIp'] },
  check: (r, ctx) => {
    if (r.type === 'aws_subnet') {
      if (!nodeSubnets(ctx.stack).has(r.address)) return notApplicable('hosts no instances, Auto Scaling groups or node groups of this stack');
      return isTrue(r.config.map_public_ip_on_launch)
        ? fail('this subnet hosts nodes and sets map_public_ip_on_launch = true, so every node gets a public IP',
          'set map_public_ip_on_launch = false (nodes reach the internet through NAT)')
        : pass('hosts nodes without mapping public IPs');
    }
    const p = new Problems();
    if (r.type === 'aws_instance') {
      p.add(isTrue(r.config.associate_public_ip_address), 'associate_public_ip_address = true gives the instance a public IP',
        'remove associate_public_ip_address (or set false) and reach the instance through SSM');
    } else {
      blocks(r.config.network_interfaces).forEach((n, i) => p.add(isTrue(n.associate_public_ip_address),
        `network_interfaces[${i}].associate_public_ip_address = true gives every node a public IP`,
        `set network_interfaces[${i}].associate_public_ip_address = false`));
    }
    return p.outcome('no public IP associated');
  },
});

export const awsEc2Profile: ComplianceRule = defineRule({
  id: RuleId.AWS_EC2_PROFILE,
  title: 'IAM instance profile attached',
  description: 'Instances and launch templates attach an IAM instance profile, so nodes use short-lived role credentials, never stored keys.',
  cloud: CloudProvider.AWS,
  minimumProfile: ComplianceProfile.BASELINE,
  resourceTypes: INSTANCE_TYPES,
  controls: { hipaa: ['164.312(a)(1)'], soc2: ['CC6.1', 'CC6.3'] },
  upstream: { checkov: ['CKV2_AWS_41'], cdkNag: ['EC2InstanceProfileAttached'] },
  check: (r) => {
    if (r.type === 'aws_instance') {
      if (isSet(r.config.iam_instance_profile)) return pass('instance profile attached');
      const lt = templateOf(r);
      if (lt) return notApplicable(`the instance profile comes from launch template ${lt}, evaluated on its own`);
      return fail('iam_instance_profile is not set', 'set iam_instance_profile to a least-privilege instance profile');
    }
    const ip = block(r.config.iam_instance_profile);
    return ip && (isSet(ip.arn) || isSet(ip.name))
      ? pass('instance profile attached')
      : fail('iam_instance_profile is not set', 'add iam_instance_profile { arn = <instance profile ARN> }');
  },
});

export const awsEc2Monitoring: ComplianceRule = defineRule({
  id: RuleId.AWS_EC2_MON,
  title: 'Detailed monitoring enabled',
  description: 'Instances and launch templates enable detailed (1-minute) CloudWatch monitoring. Enforced under hipaa; advisory under baseline and soc2.',
  cloud: CloudProvider.AWS,
  minimumProfile: ComplianceProfile.HIPAA,
  advisoryProfiles: [ComplianceProfile.BASELINE, ComplianceProfile.SOC2],
  resourceTypes: INSTANCE_TYPES,
  controls: { hipaa: ['164.312(b)', '164.308(a)(1)(ii)(D)'], soc2: ['CC7.2'] },
  upstream: { checkov: ['CKV_AWS_126'], cdkNag: ['EC2InstanceDetailedMonitoringEnabled'] },
  check: (r) => {
    if (r.type === 'aws_instance') {
      if (isTrue(r.config.monitoring)) return pass('detailed monitoring enabled');
      const lt = templateOf(r);
      if (lt && r.config.monitoring === undefined) return notApplicable(`monitoring comes from launch template ${lt}, evaluated on its own`);
      return fail(`monitoring is ${show(r.config.monitoring)}`, 'set monitoring = true');
    }
    const m = block(r.config.monitoring);
    return m && isTrue(m.enabled)
      ? pass('detailed monitoring enabled')
      : fail(`monitoring.enabled is ${show(m?.enabled)}`, 'add monitoring { enabled = true }');
  },
});

export const AWS_COMPUTE_RULES: ComplianceRule[] = [awsEc2Imds, awsEc2Ebs, awsEc2PublicIp, awsEc2Profile, awsEc2Monitoring];
