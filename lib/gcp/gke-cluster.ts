import { ContainerCluster } from '@cdktf/provider-google/lib/container-cluster';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { KubernetesApiEndpoint, ResolvedKubernetes } from '../spec';
import { GcpProjectContext } from './context';

/**
 * Control-plane and system logs GKE sends to Cloud Logging. Provider 6.50.0 / 7.22.0
 * logging_config.enable_components accepts SYSTEM_COMPONENTS, APISERVER, CONTROLLER_MANAGER,
 * KCP_CONNECTION, KCP_SSHD, KCP_HPA, SCHEDULER, WORKLOADS (resource_container_cluster.go); the
 * Kubernetes audit log is a Cloud Audit Log of the project (GcpAuditLogs), not a component.
 */
export const GKE_LOG_COMPONENTS: readonly string[] = Object.freeze(['SYSTEM_COMPONENTS', 'APISERVER', 'CONTROLLER_MANAGER', 'SCHEDULER', 'WORKLOADS']);

/** The release channel: REGULAR (provider validator: UNSPECIFIED, RAPID, REGULAR, STABLE, EXTENDED). */
export const GKE_RELEASE_CHANNEL = 'REGULAR';

/**
 * Daily maintenance window start (UTC, "HH:MM"): GKE takes a 4-hour window from it
 * (maintenance_policy.daily_maintenance_window; cloud.google.com/kubernetes-engine/docs/concepts/maintenance-windows-and-exclusions).
 */
export const GKE_MAINTENANCE_START = '03:00';

/** Secondary ranges of the node subnetwork the cluster's pods and Services take their addresses from. */
export interface GkeIpRanges {
  /** Secondary range name of the pods. */
  readonly podsRangeName: string;
  /** Secondary range name of the Services. */
  readonly servicesRangeName: string;
}

export interface GcpGkeClusterProps {
  /** Platform name; the cluster is named after it (1..40 characters: provider resource_container_cluster.go name validator). */
  readonly name: string;
  /** The resolved cluster settings (version, endpoint, authorized CIDRs). Required. */
  readonly kubernetes: ResolvedKubernetes;
  /** Project and region (the cluster is regional). Required. */
  readonly context: GcpProjectContext;
  /** Network (id or self link). */
  readonly network: string;
  /** Node subnetwork (id or self link); it holds the private endpoint too. */
  readonly subnetwork: string;
  /** Secondary ranges of the subnetwork for pods and Services. Required. */
  readonly ipRanges: GkeIpRanges;
  /** Zones of the region the node pools use (node_locations; pinned, never read from a data source). */
  readonly zones: string[];
  /** Cloud KMS key that encrypts Secrets in etcd (application-layer secrets encryption). */
  readonly secretsKmsKeyId: string;
  /** The nodes' service account (the instance mode's): also the short-lived default pool's, never the Compute Engine default. */
  readonly nodeServiceAccountEmail: string;
  /** CMEK of the short-lived default pool's boot disks. */
  readonly bootDiskKmsKeyId: string;
  /** deletion_protection. Default false. */
  readonly deletionProtection?: boolean;
  /** Resource labels. Default none. */
  readonly labels?: { readonly [key: string]: string };
  /** What the cluster is created after (the key grant's wait, firewall rules, NAT). Default none. */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * A regional GKE Standard cluster: private nodes, and a private endpoint unless the plan asks for
 * restricted-public (then the public endpoint admits only the authorized CIDRs, never Google's own
 * public ranges); Secrets encrypted with our Cloud KMS key; Workload Identity (so pods never see the
 * node's service account through the metadata server); Shielded nodes; Dataplane V2
 * (ADVANCED_DATAPATH: NetworkPolicy enforced by eBPF); control-plane and system logs; the REGULAR
 * release channel with a daily maintenance window; no legacy ABAC, no client certificate.
 *
 * GKE always creates a default node pool with a cluster; it is removed at once
 * (remove_default_node_pool) and its node_config is ours (service account, Shielded, COS, GKE
 * metadata server, CMEK boot disk), so no node with the Compute Engine default account ever runs.
 * node_config is ignored afterwards: it describes only that removed pool.
 */
export class GcpGkeCluster extends Construct {
  public readonly cluster: ContainerCluster;
  public readonly clusterName: string;

  constructor(scope: Construct, id: string, props: GcpGkeClusterProps) {
    super(scope, id);
    const { name, kubernetes: k, context: ctx } = props;
    this.clusterName = name;
    const publicEndpoint = k.apiEndpoint === KubernetesApiEndpoint.RESTRICTED_PUBLIC;
    this.cluster = new ContainerCluster(this, 'cluster', {
      project: ctx.project,
      name,
      location: ctx.region,
      nodeLocations: [...props.zones],
      description: `Sandbox platform ${name}`,
      network: props.network,
      subnetwork: props.subnetwork,
      networkingMode: 'VPC_NATIVE',
      ipAllocationPolicy: {
        clusterSecondaryRangeName: props.ipRanges.podsRangeName,
        servicesSecondaryRangeName: props.ipRanges.servicesRangeName,
        stackType: 'IPV4',
      },
      // Dataplane V2 enforces NetworkPolicy itself: network_policy (Calico) must stay unset with it.
      datapathProvider: 'ADVANCED_DATAPATH',
      privateClusterConfig: {
        enablePrivateNodes: true,
        enablePrivateEndpoint: !publicEndpoint,
        // Without master_ipv4_cidr_block GKE uses Private Service Connect: the endpoint takes an address of the node subnetwork.
        masterGlobalAccessConfig: { enabled: false },
      },
      masterAuthorizedNetworksConfig: {
        gcpPublicCidrsAccessEnabled: false,
        cidrBlocks: publicEndpoint ? k.authorizedCidrs.map((cidr) => ({ cidrBlock: cidr, displayName: `authorized ${cidr}` })) : [],
      },
      databaseEncryption: { state: 'ENCRYPTED', keyName: props.secretsKmsKeyId },
      workloadIdentityConfig: { workloadPool: `${ctx.project}.svc.id.goog` },
      enableShieldedNodes: true,
      enableLegacyAbac: false,
      masterAuth: { clientCertificateConfig: { issueClientCertificate: false } },
      releaseChannel: { channel: GKE_RELEASE_CHANNEL },
      minMasterVersion: k.version,
      maintenancePolicy: { dailyMaintenanceWindow: { startTime: GKE_MAINTENANCE_START } },
      loggingConfig: { enableComponents: [...GKE_LOG_COMPONENTS] },
      monitoringConfig: { enableComponents: ['SYSTEM_COMPONENTS'] },
      deletionProtection: props.deletionProtection ?? false,
      resourceLabels: props.labels ? { ...props.labels } : undefined,
      removeDefaultNodePool: true,
      initialNodeCount: 1,
      nodeConfig: {
        serviceAccount: props.nodeServiceAccountEmail,
        oauthScopes: ['https://www.googleapis.com/auth/cloud-platform'],
        imageType: 'COS_CONTAINERD',
        bootDiskKmsKey: props.bootDiskKmsKeyId,
        shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
        workloadMetadataConfig: { mode: 'GKE_METADATA' },
        metadata: { 'disable-legacy-endpoints': 'true' },
      },
      lifecycle: { ignoreChanges: ['node_config', 'initial_node_count'] },
      dependsOn: props.dependsOn,
    });
  }
}
