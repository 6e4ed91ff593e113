/**
 * Where each pool's regional managed instance group places its VMs: the zones (pinned, never read
 * from a data source), the target distribution shape, and the instance template's name prefix.
 * Pure: no cdktf or provider imports.
 *
 * Why the zones are never computed: `distribution_policy_zones` of
 * google_compute_region_instance_group_manager is ForceNew (provider
 * google/services/compute/resource_compute_region_instance_group_manager.go, 6.50.0 and 7.x), so a
 * zone list read from data.google_compute_zones on every plan replaces every group (and deletes its
 * nodes) the day a zone's status or the region's zone list changes. Zone names also differ per
 * region (us-east1 has no "-a" zone), so they cannot be derived from the region name alone.
 */
import { createHash } from 'crypto';
import { PoolKind, ResolvedPool, SpecIssue } from '../spec';

/**
 * Target distribution shapes of a regional MIG that this library uses (provider:
 * distribution_policy_target_shape, free-form string in 6.50.0/7.x; API values EVEN, BALANCED, ANY,
 * ANY_SINGLE_ZONE: cloud.google.com/compute/docs/instance-groups/regional-mig-distribution-shape).
 */
export enum GcpDistributionShape {
  /** Same number of VMs in every zone; the group keeps retrying a zone without capacity. */
  EVEN = 'EVEN',
  /**
   * As even as possible, but VMs are created where resources are available. Autoscaled regional
   * groups accept only EVEN or BALANCED, and BALANCED needs proactive redistribution off
   * (cloud.google.com/compute/docs/instance-groups/regional-mig-set-target-distribution-shape, Limitations).
   */
  BALANCED = 'BALANCED',
}

/**
 * True for pools whose machine type Compute Engine sells only in some zones of a region: GPU types
 * (cloud.google.com/compute/docs/gpus/gpu-regions-zones lists GPUs per zone) and bare-metal types
 * (cloud.google.com/compute/docs/instances/bare-metal-instances, "Regions and zones").
 */
export function gcpZoneRestricted(pool: ResolvedPool): boolean {
  return pool.kind === PoolKind.GPU || pool.gpu !== undefined || (pool.shape?.metal ?? false);
}

/** BALANCED for zone-restricted pools (a zone without the hardware must not block the others), EVEN otherwise. */
export function gcpDistributionShape(pool: ResolvedPool): GcpDistributionShape {
  return gcpZoneRestricted(pool) ? GcpDistributionShape.BALANCED : GcpDistributionShape.EVEN;
}

/**
 * Longest instance-template `name_prefix` that still gets a collision-free name: above 37 characters
 * the provider switches from id.PrefixedUniqueId (timestamp + counter, 26 characters) to
 * tpgresource.ReducedPrefixedUniqueId (date + a 3-digit per-process counter), which repeats across
 * runs on the same day (resource_compute_instance_template.go, `if len(prefix) > 37`, 6.50.0, 7.32.0, 7.45.0).
 */
export const GCP_TEMPLATE_PREFIX_MAX = 37;

/**
 * Instance-template name prefix of a pool: "<platform>-<pool>-" when that fits in 37 characters,
 * else the first characters of "<platform>-<pool>" (no trailing hyphen), "-", 4 hex characters of
 * a SHA-256 of "<platform>/<pool>" and "-": deterministic, unique per pool, at most 37 characters.
 */
export function gcpTemplateNamePrefix(platform: string, pool: string): string {
  const full = `${platform}-${pool}-`;
  if (full.length <= GCP_TEMPLATE_PREFIX_MAX) return full;
  const hash = createHash('sha256').update(`${platform}/${pool}`).digest('hex').slice(0, 4);
  const head = `${platform}-${pool}`.slice(0, GCP_TEMPLATE_PREFIX_MAX - hash.length - 2).replace(/-+$/, '');
  return `${head}-${hash}-`;
}

/** Zone names as Compute Engine spells them: "<region>-<letter>". */
const ZONE = /^[a-z]+-[a-z]+\d+-[a-z]$/;

/**
 * Inputs of resolveGcpPlacement.
 * @jsii ignore not in Python: input of a free function.
 */
export interface GcpZoneInputs {
  readonly region: string;
  /** The construct's `zones` prop. */
  readonly zones?: readonly string[];
  /** spec.network.availabilityZones (resolved plan). */
  readonly specZones?: readonly string[];
  /** The construct's `poolZones` prop. */
  readonly poolZones?: { readonly [pool: string]: readonly string[] };
  readonly pools: readonly ResolvedPool[];
}

/**
 * The zones of the platform and its pools.
 * @jsii ignore not in Python: result of a free function.
 */
export interface GcpPlacement {
  /** The platform's zones (every pool without its own list). */
  readonly zones: readonly string[];
  /** Zones per pool name. */
  readonly poolZones: { readonly [pool: string]: readonly string[] };
  /** Everything wrong, as spec issues (all at once). */
  readonly issues: readonly SpecIssue[];
  /** Zone-restricted pools spread over zones nobody confirmed sell their type. */
  readonly unconfirmed: readonly ResolvedPool[];
}

function checkZones(path: string, list: readonly string[], region: string, issues: SpecIssue[]): void {
  if (list.length === 0) issues.push({ path, message: 'is empty', hint: `list 1 to 4 zones of ${region}, e.g. "${region}-b"` });
  const seen = new Set<string>();
  list.forEach((z, i) => {
    if (!ZONE.test(z) || !z.startsWith(`${region}-`)) {
      issues.push({ path: `${path}[${i}]`, message: `${JSON.stringify(z)} is not a zone of ${region}`, hint: `use zone names of ${region}, e.g. "${region}-b"` });
    } else if (seen.has(z)) {
      issues.push({ path: `${path}[${i}]`, message: `${JSON.stringify(z)} is listed twice`, hint: 'list each zone once' });
    }
    seen.add(z);
  });
}

/**
 * Resolves the zones of every pool. The platform's zones are the construct's `zones` or
 * spec.network.availabilityZones (both given: they must agree); one of them is required, since the
 * stack never reads zones at plan time (see the module comment). `poolZones` narrows a pool to the
 * zones that sell its machine type (GPU and bare-metal pools); those zones must be in the region.
 */
export function resolveGcpPlacement(inputs: GcpZoneInputs): GcpPlacement {
  const { region } = inputs;
  const issues: SpecIssue[] = [];
  if (inputs.zones) checkZones('zones', inputs.zones, region, issues);
  const spec = inputs.specZones;
  if (inputs.zones && spec && [...inputs.zones].sort().join() !== [...spec].sort().join()) {
    issues.push({
      path: 'network.availabilityZones',
      message: `lists ${JSON.stringify(spec)} but the construct's zones prop is ${JSON.stringify(inputs.zones)}`,
      hint: 'give the zones in one place (spec.network.availabilityZones), or make both lists the same',
    });
  }
  const zones = inputs.zones ?? spec ?? [];
  const restricted = inputs.pools.filter(gcpZoneRestricted);
  if (zones.length === 0) {
    const hw = restricted.map((p) => `${p.name} (${p.instanceType})`);
    issues.push({
      path: 'network.availabilityZones',
      message: `is required on GCP: the zones of ${region} are pinned in the stack, never read at plan time ` +
        '(distribution_policy_zones forces every instance group to be replaced when it changes)' +
        (hw.length ? `; pools ${hw.join(', ')} also need zones that sell their machine type` : ''),
      hint: `list the zones, e.g. "availabilityZones": ["${region}-a", "${region}-b", "${region}-c"] (check the names with ` +
        `\`gcloud compute zones list --filter=region:${region}\`${hw.length ? '; for GPU and metal types, `gcloud compute machine-types list --filter=name=<type>`' : ''})`,
    });
  }
  const poolZones: { [pool: string]: readonly string[] } = {};
  const known = new Set(inputs.pools.map((p) => p.name));
  for (const [pool, list] of Object.entries(inputs.poolZones ?? {})) {
    if (!known.has(pool)) {
      issues.push({ path: `poolZones.${pool}`, message: `names pool ${JSON.stringify(pool)}, which the spec does not have`, hint: `use one of ${[...known].join(', ')}` });
      continue;
    }
    checkZones(`poolZones.${pool}`, list, region, issues);
  }
  for (const p of inputs.pools) poolZones[p.name] = inputs.poolZones?.[p.name] ?? zones;
  const unconfirmed = restricted.filter((p) => inputs.poolZones?.[p.name] === undefined);
  return { zones, poolZones, issues, unconfirmed };
}
