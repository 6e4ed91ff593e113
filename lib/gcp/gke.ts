import { KmsCryptoKey } from '@cdktf/provider-google/lib/kms-crypto-key';
import { KmsCryptoKeyIamMember } from '@cdktf/provider-google/lib/kms-crypto-key-iam-member';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { TimeSleep } from '../common/time-sleep';
import { ControlPlaneAccess, ResolvedPlatform, SYSTEM_POOL_NAME } from '../spec';
import { GCP_IAM_PROPAGATION } from './apis';
import { GcpProjectContext } from './context';
import { GcpNodeFirewall } from './firewall';
import { GcpGkeCluster, GkeIpRanges } from './gke-cluster';
import { GcpGkeNodePool, gkeSystemPool } from './gke-node-pool';
import { GCP_KMS_ENCRYPTER_DECRYPTER } from './keys';
import { gcpLabels } from './scope-aspect';

/**
 * IAM role of the vendor's service account on the cluster: container.clusters.get and .list, enough
 * to fetch the endpoint and CA and authenticate (cloud.google.com/kubernetes-engine/docs/how-to/iam,
 * "Kubernetes Engine Cluster Viewer"). What it may do inside the cluster is Kubernetes RBAC
 * (gke-manifests.ts: view or cluster-admin), never IAM: roles/container.developer or .admin would
 * reach every cluster of the project.
 */
export const GKE_VENDOR_IAM_ROLE = 'roles/container.clusterViewer';

export interface GcpKubernetesProps {
  /** The resolved plan, in Kubernetes mode (plan.kubernetes set). Required. */
  readonly plan: ResolvedPlatform;
  /** Project and region. Required. */
  readonly context: GcpProjectContext;
  /** Network of the cluster (id or self link). Required. */
  readonly network: string;
  /** Node subnetwork (id or self link) with the pod and Service secondary ranges. Required. */
  readonly subnetwork: string;
  /** Names of those secondary ranges. Required. */
  readonly ipRanges: GkeIpRanges;
  /** Zones of the cluster (node_locations). Required. */
  readonly zones: string[];
  /** Zones per pool. Default: `zones` for every pool. */
  readonly poolZones?: { readonly [pool: string]: string[] };
  /** Create the Secrets key on this key ring ("<name>-gke-secrets"). Exactly one of keyRingId and secretsKmsKeyId. */
  readonly keyRingId?: string;
  /** The caller's key for Secrets (kmsKeyId of the platform). */
  readonly secretsKmsKeyId?: string;
  /** Rotation of a created Secrets key, in days. Default 90. */
  readonly rotationPeriodDays?: number;
  /** The nodes' service account (never the Compute Engine default). Required. */
  readonly nodeServiceAccountEmail: string;
  /** CMEK of the nodes' boot disks. Required. */
  readonly bootDiskKmsKeyId: string;
  /** The node firewall: the control plane's rule is added to it. Required. */
  readonly firewall: GcpNodeFirewall;
  /** prevent_destroy on the Secrets key and deletion_protection on the cluster. Default false. */
  readonly preventDestroy?: boolean;
  /** What the cluster (and so its short-lived default pool) is created after: node grants, firewall, NAT. Default none. */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * The Kubernetes side of a GCP platform: the Secrets key and the GKE service agent's grant on it
 * (waited on before the cluster: GKE checks the key at creation), the private GKE cluster, the
 * untainted system pool and one node pool per spec pool, and the firewall rule from the control
 * plane's private endpoint (the pools wait for it: webhooks and kubectl exec need it).
 */
export class GcpKubernetes extends Construct {
  public readonly cluster: GcpGkeCluster;
  public readonly secretsKey?: KmsCryptoKey;
  public readonly secretsKeyId: string;
  public readonly secretsKeyGrant: KmsCryptoKeyIamMember;
  public readonly pools: { readonly [name: string]: GcpGkeNodePool };
  private readonly props: GcpKubernetesProps;

  constructor(scope: Construct, id: string, props: GcpKubernetesProps) {
    super(scope, id);
    this.props = props;
    const { plan, context: ctx } = props;
    const k = plan.kubernetes;
    if (!k) throw new Error(`${this.node.path}: the plan is not in Kubernetes mode`);
    const name = plan.name;
    if ((props.keyRingId === undefined) === (props.secretsKmsKeyId === undefined)) {
      throw new Error(`${this.node.path}: give exactly one of keyRingId and secretsKmsKeyId`);
    }
    if (props.keyRingId) {
      const days = props.rotationPeriodDays ?? 90;
      this.secretsKey = new KmsCryptoKey(this, 'secrets-key', {
        name: `${name}-gke-secrets`,
        keyRing: props.keyRingId,
        purpose: 'ENCRYPT_DECRYPT',
        rotationPeriod: `${days * 86400}s`,
        destroyScheduledDuration: `${30 * 86400}s`,
        versionTemplate: { algorithm: 'GOOGLE_SYMMETRIC_ENCRYPTION', protectionLevel: 'SOFTWARE' },
        lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
      });
      this.secretsKeyId = this.secretsKey.id;
    } else {
      this.secretsKeyId = props.secretsKmsKeyId!;
    }
    this.secretsKeyGrant = new KmsCryptoKeyIamMember(this, 'secrets-key-gke-agent', {
      cryptoKeyId: this.secretsKeyId, role: GCP_KMS_ENCRYPTER_DECRYPTER, member: ctx.containerServiceAgent,
    });
    // GKE checks the key when it creates the cluster; a fresh grant takes "typically 2 minutes" (apis.ts).
    const grantReady = new TimeSleep(this, 'secrets-key-grant-propagation', { createDuration: GCP_IAM_PROPAGATION, dependsOn: [this.secretsKeyGrant] });

    this.cluster = new GcpGkeCluster(this, 'cluster', {
      name, kubernetes: k, context: ctx, network: props.network, subnetwork: props.subnetwork, ipRanges: props.ipRanges, zones: props.zones,
      secretsKmsKeyId: this.secretsKeyId, nodeServiceAccountEmail: props.nodeServiceAccountEmail, bootDiskKmsKeyId: props.bootDiskKmsKeyId,
      deletionProtection: props.preventDestroy, labels: gcpLabels(plan.tags), dependsOn: [grantReady, ...(props.dependsOn ?? [])],
    });
    const c = this.cluster.cluster;
    const controlPlaneRule = props.firewall.allowControlPlane(`${c.privateClusterConfig.privateEndpoint}/32`);

    const pools: { [name: string]: GcpGkeNodePool } = {};
    for (const pool of [gkeSystemPool(plan), ...plan.pools]) {
      pools[pool.name] = new GcpGkeNodePool(this, `pool-${pool.name}`, {
        pool, context: ctx, clusterId: c.id, zones: [...(props.poolZones?.[pool.name] ?? props.zones)],
        serviceAccountEmail: props.nodeServiceAccountEmail, kmsKeyId: props.bootDiskKmsKeyId, system: pool.name === SYSTEM_POOL_NAME,
        dependsOn: [controlPlaneRule, ...(props.dependsOn ?? [])],
      });
    }
    this.pools = pools;
  }

  /**
   * BYOC: the vendor's service account may read this cluster (endpoint, CA) through IAM, with a
   * condition naming this cluster; what it may do inside is the RBAC binding in the manifests.
   */
  public addVendor(serviceAccountMember: string, access: ControlPlaneAccess): ProjectIamMember {
    const ctx = this.props.context;
    const name = this.props.plan.name;
    return new ProjectIamMember(this, 'vendor-cluster-viewer', {
      project: ctx.project,
      role: GKE_VENDOR_IAM_ROLE,
      member: serviceAccountMember,
      condition: {
        title: `${name} GKE cluster only`,
        description: `The vendor (${access}) reads only this cluster; Kubernetes RBAC decides the rest`,
        expression: `resource.name == "projects/${ctx.project}/locations/${ctx.region}/clusters/${name}"`,
      },
    });
  }
}
