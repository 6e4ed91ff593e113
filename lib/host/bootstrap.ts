/**
 * Cloud-agnostic host bootstrap for sandbox hosts (Firecracker, Kata, gVisor).
 *
 * Pure: no cdktf or provider imports. The cloud modules pass their own snippets in
 * (`preamble`, `onFailure`) and put the result into the instance's user data.
 */
import * as ipaddr from 'ipaddr.js';
import { DnsFilterOptions, checkDnsFilter, dnsFilterNftables, renderDnsFilterFunctions } from './dns-filter';
import { DEFAULT_HOST_GUARD, HostGuardOptions } from './host-guard';
import { heredocDelimiter, shellFunction, shellQuote, verbatimLines } from './shell';

/** Markers written to the bootstrap log; log metric filters count them. */
export enum BootstrapMarker {
  /** /dev/kvm is missing or not a character device on a pool that needs KVM. */
  KVM_MISSING = 'SANDBOX_KVM_MISSING',
  /** nvidia-smi is missing or keeps failing on a GPU pool. */
  GPU_DRIVER_MISSING = 'SANDBOX_GPU_DRIVER_MISSING',
  /** Any failure. Also logged after the specific markers above, so it counts every failed run. */
  BOOTSTRAP_FAILED = 'SANDBOX_BOOTSTRAP_FAILED',
  /** The last line of a successful run. */
  BOOTSTRAP_OK = 'SANDBOX_BOOTSTRAP_OK',
}

/** File the bootstrap appends to (it also logs to the journal with tag `sandbox-bootstrap`). */
export const BOOTSTRAP_LOG_FILE = '/var/log/sandbox-bootstrap.log';

/** Syslog/journal tag of every bootstrap line. */
export const BOOTSTRAP_LOG_TAG = 'sandbox-bootstrap';

/** Where the cloud-init user data installs the bootstrap; cloud-init runs it on every boot. */
export const BOOTSTRAP_PER_BOOT_PATH = '/var/lib/cloud/scripts/per-boot/50-sandbox-bootstrap.sh';

/** Sandbox state directory: on the local NVMe volume when there is one, else on the root disk. */
export const SANDBOX_DATA_DIR = '/var/lib/sandbox';

/**
 * Default instance-store disk patterns: whitespace-separated shell globs over /dev/disk/by-id.
 * - AWS: NVMe model "Amazon EC2 NVMe Instance Storage" (EBS volumes have model "Amazon Elastic Block Store").
 * - GCP: local SSD over NVMe, as named by the guest environment (`google-local-nvme-ssd-N`) or by its
 *   NVMe model "nvme_card" (persistent disks are "nvme_card-pd", which `nvme-nvme_card_*` does not match).
 * - Azure: NVMe model "Microsoft NVMe Direct Disk" (and "... v2"); managed disks use other models.
 */
export const DEFAULT_NVME_DEVICE_GLOB = [
  '/dev/disk/by-id/nvme-Amazon_EC2_NVMe_Instance_Storage_*',
  '/dev/disk/by-id/google-local-nvme-ssd-*',
  '/dev/disk/by-id/nvme-nvme_card_*',
  '/dev/disk/by-id/nvme-Microsoft_NVMe_Direct_Disk_*',
].join(' ');

/**
 * Default nftables `iifname` patterns of sandbox-facing host interfaces, whitespace-separated:
 * Firecracker/Kata taps ("tap*", "vmtap*", "fc-*"), routed container/gVisor veth pairs ("veth*"),
 * and the bridges containers sit behind. A packet a bridge routes carries the bridge as its input
 * interface, not the veth port: Docker's "docker0" and user networks "br-*", the CNI bridge
 * plugin's "cni0" (and "cni*"), Podman's "podman*".
 */
export const DEFAULT_SANDBOX_INTERFACE_PATTERN = 'tap* fc-* veth* vmtap* docker0 br-* cni* podman*';

/**
 * Host-side interfaces of pods when sandboxes are Kubernetes pods: the EKS VPC CNI's "eni<hash>"
 * veths (github.com/aws/amazon-vpc-cni-k8s: the host veth prefix AWS_VPC_K8S_CNI_VETHPREFIX defaults
 * to "eni"), Calico "cali*", Cilium "lxc*", GKE's "gke*" and Azure CNI's "azv*".
 */
export const POD_NETWORK_INTERFACE_PATTERNS: readonly string[] = Object.freeze(['eni*', 'cali*', 'lxc*', 'gke*', 'azv*']);

/** The sandbox interface patterns of a Kubernetes node that runs sandbox pods: the defaults plus the pod network's. */
export const KUBERNETES_SANDBOX_INTERFACE_PATTERN = [DEFAULT_SANDBOX_INTERFACE_PATTERN, ...POD_NETWORK_INTERFACE_PATTERNS].join(' ');

/** Options of {@link renderHostBootstrap} and {@link renderCloudInitUserData}. */
export interface HostBootstrapOptions {
  /** Platform name, used in log lines: ^[a-z][a-z0-9-]*$. Required. */
  readonly platformName: string;
  /** Pool name, used in log lines: ^[a-z][a-z0-9-]*$. Required. */
  readonly poolName: string;
  /** Fail with SANDBOX_KVM_MISSING unless /dev/kvm is a character device (Firecracker/Kata pools). Required. */
  readonly kvmRequired: boolean;
  /** GPU pool: fail with SANDBOX_GPU_DRIVER_MISSING unless nvidia-smi works. Required. */
  readonly gpu: boolean;
  /** MiB of 2 MiB hugepages to reserve (rounded up to whole pages); 0 reserves none. Required. */
  readonly hugepagesMiB: number;
  /** Put instance-store NVMe disks (RAID0 when several) under /var/lib/sandbox. Required. */
  readonly localNvme: boolean;
  /**
   * Whitespace-separated shell globs (absolute paths) that find instance-store disks; every match is
   * resolved to its kernel device, partitions and disks in use (mounted, swap, partitioned) are skipped.
   * @default DEFAULT_NVME_DEVICE_GLOB: AWS instance storage, GCP local NVMe SSD, Azure NVMe Direct Disk
   */
  readonly nvmeDeviceGlob?: string;
  /**
   * Cloud commands run first, before any check (e.g. start the log-shipping agent). Inserted verbatim.
   * @default none
   */
  readonly preamble?: string[];
  /**
   * Cloud commands run when a check fails, before the script exits 1 (e.g. mark the instance unhealthy).
   * Inserted verbatim into a function; best effort: a failing command does not stop the next one.
   * @default none
   */
  readonly onFailure?: string[];
  /**
   * User hook commands, run in order after every check passed, before SANDBOX_BOOTSTRAP_OK. Inserted verbatim;
   * a failing command fails the bootstrap. `sandbox_log` and `sandbox_fail MARKER reason` are available.
   * @default none
   */
  readonly userCommands?: string[];
  /**
   * Whitespace- or comma-separated nftables `iifname` patterns of sandbox interfaces: an interface name
   * of at most 15 characters, optionally ending in `*`.
   * @default DEFAULT_SANDBOX_INTERFACE_PATTERN ("tap* fc-* veth* vmtap* docker0 br-* cni* podman*")
   */
  readonly sandboxInterfacePattern?: string;
  /**
   * What sandbox interfaces may never reach, and the resolvers they may query on port 53
   * (see hostGuardFor(cloud, egress) for each cloud's).
   * @default DEFAULT_HOST_GUARD: all IPv4 and IPv6 link-local addresses, no resolver exceptions
   */
  readonly hostGuard?: HostGuardOptions;
  /**
   * dnf repository ids (globs allowed) the bootstrap installs missing packages from; every other
   * repository is disabled for those installs (`--disablerepo='*' --enablerepo=<id>...`). Use it
   * where an image enables third-party repositories the egress mode cannot reach: with dnf's
   * default skip_if_unavailable=False, one unreachable repository fails the whole install.
   * @default every repository the image enables
   */
  readonly dnfEnableRepos?: string[];
  /**
   * Sandbox DNS through a filter on the host: every IPv4 UDP query a sandbox interface sends (to any
   * address) is redirected to a local forwarder that answers only `allowedDomains` (through the
   * host's own resolver) and refuses every other name; TCP and IPv6 DNS from sandboxes are rejected.
   * The node fails the bootstrap when the filter cannot start. Incompatible with resolver exceptions
   * in `hostGuard` (the filter must be the only DNS path). See lib/host/dns-filter.ts.
   * @default none: sandbox DNS is governed by `hostGuard` alone
   */
  readonly dnsFilter?: DnsFilterOptions;
}

/** Number of 2 MiB hugepages that hold `mib` MiB (rounded up). */
export function hugepageCount(mib: number): number {
  return Math.ceil(mib / 2);
}

/** Renders the host bootstrap: a bash script, idempotent, safe to run on every boot. */
export function renderHostBootstrap(opts: HostBootstrapOptions): string {
  validateOptions(opts);
  const guard = checkHostGuard(opts.hostGuard ?? DEFAULT_HOST_GUARD);
  const dnsAllowList = opts.dnsFilter ? checkDnsFilter(opts.dnsFilter) : undefined;
  if (dnsAllowList && guard.dnsIpv4.length + guard.dnsIpv6.length > 0) {
    throw new Error(`host bootstrap: dnsFilter and hostGuard resolver exceptions (dnsIpv4 ${JSON.stringify(guard.dnsIpv4)}, dnsIpv6 ` +
      `${JSON.stringify(guard.dnsIpv6)}) contradict each other: with the filter, sandboxes must reach no resolver directly; ` +
      'empty hostGuard.dnsIpv4 and dnsIpv6, or leave dnsFilter out');
  }
  const sections: string[][] = [
    renderHeader(opts),
    renderLogging(),
    renderFailureHandling(opts.onFailure),
    renderHelpers(parseRepos(opts.dnfEnableRepos)),
    renderKernelModules(),
    opts.kvmRequired ? renderKvmCheck() : [],
    renderHugepages(opts.hugepagesMiB),
    renderSysctls(),
    opts.localNvme ? renderLocalNvme(parseDeviceGlobs(opts.nvmeDeviceGlob)) : renderRootDiskDataDir(),
    renderNftables(parseInterfacePatterns(opts.sandboxInterfacePattern), guard, dnsAllowList !== undefined),
    dnsAllowList ? renderDnsFilterFunctions(dnsAllowList, BootstrapMarker.BOOTSTRAP_FAILED) : [],
    opts.gpu ? renderGpuCheck() : [],
    renderMain(opts),
  ];
  return sections.flat().join('\n') + '\n';
}

/**
 * Renders cloud-init user data: a bash script that installs the bootstrap at
 * {@link BOOTSTRAP_PER_BOOT_PATH} (mode 0755) and runs it once now. On first boot cloud-init runs
 * per-boot scripts before user scripts, so the first run has to be explicit; later boots
 * (reboots, stop/start, warm-pool resume) run it from the per-boot directory.
 */
export function renderCloudInitUserData(opts: HostBootstrapOptions): string {
  const bootstrap = renderHostBootstrap(opts);
  const eof = heredocDelimiter('SANDBOX_BOOTSTRAP_EOF', bootstrap);
  const tmp = '/var/lib/cloud/scripts/.50-sandbox-bootstrap.sh.tmp';
  return [
    '#!/bin/bash',
    '# cloud-init user data (generated by cdktf-sandbox-byoc): install the sandbox host bootstrap',
    '# as a per-boot script, then run it now (first boot runs per-boot scripts before this one).',
    'set -euo pipefail',
    'install -d -m 0755 /var/lib/cloud/scripts/per-boot',
    `cat >${tmp} <<'${eof}'`,
    bootstrap + eof,
    `chmod 0755 ${tmp}`,
    `mv -f ${tmp} ${BOOTSTRAP_PER_BOOT_PATH}`,
    `exec ${BOOTSTRAP_PER_BOOT_PATH}`,
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Validation

const NAME = /^[a-z][a-z0-9-]*$/;
const DEVICE_GLOB = /^\/[A-Za-z0-9._/*?[\]!+:@,=-]+$/;
const INTERFACE_PATTERN = /^[A-Za-z0-9_.:-]{1,15}\*?$/;

function validateOptions(opts: HostBootstrapOptions): void {
  for (const [field, value] of [
    ['platformName', opts.platformName],
    ['poolName', opts.poolName],
  ] as const) {
    if (!NAME.test(value)) {
      throw new Error(`host bootstrap: ${field} ${JSON.stringify(value)} must match ${NAME.source}`);
    }
  }
  if (!Number.isInteger(opts.hugepagesMiB) || opts.hugepagesMiB < 0) {
    throw new Error(`host bootstrap: hugepagesMiB must be a non-negative integer, got ${opts.hugepagesMiB}`);
  }
}

function parseDeviceGlobs(glob: string | undefined): string[] {
  const globs = splitWords(glob ?? DEFAULT_NVME_DEVICE_GLOB, /\s+/);
  for (const g of globs) {
    if (!DEVICE_GLOB.test(g)) {
      throw new Error(`host bootstrap: nvmeDeviceGlob entry ${JSON.stringify(g)} must be an absolute path glob`);
    }
  }
  if (globs.length === 0) throw new Error('host bootstrap: nvmeDeviceGlob is empty');
  return globs;
}

function parseInterfacePatterns(pattern: string | undefined): string[] {
  const patterns = splitWords(pattern ?? DEFAULT_SANDBOX_INTERFACE_PATTERN, /[\s,]+/);
  for (const p of patterns) {
    if (!INTERFACE_PATTERN.test(p)) {
      throw new Error(
        `host bootstrap: sandboxInterfacePattern entry ${JSON.stringify(p)} must be an interface name (max 15 chars), optionally ending in *`,
      );
    }
  }
  if (patterns.length === 0) throw new Error('host bootstrap: sandboxInterfacePattern is empty');
  return patterns;
}

function checkHostGuard(guard: HostGuardOptions): HostGuardOptions {
  const check = (field: keyof HostGuardOptions, v6: boolean) => {
    for (const a of guard[field]) {
      const ok = v6
        ? ipaddr.IPv6.isValid(a) || (a.includes('/') && ipaddr.IPv6.isValidCIDR(a))
        : ipaddr.IPv4.isValidFourPartDecimal(a) || (a.includes('/') && ipaddr.IPv4.isValidCIDR(a));
      if (!ok) throw new Error(`host bootstrap: hostGuard.${field} entry ${JSON.stringify(a)} must be an IPv${v6 ? 6 : 4} address or CIDR`);
    }
  };
  check('blockedIpv4', false);
  check('dnsIpv4', false);
  check('blockedIpv6', true);
  check('dnsIpv6', true);
  if (guard.blockedIpv4.length === 0 && guard.blockedIpv6.length === 0) throw new Error('host bootstrap: hostGuard blocks nothing');
  return guard;
}

const REPO_ID = /^[A-Za-z0-9._:*?-]{1,100}$/;

function parseRepos(repos: readonly string[] | undefined): readonly string[] {
  for (const r of repos ?? []) {
    if (!REPO_ID.test(r)) throw new Error(`host bootstrap: dnfEnableRepos entry ${JSON.stringify(r)} must be a dnf repository id (letters, digits, . _ : - and globs)`);
  }
  return repos ?? [];
}

function splitWords(text: string, separator: RegExp): string[] {
  return text.split(separator).filter((w) => w.length > 0);
}

// ---------------------------------------------------------------------------------------------
// Script sections. Each returns lines; functions are defined first, renderMain calls them.

function renderHeader(opts: HostBootstrapOptions): string[] {
  return [
    '#!/bin/bash',
    '# Sandbox host bootstrap (generated by cdktf-sandbox-byoc; do not edit).',
    '# Idempotent: cloud-init runs it on every boot (instance-store disks are blank after stop/start).',
    'set -euo pipefail',
    '',
    `readonly SANDBOX_PLATFORM=${shellQuote(opts.platformName)}`,
    `readonly SANDBOX_POOL=${shellQuote(opts.poolName)}`,
    `readonly SANDBOX_LOG_FILE=${BOOTSTRAP_LOG_FILE}`,
    `readonly SANDBOX_DATA_DIR=${SANDBOX_DATA_DIR}`,
    'SANDBOX_STEP=init',
    'SANDBOX_FAILED=0',
    '',
  ];
}

function renderLogging(): string[] {
  return [
    '# Every line: "sandbox-bootstrap[platform/pool] step: message" to the log file, stderr and the journal.',
    ...shellFunction('sandbox_log', [
      '  local line',
      '  line="sandbox-bootstrap[${SANDBOX_PLATFORM}/${SANDBOX_POOL}] ${SANDBOX_STEP}: $*"',
      '  printf \'%s %s\\n\' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "${line}" 2>/dev/null >>"${SANDBOX_LOG_FILE}" || true',
      '  printf \'%s\\n\' "${line}" >&2',
      `  logger -t ${BOOTSTRAP_LOG_TAG} -- "\${line}" 2>/dev/null || true`,
    ]),
    ...shellFunction('sandbox_step', ['  SANDBOX_STEP="$1"', '  sandbox_log "begin"']),
  ];
}

function renderFailureHandling(onFailure: readonly string[] | undefined): string[] {
  const failed = BootstrapMarker.BOOTSTRAP_FAILED;
  return [
    '# Cloud commands for a failed run (verbatim from the cloud module).',
    ...shellFunction('sandbox_on_failure_hooks', verbatimLines(onFailure)),
    ...shellFunction('sandbox_run_failure_hooks', [
      '  if [ "${SANDBOX_FAILED}" -eq 1 ]; then return 0; fi',
      '  SANDBOX_FAILED=1',
      '  # Called in a condition: errexit is off inside, so every hook command runs.',
      '  if ! sandbox_on_failure_hooks; then sandbox_log "WARN onFailure commands returned non-zero"; fi',
    ]),
    '# sandbox_fail MARKER reason...: log the marker line, run the hooks, exit 1.',
    ...shellFunction('sandbox_fail', [
      '  local marker="$1"',
      '  shift',
      '  sandbox_log "ERROR ${marker}: $*"',
      `  if [ "\${marker}" != ${failed} ]; then sandbox_log "ERROR ${failed}: \${marker}"; fi`,
      '  sandbox_run_failure_hooks',
      '  exit 1',
    ]),
    '# Anything else that stops the script (set -e) is a failure too.',
    ...shellFunction('sandbox_on_exit', [
      '  local status="$1"',
      '  if [ "${status}" -ne 0 ] && [ "${SANDBOX_FAILED}" -eq 0 ]; then',
      `    sandbox_log "ERROR ${failed}: exit status \${status} in step \${SANDBOX_STEP}"`,
      '    sandbox_run_failure_hooks',
      '  fi',
    ]),
    'trap \'sandbox_on_exit "$?"\' EXIT',
    '',
  ];
}

function renderHelpers(dnfRepos: readonly string[]): string[] {
  const failed = BootstrapMarker.BOOTSTRAP_FAILED;
  const dnfArgs = dnfRepos.length > 0 ? ` --disablerepo='*' ${dnfRepos.map((r) => `--enablerepo=${shellQuote(r)}`).join(' ')}` : '';
  return [
    '# sandbox_write_file PATH MODE < content: atomic replace, so reruns converge.',
    ...shellFunction('sandbox_write_file', [
      '  local tmp',
      '  mkdir -p "$(dirname "$1")"',
      '  tmp="$(mktemp "$1.XXXXXX")"',
      '  cat >"${tmp}"',
      '  chmod "$2" "${tmp}"',
      '  mv -f "${tmp}" "$1"',
    ]),
    ...shellFunction('sandbox_install_packages', [
      '  if command -v dnf >/dev/null 2>&1; then',
      `    dnf install -y${dnfArgs} "$@"`,
      '  elif command -v apt-get >/dev/null 2>&1; then',
      '    apt-get -o DPkg::Lock::Timeout=300 update -q',
      '    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -q "$@"',
      '  elif command -v yum >/dev/null 2>&1; then',
      '    yum install -y "$@"',
      '  else',
      '    return 1',
      '  fi',
    ]),
    '# sandbox_require_command COMMAND PACKAGE: install PACKAGE when COMMAND is missing.',
    ...shellFunction('sandbox_require_command', [
      '  if command -v "$1" >/dev/null 2>&1; then return 0; fi',
      '  sandbox_log "installing $2 ($1 is missing)"',
      '  if ! sandbox_install_packages "$2" >>"${SANDBOX_LOG_FILE}" 2>&1 || ! command -v "$1" >/dev/null 2>&1; then',
      `    sandbox_fail ${failed} "$1 is missing and package $2 could not be installed"`,
      '  fi',
    ]),
    '# sandbox_wait_for PATH SECONDS: udev creates device nodes shortly after modprobe.',
    ...shellFunction('sandbox_wait_for', [
      '  local i',
      '  for ((i = 0; i < $2; i++)); do',
      '    if [ -e "$1" ]; then return 0; fi',
      '    sleep 1',
      '  done',
      '  [ -e "$1" ]',
    ]),
  ];
}

function renderKernelModules(): string[] {
  return [
    '# KVM (vendor module by CPU flag), vsock and vhost-net for VMMs, tun for taps, nbd for images,',
    '# nf_conntrack so its sysctls exist. Loaded modules are persisted for early boot.',
    ...shellFunction('sandbox_load_modules', [
      '  local module vendor="" persisted=""',
      '  if grep -qw vmx /proc/cpuinfo; then vendor=kvm_intel; elif grep -qw svm /proc/cpuinfo; then vendor=kvm_amd; fi',
      "  sandbox_write_file /etc/modprobe.d/sandbox.conf 0644 <<'SANDBOX_CONF'",
      '# nbd: partitions on network block devices; nf_conntrack: hash buckets for nf_conntrack_max',
      'options nbd max_part=16',
      'options nf_conntrack hashsize=262144',
      'SANDBOX_CONF',
      '  for module in kvm ${vendor:+"${vendor}"} vhost_vsock vhost_net tun nbd nf_conntrack; do',
      '    if modprobe "${module}" >>"${SANDBOX_LOG_FILE}" 2>&1; then',
      '      persisted="${persisted}${module}"$\'\\n\'',
      '    else',
      '      sandbox_log "WARN kernel module ${module} could not be loaded"',
      '    fi',
      '  done',
      '  printf \'%s\' "${persisted}" | sandbox_write_file /etc/modules-load.d/sandbox.conf 0644',
    ]),
  ];
}

function renderKvmCheck(): string[] {
  const kvm = BootstrapMarker.KVM_MISSING;
  return [
    '# Firecracker/Kata need /dev/kvm (metal instance or nested virtualization) and /dev/net/tun.',
    ...shellFunction('sandbox_check_kvm', [
      '  sandbox_wait_for /dev/kvm 10 || true',
      '  if [ -c /dev/kvm ]; then',
      '    sandbox_log "/dev/kvm is a character device"',
      '  elif [ -e /dev/kvm ]; then',
      `    sandbox_fail ${kvm} "/dev/kvm exists but is not a character device"`,
      '  elif ! grep -Eqw \'vmx|svm\' /proc/cpuinfo && [ "$(uname -m)" = x86_64 ]; then',
      `    sandbox_fail ${kvm} "/dev/kvm missing: CPU has no vmx/svm flag, not a metal instance and nested virtualization not enabled"`,
      '  else',
      `    sandbox_fail ${kvm} "/dev/kvm missing: KVM module did not load (not a metal instance, or KVM disabled; see \${SANDBOX_LOG_FILE})"`,
      '  fi',
      '  if ! sandbox_wait_for /dev/net/tun 5 || [ ! -c /dev/net/tun ]; then',
      `    sandbox_fail ${BootstrapMarker.BOOTSTRAP_FAILED} "/dev/net/tun missing: tun module did not load"`,
      '  fi',
    ]),
  ];
}

function renderHugepages(mib: number): string[] {
  const file = '/etc/sysctl.d/91-sandbox-hugepages.conf';
  if (mib === 0) {
    return [
      ...shellFunction('sandbox_reserve_hugepages', [
        `  rm -f ${file}`,
        '  sandbox_log "no hugepages requested"',
      ]),
    ];
  }
  const pages = hugepageCount(mib);
  return [
    `# ${mib} MiB of guest memory = ${pages} x 2 MiB hugepages (rounded up).`,
    ...shellFunction('sandbox_reserve_hugepages', [
      '  local size total',
      `  sandbox_write_file ${file} 0644 <<'SANDBOX_CONF'`,
      '# Hugepages back microVM guest memory: fewer TLB misses, memory pinned up front.',
      `vm.nr_hugepages = ${pages}`,
      'SANDBOX_CONF',
      '  size="$(awk \'/^Hugepagesize:/ {print $2}\' /proc/meminfo)"',
      '  if [ "${size}" != 2048 ]; then sandbox_log "WARN default hugepage size is ${size} kB, not 2048 kB"; fi',
      `  if [ "$(cat /proc/sys/vm/nr_hugepages)" -lt ${pages} ]; then echo ${pages} >/proc/sys/vm/nr_hugepages || true; fi`,
      '  total="$(awk \'/^HugePages_Total:/ {print $2}\' /proc/meminfo)"',
      `  if [ "\${total:-0}" -lt ${pages} ]; then`,
      `    sandbox_log "WARN only \${total} of ${pages} hugepages reserved (memory fragmented); a reboot reserves them early"`,
      '  else',
      '    sandbox_log "reserved ${total} hugepages"',
      '  fi',
    ]),
  ];
}

/** One sysctl with the reason it is set (rendered as a comment). */
interface SysctlSetting {
  readonly key: string;
  readonly value: string;
  readonly why: string;
}

const SYSCTLS: readonly SysctlSetting[] = [
  { key: 'net.ipv4.ip_forward', value: '1', why: 'route between sandbox tap/veth interfaces and the uplink' },
  {
    key: 'net.netfilter.nf_conntrack_max',
    value: '1048576',
    why: 'each NATed/filtered sandbox flow takes an entry; a full table drops packets',
  },
  { key: 'net.core.somaxconn', value: '65535', why: 'accept backlog for agent/proxy sockets during start bursts' },
  {
    key: 'net.ipv4.ip_local_port_range',
    value: '10240 65535',
    why: 'more ephemeral ports for connections NATed or proxied for sandboxes',
  },
  { key: 'net.ipv4.neigh.default.gc_thresh1', value: '8192', why: 'one neighbour entry per sandbox interface' },
  { key: 'net.ipv4.neigh.default.gc_thresh2', value: '32768', why: 'soft neighbour table limit' },
  {
    key: 'net.ipv4.neigh.default.gc_thresh3',
    value: '65536',
    why: 'hard limit; the default 1024 overflows with thousands of taps',
  },
  { key: 'vm.max_map_count', value: '1048576', why: 'VMMs and the gVisor sentry map guest memory in many regions' },
  { key: 'fs.inotify.max_user_instances', value: '8192', why: 'runtimes and agents open inotify instances per sandbox' },
  { key: 'fs.inotify.max_user_watches', value: '1048576', why: 'watches on rootfs, config and sockets of every sandbox' },
  { key: 'fs.file-max', value: '16777216', why: 'each microVM holds tap, vsock, disk and socket descriptors' },
  { key: 'fs.nr_open', value: '4194304', why: 'lets a supervisor of many sandboxes raise RLIMIT_NOFILE past 1048576' },
];

function renderSysctls(): string[] {
  return [
    '# Kernel limits for thousands of microVMs; ip_forward must stick, the rest is best effort.',
    ...shellFunction('sandbox_apply_sysctls', [
      "  sandbox_write_file /etc/sysctl.d/90-sandbox.conf 0644 <<'SANDBOX_CONF'",
      ...SYSCTLS.flatMap((s) => [`# ${s.why}`, `${s.key} = ${s.value}`]),
      'SANDBOX_CONF',
      '  if ! sysctl --system >>"${SANDBOX_LOG_FILE}" 2>&1; then sandbox_log "WARN sysctl --system reported errors"; fi',
      '  if [ "$(cat /proc/sys/net/ipv4/ip_forward)" != 1 ]; then',
      `    sandbox_fail ${BootstrapMarker.BOOTSTRAP_FAILED} "net.ipv4.ip_forward could not be enabled"`,
      '  fi',
    ]),
  ];
}

function renderRootDiskDataDir(): string[] {
  return shellFunction('sandbox_prepare_data_dir', [
    '  mkdir -p "${SANDBOX_DATA_DIR}"',
    '  sandbox_log "no local NVMe requested; ${SANDBOX_DATA_DIR} is on the root disk"',
  ]);
}

function renderLocalNvme(globs: readonly string[]): string[] {
  return [
    '# True when the disk is partitioned or it (or an array on it) is mounted or swap: e.g. the root disk.',
    ...shellFunction('sandbox_disk_in_use', [
      '  lsblk -nro TYPE,MOUNTPOINT "$1" | awk \'$1 == "part" || $2 != "" { used = 1 } END { exit !used }\'',
    ]),
    '# Instance-store disks: one kernel device per line, sorted, in-use disks left out.',
    ...shellFunction('sandbox_find_nvme_disks', [
      '  local link dev',
      `  for link in ${globs.join(' ')}; do`,
      '    [ -e "${link}" ] || continue',
      '    dev="$(readlink -f "${link}")"',
      '    if [ -b "${dev}" ] && [ ! -e "/sys/class/block/${dev##*/}/partition" ] && ! sandbox_disk_in_use "${dev}"; then',
      '      printf \'%s\\n\' "${dev}"',
      '    fi',
      '  done | sort -u',
    ]),
    '# RAID0 over the disks as /dev/md/sandbox: re-assembled after a reboot, created when blank.',
    ...shellFunction('sandbox_raid0', [
      '  local disk holder',
      '  sandbox_require_command mdadm mdadm',
      '  if [ -e /dev/md/sandbox ]; then return 0; fi',
      '  for disk in "$@"; do',
      '    for holder in "/sys/class/block/${disk##*/}/holders/"md*; do',
      '      if [ -e "${holder}" ]; then mdadm --stop "/dev/${holder##*/}" >>"${SANDBOX_LOG_FILE}" 2>&1 || true; fi',
      '    done',
      '  done',
      '  if mdadm --assemble /dev/md/sandbox "$@" >>"${SANDBOX_LOG_FILE}" 2>&1; then',
      '    sandbox_log "re-assembled RAID0 /dev/md/sandbox from $# disks"',
      '  else',
      '    sandbox_log "creating RAID0 /dev/md/sandbox from $# disks: $*"',
      '    mdadm --create /dev/md/sandbox --name=sandbox --level=0 --raid-devices="$#" --run "$@" \\',
      '      </dev/null >>"${SANDBOX_LOG_FILE}" 2>&1',
      '  fi',
      '  udevadm settle --timeout=30 >/dev/null 2>&1 || true',
    ]),
    ...shellFunction('sandbox_prepare_data_dir', [
      '  local disks=() target fstype',
      '  mkdir -p "${SANDBOX_DATA_DIR}"',
      '  if mountpoint -q "${SANDBOX_DATA_DIR}"; then',
      '    sandbox_log "${SANDBOX_DATA_DIR} already mounted"',
      '    return 0',
      '  fi',
      '  udevadm settle --timeout=30 >/dev/null 2>&1 || true',
      '  mapfile -t disks < <(sandbox_find_nvme_disks)',
      '  case "${#disks[@]}" in',
      '    0)',
      '      sandbox_log "no instance-store NVMe disks found; ${SANDBOX_DATA_DIR} stays on the root disk"',
      '      return 0',
      '      ;;',
      '    1) target="${disks[0]}" ;;',
      '    *)',
      '      sandbox_raid0 "${disks[@]}"',
      '      target=/dev/md/sandbox',
      '      ;;',
      '  esac',
      '  fstype="$(blkid -o value -s TYPE "${target}" 2>/dev/null || true)"',
      '  if [ "${fstype}" = xfs ]; then',
      '    sandbox_log "reusing the XFS file system on ${target}"',
      '  else',
      '    sandbox_require_command mkfs.xfs xfsprogs',
      '    sandbox_log "creating XFS on ${target}"',
      '    mkfs.xfs -f -K -L sandbox-data "${target}" >>"${SANDBOX_LOG_FILE}" 2>&1',
      '  fi',
      '  mount -o noatime "${target}" "${SANDBOX_DATA_DIR}"',
      '  sandbox_log "mounted ${target} at ${SANDBOX_DATA_DIR}"',
    ]),
  ];
}

/** An nftables set of addresses (interval flag: CIDRs allowed); an empty set has no elements line. */
function nftSet(name: string, type: 'ipv4_addr' | 'ipv6_addr', elements: readonly string[]): string[] {
  return [
    `  set ${name} {`,
    `    type ${type}`,
    '    flags interval',
    ...(elements.length > 0 ? [`    elements = { ${elements.join(', ')} }`] : []),
    '  }',
  ];
}

/** Extra pieces of the guard table (see {@link renderGuardTable}). */
export interface GuardTableExtras {
  /** Set declarations added to the table. Default none. */
  readonly sets?: string[];
  /** Rules at the top of the sandbox_guard chain (before every other rule). Default none. */
  readonly firstRules?: string[];
}

/**
 * The `inet sandbox_guard` table, replaced atomically when loaded (`table; delete table; table {...}`):
 * traffic entering from a sandbox interface (forward and input hooks) may not reach the guard's blocked
 * addresses, except port 53 on its resolvers and replies within connections opened to the sandbox. The
 * host's own traffic (output) is not filtered.
 */
export function renderGuardTable(interfacePatterns: readonly string[], guard: HostGuardOptions, dnsFilter = false, extras: GuardTableExtras = {}): string[] {
  const jumps = interfacePatterns.map((p) => `    iifname "${p}" jump sandbox_guard`);
  const dns = dnsFilter ? dnsFilterNftables(interfacePatterns.map((p) => `iifname "${p}"`)) : { redirect: [], guard: [], input: [] };
  const log = 'limit rate 10/second burst 20 packets log prefix "sandbox-guard-drop: " level warn';
  return [
    'table inet sandbox_guard',
    'delete table inet sandbox_guard',
    'table inet sandbox_guard {',
    ...nftSet('blocked_v4', 'ipv4_addr', guard.blockedIpv4),
    ...nftSet('blocked_v6', 'ipv6_addr', guard.blockedIpv6),
    ...nftSet('dns_v4', 'ipv4_addr', guard.dnsIpv4),
    ...nftSet('dns_v6', 'ipv6_addr', guard.dnsIpv6),
    ...(extras.sets ?? []),
    '  chain sandbox_guard {',
    ...(extras.firstRules ?? []),
    ...(dnsFilter ? ['    # DNS: only the host\'s DNS filter (the redirected query); nothing else on port 53.'] : []),
    ...dns.guard,
    '    # Replies within connections others opened to the sandbox (a proxy forwarding to it) pass.',
    '    ct state established,related return',
    '    ip daddr @dns_v4 meta l4proto { tcp, udp } th dport 53 return',
    '    ip6 daddr @dns_v6 meta l4proto { tcp, udp } th dport 53 return',
    '    icmpv6 type { nd-router-solicit, nd-neighbor-solicit, nd-neighbor-advert } return',
    `    ip daddr @blocked_v4 ${log}`,
    '    ip daddr @blocked_v4 drop',
    `    ip6 daddr @blocked_v6 ${log}`,
    '    ip6 daddr @blocked_v6 drop',
    '  }',
    '  chain forward {',
    '    type filter hook forward priority -10; policy accept;',
    ...jumps,
    '  }',
    '  chain input {',
    '    type filter hook input priority -10; policy accept;',
    ...jumps,
    ...dns.input,
    '  }',
    ...dns.redirect,
    '}',
  ];
}

function renderNftables(interfacePatterns: readonly string[], guard: HostGuardOptions, dnsFilter: boolean): string[] {
  const ruleset = '/etc/nftables.d/sandbox-guard.nft';
  return [
    '# Sandboxes must never reach link-local services of the node (metadata, credentials, time), the',
    '# cloud\'s host-agent endpoints or private service VIPs: forwarded (routed/NAT) and input (host)',
    '# paths. They keep port 53 on the platform\'s resolver. The host\'s own traffic (output) is not filtered.',
    ...shellFunction('sandbox_apply_nftables', [
      '  sandbox_require_command nft nftables',
      `  sandbox_write_file ${ruleset} 0644 <<'SANDBOX_CONF'`,
      '# Replaced atomically on every boot by the sandbox bootstrap.',
      ...renderGuardTable(interfacePatterns, guard, dnsFilter),
      'SANDBOX_CONF',
      `  if ! nft -f ${ruleset} >>"\${SANDBOX_LOG_FILE}" 2>&1; then`,
      `    sandbox_fail ${BootstrapMarker.BOOTSTRAP_FAILED} "nft could not load ${ruleset}"`,
      '  fi',
      '  sandbox_log "nftables table inet sandbox_guard loaded"',
    ]),
  ];
}

function renderGpuCheck(): string[] {
  const gpu = BootstrapMarker.GPU_DRIVER_MISSING;
  return [
    '# GPU pools: the NVIDIA driver must answer; it can take a few seconds to initialize after boot.',
    ...shellFunction('sandbox_check_gpu', [
      '  local attempt',
      '  if ! command -v nvidia-smi >/dev/null 2>&1; then',
      `    sandbox_fail ${gpu} "nvidia-smi not found: the image has no NVIDIA driver"`,
      '  fi',
      '  for attempt in 1 2 3 4 5 6; do',
      '    if nvidia-smi --query-gpu=name,driver_version --format=csv,noheader >>"${SANDBOX_LOG_FILE}" 2>&1; then',
      '      sandbox_log "NVIDIA driver ready"',
      '      return 0',
      '    fi',
      '    sandbox_log "nvidia-smi failed (attempt ${attempt}/6), retrying"',
      '    sleep 5',
      '  done',
      `  sandbox_fail ${gpu} "nvidia-smi keeps failing: NVIDIA driver not loaded or no GPU visible"`,
    ]),
  ];
}

function renderMain(opts: HostBootstrapOptions): string[] {
  const preamble = verbatimLines(opts.preamble);
  const user = verbatimLines(opts.userCommands);
  return [
    '# ---- main ----',
    'if [ "$(id -u)" -ne 0 ]; then',
    `  sandbox_fail ${BootstrapMarker.BOOTSTRAP_FAILED} "must run as root"`,
    'fi',
    '# One run at a time (the user data runs it once on first boot; per-boot runs it later).',
    'exec 9>/run/sandbox-bootstrap.lock',
    'if ! flock -w 900 9; then',
    `  sandbox_fail ${BootstrapMarker.BOOTSTRAP_FAILED} "another bootstrap run still holds /run/sandbox-bootstrap.lock"`,
    'fi',
    'sandbox_log "starting"',
    ...(preamble.length > 0 ? ['sandbox_step preamble', '# preamble (cloud module):', ...preamble] : []),
    'sandbox_step kernel-modules',
    'sandbox_load_modules',
    ...(opts.kvmRequired ? ['sandbox_step kvm', 'sandbox_check_kvm'] : []),
    'sandbox_step hugepages',
    'sandbox_reserve_hugepages',
    'sandbox_step sysctl',
    'sandbox_apply_sysctls',
    'sandbox_step data-dir',
    'sandbox_prepare_data_dir',
    'sandbox_step nftables',
    'sandbox_apply_nftables',
    ...(opts.dnsFilter ? ['sandbox_step dns-filter', 'sandbox_start_dns_filter'] : []),
    ...(opts.gpu ? ['sandbox_step gpu', 'sandbox_check_gpu'] : []),
    ...(user.length > 0 ? ['sandbox_step user-commands', '# user commands:', ...user] : []),
    'SANDBOX_STEP=complete',
    `sandbox_log "${BootstrapMarker.BOOTSTRAP_OK} bootstrap complete"`,
  ];
}
