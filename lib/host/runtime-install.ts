/**
 * Installs a pinned sandbox runtime (Kata Containers or gVisor) on a Kubernetes node whose managed
 * service has none built in, and renders the containerd runtime handler the RuntimeClass names.
 * Pure: no cdktf imports. The rendered shell runs inside the host bootstrap (sandbox_log, sandbox_fail,
 * sandbox_require_command and SANDBOX_LOG_FILE come from lib/host/bootstrap.ts).
 *
 * Never runs an unverified binary: every asset lands in a root-only cache, the whole set is checked
 * with `sha256sum -c` / `sha512sum -c` against the digests pinned in lib/spec/catalog/runtimes.ts, and
 * only then is anything extracted or copied into place. A mismatch or a missing file fails the node.
 *
 * Kata uses the QEMU hypervisor configuration kata-static ships
 * (/opt/kata/share/defaults/kata-containers/configuration-qemu.toml): QEMU is Kata's default
 * hypervisor, what kata-deploy's default "kata" class and kubespray's Kata role configure
 * (roles/container-engine/kata-containers: configuration-qemu.toml), it runs on metal and under
 * nested virtualization alike, and the RuntimeClass overhead in lib/spec/kubernetes.ts (250m/160Mi)
 * is Kata's figure for QEMU. Cloud Hypervisor would boot faster but would need its own overhead
 * figures and virtio-fs daemon checks; it is not offered.
 * Containerd keys (config schema version 2, which nodeadm merges and migrates on containerd 2):
 * github.com/kata-containers/kata-containers docs/how-to/privileged.md and containerd-kata.md
 * (runtime_type io.containerd.kata.v2, options.ConfigPath, privileged_without_host_devices), and
 * gvisor.dev/docs/user_guide/containerd/configuration (runtime_type io.containerd.runsc.v1,
 * options.TypeUrl io.containerd.runsc.v1.options, options.ConfigPath, [runsc_config] flags).
 */
import { RuntimeDigestAlgorithm, RuntimeRelease, runtimeArtifactKey } from '../spec/catalog/runtimes';
import { CDI_SPEC_DIRS, NVIDIA_CDI_HOOK_PATH } from '../spec/kubernetes-manifests';
import { SandboxRuntime } from '../spec/types';
import { BootstrapMarker } from './bootstrap';
import { shellFunction, shellQuote } from './shell';

/** Where a node downloads the runtime's assets from. */
export enum RuntimeSource {
  /** The exact upstream URLs (egress "nat" or "firewall"). */
  UPSTREAM = 'upstream',
  /** The platform's artifact bucket, runtimes/<runtime>/<version>/<arch>/<file> (egress "none"). */
  ARTIFACT_BUCKET = 'artifact-bucket',
}

/**
 * Options of {@link renderRuntimeInstall} and {@link runtimeContainerdConfig}.
 * @jsii ignore not in Python: options of free rendering functions (jsii has no free functions)
 */
export interface RuntimeInstallOptions {
  /** The pinned release (runtimeRelease(runtime) from the catalog). Required. */
  readonly release: RuntimeRelease;
  /** Containerd runtime handler the RuntimeClass names: ^[a-z][a-z0-9-]*$. Required. */
  readonly handler: string;
  /**
   * gVisor on GPU nodes: runsc runs with nvproxy, containerd injects the CDI devices the NVIDIA device plugin
   * names (enable_cdi), and the node fails unless the CDI hook binary is there and runsc supports the host's
   * NVIDIA driver. Kata GPU pools are refused earlier. Default false.
   */
  readonly gpu?: boolean;
  /** Where the assets come from. Required. */
  readonly source: RuntimeSource;
  /**
   * GPU nodes: the fix named when runsc does not support the host's NVIDIA driver. Default: the EKS one (an EKS
   * NVIDIA AMI release whose driver runsc supports, or a gVisor release that supports this driver).
   */
  readonly gpuDriverHint?: string;
}

/** Where kata-static unpacks (its tarball holds ./opt/kata/...). */
export const KATA_INSTALL_DIR = '/opt/kata';
/** The QEMU configuration kata-static ships; the kata handler's ConfigPath. */
export const KATA_QEMU_CONFIG = '/opt/kata/share/defaults/kata-containers/configuration-qemu.toml';
/** Shims and runsc go where containerd's PATH (systemd's default) finds them. */
export const RUNTIME_BIN_DIR = '/usr/local/bin';
/** Verified assets, root-only; reused on later boots after they verify again. */
export const RUNTIME_CACHE_DIR = '/var/cache/sandbox-runtimes';
/** Download attempts per asset (5 s, 10 s, ... between them). */
export const RUNTIME_DOWNLOAD_ATTEMPTS = 5;

/** A containerd runtime handler name. */
export const RUNTIME_HANDLER_RULE = /^[a-z][a-z0-9-]{0,62}$/;
const HANDLER = RUNTIME_HANDLER_RULE;
/** containerd 2 CRI runtime plugin (config version 3 name, also accepted in version 2 files). */
export const CRI_RUNTIME_PLUGIN_V2 = 'io.containerd.cri.v1.runtime';
/** containerd 1.x CRI plugin (config version 2; containerd 2 migrates it). */
export const CRI_PLUGIN_V1 = 'io.containerd.grpc.v1.cri';
const HEX = { [RuntimeDigestAlgorithm.SHA256]: /^[0-9a-f]{64}$/, [RuntimeDigestAlgorithm.SHA512]: /^[0-9a-f]{128}$/ };
const FILE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function check(opts: RuntimeInstallOptions): void {
  const { release, handler } = opts;
  if (!HANDLER.test(handler)) throw new Error(`runtime install: handler ${JSON.stringify(handler)} must match ${HANDLER.source}`);
  if (release.runtime !== SandboxRuntime.KATA && release.runtime !== SandboxRuntime.GVISOR) {
    throw new Error(`runtime install: no installer for runtime ${JSON.stringify(release.runtime)} (kata and gvisor only)`);
  }
  if (opts.gpu && release.runtime !== SandboxRuntime.GVISOR) throw new Error('runtime install: GPU nodes run gVisor (nvproxy) only');
  if (release.assets.length === 0) throw new Error(`runtime install: ${release.runtime} ${release.version} has no assets`);
  for (const a of release.assets) {
    if (!FILE.test(a.name)) throw new Error(`runtime install: asset name ${JSON.stringify(a.name)} is not a plain file name`);
    if (!HEX[a.algorithm]?.test(a.digest)) throw new Error(`runtime install: asset ${a.name} has no valid ${a.algorithm} digest`);
    if (!a.url.startsWith('https://')) throw new Error(`runtime install: asset ${a.name} URL must be https`);
  }
  const names = release.assets.map((a) => a.name);
  if (new Set(names).size !== names.length) throw new Error(`runtime install: duplicate asset names in ${release.runtime} ${release.version}`);
}

/** The checksum list file of an algorithm in the cache directory. */
function sumsFile(algorithm: RuntimeDigestAlgorithm): string {
  return `SANDBOX_${algorithm.toUpperCase()}SUMS`;
}

/**
 * Bash functions `sandbox_runtime_download SOURCE DEST` and `sandbox_install_runtime [BUCKET]`: fetch the
 * release's assets (from BUCKET for RuntimeSource.ARTIFACT_BUCKET), verify all of them, then install.
 * `SANDBOX_RUNTIME_ROOT` (default empty) prefixes every path the function writes: tests point it at a
 * temporary directory.
 */
export function renderRuntimeInstall(opts: RuntimeInstallOptions): string {
  check(opts);
  const { release, handler } = opts;
  const failed = BootstrapMarker.BOOTSTRAP_FAILED;
  const label = `${release.runtime} ${release.version} (${release.arch})`;
  const bucket = opts.source === RuntimeSource.ARTIFACT_BUCKET;
  const algorithms = [...new Set(release.assets.map((a) => a.algorithm))].sort();
  const cache = `\${root}${RUNTIME_CACHE_DIR}/${release.runtime}/${release.version}/${release.arch}`;
  const sourceOf = (a: RuntimeRelease['assets'][number]) =>
    (bucket ? `"s3://\${bucket}/"${shellQuote(runtimeArtifactKey(release, a))}` : shellQuote(a.url));
  const verify = algorithms.map((alg) => `${alg}sum -c --strict ${sumsFile(alg)}`).join(' && ');

  const download = shellFunction('sandbox_runtime_download', [
    '  local attempt',
    `  for ((attempt = 1; attempt <= ${RUNTIME_DOWNLOAD_ATTEMPTS}; attempt++)); do`,
    '    rm -f "$2"',
    bucket
      ? '    if aws s3 cp --only-show-errors --region "${AWS_REGION}" "$1" "$2" >>"${SANDBOX_LOG_FILE}" 2>&1; then return 0; fi'
      : '    if curl -fsSL --proto \'=https\' --proto-redir \'=https\' --connect-timeout 10 --max-time 900 -o "$2" "$1" >>"${SANDBOX_LOG_FILE}" 2>&1; then return 0; fi',
    `    sandbox_log "WARN download of $1 failed (attempt \${attempt}/${RUNTIME_DOWNLOAD_ATTEMPTS})"`,
    `    if [ "\${attempt}" -lt ${RUNTIME_DOWNLOAD_ATTEMPTS} ]; then sleep $((attempt * 5)); fi`,
    '  done',
    '  rm -f "$2"',
    '  return 1',
  ]);

  const sums = algorithms.flatMap((alg) => [
    `  sandbox_write_runtime_file "\${cache}/${sumsFile(alg)}" 0600 <<'SANDBOX_SUMS'`,
    ...release.assets.filter((a) => a.algorithm === alg).map((a) => `${a.digest}  ${a.name}`),
    'SANDBOX_SUMS',
  ]);
  const body = [
    `  local ${bucket ? 'bucket="${1:-}" ' : ''}root="\${SANDBOX_RUNTIME_ROOT:-}" cache`,
    ...(bucket ? [
      '  if [ -z "${bucket}" ] || [ "${bucket}" = None ]; then',
      `    sandbox_fail ${failed} "${label}: no artifact bucket to download from"`,
      '  fi',
    ] : []),
    `  cache="${cache}"`,
    '  install -d -m 0700 "${cache}"',
    ...sums,
    `  if (cd "\${cache}" && ${verify}) >>"\${SANDBOX_LOG_FILE}" 2>&1; then`,
    `    sandbox_log "${label}: cached assets verified"`,
    '  else',
    ...release.assets.flatMap((a) => [
      `    if ! sandbox_runtime_download ${sourceOf(a)} "\${cache}/${a.name}"; then`,
      `      sandbox_fail ${failed} "${label}: cannot download ${a.name}${bucket ? ` from s3://\${bucket}/${runtimeArtifactKey(release, a)}` : ''}"`,
      '    fi',
    ]),
    '    # Nothing is installed unless every asset matches its pinned digest.',
    `    if ! (cd "\${cache}" && ${verify}) >>"\${SANDBOX_LOG_FILE}" 2>&1; then`,
    `      rm -f ${release.assets.map((a) => `"\${cache}/${a.name}"`).join(' ')}`,
    `      sandbox_fail ${failed} "${label}: checksum mismatch (pinned ${algorithms.join('/')}); nothing installed"`,
    '    fi',
    `    sandbox_log "${label}: downloaded and verified"`,
    '  fi',
    ...(release.runtime === SandboxRuntime.KATA ? kataInstall(release, label) : gvisorInstall(release, handler, opts.gpu === true, opts.gpuDriverHint ?? EKS_GPU_DRIVER_HINT)),
    `  sandbox_log "${label}: installed for containerd handler ${handler}"`,
  ];
  return [
    `# Sandbox runtime ${label} for containerd handler "${handler}", from ${bucket ? 'the artifact bucket' : 'its upstream release'}.`,
    ...download,
    ...shellFunction('sandbox_write_runtime_file', [
      '  local tmp',
      '  tmp="$(mktemp "$1.XXXXXX")"',
      '  cat >"${tmp}"',
      '  chmod "$2" "${tmp}"',
      '  mv -f "${tmp}" "$1"',
    ]),
    ...shellFunction('sandbox_install_runtime', body),
  ].join('\n');
}

function kataInstall(release: RuntimeRelease, label: string): string[] {
  const failed = BootstrapMarker.BOOTSTRAP_FAILED;
  const archive = release.assets[0].name;
  return [
    '  local staging',
    '  sandbox_require_command zstd zstd',
    '  install -d -m 0755 "${root}/opt" "${root}' + RUNTIME_BIN_DIR + '"',
    '  staging="$(mktemp -d "${root}/opt/.kata-staging.XXXXXX")"',
    `  if ! tar --zstd --no-same-owner -xf "\${cache}/${archive}" -C "\${staging}" >>"\${SANDBOX_LOG_FILE}" 2>&1; then`,
    '    rm -rf "${staging}"',
    `    sandbox_fail ${failed} "${label}: cannot unpack ${archive}"`,
    '  fi',
    `  if [ ! -x "\${staging}${KATA_INSTALL_DIR}/bin/containerd-shim-kata-v2" ] || [ ! -f "\${staging}${KATA_QEMU_CONFIG}" ]; then`,
    '    rm -rf "${staging}"',
    `    sandbox_fail ${failed} "${label}: ${archive} lacks bin/containerd-shim-kata-v2 or the QEMU configuration"`,
    '  fi',
    `  rm -rf "\${root}${KATA_INSTALL_DIR}"`,
    `  mv "\${staging}${KATA_INSTALL_DIR}" "\${root}${KATA_INSTALL_DIR}"`,
    '  rm -rf "${staging}"',
    `  ln -sfn ${KATA_INSTALL_DIR}/bin/containerd-shim-kata-v2 "\${root}${RUNTIME_BIN_DIR}/containerd-shim-kata-v2"`,
  ];
}

function gvisorInstall(release: RuntimeRelease, handler: string, gpu: boolean, hint: string): string[] {
  return [
    '  install -d -m 0755 "${root}' + RUNTIME_BIN_DIR + '" "${root}/etc/containerd"',
    ...release.assets.map((a) => `  install -m 0755 "\${cache}/${a.name}" "\${root}${RUNTIME_BIN_DIR}/${a.name}"`),
    `  sandbox_write_runtime_file "\${root}${runscConfigPath(handler)}" 0644 <<'SANDBOX_RUNSC'`,
    `# containerd-shim-runsc-v1 configuration of handler ${handler} (generated by cdktf-sandbox-byoc; do not edit).`,
    '[runsc_config]',
    ...(gpu ? ['# GPU pods: nvproxy proxies the NVIDIA driver into the sandbox (gvisor.dev/docs/user_guide/gpu).', 'nvproxy = "true"'] : []),
    'SANDBOX_RUNSC',
    ...(gpu ? gpuChecks(release, hint) : []),
  ];
}

/**
 * GPU nodes: what a runsc-nvidia pod needs from the host, checked before the node joins (a node that fails
 * is replaced, and its failure raises the bootstrap alarm, instead of taking GPU pods it cannot start).
 * - The CDI hook binary the device plugin's CDI specification runs ({@link NVIDIA_CDI_HOOK_PATH}); the EKS
 *   NVIDIA AMI installs it with nvidia-container-toolkit.
 * - runsc matches the host driver version exactly and refuses drivers it does not support
 *   (gVisor g3doc/user_guide/gpu.md, "Rolling Version Support Window"); `runsc nvproxy list-supported-drivers`
 *   prints one version per line (runsc/cmd/nvproxy/list_supported_drivers.go at release-20260817.0). The EKS
 *   AMI's driver changes with each AMI release, so a mismatch is found here and not by every GPU pod.
 * The host bootstrap's GPU check (nvidia-smi) has already passed when this runs.
 */
function gpuChecks(release: RuntimeRelease, hint: string): string[] {
  // Inside a double-quoted shell string: no quotes, expansions or escapes.
  const safeHint = hint.replace(/["$`\\]/g, '');
  const failed = BootstrapMarker.BOOTSTRAP_FAILED;
  const label = `${release.runtime} ${release.version}`;
  return [
    '  local driver supported',
    `  if [ ! -x "\${root}${NVIDIA_CDI_HOOK_PATH}" ]; then`,
    `    sandbox_fail ${failed} "${label}: ${NVIDIA_CDI_HOOK_PATH} is missing: GPU pods need it for the NVIDIA CDI hooks (nvidia-container-toolkit installs it, as on the EKS NVIDIA AMI and AKS GPU nodes)"`,
    '  fi',
    // One line per GPU, all the same driver: keep the first (no `| head`: it would fail the pipe with SIGPIPE).
    '  driver="$(nvidia-smi --query-gpu=driver_version --format=csv,noheader 2>>"${SANDBOX_LOG_FILE}")" || driver=""',
    '  driver="${driver%%$\'\\n\'*}"',
    '  driver="${driver//[[:space:]]/}"',
    `  if ! supported="$("\${root}${RUNTIME_BIN_DIR}/runsc" nvproxy list-supported-drivers 2>>"\${SANDBOX_LOG_FILE}")"; then`,
    `    sandbox_fail ${failed} "${label}: runsc nvproxy list-supported-drivers failed"`,
    '  fi',
    '  if [ -z "${driver}" ] || ! grep -qxF -- "${driver}" <<<"${supported}"; then',
    `    sandbox_fail ${failed} "${label}: NVIDIA driver \${driver:-unknown} is not one runsc supports (\${supported//\$'\\n'/, }); ` +
      `${safeHint}"`,
    '  fi',
    '  sandbox_log "NVIDIA driver ${driver} is supported by runsc nvproxy"',
  ];
}

/** The default fix of a GPU driver runsc does not support (EKS). */
const EKS_GPU_DRIVER_HINT = 'set the GPU pool\'s image to an EKS NVIDIA AMI release whose driver runsc supports, or pin a gVisor release that supports this driver';

/** The shim configuration file of a gVisor handler. */
export function runscConfigPath(handler: string): string {
  return `/etc/containerd/${handler}.toml`;
}

/**
 * The containerd configuration (schema version 2) that registers the handler: nodeadm merges it into
 * the config it writes (NodeConfig spec.containerd.config) and migrates it when the AMI runs containerd 2.
 */
export function runtimeContainerdConfig(opts: RuntimeInstallOptions): string {
  check(opts);
  const table = `plugins."${CRI_PLUGIN_V1}".containerd.runtimes.${opts.handler}`;
  if (opts.release.runtime === SandboxRuntime.KATA) {
    return [
      `[${table}]`,
      'runtime_type = "io.containerd.kata.v2"',
      // A privileged pod must not get the host's devices hot-plugged into its VM.
      'privileged_without_host_devices = true',
      `[${table}.options]`,
      `ConfigPath = "${KATA_QEMU_CONFIG}"`,
    ].join('\n');
  }
  return [
    // GPU pods get their GPUs as CDI devices (see NVIDIA_CDI_HOOK_PATH); nodeadm already enables CDI from kubelet
    // 1.32 (awslabs/amazon-eks-ami nodeadm/internal/containerd/config.go EnableCDI); this keeps it on regardless.
    // Keys: cncf-tags/container-device-interface README "containerd configuration" (containerd 1.7, schema 2).
    ...(opts.gpu ? [
      `[plugins."${CRI_PLUGIN_V1}"]`,
      'enable_cdi = true',
      `cdi_spec_dirs = [${CDI_SPEC_DIRS.map((d) => `"${d}"`).join(', ')}]`,
    ] : []),
    containerdHandlerBlock(opts.handler, CRI_PLUGIN_V1),
  ].join('\n');
}

/**
 * The handler's table under a CRI plugin: the runsc shim with its own shim configuration file
 * (gvisor.dev/docs/user_guide/containerd/configuration: runtime_type io.containerd.runsc.v1,
 * options.TypeUrl, options.ConfigPath). The same keys sit under `containerd.runtimes` in both
 * containerd 1.x (io.containerd.grpc.v1.cri) and 2.x (io.containerd.cri.v1.runtime).
 */
export function containerdHandlerBlock(handler: string, plugin: string): string {
  const table = `plugins."${plugin}".containerd.runtimes.${handler}`;
  return [
    `[${table}]`,
    'runtime_type = "io.containerd.runsc.v1"',
    `[${table}.options]`,
    'TypeUrl = "io.containerd.runsc.v1.options"',
    `ConfigPath = "${runscConfigPath(handler)}"`,
  ].join('\n');
}

