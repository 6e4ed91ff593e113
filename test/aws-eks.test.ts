/**
 * Kubernetes mode on AWS: the EKS cluster, its add-ons, access entries and ordering, from the
 * synthesized Terraform JSON.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import {
  CloudProvider, ComplianceProfile, ControlPlaneAccess, CpuArchitecture, PoolKind, DeploymentModel, EKS_KUBERNETES_CATALOG, EgressMode, GpuModel, KUBERNETES_LABELS,
  KUBERNETES_MANIFESTS_FILE, KubernetesApiEndpoint, NVIDIA_CDI_HOOK_PATH, NVIDIA_DEVICE_PLUGIN_IMAGE, Orchestrator, SandboxPlatformSpec, SandboxRuntime,
  renderKubernetesManifests, resolvePlatform,
} from '../lib/spec';
import { existsSync, mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { gunzipSync } from 'zlib';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { AwsSandboxPlatform, EKS_ENDPOINT_SERVICES } from '../lib/aws';
import { EKS_ARTIFACT_BUCKET_TAG, eksNodeRuntime } from '../lib/aws/eks-node-join';
import { RuntimeSource } from '../lib/host';
import { runtimeDownloadDomains, runtimeRelease } from '../lib/spec/catalog/runtimes';
import { ResultStatus, RuleId, evaluate } from '../lib/compliance';
import { byocSpec, policy, resource, resources, synthAws } from './helpers';
import { SKIP_SHELLCHECK, expectShellcheckClean } from './shellcheck';

const K8S: Partial<SandboxPlatformSpec> = {
  orchestrator: Orchestrator.KUBERNETES,
  compliance: ComplianceProfile.HIPAA,
  sandboxPools: [{ name: 'kata', runtime: SandboxRuntime.KATA, minNodes: 1, maxNodes: 4 }, { name: 'gvisor', runtime: SandboxRuntime.GVISOR }],
};

const synth = (...a: Parameters<typeof synthAws>): any => synthAws(...a).json;

const ref = (type: string, json: any, fragment: string) => {
  const ids = resources(json, type).map(([id]) => id).filter((id) => id.includes(fragment));
  expect(ids).toHaveLength(1);
  return `${type}.${ids[0]}`;
};

describe('EKS cluster', () => {
  const json = synth(byocSpec(K8S));
  const cluster = resource(json, 'aws_eks_cluster');

  it('is private, on the private subnets, with the newest catalog version', () => {
    expect(cluster.name).toBe('acme');
    expect(cluster.version).toBe(EKS_KUBERNETES_CATALOG.versions[0].version);
    expect(cluster.vpc_config.endpoint_private_access).toBe(true);
    expect(cluster.vpc_config.endpoint_public_access).toBe(false);
    expect(cluster.vpc_config.public_access_cidrs).toBeUndefined();
    expect(cluster.vpc_config.subnet_ids).toHaveLength(3);
    for (const id of cluster.vpc_config.subnet_ids) expect(id).toMatch(/^\$\{aws_subnet\.\S*private/);
  });

  it('envelope-encrypts Secrets with the platform key and sends every control-plane log type to a log group it creates first', () => {
    expect(cluster.encryption_config).toEqual({ resources: ['secrets'], provider: { key_arn: expect.stringContaining('aws_kms_key.') } });
    expect([...cluster.enabled_cluster_log_types].sort()).toEqual(['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']);
    const group = resources(json, 'aws_cloudwatch_log_group').find(([, g]) => g.name === '/aws/eks/acme/cluster');
    expect(group).toBeDefined();
    expect(group![1].kms_key_id).toContain('aws_kms_key.');
    expect(group![1].retention_in_days).toBe(2192); // hipaa floor
    expect(group![1].lifecycle).toEqual({ prevent_destroy: true });
    expect(cluster.depends_on).toContain(`aws_cloudwatch_log_group.${group![0]}`);
  });

  it('uses access entries only, gives nobody implicit admin, and installs no self-managed add-ons', () => {
    expect(cluster.access_config).toEqual({ authentication_mode: 'API', bootstrap_cluster_creator_admin_permissions: false });
    expect(cluster.bootstrap_self_managed_addons).toBe(false);
  });

  it('has a cluster role with AmazonEKSClusterPolicy and the key, both attached before the cluster', () => {
    const role = resources(json, 'aws_iam_role').find(([, r]) => r.name === 'acme-eks-cluster')!;
    expect(policy(role[1].assume_role_policy).Statement).toEqual([
      { Effect: 'Allow', Principal: { Service: 'eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] },
    ]);
    expect(cluster.role_arn).toBe(`\${aws_iam_role.${role[0]}.arn}`);
    const attachment = resources(json, 'aws_iam_role_policy_attachment').find(([, a]) => a.policy_arn.endsWith(':iam::aws:policy/AmazonEKSClusterPolicy'))!;
    const inline = resources(json, 'aws_iam_role_policy').find(([, p]) => p.role === `\${aws_iam_role.${role[0]}.id}`)!;
    expect(policy(inline[1].policy).Statement[0].Action).toEqual(['kms:Encrypt', 'kms:Decrypt', 'kms:ListGrants', 'kms:DescribeKey']);
    expect(cluster.depends_on).toEqual(expect.arrayContaining([
      `aws_iam_role_policy_attachment.${attachment[0]}`, `aws_iam_role_policy.${inline[0]}`, ref('aws_kms_key', json, ''),
    ]));
  });

  it('its security group admits the API from the VPC only and never from the internet', () => {
    const sg = resources(json, 'aws_security_group').find(([, g]) => g.name === 'acme-eks-control-plane')!;
    expect(cluster.vpc_config.security_group_ids).toEqual([`\${aws_security_group.${sg[0]}.id}`]);
    for (const rule of [...sg[1].ingress, ...sg[1].egress]) expect(rule.cidr_blocks).toEqual(['10.64.0.0/16']);
    expect(sg[1].ingress).toEqual([expect.objectContaining({ protocol: 'tcp', from_port: 443, to_port: 443 })]);
  });

  it('passes the EKS compliance rules of its hipaa pack', () => {
    const report = evaluate(json, { profile: ComplianceProfile.HIPAA, clouds: [CloudProvider.AWS] });
    for (const id of [RuleId.AWS_EKS_ENDPOINT, RuleId.AWS_EKS_SECRETS, RuleId.AWS_EKS_LOGS, RuleId.AWS_EKS_NODES]) {
      const results = report.rules.find((r) => r.id === id)!.results.filter((r) => r.address.startsWith('aws_eks_cluster.'));
      expect([id, results.map((r) => r.status)]).toEqual([id, [ResultStatus.PASS]]);
    }
  });

  it('outputs what the vendor needs to reach the cluster', () => {
    expect(Object.keys(json.output)).toEqual(expect.arrayContaining([
      'acme_eks_cluster_name', 'acme_eks_cluster_endpoint', 'acme_eks_cluster_certificate_authority', 'acme_eks_cluster_security_group_id',
    ]));
  });

});

describe('EKS node groups', () => {
  const json = synth(byocSpec({ ...K8S, gpuPools: [{ name: 'gpu', gpu: GpuModel.T4 }] }));
  const groups: Record<string, any> = Object.fromEntries(resources(json, 'aws_autoscaling_group').map(([id, g]) => [g.name, { id, ...g }]));
  const lts: Record<string, any> = Object.fromEntries(resources(json, 'aws_launch_template').map(([id, t]) => [t.name, { id, ...t }]));
  const script = (pool: string) => {
    const text = Buffer.from(lts[`acme-${pool}`].user_data, 'base64');
    return (text[0] === 0x1f ? gunzipSync(text) : text).toString('utf8');
  };

  it('every pool and the system node group is a self-managed group: our launch template and ASG', () => {
    expect(Object.keys(groups).sort()).toEqual(['acme-gpu', 'acme-gvisor', 'acme-kata', 'acme-system']);
    expect(resources(json, 'aws_eks_node_group')).toEqual([]);
    expect(groups['acme-system']).toMatchObject({ min_size: 2, max_size: 4 });
  });

  it('nodes run the EKS AL2023 AMI for the cluster version (NVIDIA variant for GPU pools), IMDSv2 with hop limit 1, no public IP', () => {
    const v = EKS_KUBERNETES_CATALOG.versions[0].version;
    expect(lts['acme-kata'].image_id).toBe(`resolve:ssm:/aws/service/eks/optimized-ami/${v}/amazon-linux-2023/x86_64/standard/recommended/image_id`);
    expect(lts['acme-gpu'].image_id).toBe(`resolve:ssm:/aws/service/eks/optimized-ami/${v}/amazon-linux-2023/x86_64/nvidia/recommended/image_id`);
    for (const lt of Object.values(lts)) {
      expect(lt.metadata_options).toMatchObject({ http_tokens: 'required', http_put_response_hop_limit: 1 });
      expect(lt.network_interfaces[0].associate_public_ip_address).toBe('false');
    }
  });

  it('nodes carry the cluster\'s node security group, which admits only nodes and the control plane', () => {
    const nodes = resources(json, 'aws_security_group').find(([, g]) => g.name === 'acme-eks-nodes')!;
    const cp = resources(json, 'aws_security_group').find(([, g]) => g.name === 'acme-eks-control-plane')!;
    for (const lt of Object.values(lts)) expect(lt.network_interfaces[0].security_groups).toContain(`\${aws_security_group.${nodes[0]}.id}`);
    expect(nodes[1].ingress.map((r: any) => [r.self, r.security_groups])).toEqual([[true, []], [false, [`\${aws_security_group.${cp[0]}.id}`]]]);
    for (const r of [...nodes[1].ingress, ...nodes[1].egress]) expect(r.cidr_blocks).toEqual([]);
  });

  it('the bootstrap joins with nodeadm, labels and taints the node for its pool and RuntimeClass, and only then enters service', () => {
    const kata = script('kata');
    expect(kata).toContain("aws eks describe-cluster --region \"${AWS_REGION}\" --name 'acme'");
    expect(kata).toContain('nodeadm init --config-source file:///etc/eks/sandbox-nodeconfig.yaml');
    expect(kata).toContain(`--node-labels=${KUBERNETES_LABELS.pool}=kata,${KUBERNETES_LABELS.runtimeClass}=sandbox-kata`);
    expect(kata).toContain(`--register-with-taints=${KUBERNETES_LABELS.runtimeClass}=sandbox-kata:NoSchedule`);
    expect(kata.indexOf('sandbox_join_eks\n')).toBeLessThan(kata.indexOf('sandbox_complete_launch\n'));
    expect(kata.indexOf('sandbox_apply_nftables\n')).toBeLessThan(kata.indexOf('sandbox_join_eks\n'));
    expect(script('gpu')).toContain(`--register-with-taints=${KUBERNETES_LABELS.runtimeClass}=sandbox-gvisor-gpu:NoSchedule`);
    const system = script('system');
    expect(system).toContain(`--node-labels=${KUBERNETES_LABELS.pool}=system`);
    expect(system).not.toContain('--register-with-taints');
  });

  it('the host guard covers the pod network (VPC CNI eni*) on sandbox nodes, not on the system node group', () => {
    for (const pool of ['kata', 'gvisor', 'gpu']) expect([pool, script(pool).includes('iifname "eni*" jump sandbox_guard')]).toEqual([pool, true]);
    expect(script('system')).not.toContain('iifname "eni*"');
    expect(script('system')).toContain('iifname "tap*" jump sandbox_guard');
  });

  (SKIP_SHELLCHECK ? it.skip : it)('the rendered bootstraps with the join pass shellcheck', () => {
    for (const pool of ['kata', 'gvisor', 'gpu', 'system']) expectShellcheckClean(script(pool), `eks ${pool}`);
  });

  it('each sandbox pool installs its pinned runtime from upstream (NAT egress), verified, before nodeadm starts containerd', () => {
    const kataRelease = runtimeRelease(SandboxRuntime.KATA)!;
    const kata = script('kata');
    expect(kata).toContain(`'${kataRelease.assets[0].url}'`);
    expect(kata).toContain(`${kataRelease.assets[0].digest}  ${kataRelease.assets[0].name}`);
    const verified = kata.lastIndexOf('sha256sum -c --strict');
    expect(verified).toBeGreaterThan(0);
    expect(verified).toBeLessThan(kata.indexOf('tar --zstd --no-same-owner -xf'));
    // Called inside the join, after describe-cluster and before the NodeConfig and nodeadm.
    const join = kata.indexOf('sandbox_join_eks() {');
    const call = kata.indexOf('  sandbox_install_runtime\n', join);
    expect(call).toBeGreaterThan(kata.indexOf('aws eks describe-cluster', join));
    expect(call).toBeLessThan(kata.indexOf('nodeadm init'));
    for (const a of runtimeRelease(SandboxRuntime.GVISOR)!.assets) {
      expect(script('gvisor')).toContain(`'${a.url}'`);
      expect(script('gpu')).toContain(`${a.digest}  ${a.name}`);
    }
    expect(script('gvisor')).not.toContain('kata-static');
    expect(script('system')).not.toContain('sandbox_install_runtime');
  });

  it('the NodeConfig registers the containerd handler each RuntimeClass names; GPU gVisor runs with nvproxy', () => {
    const nodeConfig = (pool: string) => script(pool).split('<<SANDBOX_NODECONFIG\n')[1].split('\nSANDBOX_NODECONFIG')[0];
    expect(nodeConfig('kata')).toContain([
      '  containerd:', '    config: |',
      '      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.kata]',
      '      runtime_type = "io.containerd.kata.v2"',
      '      privileged_without_host_devices = true',
      '      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.kata.options]',
      '      ConfigPath = "/opt/kata/share/defaults/kata-containers/configuration-qemu.toml"',
    ].join('\n'));
    expect(nodeConfig('gvisor')).toContain('      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runsc]\n      runtime_type = "io.containerd.runsc.v1"');
    expect(nodeConfig('gpu')).toContain('      ConfigPath = "/etc/containerd/runsc-nvidia.toml"');
    expect(script('gpu')).toContain('nvproxy = "true"');
    expect(script('gvisor')).not.toContain('nvproxy');
    // GPU gVisor nodes: containerd injects the device plugin's CDI devices before runsc starts.
    expect(nodeConfig('gpu')).toContain([
      '    config: |',
      '      [plugins."io.containerd.grpc.v1.cri"]',
      '      enable_cdi = true',
      '      cdi_spec_dirs = ["/etc/cdi", "/var/run/cdi"]',
      '      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runsc-nvidia]',
    ].join('\n'));
    for (const pool of ['kata', 'gvisor', 'system']) expect(nodeConfig(pool)).not.toContain('enable_cdi');
    expect(nodeConfig('system')).not.toContain('containerd:');
    // The handlers are the ones the RuntimeClasses name.
    const classes = resolvePlatform(byocSpec({ ...K8S, gpuPools: [{ name: 'gpu', gpu: GpuModel.T4 }] }), CloudProvider.AWS).kubernetes!.runtimeClasses;
    for (const rc of classes) {
      const pool = rc.pools[0];
      expect([rc.name, nodeConfig(pool).includes(`containerd.runtimes.${rc.handler}]`)]).toEqual([rc.name, true]);
    }
  });

  it('GPU gVisor nodes check the CDI hook binary and that runsc supports the NVIDIA driver before nodeadm; other pools do not', () => {
    const gpu = script('gpu');
    const join = gpu.indexOf('sandbox_join_eks() {');
    for (const check of ['if [ ! -x "${root}/usr/bin/nvidia-ctk" ]; then', '"${root}/usr/local/bin/runsc" nvproxy list-supported-drivers',
      'nvidia-smi --query-gpu=driver_version --format=csv,noheader']) {
      expect(gpu).toContain(check);
      expect(gpu.indexOf(check)).toBeLessThan(join);
    }
    // The install (and so the checks) runs inside the join, before the NodeConfig and nodeadm.
    expect(gpu.indexOf('  sandbox_install_runtime\n', join)).toBeLessThan(gpu.indexOf('nodeadm init'));
    // The host bootstrap's GPU check (nvidia-smi answers) comes first.
    expect(gpu.indexOf('sandbox_check_gpu\n')).toBeLessThan(gpu.indexOf('sandbox_join_eks\n'));
    for (const pool of ['kata', 'gvisor', 'system']) expect(script(pool)).not.toContain('list-supported-drivers');
  });

  it('groups carry cluster-autoscaler discovery and node-template tags; instances only the cluster tag', () => {
    const tags = Object.fromEntries(groups['acme-kata'].tag.map((t: any) => [t.key, [t.value, t.propagate_at_launch]]));
    expect(tags).toMatchObject({
      'kubernetes.io/cluster/acme': ['owned', true],
      'k8s.io/cluster-autoscaler/enabled': ['true', false],
      'k8s.io/cluster-autoscaler/acme': ['owned', false],
      [`k8s.io/cluster-autoscaler/node-template/label/${KUBERNETES_LABELS.runtimeClass}`]: ['sandbox-kata', false],
      [`k8s.io/cluster-autoscaler/node-template/taint/${KUBERNETES_LABELS.runtimeClass}`]: ['sandbox-kata:NoSchedule', false],
    });
  });

  it('the node role joins as EC2_LINUX, may describe its own cluster only, and groups wait for the entry, the cluster and the node add-ons', () => {
    const role = resources(json, 'aws_iam_role').find(([, r]) => r.name === 'acme-node')!;
    const entry = resources(json, 'aws_eks_access_entry').find(([, e]) => e.type === 'EC2_LINUX')!;
    expect(entry[1].principal_arn).toBe(`\${aws_iam_role.${role[0]}.arn}`);
    const inline = resources(json, 'aws_iam_role_policy').find(([, p]) => p.role === `\${aws_iam_role.${role[0]}.id}`)!;
    const describe = policy(inline[1].policy).Statement.find((st: any) => st.Action === 'eks:DescribeCluster');
    expect(describe.Resource).toMatch(/:eks:.*:cluster\/acme$/);
    const attached = resources(json, 'aws_iam_role_policy_attachment').filter(([, a]) => a.role === `\${aws_iam_role.${role[0]}.name}`).map(([, a]) => a.policy_arn.split('/').pop());
    expect(attached).toEqual(expect.arrayContaining(['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryPullOnly']));
    const addons = resources(json, 'aws_eks_addon');
    for (const g of Object.values(groups)) {
      expect(g.depends_on).toEqual(expect.arrayContaining([`aws_eks_access_entry.${entry[0]}`, ref('aws_eks_cluster', json, '')]));
      for (const [id, a] of addons) {
        if (['vpc-cni', 'kube-proxy', 'eks-pod-identity-agent'].includes(a.addon_name)) expect(g.depends_on).toContain(`aws_eks_addon.${id}`);
      }
    }
  });

  it('CoreDNS and the EBS CSI driver are created once the system group is in service', () => {
    for (const [, a] of resources(json, 'aws_eks_addon').filter(([, x]) => ['coredns', 'aws-ebs-csi-driver'].includes(x.addon_name))) {
      expect(a.depends_on).toContain(`aws_autoscaling_group.${groups['acme-system'].id}`);
    }
  });
});

describe('eksNodeRuntime', () => {
  const pool = (over: any) => ({ name: 'p', kind: PoolKind.SANDBOX, runtime: SandboxRuntime.GVISOR, shape: undefined,
    kubernetes: { runtimeClass: 'sandbox-gvisor', labels: {}, taints: [] }, ...over });

  it('installs nothing on a pool without a RuntimeClass (the system node group)', () => {
    expect(eksNodeRuntime(pool({ kubernetes: { runtimeClass: '', labels: {}, taints: [] } }), EgressMode.NAT)).toBeUndefined();
  });

  it('picks the source from the egress mode and nvproxy only for gVisor on GPU pools', () => {
    expect(eksNodeRuntime(pool({}), EgressMode.NONE)!.source).toBe(RuntimeSource.ARTIFACT_BUCKET);
    expect(eksNodeRuntime(pool({}), EgressMode.FIREWALL)!.source).toBe(RuntimeSource.UPSTREAM);
    const gpu = eksNodeRuntime(pool({ kind: PoolKind.GPU, kubernetes: { runtimeClass: 'sandbox-gvisor-gpu', labels: {}, taints: [] } }), EgressMode.NAT)!;
    expect(gpu.containerdConfig).toContain('runtimes.runsc-nvidia]');
    expect(gpu.install).toContain('nvproxy = "true"');
    expect(eksNodeRuntime(pool({}), EgressMode.NAT)!.install).not.toContain('nvproxy');
  });

  it('refuses an Arm pool (only x86_64 assets are pinned) and a class without a handler, naming the pool', () => {
    expect(() => eksNodeRuntime(pool({ shape: { arch: CpuArchitecture.ARM64 } }), EgressMode.NAT))
      .toThrow('pool p: no pinned gvisor release for aarch64 in lib/spec/catalog/runtimes.ts (the catalog pins x86_64 assets only); use an x86_64 instance type');
    expect(() => eksNodeRuntime(pool({ kubernetes: { runtimeClass: 'sandbox-other', labels: {}, taints: [] } }), EgressMode.NAT))
      .toThrow('pool p: no containerd handler for RuntimeClass sandbox-other');
  });
});

describe('EKS add-ons', () => {
  const json = synth(byocSpec(K8S));
  const addons: Record<string, any> = Object.fromEntries(resources(json, 'aws_eks_addon').map(([id, a]) => [a.addon_name, { id, ...a }]));
  const pins = EKS_KUBERNETES_CATALOG.versions[0].addons;

  it('pins the catalog versions; the others get EKS\'s default for the cluster version', () => {
    expect(Object.keys(addons).sort()).toEqual(['aws-ebs-csi-driver', 'coredns', 'eks-pod-identity-agent', 'kube-proxy', 'vpc-cni']);
    for (const [name, a] of Object.entries(addons)) {
      if (pins[name]) {
        expect(a.addon_version).toBe(pins[name]);
      } else {
        const data = Object.entries(json.data.aws_eks_addon_version as Record<string, any>).find(([, d]) => d.addon_name === name)!;
        expect(data[1]).toEqual({ addon_name: name, kubernetes_version: EKS_KUBERNETES_CATALOG.versions[0].version, most_recent: false });
        expect(a.addon_version).toBe(`\${data.aws_eks_addon_version.${data[0]}.version}`);
      }
      expect([a.resolve_conflicts_on_create, a.resolve_conflicts_on_update]).toEqual(['OVERWRITE', 'OVERWRITE']);
    }
  });

  it('the VPC CNI gets its AWS credentials through Pod Identity, after the agent and its role\'s grants', () => {
    const cni = addons['vpc-cni'];
    const role = resources(json, 'aws_iam_role').find(([, r]) => r.name === 'acme-eks-vpc-cni')!;
    expect(cni.pod_identity_association).toEqual([{ role_arn: `\${aws_iam_role.${role[0]}.arn}`, service_account: 'aws-node' }]);
    expect(policy(role[1].assume_role_policy).Statement[0].Principal).toEqual({ Service: 'pods.eks.amazonaws.com' });
    expect(cni.depends_on).toContain(`aws_eks_addon.${addons['eks-pod-identity-agent'].id}`);
    const attachment = resources(json, 'aws_iam_role_policy_attachment').find(([, a]) => a.policy_arn.endsWith('/AmazonEKS_CNI_Policy'))!;
    expect(cni.depends_on).toContain(`aws_iam_role_policy_attachment.${attachment[0]}`);
  });

  it('the EBS CSI node pods do not tolerate every taint (they stay off sandbox nodes); no other add-on is configured', () => {
    expect(JSON.parse(addons['aws-ebs-csi-driver'].configuration_values)).toEqual({ node: { tolerateAllTaints: false } });
    for (const name of ['vpc-cni', 'kube-proxy', 'coredns', 'eks-pod-identity-agent']) expect(addons[name].configuration_values).toBeUndefined();
  });

  it('the EBS CSI role may use the platform key for volumes, grants only for AWS resources', () => {
    const role = resources(json, 'aws_iam_role').find(([, r]) => r.name === 'acme-eks-ebs-csi')!;
    const inline = resources(json, 'aws_iam_role_policy').find(([, p]) => p.role === `\${aws_iam_role.${role[0]}.id}`)!;
    const grant = policy(inline[1].policy).Statement.find((s: any) => s.Action === 'kms:CreateGrant');
    expect(grant.Condition).toEqual({ Bool: { 'kms:GrantIsForAWSResource': true } });
  });
});

describe('EKS access', () => {
  const access = (access: ControlPlaneAccess, props = {}) => {
    const json = synth(byocSpec({ ...K8S, controlPlane: { principal: '111122223333', externalId: 'ext-id-123456', access } }), props);
    return json;
  };

  it.each([
    [ControlPlaneAccess.READ_ONLY, 'AmazonEKSViewPolicy'],
    [ControlPlaneAccess.OPERATE, 'AmazonEKSClusterAdminPolicy'],
  ])('the vendor\'s control-plane role (%s) gets an access entry with %s, after the entry exists', (level, policyName) => {
    const json = access(level);
    const role = ref('aws_iam_role', json, 'control-plane');
    const entries = resources(json, 'aws_eks_access_entry').filter(([, e]) => e.type === 'STANDARD');
    expect(entries).toHaveLength(1);
    expect(entries[0][1]).toMatchObject({ principal_arn: `\${${role}.arn}`, type: 'STANDARD' });
    const assoc = resource(json, 'aws_eks_access_policy_association');
    expect(assoc.policy_arn).toBe(`arn:\${data.aws_partition.${Object.keys(json.data.aws_partition)[0]}.partition}:eks::aws:cluster-access-policy/${policyName}`);
    expect(assoc.access_scope).toEqual({ type: 'cluster' });
    expect(assoc.depends_on).toEqual([`aws_eks_access_entry.${entries[0][0]}`]);
  });

  it.each([ControlPlaneAccess.READ_ONLY, ControlPlaneAccess.OPERATE])('the vendor role (%s) may describe its own cluster (kubeconfig), in the policy and its boundary', (level) => {
    const json = access(level);
    const docs = [...resources(json, 'aws_iam_role_policy').filter(([, p]) => p.name.startsWith('control-plane-')).map(([, p]) => p.policy),
      ...resources(json, 'aws_iam_policy').filter(([, p]) => p.name === 'acme-control-plane-boundary').map(([, p]) => p.policy)];
    expect(docs).toHaveLength(2);
    for (const doc of docs) {
      const st = policy(doc).Statement.find((x: any) => x.Sid === 'DescribeOwnCluster');
      expect(st.Action).toContain('eks:DescribeCluster');
      expect(st.Resource[0]).toMatch(/:eks:.*:cluster\/acme$/);
      expect(st.Resource.slice(1).map((r: string) => r.replace(/^.*:eks:.*?:(\w[\w-]*)\/.*$/, '$1'))).toEqual(['addon', 'access-entry']);
    }
    const ops = policy(docs[0]).Statement.find((x: any) => x.Sid === 'ScaleOwnPools');
    // Node groups are the platform's tagged Auto Scaling groups: operate scales them, read-only does not.
    expect(ops === undefined).toBe(level === ControlPlaneAccess.READ_ONLY);
  });

  it('the customer\'s administrators get ClusterAdmin; a managed platform has no vendor entry', () => {
    const json = synth({ ...K8S, name: 'acme', deployment: DeploymentModel.MANAGED } as SandboxPlatformSpec,
      { clusterAdminPrincipalArns: ['arn:aws:iam::123456789012:role/platform-admin'] });
    const entries = resources(json, 'aws_eks_access_entry').filter(([, e]) => e.type === 'STANDARD');
    expect(entries.map(([, e]) => e.principal_arn)).toEqual(['arn:aws:iam::123456789012:role/platform-admin']);
    expect(resource(json, 'aws_eks_access_policy_association').policy_arn).toMatch(/AmazonEKSClusterAdminPolicy$/);
  });
});

describe('EKS options', () => {
  it('restricted-public opens the public endpoint to the authorized CIDRs only', () => {
    const json = synth({ ...K8S, name: 'acme', deployment: DeploymentModel.MANAGED, compliance: ComplianceProfile.BASELINE,
      kubernetes: { apiEndpoint: KubernetesApiEndpoint.RESTRICTED_PUBLIC, authorizedCidrs: ['203.0.113.0/24'] } } as SandboxPlatformSpec);
    const c = resource(json, 'aws_eks_cluster');
    expect(c.vpc_config).toMatchObject({ endpoint_private_access: true, endpoint_public_access: true, public_access_cidrs: ['203.0.113.0/24'] });
  });

  it('with controlled egress the DNS firewall answers the EKS names', () => {
    const json = synth(byocSpec({ ...K8S, network: { egress: { mode: EgressMode.FIREWALL, allowedDomains: ['pypi.org'] } } }));
    const domains = resources(json, 'aws_route53_resolver_firewall_domain_list').flatMap(([, l]) => l.domains ?? []);
    for (const name of ['ec2.', 'eks.', '.eks.', 'eks-auth.']) expect(domains.some((d: string) => d.includes(name))).toBe(true);
    expect(domains).toContainEqual(expect.stringMatching(/^eks-auth\..*\.api\.aws$/));
  });

  it('without egress, the nodes get the EC2, EKS and EKS Auth endpoints too', () => {
    const json = synth(byocSpec({ ...K8S, network: { egress: { mode: EgressMode.NONE } } }));
    const names = resources(json, 'aws_vpc_endpoint').map(([, e]) => e.service_name as string);
    for (const svc of EKS_ENDPOINT_SERVICES) expect(names).toContainEqual(expect.stringMatching(new RegExp(`\\.${svc}$`)));
    const instances = synth(byocSpec({ network: { egress: { mode: EgressMode.NONE } } }));
    expect(resources(instances, 'aws_vpc_endpoint').map(([, e]) => e.service_name as string).filter((n) => /\.(ec2|eks|eks-auth)$/.test(n))).toEqual([]);
  });

  it('egress "none": nodes download their runtime from the artifact bucket (named by a cluster tag), never from upstream', () => {
    const json = synth(byocSpec({ ...K8S, network: { egress: { mode: EgressMode.NONE } } }));
    const lts = Object.fromEntries(resources(json, 'aws_launch_template').map(([, t]) => [t.name, t]));
    const text = (pool: string) => {
      const b = Buffer.from(lts[`acme-${pool}`].user_data, 'base64');
      return (b[0] === 0x1f ? gunzipSync(b) : b).toString('utf8');
    };
    const kata = text('kata');
    expect(kata).toContain(`"s3://\${bucket}/"'runtimes/kata/${runtimeRelease(SandboxRuntime.KATA)!.version}/x86_64/kata-static-`);
    expect(text('gvisor')).toContain(`'runtimes/gvisor/${runtimeRelease(SandboxRuntime.GVISOR)!.version}/x86_64/runsc'`);
    for (const pool of ['kata', 'gvisor']) {
      expect(text(pool)).not.toMatch(/https:\/\/(github\.com|storage\.googleapis\.com)/);
      expect(text(pool)).not.toContain('curl -fsSL');
      expect(text(pool)).toContain(`tags."${EKS_ARTIFACT_BUCKET_TAG}"`);
      expect(text(pool)).toContain('  sandbox_install_runtime "${bucket}"');
    }
    const bucket = resources(json, 'aws_s3_bucket').find(([, b]) => String(b.bucket_prefix).includes('artifact'))!;
    expect(resource(json, 'aws_eks_cluster').tags).toMatchObject({ [EKS_ARTIFACT_BUCKET_TAG]: `\${aws_s3_bucket.${bucket[0]}.bucket}` });
    // The node role reads the bucket's objects (and decrypts them through S3).
    const role = resources(json, 'aws_iam_role').find(([, r]) => r.name === 'acme-node')!;
    const inline = resources(json, 'aws_iam_role_policy').find(([, p]) => p.role === `\${aws_iam_role.${role[0]}.id}`)!;
    const read = JSON.parse(inline[1].policy).Statement.find((st: any) => st.Sid === 'ReadArtifacts');
    expect(read).toMatchObject({ Effect: 'Allow', Action: expect.arrayContaining(['s3:GetObject']), Resource: `\${aws_s3_bucket.${bucket[0]}.arn}/*` });
    if (!SKIP_SHELLCHECK) for (const pool of ['kata', 'gvisor']) expectShellcheckClean(text(pool), `eks ${pool} egress none`);
  });

  it('egress "firewall": the runtimes\' upstream hosts join both allow-lists, only for the runtimes the pools use', () => {
    const allowLists = (spec: SandboxPlatformSpec) => {
      const json = synth(spec);
      return {
        dns: resources(json, 'aws_route53_resolver_firewall_domain_list').flatMap(([, l]) => l.domains ?? []) as string[],
        nfw: resource(json, 'aws_networkfirewall_rule_group').rule_group.rules_source.rules_source_list.targets as string[],
      };
    };
    const network = { egress: { mode: EgressMode.FIREWALL, allowedDomains: ['pypi.org'] } };
    const both = allowLists(byocSpec({ ...K8S, network }));
    for (const host of runtimeDownloadDomains([SandboxRuntime.KATA, SandboxRuntime.GVISOR])) {
      expect([host, both.dns.includes(host), both.nfw.includes(host)]).toEqual([host, true, true]);
    }
    expect(both.nfw).toContain('pypi.org');
    const gvisorOnly = allowLists(byocSpec({ ...K8S, network, sandboxPools: [{ name: 'gvisor', runtime: SandboxRuntime.GVISOR }] }));
    expect(gvisorOnly.nfw).toContain('storage.googleapis.com');
    expect(gvisorOnly.nfw).not.toContain('github.com');
    expect(gvisorOnly.dns).not.toContain('github.com');
    // Instance mode installs no runtime through the firewall: nothing added.
    const instances = allowLists(byocSpec({ network }));
    expect(instances.nfw).toEqual(['pypi.org']);
    expect(instances.dns).not.toContain('storage.googleapis.com');
  });

  it('synthesizes byte-identical JSON twice', () => {
    expect(JSON.stringify(synth(byocSpec(K8S)))).toBe(JSON.stringify(synth(byocSpec(K8S))));
  });
});

describe('Kubernetes manifests', () => {
  const spec = byocSpec({ ...K8S, gpuPools: [{ name: 'gpu', gpu: GpuModel.T4 }] });

  it('one RuntimeClass per runtime the pools use: its handler, overhead, and scheduling onto exactly its pools\' nodes', () => {
    const plan = resolvePlatform(spec, CloudProvider.AWS);
    const list = renderKubernetesManifests('acme', plan.kubernetes!) as any;
    expect(list).toMatchObject({ apiVersion: 'v1', kind: 'List' });
    const classes = list.items.filter((i: any) => i.kind === 'RuntimeClass');
    expect(classes.map((c: any) => [c.metadata.name, c.handler])).toEqual([
      ['sandbox-gvisor', 'runsc'], ['sandbox-gvisor-gpu', 'runsc-nvidia'], ['sandbox-kata', 'kata'],
    ]);
    const kata = classes.find((c: any) => c.metadata.name === 'sandbox-kata');
    expect(kata).toMatchObject({
      apiVersion: 'node.k8s.io/v1',
      overhead: { podFixed: { cpu: '250m', memory: '160Mi' } },
      scheduling: {
        nodeSelector: { [KUBERNETES_LABELS.runtimeClass]: 'sandbox-kata' },
        tolerations: [{ key: KUBERNETES_LABELS.runtimeClass, operator: 'Equal', value: 'sandbox-kata', effect: 'NoSchedule' }],
      },
    });
    // The selector matches the labels the kata pool's nodes register with, and no other pool's.
    for (const pool of plan.pools) {
      const selected = Object.entries(kata.scheduling.nodeSelector).every(([k, v]) => pool.kubernetes!.labels[k] === v);
      expect([pool.name, selected]).toEqual([pool.name, pool.name === 'kata']);
    }
  });

  it('the NVIDIA device plugin runs on GPU nodes only, tolerating their taint, pinned', () => {
    const withGpu = renderKubernetesManifests('acme', resolvePlatform(spec, CloudProvider.AWS).kubernetes!) as any;
    const ds = withGpu.items.find((i: any) => i.kind === 'DaemonSet');
    expect(ds.spec.template.spec.containers[0].image).toBe(NVIDIA_DEVICE_PLUGIN_IMAGE);
    expect(NVIDIA_DEVICE_PLUGIN_IMAGE).toMatch(/:v\d+\.\d+\.\d+$/);
    expect(ds.spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions)
      .toEqual([{ key: KUBERNETES_LABELS.runtimeClass, operator: 'In', values: ['sandbox-gvisor-gpu'] }]);
    expect(ds.spec.template.spec.tolerations).toContainEqual({ key: KUBERNETES_LABELS.runtimeClass, operator: 'Equal', value: 'sandbox-gvisor-gpu', effect: 'NoSchedule' });
    const without = renderKubernetesManifests('acme', resolvePlatform(byocSpec(K8S), CloudProvider.AWS).kubernetes!) as any;
    expect(without.items.map((i: any) => i.kind)).toEqual(['RuntimeClass', 'RuntimeClass']);
  });

  it('the device plugin hands out CDI devices (cdi-cri) and writes its CDI spec from the host driver when every GPU class is gVisor', () => {
    const k = resolvePlatform(spec, CloudProvider.AWS).kubernetes!;
    const pod = (renderKubernetesManifests('acme', k) as any).items.find((i: any) => i.kind === 'DaemonSet').spec.template.spec;
    expect(pod.containers[0].env).toEqual([
      { name: 'FAIL_ON_INIT_ERROR', value: 'false' },
      { name: 'DEVICE_LIST_STRATEGY', value: 'cdi-cri' },
      { name: 'NVIDIA_DRIVER_ROOT', value: '/' },
      { name: 'NVIDIA_CDI_HOOK_PATH', value: NVIDIA_CDI_HOOK_PATH },
    ]);
    expect(NVIDIA_CDI_HOOK_PATH).toBe('/usr/bin/nvidia-ctk');
    expect(pod.containers[0].volumeMounts).toEqual([
      { name: 'device-plugin', mountPath: '/var/lib/kubelet/device-plugins' },
      { name: 'driver-root', mountPath: '/driver-root', readOnly: true },
      { name: 'cdi-root', mountPath: '/var/run/cdi' },
    ]);
    expect(pod.volumes).toEqual([
      { name: 'device-plugin', hostPath: { path: '/var/lib/kubelet/device-plugins' } },
      { name: 'driver-root', hostPath: { path: '/' } },
      { name: 'cdi-root', hostPath: { path: '/var/run/cdi', type: 'DirectoryOrCreate' } },
    ]);
    // Still unprivileged.
    expect(pod.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    // A GPU class that is not gVisor (none today: EKS refuses Kata GPU pools) keeps the plugin's defaults.
    const kataGpu = { ...k, runtimeClasses: k.runtimeClasses.map((rc) => (rc.gpu ? { ...rc, runtime: SandboxRuntime.KATA } : rc)) };
    const plain = (renderKubernetesManifests('acme', kataGpu) as any).items.find((i: any) => i.kind === 'DaemonSet').spec.template.spec;
    expect(plain.containers[0].env).toEqual([{ name: 'FAIL_ON_INIT_ERROR', value: 'false' }]);
    expect(plain.volumes.map((v: any) => v.name)).toEqual(['device-plugin']);
  });

  it('are written as kubernetes-manifests.json beside cdk.tf.json and output, identical to the plan\'s rendering', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'eks-manifests-'));
    const app = new App({ outdir });
    const stack = new TerraformStack(app, 'eks');
    new AwsProvider(stack, 'aws', { region: 'us-east-1' });
    new AwsSandboxPlatform(stack, 'platform', { spec });
    app.synth();
    const dir = join(outdir, 'stacks', 'eks');
    expect(existsSync(join(dir, 'cdk.tf.json'))).toBe(true);
    const written = JSON.parse(readFileSync(join(dir, KUBERNETES_MANIFESTS_FILE), 'utf8'));
    expect(written).toEqual(renderKubernetesManifests('acme', resolvePlatform(spec, CloudProvider.AWS).kubernetes!));
    const tf = JSON.parse(readFileSync(join(dir, 'cdk.tf.json'), 'utf8'));
    expect(JSON.parse(tf.output.acme_kubernetes_manifests.value)).toEqual(written);
  });

  it('instance mode writes none', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'eks-manifests-'));
    const app = new App({ outdir });
    const stack = new TerraformStack(app, 'inst');
    new AwsProvider(stack, 'aws', { region: 'us-east-1' });
    new AwsSandboxPlatform(stack, 'platform', { spec: byocSpec() });
    app.synth();
    expect(existsSync(join(outdir, 'stacks', 'inst', KUBERNETES_MANIFESTS_FILE))).toBe(false);
  });
});
