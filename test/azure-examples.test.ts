import { App, Testing } from 'cdktf';
import { build as azureExistingVnet } from '../examples/azure-existing-vnet';
import { resource, resources, Synth } from './azure-helpers';

// app.synth() runs the stack validations that Testing.synth skips.
function synth(build: (app: App) => unknown): Synth {
  const app = Testing.app();
  const stack = build(app) as Parameters<typeof Testing.synth>[0];
  app.synth();
  return JSON.parse(Testing.synth(stack)) as Synth;
}

describe('Azure examples', () => {
  it('azure-existing-vnet: joins the caller VNet and subnets, creates no network of its own', () => {
    const json = synth(azureExistingVnet);
    expect(json.resource.azurerm_virtual_network).toBeUndefined();
    expect(json.resource.azurerm_network_watcher_flow_log).toBeUndefined();
    expect(json.resource.azurerm_nat_gateway).toBeUndefined();
    const subnets = resources(json, 'azurerm_orchestrated_virtual_machine_scale_set')
      .filter(([id]) => id.includes('pool-kata')).map(([, v]) => v.network_interface[0].ip_configuration[0].subnet_id);
    expect(subnets).toEqual(['${data.azurerm_subnet.corp-nodes-1.id}', '${data.azurerm_subnet.corp-nodes-2.id}']);
    expect(resource(json, 'azurerm_private_endpoint', 'artifacts').subnet_id).toBe('${data.azurerm_subnet.corp-endpoints.id}');
    // A T4 pool gets the NVIDIA driver extension; the managed deployment has no control-plane role.
    const t4 = resources(json, 'azurerm_orchestrated_virtual_machine_scale_set').filter(([id]) => id.includes('pool-t4')).map(([, v]) => v);
    expect(t4.every((v) => v.extension.some((e: { type: string }) => e.type === 'NvidiaGpuDriverLinux'))).toBe(true);
    expect(json.resource.azurerm_role_definition).toBeUndefined();
  });
});
