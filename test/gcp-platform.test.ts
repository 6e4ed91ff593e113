import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import {
  GCP_CONTROL_PLANE_OPERATE_PERMISSIONS, GCP_CONTROL_PLANE_READ_PERMISSIONS, GcpSandboxPlatform, GCP_HEALTH_CHECK_RANGES, GCP_IAP_TCP_FORWARDING_RANGE,
  GCP_METADATA_VALUE_LIMIT, GCP_NODE_PROJECT_ROLES, GCP_PRIVATE_GOOGLE_APIS_RANGE, gcpBootstrapOptions, isGcpLabellable,
} from '../lib/gcp';
import { DNS_FILTER_PORT, renderHostBootstrap } from '../lib/host';
import {
  CloudProvider, ComplianceProfile, ControlPlaneAccess, DeploymentModel, EgressMode, GpuModel, SandboxRuntime, SpecValidationError,
  Virtualization, resolvePlatform,
} from '../lib/spec';
import { PROJECT, REGION, VENDOR, ZONES, gcpSpec, resource, resources, synthGcp } from './gcp-helpers';
import { SKIP_SHELLCHECK, expectShellcheckClean } from './shellcheck';

/* eslint-disable @typescript-eslint/no-explicit-any */
const startupScript = (t: any): string => t.metadata['startup-script'];

describe('GcpSandboxPlatform: nodes', () => {
  const { json } = synthGcp(gcpSpec({
    compliance: ComplianceProfile.HIPAA,
    sandboxPools: [
      { name: 'nested', runtime: SandboxRuntime.FIRECRACKER, virtualization: Virtualization.NESTED, instanceType: 'n2-standard-16', warmNodes: 2,
        hugepagesMiB: 4096, capacity: { concurrentSandboxes: 300, vcpusPerSandbox: 1, memoryMiBPerSandbox: 1024, cpuOvercommit: 4 } },
      { name: 'n1', runtime: SandboxRuntime.KATA, virtualization: Virtualization.NESTED, instanceType: 'n1-standard-16', maxNodes: 3 },
      { name: 'metal', runtime: SandboxRuntime.FIRECRACKER, instanceType: 'c3-standard-192-metal', maxNodes: 2 },
      { name: 'gv', runtime: SandboxRuntime.GVISOR, maxNodes: 5, spot: true },
    ],
    gpuPools: [{ name: 'l4', gpu: GpuModel.L4, maxNodes: 2 }, { name: 't4', gpu: GpuModel.T4, gpusPerNode: 2, maxNodes: 2 }],
  }));
  const templates = resources(json, 'google_compute_instance_template');
  const template = (pool: string) => resource(json, 'google_compute_instance_template', `pool-${pool}_`);

  it('turns on nested virtualization only for nested pools, with Skylake as the floor on N1', () => {
    expect(templates).toHaveLength(6);
    for (const pool of ['nested', 'n1']) expect(template(pool).advanced_machine_features).toEqual({ enable_nested_virtualization: true });
    for (const pool of ['metal', 'gv', 'l4', 't4']) expect(template(pool).advanced_machine_features).toBeUndefined();
    expect(template('n1').min_cpu_platform).toBe('Intel Skylake');
    expect(template('nested').min_cpu_platform).toBeUndefined();
    expect(template('nested').machine_type).toBe('n2-standard-16');
  });

  it('makes every node a Shielded VM with vTPM and integrity monitoring; Secure Boot off only for GPU driver images', () => {
    for (const [id, t] of templates) {
      expect({ id, ...t.shielded_instance_config }).toEqual(expect.objectContaining({ id, enable_vtpm: true, enable_integrity_monitoring: true }));
    }
    for (const pool of ['nested', 'n1', 'metal', 'gv']) expect(template(pool).shielded_instance_config.enable_secure_boot).toBe(true);
    for (const pool of ['l4', 't4']) expect(template(pool).shielded_instance_config.enable_secure_boot).toBe(false);
  });

  it('enforces OS Login, blocks project SSH keys and the serial port, and assigns no external IP', () => {
    for (const [, t] of templates) {
      expect(t.metadata).toEqual(expect.objectContaining({ 'enable-oslogin': 'TRUE', 'block-project-ssh-keys': 'true', 'serial-port-enable': 'false' }));
      expect(t.can_ip_forward).toBe(false);
      for (const nic of t.network_interface) {
        expect(nic.access_config).toBeUndefined();
        expect(nic.ipv6_access_config).toBeUndefined();
        expect(nic.subnetwork).toMatch(/google_compute_subnetwork\.platform_network_nodes_\w+\.id/);
      }
    }
  });

  it('runs as the node service account with the cloud-platform scope, never the default compute account', () => {
    for (const [, t] of templates) {
      expect(t.service_account.email).toMatch(/^\$\{google_service_account\.platform_node-identity_sa_\w+\.email\}$/);
      expect(t.service_account.scopes).toEqual(['https://www.googleapis.com/auth/cloud-platform']);
    }
  });

  it('encrypts every boot disk with the compute key and creates the templates after its grant', () => {
    for (const [, t] of templates) {
      const boot = t.disk.find((d: any) => d.boot);
      expect(boot.disk_encryption_key).toEqual({ kms_key_self_link: expect.stringMatching(/google_kms_crypto_key\.platform_keys_compute_\w+\.id/) });
      expect(t.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^time_sleep\.platform_compute-key-grant-propagation_/)]));
    }
    // The wait starts after the compute agent's grant: IAM changes take about 2 minutes to apply.
    const wait = resource(json, 'time_sleep', 'compute-key-grant-propagation');
    expect(wait.create_duration).toBe('120s');
    expect(wait.depends_on).toEqual([expect.stringMatching(/^google_kms_crypto_key_iam_member\.platform_keys_compute-agent_/)]);
    // Hyperdisk where Persistent Disk is not offered (bare metal), pd-balanced elsewhere.
    expect(template('metal').disk[0].disk_type).toBe('hyperdisk-balanced');
    expect(template('metal').network_interface[0].nic_type).toBe('IDPF');
    expect(template('nested').disk[0].disk_type).toBe('pd-balanced');
  });

  it('terminates GPU, metal and spot nodes on host maintenance and attaches guest accelerators only on N1', () => {
    for (const pool of ['l4', 't4', 'metal']) expect(template(pool).scheduling).toEqual(expect.objectContaining({ on_host_maintenance: 'TERMINATE', provisioning_model: 'STANDARD' }));
    expect(template('nested').scheduling.on_host_maintenance).toBe('MIGRATE');
    expect(template('gv').scheduling).toEqual({
      provisioning_model: 'SPOT', preemptible: true, automatic_restart: false, on_host_maintenance: 'TERMINATE', instance_termination_action: 'DELETE',
    });
    expect(template('t4').guest_accelerator).toEqual([{ type: 'nvidia-tesla-t4', count: 2 }]);
    expect(template('t4').machine_type).toBe('n1-standard-16');
    expect(template('l4').guest_accelerator).toBeUndefined();
    expect(template('l4').machine_type).toBe('g2-standard-4');
    for (const pool of ['l4', 't4']) expect(template(pool).disk[0].source_image).toMatch(/deeplearning-platform-release\/global\/images\/family\/.*nvidia/);
    expect(template('nested').disk[0].source_image).toBe('projects/ubuntu-os-cloud/global/images/family/ubuntu-2404-lts-amd64');
  });

  it('runs the host bootstrap as the startup script: KVM check on KVM pools, nvidia-smi on GPU pools, power-off on failure', () => {
    const nested = startupScript(template('nested'));
    expect(nested).toMatch(/^#!\/bin\/bash\n/);
    expect(nested).toContain('SANDBOX_KVM_MISSING');
    expect(nested).toContain('vm.nr_hugepages = 2048');
    expect(nested).toContain('systemctl poweroff --no-block');
    expect(nested).toContain('/etc/google-cloud-ops-agent/config.yaml');
    expect(nested).toContain('Metadata-Flavor: Google');
    expect(nested).not.toContain('/var/lib/cloud/scripts/per-boot'); // the startup-script runner runs it every boot
    expect(startupScript(template('gv'))).not.toContain('sandbox_check_kvm\n');
    expect(startupScript(template('l4'))).toContain('nvidia-smi');
  });

  it('spreads a regional group over the zones with rolling replacement, repair and a standby pool for warm nodes', () => {
    const plan = resolvePlatform(gcpSpec({
      sandboxPools: [{ name: 'nested', virtualization: Virtualization.NESTED, instanceType: 'n2-standard-16',
        capacity: { concurrentSandboxes: 300, vcpusPerSandbox: 1, memoryMiBPerSandbox: 1024, cpuOvercommit: 4 } }],
    }), CloudProvider.GCP).pools[0].capacityPlan!;
    const autoscaler = resource(json, 'google_compute_region_autoscaler', 'pool-nested_');
    expect(autoscaler.autoscaling_policy).toEqual(expect.objectContaining({ min_replicas: plan.minNodes, max_replicas: plan.maxNodes, mode: 'ON' }));
    expect(autoscaler.target).toMatch(/google_compute_region_instance_group_manager\.platform_pool-nested_group_\w+\.id/);
    const group = resource(json, 'google_compute_region_instance_group_manager', 'pool-nested_');
    expect(group).toEqual(expect.objectContaining({
      name: 'acme-nested', base_instance_name: 'acme-nested', region: REGION, target_stopped_size: 2,
      standby_policy: { mode: 'SCALE_OUT_POOL', initial_delay_sec: 600 },
      instance_lifecycle_policy: { default_action_on_failure: 'REPAIR', force_update_on_repair: 'YES' },
    }));
    expect(group.target_size).toBeUndefined(); // the autoscaler owns the size
    // Pinned zones, never a data source read at plan time (distribution_policy_zones is ForceNew).
    expect(group.distribution_policy_zones).toEqual(['us-central1-a', 'us-central1-b', 'us-central1-c']);
    expect(json.data?.google_compute_zones).toBeUndefined();
    expect(group.distribution_policy_target_shape).toBe('EVEN');
    expect(group.update_policy).toEqual(expect.objectContaining({
      type: 'PROACTIVE', minimal_action: 'REPLACE', max_surge_fixed: 3, max_unavailable_fixed: 0, instance_redistribution_type: 'PROACTIVE',
    }));
    expect(group.version).toEqual([{ name: 'primary', instance_template: expect.stringMatching(/\.self_link_unique\}$/) }]);
    expect(resource(json, 'google_compute_region_instance_group_manager', 'pool-gv_').standby_policy).toBeUndefined();
    expect(resource(json, 'google_compute_region_autoscaler', 'pool-l4_').autoscaling_policy).toEqual(expect.objectContaining({ min_replicas: 0, max_replicas: 2 }));
    // Templates are immutable: a change makes a new one before the old one goes.
    expect(template('nested')).toEqual(expect.objectContaining({ name_prefix: 'acme-nested-', lifecycle: { create_before_destroy: true } }));
  });

  it('uses explicit zones when given, from the construct or from spec.network.availabilityZones', () => {
    const { json: j } = synthGcp(gcpSpec(), { zones: ['us-central1-a', 'us-central1-b'] });
    const group = resource(j, 'google_compute_region_instance_group_manager');
    expect(group.distribution_policy_zones).toEqual(['us-central1-a', 'us-central1-b']);
    expect(group.update_policy.max_surge_fixed).toBe(2);
    expect(j.data?.google_compute_zones).toBeUndefined();
    // spec.network.availabilityZones was ignored before (only the construct prop set zones).
    const { json: fromSpec } = synthGcp(gcpSpec({ network: { availabilityZones: ['us-central1-c', 'us-central1-f'] } }));
    expect(resource(fromSpec, 'google_compute_region_instance_group_manager').distribution_policy_zones).toEqual(['us-central1-c', 'us-central1-f']);
  });

  it('places GPU and metal pools BALANCED (no proactive redistribution) in their own zones when given', () => {
    const { json: j, platform } = synthGcp(gcpSpec({
      sandboxPools: [{ name: 'fc', maxNodes: 2 }, { name: 'metal', instanceType: 'c3-standard-192-metal', maxNodes: 2 }],
      gpuPools: [{ name: 'l4', gpu: GpuModel.L4, maxNodes: 2 }],
    }), { poolZones: { l4: ['us-central1-a', 'us-central1-c'] } });
    const group = (pool: string) => resource(j, 'google_compute_region_instance_group_manager', `pool-${pool}_`);
    expect(group('fc')).toEqual(expect.objectContaining({ distribution_policy_target_shape: 'EVEN', distribution_policy_zones: ZONES }));
    for (const pool of ['metal', 'l4']) {
      expect(group(pool).distribution_policy_target_shape).toBe('BALANCED');
      expect(group(pool).update_policy.instance_redistribution_type).toBe('NONE');
    }
    expect(group('l4').distribution_policy_zones).toEqual(['us-central1-a', 'us-central1-c']);
    expect(group('l4').update_policy.max_surge_fixed).toBe(2);
    // The metal pool has no zones of its own: a warning names the check to run.
    const warnings = platform.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data));
    expect(warnings).toEqual(expect.arrayContaining([expect.stringContaining('pool metal (c3-standard-192-metal) spreads over us-central1-a')]));
    expect(warnings.filter((w) => w.includes('pool l4 (g2-standard-4) spreads over'))).toEqual([]);
  });

  it('attaches local NVMe SSDs where the machine type takes them, and assembles them in the bootstrap', () => {
    const { json: j } = synthGcp(gcpSpec(), { localSsdDisks: { fc: 2 } });
    const t = resource(j, 'google_compute_instance_template');
    expect(t.disk.slice(1)).toEqual([0, 1].map(() => ({ type: 'SCRATCH', disk_type: 'local-ssd', interface: 'NVME', disk_size_gb: 375, auto_delete: true })));
    expect(startupScript(t)).toContain('sandbox_find_nvme_disks');
    expect(() => synthGcp(gcpSpec(), { localSsdDisks: { fc: 3 } })).toThrow(/n2-standard-16 cannot attach 3 Local SSD disks; use one of 2, 4, 8, 16, 24/);
    expect(() => synthGcp(gcpSpec(), { localSsdDisks: { nope: 2 } })).toThrow(/localSsdDisks names pool "nope"/);
    // Bundled Local SSD (-lssd types) is assembled without extra disks.
    const { json: lssd } = synthGcp(gcpSpec({ sandboxPools: [{ name: 'fc', instanceType: 'c3-standard-22-lssd', maxNodes: 2 }] }));
    const lt = resource(lssd, 'google_compute_instance_template');
    expect(lt.disk).toHaveLength(1);
    expect(startupScript(lt)).toContain('sandbox_find_nvme_disks');
    expect(lt.network_interface[0].nic_type).toBe('GVNIC');
  });

  it('creates the nested-virtualization organization policy on request, before the nested groups', () => {
    const { json: j } = synthGcp(gcpSpec({ sandboxPools: [{ name: 'fc', maxNodes: 2 }, { name: 'gv', runtime: SandboxRuntime.GVISOR, maxNodes: 2 }] }),
      { allowNestedVirtualizationPolicy: true });
    expect(resource(j, 'google_org_policy_policy')).toEqual(expect.objectContaining({
      name: `projects/${PROJECT}/policies/compute.disableNestedVirtualization`, parent: `projects/${PROJECT}`, spec: { rules: [{ enforce: 'FALSE' }] },
    }));
    expect(resource(j, 'google_project_service', 'orgpolicy').service).toBe('orgpolicy.googleapis.com');
    expect(resource(j, 'google_compute_region_instance_group_manager', 'pool-fc_').depends_on)
      .toEqual(expect.arrayContaining([expect.stringMatching(/^google_org_policy_policy\./)]));
    expect(resource(j, 'google_compute_region_instance_group_manager', 'pool-gv_').depends_on)
      .not.toEqual(expect.arrayContaining([expect.stringMatching(/^google_org_policy_policy\./)]));
    expect(synthGcp(gcpSpec()).json.resource.google_org_policy_policy).toBeUndefined();
  });
});

describe('GcpSandboxPlatform: network', () => {
  it('creates a custom-mode VPC and a node subnet with Private Google Access and full flow logs', () => {
    const { json } = synthGcp(gcpSpec({ network: { cidr: '10.80.0.0/16' } }));
    expect(resource(json, 'google_compute_network')).toEqual(expect.objectContaining({
      name: 'acme-vpc', auto_create_subnetworks: false, routing_mode: 'REGIONAL', network_firewall_policy_enforcement_order: 'BEFORE_CLASSIC_FIREWALL',
      delete_default_routes_on_create: false,
    }));
    expect(resource(json, 'google_compute_subnetwork')).toEqual(expect.objectContaining({
      name: 'acme-nodes', region: REGION, ip_cidr_range: '10.80.0.0/16', private_ip_google_access: true,
      log_config: { aggregation_interval: 'INTERVAL_5_SEC', flow_sampling: 1, metadata: 'INCLUDE_ALL_METADATA' },
    }));
  });

  it.each([
    [EgressMode.NAT, true, false],
    [EgressMode.FIREWALL, true, true],
    [EgressMode.NONE, false, true],
  ])('egress %s: Cloud NAT %s, private googleapis.com zone %s', (mode, nat, zone) => {
    const egress = mode === EgressMode.FIREWALL ? { mode, allowedDomains: ['pypi.org'] } : { mode };
    const { json } = synthGcp(gcpSpec({ network: { egress } }));
    expect(resources(json, 'google_compute_router_nat')).toHaveLength(nat ? 1 : 0);
    expect(resources(json, 'google_compute_router')).toHaveLength(nat ? 1 : 0);
    if (nat) {
      expect(resource(json, 'google_compute_router_nat')).toEqual(expect.objectContaining({
        name: 'acme-nat', region: REGION, nat_ip_allocate_option: 'AUTO_ONLY', source_subnetwork_ip_ranges_to_nat: 'LIST_OF_SUBNETWORKS',
        log_config: { enable: true, filter: 'ERRORS_ONLY' }, enable_dynamic_port_allocation: true,
      }));
    }
    expect(resources(json, 'google_dns_managed_zone')).toHaveLength(zone ? 1 : 0);
    if (zone) {
      expect(resource(json, 'google_dns_managed_zone')).toEqual(expect.objectContaining({ dns_name: 'googleapis.com.', visibility: 'private' }));
      expect(resource(json, 'google_dns_record_set', 'googleapis_a_').rrdatas).toEqual(['199.36.153.8', '199.36.153.9', '199.36.153.10', '199.36.153.11']);
      expect(resource(json, 'google_dns_record_set', 'googleapis_cname_')).toEqual(expect.objectContaining({ name: '*.googleapis.com.', rrdatas: ['private.googleapis.com.'] }));
    }
    expect(resource(json, 'google_compute_network').delete_default_routes_on_create).toBe(mode === EgressMode.NONE);
    expect(resources(json, 'google_compute_route')).toHaveLength(mode === EgressMode.NONE ? 1 : 0);
    if (mode === EgressMode.NONE) {
      expect(resource(json, 'google_compute_route')).toEqual(expect.objectContaining({ dest_range: GCP_PRIVATE_GOOGLE_APIS_RANGE, next_hop_gateway: 'default-internet-gateway' }));
    }
  });

  const rulesOf = (json: any) => Object.fromEntries(resources(json, 'google_compute_network_firewall_policy_rule').map(([, r]) => [r.rule_name, r]));

  it('FIREWALL: allows the domains as FQDN objects and Google APIs, then denies all other egress and all ingress', () => {
    const { json } = synthGcp(gcpSpec({ network: { egress: { mode: EgressMode.FIREWALL, allowedDomains: ['pypi.org', '.github.com', 'github.com'] } } }));
    const rules = rulesOf(json);
    expect(rules['acme-allow-domains-0']).toEqual(expect.objectContaining({
      direction: 'EGRESS', action: 'allow', match: { dest_fqdns: ['pypi.org', 'github.com'], layer4_configs: [{ ip_protocol: 'tcp', ports: ['80', '443'] }] },
    }));
    expect(rules['acme-allow-node-domains-0'].match.dest_fqdns).toEqual(expect.arrayContaining(['dl.google.com', `${REGION}.gce.archive.ubuntu.com`]));
    expect(rules['acme-allow-google-apis'].match.dest_ip_ranges).toEqual([GCP_PRIVATE_GOOGLE_APIS_RANGE]);
    expect(rules['acme-allow-metadata'].match.dest_ip_ranges).toEqual(['169.254.169.254/32']);
    const deny = rules['acme-deny-egress'];
    expect(deny).toEqual(expect.objectContaining({ action: 'deny', direction: 'EGRESS', enable_logging: true,
      match: { dest_ip_ranges: ['0.0.0.0/0'], layer4_configs: [{ ip_protocol: 'all' }] } }));
    for (const r of Object.values(rules) as any[]) {
      if (r.direction === 'EGRESS' && r.action === 'allow') expect(r.priority).toBeLessThan(deny.priority);
      expect(r.target_service_accounts).toEqual([expect.stringMatching(/google_service_account\.platform_node-identity_sa_\w+\.email/)]);
    }
    expect(rules['acme-deny-ingress']).toEqual(expect.objectContaining({ action: 'deny', direction: 'INGRESS', match: expect.objectContaining({ src_ip_ranges: ['0.0.0.0/0'] }) }));
    expect(Object.values(rules).filter((r: any) => r.direction === 'INGRESS' && r.action === 'allow')).toEqual([]);
    expect(resource(json, 'google_compute_network_firewall_policy_association').attachment_target).toMatch(/google_compute_network\.platform_network_vpc_\w+\.id/);
    // ".github.com" cannot include subdomains with FQDN objects: warned, not silently widened.
    const app = Testing.app();
    const s = new TerraformStack(app, 's');
    new GoogleProvider(s, 'google', { project: PROJECT, region: REGION });
    const p = new GcpSandboxPlatform(s, 'p', { spec: gcpSpec({ network: { egress: { mode: EgressMode.FIREWALL, allowedDomains: ['.github.com'] } } }), project: PROJECT, region: REGION, zones: ZONES });
    expect(p.firewall.subdomainWildcards).toEqual(['.github.com']);
    expect(p.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => m.data)).toEqual(expect.arrayContaining([
      expect.stringContaining('".github.com" allows only "github.com" on GCP'),
    ]));
  });

  it('NAT: allows HTTP(S) anywhere and denies the rest; NONE: only Google APIs and the metadata server', () => {
    const natJson = synthGcp(gcpSpec()).json;
    const nat = rulesOf(natJson);
    expect(nat['acme-allow-web'].match).toEqual({ dest_ip_ranges: ['0.0.0.0/0'], layer4_configs: [{ ip_protocol: 'tcp', ports: ['80', '443'] }] });
    expect(nat['acme-deny-egress'].action).toBe('deny');
    expect(startupScript(resource(natJson, 'google_compute_instance_template'))).toContain('add-google-cloud-ops-agent-repo.sh');
    const noneJson = synthGcp(gcpSpec({ network: { egress: { mode: EgressMode.NONE } } })).json;
    expect(Object.keys(rulesOf(noneJson)).sort()).toEqual(['acme-allow-google-apis', 'acme-allow-metadata', 'acme-deny-egress', 'acme-deny-ingress']);
    // Nothing to download from without egress: the image must carry the Ops Agent.
    expect(startupScript(resource(noneJson, 'google_compute_instance_template'))).not.toContain('add-google-cloud-ops-agent-repo.sh');
  });

  it('never opens SSH from the internet; IAP SSH and health checks only on request, from their Google ranges', () => {
    const { json } = synthGcp(gcpSpec(), { allowIapSsh: true, healthCheckPort: 8080 });
    const rules = rulesOf(json);
    expect(rules['acme-allow-iap-ssh'].match).toEqual({ src_ip_ranges: [GCP_IAP_TCP_FORWARDING_RANGE], layer4_configs: [{ ip_protocol: 'tcp', ports: ['22'] }] });
    expect(rules['acme-allow-health-checks'].match).toEqual({ src_ip_ranges: GCP_HEALTH_CHECK_RANGES, layer4_configs: [{ ip_protocol: 'tcp', ports: ['8080'] }] });
    expect(resource(json, 'google_compute_health_check').tcp_health_check).toEqual({ port: 8080 });
    expect(resource(json, 'google_compute_region_instance_group_manager').auto_healing_policies).toEqual({
      health_check: expect.stringMatching(/google_compute_health_check\.platform_health-check_\w+\.id/), initial_delay_sec: 300,
    });
    for (const r of Object.values(rules) as any[]) {
      if (r.direction === 'INGRESS' && r.action === 'allow') expect(r.match.src_ip_ranges).not.toContain('0.0.0.0/0');
    }
    // The only VPC firewall rules are the fail-closed backstops below the policy.
    const vpcRules = Object.values(json.resource.google_compute_firewall ?? {}) as { direction: string; priority: number; deny?: unknown; allow?: unknown }[];
    expect(vpcRules).toHaveLength(2);
    for (const r of vpcRules) {
      expect(r).toEqual(expect.objectContaining({ priority: 65534, deny: [{ protocol: 'all' }] }));
      expect(r.allow).toBeUndefined();
    }
  });

  it('composes into an existing VPC without creating one, adding its rules to the caller policy when named', () => {
    const existingNetwork = { network: 'corp-vpc', subnetwork: `projects/${PROJECT}/regions/${REGION}/subnetworks/corp-sandboxes` };
    const { json } = synthGcp(gcpSpec(), { existingNetwork });
    for (const t of ['google_compute_network', 'google_compute_subnetwork', 'google_compute_router', 'google_compute_router_nat', 'google_dns_managed_zone']) {
      expect(json.resource[t]).toBeUndefined();
    }
    expect(resource(json, 'google_compute_instance_template').network_interface[0].subnetwork).toBe(existingNetwork.subnetwork);
    expect(resource(json, 'google_compute_network_firewall_policy_association').attachment_target).toBe(`projects/${PROJECT}/global/networks/corp-vpc`);
    expect(resource(json, 'google_logging_project_sink', 'observability').filter).toContain('resource.labels.subnetwork_name="corp-sandboxes"');
    const { json: j2 } = synthGcp(gcpSpec(), { existingNetwork: { ...existingNetwork, firewallPolicy: 'corp-policy', firewallPriorityBase: 20000 } });
    expect(j2.resource.google_compute_network_firewall_policy).toBeUndefined();
    expect(j2.resource.google_compute_network_firewall_policy_association).toBeUndefined();
    const rules = resources(j2, 'google_compute_network_firewall_policy_rule').map(([, r]) => r);
    expect(rules.every((r) => r.firewall_policy === 'corp-policy' && r.priority >= 20000 && r.priority < 21000)).toBe(true);
  });

  it('existing VPC with controlled egress: warns about googleapis.com DNS, or creates the private zone when asked', () => {
    const existingNetwork = { network: 'corp-vpc', subnetwork: 'corp-sandboxes' };
    const spec = gcpSpec({ network: { egress: { mode: EgressMode.NONE } } });
    const app = Testing.app();
    const s = new TerraformStack(app, 's');
    new GoogleProvider(s, 'google', { project: PROJECT, region: REGION });
    const p = new GcpSandboxPlatform(s, 'p', { spec, project: PROJECT, region: REGION, existingNetwork, zones: ZONES });
    expect(p.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => m.data)).toEqual(expect.arrayContaining([
      expect.stringContaining('the existing network must resolve *.googleapis.com there'),
    ]));
    const { json } = synthGcp(spec, { existingNetwork: { ...existingNetwork, createPrivateGoogleApisZone: true } });
    expect(resource(json, 'google_dns_managed_zone').private_visibility_config).toEqual({ networks: [{ network_url: `projects/${PROJECT}/global/networks/corp-vpc` }] });
  });
});

describe('GcpSandboxPlatform: keys and data', () => {
  it('rotates every key every 90 days (7776000s) and grants each service agent only its key', () => {
    const { json } = synthGcp(gcpSpec());
    const keys = resources(json, 'google_kms_crypto_key');
    expect(keys.map(([, k]) => k.name).sort()).toEqual(['acme-compute', 'acme-logging', 'acme-storage']);
    for (const [, k] of keys) {
      expect(k).toEqual(expect.objectContaining({ rotation_period: '7776000s', purpose: 'ENCRYPT_DECRYPT', lifecycle: { prevent_destroy: true } }));
      expect(k.key_ring).toMatch(/google_kms_key_ring\.platform_keys_ring_\w+\.id/);
    }
    expect(resource(json, 'google_kms_key_ring')).toEqual(expect.objectContaining({ location: REGION, name: 'acme-platform', lifecycle: { prevent_destroy: true } }));
    const grants = Object.fromEntries(resources(json, 'google_kms_crypto_key_iam_member').map(([, g]) => [g.crypto_key_id.match(/keys_(\w+?)_/)![1], g]));
    expect(grants.compute).toEqual(expect.objectContaining({
      role: 'roles/cloudkms.cryptoKeyEncrypterDecrypter',
      member: expect.stringMatching(/^serviceAccount:service-\$\{data\.google_project\.platform_context_project_\w+\.number\}@compute-system\.iam\.gserviceaccount\.com$/),
    }));
    expect(grants.storage.member).toMatch(/^\$\{data\.google_storage_project_service_account\.platform_context_storage-agent_\w+\.member\}$/);
    expect(grants.logging.member).toMatch(/^serviceAccount:\$\{data\.google_logging_project_cmek_settings\.[\w-]+\.service_account_id\}$/);
  });

  it('protects keys and buckets under soc2 but not under baseline', () => {
    const base = synthGcp(gcpSpec({ compliance: ComplianceProfile.BASELINE })).json;
    for (const [, k] of resources(base, 'google_kms_crypto_key')) expect(k.lifecycle).toBeUndefined();
    for (const [, b] of resources(base, 'google_storage_bucket')) expect(b.lifecycle).toBeUndefined();
    const soc2 = synthGcp(gcpSpec()).json;
    for (const [, b] of resources(soc2, 'google_storage_bucket')) expect(b.lifecycle).toEqual({ prevent_destroy: true });
  });

  it('uses the caller key for everything, granting the service agents on it unless told not to', () => {
    const key = `projects/${PROJECT}/locations/${REGION}/keyRings/corp/cryptoKeys/sandboxes`;
    const { json } = synthGcp(gcpSpec(), { kmsKeyId: key });
    expect(json.resource.google_kms_key_ring).toBeUndefined();
    expect(json.resource.google_kms_crypto_key).toBeUndefined();
    expect(resources(json, 'google_kms_crypto_key_iam_member').map(([, g]) => g.crypto_key_id)).toEqual([key, key, key]);
    expect(resource(json, 'google_storage_bucket', 'artifacts').encryption).toEqual({ default_kms_key_name: key });
    expect(resource(json, 'google_compute_instance_template').disk[0].disk_encryption_key.kms_key_self_link).toBe(key);
    const { json: j2 } = synthGcp(gcpSpec(), { kmsKeyId: key, grantKmsKeyToServiceAgents: false });
    expect(j2.resource.google_kms_crypto_key_iam_member).toBeUndefined();
  });

  it('locks down the artifact bucket: CMEK, uniform access, public access prevention, versioning, usage logs, noncurrent expiry', () => {
    const { json } = synthGcp(gcpSpec());
    const bucket = resource(json, 'google_storage_bucket', 'artifacts_');
    expect(bucket).toEqual(expect.objectContaining({
      name: `${PROJECT}-acme-artifacts`, location: 'US-CENTRAL1', uniform_bucket_level_access: true, public_access_prevention: 'enforced',
      versioning: { enabled: true }, encryption: { default_kms_key_name: expect.stringMatching(/google_kms_crypto_key\.platform_keys_storage_\w+\.id/) },
    }));
    // Created after the storage agent's grant has had time to propagate (GCS checks the key at creation).
    expect(bucket.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^time_sleep\.platform_storage-key-grant-propagation_/)]));
    expect(resource(json, 'time_sleep', 'storage-key-grant-propagation').depends_on)
      .toEqual([expect.stringMatching(/^google_kms_crypto_key_iam_member\.platform_keys_storage-agent_/)]);
    expect(bucket.lifecycle_rule).toContainEqual({ action: { type: 'Delete' }, condition: { days_since_noncurrent_time: 30, with_state: 'ARCHIVED' } });
    // Object access is recorded by Data Access audit logs, not legacy usage logs: no usage-log bucket and no
    // grant to cloud-storage-analytics@google.com (a group of another customer, rejected by Domain Restricted Sharing).
    expect(bucket.logging).toBeUndefined();
    expect(resources(json, 'google_storage_bucket')).toHaveLength(1);
    expect(JSON.stringify(json)).not.toContain('cloud-storage-analytics@google.com');
    expect(resource(json, 'google_project_iam_audit_config').audit_log_config).toEqual(expect.arrayContaining([{ log_type: 'DATA_READ' }, { log_type: 'DATA_WRITE' }]));
  });

  it.each([
    [ComplianceProfile.BASELINE, 90, undefined],
    [ComplianceProfile.SOC2, 365, undefined],
    [ComplianceProfile.HIPAA, 2192, true],
  ])('%s: the log bucket keeps logs %i days (locked: %s) with CMEK, and the sink routes the platform logs', (compliance, days, locked) => {
    const { json } = synthGcp(gcpSpec({ compliance }));
    const bucket = resource(json, 'google_logging_project_bucket_config', 'observability');
    expect(bucket).toEqual(expect.objectContaining({ bucket_id: 'acme-platform', location: REGION, retention_days: days,
      cmek_settings: { kms_key_name: expect.stringMatching(/google_kms_crypto_key\.platform_keys_logging_\w+\.id/) } }));
    expect(bucket.locked).toBe(locked);
    const sink = resource(json, 'google_logging_project_sink', 'observability');
    expect(sink.destination).toBe(`logging.googleapis.com/projects/${PROJECT}/locations/${REGION}/buckets/acme-platform`);
    expect(sink.filter).toContain('sandbox-bootstrap[acme/');
    expect(sink.filter).toContain('resource.labels.gateway_name="acme-nat"');
    // Never audit logs, host logins or DNS query logs: the vendor reads this bucket.
    expect(sink.filter).toMatch(/\) AND NOT \(logName:"cloudaudit\.googleapis\.com" OR log_id\("sandbox_host_auth"\) OR resource\.type="dns_query"\)$/);
    if (compliance !== ComplianceProfile.BASELINE) {
      const audit = resource(json, 'google_logging_project_bucket_config', 'audit');
      expect(audit).toEqual(expect.objectContaining({ bucket_id: 'acme-audit', location: REGION, retention_days: days,
        cmek_settings: { kms_key_name: expect.stringMatching(/google_kms_crypto_key\.platform_keys_logging_\w+\.id/) } }));
      expect(audit.locked).toBe(locked);
    }
  });

  it('turns on Data Access audit logs for all services under soc2 and hipaa, not under baseline or with an organization trail', () => {
    const audit = (spec: Parameters<typeof gcpSpec>[0]) => resources(synthGcp(gcpSpec(spec)).json, 'google_project_iam_audit_config').map(([, a]) => a);
    expect(audit({})).toEqual([{ project: PROJECT, service: 'allServices', depends_on: [expect.stringMatching(/^time_sleep\.platform_apis_propagation_/)],
      audit_log_config: [{ log_type: 'ADMIN_READ' }, { log_type: 'DATA_READ' }, { log_type: 'DATA_WRITE' }] }]);
    expect(audit({ compliance: ComplianceProfile.HIPAA })).toHaveLength(1);
    expect(audit({ compliance: ComplianceProfile.BASELINE })).toEqual([]);
    expect(audit({ observability: { existingOrganizationTrail: true } })).toEqual([]);
    const { json } = synthGcp(gcpSpec());
    // The audit copy goes to its own bucket, never the platform bucket the vendor reads.
    expect(resource(json, 'google_logging_project_sink', 'audit')).toEqual(expect.objectContaining({
      filter: '(logName:"cloudaudit.googleapis.com" OR log_id("sandbox_host_auth") OR resource.type="dns_query")',
      destination: `logging.googleapis.com/projects/${PROJECT}/locations/${REGION}/buckets/acme-audit`,
    }));
  });

  it('alerts per pool and on missing KVM through e-mail channels, with one dashboard', () => {
    const { json } = synthGcp(gcpSpec({ observability: { alertEmails: ['a@x.example', 'b@x.example'] } }));
    expect(resources(json, 'google_monitoring_notification_channel').map(([, c]) => [c.type, c.labels])).toEqual([
      ['email', { email_address: 'a@x.example' }], ['email', { email_address: 'b@x.example' }],
    ]);
    const policies = resources(json, 'google_monitoring_alert_policy').map(([, p]) => p);
    expect(policies.map((p) => p.display_name).sort()).toEqual(['acme: failed bootstrap in pool fc', 'acme: node without /dev/kvm', 'acme: pool fc at its maximum']);
    for (const p of policies) expect(p.notification_channels).toHaveLength(2);
    const atMax = policies.find((p) => p.display_name.includes('maximum')).conditions[0].condition_threshold;
    expect(atMax).toEqual(expect.objectContaining({ comparison: 'COMPARISON_GT', threshold_value: 3.5, duration: '900s' }));
    expect(atMax.filter).toContain('resource.labels.instance_group_name="acme-fc"');
    const metric = resource(json, 'google_logging_metric', 'kvm-missing');
    expect(metric.filter).toContain('SANDBOX_KVM_MISSING');
    expect(metric.metric_descriptor).toEqual(expect.objectContaining({ metric_kind: 'DELTA', value_type: 'INT64' }));
    // Log-match alerts: no metric descriptor to wait for, so no 404 on the first apply (review finding 1).
    for (const p of policies.filter((x) => !x.display_name.includes('maximum'))) {
      expect(p.conditions[0].condition_threshold).toBeUndefined();
      expect(p.conditions[0].condition_matched_log.filter).not.toContain('logging.googleapis.com/user/');
      expect(p.alert_strategy).toEqual({ auto_close: '1800s', notification_rate_limit: { period: '3600s' } });
      expect(JSON.stringify(p.depends_on ?? [])).not.toContain('google_logging_metric');
    }
    // Each failure counted once: one stream (the startup-script runner) and the "ERROR <marker>:" line only.
    const kvm = policies.find((p) => p.display_name.includes('kvm')).conditions[0].condition_matched_log.filter;
    expect(kvm).toContain('log_id("google_metadata_script_runner")');
    expect(kvm).toContain('textPayload:"ERROR SANDBOX_KVM_MISSING:"');
    const failed = policies.find((p) => p.display_name.includes('failed bootstrap')).conditions[0].condition_matched_log.filter;
    expect(failed).toContain('"ERROR SANDBOX_BOOTSTRAP_FAILED:"');
    expect(failed).toContain('sandbox-bootstrap[acme/fc]');
    expect(resource(json, 'google_logging_metric', 'fc-bootstrap-failed').filter).toBe(failed);
    const dashboard = JSON.parse(resource(json, 'google_monitoring_dashboard').dashboard_json);
    expect(dashboard.gridLayout.widgets.map((w: any) => w.title)).toEqual(['fc: nodes (max 4)', 'fc: CPU utilization', 'Nodes without /dev/kvm']);
  });

  it('raises no at-max alert for a pool whose minimum is its maximum, and no KVM alert without a KVM pool', () => {
    const { json } = synthGcp(gcpSpec({ sandboxPools: [{ name: 'gv', runtime: SandboxRuntime.GVISOR, minNodes: 3, maxNodes: 3 }] }));
    expect(resources(json, 'google_monitoring_alert_policy').map(([, p]) => p.display_name)).toEqual(['acme: failed bootstrap in pool gv']);
  });
});

describe('GcpSandboxPlatform: identity', () => {
  it('gives the nodes only log and metric writer on the project and object read on the artifact bucket', () => {
    const { json } = synthGcp(gcpSpec());
    const node = resource(json, 'google_service_account', 'node-identity');
    expect(node.account_id).toBe('acme-nodes');
    const projectRoles = resources(json, 'google_project_iam_member').filter(([id]) => id.includes('node-identity')).map(([, m]) => m.role);
    expect(projectRoles.sort()).toEqual([...GCP_NODE_PROJECT_ROLES].sort());
    const read = resource(json, 'google_storage_bucket_iam_member', 'artifact-read');
    expect(read).toEqual({ depends_on: expect.any(Array), bucket: expect.stringMatching(/google_storage_bucket\.platform_artifacts_\w+\.name/), role: 'roles/storage.objectViewer',
      member: expect.stringMatching(/google_service_account\.platform_node-identity_sa_\w+\.member/) });
  });

  it('grants no primitive role anywhere', () => {
    const { json } = synthGcp(gcpSpec());
    const roles = ['google_project_iam_member', 'google_storage_bucket_iam_member', 'google_service_account_iam_member', 'google_kms_crypto_key_iam_member']
      .flatMap((t) => resources(json, t).map(([, m]) => m.role));
    expect(roles.length).toBeGreaterThan(8);
    for (const r of roles) expect(['roles/owner', 'roles/editor', 'roles/viewer']).not.toContain(r);
  });

  it('lets only the vendor impersonate the operator service account', () => {
    const { json } = synthGcp(gcpSpec());
    const sa = resource(json, 'google_service_account', 'control-plane');
    expect(sa.account_id).toBe('acme-control');
    expect(resource(json, 'google_service_account_iam_member')).toEqual({
      depends_on: [expect.stringMatching(/^time_sleep\.platform_apis_propagation_/)],
      service_account_id: expect.stringMatching(/google_service_account\.platform_control-plane_sa_\w+\.name/),
      role: 'roles/iam.serviceAccountTokenCreator', member: `serviceAccount:${VENDOR}`,
    });
    // Not on the project: token creator there would allow impersonating every service account.
    const projectRoles = resources(json, 'google_project_iam_member').map(([, m]) => m.role);
    expect(projectRoles).not.toContain('roles/iam.serviceAccountTokenCreator');
  });

  it('OPERATE: read role, plus update on exactly this platform\'s groups and autoscalers by IAM condition; READ_ONLY: get/list only', () => {
    const roles = (access: ControlPlaneAccess) => {
      const { json } = synthGcp(gcpSpec({
        controlPlane: { principal: VENDOR, access },
        sandboxPools: [{ name: 'fc', maxNodes: 2 }, { name: 'gv', runtime: SandboxRuntime.GVISOR, maxNodes: 2 }],
      }));
      return { json, custom: Object.fromEntries(resources(json, 'google_project_iam_custom_role').map(([, r]) => [r.role_id, r])) };
    };
    const operate = roles(ControlPlaneAccess.OPERATE);
    expect(Object.keys(operate.custom).sort()).toEqual(['acme_control_plane_operate', 'acme_control_plane_read']);
    expect(operate.custom.acme_control_plane_operate.permissions).toEqual(GCP_CONTROL_PLANE_OPERATE_PERMISSIONS);
    expect(operate.custom.acme_control_plane_read.permissions).toEqual(GCP_CONTROL_PLANE_READ_PERMISSIONS);
    const binding = resources(operate.json, 'google_project_iam_member').map(([, m]) => m).find((m) => /operate-role/.test(m.role));
    expect(binding.role).toMatch(/google_project_iam_custom_role\.platform_control-plane_operate-role_\w+\.name/);
    expect(binding.condition.expression).toBe([
      `resource.name == "projects/${PROJECT}/regions/${REGION}/instanceGroupManagers/acme-fc"`,
      `resource.name == "projects/${PROJECT}/regions/${REGION}/autoscalers/acme-fc"`,
      `resource.name == "projects/${PROJECT}/regions/${REGION}/instanceGroupManagers/acme-gv"`,
      `resource.name == "projects/${PROJECT}/regions/${REGION}/autoscalers/acme-gv"`,
    ].join(' || '));
    expect(resource(operate.json, 'google_storage_bucket_iam_member', 'control-plane').role).toBe('roles/storage.objectUser');

    const readOnly = roles(ControlPlaneAccess.READ_ONLY);
    expect(Object.keys(readOnly.custom)).toEqual(['acme_control_plane_read']);
    expect(readOnly.custom.acme_control_plane_read.permissions.every((p: string) => /\.(get|list)$/.test(p))).toBe(true);
    expect(resource(readOnly.json, 'google_storage_bucket_iam_member', 'control-plane').role).toBe('roles/storage.objectViewer');
  });

  it('creates no control-plane identity for a managed deployment', () => {
    const { json } = synthGcp(gcpSpec({ deployment: DeploymentModel.MANAGED, controlPlane: undefined }));
    expect(resources(json, 'google_service_account')).toHaveLength(1);
    expect(json.resource.google_project_iam_custom_role).toBeUndefined();
    expect(json.resource.google_service_account_iam_member).toBeUndefined();
    expect(json.output!.acme_control_plane_service_account).toBeUndefined();
  });
});

describe('GcpSandboxPlatform: composition', () => {
  it('labels every labellable resource with the platform labels, the pool label on pool resources', () => {
    const { stack, json } = synthGcp(gcpSpec({
      tags: { team: 'infra' }, observability: { alertEmails: ['a@x.example'] }, gpuPools: [{ name: 'l4', gpu: GpuModel.L4 }],
      network: { egress: { mode: EgressMode.FIREWALL, allowedDomains: ['pypi.org'] } },
    }));
    const expected = { 'sandbox-platform': 'acme', 'compliance-profile': 'soc2', 'deployment-model': 'byoc', 'managed-by': 'cdktf-sandbox-byoc', team: 'infra' };
    const labellable = new Set(stack.node.findAll().filter(isGcpLabellable).map((c) => (c as unknown as { terraformResourceType: string }).terraformResourceType));
    expect([...labellable].sort()).toEqual(['google_compute_instance_template', 'google_dns_managed_zone', 'google_kms_crypto_key', 'google_monitoring_alert_policy',
      'google_monitoring_notification_channel', 'google_storage_bucket']);
    let labelled = 0;
    for (const type of labellable) {
      for (const [id, r] of resources(json, type)) {
        labelled++;
        const labels = type.startsWith('google_monitoring_') ? r.user_labels : r.labels;
        expect({ type, id, labels }).toEqual({ type, id, labels: expect.objectContaining(expected) });
        for (const v of Object.values(labels) as string[]) expect(v).toMatch(/^[a-z0-9_-]{0,63}$/);
      }
    }
    expect(labelled).toBeGreaterThan(12);
    expect(resource(json, 'google_compute_instance_template', 'pool-l4').labels['sandbox-pool']).toBe('l4');
    // A notification channel's `labels` is its configuration, not resource labels.
    expect(resource(json, 'google_monitoring_notification_channel').labels).toEqual({ email_address: 'a@x.example' });
  });

  it('puts every resource and data source on an aliased provider when one is given', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 't');
    new GoogleProvider(stack, 'google', { project: PROJECT, region: REGION });
    const eu = new GoogleProvider(stack, 'eu', { project: PROJECT, region: 'europe-west4', alias: 'eu' });
    new GcpSandboxPlatform(stack, 'p', { spec: gcpSpec(), project: PROJECT, region: 'europe-west4', provider: eu, zones: ['europe-west4-a', 'europe-west4-b'] });
    const json = JSON.parse(Testing.synth(stack));
    for (const group of [json.resource, json.data]) {
      for (const [type, byId] of Object.entries(group) as [string, Record<string, { provider?: string }>][]) {
        // time_sleep is hashicorp/time's, not google's.
        for (const r of Object.values(byId)) expect({ type, provider: r.provider }).toEqual({ type, provider: type === 'time_sleep' ? undefined : 'google.eu' });
      }
    }
  });

  it('exposes the outputs a control plane needs', () => {
    const { json } = synthGcp(gcpSpec());
    expect(Object.keys(json.output!).sort()).toEqual([
      'acme_artifact_bucket', 'acme_control_plane_service_account', 'acme_instance_group_managers', 'acme_kms_keys', 'acme_log_bucket',
      'acme_network', 'acme_node_service_account', 'acme_subnetwork',
    ]);
    expect(json.output!.acme_instance_group_managers.value).toEqual({ fc: expect.stringMatching(/google_compute_region_instance_group_manager\.[\w-]+\.self_link/) });
  });

  it('fails at construction with every spec problem, checked against the GCP catalog', () => {
    const bad = gcpSpec({ name: 'Bad Name', controlPlane: { principal: '111122223333' }, gpuPools: [{ name: 'a10', gpu: GpuModel.A10 }] });
    let error: unknown;
    try {
      synthGcp(bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpecValidationError);
    expect((error as SpecValidationError).issues.map((i) => i.path).sort()).toEqual(['controlPlane.principal', 'gpuPools[0].gpu', 'name']);
  });

  it('synthesizes byte-identical JSON twice', () => {
    const spec = gcpSpec({ gpuPools: [{ name: 'l4', gpu: GpuModel.L4 }], network: { egress: { mode: EgressMode.FIREWALL, allowedDomains: ['pypi.org'] } } });
    expect(Testing.synth(synthGcp(spec).stack)).toBe(Testing.synth(synthGcp(spec).stack));
  });
});

describe('GCP host bootstrap', () => {
  (SKIP_SHELLCHECK ? it.skip : it)('passes shellcheck as rendered for GCP pools', () => {
    const plan = resolvePlatform(gcpSpec({
      sandboxPools: [
        { name: 'fc', instanceType: 'c3-standard-22-lssd', hugepagesMiB: 1024, bootstrapCommands: ['echo hello'] },
        { name: 'gv', runtime: SandboxRuntime.GVISOR },
      ],
      gpuPools: [{ name: 'g', gpu: GpuModel.T4 }],
    }), CloudProvider.GCP);
    for (const pool of plan.pools) {
      expectShellcheckClean(renderHostBootstrap(gcpBootstrapOptions('acme', pool, { attachedLocalSsd: pool.name === 'gv' })), pool.name);
      expectShellcheckClean(renderHostBootstrap(gcpBootstrapOptions('acme', pool, { egress: EgressMode.FIREWALL, allowedDomains: ['pypi.org', '.github.com'] })),
        `${pool.name} with the DNS filter`);
    }
  });

  it('firewall egress needs the allow-list for the DNS filter', () => {
    const pool = resolvePlatform(gcpSpec(), CloudProvider.GCP).pools[0];
    expect(() => gcpBootstrapOptions('acme', pool, { egress: EgressMode.FIREWALL }))
      .toThrow('pool fc: egress "firewall" needs allowedDomains for the sandbox DNS filter (network.egress.allowedDomains)');
    expect(gcpBootstrapOptions('acme', pool, { egress: EgressMode.NAT, allowedDomains: ['pypi.org'] }).dnsFilter).toBeUndefined();
  });
});

describe('GcpSandboxPlatform: first apply on a fresh project (review findings 2, 13)', () => {
  const { json } = synthGcp(gcpSpec({
    network: { egress: { mode: EgressMode.FIREWALL, allowedDomains: ['pypi.org'] } },
    gpuPools: [{ name: 'l4', gpu: GpuModel.L4, maxNodes: 2 }],
  }), { allowIapSsh: true });

  it('enables every API it uses, never disabling them on destroy, and waits before using them', () => {
    const services = resources(json, 'google_project_service').map(([, s]) => s);
    expect(services.map((s) => s.service).sort()).toEqual([
      'cloudkms.googleapis.com', 'cloudresourcemanager.googleapis.com', 'compute.googleapis.com', 'dns.googleapis.com', 'iam.googleapis.com',
      'iamcredentials.googleapis.com', 'logging.googleapis.com', 'monitoring.googleapis.com', 'storage.googleapis.com',
    ]);
    for (const s of services) expect(s).toEqual(expect.objectContaining({ project: PROJECT, disable_on_destroy: false }));
    for (const s of services) expect(s.disable_dependent_services).toBeUndefined();
    const wait = resource(json, 'time_sleep', 'apis_propagation');
    expect(wait.create_duration).toBe('120s');
    expect(wait.depends_on).toHaveLength(services.length);
  });

  it('makes every Google resource and data source wait for the APIs (data sources are then read at apply on the first run)', () => {
    const waits = (r: any) => (r.depends_on ?? []).some((d: string) => /^time_sleep\.platform_apis_propagation_/.test(d));
    for (const group of [json.resource, json.data ?? {}]) {
      for (const [type, byId] of Object.entries(group) as [string, Record<string, any>][]) {
        if (!type.startsWith('google_') || type === 'google_project_service') continue;
        for (const [id, r] of Object.entries(byId)) expect({ type, id, waits: waits(r) }).toEqual({ type, id, waits: true });
      }
    }
    // The compute agent's grant names an agent that only exists once Compute Engine is enabled.
    expect(waits(resource(json, 'google_kms_crypto_key_iam_member', 'compute-agent'))).toBe(true);
    for (const type of ['google_project', 'google_storage_project_service_account', 'google_logging_project_cmek_settings']) {
      expect({ type, waits: waits(Object.values(json.data![type])[0]) }).toEqual({ type, waits: true });
    }
  });

  it('creates templates and groups after the firewall rules and association, the googleapis records, the NAT and the node grants', () => {
    for (const type of ['google_compute_instance_template', 'google_compute_region_instance_group_manager']) {
      for (const [id, r] of resources(json, type)) {
        const deps: string[] = r.depends_on;
        const has = (re: RegExp) => deps.some((d) => re.test(d));
        expect({ id, rules: has(/^google_compute_network_firewall_policy_rule\..*deny-egress/), association: has(/^google_compute_network_firewall_policy_association\./),
          records: has(/^google_dns_record_set\..*googleapis_cname/), nat: has(/^google_compute_router_nat\./),
          logWriter: has(/^google_project_iam_member\..*logging-logWriter/), artifacts: has(/^google_storage_bucket_iam_member\..*artifact-read/) })
          .toEqual({ id, rules: true, association: true, records: true, nat: true, logWriter: true, artifacts: true });
      }
    }
  });
});

describe('GcpSandboxPlatform: hostile sandboxes and an untrusted vendor (review findings 3, 6, 7; issue 10)', () => {
  it('lets DNS to the metadata server through the policy, and the host guard keeps sandboxes to port 53 there and off the Google VIPs', () => {
    const { json } = synthGcp(gcpSpec({ network: { egress: { mode: EgressMode.NONE } } }));
    const rules = Object.fromEntries(resources(json, 'google_compute_network_firewall_policy_rule').map(([, r]) => [r.rule_name, r]));
    expect(rules['acme-allow-metadata'].match.layer4_configs).toEqual([{ ip_protocol: 'tcp', ports: ['53', '80'] }, { ip_protocol: 'udp', ports: ['53', '123'] }]);
    const script = startupScript(resource(json, 'google_compute_instance_template'));
    // With "none" egress sandboxes get no DNS at all; with "nat" port 53 on the metadata server only;
    // with "firewall" no resolver, only the host's DNS filter (next test).
    expect(script).toMatch(/set dns_v4 \{\n\s+type ipv4_addr\n\s+flags interval\n\s+\}/);
    expect(script).not.toContain('sandbox_start_dns_filter');
    expect(script).toMatch(/set blocked_v4 \{[^}]*elements = \{ 169\.254\.0\.0\/16, 199\.36\.153\.4\/30, 199\.36\.153\.8\/30 \}/);
    const nat = startupScript(resource(synthGcp(gcpSpec()).json, 'google_compute_instance_template'));
    expect(nat).toMatch(/set dns_v4 \{[^}]*elements = \{ 169\.254\.169\.254 \}/);
    expect(nat).not.toContain('sandbox_start_dns_filter');
    // The network logs every query the nodes make, into the audit bucket.
    expect(resource(json, 'google_dns_policy')).toEqual(expect.objectContaining({
      name: 'acme-dns', enable_logging: true, networks: [{ network_url: expect.stringMatching(/google_compute_network\.platform_network_vpc_\w+\.id/) }],
    }));
    expect(synthGcp(gcpSpec()).json.resource.google_dns_policy).toBeUndefined();
  });

  it('firewall egress: sandbox DNS goes through the host\'s DNS filter with the spec\'s allow-list, and to no resolver directly', () => {
    const spec = gcpSpec({
      network: { egress: { mode: EgressMode.FIREWALL, allowedDomains: ['pypi.org', '.GitHub.com'] } },
      sandboxPools: [{ name: 'fc', minNodes: 1, maxNodes: 2 }, { name: 'gv', runtime: SandboxRuntime.GVISOR, minNodes: 1, maxNodes: 2 }],
      gpuPools: [{ name: 'g', gpu: GpuModel.T4 }],
    });
    const { json } = synthGcp(spec);
    const templates = resources(json, 'google_compute_instance_template');
    expect(templates).toHaveLength(3);
    for (const [id, t] of templates) {
      const script = startupScript(t);
      // No resolver exception: the metadata server is not reachable on 53 from sandboxes.
      expect([id, script]).toEqual([id, expect.stringMatching(/set dns_v4 \{\n\s+type ipv4_addr\n\s+flags interval\n\s+\}/)]);
      // Every UDP query is redirected to the filter, which reads the plan's allow-list (lowercased).
      expect(script).toContain(`meta nfproto ipv4 udp dport 53 redirect to :${DNS_FILTER_PORT}`);
      expect(script).toMatch(/allowed-domains 0644 <<'SANDBOX_CONF'\n#[^\n]*\npypi\.org\n\.github\.com\nSANDBOX_CONF\n/);
      expect(script).toMatch(/\nsandbox_apply_nftables\nsandbox_step dns-filter\nsandbox_start_dns_filter\n/);
      expect(Buffer.byteLength(script, 'utf8')).toBeLessThan(GCP_METADATA_VALUE_LIMIT);
    }
    // The node itself still resolves through the metadata server: the policy rule is unchanged.
    const rules = Object.fromEntries(resources(json, 'google_compute_network_firewall_policy_rule').map(([, r]) => [r.rule_name, r]));
    expect(rules['acme-allow-metadata'].match.dest_ip_ranges).toEqual(['169.254.169.254/32']);
  });

  it('gives the vendor one log view of the platform bucket (no audit logs), never project-wide log reads', () => {
    const { json } = synthGcp(gcpSpec());
    const read = resource(json, 'google_project_iam_custom_role', 'read-role');
    expect(read.permissions.filter((p: string) => p.startsWith('logging.'))).toEqual([]);
    const view = resource(json, 'google_logging_log_view');
    expect(view).toEqual(expect.objectContaining({ name: 'acme-vendor', location: REGION, parent: `projects/${PROJECT}` }));
    expect(view.bucket).toMatch(/google_logging_project_bucket_config\.platform_observability_log-bucket_\w+\.id/);
    const grant = resources(json, 'google_project_iam_member').map(([, m]) => m).find((m) => m.role === 'roles/logging.viewAccessor');
    expect(grant.member).toMatch(/google_service_account\.platform_control-plane_sa_\w+\.member/);
    expect(grant.condition.expression).toBe(`resource.name == "projects/${PROJECT}/locations/${REGION}/buckets/acme-platform/views/acme-vendor"`);
    // The vendor's only log grant; the audit bucket has no view for it.
    expect(resources(json, 'google_project_iam_member').filter(([, m]) => /logging\.(viewer|privateLogViewer|admin)/.test(m.role))).toEqual([]);
  });

  it('records shell access: the hosts ship auth.log, which goes to the audit bucket with the audit logs', () => {
    const { json } = synthGcp(gcpSpec(), { allowIapSsh: true });
    const script = startupScript(resource(json, 'google_compute_instance_template'));
    expect(script).toContain('    sandbox_host_auth:\n      type: files\n      include_paths:\n        - /var/log/auth.log');
    expect(resource(json, 'google_logging_project_sink', 'audit').filter).toContain('log_id("sandbox_host_auth")');
  });
});

describe('GcpSandboxPlatform: what the stack cannot change is said at synth (review findings 4, 10; consumer item 3)', () => {
  const warnings = (spec: Parameters<typeof gcpSpec>[0], props: Record<string, unknown> = {}) => {
    const { platform } = synthGcp(gcpSpec(spec), props);
    return platform.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data));
  };

  it('warns that Domain Restricted Sharing blocks the vendor grant (BYOC only)', () => {
    expect(warnings({})).toEqual(expect.arrayContaining([expect.stringContaining('constraints/iam.allowedPolicyMemberDomains')]));
    expect(warnings({ deployment: DeploymentModel.MANAGED, controlPlane: undefined }).filter((w) => w.includes('allowedPolicyMemberDomains'))).toEqual([]);
  });

  it('warns that GPU pools run without Secure Boot (requireShieldedVm), unless the pool is listed in secureBootPools', () => {
    const gpu = { gpuPools: [{ name: 'l4', gpu: GpuModel.L4 }] };
    expect(warnings(gpu)).toEqual(expect.arrayContaining([expect.stringContaining('gpuPools: l4 run with Secure Boot off')]));
    const { json, platform } = synthGcp(gcpSpec(gpu), { secureBootPools: ['l4'] });
    expect(resource(json, 'google_compute_instance_template', 'pool-l4').shielded_instance_config.enable_secure_boot).toBe(true);
    expect(platform.node.metadata.map((m) => String(m.data)).filter((w) => w.includes('Secure Boot off'))).toEqual([]);
  });

  it('existingNetwork: warns about every spec.network field the existing network decides instead', () => {
    const existingNetwork = { network: 'corp-vpc', subnetwork: 'corp-nodes' };
    const w = warnings({ network: { cidr: '10.99.0.0/16', zones: 3, egress: { mode: EgressMode.FIREWALL, allowedDomains: ['pypi.org'] } } }, { existingNetwork });
    expect(w).toEqual(expect.arrayContaining([
      expect.stringContaining('network.cidr: "10.99.0.0/16" is ignored with existingNetwork'),
      expect.stringContaining('network.egress.mode: "firewall" with existingNetwork: the platform creates no Cloud NAT'),
      expect.stringContaining('network.egress: with existingNetwork no DNS query logging'),
      expect.stringContaining('network.zones: only counts zones'),
    ]));
    // The allow-list still applies: the FQDN rules are created in the policy attached to the existing network.
    const { json } = synthGcp(gcpSpec({ network: { egress: { mode: EgressMode.FIREWALL, allowedDomains: ['pypi.org'] } } }), { existingNetwork });
    const rules = resources(json, 'google_compute_network_firewall_policy_rule').map(([, r]) => r);
    expect(rules.find((r) => r.rule_name === 'acme-allow-domains-0').match.dest_fqdns).toEqual(['pypi.org']);
    expect(rules.find((r) => r.rule_name === 'acme-allow-web')).toBeUndefined();
    expect(warnings({}, { existingNetwork }).filter((x) => x.startsWith('network.cidr'))).toEqual([]);
  });
});
