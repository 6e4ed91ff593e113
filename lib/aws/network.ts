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
import { DataAwsVpcEndpointService } from '@cdktf/provider-aws/lib/data-aws-vpc-endpoint-service';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { Fn, ITerraformDependable, Token } from 'cdktf';
import { Construct } from 'constructs';
import { EgressMode, ResolvedNetwork } from '../spec';
import { AwsAccountContext } from './context';
import { AwsDnsFirewall, eksNodeDomains, nodeServiceDomains } from './dns-firewall';
import { AwsEgressFirewall } from './egress-firewall';
import { interfaceEndpointPolicy } from './endpoint-policy';
import { EKS_ENDPOINT_SERVICES, PRIVATE_ENDPOINT_SERVICES } from './endpoint-services';
import { encryptedLogGroup } from './log-group';
import { policyDocument, serviceTrust } from './policy';

export { PRIVATE_ENDPOINT_SERVICES } from './endpoint-services';

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
  /**
   * The provider's region as a literal (e.g. "us-east-1"), when known: unpinned zone names are then
   * literal too. Default: the region of the provider in scope, read as a reference.
   */
  readonly region?: string;
  /**
   * The nodes are EKS nodes: with controlled egress (firewall, none) the VPC also gets the
   * EKS_ENDPOINT_SERVICES endpoints, and the DNS firewall answers the EKS names (eksNodeDomains). Default false.
   */
  readonly kubernetesNodes?: boolean;
  /**
   * Kubernetes mode under "firewall" egress: upstream hosts of the nodes' sandbox runtimes
   * (sandboxRuntimeDomains), added to the Network Firewall and DNS firewall allow-lists. Default none.
   */
  readonly runtimeDomains?: string[];
}

/** Zone letters of the unpinned default zones, in order (network.zones is at most 6). */
export const AWS_ZONE_LETTERS = 'abcdef';

/**
 * The availability zone of zone index `i`: the pinned name, or "<region><letter>" (a, b, c, ...).
 * Deterministic: never read from a data source whose answer can change between plans (a zone
 * that is impaired, or added, would shift every index after it and replace subnets). An index past
 * the letters fails at synth; a derived name the account does not have fails at plan (precondition).
 */
export function awsZoneName(i: number, region: string, pinned?: readonly string[]): string {
  if (pinned) {
    if (i >= pinned.length) throw new Error(`zone index ${i} is out of range: ${pinned.length} zones are pinned`);
    return pinned[i];
  }
  if (!Number.isInteger(i) || i < 0 || i >= AWS_ZONE_LETTERS.length) {
    throw new Error(`zone index ${i} is out of range: at most ${AWS_ZONE_LETTERS.length} zones (a..f) can be derived; pin network.availabilityZones`);
  }
  return `${region}${AWS_ZONE_LETTERS[i]}`;
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
  /** Route 53 Resolver DNS Firewall ("firewall" and "none" egress). */
  public readonly dnsFirewall?: AwsDnsFirewall;
  /** Interface endpoints by service ("firewall" and "none" egress). */
  public readonly interfaceEndpoints: VpcEndpoint[] = [];
  /** The private subnets' default routes. */
  public readonly privateDefaultRoutes: Route[] = [];
  /**
   * What a node needs before it launches: the private default routes, the interface endpoints
   * (private DNS of the AWS APIs the bootstrap calls) and the DNS firewall that answers its queries.
   * Auto Scaling groups depend on these (finding 8).
   */
  public get nodePrerequisites(): ITerraformDependable[] {
    return [...this.privateDefaultRoutes, ...this.interfaceEndpoints, ...(this.dnsFirewall?.dependables ?? [])];
  }

  constructor(scope: Construct, id: string, props: AwsSandboxNetworkProps) {
    super(scope, id);
    const { name, network: net } = props;
    const pinned = net.availabilityZones;
    const region = props.region ?? props.context.region;
    // Zones are pinned, or derived from the region (a, b, c, ...): never from the available-zones
    // list, whose indices shift when a zone is impaired or added (finding 9). The list is read
    // only to check, at plan, that each zone exists in this account (us-west-1, for one, offers
    // each account two of its zones; ap-northeast-1 no longer offers 1b to new accounts).
    const az = (i: number) => awsZoneName(i, region, pinned);
    // Filtered to exactly these names (a closed set: the answer cannot grow when AWS adds a zone);
    // a name missing from the answer is a zone this account does not have.
    const accountZones = new DataAwsAvailabilityZones(this, 'azs', {
      filter: [{ name: 'zone-name', values: Array.from({ length: net.zones }, (_, i) => az(i)) }],
    });
    const zoneCheck = (i: number) => ({
      precondition: [{
        condition: Fn.contains(accountZones.names, az(i)),
        errorMessage: `Zone ${i} (${Token.isUnresolved(az(i)) ? `letter "${AWS_ZONE_LETTERS[i]}" of the provider's region` : az(i)}) is not an ` +
          'availability zone of this account. Pin network.availabilityZones to zones this account has (aws ec2 describe-availability-zones), or lower network.zones.',
      }],
    });

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
        lifecycle: zoneCheck(i),
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
    // DNS is an exfiltration path of its own (queries to an attacker's zone travel through the
    // Resolver whatever the network allows): under controlled egress the Resolver answers only
    // the allow-list and the AWS names the nodes call. Under NAT the internet is open anyway.
    if (controlled) {
      this.dnsFirewall = new AwsDnsFirewall(this, 'dns-firewall', {
        name, vpcId: this.vpc.id,
        allowedDomains: [...net.allowedDomains, ...(props.runtimeDomains ?? []), ...nodeServiceDomains(region, props.context.dnsSuffix),
          ...(props.kubernetesNodes ? eksNodeDomains(region, props.context.dnsSuffix) : [])],
      });
    }

    const logGroup = encryptedLogGroup(this, 'flow-log-group', {
      name: `/sandbox/${name}/vpc-flow-logs`, retentionDays: props.logRetentionDays, kmsKeyArn: props.kmsKeyArn,
      preventDestroy: props.preventDestroy,
    });
    // docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html
    const flowRole = new IamRole(this, 'flow-log-role', {
      name: `${name}-vpc-flow-logs`,
      assumeRolePolicy: serviceTrust('vpc-flow-logs.amazonaws.com', {
        StringEquals: { 'aws:SourceAccount': props.context.accountId },
        ArnLike: { 'aws:SourceArn': props.context.arn('ec2', 'vpc-flow-log/*') },
      }),
    });
    const flowPolicy = new IamRolePolicy(this, 'flow-log-policy', {
      role: flowRole.id,
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
      iamRoleArn: flowRole.arn,
      maxAggregationInterval: 60,
      // Delivery starts at once; without its policy the first records fail (finding 8).
      dependsOn: [flowPolicy],
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
        allowedDomains: [...net.allowedDomains, ...(props.runtimeDomains ?? []).filter((d) => !net.allowedDomains.includes(d))], kmsKeyArn: props.kmsKeyArn,
        logRetentionDays: props.logRetentionDays, protect: props.preventDestroy,
      });
      (this as { firewall?: AwsEgressFirewall }).firewall = fw;
      // nodes -> firewall endpoint (same AZ) -> NAT -> IGW; return path IGW -> NAT -> firewall -> nodes.
      for (let i = 0; i < net.zones; i++) {
        this.privateDefaultRoutes.push(new Route(this, `private-default-${i}`, {
          routeTableId: this.privateRouteTables[i].id, destinationCidrBlock: '0.0.0.0/0', vpcEndpointId: fw.endpointIdFor(i),
        }));
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
      this.privateDefaultRoutes.push(new Route(this, `private-default-${i}`, {
        routeTableId: this.privateRouteTables[i].id, destinationCidrBlock: '0.0.0.0/0', natGatewayId: nat(i),
      }));
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
    for (const svc of [...PRIVATE_ENDPOINT_SERVICES, ...(props.kubernetesNodes ? EKS_ENDPOINT_SERVICES : [])]) {
      const id = svc.replace('.', '-');
      const serviceName = `com.amazonaws.${props.context.region}.${svc}`;
      // Sandboxes are NATed by the nodes, so they reach these endpoints too: with the default
      // policy ("*" on "*") they could call the service with another account's credentials and
      // carry data out past the egress control. The policy allows only this account's principals
      // (and, where the service supports it, this account's resources). Whether a service accepts
      // an endpoint policy is read from the service itself (vpc_endpoint_policy_supported), so
      // the policy is set exactly where AWS allows one (docs.aws.amazon.com/vpc/latest/privatelink/
      // vpc-endpoints-access.html: "Not all AWS services support endpoint policies"). The lookup
      // changes nothing that forces replacement.
      const info = new DataAwsVpcEndpointService(this, `ep-${id}-service`, { serviceName, serviceType: 'Interface' });
      this.interfaceEndpoints.push(new VpcEndpoint(this, `ep-${id}`, {
        vpcId: this.vpc.id,
        serviceName,
        vpcEndpointType: 'Interface',
        privateDnsEnabled: true,
        subnetIds: this.privateSubnetIds,
        securityGroupIds: [sg.id],
        policy: Fn.conditional(info.vpcEndpointPolicySupported, interfaceEndpointPolicy(svc, props.context), null) as unknown as string,
        tags: { Name: `${props.name}-${svc}` },
      }));
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
