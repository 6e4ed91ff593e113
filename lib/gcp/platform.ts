import { ComputeHealthCheck } from '@cdktf/provider-google/lib/compute-health-check';
import { DataGoogleComputeZones } from '@cdktf/provider-google/lib/data-google-compute-zones';
import { Annotations, Fn, ITerraformDependable, TerraformProvider, Token } from 'cdktf';
import { enforcePlanProfile } from '../common/enforce-profile';
import { platformOutput } from '../common/platform-outputs';
import { Construct } from 'constructs';
import { CloudProvider, ComplianceProfile, EgressMode, ResolvedPlatform, SandboxPlatformSpec, resolvePlatform } from '../spec';
import { GcpAccessLogBucket, GcpArtifactStore } from './artifact-store';
import { GcpAuditLogs } from './audit';
import { GcpProjectContext } from './context';
import { GcpControlPlaneAccess } from './control-plane-access';
import { GcpNodeFirewall } from './firewall';
import { GcpKeyGrants, GcpKeyPurpose, GcpPlatformKeys } from './keys';
import { GcpPrivateGoogleApisZone, GcpSandboxNetwork } from './network';
import { GcpNodeIdentity } from './node-identity';
import { GcpNodePool } from './node-pool';
import { GcpObservability } from './observability';
import { GcpNestedVirtualizationPolicy } from './org-policy';
import { applyGcpScope } from './scope-aspect';

/** A VPC the platform joins instead of creating one. */
export interface GcpExistingNetwork {
  /** The network: self link, "projects/P/global/networks/N", or a name in the platform's project. */
  readonly network: string;
  /** The node subnetwork (self link or id; a name means a subnetwork of the platform's region and project). It needs Private Google Access. */
  readonly subnetwork: string;
  /**
   * The subnetwork's name, to route its flow and firewall logs into the platform log bucket.
   * Default: the last path segment of `subnetwork` when it is a plain string; else not routed.
   */
  readonly subnetworkName?: string;
  /**
   * Put the node firewall rules into this global network firewall policy (id or name) that is
   * already associated with the network: a network takes only one. Default: create a policy and
   * associate it (fails if the network already has one).
   */
  readonly firewallPolicy?: string;
  /** First priority of the platform's rules in that policy (they use base .. base+999). Default 1000. */
  readonly firewallPriorityBase?: number;
  /**
   * With egress "firewall" or "none" the node policy denies every egress but the private.googleapis.com
   * range, so the network must resolve *.googleapis.com to it. Create that private DNS zone for the
   * network. Default false (the network may already have one; a second zone for the same name conflicts).
   */
  readonly createPrivateGoogleApisZone?: boolean;
}

export interface GcpSandboxPlatformProps {
  /** The platform spec; validated and resolved against the GCP catalog at construction. */
  readonly spec: SandboxPlatformSpec;
  /** Project of every resource. */
  readonly project: string;
  /** Region of the subnet, NAT, keys, buckets, log bucket and instance groups. */
  readonly region: string;
  /**
   * Zones the instance groups spread over. Default: the first `network.zones` zones of the region
   * that are UP (data.google_compute_zones). Name them when a machine type or GPU is sold only in
   * some zones of the region.
   */
  readonly zones?: string[];
  /** Compose into this VPC: no network, subnet, NAT or DNS zone is created. Default: a new VPC. */
  readonly existingNetwork?: GcpExistingNetwork;
  /**
   * Use this Cloud KMS key (projects/P/locations/<region>/keyRings/R/cryptoKeys/K) for disks,
   * buckets and the log bucket instead of creating a key ring. Default: a new key ring with one
   * key per purpose.
   */
  readonly kmsKeyId?: string;
  /**
   * With kmsKeyId: grant the Compute Engine, Cloud Storage and Cloud Logging service agents
   * encrypter/decrypter on it (needs cloudkms.cryptoKeys.setIamPolicy). Default true.
   */
  readonly grantKmsKeyToServiceAgents?: boolean;
  /** Provider for every resource and data source (aliased providers). Default: the stack's default google provider. */
  readonly provider?: TerraformProvider;
  /**
   * Create a project-level organization policy that does not enforce
   * constraints/compute.disableNestedVirtualization (needs roles/orgpolicy.policyAdmin). Default false:
   * an organization may forbid nested virtualization, and nested pools then fail their KVM check.
   */
  readonly allowNestedVirtualizationPolicy?: boolean;
  /** Local SSD disks to attach per pool name (types that take a chosen number; see GcpNodePoolProps.localSsdDisks). Default none. */
  readonly localSsdDisks?: { [pool: string]: number };
  /** Autohealing: a TCP health check on this port of every node, allowed from Google's health-check ranges. Default: none. */
  readonly healthCheckPort?: number;
  /** Allow SSH through IAP TCP forwarding (35.235.240.0/20) with OS Login. Default false. */
  readonly allowIapSsh?: boolean;
  /** FIREWALL egress: domains the nodes themselves need. Default gcpDefaultNodeDomains(region) (Ops Agent, Ubuntu archives). */
  readonly nodeDomains?: string[];
  /** Bucket names are "<prefix>-artifacts" and "<prefix>-accesslogs". Default "<project>-<name>". */
  readonly bucketNamePrefix?: string;
  /** Key ring name when one is created. Default "<name>-platform". */
  readonly keyRingName?: string;
  /**
   * Enforce the spec's compliance profile on the whole stack at synth (SandboxCompliance.enforce):
   * a violation by any resource in the stack fails synth; reports are written next to cdk.tf.json.
   * Default true.
   */
  readonly enforceCompliance?: boolean;
}

/**
 * Everything a sandbox platform needs in one GCP project and region, wired from the resolved
 * plan: network, keys, node identity, KVM and GPU pools, artifact store, observability, audit and,
 * for BYOC, the vendor control plane's service account. Each part is exposed and usable on its own.
 */
export class GcpSandboxPlatform extends Construct {
  public readonly plan: ResolvedPlatform;
  public readonly context: GcpProjectContext;
  public readonly keys?: GcpPlatformKeys;
  public readonly keyGrants?: GcpKeyGrants;
  /** The Cloud KMS key of each purpose (all the caller's key when kmsKeyId is given). */
  public readonly kmsKeyIds: { readonly [purpose in GcpKeyPurpose]: string };
  public readonly network?: GcpSandboxNetwork;
  /** The network the nodes are in (id or the caller's reference). */
  public readonly networkId: string;
  /** The node subnetwork (id or the caller's reference). */
  public readonly subnetworkId: string;
  public readonly firewall: GcpNodeFirewall;
  public readonly nodeIdentity: GcpNodeIdentity;
  public readonly accessLogs?: GcpAccessLogBucket;
  public readonly artifactStore: GcpArtifactStore;
  public readonly observability: GcpObservability;
  public readonly audit?: GcpAuditLogs;
  public readonly nestedVirtualizationPolicy?: GcpNestedVirtualizationPolicy;
  public readonly healthCheck?: ComputeHealthCheck;
  public readonly pools: { readonly [name: string]: GcpNodePool } = {};
  public readonly controlPlane?: GcpControlPlaneAccess;

  constructor(scope: Construct, id: string, props: GcpSandboxPlatformProps) {
    super(scope, id);
    const plan = resolvePlatform(props.spec, CloudProvider.GCP, { region: props.region, source: `construct ${this.node.path}` });
    this.plan = plan;
    for (const w of plan.warnings) Annotations.of(this).addWarning(`${w.path}: ${w.message}`);
    applyGcpScope(this, plan.tags, props.provider);
    const { name, preset } = plan;
    const preventDestroy = preset.preventDestroy;
    const retention = plan.observability.logRetentionDays;
    const ctx = new GcpProjectContext(this, 'context', { project: props.project, region: props.region });
    this.context = ctx;
    for (const pool of Object.keys(props.localSsdDisks ?? {})) {
      if (!plan.pools.some((p) => p.name === pool)) {
        throw new Error(`${this.node.path}: localSsdDisks names pool ${JSON.stringify(pool)}, which the spec does not have`);
      }
    }

    // Keys: one per purpose, or the caller's for everything.
    let keyId: (purpose: GcpKeyPurpose) => string;
    let grantOf: (purpose: GcpKeyPurpose) => ITerraformDependable[];
    if (props.kmsKeyId) {
      const kmsKeyId = props.kmsKeyId;
      keyId = () => kmsKeyId;
      if (props.grantKmsKeyToServiceAgents ?? true) {
        const grants = new GcpKeyGrants(this, 'key-grants', { kmsKeyId, context: ctx });
        this.keyGrants = grants;
        grantOf = (purpose) => [grants.grants[purpose]];
      } else {
        grantOf = () => [];
      }
    } else {
      const keys = new GcpPlatformKeys(this, 'keys', {
        name, context: ctx, rotationPeriodDays: preset.keyRotationMaxDays[CloudProvider.GCP], preventDestroy, keyRingName: props.keyRingName,
      });
      this.keys = keys;
      keyId = (purpose) => keys.keyId(purpose);
      grantOf = (purpose) => [keys.grants[purpose]];
    }
    this.kmsKeyIds = Object.fromEntries(Object.values(GcpKeyPurpose).map((p) => [p, keyId(p)])) as { [purpose in GcpKeyPurpose]: string };

    // Network.
    let subnetworkName: string | undefined;
    let networkRef: string;
    if (props.existingNetwork) {
      const existing = props.existingNetwork;
      networkRef = ctx.networkPath(existing.network);
      this.networkId = networkRef;
      this.subnetworkId = existing.subnetwork;
      subnetworkName = existing.subnetworkName
        ?? (Token.isUnresolved(existing.subnetwork) ? undefined : existing.subnetwork.split('/').pop());
      if (plan.network.egress !== EgressMode.NAT) {
        if (existing.createPrivateGoogleApisZone) {
          new GcpPrivateGoogleApisZone(this, 'googleapis', { name, context: ctx, network: networkRef });
        } else {
          Annotations.of(this).addWarning(`network.egress: "${plan.network.egress}" allows Google APIs only through private.googleapis.com ` +
            '(199.36.153.8/30): the existing network must resolve *.googleapis.com there (set existingNetwork.createPrivateGoogleApisZone, ' +
            'or add the zone yourself), else nodes cannot write logs or read the artifact bucket');
        }
      }
    } else {
      this.network = new GcpSandboxNetwork(this, 'network', { name, context: ctx, network: plan.network });
      networkRef = this.network.network.id;
      this.networkId = networkRef;
      this.subnetworkId = this.network.subnetwork.id;
      subnetworkName = `${name}-nodes`;
    }

    this.nodeIdentity = new GcpNodeIdentity(this, 'node-identity', { name, context: ctx });
    this.firewall = new GcpNodeFirewall(this, 'firewall', {
      name, context: ctx, egress: plan.network.egress, allowedDomains: plan.network.allowedDomains, nodeDomains: props.nodeDomains,
      nodeServiceAccountEmail: this.nodeIdentity.email,
      network: props.existingNetwork?.firewallPolicy ? undefined : networkRef,
      existingPolicy: props.existingNetwork?.firewallPolicy,
      priorityBase: props.existingNetwork?.firewallPriorityBase,
      healthCheckPort: props.healthCheckPort,
      allowIapSsh: props.allowIapSsh,
    });
    for (const d of this.firewall.subdomainWildcards) {
      Annotations.of(this).addWarning(`network.egress.allowedDomains: ${JSON.stringify(d)} allows only ${JSON.stringify(d.slice(1))} on GCP: ` +
        'firewall FQDN objects match exact names, not subdomains; list every subdomain sandboxes need');
    }
    if (plan.network.egress === EgressMode.NONE && !props.existingNetwork) {
      Annotations.of(this).addInfo('network.egress: "none": nodes reach only Google APIs; the image must carry nftables, mdadm, xfsprogs ' +
        '(and the Ops Agent for file logs), since no package repository is reachable');
    }

    // Storage.
    const prefix = props.bucketNamePrefix ?? `${props.project.replace(/[:.]/g, '-')}-${name}`;
    const storageGrant = grantOf(GcpKeyPurpose.STORAGE);
    if (preset.bucketAccessLogging) {
      this.accessLogs = new GcpAccessLogBucket(this, 'access-logs', {
        project: props.project, region: props.region, bucketName: `${prefix}-accesslogs`, kmsKeyId: keyId(GcpKeyPurpose.STORAGE),
        retentionDays: retention, preventDestroy, dependsOn: storageGrant,
      });
    }
    this.artifactStore = new GcpArtifactStore(this, 'artifacts', {
      project: props.project, region: props.region, bucketName: `${prefix}-artifacts`, kmsKeyId: keyId(GcpKeyPurpose.STORAGE),
      accessLogBucket: this.accessLogs?.bucketName, preventDestroy, dependsOn: storageGrant,
    });
    this.nodeIdentity.grantArtifactRead(this.artifactStore.bucketName);

    // Logs, alerts, audit.
    this.observability = new GcpObservability(this, 'observability', {
      name, context: ctx, logRetentionDays: retention, lockRetention: preset.lockLogRetention,
      kmsKeyId: keyId(GcpKeyPurpose.LOGGING), alertEmails: plan.observability.alertEmails, preventDestroy,
      subnetworkName, natName: this.network?.nat ? `${name}-nat` : undefined, dependsOn: grantOf(GcpKeyPurpose.LOGGING),
    });
    // Data Access audit logs are a soc2/hipaa floor; baseline leaves the project's audit configuration alone.
    if (plan.observability.createAuditTrail && plan.compliance !== ComplianceProfile.BASELINE) {
      this.audit = new GcpAuditLogs(this, 'audit', {
        name, context: ctx, logBucketDestination: this.observability.logBucketDestination, dependsOn: [this.observability.logBucket],
      });
    }

    // Pools.
    if (!props.allowNestedVirtualizationPolicy && plan.pools.some((p) => p.nestedVirtualization)) {
      Annotations.of(this).addInfo('nested-virtualization pools: an organization policy may enforce constraints/compute.disableNestedVirtualization ' +
        'for this project; its nodes then fail the KVM check. Set allowNestedVirtualizationPolicy to override it for the project.');
    }
    if (props.allowNestedVirtualizationPolicy) {
      this.nestedVirtualizationPolicy = new GcpNestedVirtualizationPolicy(this, 'nested-virtualization-policy', { project: props.project });
    }
    if (props.healthCheckPort !== undefined) {
      this.healthCheck = new ComputeHealthCheck(this, 'health-check', {
        project: props.project, name: `${name}-nodes`, description: `TCP ${props.healthCheckPort} on sandbox hosts of ${name}`,
        checkIntervalSec: 10, timeoutSec: 5, healthyThreshold: 2, unhealthyThreshold: 6,
        tcpHealthCheck: { port: props.healthCheckPort },
      });
    }
    const zoneCount = props.zones?.length ?? plan.network.zones;
    const zones = props.zones
      ?? Token.asList(Fn.slice(new DataGoogleComputeZones(this, 'zones', { project: props.project, region: props.region, status: 'UP' }).names, 0, zoneCount));
    const pools: { [name: string]: GcpNodePool } = {};
    for (const pool of plan.pools) {
      const dependsOn: ITerraformDependable[] = [...grantOf(GcpKeyPurpose.COMPUTE)];
      if (pool.nestedVirtualization && this.nestedVirtualizationPolicy) dependsOn.push(this.nestedVirtualizationPolicy.policy);
      const p = new GcpNodePool(this, `pool-${pool.name}`, {
        platformName: name, pool, context: ctx, subnetwork: this.subnetworkId, zones, zoneCount,
        serviceAccountEmail: this.nodeIdentity.email, kmsKeyId: keyId(GcpKeyPurpose.COMPUTE),
        localSsdDisks: props.localSsdDisks?.[pool.name], healthCheck: this.healthCheck?.id, dependsOn,
        installOpsAgent: plan.network.egress !== EgressMode.NONE,
      });
      pools[pool.name] = p;
      this.observability.addPool({ name: pool.name, instanceGroupName: p.groupName, maxNodes: pool.maxNodes });
    }
    this.pools = pools;

    if (plan.controlPlane) {
      this.controlPlane = new GcpControlPlaneAccess(this, 'control-plane', {
        name, context: ctx, controlPlane: plan.controlPlane, artifactBucketName: this.artifactStore.bucketName,
        instanceGroupNames: Object.values(pools).map((p) => p.groupName),
      });
    }
    this.outputs();
    enforcePlanProfile(this, plan, props.enforceCompliance !== false);
  }

  /** Outputs the vendor control plane needs, named "<platform>_<what>". */
  private outputs(): void {
    const out = (what: string, value: unknown, description: string) => platformOutput(this, this.plan.name, what, value, description);
    out('network', this.networkId, 'VPC network of the sandbox nodes');
    out('subnetwork', this.subnetworkId, 'Subnetwork of the sandbox nodes');
    out('instance_group_managers', Object.fromEntries(Object.entries(this.pools).map(([k, p]) => [k, p.instanceGroupManager.selfLink])),
      'Regional managed instance group per pool');
    out('node_service_account', this.nodeIdentity.email, 'Service account of the sandbox nodes');
    out('artifact_bucket', this.artifactStore.bucketName, 'Cloud Storage bucket for sandbox templates and snapshots');
    out('kms_keys', this.kmsKeyIds, 'Cloud KMS key per purpose (compute, storage, logging)');
    out('log_bucket', this.observability.logBucket.name, 'Cloud Logging bucket of the platform');
    if (this.controlPlane) {
      out('control_plane_service_account', this.controlPlane.email, 'Service account the vendor control plane impersonates');
    }
  }
}
