import { MonitorAutoscaleSetting } from '@cdktf/provider-azurerm/lib/monitor-autoscale-setting';
import {
  OrchestratedVirtualMachineScaleSet, OrchestratedVirtualMachineScaleSetExtension, OrchestratedVirtualMachineScaleSetSourceImageReference,
} from '@cdktf/provider-azurerm/lib/orchestrated-virtual-machine-scale-set';
import { VirtualMachineScaleSetStandbyPool } from '@cdktf/provider-azurerm/lib/virtual-machine-scale-set-standby-pool';
import { Annotations, ITerraformDependable } from 'cdktf';
import { createHash } from 'crypto';
import { Construct } from 'constructs';
import { EgressMode, PoolKind, ResolvedPool, azureRequiresGen1Image, azureSeriesOf } from '../spec';
import { AZURE_HEALTH_PORT, azureBootstrapOptions, azureCustomData } from './host-bootstrap';
import { STANDBY_POOL_NAME_RULE, assertAzureName } from './naming';
import { distribute, trimmedName } from './util';

/**
 * Marketplace images (publisher:offer:sku:version):
 * - Ubuntu 24.04 LTS, Gen2 "server" and Gen1 "server-gen1" SKUs (learn.microsoft.com/azure/virtual-machines/linux/cli-ps-findimage);
 * - GPU pools with the NvidiaGpuDriverLinux extension: Ubuntu 22.04 LTS Gen2, the Ubuntu release the
 *   extension's CUDA driver lists (github.com/Azure/azhpc-extensions NvidiaGPU resources, "SupportedOSVersions");
 * - GPU pools with drivers in the image: the Ubuntu-HPC 22.04 image with NVIDIA drivers, CUDA and
 *   InfiniBand preinstalled (learn.microsoft.com/azure/virtual-machines/azure-hpc-vm-images).
 */
export const AZURE_DEFAULT_IMAGES = {
  ubuntuGen2: 'Canonical:ubuntu-24_04-lts:server:latest',
  ubuntuGen1: 'Canonical:ubuntu-24_04-lts:server-gen1:latest',
  gpuExtension: 'Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:latest',
  gpuHpc: 'microsoft-dsvm:ubuntu-hpc:2204:latest',
} as const;

/** How GPU nodes get the NVIDIA driver. */
export enum AzureGpuDriver {
  /**
   * The NvidiaGpuDriverLinux VM extension (publisher Microsoft.HpcCompute, type handler 1.6) installs
   * CUDA (NC) or GRID (NV) drivers after boot. Needs internet access, and Secure Boot off: "Secure Boot
   * is not supported using Windows or Linux extensions" (learn.microsoft.com/azure/virtual-machines/extensions/hpccompute-gpu-linux).
   */
  EXTENSION = 'extension',
  /** The image carries the driver (the Ubuntu-HPC image by default, or the pool's `image`). */
  IMAGE = 'image',
}

/** NvidiaGpuDriverLinux extension coordinates (hpccompute-gpu-linux, "Extension schema"). */
export const NVIDIA_DRIVER_EXTENSION = { publisher: 'Microsoft.HpcCompute', type: 'NvidiaGpuDriverLinux', typeHandlerVersion: '1.6' } as const;

/**
 * GPU series the extension installs drivers for, from its resources list
 * ("SupportedVmFamilyAndGPUModel": NCasT4_v3 and NC_A100_v4 CUDA, NVadsA10_v5 GRID). ND-series and
 * NC H100 v5 are not listed: they default to AzureGpuDriver.IMAGE.
 */
export const NVIDIA_EXTENSION_SERIES: readonly string[] = Object.freeze(['NCasT4_v3', 'NC_A100_v4', 'NVadsA10_v5']);

/**
 * Series where Trusted Launch is "currently not supported" although they run Gen2
 * (learn.microsoft.com/azure/virtual-machines/trusted-launch, Virtual machines sizes).
 */
export const AZURE_TRUSTED_LAUNCH_UNSUPPORTED_SERIES: readonly string[] = Object.freeze(['NDasrA100_v4', 'NDm_A100_v4']);

/** Application Health extension (Rich Health States, TCP probe). */
export const APPLICATION_HEALTH_EXTENSION = { publisher: 'Microsoft.ManagedServices', type: 'ApplicationHealthLinux', typeHandlerVersion: '2.0' } as const;

/** Azure Monitor Agent (learn.microsoft.com/azure/azure-monitor/agents/azure-monitor-agent-manage). */
export const AZURE_MONITOR_AGENT_EXTENSION = { publisher: 'Microsoft.Azure.Monitor', type: 'AzureMonitorLinuxAgent', typeHandlerVersion: '1.0' } as const;

/** Administrator account of the nodes (SSH keys only). */
export const AZURE_ADMIN_USERNAME = 'sandboxadmin';

/**
 * The default administrator key: an Ed25519 public key whose 32 bytes are SHA-256 of a fixed label,
 * so no private key for it is known to anyone (a nothing-up-my-sleeve lockout). Linux VMs with
 * password authentication off must declare a key; this one lets nobody in. Nodes are operated with
 * Run Command (Microsoft.Compute/virtualMachines/runCommand/action), like SSM on AWS.
 */
export function lockoutSshPublicKey(): string {
  const point = createHash('sha256').update('cdktf-sandbox-byoc: no-login administrator key').digest();
  const str = (b: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    return Buffer.concat([len, b]);
  };
  const blob = Buffer.concat([str(Buffer.from('ssh-ed25519')), str(point)]);
  return `ssh-ed25519 ${blob.toString('base64')} no-login@cdktf-sandbox-byoc`;
}

/** A marketplace URN as a source_image_reference, or undefined for a managed/gallery image id. */
export function imageReference(image: string): OrchestratedVirtualMachineScaleSetSourceImageReference | undefined {
  if (image.startsWith('/')) return undefined;
  const [publisher, offer, sku, version] = image.split(':');
  return { publisher, offer, sku, version };
}

/** Premium SSD needs an "s" size (learn.microsoft.com/azure/virtual-machines/vm-naming-conventions); Dv3 has none. */
export function supportsPremiumStorage(size: string): boolean {
  return /^Standard_[A-Z]+\d+[a-z]*s[a-z]*_/.test(size);
}

export interface AzureNodePoolProps {
  readonly platformName: string;
  readonly pool: ResolvedPool;
  readonly resourceGroupName: string;
  readonly location: string;
  /** Node subnet of each zone (one scale set per zone: zonal stacks). */
  readonly subnetIds: string[];
  /** Zone of subnetIds[i]. Default "1".."n". */
  readonly zones?: string[];
  /** What the scale sets wait for besides the key grant, e.g. the VNet's DNS servers (AzureSandboxNetwork.nodesReady). Default none. */
  readonly bootAfter?: ITerraformDependable[];
  /** Decides whether the GPU extension can reach its downloads. */
  readonly egress: EgressMode;
  /** The firewall's domain allow-list, also the sandbox DNS filter's (EgressMode.FIREWALL; required there). Default none. */
  readonly allowedDomains?: string[];
  readonly nodeIdentityId: string;
  readonly diskEncryptionSetId: string;
  /**
   * What the scale sets wait for before they are created: the disk encryption set's grant on the
   * key and the propagation wait after it (AzurePlatformKeys.diskEncryptionReady). Default none.
   */
  readonly diskEncryptionGrant?: ITerraformDependable;
  /**
   * What the standby pools wait for: the Standby Pool resource provider's role assignments and the
   * propagation wait after them (AzureStandbyPoolAccess.ready). Required when the pool has warm nodes.
   */
  readonly standbyPoolAccess?: ITerraformDependable;
  /** NSG on the NICs (existing networks, whose subnets the platform does not manage). Default: none. */
  readonly networkSecurityGroupId?: string;
  /** Administrator public key. Default lockoutSshPublicKey() (no SSH login at all). */
  readonly adminSshPublicKey?: string;
  /** GPU pools: driver source. Default EXTENSION for the series the extension lists, IMAGE otherwise or when the pool names an image. */
  readonly gpuDriver?: AzureGpuDriver;
  /**
   * The scale sets will run with Trusted Launch (Secure Boot, vTPM): your subscription applies it by
   * default to new Gen2 scale sets or a policy requires it. azurerm 4.55's orchestrated scale set
   * cannot set security_profile (hashicorp/terraform-provider-azurerm#19339), so this declares the
   * fact for validation only: Gen1-only sizes, sizes without Trusted Launch and the NVIDIA driver
   * extension are rejected. Default false.
   */
  readonly trustedLaunch?: boolean;
}

/** One zonal scale set of an AzureNodePool, with its autoscale setting and standby pool. */
export interface AzureZoneScaleSet {
  readonly zone: string;
  readonly scaleSet: OrchestratedVirtualMachineScaleSet;
  readonly autoscale: MonitorAutoscaleSetting;
  readonly standbyPool?: VirtualMachineScaleSetStandbyPool;
  readonly minNodes: number;
  readonly maxNodes: number;
}

/**
 * One pool of sandbox or GPU hosts as zonal Flexible-orchestration scale sets (one per zone the pool
 * spans; min/max/warm nodes split across them, totals equal the plan): encryption at host, OS disk
 * with the platform's disk encryption set, no public IPs, SSH keys only (password authentication
 * off), boot diagnostics in managed storage, the host bootstrap as custom data, the nodes' managed
 * identity, the Azure Monitor Agent, the Application Health extension with automatic instance
 * repair, autoscale bounds, a standby pool for warm nodes, and on GPU pools the NVIDIA driver.
 */
export class AzureNodePool extends Construct {
  public readonly pool: ResolvedPool;
  public readonly zoneScaleSets: AzureZoneScaleSet[] = [];
  public readonly gpuDriver?: AzureGpuDriver;

  constructor(scope: Construct, id: string, props: AzureNodePoolProps) {
    super(scope, id);
    const { pool, platformName } = props;
    this.pool = pool;
    const gpu = pool.kind === PoolKind.GPU;
    const series = azureSeriesOf(pool.instanceType);
    const gen1 = azureRequiresGen1Image(pool.instanceType);
    const driver = gpu ? props.gpuDriver ?? (pool.image || !NVIDIA_EXTENSION_SERIES.includes(series ?? '') ? AzureGpuDriver.IMAGE : AzureGpuDriver.EXTENSION) : undefined;
    this.gpuDriver = driver;
    this.validate(props, series, gen1, driver);

    const image = pool.image ?? (gpu ? (driver === AzureGpuDriver.EXTENSION ? AZURE_DEFAULT_IMAGES.gpuExtension : AZURE_DEFAULT_IMAGES.gpuHpc)
      : gen1 ? AZURE_DEFAULT_IMAGES.ubuntuGen1 : AZURE_DEFAULT_IMAGES.ubuntuGen2);
    const customData = azureCustomData(azureBootstrapOptions(platformName, pool, {
      gpuDriverFromExtension: driver === AzureGpuDriver.EXTENSION, egress: props.egress, allowedDomains: props.allowedDomains,
    }));
    const slow = gpu || pool.localNvme;
    const extensions: OrchestratedVirtualMachineScaleSetExtension[] = [
      {
        name: 'health',
        ...APPLICATION_HEALTH_EXTENSION,
        autoUpgradeMinorVersionEnabled: true,
        // Initializing until the bootstrap opens the port or the grace period ends (then Unhealthy).
        settings: JSON.stringify({ protocol: 'tcp', port: AZURE_HEALTH_PORT, intervalInSeconds: 5, numberOfProbes: 3, gracePeriod: slow ? 3600 : 1800 }),
      },
      {
        name: 'azure-monitor-agent',
        ...AZURE_MONITOR_AGENT_EXTENSION,
        autoUpgradeMinorVersionEnabled: true,
        settings: JSON.stringify({ authentication: { managedIdentity: { 'identifier-name': 'mi_res_id', 'identifier-value': props.nodeIdentityId } } }),
      },
      ...(driver === AzureGpuDriver.EXTENSION
        ? [{ name: 'nvidia-driver', ...NVIDIA_DRIVER_EXTENSION, autoUpgradeMinorVersionEnabled: true }]
        : []),
    ];

    // Zonal stacks: a pool spans as many zones as it has nodes to spread (a scale set needs max >= 1).
    const zones = Math.min(props.subnetIds.length, pool.maxNodes);
    const maxes = distribute(pool.maxNodes, zones);
    const mins = distribute(pool.minNodes, zones);
    const warms = distribute(pool.warmNodes, zones);
    const premium = supportsPremiumStorage(pool.instanceType);
    const accelerated = (pool.shape?.vcpus ?? 0) >= 4;
    const vmssDependsOn = [...(props.diskEncryptionGrant ? [props.diskEncryptionGrant] : []), ...(props.bootAfter ?? [])];
    for (let i = 0; i < zones; i++) {
      const zone = props.zones?.[i] ?? String(i + 1);
      const vmssName = `${platformName}-${pool.name}-z${zone}`;
      const vmss = new OrchestratedVirtualMachineScaleSet(this, `vmss-z${zone}`, {
        name: vmssName,
        resourceGroupName: props.resourceGroupName,
        location: props.location,
        skuName: pool.instanceType,
        instances: mins[i],
        platformFaultDomainCount: 1,
        zones: [zone],
        encryptionAtHostEnabled: true,
        ...(pool.spot ? { priority: 'Spot', evictionPolicy: 'Delete', maxBidPrice: -1 } : {}),
        identity: { type: 'UserAssigned', identityIds: [props.nodeIdentityId] },
        osProfile: {
          customData,
          linuxConfiguration: {
            adminUsername: AZURE_ADMIN_USERNAME,
            computerNamePrefix: vmssName,
            disablePasswordAuthentication: true,
            provisionVmAgent: true,
            adminSshKey: [{ username: AZURE_ADMIN_USERNAME, publicKey: props.adminSshPublicKey ?? lockoutSshPublicKey() }],
          },
        },
        ...(image.startsWith('/') ? { sourceImageId: image } : { sourceImageReference: imageReference(image) }),
        osDisk: {
          caching: 'ReadWrite',
          storageAccountType: premium ? 'Premium_LRS' : 'StandardSSD_LRS',
          diskSizeGb: pool.rootVolumeGiB,
          diskEncryptionSetId: props.diskEncryptionSetId,
        },
        networkInterface: [{
          name: `${vmssName}-nic`,
          primary: true,
          enableAcceleratedNetworking: accelerated,
          networkSecurityGroupId: props.networkSecurityGroupId,
          ipConfiguration: [{ name: 'ipv4', primary: true, version: 'IPv4', subnetId: props.subnetIds[i] }],
        }],
        bootDiagnostics: {},
        extension: extensions,
        automaticInstanceRepair: { enabled: true, gracePeriod: slow ? 'PT60M' : 'PT30M', action: 'Replace' },
        tags: { ...pool.tags },
        dependsOn: vmssDependsOn.length > 0 ? vmssDependsOn : undefined,
        // Autoscale and the control plane own the instance count after creation.
        lifecycle: { ignoreChanges: ['instances'] },
      });
      // Bounds only, no metric rules: the vendor's control plane owns capacity within [min, max]
      // (it sizes by sandboxes, which a host metric cannot see), and autoscale only holds the
      // bounds. A "Percentage CPU" rule cannot fire on a zone at 0 instances (the metric is per VM)
      // and its scale-in removes idle nodes that host sandboxes, undoing the control plane.
      // A profile without rules is valid (azurerm v4.55.0 monitor_autoscale_setting_resource.go:
      // profile.rule Optional, MaxItems 10).
      const autoscale = new MonitorAutoscaleSetting(this, `autoscale-z${zone}`, {
        name: `${vmssName}-autoscale`,
        resourceGroupName: props.resourceGroupName,
        location: props.location,
        targetResourceId: vmss.id,
        enabled: true,
        profile: [{
          name: 'bounds',
          capacity: { default: mins[i], minimum: mins[i], maximum: maxes[i] },
        }],
      });
      let standbyPool: VirtualMachineScaleSetStandbyPool | undefined;
      if (warms[i] > 0) {
        if (!props.standbyPoolAccess) {
          throw new Error(`${this.node.path}: pool ${pool.name} keeps ${pool.warmNodes} warm nodes in standby pools, which need the Standby Pool ` +
            'resource provider\'s role assignments first; pass standbyPoolAccess (AzureStandbyPoolAccess.ready), or set warmNodes to 0');
        }
        const standbyName = standbyPoolName(vmssName, zone);
        assertAzureName(this.node.path, `standby pool name of pool ${pool.name} (zone ${zone})`, STANDBY_POOL_NAME_RULE, standbyName);
        // Pre-provisioned, deallocated VMs (Flexible orchestration only): learn.microsoft.com/azure/virtual-machine-scale-sets/standby-pools-overview.
        // "Standby pool size = MaxReadyCapacity - InstanceCount", and with a min ready capacity "the
        // pool will always refill to maintain the minimum ready capacity"
        // (Microsoft Learn, "Use Azure Log Analytics to monitor standby pool events", 2025-04-23):
        // at the zone's minimum the pool holds exactly its warm nodes, and never fewer.
        standbyPool = new VirtualMachineScaleSetStandbyPool(this, `standby-z${zone}`, {
          name: standbyName,
          resourceGroupName: props.resourceGroupName,
          location: props.location,
          attachedVirtualMachineScaleSetId: vmss.id,
          virtualMachineState: 'Deallocated',
          elasticityProfile: standbyElasticity(mins[i], warms[i]),
          dependsOn: [props.standbyPoolAccess],
        });
      }
      this.zoneScaleSets.push({ zone, scaleSet: vmss, autoscale, standbyPool, minNodes: mins[i], maxNodes: maxes[i] });
    }
  }

  public get scaleSets(): OrchestratedVirtualMachineScaleSet[] {
    return this.zoneScaleSets.map((z) => z.scaleSet);
  }

  private validate(props: AzureNodePoolProps, series: string | undefined, gen1: boolean, driver: AzureGpuDriver | undefined): void {
    const { pool } = props;
    const where = `pool ${pool.name} (${pool.instanceType})`;
    const problems: string[] = [];
    if (props.trustedLaunch && gen1) {
      problems.push(`${where} runs only generation 1 VMs, and Trusted Launch needs generation 2; use a Dsv5/Dasv5/Dsv6 size or trustedLaunch: false`);
    }
    if (props.trustedLaunch && series && AZURE_TRUSTED_LAUNCH_UNSUPPORTED_SERIES.includes(series)) {
      problems.push(`${where}: Trusted Launch is not yet supported on the ${series} series (learn.microsoft.com/azure/virtual-machines/trusted-launch)`);
    }
    if (driver === AzureGpuDriver.EXTENSION) {
      if (props.trustedLaunch) {
        problems.push(`${where}: the NvidiaGpuDriverLinux extension cannot install drivers with Secure Boot on ("Secure Boot is not supported using ` +
          'Windows or Linux extensions", learn.microsoft.com/azure/virtual-machines/extensions/hpccompute-gpu-linux); use gpuDriver "image" with signed drivers, or trustedLaunch: false');
      }
      if (props.egress === EgressMode.NONE) {
        problems.push(`${where}: the NvidiaGpuDriverLinux extension downloads the driver from the internet, and egress is "none"; ` +
          'use gpuDriver "image" (drivers in the image) or egress "nat"/"firewall"');
      }
      if (!NVIDIA_EXTENSION_SERIES.includes(series ?? '')) {
        problems.push(`${where}: the NvidiaGpuDriverLinux extension does not list the ${series ?? 'unknown'} series (it covers ${NVIDIA_EXTENSION_SERIES.join(', ')}); use gpuDriver "image"`);
      }
      const missing = NVIDIA_EXTENSION_DOMAINS.filter((d) => !domainAllowed(d, props.allowedDomains ?? []));
      if (props.egress === EgressMode.FIREWALL && missing.length > 0) {
        Annotations.of(this).addWarning(`${where}: the NvidiaGpuDriverLinux extension downloads drivers and kernel headers from ` +
          `${missing.join(', ')}, which network.egress.allowedDomains does not allow; add them, or use gpuDriver "image"`);
      }
    }
    if (problems.length > 0) throw new Error(`${this.node.path}: ${problems.join('; ')}`);
  }
}

/**
 * A standby pool's name: at most 24 of [a-zA-Z0-9-] (STANDBY_POOL_NAME_RULE). The scale set name
 * (platform-pool-zN, up to 41 characters) does not fit, so the name is the start of
 * "<platform>-<pool>" (11 characters, no trailing hyphen), 6 hex of SHA-256 of the scale set name
 * (unique per scale set) and the zone: at most 11 + 1 + 6 + 3 = 21 characters.
 */
export function standbyPoolName(vmssName: string, zone: string): string {
  const base = vmssName.replace(/-z\d+$/, '');
  const hash = createHash('sha256').update(vmssName).digest('hex').slice(0, 6);
  return `${trimmedName(base, 11)}-${hash}-z${zone}`;
}

/**
 * Elasticity of a zone's standby pool: max ready = the zone's minimum plus its warm nodes (the pool
 * holds max - instances), min ready = its warm nodes (refilled whatever the instance count).
 * Both 0..2000 and min <= max (azurerm v4.55.0 virtual_machine_scale_set_standby_pool_resource.go).
 */
export function standbyElasticity(minNodes: number, warmNodes: number): { maxReadyCapacity: number; minReadyCapacity: number } {
  return { maxReadyCapacity: minNodes + warmNodes, minReadyCapacity: warmNodes };
}

/** Where the NVIDIA driver extension downloads from: drivers (NVIDIA, Microsoft) and kernel headers (Azure's Ubuntu mirror). */
export const NVIDIA_EXTENSION_DOMAINS = ['developer.download.nvidia.com', 'download.microsoft.com', 'azure.archive.ubuntu.com'];

/** True when `domain` is on the allow-list, exactly or through a ".parent" entry. */
function domainAllowed(domain: string, allowed: readonly string[]): boolean {
  return allowed.some((a) => (a.startsWith('.') ? domain === a.slice(1) || domain.endsWith(a) : domain === a));
}
