/** GCP GKE rules: private endpoint, Secrets encryption, private nodes with their own service account, Workload Identity, Shielded nodes. */
import { CloudProvider, ComplianceProfile } from '../../spec';
import { ComplianceRule, RuleId } from '../types';
import { Problems, block, fail, isFalse, isSet, isTrue, pass, show, str } from '../values';
import { defineRule } from './define';

const CLUSTER = 'google_container_cluster';
const POOL = 'google_container_node_pool';

/** The default Compute Engine service account (<number>-compute@developer.gserviceaccount.com). */
const DEFAULT_COMPUTE_SA = /-compute@developer\.gserviceaccount\.com$/;

export const gcpGkeEndpoint: ComplianceRule = defineRule({
  id: RuleId.GCP_GKE_ENDPOINT,
  title: 'GKE API endpoint private (restricted public only at baseline)',
  description:
    'GKE clusters set private_cluster_config with enable_private_nodes = true. Under soc2 and hipaa enable_private_endpoint = true; '
    + 'at baseline a public endpoint passes only with master_authorized_networks_config listing CIDRs, never 0.0.0.0/0, and '
    + 'gcp_public_cidrs_access_enabled not true (it would admit every Google Cloud public address).',
  cloud: CloudProvider.GCP,
  minimumProfile: ComplianceProfile.BASELINE,
  resourceTypes: [CLUSTER],
  controls: { hipaa: ['164.312(e)(1)'], soc2: ['CC6.6'] },
  upstream: { checkov: ['CKV_GCP_25', 'CKV_GCP_18', 'CKV_GCP_20'] },
  check: (r, ctx) => {
    const pcc = block(r.config.private_cluster_config);
    const man = block(r.config.master_authorized_networks_config);
    const cidrs = (Array.isArray(man?.cidr_blocks) ? man!.cidr_blocks as { cidr_block?: unknown }[] : []).map((b) => String(b.cidr_block ?? ''));
    const isPublic = !isTrue(pcc?.enable_private_endpoint);
    const strict = ctx.profile !== ComplianceProfile.BASELINE;
    return new Problems()
      .add(!pcc || !isTrue(pcc.enable_private_nodes), 'private_cluster_config.enable_private_nodes is not true: nodes get external IPs',
        'set private_cluster_config { enable_private_nodes = true }')
      .add(isPublic && strict, `the public API endpoint is on (enable_private_endpoint ${show(pcc?.enable_private_endpoint)}); the ${ctx.profile} profile keeps the API private`,
        'set private_cluster_config.enable_private_endpoint = true and reach the API from inside the VPC')
      .add(isPublic && !strict && (!man || cidrs.length === 0 || cidrs.includes('0.0.0.0/0')),
        `the public API endpoint is open to ${!man || cidrs.length === 0 ? 'every address (no authorized networks)' : '0.0.0.0/0'}`,
        'set master_authorized_networks_config.cidr_blocks to the administrators\' networks, or enable_private_endpoint = true')
      .add(isTrue(man?.gcp_public_cidrs_access_enabled), 'master_authorized_networks_config.gcp_public_cidrs_access_enabled = true admits every Google Cloud public IP',
        'set gcp_public_cidrs_access_enabled = false')
      .outcome(isPublic ? `public endpoint limited to ${cidrs.join(', ')}` : 'private nodes and a private API endpoint only');
  },
});

export const gcpGkeSecrets: ComplianceRule = defineRule({
  id: RuleId.GCP_GKE_SECRETS,
  title: 'GKE Secrets encrypted with a Cloud KMS key',
  description: 'GKE clusters set database_encryption { state = "ENCRYPTED", key_name = <Cloud KMS key> } (application-layer secrets encryption), '
    + 'so Kubernetes Secrets in etcd are encrypted with a customer-managed key.',
  cloud: CloudProvider.GCP,
  minimumProfile: ComplianceProfile.BASELINE,
  resourceTypes: [CLUSTER],
  controls: { hipaa: ['164.312(a)(2)(iv)'], soc2: ['CC6.1'] },
  upstream: {},
  check: (r) => {
    const enc = block(r.config.database_encryption);
    if (!enc || str(enc.state) !== 'ENCRYPTED') {
      return fail(`database_encryption.state is ${show(enc?.state)}: Secrets have Google's default encryption only`,
        'set database_encryption { state = "ENCRYPTED", key_name = <Cloud KMS key> }');
    }
    return isSet(enc.key_name) ? pass('Secrets encrypted with a Cloud KMS key')
      : fail('database_encryption names no key_name', 'set database_encryption.key_name to a Cloud KMS key in the cluster\'s region');
  },
});

/** Node config of a cluster (its default pool) or a node pool. */
function nodeConfig(r: { config: Record<string, unknown> }): Record<string, unknown> | undefined {
  return block(r.config.node_config);
}

export const gcpGkeNodes: ComplianceRule = defineRule({
  id: RuleId.GCP_GKE_NODES,
  title: 'GKE nodes private, with their own service account',
  description:
    'Node pools do not turn private nodes off (network_config.enable_private_nodes = false) and every node config names a '
    + 'service_account that is not the default Compute Engine account (an unset one falls back to it). Clusters are checked for private nodes by GCP-GKE-ENDPOINT.',
  cloud: CloudProvider.GCP,
  minimumProfile: ComplianceProfile.BASELINE,
  resourceTypes: [CLUSTER, POOL],
  controls: { hipaa: ['164.312(a)(1)'], soc2: ['CC6.3'] },
  upstream: { checkov: ['CKV_GCP_64'] },
  check: (r) => {
    const nc = nodeConfig(r);
    const sa = nc?.service_account;
    const privateOff = r.type === POOL && isFalse(block(r.config.network_config)?.enable_private_nodes);
    return new Problems()
      .add(privateOff, 'network_config.enable_private_nodes = false gives the pool\'s nodes external IPs', 'remove it (the cluster\'s private nodes apply) or set it true')
      .add(!isSet(sa), 'node_config.service_account is not set, so nodes run as the default Compute Engine service account',
        'set node_config.service_account to a dedicated least-privilege service account')
      .add(isSet(sa) && DEFAULT_COMPUTE_SA.test(String(sa)), `node_config.service_account ${show(sa)} is the default Compute Engine service account`,
        'set node_config.service_account to a dedicated least-privilege service account')
      .outcome(`private nodes running as ${show(sa)}`);
  },
});

export const gcpGkeWorkloadIdentity: ComplianceRule = defineRule({
  id: RuleId.GCP_GKE_WI,
  title: 'GKE Workload Identity and the GKE metadata server',
  description:
    'Clusters set workload_identity_config.workload_pool, and every node config sets workload_metadata_config.mode = "GKE_METADATA": '
    + 'pods then get only their own Kubernetes service account\'s identity from the metadata server, never the node\'s token.',
  cloud: CloudProvider.GCP,
  minimumProfile: ComplianceProfile.BASELINE,
  resourceTypes: [CLUSTER, POOL],
  controls: { hipaa: ['164.312(a)(1)'], soc2: ['CC6.1'] },
  upstream: { checkov: ['CKV_GCP_69'] },
  check: (r) => {
    const mode = block(nodeConfig(r)?.workload_metadata_config)?.mode;
    const pool = block(r.config.workload_identity_config)?.workload_pool;
    return new Problems()
      .add(r.type === CLUSTER && !isSet(pool), 'workload_identity_config.workload_pool is not set: pods can only act as the node\'s service account',
        'set workload_identity_config { workload_pool = "<project>.svc.id.goog" }')
      .add(str(mode) !== 'GKE_METADATA', `node_config.workload_metadata_config.mode is ${show(mode)}: pods reach the node's metadata and token`,
        'set node_config.workload_metadata_config { mode = "GKE_METADATA" }')
      .outcome('Workload Identity with the GKE metadata server');
  },
});

export const gcpGkeShield: ComplianceRule = defineRule({
  id: RuleId.GCP_GKE_SHIELD,
  title: 'Shielded GKE nodes with Secure Boot and integrity monitoring',
  description: 'Clusters set enable_shielded_nodes = true (not false); every node config sets shielded_instance_config with enable_secure_boot '
    + 'and enable_integrity_monitoring true.',
  cloud: CloudProvider.GCP,
  minimumProfile: ComplianceProfile.BASELINE,
  resourceTypes: [CLUSTER, POOL],
  controls: { hipaa: ['164.312(c)(1)'], soc2: ['CC6.8'] },
  upstream: { checkov: ['CKV_GCP_71', 'CKV_GCP_68', 'CKV_GCP_72'] },
  check: (r) => {
    const sh = block(nodeConfig(r)?.shielded_instance_config);
    return new Problems()
      .add(r.type === CLUSTER && isFalse(r.config.enable_shielded_nodes), 'enable_shielded_nodes = false', 'set enable_shielded_nodes = true')
      .add(!isTrue(sh?.enable_secure_boot), `node_config.shielded_instance_config.enable_secure_boot is ${show(sh?.enable_secure_boot)}`,
        'set node_config.shielded_instance_config { enable_secure_boot = true }')
      .add(isFalse(sh?.enable_integrity_monitoring), 'node_config.shielded_instance_config.enable_integrity_monitoring = false',
        'set enable_integrity_monitoring = true (the default)')
      .outcome('Shielded nodes with Secure Boot and integrity monitoring');
  },
});

export const GCP_GKE_RULES: ComplianceRule[] = [gcpGkeEndpoint, gcpGkeSecrets, gcpGkeNodes, gcpGkeWorkloadIdentity, gcpGkeShield];
