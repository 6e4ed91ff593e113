import { CloudProvider, GpuModel, Virtualization } from '../types';
import { CloudCatalog, InstanceShape } from './types';

/** Shapes by exact name; a duplicate name is a catalog bug and fails at load. */
export function indexShapes(cloud: CloudProvider, shapes: readonly InstanceShape[]): ReadonlyMap<string, InstanceShape> {
  const byName = new Map<string, InstanceShape>();
  for (const s of shapes) {
    if (byName.has(s.name)) throw new Error(`${cloud} catalog: duplicate shape ${s.name}`);
    byName.set(s.name, s);
  }
  return byName;
}

/** GPU shapes ordered by GPU count, then vCPUs, then name (deterministic). */
export function compareGpuShapes(a: InstanceShape, b: InstanceShape): number {
  return (a.gpu?.count ?? 0) - (b.gpu?.count ?? 0) || a.vcpus - b.vcpus || a.name.localeCompare(b.name);
}

/** GPU shapes grouped by model, each list ordered by compareGpuShapes. */
export function groupGpuShapes(shapes: readonly InstanceShape[]): ReadonlyMap<GpuModel, readonly InstanceShape[]> {
  const byModel = new Map<GpuModel, InstanceShape[]>();
  for (const s of shapes) {
    if (!s.gpu) continue;
    const list = byModel.get(s.gpu.model) ?? [];
    list.push(s);
    byModel.set(s.gpu.model, list);
  }
  for (const list of byModel.values()) list.sort(compareGpuShapes);
  return byModel;
}

/** The data a cloud's catalog is made of. */
export interface CatalogDefinition {
  readonly cloud: CloudProvider;
  /** Every shape, looked up by exact name. */
  readonly shapes: readonly InstanceShape[];
  /** GPU shapes that no name lookup returns (GPUs attached to a general type). Default none. */
  readonly attachedGpuShapes?: readonly InstanceShape[];
  /** Default sandbox type per virtualization; a missing entry means the cloud cannot do it. */
  readonly defaultSandboxTypes: Readonly<Partial<Record<Virtualization, string>>>;
  /** Regions known to sell each model (warnings only). Default: unknown for every sold model. */
  readonly gpuRegions?: Readonly<Partial<Record<GpuModel, readonly string[]>>>;
  /** See CloudCatalog.gpuShape. */
  readonly gpuShape?: (instanceType: string, model: GpuModel, count?: number) => InstanceShape | undefined;
}

const EMPTY_REGIONS: readonly string[] = Object.freeze([]);

/** A CloudCatalog over the definition's data (indexes built once). */
export function buildCatalog(def: CatalogDefinition): CloudCatalog {
  const byName = indexShapes(def.cloud, def.shapes);
  const gpus = groupGpuShapes([...def.shapes, ...(def.attachedGpuShapes ?? [])]);
  return Object.freeze({
    cloud: def.cloud,
    shape: (name: string) => byName.get(name),
    gpuShapes: (model: GpuModel) => [...(gpus.get(model) ?? [])],
    defaultSandboxType: (virtualization: Virtualization) => def.defaultSandboxTypes[virtualization],
    // A model the cloud does not sell at all is sold in no region.
    gpuRegions: (model: GpuModel) => (gpus.has(model) ? def.gpuRegions?.[model] : EMPTY_REGIONS),
    ...(def.gpuShape ? { gpuShape: def.gpuShape } : {}),
  });
}
