import { PrivateDnsZone } from '@cdktf/provider-azurerm/lib/private-dns-zone';
import { PrivateDnsZoneVirtualNetworkLink } from '@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link';
import { PrivateEndpoint } from '@cdktf/provider-azurerm/lib/private-endpoint';
import { Construct } from 'constructs';

/**
 * Private DNS zones of the private-link services the platform uses, per
 * learn.microsoft.com/azure/private-link/private-endpoint-dns (Storage blob: privatelink.blob.core.windows.net;
 * Key Vault: privatelink.vaultcore.azure.net). Public Azure cloud names.
 */
export const PRIVATE_DNS_ZONES = {
  blob: 'privatelink.blob.core.windows.net',
  vault: 'privatelink.vaultcore.azure.net',
} as const;

/** Ids of existing private DNS zones (e.g. a hub's), used instead of creating zones. */
export interface AzurePrivateDnsZoneIds {
  /** privatelink.blob.core.windows.net */
  readonly blob: string;
  /** privatelink.vaultcore.azure.net */
  readonly vault: string;
}

export interface AzurePrivateLinkProps {
  readonly name: string;
  readonly resourceGroupName: string;
  readonly location: string;
  /** VNet the zones are linked to (resolution for its workloads). */
  readonly vnetId: string;
  /** Subnet the private endpoints get their NICs in. */
  readonly subnetId: string;
  /** Use these zones (already linked to the VNet) instead of creating and linking zones. Default: create. */
  readonly existingZoneIds?: AzurePrivateDnsZoneIds;
}

/**
 * Private DNS zones linked to the VNet, and a helper that adds private endpoints whose A records
 * the endpoints' DNS zone groups maintain in those zones.
 */
export class AzurePrivateLink extends Construct {
  public readonly zoneIds: AzurePrivateDnsZoneIds;
  public readonly endpoints: PrivateEndpoint[] = [];
  /** The zones' links to the VNet (none with existingZoneIds). */
  public readonly links: PrivateDnsZoneVirtualNetworkLink[] = [];

  constructor(scope: Construct, id: string, private readonly props: AzurePrivateLinkProps) {
    super(scope, id);
    if (props.existingZoneIds) {
      this.zoneIds = props.existingZoneIds;
      return;
    }
    const ids: { [k: string]: string } = {};
    for (const [key, zoneName] of Object.entries(PRIVATE_DNS_ZONES)) {
      const zone = new PrivateDnsZone(this, `zone-${key}`, { name: zoneName, resourceGroupName: props.resourceGroupName });
      this.links.push(new PrivateDnsZoneVirtualNetworkLink(this, `link-${key}`, {
        name: `${props.name}-${key}`,
        resourceGroupName: props.resourceGroupName,
        privateDnsZoneName: zone.name,
        virtualNetworkId: props.vnetId,
        registrationEnabled: false,
      }));
      ids[key] = zone.id;
    }
    this.zoneIds = { blob: ids.blob, vault: ids.vault };
  }

  /** A private endpoint for `resourceId`'s `subresource` ("blob", "vault"), registered in its zone. */
  public endpoint(id: string, resourceId: string, subresource: keyof AzurePrivateDnsZoneIds): PrivateEndpoint {
    const p = this.props;
    const ep = new PrivateEndpoint(this, `endpoint-${id}`, {
      name: `${p.name}-${id}-pe`,
      resourceGroupName: p.resourceGroupName,
      location: p.location,
      subnetId: p.subnetId,
      privateServiceConnection: {
        name: `${p.name}-${id}`,
        privateConnectionResourceId: resourceId,
        subresourceNames: [subresource],
        isManualConnection: false,
      },
      privateDnsZoneGroup: { name: 'default', privateDnsZoneIds: [this.zoneIds[subresource]] },
    });
    this.endpoints.push(ep);
    return ep;
  }
}
