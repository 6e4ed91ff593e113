import { CheckStatus, preflightExitCode } from '../lib/cli/preflight';
import { poolDemands } from '../lib/cli/preflight/demand';
import { GKE_CHANNEL, isOfMinor } from '../lib/cli/preflight/kubernetes';
import { GKE_RELEASE_CHANNEL } from '../lib/gcp/gke-cluster';
import { SYSTEM_POOL_NAME } from '../lib/spec/kubernetes';
import { loadSpecFile } from '../lib/spec/spec-file';
import { MUTATING, REFERENCE, byId, commandWords, runWithStubs, withStatus } from './fixtures/preflight/harness';

const EKS = REFERENCE('aws-eks-byoc-hipaa.json');
const GKE = REFERENCE('gcp-gke-byoc-soc2.json');
const AKS = REFERENCE('azure-aks-byoc-hipaa.json');

const K8S_IDS = {
  aws: ['aws.eks.version', 'aws.quota.eks-clusters', 'aws.slr.eks', 'aws.offering.system'],
  gcp: ['gcp.gke.version', 'gcp.offering.system'],
  azure: ['azure.aks.version', 'azure.provider.containerservice', 'azure.offering.system'],
};

describe('preflight in Kubernetes mode (stub CLIs)', () => {
  it.each([['aws', EKS], ['gcp', GKE], ['azure', AKS]] as const)('%s: the Kubernetes checks pass in a ready account, read-only calls only', (cloud, file) => {
    const { checks, calls } = runWithStubs(file, cloud, { deployerIpRanges: ['52.1.2.3/32'] });
    expect(withStatus(checks, CheckStatus.FAIL)).toEqual([]);
    expect(withStatus(checks, CheckStatus.UNKNOWN)).toEqual([]);
    expect(checks.map((c) => c.id)).toEqual(expect.arrayContaining(K8S_IDS[cloud]));
    expect(preflightExitCode(checks)).toBe(0);
    for (const c of calls) expect(commandWords(c.args).filter((w) => MUTATING.test(w))).toEqual([]);
  });

  it.each([
    ['aws-byoc-hipaa.json', 'aws', /^eks /],
    ['gcp-byoc-soc2.json', 'gcp', /^container /],
    ['azure-byoc-hipaa.json', 'azure', /^aks /],
  ] as const)('%s (host mode) gets no Kubernetes check and never calls the Kubernetes service', (file, cloud, call) => {
    const { checks, calls } = runWithStubs(REFERENCE(file), cloud, { deployerIpRanges: ['52.1.2.3/32'] });
    const ids = checks.map((c) => c.id);
    for (const id of K8S_IDS[cloud]) expect(ids).not.toContain(id);
    expect(calls.filter((c) => call.test(c.args.join(' ')))).toEqual([]);
  });

  it('counts the system node group in the demand: kubernetes.systemNodes type and max nodes, with the catalog vCPUs', () => {
    for (const [file, type, vcpus] of [[EKS, 'm7i.large', 2], [GKE, 'e2-standard-2', 2], [AKS, 'Standard_D4s_v5', 4]] as const) {
      const plan = loadSpecFile(file).resolved;
      const system = poolDemands(plan).find((d) => d.pool === SYSTEM_POOL_NAME);
      expect(system).toMatchObject({ instanceType: type, nodes: plan.kubernetes!.systemNodes.maxNodes, vcpusPerNode: vcpus, spot: false, gpusPerNode: 0 });
    }
    expect(poolDemands(loadSpecFile(REFERENCE('aws-byoc-hipaa.json')).resolved).map((d) => d.pool)).not.toContain(SYSTEM_POOL_NAME);
  });

  it('adds the system nodes to the quota each cloud counts them against', () => {
    expect(byId(runWithStubs(EKS, 'aws').checks, 'aws.quota.L-1216C47A').detail).toContain('system: 4 x 2');
    expect(byId(runWithStubs(GKE, 'gcp').checks, 'gcp.quota.cpus').detail).toContain('system: 4 x 2');
    const aks = runWithStubs(AKS, 'azure', { deployerIpRanges: ['52.1.2.3/32'] }).checks;
    expect(byId(aks, 'azure.quota.standarddsv5family').detail).toMatch(/needed 656 .*gvisor: 20 x 8, system: 4 x 4/);
    expect(byId(aks, 'azure.quota.cores').detail).toContain('system: 4 x 4');
  });

  it('matches versions by minor', () => {
    expect(isOfMinor('1.35.4-gke.1300000', '1.35')).toBe(true);
    expect(isOfMinor('1.35', '1.35')).toBe(true);
    expect(isOfMinor('1.350.1', '1.35')).toBe(false);
    expect(isOfMinor('1.3.5', '1.35')).toBe(false);
  });
});

describe('EKS', () => {
  it('fails when EKS no longer offers the version, with the fix', () => {
    const { checks } = runWithStubs(EKS, 'aws', { scenarios: ['k8s-version-gone'] });
    const c = byId(checks, 'aws.eks.version');
    expect(c.status).toBe(CheckStatus.FAIL);
    expect(c.detail).toBe('EKS does not list 1.35');
    expect(c.fix).toContain('set kubernetes.version to one EKS still offers');
    expect(c.fix).toContain('aws eks describe-cluster-versions --region us-east-1');
    expect(preflightExitCode(checks)).toBe(1);
  });

  it('passes an extended-support version and says what it costs', () => {
    const c = byId(runWithStubs(EKS, 'aws', { scenarios: ['k8s-version-extended'] }).checks, 'aws.eks.version');
    expect(c.status).toBe(CheckStatus.PASS);
    expect(c.detail).toContain('extended support');
  });

  it('asks EKS about the spec\'s version only', () => {
    const { calls } = runWithStubs(EKS, 'aws');
    const call = calls.find((c) => c.args[0] === 'eks' && c.args[1] === 'describe-cluster-versions');
    expect(call?.args).toEqual(expect.arrayContaining(['--cluster-versions', '1.35', '--region', 'us-east-1']));
  });

  it('reads the Clusters quota from the defaults when none was applied, and fails when the Region is full', () => {
    const ok = byId(runWithStubs(EKS, 'aws').checks, 'aws.quota.eks-clusters');
    expect(ok.status).toBe(CheckStatus.PASS);
    expect(ok.detail).toBe('quota 100, 1 in use, 1 needed');
    const full = byId(runWithStubs(EKS, 'aws', { scenarios: ['eks-clusters-quota-applied'] }).checks, 'aws.quota.eks-clusters');
    expect(full.status).toBe(CheckStatus.FAIL);
    expect(full.detail).toBe('quota 2, 2 in use, 1 needed');
    expect(full.fix).toContain('"Clusters" quota for Amazon EKS in us-east-1');
  });

  it('reports a missing EKS service-linked role as unknown: EKS creates it when the runner may', () => {
    const c = byId(runWithStubs(EKS, 'aws', { scenarios: ['eks-slr-missing'] }).checks, 'aws.slr.eks');
    expect(c.status).toBe(CheckStatus.UNKNOWN);
    expect(c.detail).toContain('EKS creates it with the first cluster');
    expect(c.fix).toContain('iam:AWSServiceName = eks.amazonaws.com');
  });
});

describe('GKE', () => {
  it('checks the channel the cluster enrolls in', () => {
    expect(GKE_CHANNEL).toBe(GKE_RELEASE_CHANNEL);
    const c = byId(runWithStubs(GKE, 'gcp').checks, 'gcp.gke.version');
    expect(c.title).toBe('GKE offers Kubernetes 1.35 in the REGULAR channel in us-central1');
    expect(c.detail).toBe('offered: 1.35.4-gke.1300000, 1.35.3-gke.1000000');
  });

  it('fails when the REGULAR channel no longer offers the version, even if another channel or validMasterVersions does', () => {
    const { checks } = runWithStubs(GKE, 'gcp', { scenarios: ['k8s-version-gone'] });
    const c = byId(checks, 'gcp.gke.version');
    expect(c.status).toBe(CheckStatus.FAIL);
    expect(c.detail).toBe('the REGULAR channel offers 1.36, not 1.35');
    expect(c.fix).toContain('(1.36)');
    expect(c.fix).toContain('gcloud container get-server-config --region us-central1 --project acme-sandbox-prod');
  });

  it('lists container.googleapis.com among the APIs the stack enables; its version check is unknown until it is on', () => {
    const { checks } = runWithStubs(GKE, 'gcp', { scenarios: ['container-disabled'] });
    expect(byId(checks, 'gcp.api.stack').detail).toMatch(/not yet enabled .*container\.googleapis\.com/);
    const c = byId(checks, 'gcp.gke.version');
    expect(c.status).toBe(CheckStatus.UNKNOWN);
    expect(c.fix).toContain('gcloud services enable');
    expect(withStatus(checks, CheckStatus.FAIL)).toEqual([]);
  });
});

describe('AKS', () => {
  const opts = { deployerIpRanges: ['52.1.2.3/32'] };

  it('fails when Microsoft.ContainerService is not registered', () => {
    const c = byId(runWithStubs(AKS, 'azure', { ...opts, scenarios: ['aks-provider-not-registered'] }).checks, 'azure.provider.containerservice');
    expect(c.status).toBe(CheckStatus.FAIL);
    expect(c.fix).toContain('az provider register --namespace Microsoft.ContainerService');
  });

  it('fails when the location no longer offers the version, naming the ones it does', () => {
    const c = byId(runWithStubs(AKS, 'azure', { ...opts, scenarios: ['k8s-version-gone'] }).checks, 'azure.aks.version');
    expect(c.status).toBe(CheckStatus.FAIL);
    expect(c.detail).toBe('AKS offers 1.38, 1.36, 1.35 in eastus, not 1.37');
    expect(c.fix).toContain('az aks get-versions --location eastus');
  });

  it('fails a version that is only in preview', () => {
    const c = byId(runWithStubs(AKS, 'azure', { ...opts, scenarios: ['k8s-version-preview'] }).checks, 'azure.aks.version');
    expect(c.status).toBe(CheckStatus.FAIL);
    expect(c.detail).toContain('preview');
  });

  it('fails a version offered only under Long Term Support (Premium tier; the cluster is Standard)', () => {
    const c = byId(runWithStubs(AKS, 'azure', { ...opts, scenarios: ['k8s-version-lts-only'] }).checks, 'azure.aks.version');
    expect(c.status).toBe(CheckStatus.FAIL);
    expect(c.detail).toBe('1.37 is offered in eastus only with AKSLongTermSupport (the Premium tier); the cluster is created in the Standard tier');
  });

  it('passes with the patch versions offered', () => {
    expect(byId(runWithStubs(AKS, 'azure', opts).checks, 'azure.aks.version').detail).toBe('offered, patches 1.37.1, 1.37.2');
  });
});
