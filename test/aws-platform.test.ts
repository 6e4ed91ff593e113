import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Lazy, TerraformStack, Testing, Token } from 'cdktf';
import { AwsSandboxPlatform, PRIVATE_ENDPOINT_SERVICES, awsBootstrapOptions, awsUserData } from '../lib/aws';
import { renderCloudInitUserData, renderHostBootstrap } from '../lib/host';
import {
  ComplianceProfile, ControlPlaneAccess, DeploymentModel, EgressMode, GpuModel, SandboxRuntime, SpecValidationError, Virtualization,
  resolvePlatform, CloudProvider,
} from '../lib/spec';
import { byocSpec, policy, resource, resources, synthAws, userDataOf } from './helpers';
import { SKIP_SHELLCHECK, expectShellcheckClean } from './shellcheck';

describe('AwsSandboxPlatform: nodes', () => {
  const { json } = synthAws(byocSpec({
    compliance: ComplianceProfile.HIPAA,
    sandboxPools: [
      { name: 'metal', instanceType: 'm7i.metal-24xl', warmNodes: 2, hugepagesMiB: 4096,
        capacity: { concurrentSandboxes: 500, vcpusPerSandbox: 2, memoryMiBPerSandbox: 2048, cpuOvercommit: 2 } },
      { name: 'nested', runtime: SandboxRuntime.KATA, virtualization: Virtualization.NESTED, instanceType: 'm8i.4xlarge', maxNodes: 5, spot: true },
      { name: 'gv', runtime: SandboxRuntime.GVISOR, maxNodes: 3 },
    ],
    gpuPools: [{ name: 'h100', gpu: GpuModel.H100, gpusPerNode: 8, maxNodes: 2 }],
  }));
  const lts = resources(json, 'aws_launch_template');

  it('requires IMDSv2 with hop limit 1 on every launch template', () => {
    expect(lts).toHaveLength(4);
    for (const [, lt] of lts) {
      expect(lt.metadata_options).toEqual(expect.objectContaining({ http_tokens: 'required', http_put_response_hop_limit: 1, http_endpoint: 'enabled' }));
    }
  });

  it('encrypts root volumes with the platform CMK and never assigns public IPs', () => {
    const keyArn = `\${${Object.keys(json.resource.aws_kms_key).map((id) => `aws_kms_key.${id}`)[0]}.arn}`;
    for (const [, lt] of lts) {
      expect(lt.block_device_mappings[0].ebs).toEqual(expect.objectContaining({ encrypted: 'true', kms_key_id: keyArn, volume_type: 'gp3' }));
      expect(lt.network_interfaces[0].associate_public_ip_address).toBe('false');
      expect(lt.monitoring).toEqual({ enabled: true });
      expect(lt.iam_instance_profile.arn).toMatch(/aws_iam_instance_profile\./);
    }
    for (const [, subnet] of resources(json, 'aws_subnet')) expect(subnet.map_public_ip_on_launch).toBe(false);
  });

  it('enables nested virtualization only on the nested pool, and raises the aws provider constraint with it', () => {
    expect(resource(json, 'aws_launch_template', 'pool-nested').cpu_options).toEqual({ nested_virtualization: 'enabled' });
    for (const pool of ['pool-metal', 'pool-gv', 'pool-h100']) expect(resource(json, 'aws_launch_template', pool).cpu_options).toBeUndefined();
    expect(json.terraform.required_providers.aws).toEqual({ source: 'aws', version: '>= 6.33.0, < 7.0.0' });
  });

  it('sizes the metal pool from its capacity plan', () => {
    const plan = resolvePlatform(byocSpec({
      sandboxPools: [{ name: 'metal', instanceType: 'm7i.metal-24xl', capacity: { concurrentSandboxes: 500, vcpusPerSandbox: 2, memoryMiBPerSandbox: 2048, cpuOvercommit: 2 } }],
    }), CloudProvider.AWS).pools[0].capacityPlan!;
    const asg = resource(json, 'aws_autoscaling_group', 'pool-metal');
    expect(asg.max_size).toBe(plan.maxNodes);
    expect(asg.min_size).toBe(plan.minNodes);
    // 96 vCPU - 5 reserved = 91 x 2 / 2 = 91 by CPU; memory 393216 - 21709 = 371507 / 2048 = 181: CPU-bound.
    expect(plan.sandboxesPerNode).toBe(91);
    expect(asg.max_size).toBe(6);
  });

  it('uses a warm pool for warmNodes and a spot mixed-instances policy for spot pools', () => {
    const metal = resource(json, 'aws_autoscaling_group', 'pool-metal');
    // plan: 91 per node, ceil(500 / 91) = 6 max, ceil(6 x 0.25) = 2 min; warm pool holds 2 beyond the minimum.
    expect(metal.warm_pool).toEqual(expect.objectContaining({ min_size: 2, pool_state: 'Stopped', max_group_prepared_capacity: 4 }));
    // A concrete version so that instance refresh starts when the template changes.
    expect(metal.launch_template.version).toMatch(/^\$\{aws_launch_template\.platform_pool-metal_lt_\w+\.latest_version\}$/);
    const nested = resource(json, 'aws_autoscaling_group', 'pool-nested');
    expect(nested.launch_template).toBeUndefined();
    expect(nested.mixed_instances_policy.instances_distribution.on_demand_percentage_above_base_capacity).toBe(0);
    expect(nested.mixed_instances_policy.launch_template.override).toEqual([{ instance_type: 'm8i.4xlarge' }]);
    expect(nested.mixed_instances_policy.launch_template.launch_template_specification.version).toMatch(/latest_version/);
    expect(nested.warm_pool).toBeUndefined();
  });

  it('places ASGs in the private subnets with instance refresh and group metrics', () => {
    for (const [, asg] of resources(json, 'aws_autoscaling_group')) {
      expect(asg.vpc_zone_identifier).toHaveLength(3);
      for (const s of asg.vpc_zone_identifier) expect(s).toMatch(/aws_subnet\.platform_network_private-\d/);
      expect(asg.instance_refresh.strategy).toBe('Rolling');
      expect(asg.enabled_metrics).toContain('GroupInServiceInstances');
      expect(asg.tag).toEqual(expect.arrayContaining([
        { key: 'sandbox-platform', value: 'acme', propagate_at_launch: true },
        { key: 'managed-by', value: 'cdktf-sandbox-byoc', propagate_at_launch: true },
      ]));
    }
    expect(resource(json, 'aws_autoscaling_group', 'pool-gv').tag).toEqual(expect.arrayContaining([{ key: 'sandbox-pool', value: 'gv', propagate_at_launch: true }]));
  });

  it('uses the NVIDIA driver AMI for GPU pools and AL2023 for KVM pools', () => {
    expect(resource(json, 'aws_launch_template', 'pool-h100').image_id).toMatch(/^resolve:ssm:\/aws\/service\/deeplearning\/.*nvidia-driver/);
    expect(resource(json, 'aws_launch_template', 'pool-h100').instance_type).toBe('p5.48xlarge');
    expect(resource(json, 'aws_launch_template', 'pool-metal').image_id).toBe('resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64');
  });

  it('renders the host bootstrap into user data: KVM check on KVM pools, nvidia-smi on GPU pools', () => {
    const metal = userDataOf(resource(json, 'aws_launch_template', 'pool-metal'));
    expect(metal).toContain('SANDBOX_KVM_MISSING');
    expect(metal).toContain('/var/lib/cloud/scripts/per-boot/');
    expect(metal).toContain('set-instance-health');
    expect(metal).toContain('/sandbox/acme/bootstrap');
    const gv = userDataOf(resource(json, 'aws_launch_template', 'pool-gv'));
    expect(gv).not.toMatch(/\/dev\/kvm is missing|check_kvm\b/);
    expect(userDataOf(resource(json, 'aws_launch_template', 'pool-h100'))).toContain('nvidia-smi');
  });

  it('holds every node in a launch lifecycle hook that the bootstrap completes', () => {
    for (const [, asg] of resources(json, 'aws_autoscaling_group')) {
      expect(asg.initial_lifecycle_hook).toEqual([expect.objectContaining({
        name: 'sandbox-bootstrap', lifecycle_transition: 'autoscaling:EC2_INSTANCE_LAUNCHING', default_result: 'ABANDON',
      })]);
    }
    const script = userDataOf(resource(json, 'aws_launch_template', 'pool-metal'));
    expect(script).toMatch(/complete-lifecycle-action .*--auto-scaling-group-name 'acme-metal' .*--lifecycle-action-result CONTINUE/);
    expect(script).toMatch(/complete-lifecycle-action .*--lifecycle-action-result ABANDON/);
    const nodePolicy = policy(resource(json, 'aws_iam_role_policy', 'node-identity').policy).Statement;
    expect(nodePolicy.find((s) => s.Sid === 'ReportOwnBootstrapOutcome')).toEqual(expect.objectContaining({
      Action: ['autoscaling:SetInstanceHealth', 'autoscaling:CompleteLifecycleAction'],
      Condition: { StringEquals: { 'aws:ResourceTag/sandbox-platform': 'acme' } },
    }));
  });

  it('gives nodes no inbound rules and only web egress under NAT', () => {
    for (const [, sg] of resources(json, 'aws_security_group')) {
      expect(sg.ingress).toEqual([]);
      for (const e of sg.egress) expect([80, 443]).toContain(e.from_port);
      for (const e of sg.egress) expect(e.protocol).toBe('tcp');
    }
  });
});

describe('AwsSandboxPlatform: network', () => {
  it('builds a VPC with closed default SG, ALL-traffic flow logs and one NAT per AZ under soc2', () => {
    const { json } = synthAws(byocSpec());
    expect(resource(json, 'aws_default_security_group')).toEqual(expect.objectContaining({ ingress: [], egress: [] }));
    const flow = resource(json, 'aws_flow_log');
    expect(flow.traffic_type).toBe('ALL');
    expect(flow.log_destination_type).toBe('cloud-watch-logs');
    expect(flow.vpc_id).toMatch(/aws_vpc\./);
    expect(resources(json, 'aws_nat_gateway')).toHaveLength(3);
    // Under NAT: only the free S3 gateway endpoint, without a policy (S3 is as open as the internet).
    expect(resources(json, 'aws_vpc_endpoint')).toHaveLength(1);
    expect(resource(json, 'aws_vpc_endpoint', 'ep-s3').policy).toBeUndefined();
    expect(resource(json, 'aws_vpc').cidr_block).toBe('10.64.0.0/16');
    expect(resources(json, 'aws_subnet').map(([, s]) => s.cidr_block).sort()).toEqual(
      ['10.64.0.0/18', '10.64.128.0/18', '10.64.192.0/21', '10.64.200.0/21', '10.64.208.0/21', '10.64.64.0/18'].sort());
  });

  it('uses pinned zones as given, and derives unpinned ones from the region, never from the zone list', () => {
    const { json } = synthAws(byocSpec({ network: { availabilityZones: ['us-east-1b', 'us-east-1d'] } }));
    expect(resources(json, 'aws_subnet').filter(([id]) => id.includes('private')).map(([, s]) => s.availability_zone)).toEqual(['us-east-1b', 'us-east-1d']);
    const { json: unpinned } = synthAws(byocSpec());
    expect(resource(unpinned, 'aws_subnet', 'private-1').availability_zone).toMatch(/^\$\{data\.aws_region\.\w+\.region\}b$/);
    const { json: literal } = synthAws(byocSpec(), { region: 'eu-west-1' });
    expect(resources(literal, 'aws_subnet').filter(([id]) => id.includes('private')).map(([, s]) => s.availability_zone))
      .toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
  });

  it('shares one NAT gateway under baseline', () => {
    const { json } = synthAws(byocSpec({ compliance: ComplianceProfile.BASELINE }));
    expect(resources(json, 'aws_nat_gateway')).toHaveLength(1);
    for (const [, r] of resources(json, 'aws_route').filter(([id]) => id.includes('private-default'))) {
      expect(r.nat_gateway_id).toMatch(/aws_nat_gateway\.platform_network_nat-0_/);
    }
  });

  it('without egress: no NAT or internet gateway, interface endpoints for every node service, endpoint-only node egress', () => {
    const { json } = synthAws(byocSpec({ network: { egress: { mode: EgressMode.NONE } } }));
    expect(json.resource.aws_nat_gateway).toBeUndefined();
    expect(json.resource.aws_internet_gateway).toBeUndefined();
    const services = resources(json, 'aws_vpc_endpoint').map(([, e]) => e.service_name.replace(/^com\.amazonaws\.\$\{[^}]+\}\./, ''));
    expect(services.sort()).toEqual([...PRIVATE_ENDPOINT_SERVICES, 's3'].sort());
    const sg = resource(json, 'aws_security_group', 'pool-fc');
    expect(sg.egress.map((e: { cidr_blocks?: string[] }) => e.cidr_blocks ?? [])).not.toContainEqual(['0.0.0.0/0']);
  });

  it('routes egress through AWS Network Firewall with the domain allow-list', () => {
    const { json } = synthAws(byocSpec({
      compliance: ComplianceProfile.HIPAA, network: { egress: { mode: EgressMode.FIREWALL, allowedDomains: ['pypi.org', '.github.com'] } },
    }));
    // AWS APIs stay reachable privately (the allow-list holds only the user's domains) ...
    const services = resources(json, 'aws_vpc_endpoint').map(([, e]) => e.service_name.replace(/^com\.amazonaws\.\$\{[^}]+\}\./, ''));
    expect(services.sort()).toEqual([...PRIVATE_ENDPOINT_SERVICES, 's3'].sort());
    // ... and S3 cannot be used to get around the firewall.
    const s3Policy = policy(resource(json, 'aws_vpc_endpoint', 'ep-s3').policy).Statement;
    expect(s3Policy[0].Condition).toEqual({ StringEquals: { 'aws:ResourceAccount': expect.stringMatching(/data\.aws_caller_identity/) } });
    expect(s3Policy[1].Action).toBe('s3:GetObject');
    const fw = resource(json, 'aws_networkfirewall_firewall');
    expect(fw).toEqual(expect.objectContaining({ delete_protection: true, firewall_policy_change_protection: true, subnet_change_protection: true }));
    expect(resource(json, 'aws_networkfirewall_logging_configuration').logging_configuration.log_destination_config.map((c: { log_type: string }) => c.log_type))
      .toEqual(['ALERT', 'FLOW']);
    const rg = resource(json, 'aws_networkfirewall_rule_group');
    expect(rg.rule_group.rules_source.rules_source_list).toEqual({ generated_rules_type: 'ALLOWLIST', target_types: ['TLS_SNI', 'HTTP_HOST'], targets: ['pypi.org', '.github.com'] });
    const pol = resource(json, 'aws_networkfirewall_firewall_policy');
    expect(pol.firewall_policy.stateful_default_actions).toContain('aws:drop_established');
    for (let i = 0; i < 3; i++) {
      const r = resource(json, 'aws_route', `private-default-${i}`);
      expect(r.vpc_endpoint_id).toMatch(/firewall_status\[0\]\.sync_states/);
      expect(resource(json, 'aws_route', `firewall-default-${i}`).nat_gateway_id).toMatch(new RegExp(`nat-${i}_`));
      expect(resource(json, 'aws_route', `public-return-${i}`).vpc_endpoint_id).toMatch(/sync_states/);
    }
  });

  it('composes into an existing VPC without creating one', () => {
    const { json } = synthAws(byocSpec(), { existingNetwork: { vpcId: 'vpc-0abc', privateSubnetIds: ['subnet-1', 'subnet-2'], vpcCidr: '10.1.0.0/16' } });
    expect(json.resource.aws_vpc).toBeUndefined();
    expect(json.resource.aws_subnet).toBeUndefined();
    expect(resource(json, 'aws_autoscaling_group').vpc_zone_identifier).toEqual(['subnet-1', 'subnet-2']);
    expect(resource(json, 'aws_security_group').vpc_id).toBe('vpc-0abc');
  });
});

describe('AwsSandboxPlatform: identity', () => {
  it('lets the vendor assume the control-plane role only with the external id, under a permissions boundary', () => {
    const { json } = synthAws(byocSpec());
    const role = resource(json, 'aws_iam_role', 'control-plane');
    const trust = policy(role.assume_role_policy).Statement[0];
    expect(trust.Principal).toEqual({ AWS: '${data.aws_partition.platform_context_partition_E5A7E64A.partition}'.replace(/\$\{.*\}/, trust.Principal.AWS.match(/\$\{[^}]+\}/)![0]).replace(/^/, 'arn:').concat(':iam::111122223333:root') });
    expect(trust.Condition).toEqual({ StringEquals: { 'sts:ExternalId': 'ext-id-123456' } });
    expect(role.permissions_boundary).toMatch(/aws_iam_policy\.platform_control-plane_boundary_.*\.arn/);
    // The boundary keeps the tag conditions: nothing attached later can reach other platforms.
    const boundary = policy(resource(json, 'aws_iam_policy', 'boundary').policy).Statement;
    expect(boundary.find((s) => s.Sid === 'ScaleOwnPools').Condition).toEqual({ StringEquals: { 'aws:ResourceTag/sandbox-platform': 'acme' } });
  });

  it('scopes OPERATE to the platform tag and keeps READ_ONLY to describe and read', () => {
    const statements = (access: ControlPlaneAccess) => {
      const { json } = synthAws(byocSpec({ controlPlane: { principal: '111122223333', externalId: 'ext-id-123456', access } }));
      return policy(resource(json, 'aws_iam_role_policy', 'control-plane').policy).Statement;
    };
    const operate = statements(ControlPlaneAccess.OPERATE);
    const scale = operate.find((s) => s.Sid === 'ScaleOwnPools');
    expect(scale.Action).toContain('autoscaling:SetDesiredCapacity');
    expect(scale.Condition).toEqual({ StringEquals: { 'aws:ResourceTag/sandbox-platform': 'acme' } });
    expect(operate.find((s) => s.Sid === 'RunCommandsOnOwnNodes').Condition).toEqual({ StringEquals: { 'ssm:resourceTag/sandbox-platform': 'acme' } });
    const readOnly = statements(ControlPlaneAccess.READ_ONLY);
    const actions = readOnly.flatMap((s) => [s.Action].flat());
    expect(actions).not.toContain('autoscaling:SetDesiredCapacity');
    expect(actions).not.toContain('ssm:SendCommand');
    expect(actions).not.toContain('s3:PutObject');
    expect(actions.every((a: string) => /:(Describe|List|Get|Filter|StartQuery|StopQuery|Decrypt|GenerateDataKey)/.test(a))).toBe(true);
  });

  it('grants nothing wildcard-admin to any role', () => {
    const { json } = synthAws(byocSpec());
    const docs = [...resources(json, 'aws_iam_role_policy').map(([, p]) => p.policy), ...resources(json, 'aws_iam_policy').map(([, p]) => p.policy)];
    for (const doc of docs) {
      for (const s of policy(doc).Statement) {
        const actions = [s.Action].flat();
        expect(actions).not.toContain('*');
        expect(actions.some((a: string) => a.endsWith(':*') && [s.Resource].flat().includes('*'))).toBe(false);
      }
    }
    for (const [, a] of resources(json, 'aws_iam_role_policy_attachment')) expect(a.policy_arn).not.toMatch(/AdministratorAccess/);
  });

  it('creates no control-plane role for a managed deployment', () => {
    const { json } = synthAws(byocSpec({ deployment: DeploymentModel.MANAGED, controlPlane: undefined }));
    expect(resources(json, 'aws_iam_role').map(([id]) => id).some((id) => id.includes('control-plane'))).toBe(false);
  });
});

describe('AwsSandboxPlatform: data, logs and audit per profile', () => {
  it.each([
    [ComplianceProfile.BASELINE, 90],
    [ComplianceProfile.SOC2, 365],
    [ComplianceProfile.HIPAA, 2192],
  ])('%s: every log group keeps logs %i days, encrypted with the CMK', (compliance, days) => {
    const { json } = synthAws(byocSpec({ compliance }));
    const groups = resources(json, 'aws_cloudwatch_log_group');
    expect(groups.length).toBeGreaterThanOrEqual(3);
    for (const [, g] of groups) {
      expect(g.retention_in_days).toBe(days);
      expect(g.kms_key_id).toMatch(/aws_kms_key\./);
    }
  });

  it('rounds a raised retention up to a value CloudWatch accepts', () => {
    const { json } = synthAws(byocSpec({ observability: { logRetentionDays: 400 } }));
    const days = (j: typeof json) => [...new Set(resources(j, 'aws_cloudwatch_log_group').map(([, g]) => g.retention_in_days))];
    expect(days(json)).toEqual([400]);
    const { json: j2 } = synthAws(byocSpec({ observability: { logRetentionDays: 500 } }));
    expect(days(j2)).toEqual([545]);
  });

  it('protects stateful resources under hipaa but not under baseline', () => {
    const hipaa = synthAws(byocSpec({ compliance: ComplianceProfile.HIPAA })).json;
    expect(resource(hipaa, 'aws_kms_key').lifecycle).toEqual({ prevent_destroy: true });
    expect(resource(hipaa, 'aws_s3_bucket', 'audit').lifecycle).toEqual({ prevent_destroy: true });
    const base = synthAws(byocSpec({ compliance: ComplianceProfile.BASELINE })).json;
    expect(resource(base, 'aws_kms_key').lifecycle).toBeUndefined();
    expect(resource(base, 'aws_kms_key').enable_key_rotation).toBe(true);
  });

  it('locks down the artifact bucket: SSE-KMS with the CMK, versioning, public access blocked, TLS only, access logs under soc2', () => {
    const { json } = synthAws(byocSpec());
    const sse = resource(json, 'aws_s3_bucket_server_side_encryption_configuration', 'artifacts');
    expect(sse.rule[0].apply_server_side_encryption_by_default).toEqual({ sse_algorithm: 'aws:kms', kms_master_key_id: expect.stringMatching(/aws_kms_key\./) });
    expect(resource(json, 'aws_s3_bucket_versioning', 'artifacts').versioning_configuration.status).toBe('Enabled');
    expect(resource(json, 'aws_s3_bucket_public_access_block', 'artifacts')).toEqual(expect.objectContaining({
      block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true,
    }));
    const deny = policy(resource(json, 'aws_s3_bucket_policy', 'artifacts').policy).Statement.find((s) => s.Sid === 'DenyInsecureTransport');
    expect(deny).toEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    expect(resource(json, 'aws_s3_bucket_logging', 'artifacts').target_bucket).toMatch(/access-logs/);
    expect(resource(json, 'aws_s3_bucket_lifecycle_configuration', 'artifacts').rule[0].noncurrent_version_expiration).toEqual([{ noncurrent_days: 30 }]);
  });

  it('records a multi-region trail with validation, the CMK and CloudWatch delivery; none with an organization trail', () => {
    const { json } = synthAws(byocSpec());
    expect(resource(json, 'aws_cloudtrail')).toEqual(expect.objectContaining({
      is_multi_region_trail: true, include_global_service_events: true, enable_log_file_validation: true, enable_logging: true,
      kms_key_id: expect.stringMatching(/aws_kms_key\./), cloud_watch_logs_group_arn: expect.stringMatching(/:\*$/),
    }));
    const org = synthAws(byocSpec({ observability: { existingOrganizationTrail: true } })).json;
    expect(org.resource.aws_cloudtrail).toBeUndefined();
  });

  it('uses the caller key instead of creating one', () => {
    const { json } = synthAws(byocSpec(), { kmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/abc' });
    expect(json.resource.aws_kms_key).toBeUndefined();
    expect(resource(json, 'aws_sns_topic').kms_master_key_id).toBe('arn:aws:kms:us-east-1:111122223333:key/abc');
  });

  it('alarms per pool and for failed bootstraps, to an encrypted topic with the alert e-mails', () => {
    const { json } = synthAws(byocSpec({ observability: { alertEmails: ['a@x.example', 'b@x.example'] } }));
    expect(resources(json, 'aws_sns_topic_subscription').map(([, s]) => s.endpoint)).toEqual(['a@x.example', 'b@x.example']);
    const names = resources(json, 'aws_cloudwatch_metric_alarm').map(([, a]) => a.alarm_name).sort();
    expect(names).toEqual(['acme-bootstrap-failed', 'acme-fc-at-max-size', 'acme-fc-unhealthy-instances', 'acme-gpu-driver-missing', 'acme-kvm-missing']);
    expect(resource(json, 'aws_cloudwatch_metric_alarm', 'at-max').threshold).toBe(4);
    expect(resource(json, 'aws_cloudwatch_log_metric_filter', 'kvm-missing').pattern).toBe('"ERROR SANDBOX_KVM_MISSING:"');
    const body = JSON.parse(resource(json, 'aws_cloudwatch_dashboard').dashboard_body);
    expect(body.widgets.length).toBe(3);
  });
});

describe('AwsSandboxPlatform: composition', () => {
  it('tags every taggable resource with the platform tags and user tags', () => {
    const { json } = synthAws(byocSpec({ tags: { team: 'infra' } }));
    let tagged = 0;
    for (const [type, byId] of Object.entries(json.resource)) {
      for (const [id, r] of Object.entries(byId)) {
        if (!('tags' in r)) continue;
        tagged++;
        expect({ type, id, tags: r.tags }).toEqual({ type, id, tags: expect.objectContaining({
          'sandbox-platform': 'acme', 'compliance-profile': 'soc2', 'deployment-model': 'byoc', 'managed-by': 'cdktf-sandbox-byoc', team: 'infra',
        }) });
      }
    }
    expect(tagged).toBeGreaterThan(30);
  });

  it('puts every resource on an aliased provider when one is given', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 't');
    new AwsProvider(stack, 'aws', { region: 'us-east-1' });
    const west = new AwsProvider(stack, 'west', { region: 'us-west-2', alias: 'west' });
    new AwsSandboxPlatform(stack, 'p', { spec: byocSpec(), provider: west });
    const json = JSON.parse(Testing.synth(stack));
    for (const group of [json.resource, json.data]) {
      for (const byId of Object.values(group) as Record<string, { provider?: string }>[]) {
        for (const r of Object.values(byId)) expect(r.provider).toBe('aws.west');
      }
    }
  });

  it('exposes the outputs a control plane needs', () => {
    const { json } = synthAws(byocSpec());
    expect(Object.keys(json.output!).sort()).toEqual([
      'acme_alert_topic_arn', 'acme_artifact_bucket', 'acme_autoscaling_group_names', 'acme_control_plane_role_arn',
      'acme_kms_key_arn', 'acme_node_role_arn', 'acme_private_subnet_ids', 'acme_vpc_id',
    ]);
  });

  it('fails at construction with every spec problem', () => {
    const bad = byocSpec({ name: 'Bad Name', controlPlane: undefined, sandboxPools: [{ name: 'x', minNodes: 5, maxNodes: 2 }] });
    let error: unknown;
    try {
      synthAws(bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpecValidationError);
    expect((error as SpecValidationError).issues.map((i) => i.path).sort()).toEqual(['controlPlane', 'name', 'sandboxPools[0].minNodes']);
  });

  it('synthesizes byte-identical JSON twice', () => {
    const spec = byocSpec({ gpuPools: [{ name: 'l4', gpu: GpuModel.L4 }] });
    expect(Testing.synth(synthAws(spec).stack)).toBe(Testing.synth(synthAws(spec).stack));
  });
});

describe('AWS host bootstrap', () => {
  it('refuses to encode a Terraform reference into user data', () => {
    const pool = resolvePlatform(byocSpec(), CloudProvider.AWS).pools[0];
    const token = Token.asString(Lazy.stringValue({ produce: () => 'x' }));
    expect(() => awsUserData(awsBootstrapOptions('acme', pool, token, 'acme-fc'))).toThrow(/unresolved Terraform reference/);
    expect(awsUserData(awsBootstrapOptions('acme', pool, '/sandbox/acme/bootstrap', 'acme-fc'))).toMatch(/^[A-Za-z0-9+/]+=*$/);
  });

  (SKIP_SHELLCHECK ? it.skip : it)('passes shellcheck as rendered for AWS pools', () => {
    const plan = resolvePlatform(byocSpec({
      sandboxPools: [{ name: 'fc', instanceType: 'c6id.metal', hugepagesMiB: 1024, bootstrapCommands: ['echo hello'] }],
      gpuPools: [{ name: 'g', gpu: GpuModel.T4 }],
    }), CloudProvider.AWS);
    for (const pool of plan.pools) {
      const opts = awsBootstrapOptions('acme', pool, '/sandbox/acme/bootstrap', `acme-${pool.name}`);
      expectShellcheckClean(renderHostBootstrap(opts), `${pool.name} bootstrap`);
      expectShellcheckClean(renderCloudInitUserData(opts), `${pool.name} user data`);
    }
  });
});

describe('AwsSandboxPlatform: compliance enforcement', () => {
  function stackWithOpenSsh(enforceCompliance?: boolean) {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'c');
    new AwsProvider(stack, 'aws', { region: 'us-east-1' });
    const platform = new AwsSandboxPlatform(stack, 'platform', { spec: byocSpec(), enforceCompliance });
    new SecurityGroup(stack, 'bastion', {
      vpcId: platform.vpcId,
      ingress: [{ protocol: 'tcp', fromPort: 22, toPort: 22, cidrBlocks: ['0.0.0.0/0'] }],
    });
    return app;
  }

  it('fails synth when a resource added next to the platform breaks the profile', () => {
    expect(() => stackWithOpenSsh().synth()).toThrow(/AWS-SG-ADMIN[\s\S]*aws_security_group\.bastion/);
  });

  it('can be opted out of explicitly', () => {
    expect(() => stackWithOpenSsh(false).synth()).not.toThrow();
  });
});
