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

  it('passes the hipaa compliance pack with zero failures (one suppression, with its reason)', () => {
    const stack = build();
    const report = SandboxCompliance.evaluate(stack, { profile: ComplianceProfile.HIPAA });
    expect(violations(report).map(({ rule, result }) => violationMessage(rule, result))).toEqual([]);
    expect(report.suppressions.map((s) => [s.ruleId, s.covered])).toEqual([['AZ-ST-PUBLIC', 1]]);
    // Without the suppression, exactly the flow-log account's trusted-services endpoint is reported.
    const bare = evaluate(JSON.parse(Testing.synth(stack)), { profile: ComplianceProfile.HIPAA });
    expect(violations(bare).map(({ rule, result }) => [rule.id, result.address])).toEqual([
      ['AZ-ST-PUBLIC', expect.stringMatching(/^azurerm_storage_account\.platform_network_flow-log-storage_account_/)],
    ]);
  });
});
