/**
 * AWS checks with the aws CLI (v2), all read-only: identity, zones and instance-type offerings,
 * vCPU and Elastic IP quotas, the stack's Auto Scaling service-linked role name, and whether
 * Service Control Policies can apply.
 */
import { CliProblem, CliResult } from './cli-runner';
import {
  AWS_CLI, asArray, asNumber, asString, fail, field, isFatal, pass, plural, skipped, unknown, unknownFrom,
} from './checks';
import { AWS_EIP_QUOTA, AWS_VPC_QUOTA, AwsVcpuQuota, awsQuotaFix, awsVcpuQuota } from './aws-quotas';
import { PoolDemand, groupBy, planZones, poolDemands, vcpuBreakdown } from './demand';
import { CloudContext } from './context';
import { eksClusterQuotaCheck, eksServiceLinkedRoleCheck, eksVersionCheck } from './kubernetes';
import { PreflightCheck } from './types';
import { EgressMode } from '../../spec/types';

/** The Auto Scaling service-linked role the stack creates (lib/aws/autoscaling-role.ts, suffix = spec name). */
export const AWS_AUTOSCALING_SLR_PREFIX = 'AWSServiceRoleForAutoScaling_';

export function awsChecks(ctx: CloudContext): PreflightCheck[] {
  const { region, plan } = ctx;
  const aws = (args: string[]): CliResult => ctx.run('aws', [...args, '--region', region, '--output', 'json']);
  const checks: PreflightCheck[] = [];

  // Identity first: without it nothing else can answer.
  const who = aws(['sts', 'get-caller-identity']);
  const idTitle = 'AWS identity (the account being checked)';
  if (who.problem) {
    checks.push(unknownFrom('aws.identity', idTitle, who, AWS_CLI, 'sts:GetCallerIdentity (allowed to every principal)'));
    if (isFatal(who)) return [...checks, skipped('aws', who)];
  } else {
    checks.push(pass('aws.identity', idTitle, `account ${asString(field(who.json, 'Account'))} as ${asString(field(who.json, 'Arn'))}, region ${region}`));
  }

  const demands = withAwsVcpus(aws, poolDemands(plan));
  const zones = planZones(plan, region);
  checks.push(...awsOfferingChecks(aws, demands, zones, region, plan.network.availabilityZones !== undefined));
  checks.push(...awsQuotaChecks(aws, demands, region));
  checks.push(awsVpcCheck(aws, region));
  if (plan.network.natGateways > 0) checks.push(awsEipCheck(aws, plan.network.natGateways, region));
  checks.push(awsAutoScalingRoleCheck(aws, plan.name));
  if (plan.network.egress === EgressMode.FIREWALL) checks.push(awsFirewallRoleCheck(aws));
  if (plan.kubernetes) {
    checks.push(eksVersionCheck(aws, plan.kubernetes.version, region));
    checks.push(eksClusterQuotaCheck(aws, region));
    checks.push(eksServiceLinkedRoleCheck(aws));
  }
  checks.push(awsScpCheck(aws));
  return checks;
}

type Aws = (args: string[]) => CliResult;

/**
 * Fills in the vCPUs of instance types the catalog does not know (an allowed unknown instanceType)
 * from `aws ec2 describe-instance-types` (VCpuInfo.DefaultVCpus); left undefined when that cannot be read.
 */
export function withAwsVcpus(aws: Aws, demands: PoolDemand[]): PoolDemand[] {
  const unknownTypes = [...new Set(demands.filter((d) => d.vcpusPerNode === undefined).map((d) => d.instanceType))];
  if (unknownTypes.length === 0) return demands;
  const r = aws(['ec2', 'describe-instance-types', '--instance-types', ...unknownTypes]);
  if (r.problem) return demands;
  const vcpus = new Map(asArray(field(r.json, 'InstanceTypes')).map((t) => [asString(field(t, 'InstanceType')), asNumber(field(field(t, 'VCpuInfo'), 'DefaultVCpus'))]));
  return demands.map((d) => (d.vcpusPerNode === undefined && vcpus.get(d.instanceType) !== undefined ? { ...d, vcpusPerNode: vcpus.get(d.instanceType) } : d));
}

/** Zones exist in this account and each pool's type is offered in each zone the stack uses. */
export function awsOfferingChecks(aws: Aws, demands: readonly PoolDemand[], zones: readonly string[], region: string, pinned: boolean): PreflightCheck[] {
  const out: PreflightCheck[] = [];
  const zonesTitle = `availability zones ${zones.join(', ')} exist and are available`;
  const az = aws(['ec2', 'describe-availability-zones']);
  if (az.problem) {
    out.push(unknownFrom('aws.zones', zonesTitle, az, AWS_CLI, 'ec2:DescribeAvailabilityZones'));
  } else {
    const known = new Map(asArray(field(az.json, 'AvailabilityZones')).map((z) => [asString(field(z, 'ZoneName')), asString(field(z, 'State'))]));
    const missing = zones.filter((z) => !known.has(z));
    const down = zones.filter((z) => known.has(z) && known.get(z) !== 'available');
    const howPin = `pin network.availabilityZones to zones of ${region} this account has (\`aws ec2 describe-availability-zones --region ${region}\`)`;
    if (missing.length > 0 || down.length > 0) {
      out.push(fail('aws.zones', zonesTitle,
        [missing.length ? `not in this account: ${missing.join(', ')}${pinned ? '' : ' (derived as <region>a, b, c... because network.availabilityZones is not pinned)'}` : '',
          down.length ? `not available: ${down.join(', ')}` : ''].filter(Boolean).join('; '),
        `${howPin}, or lower network.zones`));
    } else {
      out.push(pass('aws.zones', zonesTitle, `all ${zones.length} exist and are available`));
    }
  }
  const types = [...new Set(demands.map((d) => d.instanceType))];
  if (types.length === 0) return out;
  const offers = aws(['ec2', 'describe-instance-type-offerings', '--location-type', 'availability-zone',
    '--filters', `Name=instance-type,Values=${types.join(',')}`]);
  for (const d of demands) {
    const id = `aws.offering.${d.pool}`;
    const title = `${d.instanceType} (pool ${d.pool}) is offered in ${zones.join(', ')}`;
    if (offers.problem) {
      out.push(unknownFrom(id, title, offers, AWS_CLI, 'ec2:DescribeInstanceTypeOfferings'));
      continue;
    }
    const where = new Set(asArray(field(offers.json, 'InstanceTypeOfferings'))
      .filter((o) => asString(field(o, 'InstanceType')) === d.instanceType).map((o) => asString(field(o, 'Location'))));
    const lacking = zones.filter((z) => !where.has(z));
    if (lacking.length === 0) {
      out.push(pass(id, title, `offered in all ${zones.length} zones`));
    } else {
      const sold = [...where].filter((z): z is string => z !== undefined).sort();
      out.push(fail(id, title, `not offered in ${lacking.join(', ')}${sold.length ? `; offered in ${sold.join(', ')}` : `; not offered anywhere in ${region}`}`,
        sold.length
          ? `pin network.availabilityZones to zones that offer it (${sold.join(', ')}), or choose another instance type`
          : `choose an instance type sold in ${region} (\`aws ec2 describe-instance-type-offerings --region ${region} --filters Name=instance-type,Values=${d.instanceType}\`) or another region`));
    }
  }
  return out;
}

/** Reads one quota value: the applied value, or the AWS default when the account never changed it. */
function quotaValue(aws: Aws, code: string, service = 'ec2'): { value?: number; r: CliResult } {
  let r = aws(['service-quotas', 'get-service-quota', '--service-code', service, '--quota-code', code]);
  if (r.problem === CliProblem.NOT_FOUND) r = aws(['service-quotas', 'get-aws-default-service-quota', '--service-code', service, '--quota-code', code]);
  return { value: asNumber(field(field(r.json, 'Quota'), 'Value')), r };
}

/** vCPU quota per family group (pools sharing a quota summed; spot pools against spot quotas) at max + warm nodes. */
export function awsQuotaChecks(aws: Aws, demands: readonly PoolDemand[], region: string): PreflightCheck[] {
  const out: PreflightCheck[] = [];
  const counted: { d: PoolDemand; q: AwsVcpuQuota; vcpus: number }[] = [];
  for (const d of demands) {
    const q = awsVcpuQuota(d.instanceType, d.spot);
    if (!q || d.vcpusPerNode === undefined) {
      out.push(unknown(`aws.quota.${d.pool}`, `vCPU quota for ${d.instanceType} (pool ${d.pool})`,
        !q ? `no vCPU quota code is known here for the family of ${d.instanceType}` : `neither the catalog nor \`aws ec2 describe-instance-types\` gave the vCPUs of ${d.instanceType}`,
        `find its quota with \`aws service-quotas list-service-quotas --service-code ec2 --region ${region}\` and check it covers ${d.nodes} nodes`));
      continue;
    }
    counted.push({ d, q, vcpus: d.vcpusPerNode });
  }
  for (const [code, group] of groupBy(counted, (c) => c.q.code)) {
    const q = group[0].q;
    const need = group.reduce((s, c) => s + c.d.nodes * c.vcpus, 0);
    const id = `aws.quota.${code}`;
    const title = `${q.name} (${code}) covers ${need} vCPUs at max nodes`;
    const { value, r } = quotaValue(aws, code);
    if (r.problem || value === undefined) {
      out.push(r.problem ? unknownFrom(id, title, r, AWS_CLI, 'servicequotas:GetServiceQuota and servicequotas:GetAWSDefaultServiceQuota')
        : unknown(id, title, `\`${r.command}\` returned no Quota.Value`, 'check the quota in the Service Quotas console'));
      continue;
    }
    const detail = `quota ${value} vCPUs; needed ${need} (${vcpuBreakdown(group.map((c) => c.d), (p) => group.find((c) => c.d === p)!.vcpus)}; max + warm nodes). ` +
      'Instances of the same group already running in the region use the same quota.';
    out.push(value >= need ? pass(id, title, detail) : fail(id, title, detail, awsQuotaFix(q, region, need)));
  }
  return out;
}

/** One Elastic IP per NAT gateway (quota minus the addresses already allocated). */
export function awsEipCheck(aws: Aws, natGateways: number, region: string): PreflightCheck {
  const id = 'aws.quota.eip';
  const title = `${AWS_EIP_QUOTA.name} (${AWS_EIP_QUOTA.code}) leave room for ${plural(natGateways, 'NAT gateway')}`;
  const { value, r } = quotaValue(aws, AWS_EIP_QUOTA.code);
  if (r.problem || value === undefined) return r.problem ? unknownFrom(id, title, r, AWS_CLI, 'servicequotas:GetServiceQuota') : unknown(id, title, 'no Quota.Value', 'check the quota in the Service Quotas console');
  const addrs = aws(['ec2', 'describe-addresses']);
  if (addrs.problem) return unknownFrom(id, title, addrs, AWS_CLI, 'ec2:DescribeAddresses');
  const used = asArray(field(addrs.json, 'Addresses')).length;
  const detail = `quota ${value}, ${used} allocated, ${natGateways} needed`;
  return value - used >= natGateways ? pass(id, title, detail) : fail(id, title, detail, `release unused Elastic IPs or ${awsQuotaFix(AWS_EIP_QUOTA, region, used + natGateways)}`);
}

/** The stack creates one VPC ("VPCs per Region", service code vpc, L-F678F1CE; default 5, the default VPC uses one). */
export function awsVpcCheck(aws: Aws, region: string): PreflightCheck {
  const id = 'aws.quota.vpc';
  const title = `VPCs per Region (${AWS_VPC_QUOTA.code}) leave room for the platform's VPC`;
  const { value, r } = quotaValue(aws, AWS_VPC_QUOTA.code, 'vpc');
  if (r.problem || value === undefined) return r.problem ? unknownFrom(id, title, r, AWS_CLI, 'servicequotas:GetServiceQuota') : unknown(id, title, 'no Quota.Value', 'check the quota in the Service Quotas console');
  const vpcs = aws(['ec2', 'describe-vpcs']);
  if (vpcs.problem) return unknownFrom(id, title, vpcs, AWS_CLI, 'ec2:DescribeVpcs');
  const used = asArray(field(vpcs.json, 'Vpcs')).length;
  const detail = `quota ${value}, ${used} in use, 1 needed`;
  return value - used >= 1 ? pass(id, title, detail)
    : fail(id, title, detail, `delete an unused VPC, or request "${AWS_VPC_QUOTA.name}" (${AWS_VPC_QUOTA.code}) of at least ${used + 1}: ` +
      `\`aws service-quotas request-service-quota-increase --service-code vpc --quota-code ${AWS_VPC_QUOTA.code} --desired-value ${used + 1} --region ${region}\``);
}

/** The stack creates AWSServiceRoleForAutoScaling_<name>; a leftover role of that name makes the first apply fail. */
export function awsAutoScalingRoleCheck(aws: Aws, name: string): PreflightCheck {
  const role = `${AWS_AUTOSCALING_SLR_PREFIX}${name}`;
  const id = 'aws.slr.autoscaling';
  const title = `service-linked role ${role} is free for the stack to create`;
  const r = aws(['iam', 'get-role', '--role-name', role]);
  if (r.problem === CliProblem.NOT_FOUND) return pass(id, title, `${role} does not exist yet; the stack creates it (needs iam:CreateServiceLinkedRole for autoscaling.amazonaws.com)`);
  if (r.problem) return unknownFrom(id, title, r, AWS_CLI, 'iam:GetRole');
  return fail(id, title, `${role} already exists (${asString(field(field(r.json, 'Role'), 'Arn'))})`,
    'if this state already manages it (a later run), ignore this; otherwise import it (`terraform import` the aws_iam_service_linked_role) or delete the leftover role, or rename the platform');
}

/** Network Firewall creates its service-linked role at first use; report whether the runner must be allowed to. */
export function awsFirewallRoleCheck(aws: Aws): PreflightCheck {
  const role = 'AWSServiceRoleForNetworkFirewall';
  const id = 'aws.slr.network-firewall';
  const title = `service-linked role ${role} exists or can be created`;
  const r = aws(['iam', 'get-role', '--role-name', role]);
  if (r.problem === CliProblem.NOT_FOUND) {
    return unknown(id, title, `${role} does not exist; AWS Network Firewall creates it with the first firewall, which needs iam:CreateServiceLinkedRole for network-firewall.amazonaws.com`,
      `make sure the runner may call iam:CreateServiceLinkedRole (condition iam:AWSServiceName = network-firewall.amazonaws.com), or create it now: \`aws iam create-service-linked-role --aws-service-name network-firewall.amazonaws.com\``);
  }
  if (r.problem) return unknownFrom(id, title, r, AWS_CLI, 'iam:GetRole');
  return pass(id, title, `${role} exists`);
}

/** SCPs apply only inside an organization, and a member account cannot read them. */
export function awsScpCheck(aws: Aws): PreflightCheck {
  const id = 'aws.scp';
  const title = 'Service Control Policies do not block the stack';
  const r = aws(['organizations', 'describe-organization']);
  if (r.problem && /AWSOrganizationsNotInUseException/.test(r.message)) return pass(id, title, 'the account is not in an AWS Organization: no SCPs apply');
  if (r.problem) return unknownFrom(id, title, r, AWS_CLI, 'organizations:DescribeOrganization');
  const org = field(r.json, 'Organization');
  return unknown(id, title, `the account belongs to organization ${asString(field(org, 'Id'))} (management account ${asString(field(org, 'MasterAccountId'))}); SCPs cannot be read from a member account`,
    'ask the organization administrators to confirm that no SCP denies, in this region: ec2:RunInstances for the pools\' instance types and spot, ' +
    'iam:CreateRole/CreateServiceLinkedRole/PassRole, kms:CreateKey/PutKeyPolicy, cloudtrail:CreateTrail, network-firewall:*, s3:CreateBucket, logs:CreateLogGroup ' +
    '(`aws organizations list-policies-for-target --filter SERVICE_CONTROL_POLICY --target-id <account>` from the management account)');
}
