import { Token } from 'cdktf';
import { BOOTSTRAP_LOG_FILE, HostBootstrapOptions, hostGuardFor, poolBootstrapOptions, renderHostBootstrap } from '../host';
import { CloudProvider, EgressMode, ResolvedPool } from '../spec';
import { GCP_HOST_AUTH_LOG_ID } from './audit';

/**
 * Largest value of one metadata entry (the startup script): 256 KB
 * (cloud.google.com/compute/docs/metadata/setting-custom-metadata#limitations).
 */
export const GCP_METADATA_VALUE_LIMIT = 256 * 1024;

/** Ops Agent log receiver id; the agent writes the bootstrap log under this log name. */
export const GCP_OPS_AGENT_RECEIVER = 'sandbox_bootstrap';

/** Seconds the failure path waits so the guest agent and Ops Agent flush the failure lines. */
const FLUSH_SECONDS = 15;

/** Options that are not in the resolved pool. */
export interface GcpBootstrapExtras {
  /** Local SSDs are attached by the template (not bundled with the machine type). Default false. */
  readonly attachedLocalSsd?: boolean;
  /**
   * Install the Ops Agent when the image lacks it (needs dl.google.com and packages.cloud.google.com).
   * Default true; the platform turns it off for egress "none", where nothing outside Google APIs is reachable.
   */
  readonly installOpsAgent?: boolean;
  /** The platform's egress mode (selects the host guard's resolver exceptions). Default: the strictest guard. */
  readonly egress?: EgressMode;
  /**
   * The names sandboxes may resolve (the plan's network.allowedDomains). Required with "firewall"
   * egress, where sandbox DNS goes through the host's DNS filter; unused otherwise. Default none.
   */
  readonly allowedDomains?: string[];
}

/**
 * GCP pieces of the host bootstrap.
 * - Preamble: read the instance name and zone from the metadata server (the host may; only
 *   sandbox interfaces are blocked), install the Ops Agent if the image lacks it (best effort:
 *   dl.google.com must be reachable) and configure it to ship /var/log/sandbox-bootstrap.log
 *   (config merged with the agent's defaults: cloud.google.com/stackdriver/docs/solutions/agents/ops-agent/configuration).
 *   The bootstrap also prints every line to stderr, which the guest environment's startup-script
 *   runner sends to Cloud Logging, so the KVM-missing and failure markers reach the log-based
 *   metrics even where the Ops Agent cannot be installed (cloud.google.com/compute/docs/instances/startup-scripts/linux#viewing-output).
 * - On failure: wait for the agents to flush, then power the node off. A managed instance group
 *   repairs (recreates) a VM that stops without the group asking (instance_lifecycle_policy
 *   default_action_on_failure = "REPAIR": "MIG automatically repairs a failed VM by recreating it",
 *   Compute API InstanceGroupManagerInstanceLifecyclePolicy; "About repairing VMs in a MIG").
 * - DNS with "firewall" egress: a Cloud DNS response policy that answers only an allow-list needs
 *   passthru rules (behavior "bypassResponsePolicy"), which the google provider does not expose
 *   (google-beta only), so the host filters sandbox DNS itself (lib/host/dns-filter.ts); the node's
 *   own queries still go to the metadata server, which the node firewall policy allows.
 * The script runs as `startup-script` metadata, which the guest environment runs on every boot,
 * so it is used as is (no cloud-init wrapper): stop/start, standby-pool resume and repairs redo it.
 */
export function gcpBootstrapOptions(platformName: string, pool: ResolvedPool, extras: GcpBootstrapExtras = {}): HostBootstrapOptions {
  const opsAgentConfig = [
    'logging:',
    '  receivers:',
    `    ${GCP_OPS_AGENT_RECEIVER}:`,
    '      type: files',
    '      include_paths:',
    `        - ${BOOTSTRAP_LOG_FILE}`,
    // Shell access: sshd (OS Login users, IAP tunnels) and sudo write to auth.log on Ubuntu, which the
    // Ops Agent's default syslog receiver (/var/log/messages, /var/log/syslog) does not read.
    `    ${GCP_HOST_AUTH_LOG_ID}:`,
    '      type: files',
    '      include_paths:',
    '        - /var/log/auth.log',
    '  service:',
    '    pipelines:',
    `      ${GCP_OPS_AGENT_RECEIVER}:`,
    '        receivers:',
    `          - ${GCP_OPS_AGENT_RECEIVER}`,
    `      ${GCP_HOST_AUTH_LOG_ID}:`,
    '        receivers:',
    `          - ${GCP_HOST_AUTH_LOG_ID}`,
  ];
  const firewall = extras.egress === EgressMode.FIREWALL;
  if (firewall && !extras.allowedDomains?.length) {
    throw new Error(`pool ${pool.name}: egress "firewall" needs allowedDomains for the sandbox DNS filter (network.egress.allowedDomains); ` +
      'pass the plan\'s network.allowedDomains');
  }
  return {
    ...poolBootstrapOptions(platformName, pool),
    // Sandboxes never reach link-local services or the Google API VIPs; DNS to the metadata server
    // only with "nat" egress, through the host's filter with "firewall", none with "none".
    hostGuard: hostGuardFor(CloudProvider.GCP, extras.egress),
    ...(firewall ? { dnsFilter: { allowedDomains: extras.allowedDomains! } } : {}),
    localNvme: pool.localNvme || (extras.attachedLocalSsd ?? false),
    preamble: [
      'GCE_METADATA=http://metadata.google.internal/computeMetadata/v1/instance',
      'INSTANCE_NAME="$(curl -fsS --connect-timeout 5 -H "Metadata-Flavor: Google" "${GCE_METADATA}/name" || true)"',
      'INSTANCE_ZONE="$(curl -fsS --connect-timeout 5 -H "Metadata-Flavor: Google" "${GCE_METADATA}/zone" || true)"',
      'export INSTANCE_NAME INSTANCE_ZONE',
      'sandbox_log "instance ${INSTANCE_NAME:-unknown} in ${INSTANCE_ZONE##*/}"',
      ...((extras.installOpsAgent ?? true) ? [
        'if [ ! -e /lib/systemd/system/google-cloud-ops-agent.service ] && [ ! -e /usr/lib/systemd/system/google-cloud-ops-agent.service ]; then',
        '  if curl -fsS --connect-timeout 10 --max-time 120 --retry 2 -o /run/add-google-cloud-ops-agent-repo.sh \\',
        '    https://dl.google.com/cloudagents/add-google-cloud-ops-agent-repo.sh \\',
        '    && bash /run/add-google-cloud-ops-agent-repo.sh --also-install >>"${SANDBOX_LOG_FILE}" 2>&1; then',
        '    sandbox_log "installed the Ops Agent"',
        '  else',
        '    sandbox_log "WARN Ops Agent not installed; bootstrap lines still reach Cloud Logging through the startup-script runner"',
        '  fi',
        'fi',
      ] : []),
      'install -d -m 0755 /etc/google-cloud-ops-agent',
      "cat >/etc/google-cloud-ops-agent/config.yaml <<'SANDBOX_OPS_AGENT_CONFIG'",
      ...opsAgentConfig,
      'SANDBOX_OPS_AGENT_CONFIG',
      'systemctl restart google-cloud-ops-agent >/dev/null 2>&1 || sandbox_log "WARN the Ops Agent did not restart"',
    ],
    onFailure: [
      `sleep ${FLUSH_SECONDS}`,
      'sandbox_log "powering off: the managed instance group recreates this node"',
      'systemctl poweroff --no-block || shutdown -h now',
    ],
  };
}

/** The `startup-script` metadata value: the host bootstrap itself, checked against the metadata size limit. */
export function gcpStartupScript(opts: HostBootstrapOptions): string {
  const text = renderHostBootstrap(opts);
  if (Token.isUnresolved(text)) {
    throw new Error(`pool ${opts.poolName}: the host bootstrap contains an unresolved Terraform reference; pass plain strings (names, not resource attributes)`);
  }
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > GCP_METADATA_VALUE_LIMIT) {
    throw new Error(`pool ${opts.poolName}: the startup script is ${bytes} bytes, over the GCP metadata value limit of ${GCP_METADATA_VALUE_LIMIT}; shorten bootstrapCommands`);
  }
  return text;
}
