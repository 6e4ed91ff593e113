import { DataAzurermKeyVaultKey } from '@cdktf/provider-azurerm/lib/data-azurerm-key-vault-key';
import { KeyVaultKey } from '@cdktf/provider-azurerm/lib/key-vault-key';
import { KubernetesCluster } from '@cdktf/provider-azurerm/lib/kubernetes-cluster';
import { MonitorDataCollectionRule } from '@cdktf/provider-azurerm/lib/monitor-data-collection-rule';
import { MonitorDataCollectionRuleAssociation } from '@cdktf/provider-azurerm/lib/monitor-data-collection-rule-association';
import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';
import { Fn, ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { EgressMode, KubernetesApiEndpoint, ResolvedKubernetes } from '../spec';
import { AzureAksIdentity } from './aks-identity';
import { AKS_CLUSTER_NAME_RULE, AKS_DNS_PREFIX_RULE, assertAzureName } from './naming';
import { trimmedName } from './util';

/**
 * AKS control-plane log categories (Microsoft.ContainerService/managedClusters resource logs: kube-apiserver, kube-audit,
 * kube-audit-admin, kube-controller-manager, kube-scheduler, cluster-autoscaler, cloud-controller-manager, guard, csi-*;
 * learn.microsoft.com/azure/aks/monitor-aks-reference, "Resource logs"). The audit categories go to the
 * customer's isolated audit workspace; the others to the platform workspace.
 */
export const AKS_AUDIT_LOG_CATEGORIES: readonly string[] = Object.freeze(['kube-audit', 'guard']);
export const AKS_CONTROL_PLANE_LOG_CATEGORIES: readonly string[] = Object.freeze([
  'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'cluster-autoscaler', 'cloud-controller-manager',
]);

/**
 * Pod and service networks of the cluster (Azure CNI Overlay: pods get addresses outside the VNet).
 * AKS's documented defaults (learn.microsoft.com/azure/aks/azure-cni-overlay: pod CIDR 10.244.0.0/16;
 * service CIDR 10.0.0.0/16 with DNS 10.0.0.10); the platform refuses a VNet that overlaps them.
 */
export const AKS_POD_CIDR = '10.244.0.0/16';
export const AKS_SERVICE_CIDR = '10.0.0.0/16';
export const AKS_DNS_SERVICE_IP = '10.0.0.10';

/**
 * Pods per node of every pool: the Kubernetes default of 110 (Azure CNI Overlay would allow 250,
 * learn.microsoft.com/azure/aks/azure-cni-overlay). Each Kata pod is a VM with its own overhead, so a node
 * fills up on CPU and memory long before 110 pods.
 */
export const AKS_MAX_PODS = 110;

/**
 * Container Insights with managed-identity authentication: the monitoring add-on sends through a data
 * collection rule with the ContainerInsights extension (stream Microsoft-ContainerInsights-Group-Default)
 * associated with the cluster (learn.microsoft.com/azure/azure-monitor/containers/kubernetes-monitoring-enable,
 * Terraform / ARM templates: the DCR and its association are created beside the cluster).
 */
export const AKS_CONTAINER_INSIGHTS_STREAM = 'Microsoft-ContainerInsights-Group-Default';

/**
 * outbound_type per egress mode (azurerm v4.55.0 kubernetes_cluster_resource.go network_profile.outbound_type:
 * loadBalancer, userDefinedRouting, managedNATGateway, userAssignedNATGateway, none): NAT uses the platform's
 * NAT gateways already on the node subnets; FIREWALL the route table to the platform's firewall. A load
 * balancer with a public outbound IP is never used.
 */
export function aksOutboundType(egress: EgressMode): string {
  switch (egress) {
    case EgressMode.NAT: return 'userAssignedNATGateway';
    case EgressMode.FIREWALL: return 'userDefinedRouting';
    default:
      throw new Error(`AKS: egress "${egress}" is not supported: AKS nodes must reach the AKS control plane, mcr.microsoft.com and the ` +
        'node image repositories at bootstrap (use "nat" or "firewall" with allowedDomains)');
  }
}

/** The system node pool (default_node_pool). */
export interface AzureAksSystemPool {
  /** VM size, e.g. "Standard_D4s_v5". */
  readonly vmSize: string;
  readonly minNodes: number;
  readonly maxNodes: number;
  /** Subnet of the system nodes (one subnet: Azure subnets span every zone of the region). */
  readonly subnetId: string;
  /** Zones the pool spreads over. */
  readonly zones: string[];
}

/** The key that encrypts etcd (KMS). */
export interface AzureAksEtcdKey {
  /** Resource id of the vault (RBAC authorization, purge protection; private: public network access off or limited). */
  readonly keyVaultId: string;
  /**
   * True: create a dedicated key in that vault, rotated every `rotationDays`. False: use
   * `existingKeyName` (a key of the caller, read through a data source for its current version).
   */
  readonly create: boolean;
  /** Automatic rotation period of the created key, in days (its versions expire 2 x rotationDays + 30 days after creation). */
  readonly rotationDays: number;
  /** Name of an existing key in the vault when `create` is false. */
  readonly existingKeyName?: string;
  /** What the key waits for (the deployer's Crypto Officer grant and the vault's private endpoint). Default none. */
  readonly dependsOn?: ITerraformDependable[];
}

export interface AzureAksClusterProps {
  /** Platform name: the cluster is "<name>-aks", its DNS prefix the name without a trailing hyphen. */
  readonly name: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly tenantId: string;
  readonly kubernetes: ResolvedKubernetes;
  readonly egress: EgressMode;
  readonly systemPool: AzureAksSystemPool;
  /**
   * Subnet for API Server VNet Integration (delegated to Microsoft.ContainerService/managedClusters, at
   * least /28): KMS with a private vault only works through it (learn.microsoft.com/azure/aks/use-kms-etcd-encryption).
   */
  readonly apiServerSubnetId: string;
  readonly identity: AzureAksIdentity;
  readonly diskEncryptionSetId: string;
  readonly etcdKey: AzureAksEtcdKey;
  /** Platform Log Analytics workspace: control-plane logs. */
  readonly workspaceId: string;
  /** The customer's audit workspace (outside the vendor's scope): kube-audit and guard logs. */
  readonly auditWorkspaceId: string;
  /** Entra group object ids with cluster admin (Azure RBAC for Kubernetes). Default none. */
  readonly adminGroupObjectIds?: string[];
  /** Resources the cluster is created after (egress in place on the subnets, the DES grant). Default none. */
  readonly dependsOn?: ITerraformDependable[];
  /** Tags of the cluster and its system pool. Default none (the platform's scope aspect adds the platform tags). */
  readonly tags?: { [key: string]: string };
}

/** Days between an etcd key version's rotation and its expiry beyond the next rotation (see AzureAksCluster). */
export const AKS_ETCD_KEY_GRACE_DAYS = 30;

/**
 * A private AKS cluster: API server private (private cluster, API Server VNet Integration in a delegated
 * subnet) or public with authorized IP ranges; Entra ID authentication with Azure RBAC for Kubernetes and no
 * local accounts (no static admin kubeconfig); OIDC issuer and workload identity; node OS disks encrypted
 * with the platform's disk encryption set; Secrets in etcd encrypted by KMS with a key in the platform's
 * private vault; Azure CNI Overlay with Cilium; outbound through the platform's NAT gateways or firewall
 * (never a public load balancer); a user-assigned control-plane identity whose grants are waited on before
 * the cluster is created; control-plane logs to the platform workspace and the audit logs to the customer's
 * audit workspace. The system pool is Azure Linux with encryption at host and no public IPs.
 *
 * KMS keeps the key version it was given (azurerm needs a versioned key id). The etcd key rotates every
 * rotationDays and each version expires 2 x rotationDays + 30 days after its creation, so the version in
 * use stays valid through the next rotation as AKS requires ("KMS uses two keys at the same time"); the key
 * resource reads the newest version on refresh, so a `terraform apply` at least once per rotation period
 * moves KMS to the new version.
 */
export class AzureAksCluster extends Construct {
  public readonly cluster: KubernetesCluster;
  public readonly clusterName: string;
  /** The created etcd key (absent with an existing key). */
  public readonly etcdKey?: KeyVaultKey;
  /** Versioned id of the etcd key version KMS uses. */
  public readonly etcdKeyVersionId: string;
  public readonly controlPlaneLogs: MonitorDiagnosticSetting;
  public readonly auditLogs: MonitorDiagnosticSetting;
  /** Container Insights: the data collection rule and its association with the cluster. */
  public readonly insightsRule: MonitorDataCollectionRule;
  public readonly insightsAssociation: MonitorDataCollectionRuleAssociation;

  constructor(scope: Construct, id: string, props: AzureAksClusterProps) {
    super(scope, id);
    const { name, kubernetes: k } = props;
    this.clusterName = `${name}-aks`;
    assertAzureName(this.node.path, 'AKS cluster name', AKS_CLUSTER_NAME_RULE, this.clusterName);
    const dnsPrefix = trimmedName(name, 54);
    assertAzureName(this.node.path, 'AKS DNS prefix', AKS_DNS_PREFIX_RULE, dnsPrefix);
    const base = { resourceGroupName: props.resourceGroupName, location: props.location };

    if (props.etcdKey.create) {
      const rotation = props.etcdKey.rotationDays;
      const lifetime = 2 * rotation + AKS_ETCD_KEY_GRACE_DAYS;
      this.etcdKey = new KeyVaultKey(this, 'etcd-key', {
        name: `${name}-aks-etcd`,
        keyVaultId: props.etcdKey.keyVaultId,
        // AKS KMS takes RSA keys (learn.microsoft.com/azure/aks/use-kms-etcd-encryption creates an RSA key with az keyvault key create).
        keyType: 'RSA-HSM',
        keySize: 2048,
        keyOpts: ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'],
        expirationDate: Fn.timeadd(Fn.plantimestamp(), `${lifetime * 24}h`),
        rotationPolicy: {
          expireAfter: `P${lifetime}D`,
          notifyBeforeExpiry: `P${AKS_ETCD_KEY_GRACE_DAYS - 1}D`,
          automatic: { timeAfterCreation: `P${rotation}D` },
        },
        dependsOn: props.etcdKey.dependsOn,
        lifecycle: { ignoreChanges: ['expiration_date'], preventDestroy: true },
      });
      this.etcdKeyVersionId = this.etcdKey.id;
    } else {
      if (!props.etcdKey.existingKeyName) throw new Error(`${this.node.path}: etcdKey.existingKeyName is required when etcdKey.create is false`);
      this.etcdKeyVersionId = new DataAzurermKeyVaultKey(this, 'etcd-key', {
        name: props.etcdKey.existingKeyName, keyVaultId: props.etcdKey.keyVaultId,
      }).id;
    }

    const restrictedPublic = k.apiEndpoint === KubernetesApiEndpoint.RESTRICTED_PUBLIC;
    const sp = props.systemPool;
    this.cluster = new KubernetesCluster(this, 'cluster', {
      ...base,
      name: this.clusterName,
      dnsPrefix,
      kubernetesVersion: k.version,
      // Uptime SLA; the Free tier has none (learn.microsoft.com/azure/aks/free-standard-pricing-tiers).
      skuTier: 'Standard',
      privateClusterEnabled: !restrictedPublic,
      privateClusterPublicFqdnEnabled: false,
      apiServerAccessProfile: {
        virtualNetworkIntegrationEnabled: true,
        subnetId: props.apiServerSubnetId,
        // Only with the public endpoint; AKS refuses authorized ranges on a private cluster.
        authorizedIpRanges: restrictedPublic ? [...k.authorizedCidrs] : undefined,
      },
      localAccountDisabled: true,
      roleBasedAccessControlEnabled: true,
      azureActiveDirectoryRoleBasedAccessControl: {
        azureRbacEnabled: true,
        tenantId: props.tenantId,
        adminGroupObjectIds: props.adminGroupObjectIds ? [...props.adminGroupObjectIds] : undefined,
      },
      oidcIssuerEnabled: true,
      workloadIdentityEnabled: true,
      diskEncryptionSetId: props.diskEncryptionSetId,
      keyManagementService: { keyVaultKeyId: this.etcdKeyVersionId, keyVaultNetworkAccess: 'Private' },
      identity: { type: 'UserAssigned', identityIds: [props.identity.controlPlane.id] },
      kubeletIdentity: {
        clientId: props.identity.kubelet.clientId,
        objectId: props.identity.kubelet.principalId,
        userAssignedIdentityId: props.identity.kubelet.id,
      },
      networkProfile: {
        networkPlugin: 'azure',
        networkPluginMode: 'overlay',
        networkDataPlane: 'cilium',
        networkPolicy: 'cilium',
        podCidr: AKS_POD_CIDR,
        serviceCidr: AKS_SERVICE_CIDR,
        dnsServiceIp: AKS_DNS_SERVICE_IP,
        loadBalancerSku: 'standard',
        outboundType: aksOutboundType(props.egress),
      },
      omsAgent: { logAnalyticsWorkspaceId: props.workspaceId, msiAuthForMonitoringEnabled: true },
      automaticUpgradeChannel: 'patch',
      nodeOsUpgradeChannel: 'NodeImage',
      defaultNodePool: {
        name: 'system',
        temporaryNameForRotation: 'systemrot',
        vmSize: sp.vmSize,
        osSku: 'AzureLinux',
        osDiskType: 'Managed',
        hostEncryptionEnabled: true,
        nodePublicIpEnabled: false,
        autoScalingEnabled: true,
        minCount: sp.minNodes,
        maxCount: sp.maxNodes,
        vnetSubnetId: sp.subnetId,
        zones: [...sp.zones],
        orchestratorVersion: k.version,
        maxPods: AKS_MAX_PODS,
        tags: props.tags,
      },
      tags: props.tags,
      // Grants first (10-minute wait), then the egress on the subnets: AKS checks both at creation.
      dependsOn: [props.identity.ready, ...(this.etcdKey ? [this.etcdKey] : []), ...(props.dependsOn ?? [])],
    });

    const logs = (lid: string, settingName: string, workspaceId: string, categories: readonly string[]) => new MonitorDiagnosticSetting(this, lid, {
      name: settingName, targetResourceId: this.cluster.id, logAnalyticsWorkspaceId: workspaceId,
      enabledLog: categories.map((category) => ({ category })),
    });
    this.controlPlaneLogs = logs('control-plane-logs', `${name}-aks-control-plane`, props.workspaceId, AKS_CONTROL_PLANE_LOG_CATEGORIES);
    this.auditLogs = logs('audit-logs', `${name}-aks-audit`, props.auditWorkspaceId, AKS_AUDIT_LOG_CATEGORIES);

    this.insightsRule = new MonitorDataCollectionRule(this, 'insights', {
      ...base,
      name: `${name}-aks-insights`,
      description: `Container Insights of ${this.clusterName}`,
      dataSources: { extension: [{
        name: 'ContainerInsightsExtension', extensionName: 'ContainerInsights', streams: [AKS_CONTAINER_INSIGHTS_STREAM],
        extensionJson: JSON.stringify({ dataCollectionSettings: { interval: '1m', namespaceFilteringMode: 'Off', enableContainerLogV2: true } }),
      }] },
      destinations: { logAnalytics: [{ name: 'workspace', workspaceResourceId: props.workspaceId }] },
      dataFlow: [{ streams: [AKS_CONTAINER_INSIGHTS_STREAM], destinations: ['workspace'] }],
    });
    this.insightsAssociation = new MonitorDataCollectionRuleAssociation(this, 'insights-association', {
      name: 'ContainerInsightsExtension', targetResourceId: this.cluster.id, dataCollectionRuleId: this.insightsRule.id,
      description: `Container Insights of ${this.clusterName}`,
    });
  }
}
