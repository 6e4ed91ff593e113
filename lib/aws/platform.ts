import { Annotations, TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { enforcePlanProfile } from '../common/enforce-profile';
import { writeKubernetesManifests } from '../common/kubernetes-manifests-file';
import { platformOutput } from '../common/platform-outputs';
import {
  CloudProvider, ComplianceProfile, EgressMode, IssueCollector, KUBERNETES_MANIFESTS_FILE, Orchestrator, ResolvedKubernetes, ResolvedPlatform,
  SYSTEM_POOL_NAME, SandboxPlatformSpec, renderKubernetesManifests, resolvePlatform, show,
} from '../spec';
import { parseIpv4Cidr } from '../spec/cidr';
import { AwsAccessLogBucket, AwsArtifactStore } from './artifact-store';
import { AwsAuditTrail } from './audit-trail';
import { AwsAutoScalingServiceLinkedRole } from './autoscaling-role';
import { AwsAccountContext } from './context';
import { AwsControlPlaneAccess } from './control-plane-access';
import { sandboxRuntimeDomains } from './dns-firewall';
import type { AwsKubernetes } from './eks';
import { systemPool } from './eks-system-pool';
import { AwsPlatformKey } from './keys';
import { AwsSandboxNetwork } from './network';
import { AwsNodeIdentity } from './node-identity';
import { AwsNodePool, isLiteral } from './node-pool';
import { AwsObservability } from './observability';
import { applyAwsScope } from './scope-aspect';
import { S3ObjectLockMode } from './secure-bucket';
import { AwsShellAudit, shellAuditLogGroups } from './shell-audit';

/** A VPC the platform joins instead of creating one. */
export interface AwsExistingNetwork {
  readonly vpcId: string;
  /** Private subnets for the nodes (no public IP mapping, with a route to NAT or endpoints). */
  readonly privateSubnetIds: string[];
  /**
   * The VPC's CIDR: egress rules for EgressMode.NONE point at it, and sandboxes may not reach any
   * address in it (host guard).
   */
  readonly vpcCidr: string;
}

export interface AwsSandboxPlatformProps {
  /** The platform spec; validated and resolved against the AWS catalog at construction. */
  readonly spec: SandboxPlatformSpec;
  /** Region of the provider in scope, for region-specific warnings (GPU availability). Default: no region checks. */
  readonly region?: string;
  /**
   * Compose into this VPC; no network, flow logs, endpoints, NAT, DNS firewall or Network Firewall
   * are created, so egress control is the existing VPC's. spec.network must then say no more than
   * the mode: "nat" (nodes get TCP 443/80 to anywhere; your routing decides where it goes) or "none"
   * (nodes reach only the VPC CIDR and S3; the VPC must hold the interface endpoints). "firewall",
   * an allow-list, a CIDR, zones or pinned zones are refused: nothing here would apply them.
   * Default: a new VPC.
   */
  readonly existingNetwork?: AwsExistingNetwork;
  /**
   * Use this KMS key instead of creating one. Its policy must hold the statements
   * awsPlatformKeyPolicyStatements() returns (CloudWatch Logs, CloudTrail, alarms and EventBridge
   * to SNS, and the platform's Auto Scaling service-linked role), and KMS only accepts a policy
   * naming a role that exists: create the role first (AwsAutoScalingServiceLinkedRole, passed as
   * autoScalingServiceLinkedRole) and name its ARN. See docs/aws.md. Default: a new CMK with rotation.
   */
  readonly kmsKeyArn?: string;
  /**
   * The platform's Auto Scaling service-linked role, when you create it yourself (e.g. before a key
   * of yours whose policy names it). Default: created here, AWSServiceRoleForAutoScaling_<name>.
   */
  readonly autoScalingServiceLinkedRole?: AwsAutoScalingServiceLinkedRole;
  /**
   * Object Lock mode of the audit-trail bucket under hipaa (retention = the log retention).
   * Default GOVERNANCE: no one without s3:BypassGovernanceRetention can delete or overwrite a log
   * file early; COMPLIANCE: no one at all, the root user included, until retention ends.
   */
  readonly auditObjectLockMode?: S3ObjectLockMode;
  /**
   * Write the account's regional Session Manager preferences (SSM-SessionManagerRunShell), see
   * AwsShellAuditProps.manageAccountSessionPreferences. Default false.
   */
  readonly manageAccountSessionPreferences?: boolean;
  /** Provider for every resource (aliased providers for multi-region or multi-account). Default: the stack's default provider. */
  readonly provider?: TerraformProvider;
  /**
   * @deprecated Ignored. The platform always creates its own custom-suffix Auto Scaling
   * service-linked role (AWSServiceRoleForAutoScaling_<name>), which works in fresh and existing
   * accounts alike; setting this only adds a warning.
   */
  readonly createAutoScalingServiceLinkedRole?: boolean;
  /**
   * Enforce the spec's compliance profile on the whole stack at synth (SandboxCompliance.enforce):
   * a violation by any resource in the stack, ours or yours, fails synth; reports are written next
   * to cdk.tf.json. Set false to opt out (e.g. to enforce a different profile yourself). Default true.
   */
  readonly enforceCompliance?: boolean;
  /**
   * Kubernetes mode: IAM role ARNs of the customer's cluster administrators, each given an EKS access
   * entry with AmazonEKSClusterAdminPolicy. Nobody else is admin: the cluster is created without admin
   * rights for whoever runs Terraform. Default none.
   */
  readonly clusterAdminPrincipalArns?: string[];
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
  public readonly autoScalingRole: AwsAutoScalingServiceLinkedRole;
  public readonly shellAudit: AwsShellAudit;
  /** Kubernetes mode: the EKS cluster, its add-ons and access entries. */
  public readonly kubernetes?: AwsKubernetes;

  constructor(scope: Construct, id: string, props: AwsSandboxPlatformProps) {
    super(scope, id);
    const plan = resolvePlatform(props.spec, CloudProvider.AWS, { region: props.region, source: `construct ${this.node.path}` });
    this.plan = plan;
    const k8s = plan.orchestrator === Orchestrator.KUBERNETES ? plan.kubernetes : undefined;
    for (const w of plan.warnings) Annotations.of(this).addWarning(`${w.path}: ${w.message}`);
    applyAwsScope(this, plan.tags, props.provider);
    const { name, preset } = plan;
    const preventDestroy = preset.preventDestroy;
    const retention = plan.observability.logRetentionDays;

    if (props.existingNetwork) checkExistingNetwork(this, props);
    if (props.createAutoScalingServiceLinkedRole !== undefined) {
      Annotations.of(this).addWarning('createAutoScalingServiceLinkedRole is deprecated and ignored: the platform always creates ' +
        `its own Auto Scaling service-linked role AWSServiceRoleForAutoScaling_${name}`);
    }

    this.context = new AwsAccountContext(this, 'context');
    const ctx = this.context;
    // A per-platform custom-suffix role: exists in a fresh account the moment we create it, and
    // never collides with the account's default role (finding 2).
    this.autoScalingRole = props.autoScalingServiceLinkedRole ?? new AwsAutoScalingServiceLinkedRole(this, 'autoscaling-role', { suffix: name });
    if (props.kmsKeyArn) {
      this.kmsKeyArn = props.kmsKeyArn;
    } else {
      this.key = new AwsPlatformKey(this, 'key', {
        name, context: ctx, rotationPeriodDays: preset.keyRotationMaxDays[CloudProvider.AWS], preventDestroy,
        // The policy names the role by its attribute: the key is created after it.
        autoScalingServiceLinkedRoleArn: this.autoScalingRole.arn,
      });
      this.kmsKeyArn = this.key.keyArn;
    }
    const kmsKeyArn = this.kmsKeyArn;

    if (preset.bucketAccessLogging) {
      this.accessLogs = new AwsAccessLogBucket(this, 'access-logs', { name, context: ctx, retentionDays: retention, preventDestroy });
    }
    this.artifactStore = new AwsArtifactStore(this, 'artifacts', { name, kmsKeyArn, accessLogBucket: this.accessLogs?.bucketName, preventDestroy });
    this.shellAudit = new AwsShellAudit(this, 'shell-audit', {
      name, context: ctx, kmsKeyArn, logRetentionDays: retention, preventDestroy,
      manageAccountSessionPreferences: props.manageAccountSessionPreferences,
    });
    this.nodeIdentity = new AwsNodeIdentity(this, 'node-identity', {
      name, context: ctx, artifactBucketArn: this.artifactStore.bucketArn, kmsKeyArn, sessionEncryption: true,
      eksClusterArn: k8s ? ctx.arn('eks', `cluster/${name}`) : undefined,
    });
    this.observability = new AwsObservability(this, 'observability', {
      name, context: ctx, kmsKeyArn, logRetentionDays: retention, alertEmails: plan.observability.alertEmails, preventDestroy,
    });

    let vpcCidr: string;
    if (props.existingNetwork) {
      this.vpcId = props.existingNetwork.vpcId;
      this.privateSubnetIds = props.existingNetwork.privateSubnetIds;
      vpcCidr = props.existingNetwork.vpcCidr;
      if (!isLiteral(vpcCidr)) {
        Annotations.of(this).addWarning('existingNetwork.vpcCidr is a Terraform reference: the host guard, rendered into user data at synth, ' +
          'cannot keep sandboxes off the VPC\'s addresses (other nodes, endpoints). Pass the CIDR as a literal string.');
      }
    } else {
      this.network = new AwsSandboxNetwork(this, 'network', {
        name, network: plan.network, context: ctx, kmsKeyArn, logRetentionDays: retention, preventDestroy, region: props.region,
        kubernetesNodes: k8s !== undefined,
        runtimeDomains: k8s && plan.network.egress === EgressMode.FIREWALL ? sandboxRuntimeDomains(plan.pools) : undefined,
      });
      this.vpcId = this.network.vpcId;
      this.privateSubnetIds = this.network.privateSubnetIds;
      vpcCidr = plan.network.cidr;
    }

    // Kubernetes mode: the cluster first; every pool (and the system node group) joins it as a
    // self-managed node group (managed node groups drop nested virtualization, and one mechanism
    // for every pool keeps the host bootstrap and guard identical).
    const k8sNodes = k8s ? this.buildKubernetes(plan, k8s, props, vpcCidr) : undefined;
    const pools: { [name: string]: AwsNodePool } = {};
    for (const pool of k8s ? [systemPool(plan), ...plan.pools] : plan.pools) {
      const p = new AwsNodePool(this, `pool-${pool.name}`, {
        platformName: name, pool, context: ctx, vpcId: this.vpcId, vpcCidr, subnetIds: this.privateSubnetIds,
        egress: plan.network.egress, instanceProfileArn: this.nodeIdentity.instanceProfile.arn, kmsKeyArn,
        bootstrapLogGroupName: this.observability.bootstrapLogGroupName,
        commandLogGroupName: shellAuditLogGroups(name).commands,
        existingNetwork: props.existingNetwork !== undefined,
        serviceLinkedRoleArn: this.autoScalingRole.arn,
        // A node's first boot needs its role's grants, a route out and (controlled egress) the
        // endpoints and DNS firewall; the key's policy too, for its encrypted root volume (finding 8).
        dependsOn: [...this.nodeIdentity.grants, ...(this.network?.nodePrerequisites ?? []), ...(this.key ? [this.key.key] : []),
          ...(k8sNodes?.prerequisites ?? [])],
        kubernetes: k8sNodes?.join,
      });
      pools[pool.name] = p;
      this.observability.addPool({ name: pool.name, autoScalingGroupName: p.autoScalingGroup.name, maxNodes: pool.maxNodes, minNodes: pool.minNodes });
    }
    this.pools = pools;
    // CoreDNS and the EBS CSI controller need a node: after the system group is in service (its nodes joined).
    if (this.kubernetes) this.kubernetes.addons.addWorkloadAddons([pools[SYSTEM_POOL_NAME].autoScalingGroup]);

    if (plan.controlPlane) {
      this.controlPlane = new AwsControlPlaneAccess(this, 'control-plane', {
        name, context: ctx, controlPlane: plan.controlPlane, artifactBucketArn: this.artifactStore.bucketArn, kmsKeyArn,
        commandDocumentArn: this.shellAudit.commandDocument.arn,
        eksClusterArn: k8s ? ctx.arn('eks', `cluster/${name}`) : undefined,
      });
    }
    if (this.kubernetes && this.controlPlane && plan.controlPlane) {
      this.kubernetes.addVendor(this.controlPlane.role.arn, plan.controlPlane);
    }
    if (plan.observability.createAuditTrail) {
      this.auditTrail = new AwsAuditTrail(this, 'audit', {
        name, context: ctx, kmsKeyArn, logRetentionDays: retention, accessLogBucket: this.accessLogs?.bucketName,
        dataEventBucketArn: preset.bucketAccessLogging ? this.artifactStore.bucketArn : undefined, preventDestroy,
        // hipaa: log files are write-once for the retention floor (lockLogRetention, finding 6).
        objectLock: preset.lockLogRetention
          ? { mode: props.auditObjectLockMode ?? S3ObjectLockMode.GOVERNANCE, days: retention } : undefined,
      });
    }
    this.outputs();
    enforcePlanProfile(this, plan, props.enforceCompliance !== false);
  }

  /**
   * The EKS cluster, add-ons and access entries, and what each node group needs to join: the node
   * role's access entry and the node add-ons (VPC CNI first: nodes are NotReady without it).
   */
  private buildKubernetes(plan: ResolvedPlatform, k8s: ResolvedKubernetes, props: AwsSandboxPlatformProps, vpcCidr: string) {
    const ctx = this.context;
    const { AwsKubernetes } = loadEks();
    const kubernetes = new AwsKubernetes(this, 'kubernetes', {
      name: plan.name, kubernetes: k8s, context: ctx, vpcId: this.vpcId, vpcCidr, subnetIds: this.privateSubnetIds, kmsKeyArn: this.kmsKeyArn,
      logRetentionDays: plan.observability.logRetentionDays, preventDestroy: plan.preset.preventDestroy,
      clusterAdminPrincipalArns: props.clusterAdminPrincipalArns,
      // Nodes under egress "none" find the bucket their runtime comes from through a cluster tag.
      artifactBucketName: this.artifactStore.bucketName,
      // The key policy before the cluster uses the key; a route out or the endpoints before anything joins it.
      dependsOn: [...(this.key ? [this.key.key] : []), ...(this.network?.nodePrerequisites ?? [])],
    });
    (this as { kubernetes?: AwsKubernetes }).kubernetes = kubernetes;
    const nodeEntry = kubernetes.access.addNodeRole('nodes', this.nodeIdentity.role.arn);
    writeKubernetesManifests(this, renderKubernetesManifests(plan.name, k8s));
    return {
      join: { clusterName: plan.name, version: k8s.version, nodeSecurityGroupId: kubernetes.cluster.nodeSecurityGroup.id },
      prerequisites: [kubernetes.cluster.cluster, nodeEntry, ...Object.values(kubernetes.addons.addons)],
    };
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
    if (this.kubernetes && this.plan.kubernetes) {
      const c = this.kubernetes.cluster.cluster;
      out('kubernetes_manifests', JSON.stringify(renderKubernetesManifests(this.plan.name, this.plan.kubernetes)),
        `RuntimeClasses (and the NVIDIA device plugin) to apply to the cluster; also ${KUBERNETES_MANIFESTS_FILE} beside cdk.tf.json`);
      out('eks_cluster_name', c.name, 'EKS cluster of the platform');
      out('eks_cluster_endpoint', c.endpoint, 'Kubernetes API endpoint (private unless apiEndpoint is restricted-public)');
      out('eks_cluster_certificate_authority', c.certificateAuthority.get(0).data, 'Base64 CA bundle of the Kubernetes API');
      out('eks_cluster_security_group_id', c.vpcConfig.clusterSecurityGroupId, 'Security group EKS created for the control plane and nodes');
    }
    if (this.controlPlane) out('control_plane_role_arn', this.controlPlane.role.arn, 'Role the vendor control plane assumes (with its external id)');
  }
}

/**
 * With an existing VPC the platform creates no network, so every spec.network field that would
 * shape one is refused (consumer review item 3): an allow-list that silently became "443 to
 * anywhere" is worse than an error. All problems are reported at once.
 */
function checkExistingNetwork(scope: Construct, props: AwsSandboxPlatformProps): void {
  const net = props.spec.network;
  const c = new IssueCollector();
  const fix = 'remove it: with existingNetwork the platform creates no network, and egress control is the existing VPC\'s ' +
    '(route its subnets through your firewall or proxy), or drop existingNetwork to let the platform build the VPC';
  if (net?.egress?.mode === EgressMode.FIREWALL) {
    c.add('spec.network.egress.mode', `${show(net.egress.mode)} cannot be enforced in an existing VPC: the Network Firewall, its routes and the DNS firewall are built only with the platform's own VPC`,
      `set "nat" (nodes get TCP 443/80 to anywhere; your routing decides) or "none", or ${fix.slice(fix.indexOf('drop'))}`);
  }
  if (net?.egress?.allowedDomains !== undefined) c.add('spec.network.egress.allowedDomains', `${show(net.egress.allowedDomains)} would not be enforced by anything`, fix);
  for (const field of ['cidr', 'zones', 'availabilityZones'] as const) {
    if (net?.[field] !== undefined) c.add(`spec.network.${field}`, `${show(net[field])} does not apply: the existing VPC's layout is used`, fix);
  }
  const cidr = props.existingNetwork!.vpcCidr;
  const parsed = isLiteral(cidr) ? parseIpv4Cidr(cidr) : undefined;
  if (typeof parsed === 'string') {
    c.add('existingNetwork.vpcCidr', parsed, 'give the VPC\'s primary CIDR (its network address), e.g. "10.20.0.0/16"');
  }
  c.throwIfAny(`construct ${scope.node.path} (existingNetwork)`);
  if (props.spec.compliance !== ComplianceProfile.BASELINE) {
    Annotations.of(scope).addWarning(`existingNetwork: the ${props.spec.compliance} preset's network controls (VPC flow logs of ALL traffic, ` +
      'one NAT gateway per zone, interface endpoints with data-perimeter policies, the DNS firewall, the default security group closed) ' +
      'are not created; the existing VPC must provide them.');
  }
}

// Kubernetes-mode modules load on first use: their cluster bindings cost every instance-mode
// synth memory and time (google_container_cluster alone is ~14 MB per process).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const loadEks = (): typeof import('./eks') => require('./eks');
