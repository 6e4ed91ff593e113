/**
 * One test per fixed finding of the AWS review (reviews/aws.md) and the consumer review items for
 * AWS: each asserts the synthesized output that the old code did not produce.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import {
  AL2023_DNF_REPOS, AwsAutoScalingServiceLinkedRole, AwsSandboxPlatform, COMMAND_AUDIT_LOG_FILE, awsBootstrapOptions, awsPlatformKeyPolicyStatements,
  awsZoneName, bootstrapMarkerPattern, capacityWaitTimeout, dnsFirewallDomains, nodeServiceDomains,
} from '../lib/aws';
import { BootstrapMarker, renderHostBootstrap } from '../lib/host';
import { CloudProvider, ComplianceProfile, DeploymentModel, EgressMode, GpuModel, SandboxRuntime, SpecValidationError, resolvePlatform } from '../lib/spec';
import { byocSpec, policy, resource, resources, synthAws, userDataOf } from './helpers';

/* eslint-disable @typescript-eslint/no-explicit-any */

const ref = (type: string, fragment: string, json: any, attr = 'arn') => {
  const id = resources(json, type).find(([i]) => i.includes(fragment))![0];
  return `\${${type}.${id}.${attr}}`;
};
const deps = (r: any): string[] => r.depends_on ?? [];

describe('finding 1: capacity wait fits the bootstrap, transient scaling failures do not fail the apply', () => {
  const { json } = synthAws(byocSpec({
    sandboxPools: [{ name: 'metal', instanceType: 'm7i.metal-24xl', minNodes: 1, maxNodes: 2 }, { name: 'gv', runtime: SandboxRuntime.GVISOR, minNodes: 1, maxNodes: 2 }],
  }));
  it('waits heartbeat + 15 minutes (metal 45m, others 30m) instead of the provider default 10m', () => {
    expect(resource(json, 'aws_autoscaling_group', 'pool-metal').wait_for_capacity_timeout).toBe('45m');
    expect(resource(json, 'aws_autoscaling_group', 'pool-metal').initial_lifecycle_hook[0].heartbeat_timeout).toBe(1800);
    expect(resource(json, 'aws_autoscaling_group', 'pool-gv').wait_for_capacity_timeout).toBe('30m');
    expect(resource(json, 'aws_autoscaling_group', 'pool-gv').initial_lifecycle_hook[0].heartbeat_timeout).toBe(900);
    const pool = resolvePlatform(byocSpec(), CloudProvider.AWS).pools[0];
    expect(capacityWaitTimeout(pool)).toBe(pool.shape?.metal ? '45m' : '30m');
  });
  it('ignores failed scaling activities during the wait', () => {
    for (const [, asg] of resources(json, 'aws_autoscaling_group')) expect(asg.ignore_failed_scaling_activities).toBe(true);
  });
});

describe('finding 2: a per-platform Auto Scaling service-linked role works in a fresh account', () => {
  const { json } = synthAws(byocSpec());
  it('creates AWSServiceRoleForAutoScaling_<name> and every group uses it', () => {
    expect(resource(json, 'aws_iam_service_linked_role')).toEqual(expect.objectContaining({ aws_service_name: 'autoscaling.amazonaws.com', custom_suffix: 'acme' }));
    const slr = ref('aws_iam_service_linked_role', 'autoscaling-role', json);
    for (const [, asg] of resources(json, 'aws_autoscaling_group')) expect(asg.service_linked_role_arn).toBe(slr);
  });
  it('names that role (by reference, so the key is created after it) in the key policy, never the default role', () => {
    const key = resource(json, 'aws_kms_key');
    const statements = policy(key.policy).Statement;
    const slr = ref('aws_iam_service_linked_role', 'autoscaling-role', json);
    for (const sid of ['AutoScalingUseForEbs', 'AutoScalingGrantsForEbs']) {
      expect(statements.find((s) => s.Sid === sid).Principal).toEqual({ AWS: slr });
    }
    expect(key.policy).not.toContain('AWSServiceRoleForAutoScaling"');
    expect(statements.find((s) => s.Sid === 'AutoScalingGrantsForEbs').Condition).toEqual({ Bool: { 'kms:GrantIsForAWSResource': true } });
  });
  it('warns that createAutoScalingServiceLinkedRole is deprecated and ignored', () => {
    const { platform } = synthAws(byocSpec(), { createAutoScalingServiceLinkedRole: true });
    const warnings = platform.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data));
    expect(warnings.some((w) => /createAutoScalingServiceLinkedRole is deprecated/.test(w))).toBe(true);
  });
  it('rejects a suffix the role name cannot hold', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    expect(() => new AwsAutoScalingServiceLinkedRole(stack, 'r', { suffix: 'has_underscore' })).toThrow(/suffix "has_underscore"/);
  });
});

describe('finding 7: the CloudTrail logs role trust carries no aws:SourceArn', () => {
  it('trusts cloudtrail.amazonaws.com as AWS documents it', () => {
    const { json } = synthAws(byocSpec());
    const trust = policy(resource(json, 'aws_iam_role', 'trail-logs-role').assume_role_policy).Statement;
    expect(trust).toEqual([{ Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
  });
});

describe('finding 8: consumers after their grants; CONTINUE retried and never silent', () => {
  it.each([EgressMode.NAT, EgressMode.FIREWALL, EgressMode.NONE])('%s: the groups wait for the role grants, routes and endpoints', (mode) => {
    const { json } = synthAws(byocSpec({ network: { egress: { mode, ...(mode === EgressMode.FIREWALL ? { allowedDomains: ['pypi.org'] } : {}) } } }));
    const asg = resource(json, 'aws_autoscaling_group');
    const d = deps(asg);
    expect(d).toEqual(expect.arrayContaining([
      expect.stringMatching(/^aws_iam_role_policy\.platform_node-identity_platform_/),
      expect.stringMatching(/^aws_iam_role_policy_attachment\.platform_node-identity_ssm_/),
      expect.stringMatching(/^aws_iam_role_policy_attachment\.platform_node-identity_cloudwatch-agent_/),
      expect.stringMatching(/^aws_iam_instance_profile\./),
    ]));
    const routes = d.filter((x) => /^aws_route\..*private-default/.test(x));
    expect(routes).toHaveLength(mode === EgressMode.NONE ? 0 : 3);
    const endpoints = d.filter((x) => x.startsWith('aws_vpc_endpoint.'));
    expect(endpoints).toHaveLength(mode === EgressMode.NAT ? 0 : 10);
    expect(d.some((x) => x.startsWith('aws_route53_resolver_firewall_rule_group_association.'))).toBe(mode !== EgressMode.NAT);
  });
  it('orders the trail after its delivery policy and the flow log after its policy', () => {
    const { json } = synthAws(byocSpec());
    expect(deps(resource(json, 'aws_cloudtrail'))).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_iam_role_policy\..*trail-logs-policy/)]));
    expect(deps(resource(json, 'aws_flow_log'))).toEqual([expect.stringMatching(/^aws_iam_role_policy\..*flow-log-policy/)]);
  });
  it('retries CONTINUE with backoff and fails the node when it never succeeds', () => {
    const pool = resolvePlatform(byocSpec(), CloudProvider.AWS).pools[0];
    const script = renderHostBootstrap(awsBootstrapOptions('acme', pool, '/sandbox/acme/bootstrap', 'acme-fc'));
    expect(script).not.toMatch(/CONTINUE \|\| true/);
    expect(script).toMatch(/for \(\(attempt = 1; attempt <= 10; attempt\+\+\)\); do\n\s+if out="\$\(aws autoscaling complete-lifecycle-action .*CONTINUE 2>&1\)"/);
    expect(script).toContain('delay=$((delay * 2 > 60 ? 60 : delay * 2))');
    expect(script).toContain('*"No active Lifecycle Action"*)');
    expect(script).toMatch(/sandbox_fail SANDBOX_BOOTSTRAP_FAILED "could not complete the launch lifecycle action after 10 attempts"/);
  });
});

describe('finding 9 / stable placement: zones never come from a shifting list', () => {
  it('derives unpinned zones from the region and checks them at plan with a precondition', () => {
    const { json } = synthAws(byocSpec(), { region: 'us-west-1' });
    const subnets = resources(json, 'aws_subnet').filter(([id]) => id.includes('private-'));
    expect(subnets.map(([, s]) => s.availability_zone)).toEqual(['us-west-1a', 'us-west-1b', 'us-west-1c']);
    for (const [, s] of subnets) {
      expect(s.availability_zone).not.toMatch(/element\(/);
      expect(s.lifecycle.precondition[0].condition).toMatch(/^\$\{contains\(data\.aws_availability_zones\.\w+\.names, "us-west-1[abc]"\)\}$/);
      expect(s.lifecycle.precondition[0].error_message).toMatch(/is not an availability zone of this account\. Pin network\.availabilityZones/);
    }
    // The lookup is a closed set (checkov CKV_AWS_394): only these names can come back.
    expect(Object.values(json.data!.aws_availability_zones)[0].filter).toEqual([{ name: 'zone-name', values: ['us-west-1a', 'us-west-1b', 'us-west-1c'] }]);
  });
  it('fails at synth for an index past the derivable zones instead of wrapping', () => {
    expect(awsZoneName(5, 'us-east-1')).toBe('us-east-1f');
    expect(() => awsZoneName(6, 'us-east-1')).toThrow(/zone index 6 is out of range/);
    expect(() => awsZoneName(2, 'us-east-1', ['us-east-1a', 'us-east-1b'])).toThrow(/2 zones are pinned/);
  });
});

describe('finding 11: failures raise alarms, each counted once', () => {
  const { json } = synthAws(byocSpec({ sandboxPools: [{ name: 'fixed', minNodes: 3, maxNodes: 3 }, { name: 'fc', minNodes: 1, maxNodes: 4 }] }));
  it('counts BOOTSTRAP_FAILED, KVM and GPU markers with patterns anchored to the marker line', () => {
    const patterns = resources(json, 'aws_cloudwatch_log_metric_filter').map(([, f]) => f.pattern).sort();
    expect(patterns).toEqual(['"ERROR SANDBOX_BOOTSTRAP_FAILED:"', '"ERROR SANDBOX_GPU_DRIVER_MISSING:"', '"ERROR SANDBOX_KVM_MISSING:"']);
    // sandbox_fail logs "ERROR SANDBOX_KVM_MISSING: ..." and "ERROR SANDBOX_BOOTSTRAP_FAILED: SANDBOX_KVM_MISSING":
    // the KVM phrase occurs on one line, the failure phrase on one line.
    const lines = ['x: ERROR SANDBOX_KVM_MISSING: /dev/kvm missing', 'x: ERROR SANDBOX_BOOTSTRAP_FAILED: SANDBOX_KVM_MISSING'];
    const phrase = (p: string) => p.slice(1, -1);
    expect(lines.filter((l) => l.includes(phrase(bootstrapMarkerPattern(BootstrapMarker.KVM_MISSING))))).toHaveLength(1);
    expect(lines.filter((l) => l.includes(phrase(bootstrapMarkerPattern(BootstrapMarker.BOOTSTRAP_FAILED))))).toHaveLength(1);
    expect(lines.filter((l) => l.includes('SANDBOX_KVM_MISSING'))).toHaveLength(2);
  });
  it('forwards failed launches of the platform groups to the alert topic', () => {
    const rule = resource(json, 'aws_cloudwatch_event_rule');
    expect(JSON.parse(rule.event_pattern)).toEqual({
      source: ['aws.autoscaling'], 'detail-type': ['EC2 Instance Launch Unsuccessful'], detail: { AutoScalingGroupName: [expect.stringMatching(/^\$\{aws_autoscaling_group\.platform_pool-fixed_asg_\w+\.name\}$/),
        expect.stringMatching(/^\$\{aws_autoscaling_group\.platform_pool-fc_asg_\w+\.name\}$/)] },
    });
    expect(resource(json, 'aws_cloudwatch_event_target').arn).toMatch(/aws_sns_topic\./);
    const topicPolicy = policy(resource(json, 'aws_sns_topic_policy').policy).Statement;
    expect(topicPolicy.find((s) => s.Sid === 'LaunchUnsuccessfulEvents').Principal).toEqual({ Service: 'events.amazonaws.com' });
    expect(policy(resource(json, 'aws_kms_key').policy).Statement.find((s) => s.Sid === 'EventBridgeToEncryptedSns')).toBeDefined();
  });
  it('has no at-max alarm for a pool whose minimum is its maximum', () => {
    const names = resources(json, 'aws_cloudwatch_metric_alarm').map(([, a]) => a.alarm_name);
    expect(names).toContain('acme-fc-at-max-size');
    expect(names).not.toContain('acme-fixed-at-max-size');
  });
});

describe('finding 12: prevent_destroy on the trail and the artifact bucket under soc2/hipaa', () => {
  it.each([[ComplianceProfile.SOC2, true], [ComplianceProfile.HIPAA, true], [ComplianceProfile.BASELINE, false]])('%s', (compliance, on) => {
    const { json } = synthAws(byocSpec({ compliance }));
    const expected = on ? { prevent_destroy: true } : undefined;
    expect(resource(json, 'aws_cloudtrail').lifecycle).toEqual(expected);
    expect(resource(json, 'aws_s3_bucket', 'artifacts').lifecycle).toEqual(expected);
  });
});

describe('finding 13: package installs use only the AL2023 repository on default images', () => {
  it('installs the CloudWatch agent from the AL2023 repository only, and says so when it cannot', () => {
    const { json } = synthAws(byocSpec({ gpuPools: [{ name: 'l4', gpu: GpuModel.L4 }], network: { egress: { mode: EgressMode.NONE } } }));
    const script = userDataOf(resource(json, 'aws_launch_template', 'pool-l4'));
    expect(script).toContain("dnf install -y --disablerepo='*' --enablerepo='amazonlinux' amazon-cloudwatch-agent");
    expect(script).toContain('WARN amazon-cloudwatch-agent could not be installed');
    expect(script).not.toMatch(/amazon-cloudwatch-agent \|\| true/);
  });
  it('asks the host bootstrap for the same restriction (dnfEnableRepos), and not for custom images', () => {
    const plan = resolvePlatform(byocSpec({ sandboxPools: [{ name: 'a' }, { name: 'b', image: 'ami-0123456789abcdef0' }] }), CloudProvider.AWS);
    expect(awsBootstrapOptions('acme', plan.pools[0], '/l', 'acme-a').dnfEnableRepos).toEqual(AL2023_DNF_REPOS);
    expect(awsBootstrapOptions('acme', plan.pools[1], '/l', 'acme-b').dnfEnableRepos).toBeUndefined();
    expect(AL2023_DNF_REPOS).toEqual(['amazonlinux']);
  });
});

describe('issue 10: sandboxes are hostile', () => {
  it.each([EgressMode.FIREWALL, EgressMode.NONE])('%s: every interface endpoint carries a this-account policy where the service supports one', (mode) => {
    const { json } = synthAws(byocSpec({ network: { egress: { mode, ...(mode === EgressMode.FIREWALL ? { allowedDomains: ['pypi.org'] } : {}) } } }));
    const endpoints = resources(json, 'aws_vpc_endpoint').filter(([id]) => !id.includes('ep-s3'));
    expect(endpoints).toHaveLength(10);
    for (const [id, ep] of endpoints) {
      expect(ep.policy).toMatch(/^\$\{data\.aws_vpc_endpoint_service\.[\w-]+\.vpc_endpoint_policy_supported \? "/);
      expect(ep.policy).toContain('aws:PrincipalAccount');
      expect(ep.policy.includes('aws:ResourceAccount')).toBe(/ep-(logs|kms|autoscaling)_/.test(id));
    }
  });
  it.each([[EgressMode.FIREWALL, true], [EgressMode.NONE, true], [EgressMode.NAT, false]])('%s: DNS firewall %s', (mode, on) => {
    const { json } = synthAws(byocSpec({ network: { egress: { mode, ...(mode === EgressMode.FIREWALL ? { allowedDomains: ['.github.com'] } : {}) } } }));
    if (!on) {
      expect(json.resource.aws_route53_resolver_firewall_rule_group).toBeUndefined();
      return;
    }
    const rules = resources(json, 'aws_route53_resolver_firewall_rule').map(([, r]) => r);
    expect(rules.map((r) => [r.priority, r.action, r.block_response])).toEqual([[100, 'ALLOW', undefined], [200, 'BLOCK', 'NXDOMAIN']]);
    const lists = resources(json, 'aws_route53_resolver_firewall_domain_list').map(([, l]) => l.domains);
    expect(lists).toContainEqual(['*']);
    const allowed = lists.find((l) => l[0] !== '*');
    expect(allowed).toEqual(expect.arrayContaining([expect.stringMatching(/^ssm\.\$\{data\.aws_region/), expect.stringMatching(/^\*\.s3\.dualstack\./)]));
    if (mode === EgressMode.FIREWALL) expect(allowed).toEqual(expect.arrayContaining(['github.com', '*.github.com']));
    expect(resource(json, 'aws_route53_resolver_firewall_rule_group_association').priority).toBe(101);
    expect(resource(json, 'aws_route53_resolver_firewall_config').firewall_fail_open).toBe('DISABLED');
  });
  it('keeps the node names the bootstrap resolves and turns ".x" into the domain and its subdomains', () => {
    expect(nodeServiceDomains('eu-west-1')).toEqual(expect.arrayContaining(['autoscaling.eu-west-1.amazonaws.com', 'api.ecr.eu-west-1.amazonaws.com', '*.dkr.ecr.eu-west-1.amazonaws.com']));
    expect(dnsFirewallDomains(['.a.com', 'b.org', 'a.com'])).toEqual(['a.com', '*.a.com', 'b.org']);
  });
  it('moves the trail log group outside the vendor-readable prefix', () => {
    const { json } = synthAws(byocSpec());
    expect(resource(json, 'aws_cloudwatch_log_group', 'trail-logs').name).toBe('/audit/acme/cloudtrail');
    const read = policy(resource(json, 'aws_iam_role_policy', 'control-plane').policy).Statement.find((s) => s.Sid === 'ReadPlatformLogs');
    expect(read.Resource[0]).toMatch(/log-group:\/sandbox\/acme\/\*$/);
  });
  it('locks the trail bucket under hipaa for the retention floor and keeps noncurrent versions as long', () => {
    const { json } = synthAws(byocSpec({ compliance: ComplianceProfile.HIPAA }));
    expect(resource(json, 'aws_s3_bucket', 'trail-bucket').object_lock_enabled).toBe(true);
    expect(resource(json, 'aws_s3_bucket_object_lock_configuration').rule.default_retention).toEqual({ mode: 'GOVERNANCE', days: 2192 });
    expect(resource(json, 'aws_s3_bucket_lifecycle_configuration', 'trail-bucket').rule[0].noncurrent_version_expiration).toEqual([{ noncurrent_days: 2192 }]);
    expect(resource(json, 'aws_s3_bucket_lifecycle_configuration', 'access-logs').rule[0].noncurrent_version_expiration).toEqual([{ noncurrent_days: 2192 }]);
    expect(resource(json, 'aws_s3_bucket', 'access-logs').object_lock_enabled).toBeUndefined();
    expect(deps(resource(json, 'aws_cloudtrail'))).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_s3_bucket_object_lock_configuration\./)]));
    const soc2 = synthAws(byocSpec()).json;
    expect(soc2.resource.aws_s3_bucket_object_lock_configuration).toBeUndefined();
  });
  it('records vendor commands: SendCommand only with the recorded document, whose log the nodes ship', () => {
    const { json } = synthAws(byocSpec());
    const doc = resources(json, 'aws_ssm_document').find(([id]) => id.includes('run-recorded'))![1];
    expect(doc.name).toBe('sandbox-acme-run-recorded');
    const content = JSON.parse(doc.content);
    expect(content.parameters.script.interpolationType).toBe('ENV_VAR');
    expect(content.mainSteps[0].inputs.runCommand.join('\n')).toContain(`log=${COMMAND_AUDIT_LOG_FILE}`);
    const send = policy(resource(json, 'aws_iam_role_policy', 'control-plane').policy).Statement.find((s) => s.Sid === 'RunShellScriptDocument');
    expect(send.Resource).toMatch(/aws_ssm_document\.platform_shell-audit_run-recorded_\w+\.arn/);
    expect(userDataOf(resource(json, 'aws_launch_template'))).toContain('"log_group_name":"/audit/acme/commands"');
    const session = JSON.parse(resources(json, 'aws_ssm_document').find(([id]) => id.includes('session'))![1].content);
    expect(session.inputs).toEqual(expect.objectContaining({ cloudWatchLogGroupName: expect.stringMatching(/aws_cloudwatch_log_group/), cloudWatchEncryptionEnabled: true }));
    expect(json.resource.aws_ssm_document[Object.keys(json.resource.aws_ssm_document).find((k) => k.includes('account-session')) ?? 'none']).toBeUndefined();
    const { json: owned } = synthAws(byocSpec(), { manageAccountSessionPreferences: true });
    expect(resources(owned, 'aws_ssm_document').map(([, d]) => d.name)).toContain('SSM-SessionManagerRunShell');
  });
  it('keeps sandboxes off every VPC address (nodes, endpoints, the host itself)', () => {
    const { json } = synthAws(byocSpec());
    expect(userDataOf(resource(json, 'aws_launch_template'))).toMatch(/elements = \{ 169\.254\.0\.0\/16, 10\.64\.0\.0\/16 \}/);
  });
});

describe('consumer item 3: existingNetwork refuses what it cannot apply', () => {
  const existing = { vpcId: 'vpc-0abc', privateSubnetIds: ['subnet-1'], vpcCidr: '10.20.0.0/16' };
  it('lists every network field that would be dropped, with a fix', () => {
    let error: unknown;
    try {
      synthAws(byocSpec({ compliance: ComplianceProfile.HIPAA, network: { cidr: '10.64.0.0/16', zones: 3, egress: { mode: EgressMode.FIREWALL, allowedDomains: ['pypi.org'] } } }),
        { existingNetwork: existing });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpecValidationError);
    expect((error as SpecValidationError).issues.map((i) => i.path).sort()).toEqual(
      ['spec.network.cidr', 'spec.network.egress.allowedDomains', 'spec.network.egress.mode', 'spec.network.zones']);
    expect((error as SpecValidationError).message).toMatch(/existingNetwork/);
  });
  it('accepts the mode alone, warns about the preset controls the VPC must provide, and says so in the security group', () => {
    const { json, platform } = synthAws(byocSpec({ compliance: ComplianceProfile.HIPAA, network: { egress: { mode: EgressMode.NAT } } }), { existingNetwork: existing });
    expect(resource(json, 'aws_security_group').description).toMatch(/the existing VPC controls egress/);
    const warnings = platform.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data));
    expect(warnings.some((w) => /existingNetwork: the hipaa preset's network controls/.test(w))).toBe(true);
  });

  it('warns when the VPC CIDR is a reference the host guard cannot hold', () => {
    const { platform } = synthAws(byocSpec(), { existingNetwork: { ...existing, vpcCidr: '${data.aws_vpc.x.cidr_block}' } });
    const warnings = platform.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data));
    expect(warnings.some((w) => /vpcCidr is a Terraform reference/.test(w))).toBe(true);
  });
});

describe('consumer item 7: a key you bring', () => {
  it('exports the key-policy statements, naming the platform role', () => {
    const statements = awsPlatformKeyPolicyStatements({
      partition: 'aws', accountId: '123456789012', region: 'us-east-1',
      autoScalingServiceLinkedRoleArn: 'arn:aws:iam::123456789012:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling_acme',
    });
    expect(statements.map((s) => s.Sid)).toEqual(['AccountIamGovernsUse', 'CloudWatchLogs', 'CloudTrailEncrypt', 'CloudTrailDescribe',
      'CloudTrailDecryptForBucketKey', 'CloudWatchAlarmsToEncryptedSns', 'EventBridgeToEncryptedSns', 'AutoScalingUseForEbs', 'AutoScalingGrantsForEbs']);
    expect(statements.find((s) => s.Sid === 'AutoScalingUseForEbs')!.Principal).toEqual({ AWS: expect.stringMatching(/AWSServiceRoleForAutoScaling_acme$/) });
  });
  it('uses a role created beforehand, so an in-stack key policy can name it', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'k');
    new AwsProvider(stack, 'aws', { region: 'us-east-1' });
    const role = new AwsAutoScalingServiceLinkedRole(stack, 'slr', { suffix: 'acme' });
    new AwsSandboxPlatform(stack, 'p', { spec: byocSpec({ deployment: DeploymentModel.MANAGED, controlPlane: undefined }), kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/k', autoScalingServiceLinkedRole: role });
    const json = JSON.parse(Testing.synth(stack));
    expect(resources(json, 'aws_iam_service_linked_role')).toHaveLength(1);
    expect(resource(json, 'aws_autoscaling_group').service_linked_role_arn).toMatch(/aws_iam_service_linked_role\.slr_role_/);
  });
});
