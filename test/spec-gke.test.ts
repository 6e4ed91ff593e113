/**
 * The Kubernetes mode on GCP (GKE) and GPU sharing in the spec: the GKE catalog, what GKE refuses
 * with its fix, the RuntimeClasses' GKE handlers and tolerations, and gpuSharing validation on every
 * cloud. One table row per bad input: path, message, fix.
 */
import { Mutation, Obj, Row, gpu, issuesOf, sbx, top } from './bad-input';
import {
  CloudProvider, GKE_KUBERNETES_CATALOG, GKE_SANDBOX_TAINT, GpuSharingStrategy, KUBERNETES_LABELS, MIG_PROFILES, Orchestrator, SandboxPlatformSpec,
  SandboxRuntime, Virtualization, kubernetesCatalogFor, resolvePlatform,
} from '../lib/spec';

/** Valid on GCP: a Kata (nested) pool, a gVisor pool and an L4 pool with time-sharing, in Kubernetes mode. */
const BASE: Obj = Object.freeze({
  name: 'acme',
  deployment: 'managed',
  compliance: 'baseline',
  orchestrator: 'kubernetes',
  sandboxPools: [{ name: 'kata', runtime: 'kata' }, { name: 'gvisor', runtime: 'gvisor' }],
  gpuPools: [{ name: 'gpu', gpu: 'l4', gpuSharing: { strategy: 'time-sharing', maxSharedClientsPerGpu: 4 } }],
});

const GCP = CloudProvider.GCP;
const k8s = (patch: Obj): Mutation => (s) => ({ ...s, kubernetes: { ...(s.kubernetes as Obj | undefined), ...patch } });
const sharing = (v: unknown): Mutation => gpu({ gpuSharing: v });
const resolve = (spec: Obj, cloud = GCP) => resolvePlatform(spec as unknown as SandboxPlatformSpec, cloud);

const ROWS: Row[] = [
  { label: 'unsupported version', mutate: k8s({ version: '1.34' }), path: 'kubernetes.version',
    message: /"1\.34" is not among the GKE versions this library knows \(catalog checked \d{4}-\d\d-\d\d: 1\.35\)/, hint: /use one of "1\.35"/ },
  { label: 'Firecracker pool', mutate: sbx({ runtime: 'firecracker' }), path: 'sandboxPools[0].runtime',
    message: /Firecracker pools are not offered on GKE: .*devmapper snapshotter/, hint: /use runtime "kata"/ },
  { label: 'Kata on bare metal', mutate: sbx({ runtime: 'kata', virtualization: 'bare-metal' }), path: 'sandboxPools[0].runtime',
    message: /Kata on bare-metal machine types is not offered on GKE/, hint: /"virtualization": "nested" with an Intel N2, C3 or C4/ },
  { label: 'Kata GPU pool', mutate: gpu({ runtime: 'kata', gpu: 't4', gpuSharing: undefined }), path: 'gpuPools[0].runtime', count: 2,
    message: /Kata needs a bare-metal "t4" type/ },
  { label: 'authorizedCidrs over the GKE limit', mutate: k8s({ apiEndpoint: 'restricted-public', authorizedCidrs: Array.from({ length: 51 }, (_, i) => `198.18.${i}.0/24`) }),
    path: 'kubernetes.authorizedCidrs', message: /lists 51 CIDRs; GKE accepts at most 50/ },
  { label: 'MIG on GKE (gVisor)', mutate: gpu({ gpu: 'a100-80gb', gpuSharing: { strategy: 'mig', migPartitionSize: '1g.10gb' } }), path: 'gpuPools[0].gpuSharing.strategy',
    message: /MIG partitions cannot be used by GKE Sandbox pods: gVisor's nvproxy does not support Multi-Instance GPU/, hint: /use gpuSharing\.strategy "time-sharing"/ },
  { label: 'sharing not an object', mutate: sharing('time-sharing'), path: 'gpuPools[0].gpuSharing', message: /must be an object/ },
  { label: 'sharing without strategy', mutate: sharing({}), path: 'gpuPools[0].gpuSharing.strategy', message: /is required/ },
  { label: 'unknown strategy', mutate: sharing({ strategy: 'mps' }), path: 'gpuPools[0].gpuSharing.strategy', message: /"mps" is not allowed/, hint: /"time-sharing", "mig"/ },
  { label: 'unknown sharing field', mutate: sharing({ strategy: 'time-sharing', clients: 2 }), path: 'gpuPools[0].gpuSharing.clients', message: /unknown field "clients"/ },
  { label: 'one client per GPU', mutate: sharing({ strategy: 'time-sharing', maxSharedClientsPerGpu: 1 }), path: 'gpuPools[0].gpuSharing.maxSharedClientsPerGpu',
    message: /2\.\.48|at least 2|between 2 and 48/ },
  { label: 'too many clients per GPU', mutate: sharing({ strategy: 'time-sharing', maxSharedClientsPerGpu: 49 }), path: 'gpuPools[0].gpuSharing.maxSharedClientsPerGpu',
    message: /48/ },
  { label: 'migPartitionSize with time-sharing', mutate: sharing({ strategy: 'time-sharing', migPartitionSize: '1g.10gb' }), path: 'gpuPools[0].gpuSharing.migPartitionSize',
    message: /applies only to strategy "mig", not "time-sharing"/, hint: /remove migPartitionSize/ },
  { label: 'MIG on a GPU without MIG', mutate: sharing({ strategy: 'mig', migPartitionSize: '1g.5gb' }), path: 'gpuPools[0].gpuSharing.strategy',
    message: /"l4" GPUs have no Multi-Instance GPU/, hint: /use strategy "time-sharing"/ },
  { label: 'MIG without a partition size', mutate: gpu({ gpu: 'a100-40gb', gpuSharing: { strategy: 'mig' } }), path: 'gpuPools[0].gpuSharing.migPartitionSize',
    message: /is required with strategy "mig"/, hint: /"1g\.5gb", "2g\.10gb"/ },
  { label: 'MIG profile of another GPU', mutate: gpu({ gpu: 'a100-40gb', gpuSharing: { strategy: 'mig', migPartitionSize: '1g.10gb' } }), path: 'gpuPools[0].gpuSharing.migPartitionSize',
    message: /"1g\.10gb" is not a MIG profile of "a100-40gb"/, hint: /use one of "1g\.5gb"/ },
  { label: 'MIG with maxSharedClientsPerGpu', mutate: gpu({ gpu: 'a100-80gb', gpuSharing: { strategy: 'mig', migPartitionSize: '1g.10gb', maxSharedClientsPerGpu: 2 } }),
    path: 'gpuPools[0].gpuSharing.maxSharedClientsPerGpu', count: 2, message: /applies only to strategy "time-sharing", not "mig"/ },
  { label: 'sharing in instances mode', mutate: top({ orchestrator: 'instances' }), path: 'gpuPools[0].gpuSharing',
    message: /applies only with orchestrator "kubernetes"/, hint: /remove gpuSharing/ },
];

describe('GKE: bad input', () => {
  it('the base spec resolves on GCP', () => {
    expect(issuesOf(BASE, GCP)).toEqual([]);
  });

  it.each(ROWS.map((r) => [r.label, r] as const))('%s', (_label, row) => {
    const issues = issuesOf(row.mutate({ ...BASE }), GCP);
    const issue = issues.find((i) => i.path === row.path);
    expect(issue).toBeDefined();
    expect(issues.length).toBe(row.count ?? 1);
    expect(issue!.message).toMatch(row.message);
    if (row.hint) expect(issue!.hint).toMatch(row.hint);
    expect(issue!.hint.length).toBeGreaterThan(0);
  });

  it('reports every problem at once', () => {
    const spec = { ...BASE, sandboxPools: [{ name: 'fc', runtime: 'firecracker' }], kubernetes: { version: '1.2' },
      gpuPools: [{ name: 'gpu', gpu: 'l4', gpuSharing: { strategy: 'mig', migPartitionSize: '1g.5gb' } }] };
    expect(issuesOf(spec, GCP).map((i) => i.path).sort()).toEqual(['gpuPools[0].gpuSharing.strategy', 'kubernetes.version', 'sandboxPools[0].runtime']);
  });

  it('EKS refuses GPU sharing (its Kubernetes mode does not build it)', () => {
    const issues = issuesOf({ ...BASE, sandboxPools: [], gpuPools: [{ name: 'gpu', gpu: 't4', gpuSharing: { strategy: 'time-sharing' } }] }, CloudProvider.AWS);
    expect(issues).toEqual([expect.objectContaining({ path: 'gpuPools[0].gpuSharing.strategy', message: expect.stringMatching(/GPU sharing is not offered on EKS/) })]);
  });
});

describe('GKE: catalog and resolution', () => {
  it('GCP has a Kubernetes catalog: GKE, versions newest first with dated sources', () => {
    expect(kubernetesCatalogFor(GCP)).toBe(GKE_KUBERNETES_CATALOG);
    expect(GKE_KUBERNETES_CATALOG.service).toBe('GKE');
    for (const v of GKE_KUBERNETES_CATALOG.versions) expect(v.endOfStandardSupport).toMatch(/^\d{4}-\d\d-\d\d$/);
    expect(GKE_KUBERNETES_CATALOG.sources.length).toBeGreaterThan(0);
  });

  it('the support table and the refusals agree', () => {
    for (const row of GKE_KUBERNETES_CATALOG.runtimeSupport) {
      const refusal = GKE_KUBERNETES_CATALOG.refusal({ runtime: row.runtime, virtualization: row.virtualization, gpu: row.gpu });
      expect([row.runtime, row.virtualization, row.gpu, refusal === undefined]).toEqual([row.runtime, row.virtualization, row.gpu, row.supported]);
    }
  });

  it('defaults: GKE 1.35, private endpoint, no pinned add-ons, an e2-standard-2 system pool', () => {
    const plan = resolve(BASE);
    expect(plan.orchestrator).toBe(Orchestrator.KUBERNETES);
    expect(plan.kubernetes).toMatchObject({ version: '1.35', apiEndpoint: 'private', authorizedCidrs: [], addons: {},
      systemNodes: { instanceType: 'e2-standard-2', minNodes: 2, maxNodes: 4 } });
  });

  it('Kata pools are nested on an Intel type; GPU pools are gVisor with their sharing', () => {
    const plan = resolve(BASE);
    const byName = Object.fromEntries(plan.pools.map((p) => [p.name, p]));
    expect(byName.kata).toMatchObject({ runtime: SandboxRuntime.KATA, virtualization: Virtualization.NESTED, nestedVirtualization: true });
    expect(byName.kata.instanceType).toMatch(/^(n2|c3|c4)-/);
    expect(byName.gpu.gpu).toEqual({ model: 'l4', count: 1, sharing: { strategy: GpuSharingStrategy.TIME_SHARING, maxSharedClientsPerGpu: 4 } });
    expect(byName.gpu.kubernetes!.labels[KUBERNETES_LABELS.runtimeClass]).toBe('sandbox-gvisor-gpu');
  });

  it('time-sharing defaults to 2 sandboxes per GPU', () => {
    const plan = resolve({ ...BASE, gpuPools: [{ name: 'gpu', gpu: 't4', gpuSharing: { strategy: 'time-sharing' } }] });
    expect(plan.pools.find((p) => p.name === 'gpu')!.gpu!.sharing).toEqual({ strategy: 'time-sharing', maxSharedClientsPerGpu: 2 });
  });

  it('RuntimeClasses map to GKE handlers; gVisor classes also tolerate the GKE Sandbox taint; Kata does not', () => {
    const classes = Object.fromEntries(resolve(BASE).kubernetes!.runtimeClasses.map((rc) => [rc.name, rc]));
    expect(Object.keys(classes)).toEqual(['sandbox-gvisor', 'sandbox-gvisor-gpu', 'sandbox-kata']);
    expect(classes['sandbox-gvisor'].handler).toBe('gvisor');
    expect(classes['sandbox-gvisor-gpu'].handler).toBe('gvisor');
    expect(classes['sandbox-kata'].handler).toBe('kata-qemu');
    for (const name of ['sandbox-gvisor', 'sandbox-gvisor-gpu']) {
      expect(classes[name].tolerations).toEqual([
        { key: KUBERNETES_LABELS.runtimeClass, operator: 'Equal', value: name, effect: 'NoSchedule' },
        { ...GKE_SANDBOX_TAINT },
      ]);
    }
    expect(classes['sandbox-kata'].tolerations).toEqual([{ key: KUBERNETES_LABELS.runtimeClass, operator: 'Equal', value: 'sandbox-kata', effect: 'NoSchedule' }]);
  });

  it('EKS RuntimeClasses are unchanged by the GKE tolerations', () => {
    const plan = resolvePlatform({ name: 'acme', deployment: 'managed', compliance: 'baseline', orchestrator: 'kubernetes',
      sandboxPools: [{ name: 'gvisor', runtime: 'gvisor' }] } as unknown as SandboxPlatformSpec, CloudProvider.AWS);
    expect(plan.kubernetes!.runtimeClasses[0].tolerations).toHaveLength(1);
  });

  it('every MIG profile is "<n>g.<m>gb"', () => {
    for (const profiles of Object.values(MIG_PROFILES)) for (const p of profiles) expect(p).toMatch(/^[1-7]g\.\d+gb$/);
  });
});
