/**
 * The Kubernetes mode of the spec: `orchestrator` and `kubernetes`, the per-cloud Kubernetes catalog,
 * the runtime / virtualization pairs each cloud's Kubernetes runs, node labels / taints and the
 * RuntimeClasses that select and tolerate them. One table row per bad input: path, message, fix.
 */
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Mutation, Obj, Row, gpu, issuesOf, sbx, top } from './bad-input';
import {
  CloudProvider, EKS_KUBERNETES_CATALOG, KUBERNETES_LABELS, KubernetesApiEndpoint, Orchestrator, PoolKind, SandboxPlatformSpec,
  SandboxRuntime, Virtualization, kubernetesCatalogFor, loadSpecFile, resolvePlatform,
} from '../lib/spec';

/** Valid on AWS: a KVM (Kata, metal) pool, a gVisor pool and a T4 pool, in Kubernetes mode. */
const BASE: Obj = Object.freeze({
  name: 'acme',
  deployment: 'managed',
  compliance: 'baseline',
  orchestrator: 'kubernetes',
  sandboxPools: [{ name: 'kata', runtime: 'kata' }, { name: 'gvisor', runtime: 'gvisor' }],
  gpuPools: [{ name: 'gpu', gpu: 't4' }],
});

const k8s = (patch: Obj): Mutation => (s) => ({ ...s, kubernetes: { ...(s.kubernetes as Obj | undefined), ...patch } });
const both = (...ms: Mutation[]): Mutation => (s) => ms.reduce((acc, m) => m(acc), s);
const resolve = (spec: Obj, cloud = CloudProvider.AWS) => resolvePlatform(spec as unknown as SandboxPlatformSpec, cloud);

const ROWS: Row[] = [
  { label: 'unknown orchestrator', mutate: top({ orchestrator: 'kubernets' }), path: 'orchestrator', message: /"kubernets" is not allowed/, hint: /did you mean "kubernetes"/ },
  { label: 'kubernetes without orchestrator', mutate: both(top({ orchestrator: undefined }), k8s({ version: '1.34' })), path: 'kubernetes',
    message: /orchestrator is not "kubernetes" \(the default is "instances"\)/, hint: /"orchestrator": "kubernetes"/ },
  { label: 'kubernetes with orchestrator instances', mutate: both(top({ orchestrator: 'instances' }), k8s({})), path: 'kubernetes',
    message: /only with orchestrator "kubernetes", not "instances"/ },
  { label: 'kubernetes not an object', mutate: top({ kubernetes: '1.34' }), path: 'kubernetes', message: /must be an object/ },
  { label: 'unknown kubernetes field', mutate: k8s({ endpoint: 'private' }), path: 'kubernetes.endpoint', message: /unknown field "endpoint"/ },
  { label: 'unsupported version', mutate: k8s({ version: '1.20' }), path: 'kubernetes.version',
    message: /"1\.20" is not among the EKS versions this library knows \(catalog checked \d{4}-\d\d-\d\d: 1\.35, 1\.34, 1\.33\)/, hint: /use one of "1\.35", "1\.34", "1\.33"/ },
  { label: 'version with a patch', mutate: k8s({ version: '1.34.2' }), path: 'kubernetes.version', message: /"1\.34\.2" is not a Kubernetes minor version such as "1\.34"/ },
  { label: 'version as a number', mutate: k8s({ version: 1.34 }), path: 'kubernetes.version', message: /must be a string, got 1\.34/ },
  { label: 'unknown apiEndpoint', mutate: k8s({ apiEndpoint: 'public' }), path: 'kubernetes.apiEndpoint', message: /"public" is not allowed/, hint: /"private", "restricted-public"/ },
  { label: 'restricted-public under hipaa', mutate: both(top({ compliance: 'hipaa' }), k8s({ apiEndpoint: 'restricted-public', authorizedCidrs: ['203.0.113.0/24'] })),
    path: 'kubernetes.apiEndpoint', message: /"restricted-public" is not allowed under hipaa/, hint: /use "private"/ },
  { label: 'restricted-public under soc2', mutate: both(top({ compliance: 'soc2' }), k8s({ apiEndpoint: 'restricted-public', authorizedCidrs: ['203.0.113.0/24'] })),
    path: 'kubernetes.apiEndpoint', message: /not allowed under soc2/ },
  { label: 'restricted-public without authorizedCidrs', mutate: k8s({ apiEndpoint: 'restricted-public' }), path: 'kubernetes.authorizedCidrs',
    message: /is required with apiEndpoint "restricted-public"/ },
  { label: 'authorizedCidrs without restricted-public', mutate: k8s({ authorizedCidrs: ['203.0.113.0/24'] }), path: 'kubernetes.authorizedCidrs',
    message: /applies only to apiEndpoint "restricted-public", not "private"/ },
  { label: 'authorizedCidrs with private', mutate: k8s({ apiEndpoint: 'private', authorizedCidrs: ['203.0.113.0/24'] }), path: 'kubernetes.authorizedCidrs',
    message: /not "private"/ },
  { label: 'authorizedCidrs 0.0.0.0/0', mutate: k8s({ apiEndpoint: 'restricted-public', authorizedCidrs: ['0.0.0.0/0'] }), path: 'kubernetes.authorizedCidrs[0]',
    message: /"0\.0\.0\.0\/0" opens the API server to the whole internet/ },
  { label: 'authorizedCidrs not a CIDR', mutate: k8s({ apiEndpoint: 'restricted-public', authorizedCidrs: ['203.0.113.7'] }), path: 'kubernetes.authorizedCidrs[0]',
    message: /is not an IPv4 CIDR/ },
  { label: 'authorizedCidrs with host bits', mutate: k8s({ apiEndpoint: 'restricted-public', authorizedCidrs: ['203.0.113.7/24'] }), path: 'kubernetes.authorizedCidrs[0]',
    message: /host bits set; the network address is 203\.0\.113\.0\/24/ },
  { label: 'authorizedCidrs private range', mutate: k8s({ apiEndpoint: 'restricted-public', authorizedCidrs: ['10.0.0.0/8'] }), path: 'kubernetes.authorizedCidrs[0]',
    message: /"10\.0\.0\.0\/8" is a private range/ },
  { label: 'authorizedCidrs duplicate', mutate: k8s({ apiEndpoint: 'restricted-public', authorizedCidrs: ['203.0.113.0/24', '203.0.113.0/24'] }),
    path: 'kubernetes.authorizedCidrs[1]', message: /listed twice/ },
  { label: 'authorizedCidrs empty', mutate: k8s({ apiEndpoint: 'restricted-public', authorizedCidrs: [] }), path: 'kubernetes.authorizedCidrs', message: /is empty/ },
  { label: 'authorizedCidrs too many', mutate: k8s({ apiEndpoint: 'restricted-public', authorizedCidrs: Array.from({ length: 41 }, (_, i) => `198.18.${i}.0/24`) }),
    path: 'kubernetes.authorizedCidrs', message: /lists 41 CIDRs; EKS accepts at most 40/ },
  { label: 'authorizedCidrs not a list', mutate: k8s({ apiEndpoint: 'restricted-public', authorizedCidrs: '203.0.113.0/24' }), path: 'kubernetes.authorizedCidrs',
    message: /must be a list/ },
  { label: 'Firecracker pool', mutate: sbx({ runtime: 'firecracker' }), path: 'sandboxPools[0].runtime',
    message: /Firecracker pools are not offered on EKS: Kata with the Firecracker hypervisor needs containerd's devmapper snapshotter/,
    hint: /use runtime "kata".*or keep Firecracker with orchestrator "instances"/ },
  { label: 'Firecracker pool, nested', mutate: sbx({ runtime: 'firecracker', virtualization: 'nested', instanceType: 'm8i.4xlarge' }), path: 'sandboxPools[0].runtime',
    message: /Firecracker pools are not offered on EKS/ },
  { label: 'gVisor pool on an Arm type', mutate: sbx({ runtime: 'gvisor', instanceType: 'c7g.xlarge' }), path: 'sandboxPools[0].instanceType',
    message: /^"c7g\.xlarge" is an Arm \(arm64\) type: gvisor on EKS nodes is installed from pinned x86_64 release assets only/,
    hint: /use an x86_64 instance type/ },
  { label: 'Kata GPU pool', mutate: gpu({ runtime: 'kata' }), path: 'gpuPools[0].runtime', message: /Kata GPU pools are not offered on EKS/, hint: /use runtime "gvisor"/ },
  { label: 'warm nodes', mutate: sbx({ warmNodes: 2 }), path: 'sandboxPools[0].warmNodes',
    message: /2 warm nodes cannot be used with orchestrator "kubernetes": a standby instance joins the cluster/, hint: /raise minNodes/ },
  { label: 'one zone', mutate: top({ network: { zones: 1 } }), path: 'network.zones', message: /1 zone cannot hold the EKS cluster: its subnets must span at least 2 zones/ },
  { label: 'one pinned zone', mutate: top({ network: { availabilityZones: ['us-east-1a'] } }), path: 'network.availabilityZones', message: /must span at least 2 zones/ },
  { label: 'pool named system', mutate: sbx({ name: 'system' }), path: 'sandboxPools[0].name', message: /"system" is reserved in Kubernetes mode/ },
];

describe('Kubernetes mode: bad input', () => {
  it('the base spec resolves', () => {
    expect(issuesOf(BASE)).toEqual([]);
  });

  it.each(ROWS.map((r) => [r.label, r] as const))('%s', (_label, row) => {
    const issues = issuesOf(row.mutate({ ...BASE }));
    expect(issues.length).toBe(row.count ?? 1);
    const issue = issues.find((i) => i.path === row.path);
    expect(issue).toBeDefined();
    expect(issue!.message).toMatch(row.message);
    if (row.hint) expect(issue!.hint).toMatch(row.hint);
    expect(issue!.hint.length).toBeGreaterThan(0);
  });

  it('reports every problem at once', () => {
    const issues = issuesOf(both(top({ compliance: 'hipaa' }), sbx({ runtime: 'firecracker', warmNodes: 1 }),
      k8s({ version: '1.2', apiEndpoint: 'restricted-public', authorizedCidrs: ['0.0.0.0/0'] }))({ ...BASE }));
    expect(issues.map((i) => i.path).sort()).toEqual([
      'kubernetes.apiEndpoint', 'kubernetes.authorizedCidrs[0]', 'kubernetes.version', 'sandboxPools[0].runtime', 'sandboxPools[0].warmNodes',
    ]);
  });

  it.each([CloudProvider.AWS, CloudProvider.GCP, CloudProvider.AZURE])('%s: has a Kubernetes catalog (the Kubernetes mode is built)', (cloud) => {
    expect(kubernetesCatalogFor(cloud)?.cloud).toBe(cloud);
  });
});

describe('Kubernetes mode: resolution', () => {
  it('instances is the default and carries no cluster or node settings', () => {
    const plan = resolve({ ...BASE, orchestrator: undefined });
    expect(plan.orchestrator).toBe(Orchestrator.INSTANCES);
    expect(plan.kubernetes).toBeUndefined();
    expect(plan.pools.every((p) => p.kubernetes === undefined)).toBe(true);
  });

  it('defaults: the newest catalog version with its pinned add-ons, a private endpoint, a system node group', () => {
    const plan = resolve(BASE);
    expect(plan.orchestrator).toBe(Orchestrator.KUBERNETES);
    const newest = EKS_KUBERNETES_CATALOG.versions[0];
    expect(plan.kubernetes).toMatchObject({
      version: newest.version, apiEndpoint: KubernetesApiEndpoint.PRIVATE, authorizedCidrs: [], addons: newest.addons,
      endOfStandardSupport: newest.endOfStandardSupport, systemNodes: { instanceType: 'm7i.large', minNodes: 2, maxNodes: 4 },
    });
  });

  it('an older version gets its own add-on pins; restricted-public keeps its CIDRs', () => {
    const plan = resolve({ ...BASE, kubernetes: { version: '1.33', apiEndpoint: 'restricted-public', authorizedCidrs: ['203.0.113.0/24', '198.51.100.8/29'] } });
    expect(plan.kubernetes!.version).toBe('1.33');
    expect(plan.kubernetes!.addons['kube-proxy']).toMatch(/^v1\.33\./);
    expect(plan.kubernetes!.authorizedCidrs).toEqual(['203.0.113.0/24', '198.51.100.8/29']);
  });

  it('each pool is labelled and tainted for its pool and RuntimeClass; each RuntimeClass selects and tolerates exactly those nodes', () => {
    const plan = resolve({ ...BASE, sandboxPools: [...(BASE.sandboxPools as Obj[]), { name: 'kata-nested', runtime: 'kata', instanceType: 'm8i.4xlarge' }] });
    const byName = Object.fromEntries(plan.pools.map((p) => [p.name, p]));
    expect(byName.kata.kubernetes).toEqual({
      runtimeClass: 'sandbox-kata',
      labels: { [KUBERNETES_LABELS.pool]: 'kata', [KUBERNETES_LABELS.runtimeClass]: 'sandbox-kata' },
      taints: [{ key: KUBERNETES_LABELS.runtimeClass, value: 'sandbox-kata', effect: 'NoSchedule' }],
    });
    expect(byName['kata-nested'].virtualization).toBe(Virtualization.NESTED);
    expect(byName.gvisor.kubernetes!.runtimeClass).toBe('sandbox-gvisor');
    expect(byName.gpu.kubernetes!.runtimeClass).toBe('sandbox-gvisor-gpu');

    const classes = plan.kubernetes!.runtimeClasses;
    expect(classes.map((c) => [c.name, c.handler, c.pools])).toEqual([
      ['sandbox-gvisor', 'runsc', ['gvisor']],
      ['sandbox-gvisor-gpu', 'runsc-nvidia', ['gpu']],
      ['sandbox-kata', 'kata', ['kata', 'kata-nested']],
    ]);
    for (const rc of classes) {
      for (const pool of plan.pools) {
        const k = pool.kubernetes!;
        const selected = Object.entries(rc.nodeSelector).every(([key, v]) => k.labels[key] === v);
        const tolerated = k.taints.every((t) => rc.tolerations.some((tol) => tol.key === t.key && tol.effect === t.effect &&
          (tol.operator === 'Exists' || tol.value === t.value)));
        // A class lands on its own pools' nodes and nowhere else.
        expect([rc.name, pool.name, selected && tolerated]).toEqual([rc.name, pool.name, rc.pools.includes(pool.name)]);
      }
      expect(rc.overhead.cpu).toMatch(/^\d+m$/);
      expect(rc.overhead.memory).toMatch(/^\d+Mi$/);
    }
    expect(classes.find((c) => c.name === 'sandbox-kata')!.runtime).toBe(SandboxRuntime.KATA);
    expect(classes.find((c) => c.name === 'sandbox-gvisor-gpu')!.gpu).toBe(true);
    expect(plan.pools.find((p) => p.name === 'gpu')!.kind).toBe(PoolKind.GPU);
  });

  it('the EKS catalog: newest first, pinned add-ons per version, a handler for every RuntimeClass, a support row per refused pair', () => {
    const versions = EKS_KUBERNETES_CATALOG.versions.map((v) => v.version);
    const sorted = [...versions].sort((a, b) => Number(b.split('.')[1]) - Number(a.split('.')[1]));
    expect(versions).toEqual(sorted);
    for (const v of EKS_KUBERNETES_CATALOG.versions) {
      // A version may pin no add-on yet (each then takes EKS's default for it); a pin has EKS's format.
      if (v.addons['kube-proxy'] !== undefined) expect(v.addons['kube-proxy']).toMatch(new RegExp(`^v${v.version.replace('.', '\\.')}\\.\\d+-eksbuild\\.\\d+$`));
      if (v.addons.coredns !== undefined) expect(v.addons.coredns).toMatch(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/);
      expect(v.endOfStandardSupport).toMatch(/^\d{4}-\d\d-\d\d$/);
    }
    for (const row of EKS_KUBERNETES_CATALOG.runtimeSupport) {
      const refused = EKS_KUBERNETES_CATALOG.refusal(row) !== undefined;
      expect([row.runtime, row.virtualization, row.gpu, refused]).toEqual([row.runtime, row.virtualization, row.gpu, !row.supported]);
    }
  });

  it('the same spec switches modes: only orchestrator changes', () => {
    const instances = resolve({ ...BASE, orchestrator: 'instances', sandboxPools: [{ name: 'fc' }] });
    expect(instances.pools[0].runtime).toBe(SandboxRuntime.FIRECRACKER);
    const cluster = resolve({ ...BASE, sandboxPools: [{ name: 'kata', runtime: 'kata' }] });
    expect(cluster.pools[0].instanceType).toBe(resolve({ ...BASE, orchestrator: 'instances', sandboxPools: [{ name: 'kata', runtime: 'kata' }] }).pools[0].instanceType);
  });
});

describe('Kubernetes mode: spec files', () => {
  it('a spec file in Kubernetes mode loads with the same validation', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'k8s-')), 's.json');
    writeFileSync(file, JSON.stringify({ target: { cloud: 'aws', region: 'us-east-1' }, spec: { ...BASE, kubernetes: { apiEndpoint: 'private' } } }));
    expect(loadSpecFile(file).spec.orchestrator).toBe('kubernetes');
    writeFileSync(file, JSON.stringify({ target: { cloud: 'aws', region: 'us-east-1' }, spec: { ...BASE, kubernetes: { version: '1.99' } } }));
    expect(() => loadSpecFile(file)).toThrow(/spec\.kubernetes\.version: "1\.99" is not among the EKS versions/);
  });
});
