/**
 * Shared pieces of the bad-input tables: spec mutations, the row shape, and the issues a spec
 * raises. Each table keeps its own base spec and assertions.
 */
import { CloudProvider, ResolveOptions, SandboxPlatformSpec, SpecIssue, SpecValidationError, resolvePlatform } from '../lib/spec';

export type Obj = Record<string, unknown>;
export type Mutation = (s: Obj) => Obj;

// Mutation builders. Each returns a new object; the base spec is never changed.
export const top = (patch: Obj): Mutation => (s) => ({ ...s, ...patch });
export const sbx = (patch: Obj): Mutation => (s) => ({ ...s, sandboxPools: [{ ...(s.sandboxPools as Obj[])[0], ...patch }] });
export const gpu = (patch: Obj): Mutation => (s) => ({ ...s, gpuPools: [{ ...(s.gpuPools as Obj[])[0], ...patch }] });
export const net = (patch: Obj): Mutation => (s) => ({ ...s, network: { ...(s.network as Obj | undefined), ...patch } });
export const obs = (patch: Obj): Mutation => (s) => ({ ...s, observability: { ...(s.observability as Obj | undefined), ...patch } });

/** One mutation of a valid spec and the issue it must produce. */
export interface Row {
  readonly label: string;
  readonly mutate: Mutation;
  readonly path: string;
  readonly message: RegExp;
  readonly hint?: RegExp;
  /** Total issues expected (default 1). */
  readonly count?: number;
}

/** The issues resolving `spec` for `cloud` raises (none when it resolves). */
export function issuesOf(spec: unknown, cloud = CloudProvider.AWS, options?: ResolveOptions): SpecIssue[] {
  try {
    resolvePlatform(spec as SandboxPlatformSpec, cloud, options);
  } catch (e) {
    if (e instanceof SpecValidationError) return e.issues;
    throw e;
  }
  return [];
}
