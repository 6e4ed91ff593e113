/**
 * How a self-managed node joins the EKS cluster: pure shell rendering (no cdktf), added to the host
 * bootstrap's commands. The user data is encoded at synth and cannot carry the cluster's endpoint or
 * CA (Terraform attributes), so the node reads them with eks:DescribeCluster (the node role may call
 * it on this cluster only) and hands nodeadm a complete NodeConfig, with the pool's labels and taints
 * as kubelet flags. nodeadm requires name, apiServerEndpoint, certificateAuthority and cidr
 * (awslabs/amazon-eks-ami nodeadm internal/api validation: ValidateNodeConfig); the NodeConfig format
 * is node.eks.aws/v1alpha1 (awslabs.github.io/amazon-eks-ami/nodeadm).
 */
import { CpuArchitecture, KubernetesTaint, ResolvedPool } from '../spec';
import { BootstrapMarker } from '../host';

export const EKS_NODE_CONFIG_FILE = '/etc/eks/sandbox-nodeconfig.yaml';
/** DescribeCluster attempts with backoff (5 s doubling to 60 s): the cluster and the node role's grant may be minutes old. */
export const EKS_DESCRIBE_ATTEMPTS = 10;

/**
 * The EKS-optimized AL2023 AMI for a pool, as a public SSM parameter (resolved at launch):
 * standard, or nvidia for GPU pools. Source: docs.aws.amazon.com/eks/latest/userguide/retrieve-ami-id.html.
 */
export function eksAmiParameter(kubernetesVersion: string, pool: Pick<ResolvedPool, 'kind' | 'shape'>): string {
  const arch = pool.shape?.arch === CpuArchitecture.ARM64 ? 'arm64' : 'x86_64';
  const variant = pool.kind === 'gpu' ? 'nvidia' : 'standard';
  return `/aws/service/eks/optimized-ami/${kubernetesVersion}/amazon-linux-2023/${arch}/${variant}/recommended/image_id`;
}

/** kubelet --node-labels / --register-with-taints values (keys and values are the library's own: no quoting needed). */
export function kubeletFlags(labels: { readonly [key: string]: string }, taints: readonly KubernetesTaint[]): string[] {
  const flags: string[] = [];
  const l = Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`);
  if (l.length) flags.push(`--node-labels=${l.join(',')}`);
  if (taints.length) flags.push(`--register-with-taints=${taints.map((t) => `${t.key}=${t.value}:${t.effect}`).join(',')}`);
  for (const f of flags) {
    if (!/^[A-Za-z0-9=,:./_-]+$/.test(f)) throw new Error(`kubelet flag ${JSON.stringify(f)} has characters a NodeConfig flag cannot carry unquoted`);
  }
  return flags;
}

/** The bootstrap command that joins the node: describe the cluster (with retries), write the NodeConfig, run nodeadm. */
export function eksJoinCommand(clusterName: string, flags: readonly string[]): string {
  if (!/^[0-9A-Za-z][0-9A-Za-z_-]*$/.test(clusterName)) throw new Error(`EKS cluster name ${JSON.stringify(clusterName)} is invalid`);
  const failed = BootstrapMarker.BOOTSTRAP_FAILED;
  return [
    'sandbox_join_eks() {',
    '  local attempt out delay=5 endpoint ca cidr',
    `  for ((attempt = 1; attempt <= ${EKS_DESCRIBE_ATTEMPTS}; attempt++)); do`,
    `    if out="$(aws eks describe-cluster --region "\${AWS_REGION}" --name '${clusterName}' ` +
      `--query 'cluster.[endpoint,certificateAuthority.data,kubernetesNetworkConfig.serviceIpv4Cidr]' --output text 2>&1)"; then`,
    '      read -r endpoint ca cidr <<<"${out}"',
    '      if [ -n "${endpoint}" ] && [ -n "${ca}" ] && [ -n "${cidr}" ] && [ "${endpoint}" != "None" ]; then',
    '        break',
    '      fi',
    '    fi',
    `    sandbox_log "WARN describe-cluster ${clusterName} failed (attempt \${attempt}/${EKS_DESCRIBE_ATTEMPTS}): \${out}"`,
    `    if [ "\${attempt}" -eq ${EKS_DESCRIBE_ATTEMPTS} ]; then`,
    `      sandbox_fail ${failed} "cannot describe EKS cluster ${clusterName}"`,
    '    fi',
    '    sleep "${delay}"',
    '    delay=$((delay * 2 > 60 ? 60 : delay * 2))',
    '  done',
    `  install -d -m 0755 /etc/eks`,
    `  cat > ${EKS_NODE_CONFIG_FILE} <<SANDBOX_NODECONFIG`,
    'apiVersion: node.eks.aws/v1alpha1',
    'kind: NodeConfig',
    'spec:',
    '  cluster:',
    `    name: ${clusterName}`,
    '    apiServerEndpoint: ${endpoint}',
    '    certificateAuthority: ${ca}',
    '    cidr: ${cidr}',
    ...(flags.length ? ['  kubelet:', '    flags:', ...flags.map((f) => `      - ${f}`)] : []),
    'SANDBOX_NODECONFIG',
    `  if ! nodeadm init --config-source file://${EKS_NODE_CONFIG_FILE} >>"\${SANDBOX_LOG_FILE}" 2>&1; then`,
    `    sandbox_fail ${failed} "nodeadm could not join EKS cluster ${clusterName}"`,
    '  fi',
    `  sandbox_log "joined EKS cluster ${clusterName}"`,
    '}',
    'sandbox_join_eks',
  ].join('\n');
}
