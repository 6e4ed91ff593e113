import { Token } from 'cdktf';
import { gzipSync } from 'zlib';
import { BOOTSTRAP_LOG_FILE, HostBootstrapOptions, hostGuardFor, poolBootstrapOptions, renderCloudInitUserData } from '../host';
import { CloudProvider, ResolvedPool } from '../spec';

/** The launch lifecycle hook each pool's Auto Scaling group holds until the bootstrap completes. */
export const LAUNCH_HOOK_NAME = 'sandbox-bootstrap';

/** EC2 accepts at most 16 KB of user data before base64 (docs.aws.amazon.com/AWSEC2/latest/UserGuide/user-data.html). */
export const EC2_USER_DATA_LIMIT = 16384;

/**
 * AWS pieces of the host bootstrap: read region and instance id from IMDSv2 (the host may use
 * IMDS; only sandbox interfaces are blocked), ship the bootstrap log to CloudWatch Logs with the
 * CloudWatch agent (so the KVM-missing metric filter sees it), and on a failed check mark the
 * instance unhealthy so the Auto Scaling group replaces it.
 */
export function awsBootstrapOptions(platformName: string, pool: ResolvedPool, bootstrapLogGroup: string, autoScalingGroupName: string): HostBootstrapOptions {
  const hook = (result: 'CONTINUE' | 'ABANDON') =>
    `aws autoscaling complete-lifecycle-action --region "\${AWS_REGION}" --instance-id "\${INSTANCE_ID}" --auto-scaling-group-name '${autoScalingGroupName}' ` +
    `--lifecycle-hook-name '${LAUNCH_HOOK_NAME}' --lifecycle-action-result ${result}`;
  const agentConfig = JSON.stringify({
    logs: {
      logs_collected: {
        files: { collect_list: [{ file_path: BOOTSTRAP_LOG_FILE, log_group_name: bootstrapLogGroup, log_stream_name: '{instance_id}' }] },
      },
    },
  });
  return {
    ...poolBootstrapOptions(platformName, pool),
    hostGuard: hostGuardFor(CloudProvider.AWS),
    preamble: [
      'IMDS_TOKEN="$(curl -sS -X PUT -H "X-aws-ec2-metadata-token-ttl-seconds: 300" http://169.254.169.254/latest/api/token)"',
      'AWS_REGION="$(curl -sS -H "X-aws-ec2-metadata-token: ${IMDS_TOKEN}" http://169.254.169.254/latest/meta-data/placement/region)"',
      'INSTANCE_ID="$(curl -sS -H "X-aws-ec2-metadata-token: ${IMDS_TOKEN}" http://169.254.169.254/latest/meta-data/instance-id)"',
      'export AWS_REGION INSTANCE_ID',
      'if ! command -v /opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl >/dev/null 2>&1; then',
      '  dnf install -y amazon-cloudwatch-agent || yum install -y amazon-cloudwatch-agent || true',
      'fi',
      'install -d -m 0755 /opt/aws/amazon-cloudwatch-agent/etc',
      `printf '%s\\n' '${agentConfig}' > /opt/aws/amazon-cloudwatch-agent/etc/sandbox-bootstrap.json`,
      '/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s ' +
        '-c file:/opt/aws/amazon-cloudwatch-agent/etc/sandbox-bootstrap.json || true',
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
      // Last: let the node into service. On later boots no action is pending and the call fails harmlessly.
      `${hook('CONTINUE')} || true`,
    ],
  };
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
