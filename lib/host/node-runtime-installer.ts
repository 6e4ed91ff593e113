/**
 * The node agent of a managed-Kubernetes node whose host the cloud owns (AKS): a long-running script a
 * privileged DaemonSet runs on the host, in PID 1's namespaces (lib/azure/aks-manifests.ts). Pure: no
 * cdktf imports. Per sandbox RuntimeClass it does, in order (each step fails the script, so the pod
 * restarts and shows the reason):
 * 1. Host guard (optional): loads the `inet sandbox_guard` nftables table (lib/host/bootstrap.ts
 *    renderGuardTable) so traffic from pod interfaces cannot reach the node's metadata service,
 *    WireServer and other blocked addresses, and installs a containerd drop-in that loads it before
 *    containerd starts (after a reboot too). Pods of the exempt namespaces (kube-system: AKS's own
 *    agents, which may use IMDS) are exempt, by address and host-side interface, while they run under
 *    the default runtime; the list is refreshed on every check, so a new pod is guarded until it is
 *    seen (fails closed).
 * 2. Runtime: gVisor downloads the pinned release into a root-only cache and checks every file against
 *    its digest before anything is installed (renderRuntimeInstall); GPU: the CDI hook binary and a
 *    driver runsc supports. Kata (AKS Pod Sandboxing installs it): nothing to install.
 * 3. Handler: appends the RuntimeClass's containerd handler to /etc/containerd/config.toml between
 *    marker lines, in the CRI plugin form the file uses; for Kata a copy of AKS's own `kata` runtime
 *    tables under our handler name. containerd parses the result (`containerd --config FILE config dump`)
 *    before it replaces the file; then containerd restarts (running containers keep their shims) and the
 *    script waits until the merged configuration shows the handler (and CDI on, for GPUs).
 * 4. Writes a ready file (the pod's readiness probe), then every RECHECK seconds reloads the guard and
 *    repairs drift: binaries that no longer match their digests, a block that is gone or stale (AKS
 *    renders config.toml itself: node image upgrades, reimages), or a containerd that has not read it.
 *
 * Fail closed: the handler is registered only after the guard is loaded and the runtime verified, and
 * containerd knows no such handler before that, so a sandbox pod scheduled early waits in
 * ContainerCreating (kubelet retries) and never runs unguarded or falls back to runc. AKS's containerd
 * configuration has no drop-in directory (github.com/Azure/AgentBaker
 * aks-node-controller/parser/templates/containerd_v2.toml.gtpl: no `imports`), hence the marker block.
 */
import { RuntimeRelease } from '../spec/catalog/runtimes';
import { SandboxRuntime } from '../spec/types';
import { BootstrapMarker, renderGuardTable } from './bootstrap';
import { HostGuardOptions } from './host-guard';
import {
  CRI_PLUGIN_V1, CRI_RUNTIME_PLUGIN_V2, RUNTIME_BIN_DIR, RUNTIME_CACHE_DIR, RUNTIME_HANDLER_RULE, RuntimeSource, containerdHandlerBlock,
  renderRuntimeInstall, runscConfigPath,
} from './runtime-install';
import { shellFunction, shellQuote } from './shell';

export { CRI_PLUGIN_V1, CRI_RUNTIME_PLUGIN_V2, containerdHandlerBlock };

/**
 * The host guard a node agent keeps loaded.
 * @jsii ignore not in Python: options of a free rendering function (jsii has no free functions)
 */
export interface NodeGuardOptions {
  /** What pod traffic may not reach (hostGuardFor(cloud, egress)). Required. */
  readonly guard: HostGuardOptions;
  /** Host-side pod interface names, nftables wildcards (AKS with Cilium: "lxc*"). Required, at least one. */
  readonly interfacePatterns: string[];
  /**
   * Namespaces whose pods under the default runtime (no handler, or runc) are exempt, by address and
   * host-side interface. Default ["kube-system"] (AKS's node agents; sandboxes never run there).
   */
  readonly exemptNamespaces?: string[];
}

/**
 * Options of {@link renderNodeRuntimeInstaller}.
 * @jsii ignore not in Python: options of a free rendering function (jsii has no free functions)
 */
export interface NodeRuntimeInstallerOptions {
  /** Containerd runtime handler the RuntimeClass names (e.g. "runsc", "runsc-nvidia", "kata-guarded"). Required. */
  readonly handler: string;
  /** The pinned gVisor release to install (runtimeRelease(SandboxRuntime.GVISOR)). Exactly one of release and copyOf. */
  readonly release?: RuntimeRelease;
  /**
   * Register `handler` as a copy of this runtime the node already has (AKS Pod Sandboxing's "kata"), instead of
   * installing one. Exactly one of release and copyOf.
   */
  readonly copyOf?: string;
  /** GPU nodes (gVisor only): runsc with nvproxy, CDI devices, the driver check. Default false. */
  readonly gpu?: boolean;
  /** The host guard to keep loaded. Default none. */
  readonly guard?: NodeGuardOptions;
  /** Seconds between drift checks. Default {@link NODE_INSTALLER_RECHECK_SECONDS}. */
  readonly recheckSeconds?: number;
  /** Why a GPU node's driver may not match runsc, and what to do (appended to the failure). Default: a generic fix. */
  readonly gpuDriverHint?: string;
}

/** Where the agent writes the guard's ruleset before loading it. */
export const NODE_GUARD_RULESET = '/etc/cdktf-sandbox-byoc/sandbox-guard.nft';
/** The guard without exemptions, which containerd's ExecStartPre loads at every start (after a reboot too). */
export const NODE_GUARD_BOOT_RULESET = '/etc/cdktf-sandbox-byoc/sandbox-guard-boot.nft';
/** The systemd drop-in that makes containerd load the guard before it starts. */
export const CONTAINERD_GUARD_DROPIN = '/etc/systemd/system/containerd.service.d/50-cdktf-sandbox-guard.conf';

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

const HANDLER = RUNTIME_HANDLER_RULE;
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** The whole agent script (bash). `SANDBOX_RUNTIME_ROOT` prefixes every host path (tests). */
export function renderNodeRuntimeInstaller(opts: NodeRuntimeInstallerOptions): string {
  const { release, handler, copyOf } = opts;
  if (!HANDLER.test(handler)) throw new Error(`node runtime installer: handler ${JSON.stringify(handler)} must match ${HANDLER.source}`);
  if ((release === undefined) === (copyOf === undefined)) {
    throw new Error('node runtime installer: give exactly one of release (a gVisor release to install) and copyOf (a runtime the node has)');
  }
  if (release && release.runtime !== SandboxRuntime.GVISOR) {
    throw new Error(`node runtime installer: installs gVisor only, not ${JSON.stringify(release.runtime)} (AKS installs Kata itself: use copyOf "kata")`);
  }
  if (copyOf !== undefined && (!HANDLER.test(copyOf) || copyOf === handler)) {
    throw new Error(`node runtime installer: copyOf ${JSON.stringify(copyOf)} must be another handler name matching ${HANDLER.source}`);
  }
  if (opts.gpu && !release) throw new Error('node runtime installer: GPU nodes run gVisor (nvproxy) only');
  const recheck = opts.recheckSeconds ?? NODE_INSTALLER_RECHECK_SECONDS;
  if (!Number.isInteger(recheck) || recheck < 10 || recheck > 3600) {
    throw new Error(`node runtime installer: recheckSeconds ${recheck} must be an integer from 10 to 3600`);
  }
  const guard = opts.guard;
  const exempt = guard?.exemptNamespaces ?? ['kube-system'];
  if (guard) {
    if (guard.interfacePatterns.length === 0 || guard.interfacePatterns.some((p) => !/^[A-Za-z0-9_.-]+\*?$/.test(p))) {
      throw new Error(`node runtime installer: guard.interfacePatterns ${JSON.stringify(guard.interfacePatterns)} must be interface names, each optionally ending in *`);
    }
    for (const ns of exempt) if (!NAMESPACE.test(ns)) throw new Error(`node runtime installer: exempt namespace ${JSON.stringify(ns)} is not a namespace name`);
  }
  const gpu = opts.gpu === true;
  const failed = BootstrapMarker.BOOTSTRAP_FAILED;
  const { begin, end } = containerdBlockMarkers(handler);
  const label = release ? `${release.runtime} ${release.version} handler ${handler}` : `handler ${handler} (a copy of ${copyOf})`;
  const handlerPattern = `^[[:space:]]*\\[plugins\\."[^"]+"\\.containerd\\.runtimes\\.${handler.replace(/-/g, '\\-')}[].]`;
  const ready = nodeInstallerReadyFile(handler);

  const runtimeSteps = release ? [
    renderRuntimeInstall({ release, handler, gpu, source: RuntimeSource.UPSTREAM, gpuDriverHint: opts.gpuDriverHint }),
    '# The handler block in the CRI plugin form config.toml already uses.',
    ...shellFunction('sandbox_handler_block', [
      '  if [ "$1" = v2 ]; then',
      `    cat <<'SANDBOX_BLOCK'\n${containerdHandlerBlock(handler, CRI_RUNTIME_PLUGIN_V2)}\nSANDBOX_BLOCK`,
      '  else',
      `    cat <<'SANDBOX_BLOCK'\n${containerdHandlerBlock(handler, CRI_PLUGIN_V1)}\nSANDBOX_BLOCK`,
      '  fi',
    ]),
  ] : [
    ...shellFunction('sandbox_install_runtime', [`  sandbox_log "${copyOf} is installed by AKS; registering its copy ${handler}"`]),
    `# The handler block: the node's own "${copyOf}" runtime tables (outside our block), renamed to "${handler}", one key per line.`,
    ...shellFunction('sandbox_handler_block', [
      `  sandbox_without_block "\${SANDBOX_RUNTIME_ROOT:-}${CONTAINERD_CONFIG}" | awk -v src=${shellQuote(copyOf!)} -v dst=${shellQuote(handler)} '`,
      '    /^[[:space:]]*\\[/ {',
      '      on = 0; h = $0; sub(/#.*$/, "", h); gsub(/[[:space:]]/, "", h)',
      '      p = index(h, ".containerd.runtimes." src)',
      '      rest = p > 0 ? substr(h, p + length(".containerd.runtimes." src)) : ""',
      '      if (p > 0 && (rest == "]" || rest == ".options]")) {',
      '        on = 1; print substr(h, 1, p - 1) ".containerd.runtimes." dst rest',
      '        # A privileged sandbox pod never gets host devices in its VM, whatever the original says.',
      '        if (rest == "]") print "privileged_without_host_devices = true"',
      '      }',
      '      next',
      '    }',
      '    on { l = $0; sub(/^[[:space:]]+/, "", l); sub(/[[:space:]]+$/, "", l); if (l != "" && l !~ /^#/ && l !~ /^privileged_without_host_devices[[:space:]]*=/) print l }\'',
    ]),
  ];

  const guardSteps = guard ? [
    '# Addresses of the exempt namespaces\' running pods under the default runtime (AKS\'s node agents), one per line.',
    ...shellFunction('sandbox_exempt_ips', [
      `  local ns pns id handler ip netns index ifname dev namespaces=(${exempt.join(' ')})`,
      '  if ! command -v crictl >/dev/null 2>&1; then',
      '    sandbox_log "WARN crictl is missing: no pod is exempt from the guard" >&2',
      '    return 0',
      '  fi',
      '  for ns in "${namespaces[@]}"; do',
      '    while read -r id; do',
      '      [ -n "${id}" ] || continue',
      '      IFS=\'|\' read -r pns handler ip < <(crictl inspectp -o go-template --template \'{{.status.metadata.namespace}}|{{.status.runtimeHandler}}|{{.status.network.ip}}{{"\\n"}}\' "${id}" 2>>"${SANDBOX_LOG_FILE}") || continue',
      '      # crictl matches --namespace as a regular expression: keep the exact namespace only.',
      '      [ "${pns}" = "${ns}" ] || continue',
      '      case "${handler}" in "" | runc | "<no value>") ;; *) continue ;; esac',
      '      [[ "${ip}" =~ ^[0-9]{1,3}(\\.[0-9]{1,3}){3}$ ]] || continue',
      '      # Bound to the pod\'s own host-side interface (the peer of its eth0): another pod that reuses the address later,',
      '      # or sends with it as a forged source, enters on another interface and stays guarded.',
      '      netns="$(crictl inspectp -o go-template --template \'{{range .info.runtimeSpec.linux.namespaces}}{{if eq .type "network"}}{{.path}}{{end}}{{end}}\' "${id}" 2>>"${SANDBOX_LOG_FILE}")" || continue',
      '      [ -n "${netns}" ] || continue',
      '      index="$(nsenter --net="${netns}" cat /sys/class/net/eth0/iflink 2>>"${SANDBOX_LOG_FILE}")" || continue',
      '      ifname=""',
      '      for dev in "${SANDBOX_RUNTIME_ROOT:-}"/sys/class/net/*; do',
      '        if [ "$(cat "${dev}/ifindex" 2>/dev/null)" = "${index}" ]; then ifname="${dev##*/}"; break; fi',
      '      done',
      '      [[ "${ifname}" =~ ^[A-Za-z0-9_.-]{1,15}$ ]] || continue',
      '      printf \'"%s" . %s\\n\' "${ifname}" "${ip}"',
      '    done < <(crictl pods --namespace "^${ns}\$" --state ready -q 2>>"${SANDBOX_LOG_FILE}" || true)',
      '  done',
    ]),
    '# The guard table without exemptions (what containerd\'s ExecStartPre loads at boot).',
    ...shellFunction('sandbox_guard_table', [
      `  cat <<'SANDBOX_NFT'`,
      '# cdktf-sandbox-byoc host guard, loaded by the node agent and before containerd starts (generated; do not edit).',
      ...renderGuardTable(guard.interfacePatterns, guard.guard, false, {
        sets: ['  set exempt_v4 {', '    type ifname . ipv4_addr', '  }'],
        firstRules: [`    # Pods of ${exempt.join(', ')} under the default runtime, each on its own interface (refreshed by the node agent).`,
          '    iifname . ip saddr @exempt_v4 return'],
      }),
      'SANDBOX_NFT',
    ]),
    '# sandbox_write_if_changed FILE < CONTENT: replace FILE atomically when its content differs; status 0 when it changed.',
    ...shellFunction('sandbox_write_if_changed', [
      '  local tmp',
      '  install -d -m 0755 "${1%/*}"',
      '  tmp="$(mktemp "$1.XXXXXX")"',
      '  cat >"${tmp}"',
      '  if [ -f "$1" ] && [ "$(cat "${tmp}")" = "$(cat "$1")" ]; then rm -f "${tmp}"; return 1; fi',
      '  chmod 0644 "${tmp}"',
      '  mv -f "${tmp}" "$1"',
    ]),
    '# After a reboot containerd starts with our handlers already in its configuration: a systemd drop-in makes it load',
    '# the guard first (ExecStartPre), so no sandbox pod runs before the agent is back. Without the guard, no containerd.',
    ...shellFunction('sandbox_install_boot_guard', [
      `  local root="\${SANDBOX_RUNTIME_ROOT:-}" nft_bin`,
      '  nft_bin="$(command -v nft)"',
      `  sandbox_guard_table | sandbox_write_if_changed "\${root}${NODE_GUARD_BOOT_RULESET}" || true`,
      `  if printf '%s\\n' '# cdktf-sandbox-byoc: containerd starts only once the sandbox guard is loaded (generated; do not edit).' '[Service]' \\`,
      `    "ExecStartPre=\${nft_bin} -f ${NODE_GUARD_BOOT_RULESET}" | sandbox_write_if_changed "\${root}${CONTAINERD_GUARD_DROPIN}"; then`,
      '    systemctl daemon-reload',
      `    sandbox_log "containerd loads the guard before it starts (${CONTAINERD_GUARD_DROPIN})"`,
      '  fi',
    ]),
    '# Loads the guard table with the current exemptions, atomically (one nft transaction).',
    ...shellFunction('sandbox_apply_guard', [
      `  local ruleset="\${SANDBOX_RUNTIME_ROOT:-}${NODE_GUARD_RULESET}" tmp ips`,
      '  sandbox_require_command nft nftables',
      '  # Addresses only (the function logs to stderr): nothing else may reach the nft file.',
      '  ips="$(sandbox_exempt_ips | grep -E \'^"[A-Za-z0-9_.-]{1,15}" \\. [0-9]{1,3}(\\.[0-9]{1,3}){3}$\' | sort -u | paste -sd, -)" || ips=""',
      '  install -d -m 0755 "${ruleset%/*}"',
      '  tmp="$(mktemp "${ruleset}.XXXXXX")"',
      '  {',
      '    sandbox_guard_table',
      '    if [ -n "${ips}" ]; then printf \'add element inet sandbox_guard exempt_v4 { %s }\\n\' "${ips}"; fi',
      '  } >"${tmp}"',
      '  mv -f "${tmp}" "${ruleset}"',
      '  if ! nft -f "${ruleset}" >>"${SANDBOX_LOG_FILE}" 2>&1; then',
      '    sandbox_unregister_handler',
      `    sandbox_fail ${failed} "nft could not load \${ruleset}: pod traffic is not guarded, so handler ${handler} is not registered"`,
      '  fi',
      '  sandbox_install_boot_guard',
      '  if [ "${ips}" != "${SANDBOX_GUARD_EXEMPT:-none}" ]; then sandbox_log "guard loaded; exempt: ${ips:-none}"; fi',
      '  SANDBOX_GUARD_EXEMPT="${ips:-none}"',
    ]),
  ] : [];

  return [
    '#!/bin/bash',
    `# cdktf-sandbox-byoc node agent: ${guard ? 'host guard, ' : ''}${label}${gpu ? ' (GPU: nvproxy, CDI)' : ''}.`,
    '# Generated (lib/host/node-runtime-installer.ts); runs on the host in PID 1\'s namespaces. Do not edit.',
    'set -euo pipefail',
    'umask 022',
    `SANDBOX_LOG_FILE="\${SANDBOX_RUNTIME_ROOT:-}${NODE_INSTALLER_LOG}"`,
    'install -d -m 0755 "${SANDBOX_LOG_FILE%/*}"',
    `SANDBOX_BEGIN=${shellQuote(begin)}`,
    `SANDBOX_END=${shellQuote(end)}`,
    ...shellFunction('sandbox_log', [
      '  local line',
      `  line="sandbox-node-agent[${handler}]: $*"`,
      '  printf \'%s %s\\n\' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "${line}" 2>/dev/null >>"${SANDBOX_LOG_FILE}" || true',
      '  printf \'%s\\n\' "${line}"',
    ]),
    '# sandbox_fail MARKER reason...: log, drop the ready file, exit 1 (the pod restarts and shows the reason).',
    ...shellFunction('sandbox_fail', [
      '  local marker="$1"',
      '  shift',
      '  sandbox_log "ERROR ${marker}: $*"',
      `  rm -f "\${SANDBOX_RUNTIME_ROOT:-}${ready}"`,
      '  exit 1',
    ]),
    ...shellFunction('sandbox_require_command', [
      '  if command -v "$1" >/dev/null 2>&1; then return 0; fi',
      `  sandbox_fail ${failed} "$1 is missing on this node (package $2)"`,
    ]),
    ...guardSteps,
    '# sandbox_without_block CONF > OUT: the file without any block of ours, nor the blank lines just before one.',
    ...shellFunction('sandbox_without_block', [
      '  awk -v b="${SANDBOX_BEGIN}" -v e="${SANDBOX_END}" \'',
      '    skip { if ($0 == e) skip = 0; next }',
      '    $0 == b { held = 0; skip = 1; next }',
      '    $0 == "" { held++; next }',
      '    { while (held > 0) { print ""; held-- } print }',
      '    END { while (held > 0) { print ""; held-- } }\' "$1"',
    ]),
    ...runtimeSteps,
    '# Exit status 0 when containerd\'s merged configuration (of FILE, default the live one) has the handler; 2 when CDI is off (GPU).',
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
    '# Exit status 0 unless the running containerd started before CONF last changed (it has not read our block yet).',
    ...shellFunction('sandbox_containerd_fresh', [
      '  local started changed',
      '  started="$(systemctl show -p ActiveEnterTimestamp --value containerd 2>/dev/null)" || return 0',
      '  started="$(date -d "${started}" +%s 2>/dev/null)" || return 0',
      '  changed="$(stat -c %Y "$1")"',
      '  [ "${changed}" -le "${started}" ]',
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
    '# sandbox_replace_config TMP CONF: TMP becomes CONF, keeping CONF\'s mode.',
    ...shellFunction('sandbox_replace_config', [
      '  chmod --reference="$2" "$1" 2>/dev/null || chmod 0644 "$1"',
      '  mv -f "$1" "$2"',
    ]),
    '# Fail closed when the guard cannot be loaded: take our block out again, so no new sandbox pod starts here.',
    ...shellFunction('sandbox_unregister_handler', [
      `  local conf="\${SANDBOX_RUNTIME_ROOT:-}${CONTAINERD_CONFIG}" tmp`,
      '  if [ ! -f "${conf}" ] || ! grep -qxF -- "${SANDBOX_BEGIN}" "${conf}"; then return 0; fi',
      '  tmp="$(mktemp "${conf}.sandbox.XXXXXX")"',
      '  sandbox_without_block "${conf}" >"${tmp}"',
      '  sandbox_replace_config "${tmp}" "${conf}"',
      `  sandbox_log "removed handler ${handler} from \${conf}; restarting containerd"`,
      ...(guard ? [
        // Its ExecStartPre would load the table that just failed to load: containerd would not start at all.
        `  rm -f "\${SANDBOX_RUNTIME_ROOT:-}${CONTAINERD_GUARD_DROPIN}"`,
        '  systemctl daemon-reload || true',
      ] : []),
      '  systemctl restart containerd || true',
    ]),
    ...shellFunction('sandbox_register_handler', [
      '  local root="${SANDBOX_RUNTIME_ROOT:-}" conf form tmp status i',
      `  conf="\${root}${CONTAINERD_CONFIG}"`,
      '  if [ ! -f "${conf}" ]; then',
      `    sandbox_fail ${failed} "\${conf} is missing: this node's containerd has no configuration to add handler ${handler} to"`,
      '  fi',
      '  if sandbox_block_current "${conf}"; then',
      '    if sandbox_containerd_fresh "${conf}"; then return 0; fi',
      `    sandbox_log "containerd started before \${conf} last changed; restarting it to load handler ${handler}"`,
      '  else',
      '    form="$(sandbox_block_form "${conf}")"',
      ...(copyOf ? [
        '    if [ -z "$(sandbox_handler_block "${form}")" ]; then',
        `      sandbox_fail ${failed} "\${conf} has no runtime ${copyOf} to copy: is this an AKS Pod Sandboxing (KataVmIsolation) node?"`,
        '    fi',
      ] : []),
      '    tmp="$(mktemp "${conf}.sandbox.XXXXXX")"',
      '    sandbox_without_block "${conf}" >"${tmp}"',
      `    if grep -qE -- ${shellQuote(handlerPattern)} "\${tmp}"; then`,
      '      rm -f "${tmp}"',
      `      sandbox_fail ${failed} "\${conf} already defines a runtime named ${handler} that this agent did not write; remove it or rename it"`,
      '    fi',
      '    { printf \'\\n%s\\n\' "${SANDBOX_BEGIN}"; sandbox_handler_block "${form}"; printf \'%s\\n\' "${SANDBOX_END}"; } >>"${tmp}"',
      '    status=0',
      '    sandbox_containerd_has_handler "${tmp}" || status=$?',
      '    if [ "${status}" -ne 0 ]; then',
      '      rm -f "${tmp}"',
      '      if [ "${status}" -eq 2 ]; then',
      `        sandbox_fail ${failed} "containerd has CDI off (enable_cdi), which GPU pods under handler ${handler} need (containerd 2 turns it on by default); \${conf} is unchanged"`,
      '      fi',
      `      sandbox_fail ${failed} "containerd rejects \${conf} with handler ${handler} added (see \${SANDBOX_LOG_FILE}); the file is unchanged"`,
      '    fi',
      '    sandbox_replace_config "${tmp}" "${conf}"',
      `    sandbox_log "added handler ${handler} to \${conf} (containerd \${form} form); restarting containerd"`,
      '  fi',
      '  if ! systemctl restart containerd; then',
      `    sandbox_fail ${failed} "containerd did not restart with handler ${handler} (see journalctl -u containerd)"`,
      '  fi',
      '  for ((i = 0; i < 60; i++)); do',
      '    if systemctl is-active --quiet containerd && sandbox_containerd_has_handler; then return 0; fi',
      '    sleep 2',
      '  done',
      `  sandbox_fail ${failed} "containerd did not come back with handler ${handler} within 120 s (see journalctl -u containerd)"`,
    ]),
    '# Exit status 0 while the installed files match their pinned digests and the block is current.',
    ...shellFunction('sandbox_in_place', [
      '  local root="${SANDBOX_RUNTIME_ROOT:-}"',
      ...(release ? [
        `  local cache="\${root}${RUNTIME_CACHE_DIR}/${release.runtime}/${release.version}/${release.arch}"`,
        ...[...new Set(release.assets.map((a) => a.algorithm))].sort().map((alg) =>
          `  (cd "\${root}${RUNTIME_BIN_DIR}" && ${alg}sum -c --strict --quiet "\${cache}/SANDBOX_${alg.toUpperCase()}SUMS") >/dev/null 2>&1 || return 1`),
        `  [ -f "\${root}${runscConfigPath(handler)}" ] || return 1`,
      ] : []),
      `  sandbox_block_current "\${root}${CONTAINERD_CONFIG}" || return 1`,
      `  sandbox_containerd_fresh "\${root}${CONTAINERD_CONFIG}"`,
    ]),
    ...shellFunction('sandbox_install_and_register', [
      `  local ready="\${SANDBOX_RUNTIME_ROOT:-}${ready}"`,
      '  rm -f "${ready}"',
      '  sandbox_install_runtime',
      '  sandbox_register_handler',
      ...(guard ? ['  # A containerd restart loaded the boot table (no exemptions): load the current one again.', '  sandbox_apply_guard'] : []),
      '  install -d -m 0755 "${ready%/*}"',
      '  : >"${ready}"',
      `  sandbox_log "${label} ${release ? 'installed, verified and registered' : 'registered'}"`,
    ]),
    ...shellFunction('sandbox_installer_main', [
      ...(guard ? ['  sandbox_apply_guard'] : []),
      '  sandbox_install_and_register',
      '  if [ -n "${SANDBOX_INSTALLER_ONCE:-}" ]; then return 0; fi',
      '  while true; do',
      `    sleep ${recheck}`,
      ...(guard ? ['    sandbox_apply_guard'] : []),
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
