import { Token } from 'cdktf';
import { gzipSync } from 'zlib';
import { HostBootstrapOptions, hostGuardFor, poolBootstrapOptions, renderCloudInitUserData } from '../host';
import { CloudProvider, EgressMode, PoolKind, ResolvedPool } from '../spec';

/**
 * Local TCP port of the health endpoint the Application Health extension probes. The bootstrap
 * opens it (a systemd socket in /run, so it is gone after a reboot until the bootstrap passes again)
 * only after every check passed, and closes it on failure: the instance turns Unhealthy and the
 * scale set's automatic instance repair replaces it
 * (learn.microsoft.com/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-health-extension, TCP probes).
 */
export const AZURE_HEALTH_PORT = 50080;

/** Azure accepts at most 64 KB of custom data, base64-encoded (learn.microsoft.com/azure/virtual-machines/custom-data). */
export const AZURE_CUSTOM_DATA_LIMIT = 65536;

/** How long a GPU node waits for the NvidiaGpuDriverLinux extension to install the driver (it may reboot the VM). */
export const GPU_DRIVER_WAIT_SECONDS = 2400;

export interface AzureBootstrapOptions {
  /**
   * The platform's egress mode: decides whether sandboxes may query Azure DNS at 168.63.129.16
   * (only with "nat"; see hostGuardFor). Default: the strictest (no DNS to 168.63.129.16).
   */
  readonly egress?: EgressMode;
  /**
   * The names sandboxes may resolve (the plan's network.allowedDomains). Required with "firewall"
   * egress, where sandbox DNS goes through the host's DNS filter: the firewall's DNS proxy logs
   * names but cannot filter them, and azurerm has no resource for Azure DNS security policies.
   * Unused otherwise. Default none.
   */
  readonly allowedDomains?: string[];
  /** The NVIDIA driver arrives through the NvidiaGpuDriverLinux extension after boot: wait for nvidia-smi first. */
  readonly gpuDriverFromExtension?: boolean;
}

function healthUnits(): string[] {
  const socket = ['[Unit]', 'Description=Sandbox host health endpoint (Application Health extension probe)', '', '[Socket]',
    `ListenStream=127.0.0.1:${AZURE_HEALTH_PORT}`, 'Accept=yes'];
  const service = ['[Unit]', 'Description=Sandbox host health probe connection', '', '[Service]', 'Type=oneshot', 'ExecStart=/bin/true',
    'StandardInput=socket', 'StandardOutput=null'];
  const printf = (lines: string[], file: string) => `printf '%s\\n' ${lines.map((l) => `'${l}'`).join(' ')} >${file}`;
  return [
    'install -d -m 0755 /run/systemd/system',
    printf(socket, '/run/systemd/system/sandbox-health.socket'),
    printf(service, '/run/systemd/system/sandbox-health@.service'),
    'systemctl daemon-reload',
    'systemctl start sandbox-health.socket',
    `sandbox_log "health endpoint 127.0.0.1:${AZURE_HEALTH_PORT} open: the Application Health extension reports Healthy"`,
  ];
}

/**
 * Azure pieces of the host bootstrap. Logs need no agent configuration here: every bootstrap line
 * also goes to the journal (tag sandbox-bootstrap), which the Azure Monitor Agent ships to Log
 * Analytics through the platform's data collection rule (syslog, facility user). The node reports
 * its outcome through the Application Health extension: the health endpoint opens only after a
 * successful run, and a failed check closes it so automatic instance repair replaces the node.
 * GPU nodes that get their driver from the NvidiaGpuDriverLinux extension wait for it first.
 * With "firewall" egress the host's DNS filter starts before the health endpoint opens (the user
 * commands, where the endpoint opens, run after every bootstrap step).
 */
export function azureBootstrapOptions(platformName: string, pool: ResolvedPool, opts: AzureBootstrapOptions = {}): HostBootstrapOptions {
  const gpu = pool.kind === PoolKind.GPU;
  const preamble = ['systemctl stop sandbox-health.socket >/dev/null 2>&1 || true'];
  if (gpu && opts.gpuDriverFromExtension) {
    preamble.push(
      'sandbox_log "waiting up to ' + GPU_DRIVER_WAIT_SECONDS + ' s for the NvidiaGpuDriverLinux extension to install the NVIDIA driver"',
      `for _ in $(seq 1 ${GPU_DRIVER_WAIT_SECONDS / 10}); do`,
      '  if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi >/dev/null 2>&1; then break; fi',
      '  sleep 10',
      'done',
    );
  }
  const firewall = opts.egress === EgressMode.FIREWALL;
  if (firewall && !opts.allowedDomains?.length) {
    throw new Error(`pool ${pool.name}: egress "firewall" needs allowedDomains for the sandbox DNS filter (network.egress.allowedDomains); ` +
      'pass the plan\'s network.allowedDomains');
  }
  return {
    ...poolBootstrapOptions(platformName, pool),
    hostGuard: hostGuardFor(CloudProvider.AZURE, opts.egress),
    ...(firewall ? { dnsFilter: { allowedDomains: opts.allowedDomains! } } : {}),
    preamble,
    onFailure: [
      'systemctl stop sandbox-health.socket >/dev/null 2>&1 || true',
      'sandbox_log "health endpoint closed: the Application Health extension reports Unhealthy and automatic repair replaces this node"',
    ],
    userCommands: [...pool.bootstrapCommands, ...healthUnits()],
  };
}

/** custom_data of a scale set: base64 of the cloud-init script, gzipped when it would exceed Azure's limit. */
export function azureCustomData(opts: HostBootstrapOptions): string {
  const text = renderCloudInitUserData(opts);
  if (Token.isUnresolved(text)) {
    throw new Error(`pool ${opts.poolName}: the host bootstrap contains an unresolved Terraform reference; pass plain strings (names, not resource attributes)`);
  }
  const plain = Buffer.from(text, 'utf8').toString('base64');
  // cloud-init detects and inflates gzip custom data.
  const encoded = plain.length <= AZURE_CUSTOM_DATA_LIMIT ? plain : gzipSync(Buffer.from(text, 'utf8'), { level: 9 }).toString('base64');
  if (encoded.length > AZURE_CUSTOM_DATA_LIMIT) {
    throw new Error(`pool ${opts.poolName}: custom data is ${encoded.length} bytes base64 even gzipped, over Azure's ${AZURE_CUSTOM_DATA_LIMIT}; shorten bootstrapCommands`);
  }
  return encoded;
}
