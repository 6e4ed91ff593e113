/**
 * Index over a synthesized stack's `resource` and `data` maps, with reference resolution by
 * Terraform address: "${aws_vpc.main.id}" inside any string refers to resource aws_vpc.main.
 */
import { StackIndex, SynthesizedStack, TerraformResource } from './types';

type Config = { readonly [key: string]: unknown };
type BlockMap = { readonly [type: string]: { readonly [logicalId: string]: Config } };

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Every string inside a JSON value (object keys excluded), depth first. */
export function stringsIn(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) for (const v of value) stringsIn(v, into);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) stringsIn(v, into);
  return into;
}

function constructPathOf(config: Config): string | undefined {
  const meta = config['//'] as { metadata?: { path?: unknown } } | undefined;
  const path = meta?.metadata?.path;
  return typeof path === 'string' ? path : undefined;
}

function toResources(map: BlockMap | undefined, isData: boolean): Map<string, TerraformResource[]> {
  const byType = new Map<string, TerraformResource[]>();
  for (const type of Object.keys(map ?? {}).sort()) {
    const entries = map![type] ?? {};
    const list = Object.keys(entries).sort().map((logicalId): TerraformResource => ({
      type,
      logicalId,
      address: `${isData ? 'data.' : ''}${type}.${logicalId}`,
      constructPath: constructPathOf(entries[logicalId]),
      isData,
      config: entries[logicalId],
    }));
    byType.set(type, list);
  }
  return byType;
}

/**
 * The StackIndex over one synthesized stack.
 * @jsii ignore not in Python: engine internal over StackIndex.
 */
export class StackModel implements StackIndex {
  /** Stack name from the "//" metadata, if present. */
  public readonly stackName?: string;
  public readonly resourceTypes: string[];
  private readonly res: Map<string, TerraformResource[]>;
  private readonly data: Map<string, TerraformResource[]>;
  private readonly addresses = new Map<string, TerraformResource>();
  private readonly patterns = new Map<string, RegExp>();

  constructor(json: SynthesizedStack) {
    this.res = toResources(json.resource, false);
    this.data = toResources(json.data, true);
    for (const list of [...this.res.values(), ...this.data.values()]) {
      for (const r of list) this.addresses.set(r.address, r);
    }
    this.resourceTypes = [...this.res.keys()];
    const meta = json['//'] as { metadata?: { stackName?: unknown } } | undefined;
    this.stackName = typeof meta?.metadata?.stackName === 'string' ? meta.metadata.stackName : undefined;
  }

  public resources(type: string): TerraformResource[] {
    return this.res.get(type) ?? [];
  }

  public dataSources(type: string): TerraformResource[] {
    return this.data.get(type) ?? [];
  }

  public byAddress(address: string): TerraformResource | undefined {
    return this.addresses.get(address);
  }

  public referencedResources(value: unknown, type: string): TerraformResource[] {
    return this.referenced(value, type, false);
  }

  public referencedDataSources(value: unknown, type: string): TerraformResource[] {
    return this.referenced(value, type, true);
  }

  public refersTo(value: unknown, target: TerraformResource, nameAttribute?: string): boolean {
    const name = nameAttribute ? target.config[nameAttribute] : undefined;
    const ids = this.referencedIds(value, target.type, target.isData);
    if (ids.has(target.logicalId)) return true;
    return typeof name === 'string' && !name.includes('${') && stringsIn(value).includes(name);
  }

  public referrers(type: string, attribute: string, target: TerraformResource, nameAttribute?: string): TerraformResource[] {
    return this.resources(type).filter((r) => this.refersTo(r.config[attribute], target, nameAttribute));
  }

  private referenced(value: unknown, type: string, isData: boolean): TerraformResource[] {
    const ids = this.referencedIds(value, type, isData);
    const prefix = isData ? 'data.' : '';
    return [...ids].sort().map((id) => this.addresses.get(`${prefix}${type}.${id}`)).filter((r): r is TerraformResource => !!r);
  }

  /** Logical ids of `type` referenced inside "${...}" expressions anywhere in `value`. */
  private referencedIds(value: unknown, type: string, isData: boolean): Set<string> {
    const key = `${isData ? 'data.' : ''}${type}`;
    let re = this.patterns.get(key);
    if (!re) {
      // Not preceded by a word char or a dot, so "aws_s3_bucket.x" does not match inside
      // "data.aws_s3_bucket.x" or "aws_s3_bucket_policy.x".
      const head = isData ? `data\\.${escapeRegExp(type)}` : escapeRegExp(type);
      re = new RegExp(`(?<![\\w.])${head}\\.([A-Za-z_][\\w-]*)`, 'g');
      this.patterns.set(key, re);
    }
    const ids = new Set<string>();
    for (const s of stringsIn(value)) {
      if (!s.includes('${')) continue;
      for (const m of s.matchAll(re)) ids.add(m[1]);
    }
    return ids;
  }
}
