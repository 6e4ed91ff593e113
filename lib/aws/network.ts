import { DataAwsAvailabilityZones } from '@cdktf/provider-aws/lib/data-aws-availability-zones';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { EgressMode, ResolvedNetwork } from '../spec';
import { AwsAccountContext } from './context';
import { AwsEgressFirewall } from './egress-firewall';
import { encryptedLogGroup } from './log-group';
import { policyDocument, serviceTrust } from './policy';

/**
 * Interface endpoints a node needs when it has no internet egress: SSM Session Manager
 * (ssm, ssmmessages, ec2messages), CloudWatch Logs and metrics, KMS, STS, ECR (api, dkr), and
 * Auto Scaling (the bootstrap marks a node without /dev/kvm unhealthy).
 * Source: docs.aws.amazon.com/systems-manager/latest/userguide/setup-create-vpc.html,
 * docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html.
 */
export const PRIVATE_ENDPOINT_SERVICES = ['ssm', 'ssmmessages', 'ec2messages', 'logs', 'monitoring', 'kms', 'sts', 'ecr.api', 'ecr.dkr', 'autoscaling'];

export interface AwsSandboxNetworkProps {
  /** Platform name, prefix of resource names. */
  readonly name: string;
  /** The resolved network (resolvePlatform(...).network). */
  readonly network: ResolvedNetwork;
  readonly context: AwsAccountContext;
  /** CMK for the flow-log group and the firewall. */
  readonly kmsKeyArn: string;
  /** Flow-log retention in days (the profile's floor or more). */
  readonly logRetentionDays: number;
  /** prevent_destroy on the flow-log group. Default false. */
  readonly preventDestroy?: boolean;
}

/**
 * VPC over `zones` AZs: private node subnets (no public IPs), public subnets only for NAT
 * gateways, optional AWS Network Firewall in the egress path, a gateway endpoint for S3 (always:
 * free, and keeps artifact traffic off NAT), interface endpoints when there is no egress, VPC
 * flow logs of ALL traffic to an encrypted log group, and the default security group closed.
 */
export class AwsSandboxNetwork extends Construct {
  public readonly vpc: Vpc;
  public readonly vpcId: string;
  public readonly vpcCidr: string;
  public readonly privateSubnets: Subnet[] = [];
  public readonly publicSubnets: Subnet[] = [];
  public readonly privateRouteTables: RouteTable[] = [];
  public readonly natGateways: NatGateway[] = [];
  public readonly firewall?: AwsEgressFirewall;
  public readonly flowLog: FlowLog;

  constructor(scope: Construct, id: string, props: AwsSandboxNetworkProps) {
    super(scope, id);
    const { name, network: net } = props;
    // Pinned zones are used as given; otherwise the first available ones, by index (which can
    // shift when AWS adds or retires a zone: pin them in production).
    const pinned = net.availabilityZones;
    const azs = pinned ? undefined : new DataAwsAvailabilityZones(this, 'azs', {
      state: 'available',
      // Local Zones and Wavelength zones are opt-in; never place nodes there implicitly.
      filter: [{ name: 'opt-in-status', values: ['opt-in-not-required'] }],
    });
    const az = (i: number) => (pinned ? pinned[i] : Fn.element(azs!.names, i));

    this.vpc = new Vpc(this, 'vpc', {
      cidrBlock: net.cidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: `${name}-vpc` },
    });
    this.vpcId = this.vpc.id;
    this.vpcCidr = net.cidr;

    // Adopting the default group removes all its rules (CIS AWS 5.5).
    new DefaultSecurityGroup(this, 'default-sg', { vpcId: this.vpc.id, ingress: [], egress: [], tags: { Name: `${name}-default-closed` } });

    for (let i = 0; i < net.zones; i++) {
      this.privateSubnets.push(new Subnet(this, `private-${i}`, {
        vpcId: this.vpc.id, cidrBlock: net.subnets.private[i], availabilityZone: az(i), mapPublicIpOnLaunch: false,
        tags: { Name: `${name}-nodes-${i}`, 'sandbox-subnet': 'nodes' },
      }));
      const rt = new RouteTable(this, `private-rt-${i}`, { vpcId: this.vpc.id, tags: { Name: `${name}-nodes-${i}` } });
      new RouteTableAssociation(this, `private-rta-${i}`, { subnetId: this.privateSubnets[i].id, routeTableId: rt.id });
      this.privateRouteTables.push(rt);
    }

    if (net.egress !== EgressMode.NONE) this.buildEgress(props);

    // With controlled egress, S3 would otherwise be a way around it: the gateway endpoint's
    // prefix-list route beats 0.0.0.0/0, so its policy limits S3 to this account's buckets and
    // the AWS-owned buckets nodes need. Under NAT, S3 stays open like the rest of the internet.
    const controlled = net.egress !== EgressMode.NAT;
    new VpcEndpoint(this, 'ep-s3', {
      vpcId: this.vpc.id,
      serviceName: `com.amazonaws.${props.context.region}.s3`,
      vpcEndpointType: 'Gateway',
      routeTableIds: this.privateRouteTables.map((rt) => rt.id),
      policy: controlled ? s3EndpointPolicy(props.context) : undefined,
      tags: { Name: `${name}-s3` },
    });
    // Nodes reach AWS APIs (SSM, logs, Auto Scaling, ...) privately whenever egress is
    // controlled: the firewall's allow-list holds the user's domains, not AWS endpoints.
    if (controlled) this.buildInterfaceEndpoints(props);

    const logGroup = encryptedLogGroup(this, 'flow-log-group', {
      name: `/sandbox/${name}/vpc-flow-logs`, retentionDays: props.logRetentionDays, kmsKeyArn: props.kmsKeyArn,
      preventDestroy: props.preventDestroy,
    });
    // docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html
    const role = new IamRole(this, 'flow-log-role', {
      name: `${name}-vpc-flow-logs`,
      assumeRolePolicy: serviceTrust('vpc-flow-logs.amazonaws.com', {
        StringEquals: { 'aws:SourceAccount': props.context.accountId },
        ArnLike: { 'aws:SourceArn': props.context.arn('ec2', 'vpc-flow-log/*') },
      }),
    });
    new IamRolePolicy(this, 'flow-log-policy', {
      role: role.id,
      name: 'write-flow-logs',
      policy: policyDocument([
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          Resource: [logGroup.arn, `${logGroup.arn}:*`],
        },
        { Effect: 'Allow', Action: 'logs:DescribeLogGroups', Resource: '*' },
      ]),
    });
    this.flowLog = new FlowLog(this, 'flow-log', {
      vpcId: this.vpc.id,
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logDestination: logGroup.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 60,
    });
  }

  public get privateSubnetIds(): string[] {
    return this.privateSubnets.map((s) => s.id);
  }

  private buildEgress(props: AwsSandboxNetworkProps): void {
    const { name, network: net } = props;
    const igw = new InternetGateway(this, 'igw', { vpcId: this.vpc.id, tags: { Name: `${name}-igw` } });
    for (let i = 0; i < net.zones; i++) {
      this.publicSubnets.push(new Subnet(this, `public-${i}`, {
        vpcId: this.vpc.id, cidrBlock: net.subnets.public[i], availabilityZone: this.privateSubnets[i].availabilityZone,
        // NAT gateways get Elastic IPs; nothing here needs auto-assigned public addresses.
        mapPublicIpOnLaunch: false,
        tags: { Name: `${name}-public-${i}`, 'sandbox-subnet': 'public' },
      }));
    }
    for (let i = 0; i < net.natGateways; i++) {
      const eip = new Eip(this, `nat-eip-${i}`, { domain: 'vpc', tags: { Name: `${name}-nat-${i}` } });
      this.natGateways.push(new NatGateway(this, `nat-${i}`, {
        allocationId: eip.allocationId, subnetId: this.publicSubnets[i].id, tags: { Name: `${name}-nat-${i}` },
        dependsOn: [igw],
      }));
    }
    const nat = (i: number) => this.natGateways[i % this.natGateways.length].id;

    if (net.egress === EgressMode.FIREWALL) {
      const fw = new AwsEgressFirewall(this, 'firewall', {
        name, vpcId: this.vpc.id, vpcCidr: net.cidr, subnetCidrs: net.subnets.firewall,
        availabilityZones: this.privateSubnets.map((s) => s.availabilityZone),
        allowedDomains: net.allowedDomains, kmsKeyArn: props.kmsKeyArn,
        logRetentionDays: props.logRetentionDays, protect: props.preventDestroy,
      });
      (this as { firewall?: AwsEgressFirewall }).firewall = fw;
      // nodes -> firewall endpoint (same AZ) -> NAT -> IGW; return path IGW -> NAT -> firewall -> nodes.
      for (let i = 0; i < net.zones; i++) {
        new Route(this, `private-default-${i}`, { routeTableId: this.privateRouteTables[i].id, destinationCidrBlock: '0.0.0.0/0', vpcEndpointId: fw.endpointIdFor(i) });
        const fwRt = new RouteTable(this, `firewall-rt-${i}`, { vpcId: this.vpc.id, tags: { Name: `${name}-firewall-${i}` } });
        new Route(this, `firewall-default-${i}`, { routeTableId: fwRt.id, destinationCidrBlock: '0.0.0.0/0', natGatewayId: nat(i) });
        new RouteTableAssociation(this, `firewall-rta-${i}`, { subnetId: fw.subnets[i].id, routeTableId: fwRt.id });
        const pubRt = new RouteTable(this, `public-rt-${i}`, { vpcId: this.vpc.id, tags: { Name: `${name}-public-${i}` } });
        new Route(this, `public-default-${i}`, { routeTableId: pubRt.id, destinationCidrBlock: '0.0.0.0/0', gatewayId: igw.id });
        new Route(this, `public-return-${i}`, { routeTableId: pubRt.id, destinationCidrBlock: net.subnets.private[i], vpcEndpointId: fw.endpointIdFor(i) });
        new RouteTableAssociation(this, `public-rta-${i}`, { subnetId: this.publicSubnets[i].id, routeTableId: pubRt.id });
      }
      return;
    }
    const pubRt = new RouteTable(this, 'public-rt', { vpcId: this.vpc.id, tags: { Name: `${name}-public` } });
    new Route(this, 'public-default', { routeTableId: pubRt.id, destinationCidrBlock: '0.0.0.0/0', gatewayId: igw.id });
    for (let i = 0; i < net.zones; i++) {
      new RouteTableAssociation(this, `public-rta-${i}`, { subnetId: this.publicSubnets[i].id, routeTableId: pubRt.id });
      new Route(this, `private-default-${i}`, { routeTableId: this.privateRouteTables[i].id, destinationCidrBlock: '0.0.0.0/0', natGatewayId: nat(i) });
    }
  }

  private buildInterfaceEndpoints(props: AwsSandboxNetworkProps): void {
    const sg = new SecurityGroup(this, 'endpoints-sg', {
      name: `${props.name}-endpoints`,
      description: 'HTTPS from the platform VPC to AWS service endpoints',
      vpcId: this.vpc.id,
      ingress: [{ description: 'HTTPS from the VPC', protocol: 'tcp', fromPort: 443, toPort: 443, cidrBlocks: [props.network.cidr] }],
      egress: [],
      tags: { Name: `${props.name}-endpoints` },
    });
    for (const svc of PRIVATE_ENDPOINT_SERVICES) {
      new VpcEndpoint(this, `ep-${svc.replace('.', '-')}`, {
        vpcId: this.vpc.id,
        serviceName: `com.amazonaws.${props.context.region}.${svc}`,
        vpcEndpointType: 'Interface',
        privateDnsEnabled: true,
        subnetIds: this.privateSubnetIds,
        securityGroupIds: [sg.id],
        tags: { Name: `${props.name}-${svc}` },
      });
    }
  }
}

/**
 * S3 gateway endpoint policy under controlled egress: this account's buckets, plus read of the
 * AWS-owned buckets behind the AL2023 package repositories, SSM agent downloads and ECR image
 * layers (docs.aws.amazon.com/linux/al2023/ug/managing-repos-os-updates.html,
 * docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html#ecr-minimum-s3-perms).
 */
export function s3EndpointPolicy(ctx: AwsAccountContext): string {
  const s3 = (bucket: string) => `arn:${ctx.partition}:s3:::${bucket}/*`;
  return policyDocument([
    {
      Sid: 'OwnAccountBuckets',
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:*',
      Resource: '*',
      Condition: { StringEquals: { 'aws:ResourceAccount': ctx.accountId } },
    },
    {
      Sid: 'AwsOwnedPackageAndImageBuckets',
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: [s3(`al2023-repos-${ctx.region}-de612dc2`), s3(`amazon-ssm-${ctx.region}`), s3(`aws-ssm-${ctx.region}`),
        s3(`amazoncloudwatch-agent-${ctx.region}`), s3(`prod-${ctx.region}-starport-layer-bucket`)],
    },
  ]);
}
