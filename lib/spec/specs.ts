import { SpecIssue, SpecValidationError } from './errors';
import { ResolveOptions, resolvePlatform } from './resolve';
import { ResolvedPlatform } from './resolved';
import { PlatformSpecFile, loadPlatformSpec, loadSpecFile } from './spec-file';
import { CloudProvider, SandboxPlatformSpec } from './types';

/**
 * The spec functions as static methods, for jsii languages (Python), which have no free functions:
 * `Specs.load(file)` is `loadPlatformSpec(file)`, `Specs.loadFile(file)` is `loadSpecFile(file)`,
 * `Specs.resolve(spec, cloud)` is `resolvePlatform(spec, cloud)`. Each throws the same
 * SpecValidationError, whose message lists every problem with its path and fix (in Python: an
 * exception carrying that message).
 */
export class Specs {
  /**
   * Loads a platform spec from JSON: a bare SandboxPlatformSpec or a spec file ({ target, backend?,
   * spec }), validated for `cloud` (default: the file's target cloud, else AWS).
   */
  public static load(file: string, cloud?: CloudProvider): SandboxPlatformSpec {
    return loadPlatformSpec(file, cloud);
  }

  /** Reads and validates a spec file ({ target, backend?, spec }); problems name the file. */
  public static loadFile(file: string): PlatformSpecFile {
    const { target, backend, spec } = loadSpecFile(file);
    return { target, backend, spec };
  }

  /** Validates a spec for a cloud and applies its presets: the concrete plan the constructs build. */
  public static resolve(spec: SandboxPlatformSpec, cloud: CloudProvider, options?: ResolveOptions): ResolvedPlatform {
    return resolvePlatform(spec, cloud, options);
  }

  /**
   * Every problem of a spec for a cloud, without throwing: empty when the spec is valid. The same
   * issues a SpecValidationError carries (path, message, hint).
   */
  public static validate(spec: SandboxPlatformSpec, cloud: CloudProvider, options?: ResolveOptions): SpecIssue[] {
    try {
      resolvePlatform(spec, cloud, options);
      return [];
    } catch (e) {
      if (e instanceof SpecValidationError) return e.issues;
      throw e;
    }
  }

  private constructor() {}
}
