import { ComputeHealthCheck } from '@cdktf/provider-google/lib/compute-health-check';
import { Annotations, ITerraformDependable, TerraformProvider, Token } from 'cdktf';
import { TimeSleep } from '../common/time-sleep';
import { enforcePlanProfile } from '../common/enforce-profile';
import { platformOutput } from '../common/platform-outputs';
import { Construct } from 'constructs';
import { writeKubernetesManifests } from '../common/kubernetes-manifests-file';
import {
  CloudProvider, ComplianceProfile, DeploymentModel, EgressMode, KUBERNETES_MANIFESTS_FILE, Orchestrator, PoolKind, ResolvedKubernetes, ResolvedPlatform,
  SandboxPlatformSpec, SpecIssue, SpecValidationError, resolvePlatform,
} from '../spec';
import { Ipv4Cidr, mask, parseIpv4Cidr } from '../spec/cidr';
import { GCP_IAM_PROPAGATION, GcpApi, GcpProjectServices, applyGcpApiDependencies } from './apis';
import { GcpArtifactStore } from './artifact-store';
import { GcpAuditLogs } from './audit';
import { GcpProjectContext } from './context';
import { GcpControlPlaneAccess } from './control-plane-access';
import { GcpNodeFirewall } from './firewall';
import { GcpKeyGrants, GcpKeyPurpose, GcpPlatformKeys } from './keys';
import { GcpPrivateGoogleApisZone, GcpSandboxNetwork } from './network';
import { gcpSecureBoot } from './machine';
import { GcpNodeIdentity } from './node-identity';
import { GcpNodePool } from './node-pool';
import type { GcpKubernetes } from './gke';
import type { GkeIpRanges } from './gke-cluster';
import { gkeKubernetesManifests } from './gke-manifests';
import { GcpObservability } from './observability';
import { GcpNestedVirtualizationPolicy } from './org-policy';
import { gcpZoneRestricted, resolveGcpPlacement } from './placement';
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
   * Zones the instance groups spread over. Default: spec.network.availabilityZones; one of the two is
   * required (both given: they must agree). Zones are never read from a data source:
   * distribution_policy_zones forces a group's replacement when it changes (see placement.ts).
   */
  readonly zones?: string[];
  /**
   * Zones per pool, for machine types some zones do not sell (GPU and bare-metal pools): e.g.
   * { l4: ["us-central1-a", "us-central1-c"] }. Default: the platform's zones (GPU and metal pools
   * then get a warning naming the check to run). Those pools use the BALANCED distribution shape.
   */
  readonly poolZones?: { [pool: string]: string[] };
  /**
   * Enable the APIs the platform uses (google_project_service, never disabled on destroy) and make
   * every resource wait for them. Default true; set false when the project's APIs are managed
   * elsewhere (then they are a prerequisite: docs/gcp.md).
   */
  readonly enableApis?: boolean;
  /**
   * Pools whose image carries NVIDIA kernel modules signed for Secure Boot (e.g. Ubuntu with
   * Canonical-signed linux-modules-nvidia-*): their nodes keep Secure Boot on. Default none: GPU
   * pools run with Secure Boot off, which an organization enforcing constraints/compute.requireShieldedVm rejects.
   */
  readonly secureBootPools?: string[];
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
  public readonly kmsKeyIds: { readonly [purpose: string]: string };
  public readonly network?: GcpSandboxNetwork;
  /** The network the nodes are in (id or the caller's reference). */
  public readonly networkId: string;
  /** The node subnetwork (id or the caller's reference). */
  public readonly subnetworkId: string;
  public readonly firewall: GcpNodeFirewall;
  public readonly nodeIdentity: GcpNodeIdentity;
  public readonly apis?: GcpProjectServices;
  public readonly artifactStore: GcpArtifactStore;
  public readonly observability: GcpObservability;
  public readonly audit?: GcpAuditLogs;
  public readonly nestedVirtualizationPolicy?: GcpNestedVirtualizationPolicy;
  public readonly healthCheck?: ComputeHealthCheck;
  public readonly pools: { readonly [name: string]: GcpNodePool } = {};
  public readonly controlPlane?: GcpControlPlaneAccess;
  /** Kubernetes mode: the GKE cluster, its Secrets key and node pools (then `pools` is empty). */
  public readonly kubernetes?: GcpKubernetes;

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
    // Placement first: every problem with zones at once, before any resource exists.
    const placement = resolveGcpPlacement({
      region: props.region, zones: props.zones, specZones: plan.network.availabilityZones, poolZones: props.poolZones, pools: plan.pools,
    });
    const secureBootPools = props.secureBootPools ?? [];
    const unknownSecureBoot = secureBootPools.filter((p) => !plan.pools.some((x) => x.name === p));
    const placementIssues = [...placement.issues, ...unknownSecureBoot.map((p) => ({
      path: 'secureBootPools', message: `names pool ${JSON.stringify(p)}, which the spec does not have`, hint: 'list pool names of the spec',
    }))];
    if (placementIssues.length > 0) throw new SpecValidationError(placementIssues, `construct ${this.node.path}`);
    const kubernetesMode = plan.orchestrator === Orchestrator.KUBERNETES;
    for (const pool of placement.unconfirmed) {
      if (kubernetesMode) {
        // A GKE node pool is created in all its zones or not at all.
        Annotations.of(this).addWarning(`${pool.kind === PoolKind.GPU ? 'gpuPools' : 'sandboxPools'}: node pool ${pool.name} (${pool.instanceType}) uses ` +
          `${placement.poolZones[pool.name].join(', ')}; Compute Engine sells this machine type only in some zones, and GKE fails to create a node pool ` +
          `whose zones do not all sell it. Name the zones that do with poolZones.${pool.name} ` +
          `(\`gcloud compute machine-types list --filter="name=${pool.instanceType}" --zones=${placement.poolZones[pool.name].join(',')}\`)`);
        continue;
      }
      Annotations.of(this).addWarning(`${pool.kind === PoolKind.GPU ? 'gpuPools' : 'sandboxPools'}: pool ${pool.name} (${pool.instanceType}) spreads over ` +
        `${placement.poolZones[pool.name].join(', ')}; Compute Engine sells this machine type only in some zones. The group uses the BALANCED ` +
        `shape, so a zone without it does not block the others, but name the zones that sell it with poolZones.${pool.name} ` +
        `(\`gcloud compute machine-types list --filter="name=${pool.instanceType}" --zones=${placement.poolZones[pool.name].join(',')}\`)`);
    }
    const k8s = plan.orchestrator === Orchestrator.KUBERNETES ? plan.kubernetes : undefined;
    if (k8s) checkGkeSupport(this, plan, props);
    if (!k8s) this.warnOrganizationPolicies(plan, secureBootPools);

    // APIs: enabled first; every Google resource and data source below waits for them.
    if (props.enableApis ?? true) {
      this.apis = new GcpProjectServices(this, 'apis', { project: props.project, apis: this.apisNeeded(plan, props) });
      applyGcpApiDependencies(this, this.apis.ready);
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
    this.kmsKeyIds = Object.fromEntries(Object.values(GcpKeyPurpose).map((p) => [p, keyId(p)]));
    // A grant is not usable the moment it exists: Cloud Storage and Cloud Logging check the key when the
    // bucket is created, Compute Engine when each VM starts. IAM changes take "typically 2 minutes"
    // (cloud.google.com/iam/docs/access-change-propagation).
    const grantsReady = new Map<GcpKeyPurpose, ITerraformDependable[]>();
    const keyGrantsPropagated = (purpose: GcpKeyPurpose): ITerraformDependable[] => {
      const grants = grantOf(purpose);
      if (grants.length === 0) return [];
      if (!grantsReady.has(purpose)) {
        grantsReady.set(purpose, [new TimeSleep(this, `${purpose}-key-grant-propagation`, { createDuration: GCP_IAM_PROPAGATION, dependsOn: grants })]);
      }
      return grantsReady.get(purpose)!;
    };

    // Network.
    let subnetworkName: string | undefined;
    let networkRef: string;
    const networkDeps: ITerraformDependable[] = [];
    if (props.existingNetwork) {
      const existing = props.existingNetwork;
      this.warnExistingNetwork(props.spec, plan);
      networkRef = ctx.networkPath(existing.network);
      this.networkId = networkRef;
      this.subnetworkId = existing.subnetwork;
      subnetworkName = existing.subnetworkName
        ?? (Token.isUnresolved(existing.subnetwork) ? undefined : existing.subnetwork.split('/').pop());
      if (plan.network.egress !== EgressMode.NAT) {
        if (existing.createPrivateGoogleApisZone) {
          networkDeps.push(...new GcpPrivateGoogleApisZone(this, 'googleapis', { name, context: ctx, network: networkRef }).records);
        } else {
          Annotations.of(this).addWarning(`network.egress: "${plan.network.egress}" allows Google APIs only through private.googleapis.com ` +
            '(199.36.153.8/30): the existing network must resolve *.googleapis.com there (set existingNetwork.createPrivateGoogleApisZone, ' +
            'or add the zone yourself), else nodes cannot write logs or read the artifact bucket');
        }
      }
    } else {
      this.network = new GcpSandboxNetwork(this, 'network', {
        name, context: ctx, network: plan.network,
        secondaryRanges: k8s ? [
          { rangeName: gkeIpRanges(name).podsRangeName, ipCidrRange: GKE_POD_RANGE },
          { rangeName: gkeIpRanges(name).servicesRangeName, ipCidrRange: GKE_SERVICE_RANGE },
        ] : undefined,
      });
      if (this.network.nat) networkDeps.push(this.network.nat);
      if (this.network.googleApisZone) networkDeps.push(...this.network.googleApisZone.records);
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
    // Kubernetes mode: nodes and pods reach each other and the control plane's private endpoint (in the
    // node subnetwork). Before nodeDeps is taken below: the cluster's default pool needs these rules to register.
    if (k8s) this.firewall.allowClusterRanges([plan.network.cidr, GKE_POD_RANGE, GKE_SERVICE_RANGE]);
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
    // Object access is recorded by Data Access audit logs (GcpAuditLogs), not by legacy usage logs,
    // whose writer group (cloud-storage-analytics@google.com) Domain Restricted Sharing rejects.
    this.artifactStore = new GcpArtifactStore(this, 'artifacts', {
      project: props.project, region: props.region, bucketName: `${prefix}-artifacts`, kmsKeyId: keyId(GcpKeyPurpose.STORAGE),
      preventDestroy, dependsOn: keyGrantsPropagated(GcpKeyPurpose.STORAGE),
    });
    const artifactRead = this.nodeIdentity.grantArtifactRead(this.artifactStore.bucketName);

    // Logs, alerts, audit.
    this.observability = new GcpObservability(this, 'observability', {
      name, context: ctx, logRetentionDays: retention, lockRetention: preset.lockLogRetention,
      kmsKeyId: keyId(GcpKeyPurpose.LOGGING), alertEmails: plan.observability.alertEmails, preventDestroy,
      subnetworkName, natName: this.network?.nat ? `${name}-nat` : undefined, dependsOn: keyGrantsPropagated(GcpKeyPurpose.LOGGING),
      kubernetesClusterName: k8s ? name : undefined,
    });
    // Data Access audit logs are a soc2/hipaa floor; baseline leaves the project's audit configuration alone.
    if (plan.observability.createAuditTrail && plan.compliance !== ComplianceProfile.BASELINE) {
      this.audit = new GcpAuditLogs(this, 'audit', {
        name, context: ctx, retentionDays: retention, lockRetention: preset.lockLogRetention, kmsKeyId: keyId(GcpKeyPurpose.LOGGING),
        preventDestroy, dependsOn: keyGrantsPropagated(GcpKeyPurpose.LOGGING),
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
    // What a node needs from its first minute: its key grant, its network (firewall rules and
    // association, googleapis records, NAT) and its identity's grants (logs, metrics, artifacts).
    const nodeDeps: ITerraformDependable[] = [
      ...keyGrantsPropagated(GcpKeyPurpose.COMPUTE),
      ...this.firewall.rules, ...(this.firewall.association ? [this.firewall.association] : []),
      ...networkDeps, ...this.nodeIdentity.projectRoles, artifactRead,
    ];
    const pools: { [name: string]: GcpNodePool } = {};
    if (k8s) {
      const gkeNodeRole = this.nodeIdentity.grantGkeNode();
      const { GcpKubernetes } = loadGke();
      (this as { kubernetes?: GcpKubernetes }).kubernetes = new GcpKubernetes(this, 'kubernetes', {
        plan, context: ctx, network: networkRef, subnetwork: this.subnetworkId, ipRanges: gkeIpRanges(name),
        zones: [...placement.zones], poolZones: Object.fromEntries(Object.entries(placement.poolZones).map(([k, v]) => [k, [...v]])),
        keyRingId: this.keys?.keyRing.id, secretsKmsKeyId: props.kmsKeyId,
        rotationPeriodDays: preset.keyRotationMaxDays[CloudProvider.GCP],
        nodeServiceAccountEmail: this.nodeIdentity.email, bootDiskKmsKeyId: keyId(GcpKeyPurpose.COMPUTE),
        firewall: this.firewall, preventDestroy,
        // The cluster's short-lived default pool boots like any node (and every pool after it).
        dependsOn: [...nodeDeps, gkeNodeRole, ...(this.nestedVirtualizationPolicy ? [this.nestedVirtualizationPolicy.policy] : [])],
      });
    }
    for (const pool of k8s ? [] : plan.pools) {
      const dependsOn: ITerraformDependable[] = [...nodeDeps];
      if (pool.nestedVirtualization && this.nestedVirtualizationPolicy) dependsOn.push(this.nestedVirtualizationPolicy.policy);
      const p = new GcpNodePool(this, `pool-${pool.name}`, {
        platformName: name, pool, context: ctx, subnetwork: this.subnetworkId, zones: [...placement.poolZones[pool.name]],
        serviceAccountEmail: this.nodeIdentity.email, kmsKeyId: keyId(GcpKeyPurpose.COMPUTE),
        localSsdDisks: props.localSsdDisks?.[pool.name], healthCheck: this.healthCheck?.id, dependsOn,
        installOpsAgent: plan.network.egress !== EgressMode.NONE, egress: plan.network.egress, allowedDomains: plan.network.allowedDomains,
        secureBoot: secureBootPools.includes(pool.name) ? true : undefined,
      });
      pools[pool.name] = p;
      this.observability.addPool({
        name: pool.name, instanceGroupName: p.groupName, minNodes: pool.minNodes, maxNodes: pool.maxNodes, kvmRequired: pool.kvmRequired,
      });
    }
    this.pools = pools;

    if (plan.controlPlane) {
      this.controlPlane = new GcpControlPlaneAccess(this, 'control-plane', {
        name, context: ctx, controlPlane: plan.controlPlane, artifactBucketName: this.artifactStore.bucketName,
        instanceGroupNames: Object.values(pools).map((p) => p.groupName), logViewName: this.observability.vendorViewName,
      });
      this.kubernetes?.addVendor(this.controlPlane.serviceAccount.member, plan.controlPlane.access);
      Annotations.of(this).addWarning('controlPlane.principal: the vendor\'s service account belongs to another organization; an organization ' +
        'with Domain Restricted Sharing (constraints/iam.allowedPolicyMemberDomains, enforced by default for organizations created on or after ' +
        '3 May 2024) rejects the impersonation grant with "do not belong to a permitted customer". Allow the vendor\'s customer ID for this ' +
        'project first (docs/gcp.md, prerequisites).');
    }
    if (k8s) writeKubernetesManifests(this, this.kubernetesManifests(k8s, props));
    this.outputs(k8s ? this.kubernetesManifests(k8s, props) : undefined);
    enforcePlanProfile(this, plan, props.enforceCompliance !== false);
  }

  /** The cluster objects to apply (RuntimeClasses, the Kata installer, the vendor's RBAC binding). */
  private kubernetesManifests(k8s: ResolvedKubernetes, props: GcpSandboxPlatformProps): object {
    const cp = this.plan.controlPlane;
    // GKE authenticates a Google service account as the Kubernetes User named by its e-mail, which is
    // "<account id>@<project>.iam.gserviceaccount.com" (cloud.google.com/iam/docs/service-account-overview).
    const vendor = cp ? { email: `${this.plan.name}-control@${props.project}.iam.gserviceaccount.com`, access: cp.access } : undefined;
    return gkeKubernetesManifests(this.plan.name, k8s, vendor);
  }

  /** The APIs this platform's resources call (GcpApi). */
  private apisNeeded(plan: ResolvedPlatform, props: GcpSandboxPlatformProps): GcpApi[] {
    const apis = [GcpApi.COMPUTE, GcpApi.CLOUDKMS, GcpApi.IAM, GcpApi.RESOURCE_MANAGER, GcpApi.LOGGING, GcpApi.MONITORING, GcpApi.STORAGE];
    const dnsZone = plan.network.egress !== EgressMode.NAT && (!props.existingNetwork || props.existingNetwork.createPrivateGoogleApisZone);
    if (dnsZone) apis.push(GcpApi.DNS);
    if (props.allowNestedVirtualizationPolicy) apis.push(GcpApi.ORG_POLICY);
    if (plan.deployment === DeploymentModel.BYOC) apis.push(GcpApi.IAM_CREDENTIALS);
    if (plan.orchestrator === Orchestrator.KUBERNETES) apis.push(GcpApi.CONTAINER);
    return apis;
  }

  /**
   * Organization policies the stack cannot change but that break pools (docs/gcp.md, prerequisites):
   * constraints/compute.requireShieldedVm rejects VMs without Secure Boot ("requires that all new
   * Compute Engine VM instances use Shielded disk images with Secure Boot, vTPM, and Integrity
   * Monitoring options enabled": the constraint's description), which GPU pools turn off for their
   * driver images.
   */
  private warnOrganizationPolicies(plan: ResolvedPlatform, secureBootPools: readonly string[]): void {
    const insecure = plan.pools.filter((p) => !secureBootPools.includes(p.name) && !gcpSecureBoot(p));
    if (insecure.length > 0) {
      Annotations.of(this).addWarning(`gpuPools: ${insecure.map((p) => p.name).join(', ')} run with Secure Boot off (the NVIDIA modules of the default ` +
        'driver image are not signed for it). An organization that enforces constraints/compute.requireShieldedVm rejects these VMs: the group ' +
        'then never creates nodes (apply still succeeds). Use an image with signed NVIDIA modules and list the pools in secureBootPools, ' +
        'or exempt the project from the constraint.');
    }
    if (plan.pools.some((p) => gcpZoneRestricted(p) && p.shape?.metal)) {
      Annotations.of(this).addInfo('bare-metal pools: the template requests vTPM and integrity monitoring like every pool (GCP-CE-SHIELD); ' +
        'whether Compute Engine offers Shielded VM features on -metal types could not be confirmed from Google\'s documentation: ' +
        'if node creation fails with a Shielded VM error, report it (docs/gcp.md).');
    }
  }

  /**
   * With an existing network, spec.network no longer decides the CIDR (the subnetwork's own range
   * does) or the NAT (the network's own, if any); egress is still enforced by the node firewall
   * policy, FQDN allow-list included. Every field that stops applying gets a warning.
   */
  private warnExistingNetwork(spec: SandboxPlatformSpec, plan: ResolvedPlatform): void {
    const net = spec.network ?? {};
    const warn = (path: string, message: string) => Annotations.of(this).addWarning(`${path}: ${message}`);
    if (net.cidr !== undefined) {
      warn('network.cidr', `${JSON.stringify(net.cidr)} is ignored with existingNetwork: nodes take addresses from the existing subnetwork's range`);
    }
    if (net.zones !== undefined && net.availabilityZones === undefined) {
      warn('network.zones', 'only counts zones; with existingNetwork (as without) the zones themselves come from network.availabilityZones or zones');
    }
    const egress = plan.network.egress;
    if (egress !== EgressMode.NONE) {
      warn('network.egress.mode', `"${egress}" with existingNetwork: the platform creates no Cloud NAT; the existing network must give the ` +
        `subnetwork internet egress (Cloud NAT) for ${egress === EgressMode.NAT ? 'HTTP(S)' : 'the allow-listed domains'}. The node firewall ` +
        'policy still allows only what the mode allows, provided no VPC firewall rule of that network allows more and the network evaluates ' +
        'firewall policies first (network_firewall_policy_enforcement_order = BEFORE_CLASSIC_FIREWALL)');
    } else {
      warn('network.egress.mode', '"none" with existingNetwork: the node firewall policy denies all egress but Google APIs; the existing network\'s ' +
        'routes and NAT are left as they are');
    }
    if (egress !== EgressMode.NAT) {
      warn('network.egress', 'with existingNetwork no DNS query logging is set up (a network takes one DNS server policy): enable logging in ' +
        'the network\'s own policy to record sandbox lookups');
    }
  }

  /** Outputs the vendor control plane needs, named "<platform>_<what>". */
  private outputs(manifests?: object): void {
    const out = (what: string, value: unknown, description: string) => platformOutput(this, this.plan.name, what, value, description);
    if (this.kubernetes && manifests) {
      const c = this.kubernetes.cluster.cluster;
      out('kubernetes_manifests', JSON.stringify(manifests),
        `RuntimeClasses, the Kata installer and the vendor's RBAC binding to apply to the cluster; also ${KUBERNETES_MANIFESTS_FILE} beside cdk.tf.json`);
      out('gke_cluster_name', c.name, 'GKE cluster of the platform');
      out('gke_cluster_id', c.id, 'GKE cluster id (projects/P/locations/R/clusters/N)');
      out('gke_cluster_endpoint', c.endpoint, 'Kubernetes API endpoint (private unless apiEndpoint is restricted-public)');
      out('gke_cluster_ca_certificate', c.masterAuth.clusterCaCertificate, 'Base64 CA certificate of the Kubernetes API');
    }
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

/** Pods of a GKE platform: a secondary range of the node subnetwork in 100.64.0.0/10 (RFC 6598), which GKE accepts for pods and Services (cloud.google.com/kubernetes-engine/docs/concepts/alias-ips, valid ranges). */
export const GKE_POD_RANGE = '100.64.0.0/14';
/** Services of a GKE platform: the next block of the same space. */
export const GKE_SERVICE_RANGE = '100.68.0.0/20';

/** Secondary range names of a platform's node subnetwork. */
export function gkeIpRanges(name: string): GkeIpRanges {
  return { podsRangeName: `${name}-pods`, servicesRangeName: `${name}-services` };
}

/**
 * What this version of the GKE mode does not build, refused with the fix (all at once):
 * instance-group props (localSsdDisks, healthCheckPort, secureBootPools), an existing network (its subnetwork would need the pod and Service secondary ranges), egress
 * "firewall" or "none" (GKE nodes pull their system images from gke.gcr.io and *.pkg.dev, which need
 * private DNS zones for gcr.io and pkg.dev not built yet), and a network CIDR that overlaps the pod
 * and Service ranges.
 */
function checkGkeSupport(scope: Construct, plan: ResolvedPlatform, props: GcpSandboxPlatformProps): void {
  const issues: SpecIssue[] = [];
  if (props.existingNetwork) {
    issues.push({ path: 'existingNetwork', message: 'is not supported with orchestrator "kubernetes" on GCP yet: the GKE cluster needs pod and Service secondary ranges on its subnetwork',
      hint: 'let the platform create its network (remove existingNetwork), or use orchestrator "instances"' });
  }
  if (plan.network.egress !== EgressMode.NAT) {
    issues.push({ path: 'network.egress.mode', message: `"${plan.network.egress}" is not supported with orchestrator "kubernetes" on GCP yet: GKE nodes pull system ` +
      'images from gke.gcr.io and *.pkg.dev, which would need private DNS zones for gcr.io and pkg.dev that this version does not create',
    hint: 'use egress "nat" (sandbox egress is then limited by NetworkPolicy, which Dataplane V2 enforces), or orchestrator "instances"' });
  }
  const instanceOnly: [string, unknown][] = [
    ['localSsdDisks', props.localSsdDisks], ['healthCheckPort', props.healthCheckPort], ['secureBootPools', props.secureBootPools],
  ];
  for (const [prop, value] of instanceOnly) {
    if (value === undefined) continue;
    issues.push({ path: prop, message: 'applies to instance groups only; GKE manages its nodes (health, repair, Secure Boot on every pool)',
      hint: `remove ${prop}, or use orchestrator "instances"` });
  }
  if (plan.controlPlane && Token.isUnresolved(props.project)) {
    issues.push({ path: 'project', message: 'is a Terraform reference; the vendor\'s RBAC binding in kubernetes-manifests.json names its service account by e-mail (<name>-control@<project>.iam.gserviceaccount.com), written at synth',
      hint: 'pass the project id as a literal string' });
  }
  const net = parseIpv4Cidr(plan.network.cidr);
  const shared = parseIpv4Cidr('100.64.0.0/10');
  if (typeof net !== 'string' && typeof shared !== 'string' && overlaps(net, shared)) {
    issues.push({ path: 'network.cidr', message: `${JSON.stringify(plan.network.cidr)} overlaps 100.64.0.0/10, where the GKE pods (${GKE_POD_RANGE}) and Services (${GKE_SERVICE_RANGE}) live`,
      hint: 'use a network CIDR from 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16 (default 10.64.0.0/16)' });
  }
  if (issues.length > 0) throw new SpecValidationError(issues, `construct ${scope.node.path}`);
}

function overlaps(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  const prefix = Math.min(a.prefix, b.prefix);
  return mask(a.network, prefix) === mask(b.network, prefix);
}

// Kubernetes-mode modules load on first use: their cluster bindings cost every instance-mode
// synth memory and time (google_container_cluster alone is ~14 MB per process).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const loadGke = (): typeof import('./gke') => require('./gke');
