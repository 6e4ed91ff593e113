/**
 * The node runtime installer: a long-running script that installs a pinned gVisor release on a
 * managed-Kubernetes node whose containerd configuration the cloud owns (AKS), registers the
 * containerd runtime handler the RuntimeClass names, and keeps both in place. Pure: no cdktf imports.
 * A privileged DaemonSet runs it on the host, in PID 1's namespaces (lib/azure/aks-manifests.ts).
 *
 * What it does, in order (each step fails the script, so the pod restarts and shows the reason):
 * 1. Downloads the release's assets into a root-only cache and checks every one against its pinned
 *    digest before anything is installed (renderRuntimeInstall).
 * 2. GPU handler: checks the CDI hook binary and that runsc supports the host's NVIDIA driver.
 * 3. Appends the handler to /etc/containerd/config.toml between marker lines, in the form the file
 *    already uses (containerd 2's `io.containerd.cri.v1.runtime` plugin when present, otherwise
 *    `io.containerd.grpc.v1.cri`), has containerd parse the result (`containerd --config FILE config dump`)
 *    before it replaces the file, restarts containerd (running containers keep their shims), and waits
 *    until containerd's merged configuration shows the handler (and CDI on, for the GPU handler).
 * 4. Writes a ready file (the pod's readiness probe), then re-checks every RECHECK seconds: if the
 *    installed binaries no longer match their pinned digests or the marker block is gone (AKS renders
 *    config.toml itself: node image upgrades, reimages), it removes the ready file and repeats 1-3.
 *
 * Until step 3 has run, containerd knows no such handler: a pod of the RuntimeClass scheduled early
 * waits in ContainerCreating (kubelet retries the sandbox) and never falls back to runc.
 * AKS's containerd configuration has no drop-in directory (github.com/Azure/AgentBaker
 * aks-node-controller/parser/templates/containerd_v2.toml.gtpl: no `imports`), hence the marker block.
 */
import { RuntimeRelease } from '../spec/catalog/runtimes';
import { SandboxRuntime } from '../spec/types';
import { BootstrapMarker } from './bootstrap';
import { RuntimeSource, renderRuntimeInstall, runscConfigPath, RUNTIME_BIN_DIR, RUNTIME_CACHE_DIR } from './runtime-install';
import { shellFunction, shellQuote } from './shell';

/**
 * Options of {@link renderNodeRuntimeInstaller}.
 * @jsii ignore not in Python: options of a free rendering function (jsii has no free functions)
 */
export interface NodeRuntimeInstallerOptions {
  /** The pinned gVisor release (runtimeRelease(SandboxRuntime.GVISOR)). Required. */
  readonly release: RuntimeRelease;
  /** Containerd runtime handler the RuntimeClass names (e.g. "runsc", "runsc-nvidia"). Required. */
  readonly handler: string;
  /** GPU nodes: runsc with nvproxy, CDI devices, the driver check. Default false. */
  readonly gpu?: boolean;
  /** Seconds between drift checks. Default {@link NODE_INSTALLER_RECHECK_SECONDS}. */
  readonly recheckSeconds?: number;
  /** Why a GPU node's driver may not match runsc, and what to do (appended to the failure). Default: a generic fix. */
  readonly gpuDriverHint?: string;
}

/** Seconds between the installer's drift checks. */
export const NODE_INSTALLER_RECHECK_SECONDS = 60;
/** The containerd configuration AKS renders on every node. */
export const CONTAINERD_CONFIG = '/etc/containerd/config.toml';
/** Directory of the ready files (tmpfs: gone after a reboot, so a rebooted node is checked again). */
export const NODE_INSTALLER_STATE_DIR = '/run/cdktf-sandbox-byoc';
/** Host log of the installer (also on the pod's stdout). */
export const NODE_INSTALLER_LOG = '/var/log/cdktf-sandbox-byoc-runtime-installer.log';

/** The ready file of a handler: present while the handler is installed, verified and registered. */
export function nodeInstallerReadyFile(handler: string): string {
  return `${NODE_INSTALLER_STATE_DIR}/runtime-${handler}.ready`;
}

/** The marker lines around the handler's block in config.toml. */
export function containerdBlockMarkers(handler: string): { begin: string; end: string } {
  return {
    begin: `# BEGIN cdktf-sandbox-byoc runtime handler ${handler} (generated; the installer DaemonSet rewrites this block)`,
    end: `# END cdktf-sandbox-byoc runtime handler ${handler}`,
  };
}

/** containerd 2 CRI runtime plugin (config version 3 name, also accepted in version 2 files). */
export const CRI_RUNTIME_PLUGIN_V2 = 'io.containerd.cri.v1.runtime';
/** containerd 1.x CRI plugin. */
export const CRI_PLUGIN_V1 = 'io.containerd.grpc.v1.cri';

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

/** The whole installer script (bash). `SANDBOX_RUNTIME_ROOT` prefixes every host path (tests). */
export function renderNodeRuntimeInstaller(opts: NodeRuntimeInstallerOptions): string {
  const { release, handler } = opts;
  if (release.runtime !== SandboxRuntime.GVISOR) {
    throw new Error(`node runtime installer: gVisor only, not ${JSON.stringify(release.runtime)} (AKS runs Kata itself through Pod Sandboxing)`);
  }
  const recheck = opts.recheckSeconds ?? NODE_INSTALLER_RECHECK_SECONDS;
  if (!Number.isInteger(recheck) || recheck < 10 || recheck > 3600) {
    throw new Error(`node runtime installer: recheckSeconds ${recheck} must be an integer from 10 to 3600`);
  }
  const gpu = opts.gpu === true;
  const failed = BootstrapMarker.BOOTSTRAP_FAILED;
  const install = renderRuntimeInstall({
    release, handler, gpu, source: RuntimeSource.UPSTREAM,
    gpuDriverHint: opts.gpuDriverHint,
  });
  const { begin, end } = containerdBlockMarkers(handler);
  const label = `${release.runtime} ${release.version} handler ${handler}`;
  const cache = `\${root}${RUNTIME_CACHE_DIR}/${release.runtime}/${release.version}/${release.arch}`;
  const handlerPattern = `^[[:space:]]*\\[plugins\\."[^"]+"\\.containerd\\.runtimes\\.${handler.replace(/-/g, '\\-')}[].]`;

  return [
    '#!/bin/bash',
    `# cdktf-sandbox-byoc node runtime installer: ${label}${gpu ? ' (GPU: nvproxy, CDI)' : ''}.`,
    '# Generated (lib/host/node-runtime-installer.ts); runs on the host in PID 1\'s namespaces. Do not edit.',
    'set -euo pipefail',
    'umask 022',
    `SANDBOX_LOG_FILE="\${SANDBOX_RUNTIME_ROOT:-}${NODE_INSTALLER_LOG}"`,
    'install -d -m 0755 "${SANDBOX_LOG_FILE%/*}"',
    `SANDBOX_BEGIN=${shellQuote(begin)}`,
    `SANDBOX_END=${shellQuote(end)}`,
    ...shellFunction('sandbox_log', [
      '  local line',
      `  line="sandbox-runtime-installer[${handler}]: $*"`,
      '  printf \'%s %s\\n\' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "${line}" 2>/dev/null >>"${SANDBOX_LOG_FILE}" || true',
      '  printf \'%s\\n\' "${line}"',
    ]),
    '# sandbox_fail MARKER reason...: log, drop the ready file, exit 1 (the pod restarts and shows the reason).',
    ...shellFunction('sandbox_fail', [
      '  local marker="$1"',
      '  shift',
      '  sandbox_log "ERROR ${marker}: $*"',
      `  rm -f "\${SANDBOX_RUNTIME_ROOT:-}${nodeInstallerReadyFile(handler)}"`,
      '  exit 1',
    ]),
    ...shellFunction('sandbox_require_command', [
      '  if command -v "$1" >/dev/null 2>&1; then return 0; fi',
      `  sandbox_fail ${failed} "$1 is missing on this node (package $2)"`,
    ]),
    install,
    '# The handler block in the CRI plugin form config.toml already uses.',
    ...shellFunction('sandbox_handler_block', [
      '  if [ "$1" = v2 ]; then',
      `    cat <<'SANDBOX_BLOCK'\n${containerdHandlerBlock(handler, CRI_RUNTIME_PLUGIN_V2)}\nSANDBOX_BLOCK`,
      '  else',
      `    cat <<'SANDBOX_BLOCK'\n${containerdHandlerBlock(handler, CRI_PLUGIN_V1)}\nSANDBOX_BLOCK`,
      '  fi',
    ]),
    '# Exit status 0 when containerd\'s merged configuration (of FILE, default the live one) has the handler.',
    ...shellFunction('sandbox_containerd_has_handler', [
      '  local dump',
      '  if [ -n "${1:-}" ]; then dump="$(containerd --config "$1" config dump 2>>"${SANDBOX_LOG_FILE}")" || return 1',
      '  else dump="$(containerd config dump 2>>"${SANDBOX_LOG_FILE}")" || return 1; fi',
      `  grep -qF -- '.containerd.runtimes.${handler}]' <<<"\${dump}" || return 1`,
      ...(gpu ? [
        // GPU pods get their devices as CDI names (lib/spec/kubernetes-manifests.ts): containerd 2 has CDI on by default.
        '  grep -qE \'^[[:space:]]*enable_cdi[[:space:]]*=[[:space:]]*true\' <<<"${dump}" || return 2',
      ] : []),
      '  return 0',
    ]),
    '# sandbox_without_block CONF > OUT: the file without any block of ours, nor the blank lines just before one.',
    ...shellFunction('sandbox_without_block', [
      '  awk -v b="${SANDBOX_BEGIN}" -v e="${SANDBOX_END}" \'',
      '    skip { if ($0 == e) skip = 0; next }',
      '    $0 == b { held = 0; skip = 1; next }',
      '    $0 == "" { held++; next }',
      '    { while (held > 0) { print ""; held-- } print }',
      '    END { while (held > 0) { print ""; held-- } }\' "$1"',
    ]),
    '# sandbox_block_form CONF: "v2" when the file (outside our block) uses containerd 2\'s CRI runtime plugin, else "v1".',
    ...shellFunction('sandbox_block_form', [
      `  if sandbox_without_block "$1" | grep -qF -- '"${CRI_RUNTIME_PLUGIN_V2}"'; then echo v2; else echo v1; fi`,
    ]),
    '# Exit status 0 when CONF holds exactly our current block, in the form the rest of the file uses.',
    ...shellFunction('sandbox_block_current', [
      '  local expected actual',
      '  expected="$(printf \'%s\\n\' "${SANDBOX_BEGIN}"; sandbox_handler_block "$(sandbox_block_form "$1")"; printf \'%s\\n\' "${SANDBOX_END}")"',
      '  actual="$(awk -v b="${SANDBOX_BEGIN}" -v e="${SANDBOX_END}" \'$0 == b { on = 1 } on { print } $0 == e { on = 0 }\' "$1")"',
      '  [ "${expected}" = "${actual}" ]',
    ]),
    ...shellFunction('sandbox_register_handler', [
      '  local root="${SANDBOX_RUNTIME_ROOT:-}" conf form tmp status i',
      `  conf="\${root}${CONTAINERD_CONFIG}"`,
      '  if [ ! -f "${conf}" ]; then',
      `    sandbox_fail ${failed} "\${conf} is missing: this node's containerd has no configuration to add handler ${handler} to"`,
      '  fi',
      '  if sandbox_block_current "${conf}"; then return 0; fi',
      '  form="$(sandbox_block_form "${conf}")"',
      '  tmp="$(mktemp "${conf}.sandbox.XXXXXX")"',
      '  sandbox_without_block "${conf}" >"${tmp}"',
      `  if grep -qE -- ${shellQuote(handlerPattern)} "\${tmp}"; then`,
      '    rm -f "${tmp}"',
      `    sandbox_fail ${failed} "\${conf} already defines a runtime named ${handler} that this installer did not write; remove it or rename it"`,
      '  fi',
      '  { printf \'\\n%s\\n\' "${SANDBOX_BEGIN}"; sandbox_handler_block "${form}"; printf \'%s\\n\' "${SANDBOX_END}"; } >>"${tmp}"',
      '  status=0',
      '  sandbox_containerd_has_handler "${tmp}" || status=$?',
      '  if [ "${status}" -ne 0 ]; then',
      '    rm -f "${tmp}"',
      '    if [ "${status}" -eq 2 ]; then',
      `      sandbox_fail ${failed} "containerd has CDI off (enable_cdi), which GPU pods under handler ${handler} need (containerd 2 turns it on by default); \${conf} is unchanged"`,
      '    fi',
      `    sandbox_fail ${failed} "containerd rejects \${conf} with handler ${handler} added (see \${SANDBOX_LOG_FILE}); the file is unchanged"`,
      '  fi',
      '  chmod --reference="${conf}" "${tmp}" 2>/dev/null || chmod 0644 "${tmp}"',
      '  mv -f "${tmp}" "${conf}"',
      '  sandbox_log "added handler ' + handler + ' to ${conf} (containerd ${form} form); restarting containerd"',
      '  systemctl restart containerd',
      '  for ((i = 0; i < 60; i++)); do',
      '    if systemctl is-active --quiet containerd && sandbox_containerd_has_handler; then return 0; fi',
      '    sleep 2',
      '  done',
      `  sandbox_fail ${failed} "containerd did not come back with handler ${handler} within 120 s (see journalctl -u containerd)"`,
    ]),
    '# Exit status 0 while the installed files match the verified cache and the block is current.',
    ...shellFunction('sandbox_in_place', [
      '  local root="${SANDBOX_RUNTIME_ROOT:-}" cache',
      `  cache="${cache}"`,
      // The installed binaries against their pinned digests (the sums files the install step wrote into the cache).
      ...[...new Set(release.assets.map((a) => a.algorithm))].sort().map((alg) =>
        `  (cd "\${root}${RUNTIME_BIN_DIR}" && ${alg}sum -c --strict --quiet "\${cache}/SANDBOX_${alg.toUpperCase()}SUMS") >/dev/null 2>&1 || return 1`),
      `  [ -f "\${root}${runscConfigPath(handler)}" ] || return 1`,
      `  sandbox_block_current "\${root}${CONTAINERD_CONFIG}"`,
    ]),
    ...shellFunction('sandbox_install_and_register', [
      `  local ready="\${SANDBOX_RUNTIME_ROOT:-}${nodeInstallerReadyFile(handler)}"`,
      '  rm -f "${ready}"',
      '  sandbox_install_runtime',
      '  sandbox_register_handler',
      '  install -d -m 0755 "${ready%/*}"',
      '  : >"${ready}"',
      `  sandbox_log "${label} installed, verified and registered"`,
    ]),
    ...shellFunction('sandbox_installer_main', [
      '  sandbox_install_and_register',
      '  if [ -n "${SANDBOX_INSTALLER_ONCE:-}" ]; then return 0; fi',
      '  while true; do',
      `    sleep ${recheck}`,
      '    if ! sandbox_in_place; then',
      '      sandbox_log "drift: the installed runtime or its containerd block changed; installing again"',
      '      sandbox_install_and_register',
      '    fi',
      '  done',
    ]),
    'sandbox_installer_main',
    '',
  ].join('\n');
}
