/**
 * explain in Kubernetes mode: the cluster section (text and --format json), the restricted-public
 * endpoint with its CIDRs, the instance-metadata decision per cloud and orchestrator, and the
 * control-plane / system-pool cost lines.
 */
import { join } from 'path';
import { ExitCode } from '../lib/cli';
import { explainDocument } from '../lib/cli/explain/model';
import { renderExplain } from '../lib/cli/explain/render';
import {
  CloudProvider, ComplianceProfile, DeploymentModel, KubernetesApiEndpoint, Orchestrator, SandboxRuntime, loadSpecFile, resolvePlatform,
} from '../lib/spec';
import { runCli } from './fixtures/cli/run-cli';

const root = join(__dirname, '..');
const specDir = 'stacks/specs';
const run = (argv: string[]) => runCli(argv, { cwd: root });
const EKS_FILE = `${specDir}/aws-eks-byoc-hipaa.json`;
const GKE_FILE = `${specDir}/gcp-gke-byoc-soc2.json`;
const AKS_FILE = `${specDir}/azure-aks-byoc-hipaa.json`;

async function json(file: string) {
  const r = await run(['explain', '-f', 'json', file]);
  expect(r.code).toBe(ExitCode.OK);
  return JSON.parse(r.stdout);
}

function metadata(doc: { decisions: { key: string; value: string; why: string }[] }) {
  return doc.decisions.find((d) => d.key === 'instanceMetadata')!;
}

describe('explain --format json: the kubernetes section', () => {
  it('instance mode: orchestrator instances, kubernetes null', async () => {
    const doc = await json(`${specDir}/aws-byoc-hipaa.json`);
    expect(doc.orchestrator).toBe('instances');
    expect(doc.kubernetes).toBeNull();
  });

  it('EKS: service, version and end of standard support, private endpoint, pinned add-ons, system pool, RuntimeClasses, per-pool labels and taints, manifests file', async () => {
    const doc = await json(EKS_FILE);
    const plan = loadSpecFile(join(root, EKS_FILE)).resolved;
    const k = plan.kubernetes!;
    expect(doc.orchestrator).toBe('kubernetes');
    expect(doc.kubernetes).toMatchObject({
      service: 'EKS', version: k.version, endOfStandardSupport: k.endOfStandardSupport, apiEndpoint: 'private', authorizedCidrs: [],
      systemPool: { instanceType: 'm7i.large', minNodes: 2, maxNodes: 4 }, manifestsFile: 'kubernetes-manifests.json',
    });
    expect(doc.kubernetes.addons).toEqual(Object.keys(k.addons).sort().map((name) => ({ name, version: k.addons[name] })));
    expect(doc.kubernetes.runtimeClasses.map((c: { name: string; handler: string }) => [c.name, c.handler]))
      .toEqual([['sandbox-gvisor', 'runsc'], ['sandbox-gvisor-gpu', 'runsc-nvidia'], ['sandbox-kata', 'kata']]);
    expect(doc.kubernetes.pools[0]).toEqual({
      name: 'system', runtimeClass: null, handler: null, labels: [{ key: 'cdktf-sandbox-byoc.io/pool', value: 'system' }], taints: [],
    });
    expect(doc.kubernetes.pools.map((p: { name: string }) => p.name)).toEqual(['system', ...plan.pools.map((p) => p.name)]);
    expect(doc.kubernetes.pools.find((p: { name: string }) => p.name === 'l4')).toEqual({
      name: 'l4', runtimeClass: 'sandbox-gvisor-gpu', handler: 'runsc-nvidia',
      labels: [{ key: 'cdktf-sandbox-byoc.io/pool', value: 'l4' }, { key: 'cdktf-sandbox-byoc.io/runtime-class', value: 'sandbox-gvisor-gpu' }],
      taints: [{ key: 'cdktf-sandbox-byoc.io/runtime-class', value: 'sandbox-gvisor-gpu', effect: 'NoSchedule' }],
    });
    // The cost: the control-plane fee and the system pool as fixed lines.
    const items = doc.cost.fixed.map((f: { item: string }) => f.item);
    expect(items.slice(0, 2)).toEqual([`EKS cluster (Kubernetes ${k.version}, standard support)`, 'EKS system node pool']);
    expect(doc.cost.fixed[1]).toMatchObject({ instanceType: 'm7i.large', quantity: 2, maxQuantity: 4, unitHourly: 0.1008 });
    expect(doc.cost.fixed[0]).toMatchObject({ instanceType: null, quantity: 1, maxQuantity: 1, unitHourly: 0.1 });
    expect(doc.cost.excluded.join(' ')).not.toContain('control-plane');
  });

  it('GKE: handlers gvisor / kata-qemu, GKE Sandbox\'s taint among the gVisor classes\' tolerations, no pinned add-ons', async () => {
    const doc = await json(GKE_FILE);
    expect(doc.kubernetes.service).toBe('GKE');
    expect(doc.kubernetes.addons).toEqual([]);
    const gv = doc.kubernetes.runtimeClasses.find((c: { name: string }) => c.name === 'sandbox-gvisor');
    expect(gv.handler).toBe('gvisor');
    expect(gv.tolerations).toContainEqual({ key: 'sandbox.gke.io/runtime', operator: 'Equal', value: 'gvisor', effect: 'NoSchedule' });
    expect(doc.kubernetes.runtimeClasses.find((c: { name: string }) => c.name === 'sandbox-kata').handler).toBe('kata-qemu');
  });

  it('AKS: the system pool is the default node pool, created without our labels', async () => {
    const doc = await json(AKS_FILE);
    expect(doc.kubernetes.service).toBe('AKS');
    expect(doc.kubernetes.systemPool).toEqual({ instanceType: 'Standard_D4s_v5', minNodes: 2, maxNodes: 4 });
    expect(doc.kubernetes.pools[0]).toMatchObject({ name: 'system', labels: [], taints: [] });
  });
});

describe('explain text: the Kubernetes section', () => {
  it('EKS: service, version, endpoint, system pool, manifests file, each RuntimeClass and each pool with its labels and taint', async () => {
    const r = await run(['explain', EKS_FILE]);
    const plan = loadSpecFile(join(root, EKS_FILE)).resolved;
    const k = plan.kubernetes!;
    const section = r.stdout.slice(r.stdout.indexOf('\nKubernetes (EKS)\n'), r.stdout.indexOf('\nPreset decisions'));
    expect(section.length).toBeGreaterThan(0);
    expect(section).toContain(`version       ${k.version}, standard support until ${k.endOfStandardSupport}`);
    expect(section).toContain('API endpoint  private: reachable only from inside the network');
    expect(section).toContain('system pool   m7i.large, min 2, max 4');
    expect(section).toContain('kubernetes-manifests.json beside cdk.tf.json');
    expect(section).toContain('sandbox-kata: handler kata, overhead 250m CPU / 160Mi, pools kata-metal, kata-nested');
    expect(section).toContain('    kata-metal: RuntimeClass sandbox-kata (handler kata)\n');
    expect(section).toContain('      taints cdktf-sandbox-byoc.io/runtime-class=sandbox-kata:NoSchedule\n');
    expect(section).toContain('    system: no RuntimeClass (system pods)\n      labels cdktf-sandbox-byoc.io/pool=system\n      taints none\n');
    // The cost lines: the system pool shows its node range and type.
    expect(r.stdout).toMatch(/EKS system node pool \(m7i\.large\) +2\.\.4 +\$0\.1008 +\$0\.20 \.\. \$0\.40/);
  });

  it('instance mode has no Kubernetes section', async () => {
    const r = await run(['explain', `${specDir}/gcp-byoc-soc2.json`]);
    expect(r.stdout).not.toMatch(/\nKubernetes \(/);
  });

  it('restricted-public: the endpoint lists its authorized CIDRs (text and json)', () => {
    const loaded = loadSpecFile(join(root, EKS_FILE));
    const resolved = resolvePlatform({
      name: 'acme', deployment: DeploymentModel.MANAGED, compliance: ComplianceProfile.BASELINE, orchestrator: Orchestrator.KUBERNETES,
      kubernetes: { apiEndpoint: KubernetesApiEndpoint.RESTRICTED_PUBLIC, authorizedCidrs: ['203.0.113.0/24', '198.51.100.7/32'] },
      sandboxPools: [{ name: 'gv', runtime: SandboxRuntime.GVISOR, instanceType: 'm7i.4xlarge', minNodes: 1, maxNodes: 2 }],
    }, CloudProvider.AWS);
    const doc = explainDocument('x.json', { ...loaded, resolved });
    expect(doc.kubernetes).toMatchObject({ apiEndpoint: 'restricted-public', authorizedCidrs: ['203.0.113.0/24', '198.51.100.7/32'] });
    expect(renderExplain(doc)).toContain('API endpoint  restricted-public: a public endpoint reachable only from 203.0.113.0/24, 198.51.100.7/32');
  });
});

describe('instance metadata: what is true per cloud and orchestrator', () => {
  it('AWS, both modes: IMDSv2 with hop limit 1 and the host guard (EKS nodes run our bootstrap)', async () => {
    expect(metadata(await json(`${specDir}/aws-byoc-hipaa.json`)).value).toBe('IMDSv2 required, hop limit 1; blocked from sandboxes by the host guard');
    expect(metadata(await json(EKS_FILE)).value).toMatch(/^IMDSv2 required, hop limit 1; blocked from sandbox pods by the host guard/);
  });

  it('GKE: Workload Identity\'s metadata server, and no claim of a host guard or IMDSv2', async () => {
    const m = metadata(await json(GKE_FILE));
    expect(m.value).toMatch(/^GKE metadata server \(Workload Identity\) on every pool/);
    expect(m.value).toContain('no host guard');
    expect(m.value).not.toMatch(/IMDSv2|blocked from sandboxes/);
    expect(m.why).toContain('GKE runs no startup script');
    expect(metadata(await json(`${specDir}/gcp-byoc-soc2.json`)).value).toMatch(/^blocked from sandboxes by the host guard/);
  });

  it('AKS: blocked by the node agents\' guard, names the endpoints, the exemption and that the manifests must be applied first', async () => {
    const m = metadata(await json(AKS_FILE));
    expect(m.value).toMatch(/^blocked from sandbox pods by the host guard the node agents load \(IMDS and WireServer 168\.63\.129\.16; kube-system pods/);
    expect(m.value).toContain('registered only once it is loaded');
    expect(m.why).toContain('apply the manifests before sandbox pods');
    expect(metadata(await json(`${specDir}/azure-byoc-hipaa.json`)).value).toMatch(/^blocked from sandboxes by the host guard/);
  });
});
