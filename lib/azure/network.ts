import { NatGateway } from '@cdktf/provider-azurerm/lib/nat-gateway';
import { NatGatewayPublicIpAssociation } from '@cdktf/provider-azurerm/lib/nat-gateway-public-ip-association';
import { NetworkSecurityGroup, NetworkSecurityGroupSecurityRule } from '@cdktf/provider-azurerm/lib/network-security-group';
import { NetworkWatcherFlowLog } from '@cdktf/provider-azurerm/lib/network-watcher-flow-log';
import { PublicIp } from '@cdktf/provider-azurerm/lib/public-ip';
import { RouteTable } from '@cdktf/provider-azurerm/lib/route-table';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { SubnetNatGatewayAssociation } from '@cdktf/provider-azurerm/lib/subnet-nat-gateway-association';
import { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association';
import { SubnetRouteTableAssociation } from '@cdktf/provider-azurerm/lib/subnet-route-table-association';
import { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network';
import { VirtualNetworkDnsServers } from '@cdktf/provider-azurerm/lib/virtual-network-dns-servers';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { RuleId, SandboxCompliance } from '../compliance';
import { EgressMode, ResolvedNetwork } from '../spec';
import { AzureEgressFirewall } from './egress-firewall';
import { AzureSecureStorageAccount, AzureStorageCmk, AzureStorageNetworkAccess } from './secure-storage';
import { halveCidr, prefixLength } from './util';

/** Smallest subnet AKS accepts for API Server VNet Integration (learn.microsoft.com/azure/aks/api-server-vnet-integration: "a minimum subnet size of /28"). */
export const AKS_API_SERVER_SUBNET_MAX_PREFIX = 28;

/** Azure regions have at most three availability zones (learn.microsoft.com/azure/reliability/availability-zones-overview). */
export const AZURE_MAX_ZONES = 3;

/**
 * Network Watcher flow-log retention accepts 0 (keep forever) or up to 365 days
 * (learn.microsoft.com/azure/network-watcher/vnet-flow-logs-manage); longer floors keep forever and
 * let the storage account's lifecycle policy delete blobs after the floor.
 */
export const FLOW_LOG_MAX_RETENTION_DAYS = 365;

/**
 * Zone names of a resolved network: the pinned network.availabilityZones, else "1".."zones". Node
 * subnet i, its NAT gateway and the pools' scale sets of index i live in zone names[i].
 */
export function azureZoneNames(net: Pick<ResolvedNetwork, 'zones' | 'availabilityZones'>): string[] {
  return net.availabilityZones ? [...net.availabilityZones] : Array.from({ length: net.zones }, (_, i) => String(i + 1));
}

/** Network Watcher Azure creates per region when a VNet is created there (learn.microsoft.com/azure/network-watcher/network-watcher-create). */
export interface AzureNetworkWatcherRef {
  /** Default "NetworkWatcher_<location>". */
  readonly name: string;
  /** Default "NetworkWatcherRG". */
  readonly resourceGroupName: string;
}

/** NSG rules of node subnets: no inbound from the internet; outbound web only (none without egress). */
export function nodeSecurityRules(egress: EgressMode): NetworkSecurityGroupSecurityRule[] {
  const rule = (r: Partial<NetworkSecurityGroupSecurityRule>): NetworkSecurityGroupSecurityRule => ({
    protocol: '*', sourcePortRange: '*', destinationPortRange: '*', sourceAddressPrefix: '*', destinationAddressPrefix: '*', ...r,
  });
  const rules: NetworkSecurityGroupSecurityRule[] = [
    // SSH (22), RDP (3389) and everything else from the internet: nodes are operated with Run Command.
    rule({ name: 'deny-internet-inbound', description: 'No inbound connection from the internet, SSH and RDP included',
      priority: 4000, direction: 'Inbound', access: 'Deny', sourceAddressPrefix: 'Internet' }),
  ];
  if (egress !== EgressMode.NONE) {
    rules.push(rule({ name: 'allow-web-outbound', description: `HTTP/HTTPS out (${egress} egress)`, priority: 100, direction: 'Outbound',
      access: 'Allow', protocol: 'Tcp', destinationPortRange: undefined, destinationPortRanges: ['80', '443'], destinationAddressPrefix: 'Internet' }));
  }
  rules.push(rule({ name: 'deny-internet-outbound', description: 'Nothing else to the internet', priority: 4000, direction: 'Outbound',
    access: 'Deny', destinationAddressPrefix: 'Internet' }));
  return rules;
}

export interface AzureSandboxNetworkProps {
  readonly name: string;
  readonly resourceGroupName: string;
  readonly location: string;
  /** The resolved network (resolvePlatform(...).network). */
  readonly network: ResolvedNetwork;
  /** Zone of node subnet i (and of its NAT gateway). Default network.availabilityZones, else "1".."zones". */
  readonly zones?: string[];
  /** Flow-log retention (the profile's floor or more). */
  readonly flowLogRetentionDays: number;
  /** Globally unique name of the flow-log storage account (3..24 of [a-z0-9]). */
  readonly flowLogStorageAccountName: string;
  /** Customer-managed key of the flow-log storage account. */
  readonly storageCmk: AzureStorageCmk;
  /** Traffic analytics into this workspace. Default: none. */
  readonly trafficAnalytics?: AzureTrafficAnalytics;
  /** Workspace for the firewall's logs (FIREWALL egress): the audit workspace. Default: none. */
  readonly workspaceId?: string;
  /** Also archive the firewall's logs here (immutable under hipaa). Default: none. */
  readonly archiveStorageAccountId?: string;
  /** What the firewall's log export waits for (the archive's locked containers). Default none. */
  readonly archiveReady?: ITerraformDependable[];
  /**
   * Shared-key authorization on the flow-log storage account. Network Watcher writes VNet flow logs
   * with the account's keys: "If you change or rotate the access keys to your storage account,
   * virtual network flow logs stop working" (learn.microsoft.com/azure/network-watcher/vnet-flow-logs-overview,
   * Storage account), and azurerm (through v4.81.0) cannot give a flow log the managed identity the
   * newer API accepts. Default true; set false only after confirming insights-logs-flowlogflowevent
   * fills with shared keys off.
   */
  readonly flowLogSharedKeyAccess?: boolean;
  /** Default the Network Watcher Azure creates: "NetworkWatcher_<location>" in "NetworkWatcherRG". */
  readonly networkWatcher?: AzureNetworkWatcherRef;
  /** prevent_destroy on the flow-log storage account. Default false. */
  readonly preventDestroy?: boolean;
  /**
   * Kubernetes mode (AKS): the endpoint slot is split in two, endpoints in the first half and a subnet
   * delegated to Microsoft.ContainerService/managedClusters in the second for API Server VNet Integration
   * (at least /28: learn.microsoft.com/azure/aks/api-server-vnet-integration). Default: none.
   */
  readonly aksApiServer?: AzureAksApiServerSubnetProps;
  /**
   * "firewall" egress in Kubernetes mode: hosts the nodes download their pinned sandbox runtime from
   * (AzureEgressRulesProps.runtimeDomains). Default none.
   */
  readonly runtimeDomains?: string[];
}

/** The API server subnet of an AKS cluster in this network. */
export interface AzureAksApiServerSubnetProps {
  /** Public CIDRs admitted to the API server on TCP 443 (restricted-public); empty for a private cluster. */
  readonly authorizedCidrs: string[];
}


/**
 * A VNet laid out as zonal stacks: one node subnet per availability zone (each with its own NAT
 * gateway and zonal public IP under soc2/hipaa, or one shared NAT gateway in zone 1 under
 * baseline), so the loss of a zone never takes egress from the others
 * (learn.microsoft.com/azure/nat-gateway/nat-availability-zones). A private-endpoint subnet.
 * Every subnet has an NSG; none has Azure's default outbound access
 * (default_outbound_access_enabled = false: learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access),
 * so egress exists only through what is built here: NAT gateways (NAT), Azure Firewall behind a
 * 0.0.0.0/0 route (FIREWALL; the firewall SNATs to its own public IP, no NAT gateway), or nothing
 * (NONE). VNet flow logs (NSG flow logs are retired: learn.microsoft.com/azure/network-watcher/nsg-flow-logs-overview)
 * go to a CMK-encrypted storage account, with traffic analytics when a workspace is given.
 */
export class AzureSandboxNetwork extends Construct {
  public readonly vnet: VirtualNetwork;
  public readonly vnetId: string;
  /** Node subnets, index i in zone i + 1. */
  public readonly nodeSubnets: Subnet[] = [];
  public readonly endpointSubnet: Subnet;
  /** AKS only: the subnet delegated to the API server (API Server VNet Integration) and its NSG. */
  public readonly apiServerSubnet?: Subnet;
  public readonly apiServerSecurityGroup?: NetworkSecurityGroup;
  public readonly nodeSecurityGroup: NetworkSecurityGroup;
  public readonly endpointSecurityGroup: NetworkSecurityGroup;
  public readonly natGateways: NatGateway[] = [];
  public readonly firewall?: AzureEgressFirewall;
  public readonly routeTable?: RouteTable;
  public readonly flowLogStorage: AzureSecureStorageAccount;
  public readonly flowLog: NetworkWatcherFlowLog;
  /** FIREWALL egress: the VNet's DNS servers set to the firewall's DNS proxy. */
  public readonly dnsServers?: VirtualNetworkDnsServers;
  /** What nodes must wait for before they boot (the VNet's DNS servers under FIREWALL egress): they take the VNet's DNS at boot. */
  public readonly nodesReady: ITerraformDependable[] = [];
  /**
   * Everything that makes the node subnets' egress work (NAT gateways with their IPs and subnet
   * associations, or the firewall, its rules, DNS proxy and the route-table associations, and the NSG
   * associations): an AKS cluster, whose outbound type names that egress and whose nodes join at
   * creation, is created after all of it.
   */
  public readonly egressReady: ITerraformDependable[] = [];

  constructor(scope: Construct, id: string, props: AzureSandboxNetworkProps) {
    super(scope, id);
    const { name, network: net } = props;
    if (net.zones > AZURE_MAX_ZONES) {
      throw new Error(`${this.node.path}: network.zones is ${net.zones}, but Azure regions have at most ${AZURE_MAX_ZONES} availability zones; use 1..3`);
    }
    const base = { resourceGroupName: props.resourceGroupName, location: props.location };
    this.vnet = new VirtualNetwork(this, 'vnet', { ...base, name: `${name}-vnet`, addressSpace: [net.cidr] });
    this.vnetId = this.vnet.id;
    const subnet = (sid: string, subnetName: string, cidr: string, extra: Partial<ConstructorParameters<typeof Subnet>[2]> = {}) => new Subnet(this, sid, {
      name: subnetName, resourceGroupName: props.resourceGroupName, virtualNetworkName: this.vnet.name, addressPrefixes: [cidr],
      defaultOutboundAccessEnabled: false, ...extra,
    });

    this.nodeSecurityGroup = new NetworkSecurityGroup(this, 'nodes-nsg', { ...base, name: `${name}-nodes-nsg`, securityRule: nodeSecurityRules(net.egress) });
    this.endpointSecurityGroup = new NetworkSecurityGroup(this, 'endpoints-nsg', {
      ...base, name: `${name}-endpoints-nsg`, securityRule: nodeSecurityRules(EgressMode.NONE),
    });
    for (let i = 0; i < net.zones; i++) {
      const s = subnet(`nodes-${i + 1}`, `${name}-nodes-${i + 1}`, net.subnets.private[i]);
      this.egressReady.push(new SubnetNetworkSecurityGroupAssociation(this, `nodes-${i + 1}-nsg`, { subnetId: s.id, networkSecurityGroupId: this.nodeSecurityGroup.id }));
      this.nodeSubnets.push(s);
    }
    // The first "public" slot of the layout: Azure needs no public subnets (NAT gateways attach to the node subnets).
    let endpointCidr = net.subnets.public[0];
    if (props.aksApiServer) {
      const [endpoints, api] = halveCidr(endpointCidr);
      if (prefixLength(api) > AKS_API_SERVER_SUBNET_MAX_PREFIX) {
        throw new Error(`${this.node.path}: network.cidr ${net.cidr} leaves a /${prefixLength(api)} for the AKS API server subnet; it needs a ` +
          `/${AKS_API_SERVER_SUBNET_MAX_PREFIX} or larger: use a larger network (e.g. a /20)`);
      }
      endpointCidr = endpoints;
      this.apiServerSubnet = subnet('aks-api-server', `${name}-aks-api-server`, api, {
        delegation: [{ name: 'aks-api-server', serviceDelegation: {
          name: 'Microsoft.ContainerService/managedClusters', actions: ['Microsoft.Network/virtualNetworks/subnets/join/action'],
        } }],
      });
      const cidrs = props.aksApiServer.authorizedCidrs;
      this.apiServerSecurityGroup = new NetworkSecurityGroup(this, 'aks-api-server-nsg', {
        ...base,
        name: `${name}-aks-api-server-nsg`,
        securityRule: [
          ...(cidrs.length > 0 ? [{ name: 'allow-authorized-api', description: 'Kubernetes API from the authorized CIDRs (restricted-public)',
            priority: 100, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', sourcePortRange: '*', destinationPortRange: '443',
            sourceAddressPrefixes: [...cidrs], destinationAddressPrefix: '*' }] : []),
          { name: 'deny-internet-inbound', description: 'Nothing else from the internet', priority: 4000, direction: 'Inbound', access: 'Deny',
            protocol: '*', sourcePortRange: '*', destinationPortRange: '*', sourceAddressPrefix: 'Internet', destinationAddressPrefix: '*' },
        ],
      });
      new SubnetNetworkSecurityGroupAssociation(this, 'aks-api-server-nsg-association', {
        subnetId: this.apiServerSubnet.id, networkSecurityGroupId: this.apiServerSecurityGroup.id,
      });
    }
    this.endpointSubnet = subnet('endpoints', `${name}-endpoints`, endpointCidr, { privateEndpointNetworkPolicies: 'Enabled' });
    new SubnetNetworkSecurityGroupAssociation(this, 'endpoints-nsg-association', {
      subnetId: this.endpointSubnet.id, networkSecurityGroupId: this.endpointSecurityGroup.id,
    });

    const zones = props.zones ?? azureZoneNames(net);
    if (zones.length !== net.zones) {
      throw new Error(`${this.node.path}: ${zones.length} zone names for ${net.zones} zones; give one zone per node subnet`);
    }
    if (net.egress === EgressMode.NAT) this.buildNat(props, zones);
    if (net.egress === EgressMode.FIREWALL) {
      const fw = new AzureEgressFirewall(this, 'firewall', {
        ...base, name, vnetName: this.vnet.name, subnetCidr: net.subnets.firewall[0], sourceCidrs: [net.cidr],
        allowedDomains: net.allowedDomains, aksNodes: props.aksApiServer !== undefined, runtimeDomains: props.runtimeDomains, zones, workspaceId: props.workspaceId,
        archiveStorageAccountId: props.archiveStorageAccountId, archiveReady: props.archiveReady,
      });
      this.firewall = fw;
      // Every query of a node or sandbox goes to the firewall's DNS proxy (a separate resource: the
      // firewall's subnet is in this VNet, so the VNet cannot name the firewall's address itself).
      // Nodes read the VNet's DNS servers at boot, so scale sets wait for this (nodesReady).
      this.dnsServers = new VirtualNetworkDnsServers(this, 'dns-via-firewall', {
        virtualNetworkId: this.vnet.id,
        dnsServers: [fw.privateIp],
      });
      this.nodesReady.push(this.dnsServers);
      this.routeTable = new RouteTable(this, 'nodes-routes', {
        ...base,
        name: `${name}-nodes-rt`,
        bgpRoutePropagationEnabled: false,
        route: [{ name: 'default-via-firewall', addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopInIpAddress: fw.privateIp }],
      });
      this.nodeSubnets.forEach((s, i) => this.egressReady.push(
        new SubnetRouteTableAssociation(this, `nodes-${i + 1}-routes`, { subnetId: s.id, routeTableId: this.routeTable!.id })));
      this.egressReady.push(fw.firewall, fw.rules, this.dnsServers);
    }

    const retention = props.flowLogRetentionDays;
    const sharedKeys = props.flowLogSharedKeyAccess !== false;
    this.flowLogStorage = new AzureSecureStorageAccount(this, 'flow-log-storage', {
      ...base,
      accountName: props.flowLogStorageAccountName,
      cmk: props.storageCmk,
      networkAccess: AzureStorageNetworkAccess.TRUSTED_SERVICES,
      deleteRetentionDays: 7,
      expireAfterDays: retention > FLOW_LOG_MAX_RETENTION_DAYS ? retention : undefined,
      sharedKeyAccess: sharedKeys,
      preventDestroy: props.preventDestroy,
    });
    // A deliberate, documented exception, recorded where it is made so every user's report shows it.
    SandboxCompliance.suppress(this.flowLogStorage, RuleId.AZ_ST_PUBLIC,
      'Network Watcher writes VNet flow logs through the trusted-services exception of the storage firewall, which applies only while the ' +
      'public endpoint is enabled; the firewall denies every network (default_action Deny, no IP or VNet rules). ' +
      (sharedKeys
        ? 'Shared keys stay on for this account only: Network Watcher writes flow logs with the account keys ("If you change or rotate the access ' +
          'keys to your storage account, virtual network flow logs stop working") and azurerm cannot give it a managed identity; only principals with ' +
          'Microsoft.Storage/storageAccounts/listKeys/action can read the keys, and the firewall admits no network. '
        : 'Shared keys are off. ') +
      '(learn.microsoft.com/azure/network-watcher/vnet-flow-logs-overview, Storage account).');
    const watcher = props.networkWatcher ?? { name: `NetworkWatcher_${props.location}`, resourceGroupName: 'NetworkWatcherRG' };
    const ta = props.trafficAnalytics;
    this.flowLog = new NetworkWatcherFlowLog(this, 'flow-log', {
      name: `${name}-vnet-flow-log`,
      location: props.location,
      networkWatcherName: watcher.name,
      resourceGroupName: watcher.resourceGroupName,
      targetResourceId: this.vnet.id,
      storageAccountId: this.flowLogStorage.id,
      enabled: true,
      version: 2,
      retentionPolicy: { enabled: true, days: retention > FLOW_LOG_MAX_RETENTION_DAYS ? 0 : retention },
      trafficAnalytics: ta
        ? { enabled: true, workspaceId: ta.workspaceId, workspaceRegion: ta.workspaceLocation, workspaceResourceId: ta.workspaceResourceId, intervalInMinutes: 10 }
        : undefined,
    });
  }

  public get nodeSubnetIds(): string[] {
    return this.nodeSubnets.map((s) => s.id);
  }

  private buildNat(props: AzureSandboxNetworkProps, zones: readonly string[]): void {
    const { name, network: net } = props;
    const base = { resourceGroupName: props.resourceGroupName, location: props.location };
    // One NAT gateway per zone (soc2/hipaa) or one in the first zone shared by all node subnets (baseline).
    const count = Math.max(1, Math.min(net.natGateways, net.zones));
    for (let i = 0; i < count; i++) {
      const zone = zones[i];
      const ip = new PublicIp(this, `nat-ip-${zone}`, {
        ...base, name: `${name}-nat-${zone}-pip`, sku: 'Standard', allocationMethod: 'Static', zones: [zone],
      });
      const nat = new NatGateway(this, `nat-${zone}`, { ...base, name: `${name}-nat-${zone}`, skuName: 'Standard', zones: [zone], idleTimeoutInMinutes: 4 });
      this.egressReady.push(new NatGatewayPublicIpAssociation(this, `nat-${zone}-ip`, { natGatewayId: nat.id, publicIpAddressId: ip.id }));
      this.natGateways.push(nat);
    }
    this.nodeSubnets.forEach((s, i) => this.egressReady.push(new SubnetNatGatewayAssociation(this, `nodes-${i + 1}-nat`, {
      subnetId: s.id, natGatewayId: this.natGateways[i % this.natGateways.length].id,
    })));
  }
}

/** Traffic analytics of the flow logs (AzureSandboxNetworkProps.trafficAnalytics). */
export interface AzureTrafficAnalytics {
  /** Resource id of the Log Analytics workspace. */
  readonly workspaceResourceId: string;
  /** Workspace (customer) id of the Log Analytics workspace. */
  readonly workspaceId: string;
  /** Location of the workspace. */
  readonly workspaceLocation: string;
}
