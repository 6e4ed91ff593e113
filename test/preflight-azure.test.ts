import { createHash } from 'crypto';
import { readFileSync } from 'fs';
import { join } from 'path';
import { CheckStatus, preflightExitCode } from '../lib/cli/preflight';
import { azureDeployerRangesCheck, azureVaultName, isPublicIpv4Range } from '../lib/cli/preflight/azure';
import { FIXTURE, MUTATING, REFERENCE, byId, commandWords, runWithStubs, withStatus } from './fixtures/preflight/harness';

const REF = REFERENCE('azure-byoc-hipaa.json');
const H100 = FIXTURE('azure-h100.json');
const RANGES = { TF_VAR_deployer_ip_ranges: '["20.50.60.70/32"]' };
const SUB = '00000000-1111-2222-3333-444444444444';

describe('preflight on Azure (stub az CLI)', () => {
  it('passes every check of the reference spec in a ready subscription, identity first, read-only calls only', () => {
    const { checks, calls } = runWithStubs(REF, 'azure', { extraEnv: RANGES });
    expect(withStatus(checks, CheckStatus.FAIL)).toEqual([]);
    expect(withStatus(checks, CheckStatus.UNKNOWN)).toEqual([]);
    expect(checks[0].id).toBe('azure.identity');
    expect(checks[0].detail).toContain(`subscription contoso-prod (${SUB})`);
    // Warm nodes bring the Standby Pool provider.
    expect(byId(checks, 'azure.provider.standbypool').status).toBe(CheckStatus.PASS);
    for (const c of calls) {
      expect(c.cli).toBe('az');
      expect(commandWords(c.args).filter((w) => MUTATING.test(w))).toEqual([]);
      expect(c.args.slice(-2)).toEqual(['--output', 'json']);
    }
    // Every call after the identity names the subscription it found.
    for (const c of calls.slice(1)) expect(c.args).toEqual(expect.arrayContaining(['--subscription', SUB]));
  });

  it('checks the family, regional and Spot vCPU quotas with warm nodes, reading the family from the SKU', () => {
    const { checks } = runWithStubs(REF, 'azure', { extraEnv: RANGES });
    // fc: (22 max + 2 warm) x 16; gvisor is spot; a100: 4 x 24.
    expect(byId(checks, 'azure.quota.standarddsv5family').detail).toContain('needed 384 (fc: 24 x 16');
    expect(byId(checks, 'azure.quota.cores').detail).toContain('needed 480 (fc: 24 x 16, a100: 4 x 24');
    expect(byId(checks, 'azure.quota.lowprioritycores').detail).toContain('needed 96 (gvisor: 6 x 16');
    expect(byId(checks, 'azure.quota.standardncadsa100v4family').status).toBe(CheckStatus.PASS);
  });

  it('fails an H100 pool against a family quota of 0, naming the quota and how to request it', () => {
    const { checks } = runWithStubs(H100, 'azure', { scenarios: ['h100-quota-0'], extraEnv: RANGES });
    const q = byId(checks, 'azure.quota.standardncadsh100v5family');
    expect(q.status).toBe(CheckStatus.FAIL);
    expect(q.title).toContain('(standardNCadsH100v5Family) in eastus covers 80 at max nodes');
    expect(q.detail).toContain('limit 0, in use 0, needed 80 (h100: 2 x 40');
    expect(q.fix).toContain('request "standardNCadsH100v5Family vCPUs" of at least 80 in eastus: Azure portal > Quotas > Compute');
    expect(withStatus(checks, CheckStatus.FAIL)).toEqual(['azure.quota.standardncadsh100v5family']);
    expect(preflightExitCode(checks)).toBe(1);
  });

  it('fails a size restricted in a zone the pool uses (NotAvailableForSubscription), ignoring partial --size matches', () => {
    const { checks } = runWithStubs(H100, 'azure', { scenarios: ['type-not-offered-in-zone'], extraEnv: RANGES });
    const o = byId(checks, 'azure.offering.h100');
    expect(o.status).toBe(CheckStatus.FAIL);
    expect(o.detail).toBe('not available in zone 2 (NotAvailableForSubscription in 2); available in 1, 3');
    expect(o.fix).toContain('pin network.availabilityZones to 1, 3');
  });

  it('fails a size that cannot encrypt at host (every node enables it), naming the capability', () => {
    const { checks } = runWithStubs(REF, 'azure', { scenarios: ['no-encryption-at-host'], extraEnv: RANGES });
    const o = byId(checks, 'azure.offering.a100');
    expect(o.status).toBe(CheckStatus.FAIL);
    expect(o.detail).toBe('Standard_NC24ads_A100_v4 does not support encryption at host (EncryptionAtHostSupported False), which every node of the platform enables');
    expect(o.fix).toContain('EncryptionAtHostSupported True');
    expect(withStatus(checks, CheckStatus.FAIL)).toEqual(['azure.offering.a100']);
  });

  it('fails an unregistered Standby Pool provider (warm nodes) and an unregistered EncryptionAtHost feature', () => {
    const p = byId(runWithStubs(REF, 'azure', { scenarios: ['provider-not-registered'], extraEnv: RANGES }).checks, 'azure.provider.standbypool');
    expect(p.status).toBe(CheckStatus.FAIL);
    expect(p.fix).toContain('az provider register --namespace Microsoft.StandbyPool');
    const f = byId(runWithStubs(H100, 'azure', { scenarios: ['feature-not-registered'], extraEnv: RANGES }).checks, 'azure.feature.encryption-at-host');
    expect(f.status).toBe(CheckStatus.FAIL);
    expect(f.detail).toBe('state NotRegistered');
    expect(f.fix).toContain('az feature register --namespace Microsoft.Compute --name EncryptionAtHost');
    // Without warm nodes there is no Standby Pool check at all.
    expect(runWithStubs(H100, 'azure', { extraEnv: RANGES }).checks.map((c) => c.id)).not.toContain('azure.provider.standbypool');
  });

  it('is unknown without the CLI, a login, or an unexpired token, and for the one check a denied read affects', () => {
    const noCli = runWithStubs(H100, 'azure', { noCli: true }).checks;
    expect(noCli.map((c) => [c.id, c.status])).toEqual([['azure.identity', CheckStatus.UNKNOWN], ['azure.checks', CheckStatus.UNKNOWN]]);
    expect(noCli[0].fix).toContain('install the Azure CLI');
    for (const s of ['no-credentials', 'expired-token']) {
      const c = runWithStubs(H100, 'azure', { scenarios: [s] }).checks;
      expect(c.map((x) => x.status)).toEqual([CheckStatus.UNKNOWN, CheckStatus.UNKNOWN]);
      expect(c[0].fix).toContain('az login');
    }
    const denied = runWithStubs(H100, 'azure', { scenarios: ['access-denied-feature'], extraEnv: RANGES }).checks;
    expect(withStatus(denied, CheckStatus.UNKNOWN)).toEqual(['azure.feature.encryption-at-host']);
    expect(byId(denied, 'azure.feature.encryption-at-host').detail).toContain('AuthorizationFailed');
  });

  it('stops after the first Resource Manager call finds the login expired (az account show reads it locally)', () => {
    const { checks, calls } = runWithStubs(H100, 'azure', { scenarios: ['expired-on-arm'], extraEnv: RANGES });
    expect(byId(checks, 'azure.identity').status).toBe(CheckStatus.PASS);
    expect(calls).toHaveLength(2);
    const rest = checks.filter((c) => c.id !== 'azure.identity' && c.id !== 'azure.keyvault.reach');
    expect(rest.length).toBeGreaterThan(5);
    for (const c of rest) {
      expect(c.status).toBe(CheckStatus.UNKNOWN);
      expect(c.fix).toContain('az login');
    }
    expect(rest.slice(1).every((c) => c.detail.includes('not run: an earlier az call found no valid credentials'))).toBe(true);
  });

  it('checks the subscription ARM_SUBSCRIPTION_ID names', () => {
    const sub = '99999999-8888-7777-6666-555555555555';
    const { checks, calls } = runWithStubs(H100, 'azure', { extraEnv: { ...RANGES, ARM_SUBSCRIPTION_ID: sub } });
    expect(calls[0].args).toEqual(['account', 'show', '--subscription', sub, '--output', 'json']);
    expect(checks[0].detail).toContain(`(${sub})`);
    expect(byId(checks, 'azure.keyvault.name').title).toContain(azureVaultName('gpu-test', sub, 'eastus'));
  });

  it('fails without deployer_ip_ranges or with private ones, and passes public IPv4 ranges', () => {
    const none = byId(runWithStubs(H100, 'azure').checks, 'azure.keyvault.reach');
    expect(none.status).toBe(CheckStatus.FAIL);
    expect(none.fix).toContain('TF_VAR_deployer_ip_ranges');
    expect(azureDeployerRangesCheck(['10.1.2.3/32', '52.1.2.0/24']).status).toBe(CheckStatus.FAIL);
    expect(azureDeployerRangesCheck(['10.1.2.3/32', '52.1.2.0/24']).detail).toMatch(/^not public IPv4 addresses or CIDRs: 10\.1\.2\.3\/32 /);
    expect(azureDeployerRangesCheck(['20.50.60.70/33']).status).toBe(CheckStatus.FAIL);
    expect(['8.8.8.8', '52.1.2.0/24', '20.1.2.3/32'].filter((r) => !isPublicIpv4Range(r))).toEqual([]);
    // Private, shared, loopback, link-local and documentation (pasted example) ranges, octal-looking and malformed input.
    expect(['172.16.0.1', '192.168.1.0/24', '100.64.1.1', '127.0.0.1', '169.254.169.254', '203.0.113.7/32', '010.1.1.1', '1.2.3', 'example.com', '::1']
      .filter((r) => isPublicIpv4Range(r))).toEqual([]);
    expect(azureDeployerRangesCheck(['20.50.60.70', '52.1.2.0/24']).status).toBe(CheckStatus.PASS);
    const viaOption = byId(runWithStubs(H100, 'azure', { deployerIpRanges: ['52.1.2.3/32'] }).checks, 'azure.keyvault.reach');
    expect(viaOption.status).toBe(CheckStatus.PASS);
  });

  it('fails on a taken vault name and lists enforced policy assignments for review', () => {
    const { checks } = runWithStubs(H100, 'azure', { scenarios: ['vault-name-taken', 'policy-assigned'], extraEnv: RANGES });
    expect(byId(checks, 'azure.keyvault.name').status).toBe(CheckStatus.FAIL);
    expect(byId(checks, 'azure.keyvault.name').detail).toBe('AlreadyExists');
    const pol = byId(checks, 'azure.policy');
    expect(pol.status).toBe(CheckStatus.UNKNOWN);
    expect(pol.detail).toContain('Deny public IP addresses');
  });

  it('fails when no Network Watcher exists and its automatic creation is off, and when diagnostic settings are full', () => {
    const { checks } = runWithStubs(REF, 'azure', { scenarios: ['no-network-watcher', 'watcher-autocreation-off', 'diagnostic-settings-full'], extraEnv: RANGES });
    const w = byId(checks, 'azure.network-watcher');
    expect(w.status).toBe(CheckStatus.FAIL);
    expect(w.fix).toContain('az network watcher configure --resource-group NetworkWatcherRG --locations eastus --enabled true');
    const d = byId(checks, 'azure.diagnostic-settings');
    expect(d.status).toBe(CheckStatus.FAIL);
    expect(d.detail).toBe('5 in use: export-1, export-2, export-3, export-4, export-5');
    const auto = byId(runWithStubs(REF, 'azure', { scenarios: ['no-network-watcher'], extraEnv: RANGES }).checks, 'azure.network-watcher');
    expect(auto).toEqual(expect.objectContaining({ status: CheckStatus.PASS, detail: 'none yet; Azure creates it with the platform\'s VNet' }));
  });

  it('names the vault as the reference stack does (its synthesized name expression)', () => {
    const snap = readFileSync(join(__dirname, '__snapshots__', 'azure-reference-stack.test.ts.snap'), 'utf8');
    const m = /"name": "([a-z0-9-]+)-kv-\\\$\{substr\(sha256\(join\("\/", \[data\.azurerm_client_config\.[A-Za-z0-9_]+\.subscription_id, "([^"]+)"\]\)\), 0, 8\)\}"/.exec(snap);
    expect(m).not.toBeNull();
    const [, prefix, seed] = m!;
    const expected = `${prefix}-kv-${createHash('sha256').update(`${SUB}/${seed}`).digest('hex').slice(0, 8)}`;
    expect(azureVaultName('contoso-sbx', SUB, 'eastus')).toBe(expected);
  });
});
