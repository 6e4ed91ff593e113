/**
 * GPU sharing of a GPU pool (`gpuPools[i].gpuSharing`): validation of the cloud-agnostic request.
 * Whether a cloud's Kubernetes runs a strategy with the pool's runtime is the catalog's call
 * (KubernetesCatalog.gpuSharingRefusal, checked in resolve.ts). Pure: no cdktf imports.
 */
import { IssueCollector, show } from './errors';
import { FieldReader } from './fields';
import { ResolvedGpuSharing } from './resolved';
import { GpuModel, GpuSharingStrategy } from './types';

/** Most sandboxes per GPU with time-sharing: GKE's limit for max_shared_clients_per_gpu (cloud.google.com/kubernetes-engine/docs/how-to/timesharing-gpus). */
export const GPU_TIME_SHARING_MAX_CLIENTS = 48;

/**
 * MIG profiles per GPU model, from NVIDIA's MIG user guide ("Supported MIG Profiles":
 * docs.nvidia.com/datacenter/tesla/mig-user-guide/): A100 40GB, A100 80GB, H100 80GB, H200 141GB.
 * Models not listed (T4, L4, A10G, A10) have no MIG.
 */
export const MIG_PROFILES: { readonly [model: string]: readonly string[] } = Object.freeze({
  [GpuModel.A100_40GB]: ['1g.5gb', '2g.10gb', '3g.20gb', '4g.20gb', '7g.40gb'],
  [GpuModel.A100_80GB]: ['1g.10gb', '2g.20gb', '3g.40gb', '4g.40gb', '7g.80gb'],
  [GpuModel.H100]: ['1g.10gb', '1g.20gb', '2g.20gb', '3g.40gb', '4g.40gb', '7g.80gb'],
  [GpuModel.H200]: ['1g.18gb', '1g.35gb', '2g.35gb', '3g.71gb', '4g.71gb', '7g.141gb'],
});

/**
 * Reads `<path>.gpuSharing`; every problem is reported. `gpu` is undefined when the pool's model
 * itself was invalid (then the MIG profile is not checked).
 */
export function readGpuSharing(c: IssueCollector, r: FieldReader, path: string, raw: unknown, gpu: GpuModel | undefined): ResolvedGpuSharing | undefined {
  const p = r.object(path, raw, ['strategy', 'maxSharedClientsPerGpu', 'migPartitionSize']);
  if (!p) return undefined;
  const strategy = r.enumValue(`${path}.strategy`, p.strategy, GpuSharingStrategy, true);
  if (!strategy) return undefined;
  if (strategy === GpuSharingStrategy.TIME_SHARING) {
    if (p.migPartitionSize !== undefined) {
      c.add(`${path}.migPartitionSize`, 'applies only to strategy "mig", not "time-sharing"', 'remove migPartitionSize, or set strategy to "mig"');
    }
    const clients = r.int(`${path}.maxSharedClientsPerGpu`, p.maxSharedClientsPerGpu, 2, GPU_TIME_SHARING_MAX_CLIENTS) ?? 2;
    return { strategy, maxSharedClientsPerGpu: clients };
  }
  if (p.maxSharedClientsPerGpu !== undefined) {
    c.add(`${path}.maxSharedClientsPerGpu`, 'applies only to strategy "time-sharing", not "mig" (a MIG partition serves one sandbox)',
      'remove maxSharedClientsPerGpu, or set strategy to "time-sharing"');
  }
  const profiles = gpu ? MIG_PROFILES[gpu] : undefined;
  if (gpu && !profiles) {
    c.add(`${path}.strategy`, `${show(gpu)} GPUs have no Multi-Instance GPU (MIG); NVIDIA offers it on ${Object.keys(MIG_PROFILES).map((m) => show(m)).join(', ')}`,
      'use strategy "time-sharing", or a MIG-capable GPU model');
    return undefined;
  }
  if (p.migPartitionSize === undefined) {
    c.add(`${path}.migPartitionSize`, 'is required with strategy "mig"', profiles ? `use one of ${profiles.map((x) => show(x)).join(', ')}` : 'name a MIG profile such as "1g.10gb"');
    return undefined;
  }
  const size = r.string(`${path}.migPartitionSize`, p.migPartitionSize);
  if (size === undefined) return undefined;
  if (profiles && !profiles.includes(size)) {
    c.add(`${path}.migPartitionSize`, `${show(size)} is not a MIG profile of ${show(gpu)}`, `use one of ${profiles.map((x) => show(x)).join(', ')}`);
    return undefined;
  }
  return { strategy, migPartitionSize: size };
}
