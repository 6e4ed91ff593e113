import { Token } from 'cdktf';
import { gzipSync } from 'zlib';
import {
  BOOTSTRAP_LOG_FILE, BootstrapMarker, HostBootstrapOptions, KUBERNETES_SANDBOX_INTERFACE_PATTERN, hostGuardFor, poolBootstrapOptions, renderCloudInitUserData,
} from '../host';
import { CloudProvider, ResolvedPool } from '../spec';
import { mask, parseIpv4Cidr } from '../spec/cidr';
import { COMMAND_AUDIT_LOG_FILE } from './shell-audit';

/** The launch lifecycle hook each pool's Auto Scaling group holds until the bootstrap completes. */
export const LAUNCH_HOOK_NAME = 'sandbox-bootstrap';

/** EC2 accepts at most 16 KB of user data before base64 (docs.aws.amazon.com/AWSEC2/latest/UserGuide/user-data.html). */
export const EC2_USER_DATA_LIMIT = 16384;

/**
 * AL2023 repository ids the bootstrap's package installs use, alone: the AL2023 core repository
 * ([amazonlinux] in /etc/yum.repos.d/amazonlinux.repo, mirrorlist on
 * al2023-repos-<region>-de612dc2.s3.dualstack.<region>.amazonaws.com, which the S3 gateway
 * endpoint policy and the DNS firewall allow). Third-party repositories an image may enable (the
 * DLAMI's NVIDIA/CUDA repositories, for one) are unreachable under "firewall" and "none" egress,
 * and AL2023's dnf fails the whole transaction on an unreachable repository
 * (skip_if_unavailable=False), so installs run with only these enabled.
 * Sources: docs.aws.amazon.com/linux/al2023/ug/managing-repos-os-updates.html; the repo id as
 * shipped in amazonlinux.repo (quoted in docs.aws.amazon.com/linux/al2023/ug/repo-metadata-signing.html).
 * Whether the DLAMI ships nftables, mdadm and xfsprogs preinstalled, and which repositories it
 * enables, was not verified here (no instance to inspect): the restriction makes either case work.
 */
export const AL2023_DNF_REPOS: readonly string[] = ['amazonlinux'];

/** Attempts and backoff of the launch lifecycle CONTINUE (5 s doubling to 60 s: about 6 minutes in all). */
export const LIFECYCLE_CONTINUE_ATTEMPTS = 10;

/** Optional AWS context of a pool's bootstrap. */
export interface AwsBootstrapContext {
  /**
   * The VPC CIDR: sandboxes may not open connections to any address in it (other nodes, interface
   * endpoints, the host's own VPC address) except DNS to the VPC resolver (VPC+2); their traffic
   * leaves through the NAT or the firewall. Default: link-local addresses only.
   */
  readonly vpcCidr?: string;
  /** Log group of the recorded Run Command document's log (AwsShellAudit). Default: not shipped. */
  readonly commandLogGroup?: string;
  /** Kubernetes mode: the command that joins the node to the cluster (eksJoinCommand), run before the node enters service. Default none. */
  readonly kubernetesJoin?: string;
  /**
   * Kubernetes mode, a node that runs sandbox pods: the guard also covers the pod network's interfaces
   * (KUBERNETES_SANDBOX_INTERFACE_PATTERN), and sandboxes may query DNS (port 53 only) anywhere in the
   * VPC, where CoreDNS runs as pods behind the cluster DNS Service. Not for the system node group: its
   * pods (CoreDNS, the vendor's agent) must reach the API server. Default false.
   */
  readonly sandboxPods?: boolean;
}

/**
 * AWS pieces of the host bootstrap: read region and instance id from IMDSv2 (the host may use
 * IMDS; only sandbox interfaces are blocked), ship the bootstrap log to CloudWatch Logs with the
 * CloudWatch agent (so the metric filters see failures), complete the launch lifecycle hook with
 * retries, and on a failed check abandon the launch or mark the instance unhealthy so the Auto
 * Scaling group replaces it.
 */
export function awsBootstrapOptions(
  platformName: string, pool: ResolvedPool, bootstrapLogGroup: string, autoScalingGroupName: string, context: AwsBootstrapContext = {},
): HostBootstrapOptions {
  const hook = (result: 'CONTINUE' | 'ABANDON') =>
    `aws autoscaling complete-lifecycle-action --region "\${AWS_REGION}" --instance-id "\${INSTANCE_ID}" --auto-scaling-group-name '${autoScalingGroupName}' ` +
    `--lifecycle-hook-name '${LAUNCH_HOOK_NAME}' --lifecycle-action-result ${result}`;
  const agentConfig = JSON.stringify({
    logs: {
      logs_collected: {
        files: {
          collect_list: [
            { file_path: BOOTSTRAP_LOG_FILE, log_group_name: bootstrapLogGroup, log_stream_name: '{instance_id}' },
            ...(context.commandLogGroup ? [{ file_path: COMMAND_AUDIT_LOG_FILE, log_group_name: context.commandLogGroup, log_stream_name: '{instance_id}' }] : []),
          ],
        },
      },
    },
  });
  // Default images are AL2023 or the AL2023 DLAMI: install from the AL2023 repository only.
  const al2023 = pool.image === undefined;
  const repos = al2023 ? AL2023_DNF_REPOS : undefined;
  const dnf = repos ? `dnf install -y --disablerepo='*' ${repos.map((r) => `--enablerepo='${r}'`).join(' ')}` : 'dnf install -y';
  const guard = hostGuardFor(CloudProvider.AWS);
  return {
    ...poolBootstrapOptions(platformName, pool),
    hostGuard: context.vpcCidr
      ? {
        ...guard, blockedIpv4: [...guard.blockedIpv4, context.vpcCidr],
        dnsIpv4: [...guard.dnsIpv4, context.sandboxPods ? context.vpcCidr : vpcResolver(context.vpcCidr)],
      }
      : guard,
    ...(context.sandboxPods ? { sandboxInterfacePattern: KUBERNETES_SANDBOX_INTERFACE_PATTERN } : {}),
    ...(repos ? { dnfEnableRepos: [...repos] } : {}),
    preamble: [
      'IMDS_TOKEN="$(curl -sS -X PUT -H "X-aws-ec2-metadata-token-ttl-seconds: 300" http://169.254.169.254/latest/api/token)"',
      'AWS_REGION="$(curl -sS -H "X-aws-ec2-metadata-token: ${IMDS_TOKEN}" http://169.254.169.254/latest/meta-data/placement/region)"',
      'INSTANCE_ID="$(curl -sS -H "X-aws-ec2-metadata-token: ${IMDS_TOKEN}" http://169.254.169.254/latest/meta-data/instance-id)"',
      'export AWS_REGION INSTANCE_ID',
      'if ! command -v /opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl >/dev/null 2>&1; then',
      `  if ! ${dnf} amazon-cloudwatch-agent >>"\${SANDBOX_LOG_FILE}" 2>&1; then`,
      '    sandbox_log "WARN amazon-cloudwatch-agent could not be installed: the bootstrap log stays on the node (failures still abandon the launch)"',
      '  fi',
      'fi',
      'install -d -m 0755 /opt/aws/amazon-cloudwatch-agent/etc',
      `printf '%s\\n' '${agentConfig}' > /opt/aws/amazon-cloudwatch-agent/etc/sandbox-bootstrap.json`,
      'if ! /opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s ' +
        '-c file:/opt/aws/amazon-cloudwatch-agent/etc/sandbox-bootstrap.json >>"${SANDBOX_LOG_FILE}" 2>&1; then',
      '  sandbox_log "WARN the CloudWatch agent did not start: the bootstrap log is not shipped"',
      'fi',
    ],
    onFailure: [
      // The agent flushes every 5 s by default; give it the failure line before the node is replaced.
      'sleep 15',
      // At launch: abandon the lifecycle action (the node never enters service). Later boots
      // (no pending action): mark the running node unhealthy so the group replaces it.
      `${hook('ABANDON')} || aws autoscaling set-instance-health --region "\${AWS_REGION}" --instance-id "\${INSTANCE_ID}" --health-status Unhealthy --no-should-respect-grace-period`,
    ],
    userCommands: [
      ...pool.bootstrapCommands,
      // Kubernetes mode: join the cluster once the host is prepared, and only then enter service.
      ...(context.kubernetesJoin ? [context.kubernetesJoin] : []),
      // Last: let the node into service. IAM grants and the endpoints' DNS may still be
      // propagating on a first apply, so retry with backoff; a boot with no pending action
      // (reboot) is told "No active Lifecycle Action" by Auto Scaling and goes on. Never silent:
      // a node that cannot complete the action fails (and is abandoned) instead of timing out.
      [
        'sandbox_complete_launch() {',
        '  local attempt out delay=5',
        `  for ((attempt = 1; attempt <= ${LIFECYCLE_CONTINUE_ATTEMPTS}; attempt++)); do`,
        `    if out="$(${hook('CONTINUE')} 2>&1)"; then`,
        '      sandbox_log "launch lifecycle action completed: CONTINUE"',
        '      return 0',
        '    fi',
        '    case "${out}" in',
        '      *"No active Lifecycle Action"*)',
        '        sandbox_log "no launch lifecycle action pending (not a launch boot)"',
        '        return 0',
        '        ;;',
        '    esac',
        `    sandbox_log "WARN complete-lifecycle-action failed (attempt \${attempt}/${LIFECYCLE_CONTINUE_ATTEMPTS}): \${out}"`,
        '    sleep "${delay}"',
        '    delay=$((delay * 2 > 60 ? 60 : delay * 2))',
        '  done',
        `  sandbox_fail ${BootstrapMarker.BOOTSTRAP_FAILED} "could not complete the launch lifecycle action after ${LIFECYCLE_CONTINUE_ATTEMPTS} attempts"`,
        '}',
        'sandbox_complete_launch',
      ].join('\n'),
    ],
  };
}

/**
 * The Route 53 Resolver's in-VPC address: the VPC's base address plus two, which DHCP hands the
 * nodes (docs.aws.amazon.com/vpc/latest/userguide/AmazonDNS-concepts.html): systemd-resolved,
 * Docker and containerd pass it on to sandboxes.
 */
export function vpcResolver(vpcCidr: string): string {
  const parsed = parseIpv4Cidr(vpcCidr);
  if (typeof parsed === 'string') throw new Error(`VPC CIDR ${JSON.stringify(vpcCidr)}: ${parsed}`);
  const n = mask(parsed.network, parsed.prefix) + 2;
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** The launch template's user_data: base64 of the cloud-init script, gzipped when it would exceed the EC2 limit. */
export function awsUserData(opts: HostBootstrapOptions): string {
  const text = renderCloudInitUserData(opts);
  // The script is encoded here, at construction: a Terraform reference inside it would be
  // base64-encoded as its placeholder text and never resolved.
  if (Token.isUnresolved(text)) {
    throw new Error(`pool ${opts.poolName}: the host bootstrap contains an unresolved Terraform reference; pass plain strings (names, not resource attributes)`);
  }
  const script = Buffer.from(text, 'utf8');
  // cloud-init detects and inflates gzip user data.
  const payload = script.length <= EC2_USER_DATA_LIMIT ? script : gzipSync(script, { level: 9 });
  if (payload.length > EC2_USER_DATA_LIMIT) {
    throw new Error(`pool ${opts.poolName}: user data is ${payload.length} bytes gzipped, over the EC2 limit of ${EC2_USER_DATA_LIMIT}; shorten bootstrapCommands`);
  }
  return payload.toString('base64');
}
