/**
 * Compose the platform into a VNet that a hub / network team owns: look it up, pass its id and one node subnet per
 * availability zone (plus, optionally, a subnet for private endpoints and your hub's privatelink
 * DNS zones). The platform then creates no VNet, subnets, NAT gateways, firewall or flow logs; your
 * subnets must already have egress. The NICs get the platform's NSG on top of your subnets' own
 * (it enforces "none", and limits "nat" and "firewall" to TCP 80/443 out).
 *
 * spec.network settings that describe a VNet the platform would build are refused with existingNetwork
 * (cidr; zones or availabilityZones that do not match the subnets), and "firewall" egress needs
 * existingNetwork.egressFirewall: { firewallPolicyId, nodeSubnetCidrs }, the hub firewall's policy
 * that receives the allow-list as a rule collection group. The runner here sits in the corporate
 * network, which reaches the Key Vault's private endpoint, so no deployerIpRanges are given.
 * Run: npm run build && node -r ./register.js examples/azure-existing-vnet.ts (package imports resolve to dist/ by self-reference)
 */
import { DataAzurermSubnet } from '@cdktf/provider-azurerm/lib/data-azurerm-subnet';
import { DataAzurermVirtualNetwork } from '@cdktf/provider-azurerm/lib/data-azurerm-virtual-network';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { AzureSandboxPlatform, ComplianceProfile, DeploymentModel, GpuModel, SandboxRuntime } from 'cdktf-sandbox-byoc';

export function build(app: App): TerraformStack {
  const stack = new TerraformStack(app, 'azure-existing-vnet');
  new AzurermProvider(stack, 'azurerm', { features: [{}], storageUseAzuread: true });

  // The network team's VNet and subnets (they keep its NSGs, flow logs and egress).
  const vnet = new DataAzurermVirtualNetwork(stack, 'corp-vnet', { name: 'corp-vnet', resourceGroupName: 'corp-network' });
  const subnets = ['1', '2'].map((zone) => new DataAzurermSubnet(stack, `corp-nodes-${zone}`, {
    name: `corp-sandbox-nodes-${zone}`, resourceGroupName: 'corp-network', virtualNetworkName: vnet.name,
  }));
  const endpoints = new DataAzurermSubnet(stack, 'corp-endpoints', {
    name: 'corp-private-endpoints', resourceGroupName: 'corp-network', virtualNetworkName: vnet.name,
  });

  new AzureSandboxPlatform(stack, 'sandboxes', {
    location: 'westeurope',
    existingNetwork: { vnetId: vnet.id, nodeSubnetIds: subnets.map((s) => s.id), privateEndpointSubnetId: endpoints.id },
    spec: {
      name: 'corp-sbx',
      deployment: DeploymentModel.MANAGED,
      compliance: ComplianceProfile.SOC2,
      sandboxPools: [{ name: 'kata', runtime: SandboxRuntime.KATA, instanceType: 'Standard_D32s_v5', minNodes: 2, maxNodes: 8 }],
      gpuPools: [{ name: 't4', gpu: GpuModel.T4, maxNodes: 2 }],
    },
  });
  return stack;
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
