import { InstanceShape } from './catalog/types';
import { CapacityLimit, CapacityPlan } from './resolved';
import { CapacitySpec } from './types';

/** Default fraction of peak nodes kept as the pool minimum. */
export const DEFAULT_MIN_FRACTION = 0.25;

/**
 * Host reserve: what the host OS, the sandbox runtime's own daemons, the log/metrics agents and
 * the kernel need before any sandbox is placed. 1 vCPU plus 4% of the rest; 2 GiB plus 5% of
 * memory (page tables and per-VM overhead of thousands of microVMs grow with the host).
 */
export function hostReserve(shape: InstanceShape): { vcpus: number; memoryMiB: number } {
  const memoryMiB = shape.memoryGiB * 1024;
  return {
    vcpus: 1 + Math.ceil(Math.max(0, shape.vcpus - 1) * 0.04),
    memoryMiB: 2048 + Math.ceil(memoryMiB * 0.05),
  };
}

/**
 * Sizes a pool from the sandboxes it must hold. Returns the plan, or a message when a single
 * sandbox does not fit on the shape.
 */
export function planCapacity(capacity: CapacitySpec, shape: InstanceShape, minNodesOverride?: number): CapacityPlan | string {
  const cpuOvercommit = capacity.cpuOvercommit ?? 1;
  const memoryOvercommit = capacity.memoryOvercommit ?? 1;
  const minFraction = capacity.minFraction ?? DEFAULT_MIN_FRACTION;
  const reserve = hostReserve(shape);
  const nodeMemoryMiB = shape.memoryGiB * 1024;
  const usableVcpus = Math.max(0, shape.vcpus - reserve.vcpus);
  const usableMemoryMiB = Math.max(0, nodeMemoryMiB - reserve.memoryMiB);
  // Round before flooring so that 0.1 * 30 style float error never costs a sandbox.
  const byCpu = Math.floor(round6((usableVcpus * cpuOvercommit) / capacity.vcpusPerSandbox));
  const byMemory = Math.floor(round6((usableMemoryMiB * memoryOvercommit) / capacity.memoryMiBPerSandbox));
  const perNode = Math.min(byCpu, byMemory);
  if (perNode < 1) {
    return `one sandbox (${capacity.vcpusPerSandbox} vCPU, ${capacity.memoryMiBPerSandbox} MiB) does not fit on ${shape.name} ` +
      `(${usableVcpus} vCPU x${cpuOvercommit} and ${usableMemoryMiB} MiB x${memoryOvercommit} usable after the host reserve)`;
  }
  const maxNodes = Math.ceil(capacity.concurrentSandboxes / perNode);
  // minFraction 0 keeps no node (scale to zero); any positive fraction keeps at least one.
  // round6 again: 100 x 0.07 is 7.000000000000001 in floating point, which must not become 8.
  const minNodes = minNodesOverride ?? Math.min(maxNodes, Math.ceil(round6(maxNodes * minFraction)));
  const limitedBy = byCpu <= byMemory ? CapacityLimit.CPU : CapacityLimit.MEMORY;
  const explanation =
    `${shape.name}: ${shape.vcpus} vCPU - ${reserve.vcpus} reserved = ${usableVcpus} x ${cpuOvercommit} / ${capacity.vcpusPerSandbox} = ${byCpu} by CPU; ` +
    `${nodeMemoryMiB} MiB - ${reserve.memoryMiB} reserved = ${usableMemoryMiB} x ${memoryOvercommit} / ${capacity.memoryMiBPerSandbox} = ${byMemory} by memory; ` +
    `${perNode} per node (${limitedBy}-bound); ceil(${capacity.concurrentSandboxes} / ${perNode}) = ${maxNodes} max nodes, ${minNodes} min nodes`;
  return {
    concurrentSandboxes: capacity.concurrentSandboxes,
    nodeVcpus: shape.vcpus,
    nodeMemoryMiB,
    reservedVcpus: reserve.vcpus,
    reservedMemoryMiB: reserve.memoryMiB,
    cpuOvercommit,
    memoryOvercommit,
    sandboxesPerNodeByCpu: byCpu,
    sandboxesPerNodeByMemory: byMemory,
    sandboxesPerNode: perNode,
    limitedBy,
    maxNodes,
    minNodes,
    explanation,
  };
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
