/**
 * EC2 vCPU quotas by instance family (Service Quotas, service code "ec2"). Values are vCPUs.
 * Quota names: docs.aws.amazon.com/ec2/latest/instancetypes/ec2-instance-quotas.html (On-Demand
 * Instance quotas) and docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-spot-limits.html (Spot
 * Instance quotas: "All Standard (A, C, D, H, I, M, R, T, Z) Spot Instance Requests", "All G and VT",
 * "All P", "All X", "All F", "All Inf"). Quota codes as `aws service-quotas list-service-quotas
 * --service-code ec2` lists them (code -> name): L-1216C47A with its name and the Quota.Value
 * output shape is the AWS CLI user guide's example (docs.aws.amazon.com/cli/latest/userguide/
 * cli_service-quotas_code_examples.html, get-aws-default-service-quota); the other codes were checked
 * 2026-12 against several independent tools that query them (e.g. L-417A185B "Running On-Demand P
 * instances", L-7212CCBC "All P Spot Instance Requests"). Pure.
 */

export interface AwsVcpuQuota {
  /** Family group as the quota names it. */
  readonly group: string;
  readonly code: string;
  readonly name: string;
}

interface QuotaPair { readonly onDemand: AwsVcpuQuota; readonly spot: AwsVcpuQuota }

function pair(group: string, onDemand: string, onDemandName: string, spot: string, spotName: string): QuotaPair {
  return { onDemand: { group, code: onDemand, name: onDemandName }, spot: { group, code: spot, name: spotName } };
}

const STANDARD = pair('Standard', 'L-1216C47A', 'Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances',
  'L-34B43A08', 'All Standard (A, C, D, H, I, M, R, T, Z) Spot Instance Requests');
const G_VT = pair('G and VT', 'L-DB2E81BA', 'Running On-Demand G and VT instances', 'L-3819A6DF', 'All G and VT Spot Instance Requests');
const P = pair('P', 'L-417A185B', 'Running On-Demand P instances', 'L-7212CCBC', 'All P Spot Instance Requests');
const X = pair('X', 'L-7295265B', 'Running On-Demand X instances', 'L-E3A00192', 'All X Spot Instance Requests');
const F = pair('F', 'L-74FC7D96', 'Running On-Demand F instances', 'L-88CF9481', 'All F Spot Instance Requests');
const INF = pair('Inf', 'L-1945791B', 'Running On-Demand Inf instances', 'L-B5D1601B', 'All Inf Spot Instance Requests');

/** Family prefix (letters before the generation digit) -> quota pair. */
const BY_PREFIX: { readonly [prefix: string]: QuotaPair } = {
  a: STANDARD, c: STANDARD, d: STANDARD, h: STANDARD, i: STANDARD, m: STANDARD, r: STANDARD, t: STANDARD, z: STANDARD,
  g: G_VT, vt: G_VT, p: P, x: X, f: F, inf: INF,
};

/** The letters before the generation digit: "c7i.metal-24xl" -> "c", "g4dn.xlarge" -> "g", "inf2.xlarge" -> "inf". */
export function awsFamilyPrefix(instanceType: string): string | undefined {
  return /^([a-z]+)\d/.exec(instanceType)?.[1];
}

/** The vCPU quota an instance type counts against, or undefined for a family not listed here. */
export function awsVcpuQuota(instanceType: string, spot: boolean): AwsVcpuQuota | undefined {
  const prefix = awsFamilyPrefix(instanceType);
  const q = prefix === undefined ? undefined : BY_PREFIX[prefix];
  return q && (spot ? q.spot : q.onDemand);
}

/** EC2-VPC Elastic IPs per region (count, not vCPUs): one per NAT gateway. */
export const AWS_EIP_QUOTA: AwsVcpuQuota = { group: 'Elastic IPs', code: 'L-0263D0A3', name: 'EC2-VPC Elastic IPs' };

/** VPCs per Region (service code "vpc", not ec2; a count): the platform creates one. */
export const AWS_VPC_QUOTA: AwsVcpuQuota = { group: 'VPCs', code: 'L-F678F1CE', name: 'VPCs per Region' };

/** Where to request an increase: the console page and the CLI command. */
export function awsQuotaFix(q: AwsVcpuQuota, region: string, desired: number): string {
  return `request "${q.name}" (${q.code}) of at least ${desired} in ${region}: ` +
    `https://${region}.console.aws.amazon.com/servicequotas/home/services/ec2/quotas/${q.code} or ` +
    `\`aws service-quotas request-service-quota-increase --service-code ec2 --quota-code ${q.code} --desired-value ${desired} --region ${region}\``;
}
