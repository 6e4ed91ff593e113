import { join } from 'path';
import { TerraformStack, Testing } from 'cdktf';
import { SandboxCompliance, evaluate, violationMessage, violations } from '../lib/compliance';
import { CloudProvider, ComplianceProfile, loadSpecFile } from '../lib/spec';
import { addAzurePlatform } from '../stacks/azure';
import { addSpecStack } from '../stacks/main';

const file = join(__dirname, '..', 'stacks', 'specs', 'azure-byoc-hipaa.json');

function build(): TerraformStack {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'azure-byoc-hipaa');
  addAzurePlatform(stack, file, loadSpecFile(file));
  return stack;
}

describe('Azure reference stack (azure-byoc-hipaa.json)', () => {
  it('is an Azure BYOC HIPAA spec with nested KVM, gVisor and A100 80GB pools', () => {
    const loaded = loadSpecFile(file);
    expect(loaded.target).toEqual({ cloud: CloudProvider.AZURE, region: 'eastus' });
    expect(loaded.spec.compliance).toBe(ComplianceProfile.HIPAA);
    expect(loaded.spec.sandboxPools!.map((p) => [p.runtime, p.instanceType])).toEqual([['firecracker', 'Standard_D16s_v5'], ['gvisor', undefined]]);
    expect(loaded.spec.gpuPools![0]).toEqual(expect.objectContaining({ gpu: 'a100-80gb', instanceType: 'Standard_NC24ads_A100_v4', runtime: 'gvisor' }));
  });

  it('synthesizes to the snapshot', () => {
    expect(JSON.parse(Testing.synth(build()))).toMatchSnapshot();
  });

  it('synthesizes deterministically, also through the reference app', () => {
    expect(Testing.synth(build())).toBe(Testing.synth(build()));
    // The reference app adds only the state backend.
    const viaApp = JSON.parse(Testing.synth(addSpecStack(Testing.app(), file)));
    expect(viaApp.resource).toEqual(JSON.parse(Testing.synth(build())).resource);
    expect(viaApp.terraform.backend).toEqual({ local: { path: 'terraform.azure-byoc-hipaa.tfstate' } });
  });

  it('configures the provider for Entra-only storage access', () => {
    const json = JSON.parse(Testing.synth(build()));
    expect(json.provider.azurerm).toEqual([{ features: [{ storage: [{ data_plane_available: false }] }], storage_use_azuread: true }]);
  });

  it('passes the hipaa compliance pack with zero failures (three documented suppressions)', () => {
    const stack = build();
    const report = SandboxCompliance.evaluate(stack, { profile: ComplianceProfile.HIPAA });
    expect(violations(report).map(({ rule, result }) => violationMessage(rule, result))).toEqual([]);
    expect(report.suppressions.map((s) => [s.ruleId, s.constructPath.replace(/^azure-byoc-hipaa\/platform\//, ''), s.covered])).toEqual([
      ['AZ-KV', 'keys/vault', 1],
      ['AZ-ST-PUBLIC', 'audit/archive', 1],
      ['AZ-ST-PUBLIC', 'network/flow-log-storage', 1],
    ].sort());
    // Without the suppressions, exactly these are reported: the vault's endpoint for the runner, and the
    // trusted-services endpoints Network Watcher and Azure Monitor write through.
    const bare = evaluate(JSON.parse(Testing.synth(stack)), { profile: ComplianceProfile.HIPAA });
    expect(violations(bare).map(({ rule, result }) => [rule.id, result.address]).sort()).toEqual([
      ['AZ-KV', expect.stringMatching(/^azurerm_key_vault\.platform_keys_vault_/)],
      ['AZ-ST-PUBLIC', expect.stringMatching(/^azurerm_storage_account\.platform_audit_archive_account_/)],
      ['AZ-ST-PUBLIC', expect.stringMatching(/^azurerm_storage_account\.platform_network_flow-log-storage_account_/)],
    ]);
  });

  it('applies as written: the runner\'s ranges and the Standby Pool provider are Terraform variables (findings 2 and 3)', () => {
    const json = JSON.parse(Testing.synth(build()));
    expect(Object.keys(json.variable)).toEqual(['deployer_ip_ranges', 'standby_pool_principal_id']);
    expect(json.variable.deployer_ip_ranges).toEqual(expect.objectContaining({ type: 'list(string)' }));
    expect(json.variable.deployer_ip_ranges.validation[0].condition).toContain('cidrhost');
    const vault = Object.values(json.resource.azurerm_key_vault)[0] as { public_network_access_enabled: boolean; network_acls: unknown };
    expect(vault.public_network_access_enabled).toBe(true);
    expect(vault.network_acls).toEqual({ default_action: 'Deny', bypass: 'AzureServices', ip_rules: '${var.deployer_ip_ranges}' });
    const standbyGrants = Object.entries(json.resource.azurerm_role_assignment).filter(([id]) => id.includes('standby-pool-access'));
    expect(standbyGrants.map(([, g]) => (g as { principal_id: string }).principal_id)).toEqual(Array(4).fill('${var.standby_pool_principal_id}'));
  });
});
