import { CheckStatus, preflightExitCode } from '../lib/cli/preflight';
import { gcpStackApis } from '../lib/cli/preflight/gcp';
import { GcpApi } from '../lib/gcp/apis';
import { DeploymentModel, EgressMode } from '../lib/spec/types';
import { FIXTURE, MUTATING, REFERENCE, byId, commandWords, runWithStubs, withStatus } from './fixtures/preflight/harness';

const REF = REFERENCE('gcp-byoc-soc2.json');
const H100 = FIXTURE('gcp-h100.json');

describe('preflight on GCP (stub gcloud)', () => {
  it('passes every check of the reference spec in a ready project, identity first, read-only calls only', () => {
    const { checks, calls } = runWithStubs(REF, 'gcp');
    expect(withStatus(checks, CheckStatus.FAIL)).toEqual([]);
    expect(withStatus(checks, CheckStatus.UNKNOWN)).toEqual([]);
    expect(checks[0].id).toBe('gcp.identity');
    expect(checks[0].detail).toContain('account preflight@acme.example, project acme-sandbox-prod');
    // The spec's nested pool, GPU pool and BYOC principal each bring their organization policy.
    expect(checks.map((c) => c.id)).toEqual(expect.arrayContaining([
      'gcp.orgpolicy.nested-virtualization', 'gcp.orgpolicy.shielded-vm', 'gcp.orgpolicy.domain-restricted-sharing']));
    for (const c of calls) {
      expect(c.cli).toBe('gcloud');
      expect(commandWords(c.args).filter((w) => MUTATING.test(w))).toEqual([]);
      expect(c.args).toContain('--format=json');
    }
    expect(calls.some((c) => c.args.join(' ').startsWith('resource-manager org-policies describe compute.disableNestedVirtualization --project=acme-sandbox-prod --effective'))).toBe(true);
  });

  it('sums pools on one series quota (a spot pool without preemptible quota uses the standard one) and checks the project-wide quotas', () => {
    const { checks } = runWithStubs(REF, 'gcp');
    // kvm: (8 max + 1 warm) x 16, gvisor (spot; PREEMPTIBLE_CPUS is 0): 8 x 16.
    expect(byId(checks, 'gcp.quota.n2-cpus').detail).toBe('limit 1000, in use 0, needed 272 (kvm: 9 x 16, gvisor: 8 x 16; max + warm nodes)');
    expect(byId(checks, 'gcp.quota.nvidia-l4-gpus').detail).toContain('needed 6 (l4: 6 x 1 GPUs');
    expect(byId(checks, 'gcp.quota.gpus-all-regions').status).toBe(CheckStatus.PASS);
    expect(byId(checks, 'gcp.quota.cpus-all-regions').detail).toContain('needed 296');
  });

  it('fails an H100 pool against an NVIDIA_H100_GPUS quota of 0, naming the quota and how to request it', () => {
    const { checks } = runWithStubs(H100, 'gcp', { scenarios: ['h100-quota-0'] });
    const q = byId(checks, 'gcp.quota.nvidia-h100-gpus');
    expect(q.status).toBe(CheckStatus.FAIL);
    expect(q.title).toBe('NVIDIA_H100_GPUS in us-central1 covers 16 at max nodes');
    expect(q.detail).toContain('limit 0, in use 0, needed 16 (h100: 2 x 8 GPUs');
    expect(q.fix).toContain('request NVIDIA_H100_GPUS of at least 16 in us-central1: https://console.cloud.google.com/iam-admin/quotas?project=acme-gpu-test');
    expect(withStatus(checks, CheckStatus.FAIL)).toEqual(['gcp.quota.nvidia-h100-gpus']);
    expect(preflightExitCode(checks)).toBe(1);
  });

  it('fails a machine type missing from a zone of an evenly spread pool, and a GPU type missing from every zone', () => {
    const ref = runWithStubs(REF, 'gcp', { scenarios: ['type-not-offered-in-zone'] }).checks;
    expect(byId(ref, 'gcp.offering.kvm').status).toBe(CheckStatus.FAIL);
    expect(byId(ref, 'gcp.offering.kvm').detail).toBe('not offered in us-central1-b; offered in us-central1-a, us-central1-c');
    expect(byId(ref, 'gcp.offering.kvm').fix).toContain('pin network.availabilityZones to zones that sell it');
    // GPU pools spread BALANCED: a zone without the type does not block the others.
    expect(byId(ref, 'gcp.offering.l4').status).toBe(CheckStatus.PASS);
    expect(byId(ref, 'gcp.offering.l4').detail).toContain('not in us-central1-b');
    const h100 = byId(runWithStubs(H100, 'gcp', { scenarios: ['gpu-type-not-offered'] }).checks, 'gcp.offering.h100');
    expect(h100.status).toBe(CheckStatus.FAIL);
    expect(h100.detail).toContain('none of the zones the stack uses sells it');
  });

  it('fails when an API the stack needs before it can enable others is disabled', () => {
    const crm = runWithStubs(H100, 'gcp', { scenarios: ['api-disabled'] }).checks;
    const c = byId(crm, 'gcp.api.cloudresourcemanager.googleapis.com');
    expect(c.status).toBe(CheckStatus.FAIL);
    expect(c.fix).toBe('`gcloud services enable cloudresourcemanager.googleapis.com --project acme-gpu-test`');
    const su = runWithStubs(H100, 'gcp', { scenarios: ['serviceusage-disabled'] }).checks;
    expect(byId(su, 'gcp.api.serviceusage.googleapis.com').status).toBe(CheckStatus.FAIL);
    expect(byId(su, 'gcp.api.serviceusage.googleapis.com').detail).toContain('serviceusage.googleapis.com API has not been used in project acme-gpu-test');
  });

  it('reads the vCPUs of a machine type the catalog does not know (custom types) from machine-types describe', () => {
    const { checks, calls } = runWithStubs(FIXTURE('gcp-unknown-type.json'), 'gcp');
    expect(byId(checks, 'gcp.quota.n2-cpus').detail).toContain('needed 30 (gvisor: 5 x 6');
    expect(calls.map((c) => c.args.slice(0, 6).join(' '))).toContain('compute machine-types describe n2-custom-6-12288 --zone us-central1-a');
    // Custom types are not listed by machine-types list: each zone is asked by describing the type there.
    expect(byId(checks, 'gcp.offering.gvisor').status).toBe(CheckStatus.PASS);
    expect(calls.some((c) => c.args.slice(0, 3).join(' ') === 'compute machine-types list')).toBe(false);
    const missing = byId(runWithStubs(FIXTURE('gcp-unknown-type.json'), 'gcp', { scenarios: ['type-not-offered-in-zone'] }).checks, 'gcp.offering.gvisor');
    expect(missing).toEqual(expect.objectContaining({ status: CheckStatus.FAIL, detail: 'not offered in us-central1-b; offered in us-central1-a' }));
  });

  it('fails a project without billing', () => {
    const { checks } = runWithStubs(H100, 'gcp', { scenarios: ['billing-disabled'] });
    const b = byId(checks, 'gcp.billing');
    expect(b.status).toBe(CheckStatus.FAIL);
    expect(b.fix).toContain('gcloud billing projects link acme-gpu-test --billing-account=');
    expect(byId(runWithStubs(H100, 'gcp').checks, 'gcp.billing').detail).toBe('billing account billingAccounts/000000-AAAAAA-BBBBBB');
  });

  it('reports quotas and offerings as unknown while the Compute Engine API is off (the stack enables it)', () => {
    const { checks } = runWithStubs(H100, 'gcp', { scenarios: ['compute-disabled'] });
    expect(byId(checks, 'gcp.quota').status).toBe(CheckStatus.UNKNOWN);
    expect(byId(checks, 'gcp.quota').fix).toContain('gcloud services enable compute.googleapis.com --project acme-gpu-test');
    expect(byId(checks, 'gcp.offering').status).toBe(CheckStatus.UNKNOWN);
    expect(byId(checks, 'gcp.api.stack').detail).toContain('compute.googleapis.com');
    expect(withStatus(checks, CheckStatus.FAIL)).toEqual([]);
  });

  it('fails on an organization policy that forbids nested virtualization or requires Shielded VM; domain restriction is unknown', () => {
    const { checks } = runWithStubs(REF, 'gcp', { scenarios: ['org-policy-nested', 'org-policy-shielded', 'org-policy-drs'] });
    const nested = byId(checks, 'gcp.orgpolicy.nested-virtualization');
    expect(nested.status).toBe(CheckStatus.FAIL);
    expect(nested.detail).toContain('enforced on project acme-sandbox-prod: nodes of kvm');
    expect(nested.fix).toContain('gcloud resource-manager org-policies disable-enforce compute.disableNestedVirtualization --project=acme-sandbox-prod');
    expect(byId(checks, 'gcp.orgpolicy.shielded-vm').status).toBe(CheckStatus.FAIL);
    const drs = byId(checks, 'gcp.orgpolicy.domain-restricted-sharing');
    expect(drs.status).toBe(CheckStatus.UNKNOWN);
    expect(drs.detail).toContain('restricted to C0abc1234');
  });

  it('is unknown without the CLI, an active account, or a valid token, and for the one check a denied read affects', () => {
    const noCli = runWithStubs(H100, 'gcp', { noCli: true }).checks;
    expect(noCli.map((c) => c.status)).toEqual([CheckStatus.UNKNOWN, CheckStatus.UNKNOWN]);
    expect(noCli[0].fix).toContain('install the Google Cloud CLI');
    const noCreds = runWithStubs(H100, 'gcp', { scenarios: ['no-credentials'] }).checks;
    expect(noCreds[0].detail).toContain('no active account');
    expect(noCreds[0].fix).toContain('gcloud auth login');
    const expired = runWithStubs(H100, 'gcp', { scenarios: ['expired-token'] }).checks;
    expect(expired.map((c) => c.status)).toEqual([CheckStatus.UNKNOWN, CheckStatus.UNKNOWN]);
    expect(expired[0].detail).toContain('problem refreshing your current auth tokens');
    const denied = runWithStubs(H100, 'gcp', { scenarios: ['access-denied-quota'] }).checks;
    expect(withStatus(denied, CheckStatus.UNKNOWN)).toEqual(['gcp.quota']);
    expect(byId(denied, 'gcp.quota').fix).toContain('compute.regions.get (roles/compute.viewer)');
    expect(byId(denied, 'gcp.offering.h100').status).toBe(CheckStatus.PASS);
  });

  it('lists exactly the APIs GcpSandboxPlatform enables (lib/gcp/apis.ts), the org-policy API aside', () => {
    const all = new Set(Object.values(GcpApi) as string[]);
    // container.googleapis.com is enabled only in Kubernetes mode (GKE, issue 15).
    const stack = gcpStackApis(EgressMode.FIREWALL, DeploymentModel.BYOC, true);
    expect(new Set(stack)).toEqual(new Set([...all].filter((a) => a !== GcpApi.ORG_POLICY)));
    expect(gcpStackApis(EgressMode.FIREWALL, DeploymentModel.BYOC)).not.toContain(GcpApi.CONTAINER);
    expect(gcpStackApis(EgressMode.NAT, DeploymentModel.MANAGED)).not.toContain(GcpApi.DNS);
    expect(gcpStackApis(EgressMode.NAT, DeploymentModel.MANAGED)).not.toContain(GcpApi.IAM_CREDENTIALS);
  });
});
