import { ComputeInstanceTemplate, ComputeInstanceTemplateDisk } from '@cdktf/provider-google/lib/compute-instance-template';
import { ComputeRegionAutoscaler } from '@cdktf/provider-google/lib/compute-region-autoscaler';
import { ComputeRegionInstanceGroupManager } from '@cdktf/provider-google/lib/compute-region-instance-group-manager';
import { ITerraformDependable } from 'cdktf';
import { setGoogleIdpfNic } from '../provider-compat';
import { Construct } from 'constructs';
import {
  EgressMode, GCP_LOCAL_SSD_DISK_GIB, PoolKind, ResolvedPool, gcpAttachableLocalSsdCounts, gcpGuestAccelerator, gcpNestedMinCpuPlatform,
} from '../spec';
import { GcpProjectContext } from './context';
import { gcpBootstrapOptions, gcpStartupScript } from './host-bootstrap';
import { gcpBootDiskType, gcpImageFor, gcpNicType, gcpOnHostMaintenance, gcpSecureBoot } from './machine';
import { GcpDistributionShape, gcpDistributionShape, gcpTemplateNamePrefix } from './placement';
import { gcpLabels } from './scope-aspect';

/** The OAuth scope of the nodes: all of Google Cloud, so that IAM roles alone decide (cloud.google.com/compute/docs/access/service-accounts#scopes_best_practice). */
export const GCP_NODE_SCOPES = ['https://www.googleapis.com/auth/cloud-platform'];

/** Target CPU utilization of the autoscaler; the control plane drives capacity through the bounds. */
export const GCP_AUTOSCALER_CPU_TARGET = 0.7;

export interface GcpNodePoolProps {
  readonly platformName: string;
  readonly pool: ResolvedPool;
  readonly context: GcpProjectContext;
  /** Node subnetwork (id, self link, or name in the platform's region). */
  readonly subnetwork: string;
  /** Zones of the region the group spreads over (distribution_policy_zones; ForceNew, so never computed). */
  readonly zones: string[];
  readonly serviceAccountEmail: string;
  /** CMEK for the boot disk (Compute Engine service agent must hold encrypter/decrypter on it). */
  readonly kmsKeyId: string;
  /**
   * Local SSD disks to attach (375 GiB NVMe each), for machine types that take a chosen number
   * (gcpAttachableLocalSsdCounts); types with bundled Local SSD ("-lssd", A2 Ultra, A3) get theirs
   * automatically. Local SSD is always encrypted with Google-managed keys: CMEK is not available for
   * it (the Compute API offers Local SSD only infrastructure-managed or ephemeral keys:
   * Instance.localSsdEncryptionMode STANDARD_ENCRYPTION / EPHEMERAL_KEY_ENCRYPTION). Default 0.
   */
  readonly localSsdDisks?: number;
  /** Install the Ops Agent at boot when the image lacks it (needs internet egress). Default true. */
  readonly installOpsAgent?: boolean;
  /** The platform's egress mode (the host guard's resolver exceptions). Default: the strictest guard. */
  readonly egress?: EgressMode;
  /** The names sandboxes may resolve through the host's DNS filter; required with egress FIREWALL. Default none. */
  readonly allowedDomains?: string[];
  /** Autohealing health check (id) and its initial delay. Default: repair on VM failure only. */
  readonly healthCheck?: string;
  /**
   * Secure Boot on this pool's nodes. Default gcpSecureBoot(pool): on, except GPU pools (whose
   * default driver images load unsigned NVIDIA modules); set true for a GPU image with signed modules.
   */
  readonly secureBoot?: boolean;
  /**
   * Create the template and group after these: the key grant, the nested-virtualization policy, and
   * what a node needs in its first minute (firewall rules and association, DNS records, NAT, the
   * node identity's grants).
   */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * One pool of sandbox or GPU hosts: an instance template (Shielded VM with vTPM and integrity
 * monitoring, OS Login, project SSH keys blocked, serial port off, no external IP, CMEK boot disk,
 * nested virtualization or GPUs per the catalog, the host bootstrap as startup script), a regional
 * managed instance group over the platform's zones with rolling replacement on template change and
 * repair of failed VMs, a standby pool of stopped VMs for `warmNodes`, and a regional autoscaler
 * with the pool's bounds. Templates are immutable: a change creates a new one (name_prefix,
 * create_before_destroy) and the group rolls to it.
 */
export class GcpNodePool extends Construct {
  public readonly template: ComputeInstanceTemplate;
  public readonly instanceGroupManager: ComputeRegionInstanceGroupManager;
  public readonly autoscaler: ComputeRegionAutoscaler;
  public readonly pool: ResolvedPool;
  /** Name of the group and its autoscaler: "<platform>-<pool>"; instances are "<group>-xxxx". */
  public readonly groupName: string;

  constructor(scope: Construct, id: string, props: GcpNodePoolProps) {
    super(scope, id);
    const { pool, platformName, context: ctx } = props;
    this.pool = pool;
    const fullName = `${platformName}-${pool.name}`;
    this.groupName = fullName;
    const labels = gcpLabels(pool.tags);
    const metal = pool.shape?.metal ?? false;
    const localSsd = this.localSsdDisks(props);
    const maintenance = gcpOnHostMaintenance(pool);
    const accelerator = pool.shape ? gcpGuestAccelerator(pool.shape) : undefined;
    const minCpuPlatform = pool.nestedVirtualization ? gcpNestedMinCpuPlatform(pool.instanceType) : undefined;
    const slow = metal || pool.kind === PoolKind.GPU;
    const nicType = gcpNicType(pool.instanceType, metal);
    const shape = gcpDistributionShape(pool);
    const zoneCount = props.zones.length;
    if (zoneCount === 0) throw new Error(`pool ${pool.name}: no zones to place its instance group in`);

    const disks: ComputeInstanceTemplateDisk[] = [{
      boot: true,
      autoDelete: true,
      sourceImage: gcpImageFor(pool),
      diskType: gcpBootDiskType(pool.instanceType, metal),
      diskSizeGb: pool.rootVolumeGiB,
      diskEncryptionKey: { kmsKeySelfLink: props.kmsKeyId },
      labels,
    }];
    for (let i = 0; i < localSsd; i++) {
      disks.push({ type: 'SCRATCH', diskType: 'local-ssd', interface: 'NVME', diskSizeGb: GCP_LOCAL_SSD_DISK_GIB, autoDelete: true });
    }

    this.template = new ComputeInstanceTemplate(this, 'template', {
      project: ctx.project,
      region: ctx.region,
      // At most 37 characters, else the provider's name suffix can repeat (gcpTemplateNamePrefix).
      namePrefix: gcpTemplateNamePrefix(platformName, pool.name),
      description: `${pool.kind} pool ${pool.name} of ${platformName} (${pool.runtime}, ${pool.virtualization})`,
      machineType: pool.instanceType,
      minCpuPlatform,
      canIpForward: false,
      labels,
      metadata: {
        'enable-oslogin': 'TRUE',
        'block-project-ssh-keys': 'true',
        'serial-port-enable': 'false',
        'startup-script': gcpStartupScript(gcpBootstrapOptions(platformName, pool, { attachedLocalSsd: localSsd > 0, installOpsAgent: props.installOpsAgent, egress: props.egress,
          allowedDomains: props.allowedDomains })),
      },
      disk: disks,
      // No access_config: no external IP; egress goes through Cloud NAT (or nowhere).
      // IDPF (bare metal) is set through provider-compat below: it needs google >= 7.32.0.
      networkInterface: [{ subnetwork: props.subnetwork, stackType: 'IPV4_ONLY', nicType: nicType === 'IDPF' ? undefined : nicType }],
      serviceAccount: { email: props.serviceAccountEmail, scopes: GCP_NODE_SCOPES },
      shieldedInstanceConfig: { enableSecureBoot: props.secureBoot ?? gcpSecureBoot(pool), enableVtpm: true, enableIntegrityMonitoring: true },
      advancedMachineFeatures: pool.nestedVirtualization ? { enableNestedVirtualization: true } : undefined,
      guestAccelerator: accelerator ? [{ type: accelerator.type, count: accelerator.count }] : undefined,
      scheduling: pool.spot
        ? { provisioningModel: 'SPOT', preemptible: true, automaticRestart: false, onHostMaintenance: 'TERMINATE', instanceTerminationAction: 'DELETE' }
        : { provisioningModel: 'STANDARD', preemptible: false, automaticRestart: true, onHostMaintenance: maintenance },
      lifecycle: { createBeforeDestroy: true },
      dependsOn: props.dependsOn,
    });
    if (nicType === 'IDPF') setGoogleIdpfNic(this.template);

    const warm = pool.warmNodes > 0;
    this.instanceGroupManager = new ComputeRegionInstanceGroupManager(this, 'group', {
      project: ctx.project,
      region: ctx.region,
      name: fullName,
      baseInstanceName: fullName,
      description: `${pool.kind} pool ${pool.name} of ${platformName}`,
      distributionPolicyZones: [...props.zones],
      // EVEN, or BALANCED for GPU and metal pools, whose machine types some zones do not sell.
      distributionPolicyTargetShape: shape,
      // The unique self link changes whenever the template is replaced, which starts the rollout.
      version: [{ name: 'primary', instanceTemplate: this.template.selfLinkUnique }],
      updatePolicy: {
        type: 'PROACTIVE',
        minimalAction: 'REPLACE',
        mostDisruptiveAllowedAction: 'REPLACE',
        replacementMethod: 'SUBSTITUTE',
        // Proactive redistribution only with EVEN ("to set the target distribution shape to BALANCED ...
        // you must disable proactive instance redistribution": regional-mig-set-target-distribution-shape, Limitations).
        instanceRedistributionType: shape === GcpDistributionShape.EVEN ? 'PROACTIVE' : 'NONE',
        // Regional groups need 0 or at least one per zone (registry: google_compute_region_instance_group_manager).
        maxSurgeFixed: zoneCount,
        maxUnavailableFixed: 0,
      },
      instanceLifecyclePolicy: { defaultActionOnFailure: 'REPAIR', forceUpdateOnRepair: 'YES' },
      autoHealingPolicies: props.healthCheck ? { healthCheck: props.healthCheck, initialDelaySec: slow ? 900 : 300 } : undefined,
      // warmNodes: a standby pool of stopped, already bootstrapped VMs that the group starts on scale-out
      // and refills afterwards (SCALE_OUT_POOL); the initial delay lets the bootstrap finish before the stop.
      // Source: cloud.google.com/compute/docs/instance-groups/accelerate-mig-scale-out-with-standby-pools.
      standbyPolicy: warm ? { mode: 'SCALE_OUT_POOL', initialDelaySec: slow ? 900 : 600 } : undefined,
      targetStoppedSize: warm ? pool.warmNodes : undefined,
      waitForInstances: false,
      dependsOn: props.dependsOn,
    });

    this.autoscaler = new ComputeRegionAutoscaler(this, 'autoscaler', {
      project: ctx.project,
      region: ctx.region,
      name: fullName,
      target: this.instanceGroupManager.id,
      autoscalingPolicy: {
        minReplicas: pool.minNodes,
        maxReplicas: pool.maxNodes,
        // Initialization period: metal and GPU hosts take longer to boot and bootstrap.
        cooldownPeriod: slow ? 900 : 300,
        mode: 'ON',
        cpuUtilization: { target: GCP_AUTOSCALER_CPU_TARGET },
      },
    });
  }

  private localSsdDisks(props: GcpNodePoolProps): number {
    const n = props.localSsdDisks ?? 0;
    if (n === 0) return 0;
    const { pool } = props;
    if (pool.shape?.localNvme) {
      throw new Error(`pool ${pool.name}: ${pool.instanceType} comes with ${pool.shape.localNvme.disks} Local SSD disks; remove localSsdDisks for it`);
    }
    const allowed = gcpAttachableLocalSsdCounts(pool.instanceType);
    if (!allowed.includes(n)) {
      throw new Error(`pool ${pool.name}: ${pool.instanceType} cannot attach ${n} Local SSD disks; ` +
        (allowed.length ? `use one of ${allowed.join(', ')}` : 'it takes none (use a "-lssd" type or another series)'));
    }
    return n;
  }
}
