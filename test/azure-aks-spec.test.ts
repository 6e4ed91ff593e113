/**
 * Kubernetes mode on Azure (AKS), the spec side: the AKS Kubernetes catalog (versions, sources, the
 * runtime support table), what AKS runs and refuses, with the fix, and the plan a valid spec resolves to.
 * One table row per bad input: path, message, fix.
 */
import { Mutation, Obj, Row, gpu, issuesOf, sbx, top } from './bad-input';
import {
  AKS_KATA_RUNTIME_CLASS, AKS_KUBERNETES_CATALOG, CloudProvider, KUBERNETES_LABELS, KubernetesApiEndpoint, Orchestrator, SandboxPlatformSpec,
  SandboxRuntime, Virtualization, kubernetesCatalogFor, resolvePlatform,
} from '../lib/spec';

/** Valid on Azure: a Kata pool (Pod Sandboxing on a nested-virtualization size), in Kubernetes mode. */
const BASE: Obj = Object.freeze({
  name: 'acme',
  deployment: 'managed',
  compliance: 'baseline',
  orchestrator: 'kubernetes',
  sandboxPools: [{ name: 'kata', runtime: 'kata' }],
  gpuPools: [],
});

const k8s = (patch: Obj): Mutation => (s) => ({ ...s, kubernetes: { ...(s.kubernetes as Obj | undefined), ...patch } });
const both = (...ms: Mutation[]): Mutation => (s) => ms.reduce((acc, m) => m(acc), s);
const withGpu = (patch: Obj): Mutation => both(top({ gpuPools: [{ name: 'gpu', gpu: 't4' }] }), gpu(patch));
const azure = (spec: Obj) => issuesOf(spec, CloudProvider.AZURE);
const resolve = (spec: Obj) => resolvePlatform(spec as unknown as SandboxPlatformSpec, CloudProvider.AZURE);

const ROWS: Row[] = [
  { label: 'unsupported version', mutate: k8s({ version: '1.34' }), path: 'kubernetes.version',
    message: /"1\.34" is not among the AKS versions this library knows \(catalog checked \d{4}-\d\d-\d\d: 1\.37, 1\.36, 1\.35\)/,
    hint: /use one of "1\.37", "1\.36", "1\.35", or omit version for "1\.37"/ },
  { label: 'Firecracker pool', mutate: sbx({ runtime: 'firecracker' }), path: 'sandboxPools[0].runtime',
    message: /Firecracker pools are not offered on AKS: AKS Pod Sandboxing runs Kata with Cloud Hypervisor only/,
    hint: /use runtime "kata".*or keep Firecracker with orchestrator "instances"/ },
  { label: 'MIG on a GPU pool', mutate: withGpu({ gpu: 'a100-80gb', instanceType: 'Standard_NC24ads_A100_v4', gpuSharing: { strategy: 'mig', migPartitionSize: '1g.10gb' } }),
    path: 'gpuPools[0].gpuSharing.strategy',
    message: /MIG partitions cannot be used by gVisor pods: nvproxy does not expose the \/dev\/nvidia-caps devices/, hint: /whole GPUs/ },
  { label: 'time-sharing on a GPU pool', mutate: withGpu({ gpuSharing: { strategy: 'time-sharing', maxSharedClientsPerGpu: 4 } }),
    path: 'gpuPools[0].gpuSharing.strategy', message: /GPU time-sharing is not offered on AKS in this version/, hint: /remove gpuSharing/ },
  { label: 'Kata GPU pool', mutate: withGpu({ runtime: 'kata' }), path: 'gpuPools[0].runtime',
    message: /Kata GPU pools are not offered on AKS: no Azure GPU size supports nested virtualization/, hint: /use runtime "gvisor"/, count: 2 },
  { label: 'warm nodes', mutate: sbx({ warmNodes: 2 }), path: 'sandboxPools[0].warmNodes', message: /2 warm nodes cannot be used with orchestrator "kubernetes"/ },
  { label: 'pool named system', mutate: sbx({ name: 'system' }), path: 'sandboxPools[0].name', message: /"system" is reserved in Kubernetes mode/ },
  { label: 'authorizedCidrs over the AKS limit', mutate: k8s({ apiEndpoint: 'restricted-public', authorizedCidrs: Array.from({ length: 201 }, (_, i) => `198.${18 + (i >> 8)}.${i & 255}.0/24`) }),
    path: 'kubernetes.authorizedCidrs', message: /lists 201 CIDRs; AKS accepts at most 200/, hint: /at most 200/ },
  { label: 'restricted-public under hipaa', mutate: both(top({ compliance: 'hipaa' }), k8s({ apiEndpoint: 'restricted-public', authorizedCidrs: ['203.0.113.0/24'] })),
    path: 'kubernetes.apiEndpoint', message: /not allowed under hipaa/ },
];

describe('AKS: bad input', () => {
  it('the base spec resolves on Azure', () => {
    expect(azure(BASE)).toEqual([]);
  });

  it.each(ROWS.map((r) => [r.label, r] as const))('%s', (_label, row) => {
    const issues = azure(row.mutate({ ...BASE }));
    expect(issues.length).toBe(row.count ?? 1);
    // The generic GPU check may report the same path too: find this row's issue by its message.
    const issue = issues.find((i) => i.path === row.path && row.message.test(i.message));
    expect(issue).toBeDefined();
    if (row.hint) expect(issue!.hint).toMatch(row.hint);
    expect(issue!.hint.length).toBeGreaterThan(0);
  });

  it('reports every problem at once', () => {
    const spec = { ...BASE, kubernetes: { version: '1.2' }, sandboxPools: [{ name: 'gv', runtime: 'gvisor', warmNodes: 1 }, { name: 'fc', runtime: 'firecracker' }],
      gpuPools: [{ name: 'gpu', gpu: 't4', runtime: 'kata' }] };
    expect(azure(spec).map((i) => i.path).sort()).toEqual(
      ['gpuPools[0].runtime', 'gpuPools[0].runtime', 'kubernetes.version', 'sandboxPools[0].warmNodes', 'sandboxPools[1].runtime']);
  });

  it('gVisor pools and gVisor GPU pools (the GPU default) resolve, with their RuntimeClasses and handlers', () => {
    const spec = { ...BASE, sandboxPools: [{ name: 'kata', runtime: 'kata' }, { name: 'gv', runtime: 'gvisor' }], gpuPools: [{ name: 't4', gpu: 't4' }] };
    expect(azure(spec)).toEqual([]);
    const rcs = resolve(spec).kubernetes!.runtimeClasses;
    expect(rcs.map((rc) => [rc.name, rc.handler, rc.pools])).toEqual([
      ['sandbox-gvisor', 'runsc', ['gv']], ['sandbox-gvisor-gpu', 'runsc-nvidia', ['t4']], ['sandbox-kata', 'kata-guarded', ['kata']],
    ]);
  });

  it('a single zone is enough for AKS (node pools need no zones), unlike EKS', () => {
    expect(azure({ ...BASE, network: { zones: 1 } })).toEqual([]);
    expect(issuesOf({ ...BASE, network: { zones: 1 } }, CloudProvider.AWS).map((i) => i.path)).toEqual(['network.zones']);
  });
});

describe('AKS: the catalog', () => {
  it('is the Azure Kubernetes catalog', () => {
    expect(kubernetesCatalogFor(CloudProvider.AZURE)).toBe(AKS_KUBERNETES_CATALOG);
    expect(AKS_KUBERNETES_CATALOG.service).toBe('AKS');
  });

  it('versions newest first, each with an end-of-life date on the last day of its month, none past the check date', () => {
    const versions = AKS_KUBERNETES_CATALOG.versions.map((v) => v.version);
    expect(versions).toEqual([...versions].sort((a, b) => Number(b.split('.')[1]) - Number(a.split('.')[1])));
    for (const v of AKS_KUBERNETES_CATALOG.versions) {
      expect(v.endOfStandardSupport).toMatch(/^\d{4}-\d\d-\d\d$/);
      const end = new Date(`${v.endOfStandardSupport}T00:00:00Z`);
      // "the End of Life (EOL) date is the last day of the specified month"
      expect(new Date(end.getTime() + 86_400_000).getUTCDate()).toBe(1);
      expect(v.endOfStandardSupport > AKS_KUBERNETES_CATALOG.checked).toBe(true);
      // AKS manages its add-ons itself: nothing is pinned through Terraform.
      expect(v.addons).toEqual({});
    }
    expect(AKS_KUBERNETES_CATALOG.sources.every((s) => s.startsWith('https://learn.microsoft.com/azure/aks/'))).toBe(true);
  });

  it('every support row agrees with the refusals; Kata on a nested size and gVisor (CPU and GPU) are supported', () => {
    for (const row of AKS_KUBERNETES_CATALOG.runtimeSupport) {
      const refused = AKS_KUBERNETES_CATALOG.refusal(row) !== undefined;
      expect([row.runtime, row.virtualization, row.gpu, refused]).toEqual([row.runtime, row.virtualization, row.gpu, !row.supported]);
    }
    expect(AKS_KUBERNETES_CATALOG.runtimeSupport.filter((r) => r.supported).map((r) => [r.runtime, r.virtualization, r.gpu]))
      .toEqual([[SandboxRuntime.KATA, Virtualization.NESTED, false], [SandboxRuntime.GVISOR, Virtualization.NONE, false],
        [SandboxRuntime.GVISOR, Virtualization.NONE, true]]);
    expect(AKS_KUBERNETES_CATALOG.refusal({ runtime: SandboxRuntime.KATA, virtualization: Virtualization.BARE_METAL, gpu: false })!.message)
      .toMatch(/no bare-metal size/);
  });

  it('sandbox-kata uses our guarded copy of AKS\'s kata runtime (kata-guarded); gVisor the handlers our node agent adds', () => {
    expect(AKS_KATA_RUNTIME_CLASS).toBe('kata-vm-isolation');
    expect(AKS_KUBERNETES_CATALOG.handlers).toEqual({ 'sandbox-kata': 'kata-guarded', 'sandbox-gvisor': 'runsc', 'sandbox-gvisor-gpu': 'runsc-nvidia' });
  });
});

describe('AKS: resolution', () => {
  it('defaults: the newest AKS version, private API server, a D4s_v5 system pool', () => {
    const plan = resolve(BASE);
    expect(plan.orchestrator).toBe(Orchestrator.KUBERNETES);
    expect(plan.kubernetes).toMatchObject({
      version: '1.37', apiEndpoint: KubernetesApiEndpoint.PRIVATE, authorizedCidrs: [], addons: {}, endOfStandardSupport: '2027-10-31',
      systemNodes: { instanceType: 'Standard_D4s_v5', minNodes: 2, maxNodes: 4 },
    });
  });

  it('a Kata pool is nested on a Gen2-capable Intel size, labelled, tainted, and served by sandbox-kata (handler kata-guarded)', () => {
    const plan = resolve({ ...BASE, kubernetes: { version: '1.35', apiEndpoint: 'restricted-public', authorizedCidrs: ['203.0.113.0/24'] } });
    const pool = plan.pools[0];
    expect(pool.virtualization).toBe(Virtualization.NESTED);
    expect(pool.instanceType).toBe('Standard_D16s_v5');
    expect(pool.kubernetes).toEqual({
      runtimeClass: 'sandbox-kata',
      labels: { [KUBERNETES_LABELS.pool]: 'kata', [KUBERNETES_LABELS.runtimeClass]: 'sandbox-kata' },
      taints: [{ key: KUBERNETES_LABELS.runtimeClass, value: 'sandbox-kata', effect: 'NoSchedule' }],
    });
    expect(plan.kubernetes!.runtimeClasses.map((c) => [c.name, c.handler, c.pools])).toEqual([['sandbox-kata', 'kata-guarded', ['kata']]]);
    expect(plan.kubernetes!.version).toBe('1.35');
    expect(plan.kubernetes!.authorizedCidrs).toEqual(['203.0.113.0/24']);
  });
});
