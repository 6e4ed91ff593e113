/**
 * The cost estimate in Kubernetes mode: the managed control-plane fee (EKS standard / extended
 * support, GKE cluster management, AKS Standard tier) and the system node pool as fixed lines,
 * hand-checked; unknown stays unknown; control-plane fees are no longer listed as excluded.
 */
import {
  AKS_STANDARD_TIER_HOURLY, CloudProvider, ComplianceProfile, DeploymentModel, EKS_EXTENDED_SUPPORT_HOURLY, EKS_STANDARD_SUPPORT_HOURLY,
  FixedCostLine, GKE_CLUSTER_FEE_HOURLY, KUBERNETES_FEES_READ, Orchestrator, PlatformCostEstimate, ResolvedPlatform, SandboxPlatformSpec,
  SandboxRuntime, Virtualization, estimatePlatformCost, resolvePlatform,
} from '../lib/spec';

const BASE: SandboxPlatformSpec = { name: 'acme', deployment: DeploymentModel.MANAGED, compliance: ComplianceProfile.BASELINE };

function plan(cloud: CloudProvider, extra: Partial<SandboxPlatformSpec>): ResolvedPlatform {
  return resolvePlatform({ ...BASE, ...extra }, cloud);
}

const EKS = (extra: Partial<SandboxPlatformSpec> = {}) => plan(CloudProvider.AWS, {
  orchestrator: Orchestrator.KUBERNETES,
  sandboxPools: [{ name: 'gv', runtime: SandboxRuntime.GVISOR, instanceType: 'm7i.4xlarge', minNodes: 1, maxNodes: 3 }],
  ...extra,
});
const GKE = () => plan(CloudProvider.GCP, {
  orchestrator: Orchestrator.KUBERNETES,
  sandboxPools: [{ name: 'gv', runtime: SandboxRuntime.GVISOR, instanceType: 'n2-standard-16', minNodes: 1, maxNodes: 3 }],
});
const AKS = () => plan(CloudProvider.AZURE, {
  orchestrator: Orchestrator.KUBERNETES,
  sandboxPools: [{ name: 'kata', runtime: SandboxRuntime.KATA, virtualization: Virtualization.NESTED, instanceType: 'Standard_D16s_v5', minNodes: 1, maxNodes: 3 }],
});

function line(e: PlatformCostEstimate, prefix: string): FixedCostLine {
  const l = e.fixed.find((f) => f.item.startsWith(prefix));
  if (!l) throw new Error(`no fixed line starting with ${prefix}: ${e.fixed.map((f) => f.item).join(', ')}`);
  return l;
}

describe('control-plane fee per cluster', () => {
  test('EKS in standard support: one cluster at 0.10/h, 73.00 a month, with its source and the extended-support date in a note', () => {
    const p = EKS();
    expect(p.kubernetes!.endOfStandardSupport >= KUBERNETES_FEES_READ).toBe(true); // the newest catalog version
    const e = estimatePlatformCost(p, 'us-east-1');
    const cp = line(e, 'EKS cluster');
    expect(cp.item).toBe(`EKS cluster (Kubernetes ${p.kubernetes!.version}, standard support)`);
    expect(cp).toMatchObject({ quantity: 1, unitHourly: EKS_STANDARD_SUPPORT_HOURLY, known: true, hourly: { min: 0.1, max: 0.1 }, monthly: { min: 73, max: 73 } });
    expect(cp.source).toContain('amazon-eks-extended-support-for-kubernetes-versions-pricing');
    expect(cp.priceDate).toBe(KUBERNETES_FEES_READ);
    expect(cp.notes.join(' ')).toContain(`standard support for ${p.kubernetes!.version} ends ${p.kubernetes!.endOfStandardSupport}`);
    expect(cp.notes.join(' ')).toContain('$0.60 per cluster-hour');
  });

  test('EKS on a version past its end of standard support is priced at extended support, 0.60/h', () => {
    const p = EKS({ kubernetes: { version: '1.33' } });
    expect(p.kubernetes!.endOfStandardSupport < KUBERNETES_FEES_READ).toBe(true);
    const cp = line(estimatePlatformCost(p, 'us-east-1'), 'EKS cluster');
    expect(cp.item).toBe('EKS cluster (Kubernetes 1.33, extended support)');
    expect(cp.unitHourly).toBe(EKS_EXTENDED_SUPPORT_HOURLY);
    expect(cp.monthly).toEqual({ min: 438, max: 438 });
    expect(cp.notes[0]).toMatch(/^standard support for 1\.33 ended 2026-07-29/);
  });

  test('GKE: the cluster management fee at 0.10/h; no free-tier credit for the regional cluster (said in a note)', () => {
    const cp = line(estimatePlatformCost(GKE(), 'us-central1'), 'GKE cluster management fee');
    expect(cp).toMatchObject({ quantity: 1, unitHourly: GKE_CLUSTER_FEE_HOURLY, hourly: { min: 0.1, max: 0.1 } });
    expect(cp.source).toContain('cloud.google.com/kubernetes-engine/pricing');
    expect(cp.notes.join(' ')).toMatch(/free-tier credit applies to zonal and Autopilot clusters only/);
  });

  test('AKS: the Standard tier the cluster is created with, at 0.10/h', () => {
    const cp = line(estimatePlatformCost(AKS(), 'eastus'), 'AKS cluster management (Standard tier');
    expect(cp).toMatchObject({ quantity: 1, unitHourly: AKS_STANDARD_TIER_HOURLY, hourly: { min: 0.1, max: 0.1 }, monthly: { min: 73, max: 73 } });
    expect(cp.source).toContain('techcommunity.microsoft.com');
  });
});

describe('system node pool', () => {
  test('EKS: m7i.large x 2..4 at the table price (0.1008/h in us-east-1), in the platform total but not the pools total', () => {
    const e = estimatePlatformCost(EKS(), 'us-east-1');
    const s = line(e, 'EKS system node pool');
    expect(s).toMatchObject({ instanceType: 'm7i.large', quantity: 2, maxQuantity: 4, unitHourly: 0.1008, known: true });
    expect(s.hourly).toEqual({ min: 0.2016, max: 0.4032 });
    expect(s.monthly).toEqual({ min: 147.168, max: 294.336 });
    expect(s.source).toContain('karpenter-provider-aws');
    expect(e.totalHourly).toEqual({ min: 0.8064, max: 3 * 0.8064 });
    const natHourly = line(e, 'NAT gateway').hourly.min!;
    expect(e.platformHourly.min).toBeCloseTo(0.8064 + 0.1 + 0.2016 + natHourly, 6);
    expect(e.platformComplete).toBe(true);
  });

  test('GKE: e2-standard-2 x 2..4 from the E2 rates (2 x 0.021811 + 8 x 0.002923), and Cloud NAT counts the system nodes', () => {
    const e = estimatePlatformCost(GKE(), 'us-central1');
    const s = line(e, 'GKE system node pool');
    expect(s).toMatchObject({ instanceType: 'e2-standard-2', quantity: 2, maxQuantity: 4, unitHourly: 0.067006 });
    expect(s.hourly).toEqual({ min: 0.134012, max: 0.268024 });
    // 1..3 pool nodes + 2..4 system nodes behind the gateway.
    expect(line(e, 'Cloud NAT gateway').hourly).toEqual({ min: 3 * 0.0014, max: 7 * 0.0014 });
  });

  test('AKS: Standard_D4s_v5 x 2..4 at 0.192/h in eastus', () => {
    const s = line(estimatePlatformCost(AKS(), 'eastus'), 'AKS system node pool');
    expect(s).toMatchObject({ instanceType: 'Standard_D4s_v5', quantity: 2, maxQuantity: 4, unitHourly: 0.192, hourly: { min: 0.384, max: 0.768 } });
  });

  test('a region without a price: the system pool line is unknown (never 0), named in unknown, and the platform total is incomplete', () => {
    const e = estimatePlatformCost(EKS(), 'ap-south-2');
    const s = line(e, 'EKS system node pool');
    expect(s.known).toBe(false);
    expect(s.unitHourly).toBeUndefined();
    expect(s.hourly).toEqual({});
    expect(s.monthly).toEqual({});
    expect(s.notes[0]).toMatch(/^price unknown: no AWS prices for region ap-south-2/);
    expect(e.unknown).toEqual(expect.arrayContaining([expect.stringMatching(/^EKS system node pool x 2: price unknown/)]));
    expect(e.platformComplete).toBe(false);
    expect(e.platformHourly).toEqual({});
    // The control-plane fee is one price per cluster-hour, known in every region.
    expect(line(e, 'EKS cluster').known).toBe(true);
  });
});

describe('instance mode and exclusions', () => {
  test('instance mode has no control-plane or system pool line', () => {
    for (const cloud of [CloudProvider.AWS, CloudProvider.GCP, CloudProvider.AZURE]) {
      const e = estimatePlatformCost(plan(cloud, {}), 'us-east-1');
      expect(e.fixed.map((f) => f.item).join(' ')).not.toMatch(/cluster|system node pool/);
    }
  });

  test('control-plane fees are priced, so neither the exclusions nor the disclaimer list them', () => {
    for (const [p, region] of [[EKS(), 'us-east-1'], [GKE(), 'us-central1'], [AKS(), 'eastus'], [plan(CloudProvider.AWS, {}), 'us-east-1']] as const) {
      const e = estimatePlatformCost(p, region);
      expect(e.excluded.join(' ')).not.toMatch(/control-plane/);
      expect(e.disclaimer).not.toMatch(/control-plane/);
      expect(e.excluded.join(' ')).toContain('support plans, taxes');
    }
  });
});
