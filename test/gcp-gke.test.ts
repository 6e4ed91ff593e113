/**
 * Kubernetes mode on GCP: the GKE cluster, its node pools, the Secrets key and its grant, the
 * vendor's access, the manifests and what GKE mode refuses, from the synthesized Terraform JSON.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { existsSync, mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { App, Fn, TerraformStack } from 'cdktf';
import {
  GCP_NAMING_TABLE, GKE_POD_RANGE, GKE_SERVICE_RANGE, GKE_VENDOR_BINDING, GKE_VENDOR_IAM_ROLE, GcpSandboxPlatform, KATA_DEPLOY_IMAGE, gkeKubernetesManifests,
} from '../lib/gcp';
import { ResultStatus, RuleId, evaluate } from '../lib/compliance';
import { GOOGLE_GKE_SANDBOX_MIN_VERSION, enableGkeSandbox } from '../lib/provider-compat';
import {
  CloudProvider, ComplianceProfile, ControlPlaneAccess, DeploymentModel, EgressMode, GKE_SANDBOX_TAINT, GpuModel, GpuSharingStrategy, KUBERNETES_LABELS,
  KUBERNETES_MANIFESTS_FILE, KubernetesApiEndpoint, Orchestrator, SandboxPlatformSpec, SandboxRuntime, SpecValidationError, checkName, resolvePlatform,
} from '../lib/spec';
import { PROJECT, REGION, VENDOR, ZONES, gcpSpec, resource, resources, synthGcp } from './gcp-helpers';
import { MAX_PLATFORM_NAME, expectNamesValid, maxPoolName } from './naming';

const K8S: Partial<SandboxPlatformSpec> = {
  orchestrator: Orchestrator.KUBERNETES,
  sandboxPools: [{ name: 'kata', runtime: SandboxRuntime.KATA, minNodes: 1, maxNodes: 4 }, { name: 'gvisor', runtime: SandboxRuntime.GVISOR, minNodes: 0, maxNodes: 6 }],
  gpuPools: [{ name: 'l4', gpu: GpuModel.L4, maxNodes: 3, gpuSharing: { strategy: GpuSharingStrategy.TIME_SHARING, maxSharedClientsPerGpu: 4 } }],
};

const synth = (spec: SandboxPlatformSpec, props = {}): any => synthGcp(spec, props).json;
const pool = (json: any, name: string) => resource(json, 'google_container_node_pool', `pool-${name}_`);
const idOf = (json: any, type: string, fragment: string) => {
  const ids = resources(json, type).map(([id]) => id).filter((id) => id.includes(fragment));
  expect(ids).toHaveLength(1);
  return `${type}.${ids[0]}`;
};

describe('GKE cluster', () => {
  const json = synth(gcpSpec(K8S));
  const cluster = resource(json, 'google_container_cluster');

  it('is regional, private (nodes and endpoint), on the platform subnetwork with pod and Service secondary ranges, in the pinned zones', () => {
    expect(cluster).toMatchObject({
      name: 'acme', location: REGION, node_locations: ZONES, networking_mode: 'VPC_NATIVE',
      private_cluster_config: { enable_private_nodes: true, enable_private_endpoint: true, master_global_access_config: { enabled: false } },
      master_authorized_networks_config: { gcp_public_cidrs_access_enabled: false, cidr_blocks: [] },
      ip_allocation_policy: { cluster_secondary_range_name: 'acme-pods', services_secondary_range_name: 'acme-services', stack_type: 'IPV4' },
    });
    const subnet = resource(json, 'google_compute_subnetwork');
    expect(subnet.secondary_ip_range).toEqual([
      { range_name: 'acme-pods', ip_cidr_range: GKE_POD_RANGE }, { range_name: 'acme-services', ip_cidr_range: GKE_SERVICE_RANGE },
    ]);
  });

  it('encrypts Secrets with its own platform key, which the GKE service agent may use before the cluster exists', () => {
    const key = resource(json, 'google_kms_crypto_key', 'secrets-key');
    expect(key.name).toBe('acme-gke-secrets');
    expect(key.rotation_period).toBe(`${90 * 86400}s`);
    expect(cluster.database_encryption).toEqual({ state: 'ENCRYPTED', key_name: `\${${idOf(json, 'google_kms_crypto_key', 'secrets-key')}.id}` });
    const grant = resource(json, 'google_kms_crypto_key_iam_member', 'secrets-key-gke-agent');
    expect(grant).toMatchObject({ role: 'roles/cloudkms.cryptoKeyEncrypterDecrypter' });
    expect(grant.member).toMatch(/^serviceAccount:service-\$\{data\.google_project\.[^}]+\.number\}@container-engine-robot\.iam\.gserviceaccount\.com$/);
    const wait = idOf(json, 'time_sleep', 'secrets-key-grant-propagation');
    expect(resource(json, 'time_sleep', 'secrets-key-grant-propagation').depends_on).toEqual([idOf(json, 'google_kms_crypto_key_iam_member', 'secrets-key-gke-agent')]);
    expect(cluster.depends_on).toContain(wait);
  });

  it('Workload Identity, Shielded nodes, Dataplane V2, REGULAR channel, daily window, no ABAC or client certificate, deletion protection under soc2', () => {
    expect(cluster).toMatchObject({
      workload_identity_config: { workload_pool: `${PROJECT}.svc.id.goog` },
      enable_shielded_nodes: true, datapath_provider: 'ADVANCED_DATAPATH', release_channel: { channel: 'REGULAR' }, min_master_version: '1.35',
      maintenance_policy: { daily_maintenance_window: { start_time: '03:00' } }, enable_legacy_abac: false,
      master_auth: { client_certificate_config: { issue_client_certificate: false } }, deletion_protection: true,
      logging_config: { enable_components: ['SYSTEM_COMPONENTS', 'APISERVER', 'CONTROLLER_MANAGER', 'SCHEDULER', 'WORKLOADS'] },
    });
    const baseline = resource(synth(gcpSpec({ ...K8S, compliance: ComplianceProfile.BASELINE })), 'google_container_cluster');
    expect(baseline.deletion_protection).toBe(false);
  });

  it('the default pool is removed at once, and while it lives it runs our node service account, Shielded, on COS with the GKE metadata server', () => {
    expect(cluster).toMatchObject({ remove_default_node_pool: true, initial_node_count: 1, lifecycle: { ignore_changes: ['node_config', 'initial_node_count'] } });
    expect(cluster.node_config).toMatchObject({
      service_account: `\${${idOf(json, 'google_service_account', 'node-identity')}.email}`, image_type: 'COS_CONTAINERD',
      shielded_instance_config: { enable_secure_boot: true, enable_integrity_monitoring: true }, workload_metadata_config: { mode: 'GKE_METADATA' },
    });
    expect(cluster.node_config.service_account).not.toMatch(/compute@developer/);
  });

  it('waits for the node grants, the firewall and the NAT (its default pool boots like any node), and for container.googleapis.com', () => {
    expect(cluster.depends_on).toEqual(expect.arrayContaining([
      idOf(json, 'google_project_iam_member', 'container-defaultNodeServiceAccount'),
      idOf(json, 'google_compute_network_firewall_policy_rule', 'allow-web'),
      idOf(json, 'google_compute_network_firewall_policy_rule', 'allow-cluster-egress'),
      idOf(json, 'google_compute_network_firewall_policy_rule', 'allow-cluster-ingress'),
      idOf(json, 'google_compute_router_nat', 'nat'),
      idOf(json, 'time_sleep', 'apis_propagation'),
    ]));
    expect(resources(json, 'google_project_service').map(([, s]) => s.service)).toContain('container.googleapis.com');
  });

  it('with allowNestedVirtualizationPolicy the cluster (and so every pool) waits for the policy', () => {
    const j = synth(gcpSpec(K8S), { allowNestedVirtualizationPolicy: true });
    expect(resource(j, 'google_container_cluster').depends_on).toContain(idOf(j, 'google_org_policy_policy', 'nested-virtualization'));
  });

  it('restricted-public (baseline) opens the public endpoint to the authorized CIDRs only', () => {
    const open = resource(synth(gcpSpec({ ...K8S, compliance: ComplianceProfile.BASELINE,
      kubernetes: { apiEndpoint: KubernetesApiEndpoint.RESTRICTED_PUBLIC, authorizedCidrs: ['203.0.113.0/24'] } })), 'google_container_cluster');
    expect(open.private_cluster_config.enable_private_endpoint).toBe(false);
    expect(open.master_authorized_networks_config).toEqual({ gcp_public_cidrs_access_enabled: false, cidr_blocks: [{ cidr_block: '203.0.113.0/24', display_name: 'authorized 203.0.113.0/24' }] });
  });

  it('routes the cluster\'s logs into the platform log bucket (the profile\'s retention)', () => {
    const sink = resource(json, 'google_logging_project_sink', 'observability_sink');
    expect(sink.filter).toContain('resource.type=("k8s_cluster" OR "k8s_control_plane_component" OR "k8s_node" OR "k8s_pod" OR "k8s_container") AND resource.labels.cluster_name="acme"');
    expect(resource(json, 'google_logging_project_bucket_config', 'observability_log-bucket').retention_days).toBe(365);
  });

  it('passes the GKE compliance rules of its pack (soc2 and hipaa)', () => {
    for (const profile of [ComplianceProfile.SOC2, ComplianceProfile.HIPAA]) {
      const j = profile === ComplianceProfile.SOC2 ? json : synth(gcpSpec({ ...K8S, compliance: profile }));
      const report = evaluate(j, { profile, clouds: [CloudProvider.GCP] });
      const gke = report.rules.filter((r) => r.id.startsWith('GCP-GKE-'));
      expect(gke.map((r) => r.id).sort()).toEqual([RuleId.GCP_GKE_ENDPOINT, RuleId.GCP_GKE_NODES, RuleId.GCP_GKE_SECRETS, RuleId.GCP_GKE_SHIELD, RuleId.GCP_GKE_WI].sort());
      for (const r of gke) {
        expect(r.results.length).toBeGreaterThan(0);
        for (const x of r.results) expect([r.id, x.address, x.status]).toEqual([r.id, x.address, ResultStatus.PASS]);
      }
    }
  });

  it('outputs what the vendor needs to reach the cluster', () => {
    for (const o of ['acme_gke_cluster_name', 'acme_gke_cluster_endpoint', 'acme_gke_cluster_ca_certificate', 'acme_gke_cluster_id', 'acme_kubernetes_manifests']) {
      expect(json.output[o]).toBeDefined();
    }
  });

  it('synthesizes byte-identical JSON twice', () => {
    expect(JSON.stringify(synth(gcpSpec(K8S)))).toBe(JSON.stringify(synth(gcpSpec(K8S))));
  });
});

describe('GKE node pools', () => {
  const json = synth(gcpSpec(K8S));

  it('one pool per spec pool plus the untainted system pool; no instance groups', () => {
    expect(resources(json, 'google_container_node_pool').map(([, p]) => p.name).sort()).toEqual(['gvisor', 'kata', 'l4', 'system']);
    expect(resources(json, 'google_compute_region_instance_group_manager')).toEqual([]);
    const system = pool(json, 'system');
    expect(system.node_config.taint).toEqual([]);
    expect(system.node_config.sandbox_config).toBeUndefined();
    expect(system.node_config.machine_type).toBe('e2-standard-2');
  });

  it('every pool: private nodes, Shielded, our service account, CMEK boot disk, GKE metadata server, total autoscaling bounds, auto-repair and -upgrade', () => {
    const sa = `\${${idOf(json, 'google_service_account', 'node-identity')}.email}`;
    const key = `\${${idOf(json, 'google_kms_crypto_key', 'keys_compute')}.id}`;
    for (const [, p] of resources(json, 'google_container_node_pool')) {
      expect(p).toMatchObject({
        location: REGION, network_config: { enable_private_nodes: true }, management: { auto_repair: true, auto_upgrade: true },
        node_config: { service_account: sa, boot_disk_kms_key: key, shielded_instance_config: { enable_secure_boot: true, enable_integrity_monitoring: true },
          workload_metadata_config: { mode: 'GKE_METADATA' }, metadata: { 'disable-legacy-endpoints': 'true' } },
      });
      expect(p.autoscaling.min_node_count).toBeUndefined();
    }
    expect(pool(json, 'kata').autoscaling).toMatchObject({ total_min_node_count: 1, total_max_node_count: 4, location_policy: 'BALANCED' });
    expect(pool(json, 'gvisor').autoscaling).toMatchObject({ total_min_node_count: 0, total_max_node_count: 6 });
  });

  it('labels and taints each pool for its pool and RuntimeClass, as the plan says', () => {
    const plan = resolvePlatform(gcpSpec(K8S), CloudProvider.GCP);
    for (const p of plan.pools) {
      const nc = pool(json, p.name).node_config;
      expect(nc.labels).toEqual(p.kubernetes!.labels);
      expect(nc.taint).toEqual([{ key: KUBERNETES_LABELS.runtimeClass, value: p.kubernetes!.runtimeClass, effect: 'NO_SCHEDULE' }]);
    }
  });

  it('gVisor pools (CPU and GPU) run GKE Sandbox on COS, which raises the google provider floor', () => {
    for (const name of ['gvisor', 'l4']) {
      expect(pool(json, name).node_config).toMatchObject({ sandbox_config: { type: 'GVISOR' }, image_type: 'COS_CONTAINERD' });
    }
    expect(json.terraform.required_providers.google.version).toBe(`>= ${GOOGLE_GKE_SANDBOX_MIN_VERSION}, < 8.0.0`);
  });

  it('Kata pools run Ubuntu with nested virtualization on their Intel type, without GKE Sandbox', () => {
    const nc = pool(json, 'kata').node_config;
    expect(nc).toMatchObject({ image_type: 'UBUNTU_CONTAINERD', advanced_machine_features: { enable_nested_virtualization: true, threads_per_core: 2 } });
    expect(nc.machine_type).toMatch(/^n2-/);
    expect(nc.sandbox_config).toBeUndefined();
    expect(nc.min_cpu_platform).toBeUndefined();
    const n1 = pool(synth(gcpSpec({ ...K8S, sandboxPools: [{ name: 'kata', runtime: SandboxRuntime.KATA, instanceType: 'n1-standard-8' }], gpuPools: [] })), 'kata');
    expect(n1.node_config.min_cpu_platform).toBe('Intel Skylake');
  });

  it('GPU pools: accelerator with the GKE-installed driver and time-sharing; TERMINATE is GKE\'s own', () => {
    const nc = pool(json, 'l4').node_config;
    expect(nc.machine_type).toBe('g2-standard-4');
    expect(nc.guest_accelerator).toEqual([{
      type: 'nvidia-l4', count: 1, gpu_driver_installation_config: { gpu_driver_version: 'DEFAULT' },
      gpu_sharing_config: { gpu_sharing_strategy: 'TIME_SHARING', max_shared_clients_per_gpu: 4 },
    }]);
    const t4 = pool(synth(gcpSpec({ ...K8S, gpuPools: [{ name: 't4', gpu: GpuModel.T4 }] })), 't4').node_config;
    expect(t4.guest_accelerator[0]).toMatchObject({ type: 'nvidia-tesla-t4', count: 1 });
    expect(t4.guest_accelerator[0].gpu_sharing_config).toBeUndefined();
  });

  it('spot pools use the ANY location policy', () => {
    const spot = pool(synth(gcpSpec({ ...K8S, sandboxPools: [{ name: 'gvisor', runtime: SandboxRuntime.GVISOR, spot: true }], gpuPools: [] })), 'gvisor');
    expect(spot.node_config.spot).toBe(true);
    expect(spot.autoscaling.location_policy).toBe('ANY');
  });

  it('pools wait for the control plane\'s firewall rule; nodes and pods reach each other and the endpoint, nothing else is opened', () => {
    const rule = idOf(json, 'google_compute_network_firewall_policy_rule', 'allow-control-plane');
    for (const [, p] of resources(json, 'google_container_node_pool')) expect(p.depends_on).toContain(rule);
    const byName = Object.fromEntries(resources(json, 'google_compute_network_firewall_policy_rule').map(([, r]) => [r.rule_name, r]));
    expect(byName['acme-allow-cluster-egress'].match.dest_ip_ranges).toEqual(['10.64.0.0/16', GKE_POD_RANGE, GKE_SERVICE_RANGE]);
    expect(byName['acme-allow-cluster-ingress'].match).toEqual({
      src_ip_ranges: ['10.64.0.0/16', GKE_POD_RANGE, GKE_SERVICE_RANGE],
      // No SSH from pods to nodes.
      layer4_configs: [{ ip_protocol: 'tcp', ports: ['1-21', '23-65535'] }, { ip_protocol: 'udp' }, { ip_protocol: 'icmp' }],
    });
    expect(byName['acme-allow-control-plane'].match).toEqual({
      src_ip_ranges: [`\${${idOf(json, 'google_container_cluster', 'cluster')}.private_cluster_config[0].private_endpoint}/32`],
      layer4_configs: [{ ip_protocol: 'tcp', ports: ['443', '10250'] }],
    });
    const openIngress = (Object.values(byName) as any[]).filter((r) => r.action === 'allow' && r.direction === 'INGRESS' && (r.match.src_ip_ranges ?? []).includes('0.0.0.0/0'));
    expect(openIngress).toEqual([]);
  });
});

describe('GKE vendor access (BYOC)', () => {
  it.each([ControlPlaneAccess.READ_ONLY, ControlPlaneAccess.OPERATE])('%s: cluster viewer on this cluster only through IAM, and the RBAC binding of its level', (access) => {
    const spec = gcpSpec({ ...K8S, controlPlane: { principal: VENDOR, access } });
    const json = synth(spec);
    const member = resource(json, 'google_project_iam_member', 'vendor-cluster-viewer');
    expect(member).toMatchObject({ role: GKE_VENDOR_IAM_ROLE, member: `\${${idOf(json, 'google_service_account', 'control-plane')}.member}` });
    expect(member.condition.expression).toBe(`resource.name == "projects/${PROJECT}/locations/${REGION}/clusters/acme"`);
    const manifests = JSON.parse(json.output.acme_kubernetes_manifests.value);
    const binding = manifests.items.find((i: any) => i.kind === 'ClusterRoleBinding' && i.metadata.name === GKE_VENDOR_BINDING);
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: access === ControlPlaneAccess.OPERATE ? 'cluster-admin' : 'view' });
    expect(binding.subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: `acme-control@${PROJECT}.iam.gserviceaccount.com` }]);
  });

  it('a managed platform has no vendor grant or binding', () => {
    const json = synth(gcpSpec({ ...K8S, deployment: DeploymentModel.MANAGED, controlPlane: undefined }));
    expect(resources(json, 'google_project_iam_member').filter(([id]) => id.includes('vendor'))).toEqual([]);
    expect(JSON.parse(json.output.acme_kubernetes_manifests.value).items.filter((i: any) => i.metadata.name === GKE_VENDOR_BINDING)).toEqual([]);
  });
});

describe('GKE manifests', () => {
  const plan = resolvePlatform(gcpSpec(K8S), CloudProvider.GCP);
  const list = gkeKubernetesManifests('acme', plan.kubernetes!) as any;

  it('our RuntimeClasses with GKE handlers (GKE Sandbox\'s own "gvisor" class is left alone), no NVIDIA device plugin (GKE runs its own)', () => {
    const classes = list.items.filter((i: any) => i.kind === 'RuntimeClass');
    expect(classes.map((c: any) => [c.metadata.name, c.handler])).toEqual([['sandbox-gvisor', 'gvisor'], ['sandbox-gvisor-gpu', 'gvisor'], ['sandbox-kata', 'kata-qemu']]);
    expect(classes.map((c: any) => c.metadata.name)).not.toContain('gvisor');
    expect(classes[0].scheduling.tolerations).toContainEqual({ ...GKE_SANDBOX_TAINT });
    expect(list.items.filter((i: any) => i.kind === 'DaemonSet').map((d: any) => d.metadata.name)).toEqual(['kata-deploy']);
  });

  it('the Kata installer runs only on Kata nodes, pinned, privileged, QEMU only, without its own RuntimeClasses', () => {
    const ds = list.items.find((i: any) => i.kind === 'DaemonSet' && i.metadata.name === 'kata-deploy');
    const spec = ds.spec.template.spec;
    expect(spec.nodeSelector).toEqual({ [KUBERNETES_LABELS.runtimeClass]: 'sandbox-kata' });
    expect(spec.tolerations).toEqual([{ key: KUBERNETES_LABELS.runtimeClass, operator: 'Equal', value: 'sandbox-kata', effect: 'NoSchedule' }]);
    expect(spec.containers[0].image).toBe(KATA_DEPLOY_IMAGE);
    expect(KATA_DEPLOY_IMAGE).toMatch(/:\d+\.\d+\.\d+$/);
    const env = Object.fromEntries(spec.containers[0].env.filter((e: any) => 'value' in e).map((e: any) => [e.name, e.value]));
    expect(env).toMatchObject({ SHIMS: 'qemu', DEFAULT_SHIM: 'qemu', CREATE_RUNTIMECLASSES: 'false', CREATE_DEFAULT_RUNTIMECLASS: 'false' });
    expect(spec.serviceAccountName).toBe('kata-deploy-sa');
    expect(list.items.map((i: any) => i.kind)).toEqual(expect.arrayContaining(['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding']));
  });

  it('no Kata pool, no installer', () => {
    const noKata = resolvePlatform(gcpSpec({ ...K8S, sandboxPools: [{ name: 'gvisor', runtime: SandboxRuntime.GVISOR }] }), CloudProvider.GCP);
    expect((gkeKubernetesManifests('acme', noKata.kubernetes!) as any).items.map((i: any) => i.kind)).toEqual(['RuntimeClass', 'RuntimeClass']);
  });

  it('are written as kubernetes-manifests.json beside cdk.tf.json and output, identical', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'gke-manifests-'));
    const app = new App({ outdir });
    const stack = new TerraformStack(app, 'gke');
    new GoogleProvider(stack, 'google', { project: PROJECT, region: REGION });
    new GcpSandboxPlatform(stack, 'platform', { spec: gcpSpec(K8S), project: PROJECT, region: REGION, zones: ZONES });
    app.synth();
    const dir = join(outdir, 'stacks', 'gke');
    const written = JSON.parse(readFileSync(join(dir, KUBERNETES_MANIFESTS_FILE), 'utf8'));
    expect(written).toEqual(gkeKubernetesManifests('acme', plan.kubernetes!, { email: `acme-control@${PROJECT}.iam.gserviceaccount.com`, access: ControlPlaneAccess.OPERATE }));
    const tf = JSON.parse(readFileSync(join(dir, 'cdk.tf.json'), 'utf8'));
    expect(JSON.parse(tf.output.acme_kubernetes_manifests.value)).toEqual(written);
  });

  it('instance mode writes none', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'gke-manifests-'));
    const app = new App({ outdir });
    const stack = new TerraformStack(app, 'inst');
    new GoogleProvider(stack, 'google', { project: PROJECT, region: REGION });
    new GcpSandboxPlatform(stack, 'platform', { spec: gcpSpec(), project: PROJECT, region: REGION, zones: ZONES });
    app.synth();
    expect(existsSync(join(outdir, 'stacks', 'inst', KUBERNETES_MANIFESTS_FILE))).toBe(false);
  });
});

describe('GKE mode: what this version refuses', () => {
  const issues = (spec: SandboxPlatformSpec, props = {}) => {
    try {
      synthGcp(spec, props);
    } catch (e) {
      if (e instanceof SpecValidationError) return e.issues;
      throw e;
    }
    return [];
  };

  it('controlled egress, an existing network and a CIDR in 100.64.0.0/10, all at once, with fixes', () => {
    const found = issues(gcpSpec({ ...K8S, network: { cidr: '100.64.0.0/16', egress: { mode: EgressMode.NONE } } }),
      { existingNetwork: { network: 'vpc', subnetwork: 'nodes' } });
    expect(found.map((i) => i.path).sort()).toEqual(['existingNetwork', 'network.cidr', 'network.egress.mode']);
    for (const i of found) expect(i.hint.length).toBeGreaterThan(0);
    expect(found.find((i) => i.path === 'network.egress.mode')!.message).toMatch(/"none" is not supported with orchestrator "kubernetes" on GCP yet: GKE nodes pull system images/);
  });

  it('instance-group props are refused in Kubernetes mode', () => {
    expect(issues(gcpSpec(K8S), { healthCheckPort: 8080, localSsdDisks: { kata: 1 }, secureBootPools: ['l4'] }).map((i) => i.path).sort())
      .toEqual(['healthCheckPort', 'localSsdDisks', 'secureBootPools']);
  });

  it('BYOC needs a literal project (the vendor\'s RBAC subject is its e-mail, written at synth)', () => {
    expect(issues(gcpSpec(K8S), { project: Fn.lower(PROJECT) }).map((i) => i.path)).toEqual(['project']);
  });

  it('a 10.x network is fine', () => {
    expect(issues(gcpSpec({ ...K8S, network: { cidr: '10.1.0.0/16' } }))).toEqual([]);
  });
});

describe('GKE names at maximum length', () => {
  it('every name of a Kubernetes-mode stack passes the GCP naming table at the maximum lengths (cluster and pools included)', () => {
    const spec = gcpSpec({
      ...K8S, name: MAX_PLATFORM_NAME, compliance: ComplianceProfile.HIPAA,
      sandboxPools: [{ name: maxPoolName('kata'), runtime: SandboxRuntime.KATA }, { name: maxPoolName('gvisor'), runtime: SandboxRuntime.GVISOR }],
      gpuPools: [{ name: maxPoolName('l4'), gpu: GpuModel.L4 }],
    });
    const json = synth(spec);
    expect(expectNamesValid(json, GCP_NAMING_TABLE, 'gke max')).toBeGreaterThan(30);
    expect(resource(json, 'google_container_cluster').name).toBe(MAX_PLATFORM_NAME);
    expect(GCP_NAMING_TABLE.google_container_node_pool[0].maxLength).toBe(40);
    expect(checkName(GCP_NAMING_TABLE.google_container_cluster[0], 'a'.repeat(41))).toMatch(/41 characters; 1\.\.40 allowed/);
  });

  it('a 21-character platform and 16-character pools give valid cluster, pool, key and range names', () => {
    const name = 'a'.repeat(20) + 'z';
    const poolName = 'p'.repeat(15) + 'q';
    const json = synth(gcpSpec({ ...K8S, name, sandboxPools: [{ name: poolName, runtime: SandboxRuntime.GVISOR }], gpuPools: [] }));
    const cluster = resource(json, 'google_container_cluster');
    expect(cluster.name.length).toBeLessThanOrEqual(40);
    expect(cluster.name).toMatch(/^[a-z][a-z0-9-]*[a-z0-9]$/);
    for (const [, p] of resources(json, 'google_container_node_pool')) {
      expect(p.name.length).toBeLessThanOrEqual(40);
      expect(p.name).toMatch(/^[a-z]([-a-z0-9]*[a-z0-9])?$/);
    }
    expect(resource(json, 'google_kms_crypto_key', 'secrets-key').name.length).toBeLessThanOrEqual(63);
    for (const r of resource(json, 'google_compute_subnetwork').secondary_ip_range) expect(r.range_name).toMatch(/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/);
  });
});

describe('provider-compat: GKE Sandbox', () => {
  it('sets sandbox_config on node pools only, and raises google to the first GA release with it', () => {
    const json = synth(gcpSpec(K8S));
    expect(pool(json, 'gvisor').node_config.sandbox_config).toEqual({ type: 'GVISOR' });
    expect(GOOGLE_GKE_SANDBOX_MIN_VERSION).toBe('7.22.0');
    const cluster = synthGcp(gcpSpec(K8S)).platform.kubernetes!.cluster.cluster;
    expect(() => enableGkeSandbox(cluster)).toThrow(/GKE Sandbox is set on node pools here, got google_container_cluster/);
  });

  it('an instance-mode GCP stack keeps the google pin of its binding', () => {
    expect(synth(gcpSpec()).terraform.required_providers.google.version).not.toMatch(/7\.22\.0/);
  });
});
