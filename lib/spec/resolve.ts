import { planCapacity } from './capacity';
import { CloudCatalog, InstanceShape, catalogFor } from './catalog';
import { kubernetesCatalogFor as readKubernetesCatalog } from './catalog/kubernetes';
import { bitsFor, format, isPrivate, mask, parseIpv4Cidr, subnet } from './cidr';
import { CloudRules, cloudRules } from './cloud-rules';
import { IssueCollector, show } from './errors';
import { FieldReader } from './fields';
import { readGpuSharing } from './gpu-sharing';
import { SYSTEM_POOL_NAME, poolKubernetes, readKubernetes, runtimeClassesFor } from './kubernetes';
import { compliancePreset, deploymentPreset } from './presets';
import {
  CapacityPlan, PoolKind, ResolvedControlPlane, ResolvedNetwork, ResolvedObservability, ResolvedPlatform, ResolvedPool,
} from './resolved';
import {
  CapacitySpec, CloudProvider, ComplianceProfile, ControlPlaneAccess, DeploymentModel, EgressMode, GpuModel,
  Orchestrator, SandboxPlatformSpec, SandboxRuntime, Virtualization,
} from './types';

/** Tag keys the library sets on every resource; users may not override them. */
export const TAG_KEYS = {
  platform: 'sandbox-platform',
  pool: 'sandbox-pool',
  compliance: 'compliance-profile',
  deployment: 'deployment-model',
  managedBy: 'managed-by',
} as const;
export const MANAGED_BY = 'cdktf-sandbox-byoc';

export const DEFAULT_CIDR = '10.64.0.0/16';
export const DEFAULT_ZONES = 3;

/** Issue path for a problem with the `cloud` argument rather than the spec. */
export const CLOUD_PATH = '(cloud)';
/** Issue path for a problem with the spec as a whole (not an object). */
export const SPEC_PATH = '(spec)';

/**
 * Platform and pool names become parts of resource names on every cloud. Letters, digits and
 * single hyphens, starting with a letter and ending with a letter or digit: GCE names must match
 * [a-z]([-a-z0-9]*[a-z0-9])? (cloud.google.com/compute/docs/naming-resources) and Key Vault names
 * forbid consecutive hyphens (learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftkeyvault).
 */
export const PLATFORM_NAME_PATTERN = /^(?=.{2,21}$)[a-z](?:[a-z0-9]|-(?!-))*[a-z0-9]$/;
export const POOL_NAME_PATTERN = /^(?=.{1,16}$)[a-z](?:(?:[a-z0-9]|-(?!-))*[a-z0-9])?$/;
const NAME_RULE = 'letters, digits and single hyphens, starting with a letter and ending with a letter or digit';
// Labels of 1..63, a letter TLD or an IDN (punycode) TLD such as xn--p1ai; total at most 253.
const DOMAIN = /^\.?(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+([a-z]{2,63}|xn--[a-z0-9-]{1,59})$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{8,1224}$/;
// Subnets below this prefix cannot hold a pool worth having (254 addresses).
const NODE_SUBNET_MAX_PREFIX = 24;

const SPEC_FIELDS = ['name', 'deployment', 'compliance', 'network', 'sandboxPools', 'gpuPools', 'controlPlane', 'observability', 'tags',
  'orchestrator', 'kubernetes'];
const COMMON_POOL_FIELDS = ['name', 'instanceType', 'allowUnknownInstanceType', 'minNodes', 'maxNodes', 'spot', 'rootVolumeGiB',
  'hugepagesMiB', 'image', 'bootstrapCommands'];
const SANDBOX_POOL_FIELDS = [...COMMON_POOL_FIELDS, 'runtime', 'virtualization', 'warmNodes', 'capacity'];
const GPU_POOL_FIELDS = [...COMMON_POOL_FIELDS, 'gpu', 'gpusPerNode', 'runtime', 'gpuSharing'];

/** Options that refine resolution without being part of the spec. */
export interface ResolveOptions {
  /** Target region: enables region-specific warnings (e.g. a GPU model not known there). */
  readonly region?: string;
  /** Where the spec came from, named in the error. */
  readonly source?: string;
}

/**
 * Validates `spec` for `cloud`, applies the (deployment x compliance) preset and every default,
 * and returns a fully concrete plan. Throws SpecValidationError listing every problem.
 */
export function resolvePlatform(spec: SandboxPlatformSpec, cloud: CloudProvider, options: ResolveOptions = {}): ResolvedPlatform {
  return new Resolver(cloud, options).resolve(spec);
}

class Resolver {
  private readonly c = new IssueCollector();
  private readonly r = new FieldReader(this.c);
  private readonly rules: CloudRules;
  private readonly catalog?: CloudCatalog;

  constructor(private readonly cloud: CloudProvider, private readonly options: ResolveOptions) {
    this.rules = cloudRules(cloud);
    this.catalog = catalogFor(cloud);
  }

  public resolve(input: unknown): ResolvedPlatform {
    const { c, r } = this;
    if (!this.catalog) {
      c.add(CLOUD_PATH, `${show(this.cloud)} has no instance catalog in this version`, `use ${show(CloudProvider.AWS)}`);
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      c.add(SPEC_PATH, `must be an object with name, deployment and compliance, got ${show(input)}`,
        'pass a SandboxPlatformSpec, e.g. { "name": "acme", "deployment": "managed", "compliance": "baseline" }');
      c.throwIfAny(this.options.source);
    }
    const s = r.object('', input, SPEC_FIELDS) as Record<string, unknown>;
    const name = this.name('name', s.name, PLATFORM_NAME_PATTERN, 2, 21) ?? 'invalid';
    const deploymentGiven = r.enumValue('deployment', s.deployment, DeploymentModel, true);
    const deployment = deploymentGiven ?? DeploymentModel.MANAGED;
    const compliance = r.enumValue('compliance', s.compliance, ComplianceProfile, true) ?? ComplianceProfile.BASELINE;
    const preset = compliancePreset(compliance);

    const tags = this.tags(s.tags, name, compliance, deployment);
    const network = this.network(s.network, preset.natPerZone);
    const k8s = readKubernetes(c, r, this.cloud, compliance, s.orchestrator, s.kubernetes);
    const rawPools = this.pools(s.sandboxPools, s.gpuPools, tags);
    const pools = k8s.orchestrator === Orchestrator.KUBERNETES ? this.kubernetesPools(rawPools, s) : rawPools;
    if (k8s.orchestrator !== Orchestrator.KUBERNETES) this.refuseGpuSharing(rawPools, s);
    if (k8s.catalog && network.zones < k8s.catalog.minZones && (s.network as { zones?: unknown } | undefined)?.zones !== undefined) {
      c.add('network.zones', `${network.zones} zone${network.zones === 1 ? '' : 's'} cannot hold the ${k8s.catalog.service} cluster: its subnets must span at least ${k8s.catalog.minZones} zones`,
        `use network.zones ${k8s.catalog.minZones} or more (default ${DEFAULT_ZONES})`);
    } else if (k8s.catalog && network.zones < k8s.catalog.minZones) {
      c.add('network.availabilityZones', `${network.zones} zone cannot hold the ${k8s.catalog.service} cluster: its subnets must span at least ${k8s.catalog.minZones} zones`,
        `pin ${k8s.catalog.minZones} or more zones`);
    }
    const kubernetes = k8s.kubernetes && k8s.catalog ? {
      ...k8s.kubernetes,
      runtimeClasses: runtimeClassesFor(k8s.catalog, pools.filter((p) => p.kubernetes).map((p) => ({ name: p.name, runtime: p.runtime, gpu: p.kind === PoolKind.GPU }))),
    } : undefined;
    const controlPlane = this.controlPlane(s.controlPlane, deploymentGiven);
    const observability = this.observability(s.observability, preset.logRetentionFloorDays, compliance);
    if (pools.length === 0) c.warn('sandboxPools', 'the platform has no pools: only network, keys, storage and observability are created');

    c.throwIfAny(this.options.source);
    return {
      name, cloud: this.cloud, deployment, compliance, preset, network, pools, controlPlane, observability,
      orchestrator: k8s.orchestrator, kubernetes, tags, warnings: c.warnings,
    };
  }

  /**
   * A platform or pool name: the generic pattern check, with a precise message for the two
   * mistakes that pass a naive [a-z0-9-] check and then break resource names at apply.
   */
  private name(path: string, v: unknown, pattern: RegExp, min: number, max: number): string | undefined {
    const what = `a lowercase name of ${min}..${max} characters: ${NAME_RULE}`;
    if (typeof v === 'string' && !pattern.test(v) && /^[a-z][a-z0-9-]*$/.test(v) && v.length >= min && v.length <= max) {
      const fixed = v.replace(/-+/g, '-').replace(/-+$/, '');
      if (v.endsWith('-')) {
        this.c.add(path, `${show(v)} ends with a hyphen, which GCE, Azure and Key Vault names forbid (they are built from it)`,
          `remove the trailing hyphen, e.g. ${show(fixed)}`);
      } else {
        this.c.add(path, `${show(v)} contains consecutive hyphens, which Key Vault and storage names forbid (they are built from it)`,
          `use single hyphens, e.g. ${show(fixed)}`);
      }
      return undefined;
    }
    return this.r.requiredString(path, v, pattern, what);
  }

  private tags(v: unknown, name: string, compliance: ComplianceProfile, deployment: DeploymentModel): Record<string, string> {
    const user = this.r.stringMap('tags', v) ?? {};
    const reserved = Object.values(TAG_KEYS) as string[];
    for (const [k, val] of Object.entries(user)) {
      if (reserved.includes(k)) {
        this.c.add(`tags.${k}`, `tag key ${show(k)} is set by the library`, `remove it; reserved keys: ${reserved.join(', ')}`);
      } else if (!this.rules.tagKeyPattern.test(k) || !this.rules.tagValuePattern.test(val)) {
        this.c.add(`tags.${k}`, `${show(k)}: ${show(val)} is not a valid tag here`, this.rules.tagFormat);
      }
    }
    const managed = Object.keys(TAG_KEYS).length;
    if (Object.keys(user).length > this.rules.maxTags - managed) {
      this.c.add('tags', `${Object.keys(user).length} tags are too many: ${this.cloud} allows ${this.rules.maxTags} per resource and the library sets ${managed}`,
        `keep at most ${this.rules.maxTags - managed} tags`);
    }
    const sorted: Record<string, string> = {};
    for (const k of Object.keys(user).sort()) sorted[k] = user[k];
    return {
      ...sorted,
      [TAG_KEYS.platform]: name,
      [TAG_KEYS.compliance]: compliance,
      [TAG_KEYS.deployment]: deployment,
      [TAG_KEYS.managedBy]: MANAGED_BY,
    };
  }

  private network(v: unknown, natPerZone: boolean): ResolvedNetwork {
    const { c, r, rules } = this;
    const n = r.object('network', v, ['cidr', 'zones', 'availabilityZones', 'egress']) ?? {};
    const zonesGiven = r.int('network.zones', n.zones, 1, this.rules.maxZones, ` (${this.cloud} regions have at most ${this.rules.maxZones} zones)`);
    const pinned = this.availabilityZones(n.availabilityZones, zonesGiven);
    const zones = zonesGiven ?? pinned?.length ?? DEFAULT_ZONES;
    // With an invalid zone count (already reported) the size check would talk about zones the user never asked for.
    const zonesValid = n.zones === undefined || zonesGiven !== undefined;
    const e = r.object('network.egress', n.egress, ['mode', 'allowedDomains']) ?? {};
    const mode = r.enumValue('network.egress.mode', e.mode, EgressMode, n.egress !== undefined);
    const egress = mode ?? EgressMode.NAT;
    const domains: string[] = [];
    const list = r.array('network.egress.allowedDomains', e.allowedDomains);
    list?.forEach((d, i) => {
      const ok = r.string(`network.egress.allowedDomains[${i}]`, d, DOMAIN, 'a domain such as "pypi.org" or ".github.com" (leading dot: subdomains too)');
      if (ok) domains.push(ok.toLowerCase());
    });
    if (mode === EgressMode.FIREWALL && !list?.length) {
      c.add('network.egress.allowedDomains', 'is required and non-empty when egress.mode is "firewall"',
        'list the domains sandboxes may reach, e.g. ["pypi.org", ".github.com"], or use mode "nat"');
    }
    // Only when the mode is valid: a mistyped "firewal" already has its own issue.
    if (mode !== undefined && mode !== EgressMode.FIREWALL && list !== undefined) {
      c.add('network.egress.allowedDomains', `is only enforced with egress.mode "firewall", not ${show(mode)}`,
        'set egress.mode to "firewall", or remove allowedDomains');
    }

    const cidrText = r.string('network.cidr', n.cidr) ?? DEFAULT_CIDR;
    const parsed = parseIpv4Cidr(cidrText);
    // Layout: 2^p slots; slots 0..zones-1 are node subnets, the last slot is split into a public
    // and a firewall subnet per zone.
    const privBits = bitsFor(zones + 1);
    const infraBits = bitsFor(2 * zones);
    const needed = Math.min(NODE_SUBNET_MAX_PREFIX - privBits, rules.maxSubnetPrefix - privBits - infraBits);
    let subnets = { private: [] as string[], public: [] as string[], firewall: [] as string[] };
    if (typeof parsed === 'string') {
      c.add('network.cidr', parsed, 'use an IPv4 network address with a prefix, e.g. "10.64.0.0/16"');
    } else if (parsed.prefix < rules.minNetworkPrefix) {
      c.add('network.cidr', `${cidrText} is larger than ${this.cloud} allows for one network (/${rules.minNetworkPrefix} at most)`,
        `use a /${rules.minNetworkPrefix} to /${needed}`);
    } else if (parsed.prefix > needed) {
      if (zonesValid) {
        const example = Math.max(rules.minNetworkPrefix, Math.min(needed, 16));
        c.add('network.cidr', `${cidrText} is too small for ${zones} zone${zones > 1 ? 's' : ''}: each zone needs a /${NODE_SUBNET_MAX_PREFIX} node subnet ` +
          `and /${rules.maxSubnetPrefix} public and firewall subnets, so the network must be a /${needed} or larger`,
          `use a /${needed} or larger (e.g. ${format({ network: mask(parsed.network, example), prefix: example })}), or fewer zones`);
      }
    } else {
      if (!isPrivate(parsed)) {
        c.warn('network.cidr', `${cidrText} is not a private range (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10); ` +
          'public hosts with addresses inside it become unreachable from the platform');
      }
      const infra = subnet(parsed, privBits, 2 ** privBits - 1);
      subnets = {
        private: range(zones).map((i) => format(subnet(parsed, privBits, i))),
        public: range(zones).map((i) => format(subnet(infra, infraBits, i))),
        firewall: range(zones).map((i) => format(subnet(infra, infraBits, zones + i))),
      };
    }
    return {
      cidr: typeof parsed === 'string' ? cidrText : format(parsed), zones, availabilityZones: pinned, egress, allowedDomains: domains,
      // The firewall needs symmetric per-zone paths (endpoint i <-> NAT i), so it always gets one NAT per zone.
      natGateways: egress === EgressMode.NONE ? 0 : natPerZone || egress === EgressMode.FIREWALL ? zones : 1,
      subnets,
    };
  }

  /** Pinned zone names: the cloud's spelling, unique, in the target region, as many as `zones`. */
  private availabilityZones(v: unknown, zones: number | undefined): string[] | undefined {
    const { c, r, rules } = this;
    const list = r.array('network.availabilityZones', v);
    if (list === undefined) return undefined;
    const names: string[] = [];
    list.forEach((z, i) => {
      const name = r.string(`network.availabilityZones[${i}]`, z, rules.zonePattern, rules.zoneFormat);
      if (name === undefined) return;
      if (names.includes(name)) {
        c.add(`network.availabilityZones[${i}]`, `${show(name)} is listed twice`, 'list each zone once');
      } else if (this.options.region && this.cloud !== CloudProvider.AZURE && !name.startsWith(this.options.region)) {
        c.add(`network.availabilityZones[${i}]`, `${show(name)} is not a zone of the target region ${this.options.region}`,
          `use zones of ${this.options.region}, e.g. "${this.options.region}${this.cloud === CloudProvider.GCP ? '-a' : 'a'}"`);
      } else {
        names.push(name);
      }
    });
    if (list.length < 1 || list.length > this.rules.maxZones) {
      c.add('network.availabilityZones', `lists ${list.length} zones; 1..${this.rules.maxZones} are allowed on ${this.cloud}`,
        `list between 1 and ${this.rules.maxZones} zones, or omit it`);
    } else if (zones !== undefined && zones !== list.length) {
      c.add('network.availabilityZones', `lists ${list.length} zones but network.zones is ${zones}`, 'make them agree, or omit network.zones');
    }
    return names.length === list.length ? names : undefined;
  }

  private pools(sandbox: unknown, gpu: unknown, tags: Record<string, string>): ResolvedPool[] {
    const out: ResolvedPool[] = [];
    const seen = new Map<string, string>();
    // Names are compared on the raw input, so a duplicate is reported even when either pool has other problems.
    const add = (path: string, raw: unknown, pool: ResolvedPool | undefined) => {
      const name = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>).name : undefined;
      if (typeof name === 'string') {
        const prev = seen.get(name);
        if (prev) {
          this.c.add(`${path}.name`, `pool name ${show(name)} is already used by ${prev}`, 'give every pool (sandbox and GPU) a unique name');
        } else {
          seen.set(name, path);
        }
      }
      if (pool) out.push(pool);
    };
    this.r.array('sandboxPools', sandbox)?.forEach((p, i) => add(`sandboxPools[${i}]`, p, this.sandboxPool(`sandboxPools[${i}]`, p, tags)));
    this.r.array('gpuPools', gpu)?.forEach((p, i) => add(`gpuPools[${i}]`, p, this.gpuPool(`gpuPools[${i}]`, p, tags)));
    return out;
  }

  /**
   * Kubernetes mode: refuses what the cloud's Kubernetes cannot run (with the fix), warm pools and the
   * reserved system pool name, and gives every pool its node labels, taints and RuntimeClass.
   * Issues use the spec path of the pool (sandboxPools[i] / gpuPools[i]).
   */
  private kubernetesPools(pools: ResolvedPool[], s: Record<string, unknown>): ResolvedPool[] {
    const catalog = readKubernetesCatalog(this.cloud);
    if (!catalog) return pools; // reported by readKubernetes
    const pathOf = (name: string, kind: PoolKind) => {
      const list = (kind === PoolKind.GPU ? s.gpuPools : s.sandboxPools) as { name?: unknown }[];
      const i = list.findIndex((p) => typeof p === 'object' && p !== null && p.name === name);
      return `${kind === PoolKind.GPU ? 'gpuPools' : 'sandboxPools'}[${i}]`;
    };
    const out: ResolvedPool[] = [];
    for (const pool of pools) {
      const path = pathOf(pool.name, pool.kind);
      const gpu = pool.kind === PoolKind.GPU;
      const refusal = catalog.refusal({ runtime: pool.runtime, virtualization: pool.virtualization, gpu, arch: pool.shape?.arch, instanceType: pool.instanceType });
      let ok = true;
      if (refusal) {
        this.c.add(`${path}.${refusal.field ?? 'runtime'}`, refusal.message, refusal.hint);
        ok = false;
      }
      if (pool.name === SYSTEM_POOL_NAME) {
        this.c.add(`${path}.name`, `${show(pool.name)} is reserved in Kubernetes mode for the node group that runs cluster add-ons`,
          'give the pool another name, e.g. "sandbox"');
        ok = false;
      }
      if (pool.warmNodes > 0) {
        this.c.add(`${path}.warmNodes`, `${pool.warmNodes} warm nodes cannot be used with orchestrator "kubernetes": a standby instance ` +
          'joins the cluster when it is prepared and then shows as a NotReady node, and the cluster autoscaler does not draw on warm pools',
          'remove warmNodes and raise minNodes to keep nodes ready');
        ok = false;
      }
      const sharing = pool.gpu?.sharing;
      if (sharing) {
        const verdict = catalog.gpuSharingRefusal
          ? catalog.gpuSharingRefusal({ strategy: sharing.strategy, runtime: pool.runtime, gpu: pool.gpu!.model })
          : { message: `GPU sharing is not offered on ${catalog.service} in this version of the library`, hint: 'remove gpuSharing (one sandbox per GPU)' };
        if (verdict) {
          this.c.add(`${path}.gpuSharing.strategy`, verdict.message, verdict.hint);
          ok = false;
        }
      }
      if (ok) out.push({ ...pool, kubernetes: poolKubernetes(pool.name, pool.runtime, gpu) });
    }
    return out;
  }

  /** Instances mode: GPU sharing is a Kubernetes device-plugin feature; refuse it with the path of each pool. */
  private refuseGpuSharing(pools: ResolvedPool[], s: Record<string, unknown>): void {
    const list = Array.isArray(s.gpuPools) ? s.gpuPools as { name?: unknown }[] : [];
    for (const pool of pools) {
      if (!pool.gpu?.sharing) continue;
      const i = list.findIndex((p) => typeof p === 'object' && p !== null && p.name === pool.name);
      this.c.add(`gpuPools[${i}].gpuSharing`, 'applies only with orchestrator "kubernetes": GPU sharing is done by the cluster\'s device plugin',
        'set "orchestrator": "kubernetes", or remove gpuSharing');
    }
  }

  private common(path: string, p: Record<string, unknown>) {
    const { r } = this;
    const cmds: string[] = [];
    r.array(`${path}.bootstrapCommands`, p.bootstrapCommands)?.forEach((cmd, i) => {
      const s = r.string(`${path}.bootstrapCommands[${i}]`, cmd);
      if (s !== undefined) cmds.push(s);
    });
    return {
      name: this.name(`${path}.name`, p.name, POOL_NAME_PATTERN, 1, 16),
      instanceType: r.string(`${path}.instanceType`, p.instanceType),
      allowUnknown: r.bool(`${path}.allowUnknownInstanceType`, p.allowUnknownInstanceType) ?? false,
      minNodes: r.int(`${path}.minNodes`, p.minNodes, 0, 1000),
      maxNodes: r.int(`${path}.maxNodes`, p.maxNodes, 1, 1000, ' (a pool needs at least one node)'),
      spot: r.bool(`${path}.spot`, p.spot) ?? false,
      rootVolumeGiB: r.int(`${path}.rootVolumeGiB`, p.rootVolumeGiB, 20, 16384),
      hugepagesMiB: r.int(`${path}.hugepagesMiB`, p.hugepagesMiB, 0, 4 * 1024 * 1024) ?? 0,
      image: r.string(`${path}.image`, p.image, this.rules.imagePattern, this.rules.imageFormat),
      bootstrapCommands: cmds,
    };
  }

  /** Looks up a type in the catalog, honouring allowUnknownInstanceType. */
  private shape(path: string, type: string, allowUnknown: boolean): InstanceShape | undefined | null {
    const shape = this.catalog?.shape(type);
    if (shape) return shape;
    if (!this.catalog) return null;
    if (allowUnknown) {
      this.c.warn(`${path}.instanceType`, `${show(type)} is not in the ${this.cloud} catalog; shape checks and capacity planning are skipped`);
      return undefined;
    }
    this.c.add(`${path}.instanceType`, `${show(type)} is not a known ${this.cloud} instance type`,
      'check the spelling, or set allowUnknownInstanceType: true to use a type newer than this library\'s catalog');
    return null;
  }

  private sandboxPool(path: string, v: unknown, platformTags: Record<string, string>): ResolvedPool | undefined {
    const { c, r } = this;
    const p = r.object(path, v, SANDBOX_POOL_FIELDS);
    if (!p) return undefined;
    const com = this.common(path, p);
    const runtime = r.enumValue(`${path}.runtime`, p.runtime, SandboxRuntime) ?? SandboxRuntime.FIRECRACKER;
    const explicitVirt = r.enumValue(`${path}.virtualization`, p.virtualization, Virtualization);
    const kvm = runtime !== SandboxRuntime.GVISOR;

    let shape: InstanceShape | undefined | null;
    let virtualization: Virtualization;
    // Set once a KVM problem has been reported, so one cause gives one issue.
    let kvmReported = false;
    if (com.instanceType !== undefined) {
      shape = this.shape(path, com.instanceType, com.allowUnknown);
      if (explicitVirt !== undefined) {
        virtualization = explicitVirt;
      } else if (shape) {
        virtualization = virtualizationOf(shape, kvm);
        if (kvm && virtualization === Virtualization.NONE) {
          c.add(`${path}.instanceType`, `${shape.name} cannot give runtime ${show(runtime)} /dev/kvm: it is neither bare metal nor able to run ` +
            `nested virtualization on ${this.cloud}`, `use ${this.kvmTypesHint()}, or runtime "gvisor"`);
          kvmReported = true;
        }
      } else {
        // Outside the catalog (allowed: we cannot tell; not allowed or no catalog: already reported).
        virtualization = kvm ? this.rules.defaultKvmVirtualization : Virtualization.NONE;
        kvmReported = true;
        if (shape === undefined && kvm) {
          c.add(`${path}.virtualization`, `is required for runtime ${show(runtime)} on an instance type outside the catalog (${show(com.instanceType)})`,
            'set virtualization to "bare-metal" or "nested" to say how the type exposes /dev/kvm');
        }
      }
    } else {
      virtualization = explicitVirt ?? (kvm ? this.rules.defaultKvmVirtualization : Virtualization.NONE);
      const type = this.catalog?.defaultSandboxType(virtualization);
      if (this.catalog && !type) {
        c.add(`${path}.virtualization`, `${show(virtualization)} is not available on ${this.cloud}`, 'use another virtualization, or name an instanceType');
      }
      shape = type ? this.catalog?.shape(type) : null;
    }
    if (kvm && virtualization === Virtualization.NONE && !kvmReported) {
      c.add(`${path}.virtualization`, `runtime ${show(runtime)} needs /dev/kvm, which virtualization "none" does not provide`,
        'use "bare-metal" or "nested", or runtime "gvisor"');
    }
    if (shape) this.checkVirtualization(path, shape, virtualization);

    const warmNodes = r.int(`${path}.warmNodes`, p.warmNodes, 0, 1000) ?? 0;
    if (warmNodes > 0 && com.spot && !this.rules.warmNodesWithSpot) {
      c.add(`${path}.warmNodes`, `${warmNodes} warm nodes cannot be combined with spot on ${this.cloud}`,
        'remove warmNodes, or set spot to false (standby capacity cannot be spot)');
    }
    const sizes = this.sizes(path, p.capacity, com.minNodes, com.maxNodes, shape, 1, 10);
    if (sizes && warmNodes > sizes.max) {
      c.add(`${path}.warmNodes`, `${warmNodes} warm nodes exceed maxNodes ${sizes.max}`, `use at most ${sizes.max} warm nodes, or raise maxNodes`);
    }
    this.checkHugepages(path, com.hugepagesMiB, shape ?? undefined);
    if (!com.name || !sizes) return undefined;
    return {
      name: com.name, kind: PoolKind.SANDBOX, runtime, virtualization,
      instanceType: shape?.name ?? com.instanceType ?? 'unknown', shape: shape ?? undefined,
      kvmRequired: kvm,
      nestedVirtualization: virtualization === Virtualization.NESTED,
      minNodes: sizes.min, maxNodes: sizes.max, warmNodes, spot: com.spot,
      rootVolumeGiB: com.rootVolumeGiB ?? 100, hugepagesMiB: com.hugepagesMiB,
      localNvme: !!shape?.localNvme, image: com.image, bootstrapCommands: com.bootstrapCommands,
      capacityPlan: sizes.plan,
      tags: { ...platformTags, [TAG_KEYS.pool]: com.name },
    };
  }

  private checkVirtualization(path: string, shape: InstanceShape, virtualization: Virtualization): void {
    const { c } = this;
    if (virtualization === Virtualization.NESTED && !shape.nestedVirtualization) {
      c.add(`${path}.virtualization`, `"nested" is not possible on ${shape.name}: ${this.cloud} offers nested virtualization only on ` +
        this.rules.nestedSeries, `use ${this.kvmTypesHint()}`);
    }
    if (virtualization === Virtualization.BARE_METAL && !shape.metal) {
      c.add(`${path}.virtualization`, `"bare-metal" needs a bare-metal type, and ${shape.name} is a virtual instance type`,
        this.rules.metalExample
          ? `use a bare-metal type (e.g. "${this.rules.metalExample}"), or virtualization "nested" (e.g. "${this.rules.nestedExample}")`
          : `${this.cloud} sells no bare-metal size: use virtualization "nested" (e.g. "${this.rules.nestedExample}")`);
    }
  }

  /** Where /dev/kvm comes from on this cloud, for hints. */
  private kvmTypesHint(): string {
    const nested = `a nested-capable type (${this.rules.nestedSeries}; e.g. "${this.rules.nestedExample}")`;
    return this.rules.metalExample ? `a bare-metal type (e.g. "${this.rules.metalExample}") or ${nested}` : nested;
  }

  private checkHugepages(path: string, mib: number, shape: InstanceShape | undefined): void {
    if (shape && mib > shape.memoryGiB * 1024 * 0.9) {
      this.c.add(`${path}.hugepagesMiB`, `${mib} MiB of hugepages exceed 90% of ${shape.name}'s ${shape.memoryGiB} GiB`,
        `reserve at most ${Math.floor(shape.memoryGiB * 1024 * 0.9)} MiB`);
    }
  }

  /** min/max from explicit values or a capacity plan. */
  private sizes(path: string, cap: unknown, min: number | undefined, max: number | undefined, shape: InstanceShape | undefined | null,
    defaultMin: number, defaultMax: number): { min: number; max: number; plan?: CapacityPlan } | undefined {
    const { c, r } = this;
    const capObj = r.object(`${path}.capacity`, cap, ['concurrentSandboxes', 'vcpusPerSandbox', 'memoryMiBPerSandbox', 'cpuOvercommit', 'memoryOvercommit', 'minFraction']);
    if (capObj) {
      const capacity = {
        concurrentSandboxes: this.requiredNumber(`${path}.capacity.concurrentSandboxes`, capObj.concurrentSandboxes, true, 1, 1e7),
        vcpusPerSandbox: this.requiredNumber(`${path}.capacity.vcpusPerSandbox`, capObj.vcpusPerSandbox, false, 0, 512),
        memoryMiBPerSandbox: this.requiredNumber(`${path}.capacity.memoryMiBPerSandbox`, capObj.memoryMiBPerSandbox, true, 1, 4 * 1024 * 1024),
        cpuOvercommit: r.number(`${path}.capacity.cpuOvercommit`, capObj.cpuOvercommit, 1, 16),
        memoryOvercommit: r.number(`${path}.capacity.memoryOvercommit`, capObj.memoryOvercommit, 1, 4),
        minFraction: r.number(`${path}.capacity.minFraction`, capObj.minFraction, 0, 1),
      };
      if (max !== undefined) {
        c.add(`${path}.maxNodes`, `${max} conflicts with capacity, which derives maxNodes`, 'remove maxNodes, or remove capacity');
        return undefined;
      }
      if (!shape) {
        // null: the type is unknown (already reported) or the cloud has no catalog (reported at the top).
        if (shape === undefined) {
          c.add(`${path}.capacity`, 'needs an instance type from the catalog to size the pool', 'name a catalog instanceType, or give minNodes/maxNodes instead');
        }
        return undefined;
      }
      if ([capacity.concurrentSandboxes, capacity.vcpusPerSandbox, capacity.memoryMiBPerSandbox].some((x) => x === undefined)) return undefined;
      const plan = planCapacity(capacity as CapacitySpec, shape, min);
      if (typeof plan === 'string') {
        c.add(`${path}.capacity`, plan, 'use a larger instance type, smaller sandboxes or more overcommit');
        return undefined;
      }
      if (min !== undefined && min > plan.maxNodes) {
        c.add(`${path}.minNodes`, `${min} exceeds the ${plan.maxNodes} nodes the capacity plan needs at peak`, `use at most ${plan.maxNodes}`);
        return undefined;
      }
      return { min: plan.minNodes, max: plan.maxNodes, plan };
    }
    const effMax = max ?? Math.max(defaultMax, min ?? 0);
    const effMin = min ?? Math.min(defaultMin, effMax);
    if (effMin > effMax) {
      c.add(`${path}.minNodes`, `${effMin} is greater than maxNodes ${effMax}`, `use minNodes <= maxNodes`);
      return undefined;
    }
    return { min: effMin, max: effMax };
  }

  private requiredNumber(path: string, v: unknown, integer: boolean, min: number, max: number): number | undefined {
    if (v === undefined) {
      this.c.add(path, 'is required', `set ${path}`);
      return undefined;
    }
    return integer ? this.r.int(path, v, min, max) : this.r.number(path, v, min, max, true);
  }

  private gpuPool(path: string, v: unknown, platformTags: Record<string, string>): ResolvedPool | undefined {
    const { c, r } = this;
    const p = r.object(path, v, GPU_POOL_FIELDS);
    if (!p) return undefined;
    const com = this.common(path, p);
    const gpu = r.enumValue(`${path}.gpu`, p.gpu, GpuModel, true);
    const count = r.int(`${path}.gpusPerNode`, p.gpusPerNode, 1, 16);
    const runtime = r.enumValue(`${path}.runtime`, p.runtime, SandboxRuntime) ?? SandboxRuntime.GVISOR;
    const sharing = p.gpuSharing === undefined ? undefined : readGpuSharing(c, r, `${path}.gpuSharing`, p.gpuSharing, gpu);
    if (runtime === SandboxRuntime.FIRECRACKER) {
      c.add(`${path}.runtime`, 'Firecracker has no GPU passthrough', 'use "gvisor" (default), or "kata" on a bare-metal GPU type');
    }
    let shape: InstanceShape | undefined | null = null;
    if (gpu && this.catalog) {
      const shapes = this.catalog.gpuShapes(gpu);
      if (shapes.length === 0) {
        c.add(`${path}.gpu`, `${this.cloud} does not sell ${show(gpu)} GPUs`,
          `use one of ${Object.values(GpuModel).filter((m) => this.catalog!.gpuShapes(m).length > 0).map((m) => show(m)).join(', ')}`);
      } else if (com.instanceType !== undefined) {
        shape = this.shape(path, com.instanceType, com.allowUnknown);
        const fitted = shape && this.catalog.gpuShape?.(shape.name, gpu, count);
        if (fitted) shape = fitted;
        if (shape && shape.gpu?.model !== gpu) {
          c.add(`${path}.instanceType`, `${shape.name} does not carry ${show(gpu)} GPUs`,
            `use one of ${shapes.map((s) => s.name).join(', ')}, or omit instanceType`);
        } else if (shape && count !== undefined && shape.gpu?.count !== count) {
          c.add(`${path}.gpusPerNode`, `${count} does not match ${shape.name}, which has ${shape.gpu?.count}`, 'omit gpusPerNode, or pick a matching instanceType');
        }
      } else {
        const counts = [...new Set(shapes.map((s) => s.gpu!.count))].sort((a, b) => a - b);
        // Kata passes GPUs through only on bare metal: its default is the smallest metal shape.
        const usable = runtime === SandboxRuntime.KATA ? shapes.filter((s) => s.metal) : shapes;
        const wanted = count ?? usable[0]?.gpu!.count ?? counts[0];
        const candidates = usable.filter((s) => s.gpu!.count === wanted);
        if (count !== undefined && !counts.includes(count)) {
          c.add(`${path}.gpusPerNode`, `${this.cloud} sells ${show(gpu)} in shapes of ${counts.join(', ')} GPU${counts.length === 1 && counts[0] === 1 ? '' : 's'} per node, not ${count}`,
            `use gpusPerNode ${counts.join(' or ')}`);
        } else if (candidates.length === 0) {
          const metal = usable.map((s) => `${s.name} (${s.gpu!.count} GPUs)`);
          c.add(`${path}.runtime`, `Kata needs a bare-metal ${show(gpu)} type${count !== undefined ? ` with ${count} GPU${count === 1 ? '' : 's'}` : ''}; ` +
            `${this.cloud} has ${metal.length ? metal.join(', ') : 'none'}`,
            metal.length ? `set gpusPerNode to ${usable[0].gpu!.count} (or omit it), or use runtime "gvisor"` : 'use runtime "gvisor"');
        } else {
          shape = candidates[0];
        }
      }
      if (this.options.region && shapes.length > 0) {
        const regions = this.catalog.gpuRegions(gpu);
        if (regions && !regions.includes(this.options.region)) {
          c.warn(`${path}.gpu`, `${show(gpu)} is not known to be offered in ${this.options.region} (known: ${regions.join(', ')}); check capacity before deploying`);
        }
      }
    }
    if (runtime === SandboxRuntime.KATA && shape && !shape.metal) {
      c.add(`${path}.runtime`, `Kata GPU passthrough needs a bare-metal type; ${shape.name} is virtual`,
        'use runtime "gvisor", or a metal GPU type (AWS: g4dn.metal)');
    }
    const sizes = this.sizes(path, undefined, com.minNodes, com.maxNodes, shape ?? undefined, 0, 4);
    this.checkHugepages(path, com.hugepagesMiB, shape ?? undefined);
    if (!com.name || !gpu || !sizes) return undefined;
    const virtualization = runtime === SandboxRuntime.KATA ? Virtualization.BARE_METAL : Virtualization.NONE;
    return {
      name: com.name, kind: PoolKind.GPU, runtime, virtualization,
      instanceType: shape?.name ?? com.instanceType ?? 'unknown', shape: shape ?? undefined,
      kvmRequired: runtime === SandboxRuntime.KATA, nestedVirtualization: false,
      gpu: { model: gpu, count: shape?.gpu?.count ?? count ?? 1, ...(sharing ? { sharing } : {}) },
      minNodes: sizes.min, maxNodes: sizes.max, warmNodes: 0, spot: com.spot,
      rootVolumeGiB: com.rootVolumeGiB ?? 200, hugepagesMiB: com.hugepagesMiB,
      localNvme: !!shape?.localNvme, image: com.image, bootstrapCommands: com.bootstrapCommands,
      tags: { ...platformTags, [TAG_KEYS.pool]: com.name },
    };
  }

  /** `deployment` is undefined when the spec's own value was missing or invalid (already reported). */
  private controlPlane(v: unknown, deployment: DeploymentModel | undefined): ResolvedControlPlane | undefined {
    const { c, r, rules } = this;
    const wanted = deployment === undefined ? undefined : deploymentPreset(deployment).controlPlaneRole;
    if (v === undefined) {
      if (wanted) {
        c.add('controlPlane', 'is required for BYOC deployments', `set controlPlane.principal to the vendor's ${rules.principalFormat}`);
      }
      return undefined;
    }
    const cp = r.object('controlPlane', v, ['principal', 'externalId', 'access']);
    if (!cp) return undefined;
    if (wanted === false) {
      c.add('controlPlane', 'a managed deployment has no cross-account control plane', 'remove controlPlane, or set deployment to "byoc"');
      return undefined;
    }
    const principal = r.requiredString('controlPlane.principal', cp.principal, rules.principalPattern, rules.principalFormat);
    let externalId: string | undefined;
    if (rules.externalIdRequired) {
      externalId = r.requiredString('controlPlane.externalId', cp.externalId, EXTERNAL_ID, '8..1224 characters of letters, digits and +=,.@:/-');
    } else if (cp.externalId !== undefined) {
      c.add('controlPlane.externalId', `is an AWS concept and has no effect on ${this.cloud}`, 'remove externalId');
    }
    const access = r.enumValue('controlPlane.access', cp.access, ControlPlaneAccess) ?? ControlPlaneAccess.OPERATE;
    return principal ? { principal, externalId, access } : undefined;
  }

  private observability(v: unknown, floor: number, compliance: ComplianceProfile): ResolvedObservability {
    const { c, r } = this;
    const o = r.object('observability', v, ['alertEmails', 'logRetentionDays', 'existingOrganizationTrail']) ?? {};
    const emails: string[] = [];
    r.array('observability.alertEmails', o.alertEmails)?.forEach((e, i) => {
      const ok = r.string(`observability.alertEmails[${i}]`, e, EMAIL, 'an e-mail address');
      if (ok) emails.push(ok);
    });
    let retention = r.int('observability.logRetentionDays', o.logRetentionDays, 1, 3653);
    if (retention !== undefined && retention < floor) {
      c.add('observability.logRetentionDays', `${retention} days is below the ${compliance} floor of ${floor} days`,
        `use ${floor} or more, or omit it to get the floor`);
      retention = undefined;
    }
    return {
      alertEmails: emails,
      logRetentionDays: retention ?? floor,
      createAuditTrail: !(r.bool('observability.existingOrganizationTrail', o.existingOrganizationTrail) ?? false),
    };
  }
}

function virtualizationOf(shape: InstanceShape, kvm: boolean): Virtualization {
  if (!kvm) return Virtualization.NONE;
  if (shape.metal) return Virtualization.BARE_METAL;
  if (shape.nestedVirtualization) return Virtualization.NESTED;
  return Virtualization.NONE; // reported: a KVM runtime with no way to get /dev/kvm
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
