import { IamServiceLinkedRole } from '@cdktf/provider-aws/lib/iam-service-linked-role';
import { Annotations, TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { enforcePlanProfile } from '../common/enforce-profile';
import { platformOutput } from '../common/platform-outputs';
import { CloudProvider, ResolvedPlatform, SandboxPlatformSpec, resolvePlatform } from '../spec';
import { AwsAccessLogBucket, AwsArtifactStore } from './artifact-store';
import { AwsAuditTrail } from './audit-trail';
import { AwsAccountContext } from './context';
import { AwsControlPlaneAccess } from './control-plane-access';
import { AwsPlatformKey } from './keys';
import { AwsSandboxNetwork } from './network';
import { AwsNodeIdentity } from './node-identity';
import { AwsNodePool } from './node-pool';
import { AwsObservability } from './observability';
import { applyAwsScope } from './scope-aspect';

/** A VPC the platform joins instead of creating one. */
export interface AwsExistingNetwork {
  readonly vpcId: string;
  /** Private subnets for the nodes (no public IP mapping, with a route to NAT or endpoints). */
  readonly privateSubnetIds: string[];
  /** The VPC's CIDR (egress rules for EgressMode.NONE point at it). */
  readonly vpcCidr: string;
}

export interface AwsSandboxPlatformProps {
  /** The platform spec; validated and resolved against the AWS catalog at construction. */
  readonly spec: SandboxPlatformSpec;
  /** Region of the provider in scope, for region-specific warnings (GPU availability). Default: no region checks. */
  readonly region?: string;
  /** Compose into this VPC; no network, flow logs or endpoints are created. Default: a new VPC. */
  readonly existingNetwork?: AwsExistingNetwork;
  /**
   * Use this KMS key instead of creating one. Its policy must let CloudWatch Logs, CloudTrail,
   * CloudWatch alarms (SNS) and the Auto Scaling service-linked role use it, as AwsPlatformKey's does.
   * Default: a new CMK with rotation.
   */
  readonly kmsKeyArn?: string;
  /** Provider for every resource (aliased providers for multi-region or multi-account). Default: the stack's default provider. */
  readonly provider?: TerraformProvider;
  /**
   * Create the Auto Scaling service-linked role. The key policy names it, and KMS rejects a policy
   * naming a role that does not exist yet; accounts that never used Auto Scaling need this once.
   * Default false (the role exists in most accounts, and creating it twice fails).
   */
  readonly createAutoScalingServiceLinkedRole?: boolean;
  /**
   * Enforce the spec's compliance profile on the whole stack at synth (SandboxCompliance.enforce):
   * a violation by any resource in the stack, ours or yours, fails synth; reports are written next
   * to cdk.tf.json. Set false to opt out (e.g. to enforce a different profile yourself). Default true.
   */
  readonly enforceCompliance?: boolean;
}

/**
 * Everything a sandbox platform needs in one AWS account and region, wired from the resolved
 * plan: network, key, node identity, KVM and GPU pools, artifact store, observability, audit
 * trail and, for BYOC, the vendor control plane's role. Each part is exposed and usable on its own.
 */
export class AwsSandboxPlatform extends Construct {
  public readonly plan: ResolvedPlatform;
  public readonly context: AwsAccountContext;
  public readonly key?: AwsPlatformKey;
  public readonly kmsKeyArn: string;
  public readonly network?: AwsSandboxNetwork;
  public readonly vpcId: string;
  public readonly privateSubnetIds: string[];
  public readonly accessLogs?: AwsAccessLogBucket;
  public readonly artifactStore: AwsArtifactStore;
  public readonly nodeIdentity: AwsNodeIdentity;
  public readonly observability: AwsObservability;
  public readonly pools: { readonly [name: string]: AwsNodePool } = {};
  public readonly controlPlane?: AwsControlPlaneAccess;
  public readonly auditTrail?: AwsAuditTrail;

  constructor(scope: Construct, id: string, props: AwsSandboxPlatformProps) {
    super(scope, id);
    const plan = resolvePlatform(props.spec, CloudProvider.AWS, { region: props.region, source: `construct ${this.node.path}` });
    this.plan = plan;
    for (const w of plan.warnings) Annotations.of(this).addWarning(`${w.path}: ${w.message}`);
    applyAwsScope(this, plan.tags, props.provider);
    const { name, preset } = plan;
    const preventDestroy = preset.preventDestroy;
    const retention = plan.observability.logRetentionDays;

    this.context = new AwsAccountContext(this, 'context');
    const ctx = this.context;
    if (props.kmsKeyArn) {
      this.kmsKeyArn = props.kmsKeyArn;
    } else {
      const slr = props.createAutoScalingServiceLinkedRole
        ? new IamServiceLinkedRole(this, 'autoscaling-slr', { awsServiceName: 'autoscaling.amazonaws.com' })
        : undefined;
      this.key = new AwsPlatformKey(this, 'key', {
        name, context: ctx, rotationPeriodDays: preset.keyRotationMaxDays[CloudProvider.AWS], preventDestroy,
      });
      if (slr) this.key.key.dependsOn = [slr.fqn];
      this.kmsKeyArn = this.key.keyArn;
    }
    const kmsKeyArn = this.kmsKeyArn;

    if (preset.bucketAccessLogging) {
      this.accessLogs = new AwsAccessLogBucket(this, 'access-logs', { name, context: ctx, retentionDays: retention, preventDestroy });
    }
    this.artifactStore = new AwsArtifactStore(this, 'artifacts', { name, kmsKeyArn, accessLogBucket: this.accessLogs?.bucketName });
    this.nodeIdentity = new AwsNodeIdentity(this, 'node-identity', {
      name, context: ctx, artifactBucketArn: this.artifactStore.bucketArn, kmsKeyArn,
    });
    this.observability = new AwsObservability(this, 'observability', {
      name, context: ctx, kmsKeyArn, logRetentionDays: retention, alertEmails: plan.observability.alertEmails, preventDestroy,
    });

    let vpcCidr: string;
    if (props.existingNetwork) {
      this.vpcId = props.existingNetwork.vpcId;
      this.privateSubnetIds = props.existingNetwork.privateSubnetIds;
      vpcCidr = props.existingNetwork.vpcCidr;
    } else {
      this.network = new AwsSandboxNetwork(this, 'network', {
        name, network: plan.network, context: ctx, kmsKeyArn, logRetentionDays: retention, preventDestroy,
      });
      this.vpcId = this.network.vpcId;
      this.privateSubnetIds = this.network.privateSubnetIds;
      vpcCidr = plan.network.cidr;
    }

    const pools: { [name: string]: AwsNodePool } = {};
    for (const pool of plan.pools) {
      const p = new AwsNodePool(this, `pool-${pool.name}`, {
        platformName: name, pool, context: ctx, vpcId: this.vpcId, vpcCidr, subnetIds: this.privateSubnetIds,
        egress: plan.network.egress, instanceProfileArn: this.nodeIdentity.instanceProfile.arn, kmsKeyArn,
        bootstrapLogGroupName: this.observability.bootstrapLogGroupName,
      });
      pools[pool.name] = p;
      this.observability.addPool({ name: pool.name, autoScalingGroupName: p.autoScalingGroup.name, maxNodes: pool.maxNodes });
    }
    this.pools = pools;

    if (plan.controlPlane) {
      this.controlPlane = new AwsControlPlaneAccess(this, 'control-plane', {
        name, context: ctx, controlPlane: plan.controlPlane, artifactBucketArn: this.artifactStore.bucketArn, kmsKeyArn,
      });
    }
    if (plan.observability.createAuditTrail) {
      this.auditTrail = new AwsAuditTrail(this, 'audit', {
        name, context: ctx, kmsKeyArn, logRetentionDays: retention, accessLogBucket: this.accessLogs?.bucketName,
        dataEventBucketArn: preset.bucketAccessLogging ? this.artifactStore.bucketArn : undefined, preventDestroy,
      });
    }
    this.outputs();
    enforcePlanProfile(this, plan, props.enforceCompliance !== false);
  }

  /** Outputs the vendor control plane needs, named "<platform>_<what>". */
  private outputs(): void {
    const out = (what: string, value: unknown, description: string) => platformOutput(this, this.plan.name, what, value, description);
    out('vpc_id', this.vpcId, 'VPC of the sandbox nodes');
    out('private_subnet_ids', this.privateSubnetIds, 'Subnets of the sandbox nodes');
    out('autoscaling_group_names', Object.fromEntries(Object.entries(this.pools).map(([k, p]) => [k, p.autoScalingGroup.name])),
      'Auto Scaling group per pool');
    out('node_role_arn', this.nodeIdentity.role.arn, 'IAM role of the sandbox nodes');
    out('artifact_bucket', this.artifactStore.bucketName, 'S3 bucket for sandbox templates and snapshots');
    out('kms_key_arn', this.kmsKeyArn, 'Platform KMS key');
    out('alert_topic_arn', this.observability.alertTopic.arn, 'SNS topic of platform alerts');
    if (this.controlPlane) out('control_plane_role_arn', this.controlPlane.role.arn, 'Role the vendor control plane assumes (with its external id)');
  }
}
