/**
 * Kubernetes-mode checks (orchestrator kubernetes; issues 14-16), all read-only: the requested
 * Kubernetes minor version is still offered by EKS / GKE / AKS in the target region, and the cloud
 * pieces a fresh account may lack (the EKS service-linked role, the AKS resource provider). The
 * system node group's vCPUs count in the quota checks through demand.ts poolDemands.
 */
import { CliProblem, CliResult } from './cli-runner';
import {
  AWS_CLI, AZ_CLI, GCLOUD_CLI, asArray, asNumber, asString, fail, field, pass, unknown, unknownFrom,
} from './checks';
import { PreflightCheck } from './types';

type Cli = (args: string[]) => CliResult;

/** The release channel the GKE cluster enrolls in (lib/gcp/gke-cluster.ts GKE_RELEASE_CHANNEL; kept equal by test/preflight-kubernetes.test.ts). */
export const GKE_CHANNEL = 'REGULAR';

/** True when `offered` (a minor such as "1.34" or a full version such as "1.34.2-gke.100") is of minor `version`. */
export function isOfMinor(offered: string, version: string): boolean {
  return offered === version || offered.startsWith(`${version}.`);
}

function versionFix(service: string, version: string, offered: readonly string[], list: string): string {
  return `${version} cannot be created: set kubernetes.version to one ${service} still offers${offered.length ? ` (${offered.join(', ')})` : ''} and the library knows ` +
    `(lib/spec/catalog/kubernetes.ts), or upgrade cdktf-sandbox-byoc for newer versions; \`${list}\` lists them`;
}

/**
 * EKS: `aws eks describe-cluster-versions --cluster-versions <v>` (DescribeClusterVersions; output
 * clusterVersions[].clusterVersion and versionStatus STANDARD_SUPPORT | EXTENDED_SUPPORT | UNSUPPORTED,
 * docs.aws.amazon.com/eks/latest/APIReference/API_DescribeClusterVersions.html). Extended support
 * still creates clusters, at the extended-support price.
 */
export function eksVersionCheck(aws: Cli, version: string, region: string): PreflightCheck {
  const id = 'aws.eks.version';
  const title = `EKS offers Kubernetes ${version} in ${region}`;
  const r = aws(['eks', 'describe-cluster-versions', '--cluster-versions', version]);
  if (r.problem) return unknownFrom(id, title, r, AWS_CLI, 'eks:DescribeClusterVersions');
  const found = asArray(field(r.json, 'clusterVersions')).find((v) => asString(field(v, 'clusterVersion')) === version);
  const status = asString(field(found, 'versionStatus')) ?? asString(field(found, 'status'));
  const list = `aws eks describe-cluster-versions --region ${region}`;
  if (!found || status === 'UNSUPPORTED') {
    return fail(id, title, found ? `${version} is UNSUPPORTED: EKS creates no new clusters on it` : `EKS does not list ${version}`, versionFix('EKS', version, [], list));
  }
  if (status === 'EXTENDED_SUPPORT') {
    return pass(id, title, `${version} is in extended support (end ${asString(field(found, 'endOfExtendedSupportDate')) ?? 'unknown'}): clusters are billed at the extended-support rate; move to a newer version`);
  }
  return pass(id, title, `${version}: ${status ?? 'listed'}${asString(field(found, 'endOfStandardSupportDate')) ? `, standard support ends ${asString(field(found, 'endOfStandardSupportDate'))}` : ''}`);
}

/**
 * EKS creates its service-linked role AWSServiceRoleForAmazonEKS itself with the first cluster
 * (docs.aws.amazon.com/eks/latest/userguide/using-service-linked-roles-eks.html: "you don't need to
 * manually create a service-linked role"); the runner then needs iam:CreateServiceLinkedRole.
 */
export function eksServiceLinkedRoleCheck(aws: Cli): PreflightCheck {
  const role = 'AWSServiceRoleForAmazonEKS';
  const id = 'aws.slr.eks';
  const title = `service-linked role ${role} exists or can be created`;
  const r = aws(['iam', 'get-role', '--role-name', role]);
  if (r.problem === CliProblem.NOT_FOUND) {
    return unknown(id, title, `${role} does not exist; EKS creates it with the first cluster, which needs iam:CreateServiceLinkedRole for eks.amazonaws.com`,
      'make sure the runner may call iam:CreateServiceLinkedRole (condition iam:AWSServiceName = eks.amazonaws.com), or create it now: `aws iam create-service-linked-role --aws-service-name eks.amazonaws.com`');
  }
  if (r.problem) return unknownFrom(id, title, r, AWS_CLI, 'iam:GetRole');
  return pass(id, title, `${role} exists`);
}

/** The EKS quota of clusters per Region, by its Service Quotas name (docs.aws.amazon.com/eks/latest/userguide/service-quotas.html: "Clusters", default 100, adjustable). */
export const EKS_CLUSTERS_QUOTA_NAME = 'Clusters';

function clustersQuota(json: unknown): number | undefined {
  const q = asArray(field(json, 'Quotas')).find((x) => asString(field(x, 'QuotaName')) === EKS_CLUSTERS_QUOTA_NAME);
  return asNumber(field(q, 'Value'));
}

/**
 * Room for one more EKS cluster in the Region: the applied "Clusters" quota (`aws service-quotas
 * list-service-quotas --service-code eks`, else the default from list-aws-default-service-quotas)
 * against `aws eks list-clusters`.
 */
export function eksClusterQuotaCheck(aws: Cli, region: string): PreflightCheck {
  const id = 'aws.quota.eks-clusters';
  const title = `EKS clusters quota in ${region} has room for one more`;
  const applied = aws(['service-quotas', 'list-service-quotas', '--service-code', 'eks']);
  if (applied.problem) return unknownFrom(id, title, applied, AWS_CLI, 'servicequotas:ListServiceQuotas');
  let limit = clustersQuota(applied.json);
  if (limit === undefined) {
    const d = aws(['service-quotas', 'list-aws-default-service-quotas', '--service-code', 'eks']);
    if (d.problem) return unknownFrom(id, title, d, AWS_CLI, 'servicequotas:ListAWSDefaultServiceQuotas');
    limit = clustersQuota(d.json);
  }
  if (limit === undefined) return unknown(id, title, `Service Quotas lists no EKS quota named "${EKS_CLUSTERS_QUOTA_NAME}"`, `check it on the Service Quotas console (Amazon EKS) in ${region}`);
  const clusters = aws(['eks', 'list-clusters']);
  if (clusters.problem) return unknownFrom(id, title, clusters, AWS_CLI, 'eks:ListClusters');
  const used = asArray(field(clusters.json, 'clusters')).length;
  const detail = `quota ${limit}, ${used} in use, 1 needed`;
  return used + 1 <= limit ? pass(id, title, detail)
    : fail(id, title, detail, `delete an unused cluster or request a higher "${EKS_CLUSTERS_QUOTA_NAME}" quota for Amazon EKS in ${region} on the Service Quotas console (\`aws service-quotas request-service-quota-increase --service-code eks ...\`)`);
}

/**
 * GKE: `gcloud container get-server-config --region <r>` (ServerConfig: channels[].channel and
 * validVersions, validMasterVersions; cloud.google.com/kubernetes-engine/docs/reference/rest/v1/ServerConfig).
 * The cluster is enrolled in `channel` (lib/gcp/gke-cluster.ts GKE_RELEASE_CHANNEL) with
 * min_master_version = the minor, so the minor must be among that channel's valid versions.
 */
export function gkeVersionCheck(gcloud: Cli, project: string, region: string, version: string, channel: string): PreflightCheck {
  const id = 'gcp.gke.version';
  const title = `GKE offers Kubernetes ${version} in the ${channel} channel in ${region}`;
  const r = gcloud(['container', 'get-server-config', '--region', region, '--project', project]);
  if (r.problem) return unknownFrom(id, title, r, GCLOUD_CLI, 'roles/container.viewer on the project (the container.googleapis.com API must be enabled)');
  const ch = asArray(field(r.json, 'channels')).find((c) => asString(field(c, 'channel')) === channel);
  const valid = asArray(ch ? field(ch, 'validVersions') : field(r.json, 'validMasterVersions')).map(String);
  const matching = valid.filter((v) => isOfMinor(v, version));
  const minors = [...new Set(valid.map((v) => v.split('.').slice(0, 2).join('.')))];
  const list = `gcloud container get-server-config --region ${region} --project ${project} --flatten=channels --filter=channels.channel=${channel}`;
  if (matching.length === 0) {
    return fail(id, title, `${ch ? `the ${channel} channel` : 'GKE'} offers ${minors.join(', ') || 'no version'}, not ${version}`, versionFix('GKE', version, minors, list));
  }
  return pass(id, title, `offered: ${matching.slice(0, 3).join(', ')}${matching.length > 3 ? ', ...' : ''}`);
}

/**
 * AKS: `az aks get-versions --location <l>` (KubernetesVersionListResult: values[].version, the minor,
 * with isPreview and patchVersions; learn.microsoft.com/rest/api/aks/managed-clusters/list-kubernetes-versions).
 */
export function aksVersionCheck(az: Cli, location: string, version: string): PreflightCheck {
  const id = 'azure.aks.version';
  const title = `AKS offers Kubernetes ${version} in ${location}`;
  const r = az(['aks', 'get-versions', '--location', location]);
  if (r.problem) return unknownFrom(id, title, r, AZ_CLI, 'Microsoft.ContainerService/locations/kubernetesVersions/read (Reader)');
  const values = asArray(field(r.json, 'values'));
  const found = values.find((v) => asString(field(v, 'version')) === version);
  const minors = values.map((v) => asString(field(v, 'version'))).filter((v): v is string => !!v);
  const list = `az aks get-versions --location ${location} --output table`;
  if (!found) return fail(id, title, `AKS offers ${minors.join(', ') || 'no version'} in ${location}, not ${version}`, versionFix('AKS', version, minors, list));
  const patches = Object.keys((field(found, 'patchVersions') as object | undefined) ?? {});
  if (field(found, 'isPreview') === true) {
    return fail(id, title, `${version} is a preview version in ${location}: no support or SLA`, versionFix('AKS', version, minors.filter((m) => m !== version), list));
  }
  // KubernetesSupportPlan: KubernetesOfficial, AKSLongTermSupport; "Premium enables selection of LongTermSupport" (ManagedClusterSkuTier, Azure SDK reference):
  // a minor past community support is offered only under LTS, which needs the Premium tier; the cluster is Standard.
  const plans = asArray(field(field(found, 'capabilities'), 'supportPlan')).map(String);
  if (plans.length > 0 && !plans.includes('KubernetesOfficial')) {
    return fail(id, title, `${version} is offered in ${location} only with ${plans.join(', ')} (the Premium tier); the cluster is created in the Standard tier`,
      versionFix('AKS', version, minors.filter((m) => m !== version), list));
  }
  return pass(id, title, `offered${patches.length ? `, patches ${patches.join(', ')}` : ''}`);
}

/** The AKS resource provider; azurerm's automatic registration is not relied on (a runner without the providers' register action cannot do it). */
export const AZURE_AKS_PROVIDER = 'Microsoft.ContainerService';

/** A check of one resource provider's registration state, from `az provider list` answers. */
export function azureAksProviderCheck(state: string | undefined): PreflightCheck {
  const id = 'azure.provider.containerservice';
  const title = `${AZURE_AKS_PROVIDER} is registered (AKS)`;
  return state === 'Registered' ? pass(id, title, 'Registered')
    : fail(id, title, `${state ?? 'NotRegistered'}: AKS clusters cannot be created until it is`,
      `\`az provider register --namespace ${AZURE_AKS_PROVIDER}\` (\`az provider show -n ${AZURE_AKS_PROVIDER} --query registrationState\` shows progress)`);
}
