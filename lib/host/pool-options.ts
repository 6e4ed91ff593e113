import { PoolKind, ResolvedPool } from '../spec';
import { HostBootstrapOptions } from './bootstrap';

/**
 * The cloud-independent part of a pool's bootstrap options: what the resolved pool says about
 * KVM, GPUs, hugepages, local NVMe and the user's hook commands. Each cloud adds its preamble
 * (log shipping), onFailure (how a failed node gets replaced) and any commands after the user's.
 */
export function poolBootstrapOptions(platformName: string, pool: ResolvedPool): HostBootstrapOptions {
  return {
    platformName,
    poolName: pool.name,
    kvmRequired: pool.kvmRequired,
    gpu: pool.kind === PoolKind.GPU,
    hugepagesMiB: pool.hugepagesMiB,
    localNvme: pool.localNvme,
    userCommands: pool.bootstrapCommands,
  };
}
