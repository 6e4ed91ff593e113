import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { DataAwsPrefixList } from '@cdktf/provider-aws/lib/data-aws-prefix-list';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { SecurityGroup, SecurityGroupEgress } from '@cdktf/provider-aws/lib/security-group';
import { ITerraformDependable, Token } from 'cdktf';
import { Construct } from 'constructs';
import { enableAwsNestedVirtualization } from '../provider-compat';
import { CpuArchitecture, EgressMode, PoolKind, ResolvedPool, SYSTEM_POOL_NAME } from '../spec';
import { AwsAccountContext } from './context';
import { eksAmiParameter, eksJoinCommand, eksNodeRuntime, kubeletFlags } from './eks-node-join';
import { LAUNCH_HOOK_NAME, awsBootstrapOptions, awsUserData } from './host-bootstrap';

/**
 * Public SSM parameters of current AMIs (docs.aws.amazon.com/linux/al2023/ug/ec2.html#launch-from-ssm;
 * DLAMI: docs.aws.amazon.com/dlami/latest/devguide/find-dlami-id.html). The launch template resolves
 * them at launch ("resolve:ssm:"), so new nodes always get the current image without a re-deploy.
 */
export const AWS_DEFAULT_IMAGES = {
  [CpuArchitecture.X86_64]: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64',
  [CpuArchitecture.ARM64]: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64',
  gpu: '/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-amazon-linux-2023/latest/ami-id',
} as const;

/** Auto Scaling group metrics the alarms and dashboard read. */
export const ASG_METRICS = ['GroupMinSize', 'GroupMaxSize', 'GroupDesiredCapacity', 'GroupInServiceInstances', 'GroupPendingInstances',
  'GroupStandbyInstances', 'GroupTerminatingInstances', 'GroupTotalInstances'];
const WARM_POOL_METRICS = ['WarmPoolDesiredCapacity', 'WarmPoolWarmedCapacity', 'WarmPoolPendingCapacity', 'WarmPoolTotalCapacity'];

export interface AwsNodePoolProps {
  readonly platformName: string;
  readonly pool: ResolvedPool;
  readonly context: AwsAccountContext;
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly subnetIds: string[];
  /** Decides the nodes' egress rules. */
  readonly egress: EgressMode;
  readonly instanceProfileArn: string;
  readonly kmsKeyArn: string;
  /** Log group the bootstrap log is shipped to (its metric filters count bootstrap failures). */
  readonly bootstrapLogGroupName: string;
  /**
   * The Auto Scaling service-linked role the group uses (a per-platform custom-suffix role whose
   * ARN the key policy names). Default: the account's AWSServiceRoleForAutoScaling.
   */
  readonly serviceLinkedRoleArn?: string;
  /** Log group of the recorded Run Command log (AwsShellAudit); the node's CloudWatch agent ships it. Default: not shipped. */
  readonly commandLogGroupName?: string;
  /** The nodes join an existing VPC (its egress control is not ours): only changes the security group's description. Default false. */
  readonly existingNetwork?: boolean;
  /**
   * What must exist before the group launches its first instance: the node role's policies and
   * instance profile, the private default routes, the interface endpoints (finding 8). Default none.
   */
  readonly dependsOn?: ITerraformDependable[];
  /** Kubernetes mode: the pool's nodes join this EKS cluster (self-managed nodes). Default: instance mode. */
  readonly kubernetes?: AwsNodePoolKubernetes;
}

/** What a self-managed node group needs to join its EKS cluster. */
export interface AwsNodePoolKubernetes {
  readonly clusterName: string;
  /** Kubernetes minor version: picks the EKS-optimized AL2023 AMI. */
  readonly version: string;
  /** The cluster's node security group (node <-> node and control plane <-> kubelet). */
  readonly nodeSecurityGroupId: string;
}

/**
 * Tags on a node group's Auto Scaling group: cluster ownership, cluster-autoscaler auto-discovery,
 * and node-template labels and taints so the autoscaler can scale a group up from zero.
 * Source: github.com/kubernetes/autoscaler cluster-autoscaler/cloudprovider/aws/README.md
 * ("Auto-Discovery Setup", "Scaling a node group to 0").
 */
export function clusterAutoscalerTags(clusterName: string, pool: ResolvedPool): { [key: string]: string } {
  const k = pool.kubernetes;
  return {
    [`kubernetes.io/cluster/${clusterName}`]: 'owned',
    'k8s.io/cluster-autoscaler/enabled': 'true',
    [`k8s.io/cluster-autoscaler/${clusterName}`]: 'owned',
    ...Object.fromEntries(Object.entries(k?.labels ?? {}).map(([key, v]) => [`k8s.io/cluster-autoscaler/node-template/label/${key}`, v])),
    ...Object.fromEntries((k?.taints ?? []).map((t) => [`k8s.io/cluster-autoscaler/node-template/taint/${t.key}`, `${t.value}:${t.effect}`])),
  };
}

/** Seconds the launch lifecycle hook waits for the bootstrap: metal boots slowly. */
export function launchHeartbeatSeconds(pool: ResolvedPool): number {
  return pool.shape?.metal ? 1800 : 900;
}

/**
 * Terraform's capacity wait on create and on min_size changes. The provider waits until
 * min_size instances are InService and Healthy (default "10m"; "0" disables the wait: it runs
 * only when the parsed duration is > 0), and an instance becomes InService only after the
 * bootstrap completes the launch hook. So the wait covers the hook's heartbeat plus 15 minutes
 * for the launch itself and a retry in another zone. Source: terraform-provider-aws
 * internal/service/autoscaling/group.go (schema "wait_for_capacity_timeout" Default "10m",
 * ValidateFunc verify.ValidDuration; resourceGroupCreate: `if timeout > 0` before
 * waitGroupCapacitySatisfied), the same in 6.25.0 and later 6.x.
 */
export function capacityWaitTimeout(pool: ResolvedPool): string {
  return `${Math.ceil((launchHeartbeatSeconds(pool) + 900) / 60)}m`;
}

/**
 * One pool of sandbox or GPU hosts: a launch template (IMDSv2 only with hop limit 1, CMK-encrypted
 * gp3 root, no public IP, detailed monitoring, the host bootstrap as user data, nested
 * virtualization where the pool uses it) and a self-managed Auto Scaling group across the private
 * subnets, with a warm pool for `warmNodes`, rolling instance refresh, and spot through a mixed
 * instances policy. Self-managed, not an EKS managed node group: EKS node groups silently drop the
 * launch template's nested-virtualization CPU option (aws/containers-roadmap#2784).
 */
export class AwsNodePool extends Construct {
  public readonly securityGroup: SecurityGroup;
  public readonly launchTemplate: LaunchTemplate;
  public readonly autoScalingGroup: AutoscalingGroup;
  public readonly pool: ResolvedPool;

  constructor(scope: Construct, id: string, props: AwsNodePoolProps) {
    super(scope, id);
    const { pool, platformName } = props;
    this.pool = pool;
    const fullName = `${platformName}-${pool.name}`;

    this.securityGroup = new SecurityGroup(this, 'sg', {
      name: `${fullName}-nodes`,
      description: props.existingNetwork
        ? `Sandbox hosts of pool ${pool.name}: no inbound (SSM only), outbound ${props.egress === EgressMode.NONE ? 'to the VPC and S3' : 'TCP 443/80 (the existing VPC controls egress)'}`
        : `Sandbox hosts of pool ${pool.name}: no inbound (SSM only), outbound for ${props.egress} egress`,
      vpcId: props.vpcId,
      ingress: [],
      egress: this.egressRules(props),
      tags: { Name: `${fullName}-nodes` },
    });

    const tags = { ...pool.tags, Name: fullName };
    this.launchTemplate = new LaunchTemplate(this, 'lt', {
      name: fullName,
      description: `${pool.kind} pool ${pool.name} (${pool.runtime}, ${pool.virtualization})`,
      imageId: props.kubernetes && !pool.image ? `resolve:ssm:${eksAmiParameter(props.kubernetes.version, pool)}` : imageFor(pool),
      instanceType: pool.instanceType,
      updateDefaultVersion: true,
      ebsOptimized: 'true',
      iamInstanceProfile: { arn: props.instanceProfileArn },
      metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1, instanceMetadataTags: 'disabled' },
      monitoring: { enabled: true },
      networkInterfaces: [{
        deviceIndex: 0, associatePublicIpAddress: 'false', deleteOnTermination: 'true',
        securityGroups: [this.securityGroup.id, ...(props.kubernetes ? [props.kubernetes.nodeSecurityGroupId] : [])],
      }],
      blockDeviceMappings: [{
        deviceName: '/dev/xvda',
        ebs: {
          volumeSize: pool.rootVolumeGiB, volumeType: 'gp3', encrypted: 'true', kmsKeyId: props.kmsKeyArn, deleteOnTermination: 'true',
        },
      }],
      userData: awsUserData(awsBootstrapOptions(platformName, pool, props.bootstrapLogGroupName, fullName, {
        // User data is encoded at synth: only a literal CIDR can go into the host guard.
        vpcCidr: isLiteral(props.vpcCidr) ? props.vpcCidr : undefined, commandLogGroup: props.commandLogGroupName,
        // The system node group hosts no sandboxes: its pods (CoreDNS, the vendor's agent) reach the API server.
        sandboxPods: props.kubernetes !== undefined && pool.name !== SYSTEM_POOL_NAME,
        kubernetesJoin: props.kubernetes
          ? eksJoinCommand(props.kubernetes.clusterName, kubeletFlags(pool.kubernetes?.labels ?? {}, pool.kubernetes?.taints ?? []),
            eksNodeRuntime(pool, props.egress)) : undefined,
      })),
      tagSpecifications: ['instance', 'volume', 'network-interface'].map((resourceType) => ({ resourceType, tags })),
    });
    if (pool.nestedVirtualization) enableAwsNestedVirtualization(this.launchTemplate);

    // A concrete version, not "$Latest": instance refresh only starts when the version changes.
    const template = { launchTemplateId: this.launchTemplate.id, version: Token.asString(this.launchTemplate.latestVersion) };
    this.autoScalingGroup = new AutoscalingGroup(this, 'asg', {
      name: fullName,
      minSize: pool.minNodes,
      maxSize: pool.maxNodes,
      vpcZoneIdentifier: props.subnetIds,
      healthCheckType: 'EC2',
      // Metal hosts take several minutes to boot and run the bootstrap (finding 1).
      waitForCapacityTimeout: capacityWaitTimeout(pool),
      // A Failed scaling activity (e.g. InsufficientInstanceCapacity in one zone; the group then
      // retries in another) would otherwise end the wait, and the apply, at once: the provider's
      // statusGroupCapacity returns every Failed activity since the start as an error unless
      // ignore_failed_scaling_activities is true (group.go, 6.25.0 and later 6.x).
      ignoreFailedScalingActivities: true,
      serviceLinkedRoleArn: props.serviceLinkedRoleArn,
      dependsOn: props.dependsOn,
      healthCheckGracePeriod: pool.shape?.metal ? 900 : 300,
      defaultInstanceWarmup: pool.shape?.metal ? 900 : 300,
      enabledMetrics: [...ASG_METRICS, ...(pool.warmNodes > 0 ? WARM_POOL_METRICS : [])],
      metricsGranularity: '1Minute',
      capacityRebalance: pool.spot ? true : undefined,
      ...(pool.spot
        ? {
          mixedInstancesPolicy: {
            instancesDistribution: {
              onDemandBaseCapacity: 0,
              onDemandPercentageAboveBaseCapacity: 0,
              spotAllocationStrategy: 'price-capacity-optimized',
            },
            launchTemplate: { launchTemplateSpecification: template, override: [{ instanceType: pool.instanceType }] },
          },
        }
        : { launchTemplate: { id: template.launchTemplateId, version: template.version } }),
      instanceRefresh: {
        strategy: 'Rolling',
        preferences: { minHealthyPercentage: 90, skipMatching: true, autoRollback: false },
      },
      // Without max_group_prepared_capacity the warm pool would hold max - desired instances;
      // cap prepared capacity so it holds warmNodes beyond the minimum.
      warmPool: pool.warmNodes > 0
        ? { poolState: 'Stopped', minSize: pool.warmNodes, maxGroupPreparedCapacity: pool.minNodes + pool.warmNodes, instanceReusePolicy: { reuseOnScaleIn: true } }
        : undefined,
      // A node enters service (or the warm pool) only after its bootstrap completes this hook
      // with CONTINUE; a failed check completes it with ABANDON and the node is replaced.
      initialLifecycleHook: [{
        name: LAUNCH_HOOK_NAME,
        lifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING',
        defaultResult: 'ABANDON',
        heartbeatTimeout: launchHeartbeatSeconds(pool),
      }],
      tag: [
        ...Object.entries(tags).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
        // The autoscaler reads these on the group; instances carry the cluster-ownership tag only.
        ...Object.entries(props.kubernetes ? clusterAutoscalerTags(props.kubernetes.clusterName, pool) : {})
          .map(([key, value]) => ({ key, value, propagateAtLaunch: key.startsWith('kubernetes.io/cluster/') })),
      ],
    });
  }

  private egressRules(props: AwsNodePoolProps): SecurityGroupEgress[] {
    const rule = (description: string, port: number, target: Partial<SecurityGroupEgress>): SecurityGroupEgress =>
      ({ description, protocol: 'tcp', fromPort: port, toPort: port, ...target });
    if (props.egress === EgressMode.NONE) {
      // Interface endpoints in the VPC, and S3 through its gateway endpoint's prefix list.
      const s3 = new DataAwsPrefixList(this, 's3-prefix-list', { name: `com.amazonaws.${props.context.region}.s3` });
      return [
        rule('HTTPS to VPC interface endpoints', 443, { cidrBlocks: [props.vpcCidr] }),
        rule('HTTPS to S3 (gateway endpoint)', 443, { prefixListIds: [s3.id] }),
      ];
    }
    // The nodes NAT their sandboxes, so these are the sandboxes' ports too; FIREWALL narrows
    // destinations to the domain allow-list. DNS (VPC resolver) and NTP (169.254.169.123) are
    // link-local services that security groups do not filter.
    return [
      rule('HTTPS out (NAT or firewall)', 443, { cidrBlocks: ['0.0.0.0/0'] }),
      rule('HTTP out (NAT or firewall; package mirrors)', 80, { cidrBlocks: ['0.0.0.0/0'] }),
    ];
  }
}

/** The launch template image: an AMI id, an SSM parameter, or the default for the pool. */
export function imageFor(pool: ResolvedPool): string {
  const image = pool.image
    ?? (pool.kind === PoolKind.GPU ? AWS_DEFAULT_IMAGES.gpu : AWS_DEFAULT_IMAGES[pool.shape?.arch ?? CpuArchitecture.X86_64]);
  return image.startsWith('ami-') ? image : `resolve:ssm:${image}`;
}

/** A plain string: neither a cdktf token nor a Terraform expression. */
export function isLiteral(value: string): boolean {
  return !Token.isUnresolved(value) && !value.includes('${');
}
