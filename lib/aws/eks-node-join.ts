/**
 * How a self-managed node joins the EKS cluster: pure shell rendering (no cdktf), added to the host
 * bootstrap's commands. The user data is encoded at synth and cannot carry the cluster's endpoint or
 * CA (Terraform attributes), so the node reads them with eks:DescribeCluster (the node role may call
 * it on this cluster only) and hands nodeadm a complete NodeConfig, with the pool's labels and taints
 * as kubelet flags. nodeadm requires name, apiServerEndpoint, certificateAuthority and cidr
 * (awslabs/amazon-eks-ami nodeadm internal/api validation: ValidateNodeConfig); the NodeConfig format
 * is node.eks.aws/v1alpha1 (awslabs.github.io/amazon-eks-ami/nodeadm).
 */
import { BootstrapMarker, RuntimeSource, renderRuntimeInstall, runtimeContainerdConfig } from '../host';
import { CloudProvider, CpuArchitecture, EgressMode, KubernetesTaint, PoolKind, ResolvedPool, SandboxRuntime } from '../spec';
import { kubernetesCatalogFor } from '../spec/catalog/kubernetes';
import { runtimeRelease } from '../spec/catalog/runtimes';

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

/**
 * EKS cluster tag whose value is the platform's artifact bucket: the bucket's name is chosen by S3 at
 * apply (bucket_prefix) and the user data is fixed at synth, so a node that downloads its runtime from
 * the bucket (egress "none") reads the name with the eks:DescribeCluster call it makes anyway.
 */
export const EKS_ARTIFACT_BUCKET_TAG = 'cdktf-sandbox-byoc.io/artifact-bucket';

/** What a node group installs before it joins: the pool's sandbox runtime and its containerd handler. */
export interface EksNodeRuntime {
  /** Bash function definitions; `sandbox_install_runtime [BUCKET]` installs (renderRuntimeInstall). */
  readonly install: string;
  /** containerd TOML nodeadm merges (NodeConfig spec.containerd.config). */
  readonly containerdConfig: string;
  readonly source: RuntimeSource;
}

/**
 * The runtime a pool's nodes need, from the pinned catalog: Kata (QEMU) for sandbox-kata, runsc for
 * sandbox-gvisor, runsc with nvproxy for sandbox-gvisor-gpu, each under the handler its RuntimeClass
 * names. Egress "none" downloads from the artifact bucket, any other mode from the upstream URLs.
 * Undefined for a pool without a RuntimeClass (the system node group).
 */
export function eksNodeRuntime(pool: Pick<ResolvedPool, 'name' | 'kind' | 'runtime' | 'shape' | 'kubernetes'>, egress: EgressMode,
  handlers: { readonly [runtimeClass: string]: string } = kubernetesCatalogFor(CloudProvider.AWS)?.handlers ?? {}): EksNodeRuntime | undefined {
  const rc = pool.kubernetes?.runtimeClass;
  if (!rc) return undefined;
  const handler = handlers[rc];
  if (!handler) throw new Error(`pool ${pool.name}: no containerd handler for RuntimeClass ${rc}`);
  const arch = pool.shape?.arch === CpuArchitecture.ARM64 ? 'aarch64' : 'x86_64';
  const release = runtimeRelease(pool.runtime, arch);
  if (!release) {
    throw new Error(`pool ${pool.name}: no pinned ${pool.runtime} release for ${arch} in lib/spec/catalog/runtimes.ts ` +
      '(the catalog pins x86_64 assets only); use an x86_64 instance type');
  }
  const source = egress === EgressMode.NONE ? RuntimeSource.ARTIFACT_BUCKET : RuntimeSource.UPSTREAM;
  const opts = { release, handler, gpu: pool.kind === PoolKind.GPU && pool.runtime === SandboxRuntime.GVISOR, source };
  return { install: renderRuntimeInstall(opts), containerdConfig: runtimeContainerdConfig(opts), source };
}

/**
 * The bootstrap command that joins the node: describe the cluster (with retries), install the pool's
 * runtime (verified, before containerd and the kubelet start), write the NodeConfig with the runtime's
 * containerd handler, run nodeadm.
 */
export function eksJoinCommand(clusterName: string, flags: readonly string[], runtime?: EksNodeRuntime): string {
  if (!/^[0-9A-Za-z][0-9A-Za-z_-]*$/.test(clusterName)) throw new Error(`EKS cluster name ${JSON.stringify(clusterName)} is invalid`);
  const failed = BootstrapMarker.BOOTSTRAP_FAILED;
  const bucket = runtime?.source === RuntimeSource.ARTIFACT_BUCKET;
  const fields = ['endpoint', 'certificateAuthority.data', 'kubernetesNetworkConfig.serviceIpv4Cidr', ...(bucket ? [`tags."${EKS_ARTIFACT_BUCKET_TAG}"`] : [])];
  const containerd = runtime ? runtime.containerdConfig.split('\n') : [];
  if (containerd.some((l) => /[$`\\]/.test(l))) throw new Error('containerd config for the NodeConfig must not contain $, ` or \\');
  return [
    ...(runtime ? [runtime.install] : []),
    'sandbox_join_eks() {',
    `  local attempt out delay=5 endpoint ca cidr${bucket ? ' bucket' : ''}`,
    `  for ((attempt = 1; attempt <= ${EKS_DESCRIBE_ATTEMPTS}; attempt++)); do`,
    `    if out="$(aws eks describe-cluster --region "\${AWS_REGION}" --name '${clusterName}' ` +
      `--query 'cluster.[${fields.join(',')}]' --output text 2>&1)"; then`,
    `      read -r endpoint ca cidr${bucket ? ' bucket' : ''} <<<"\${out}"`,
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
    // The runtime and its handler exist before nodeadm starts containerd and the kubelet.
    ...(runtime ? [`  sandbox_install_runtime${bucket ? ' "${bucket}"' : ''}`] : []),
    '  install -d -m 0755 /etc/eks',
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
    ...(runtime ? ['  containerd:', '    config: |', ...containerd.map((l) => `      ${l}`)] : []),
    'SANDBOX_NODECONFIG',
    `  if ! nodeadm init --config-source file://${EKS_NODE_CONFIG_FILE} >>"\${SANDBOX_LOG_FILE}" 2>&1; then`,
    `    sandbox_fail ${failed} "nodeadm could not join EKS cluster ${clusterName}"`,
    '  fi',
    `  sandbox_log "joined EKS cluster ${clusterName}"`,
    '}',
    'sandbox_join_eks',
  ].join('\n');
}
