/**
 * Spec file -> Terraform stack: the one place that turns a spec file ({ target, backend?, spec })
 * into a stack with its state backend, the target cloud's provider and the platform. The reference
 * app (stacks/main.ts) and `cdktf-sandbox-byoc synth` both use it, so they synthesize the same JSON.
 *
 * Only the target cloud's module (and so its provider package) is loaded: an AWS spec file needs
 * @cdktf/provider-aws and nothing of Google or Azure. A missing provider package is a
 * ProviderPackageMissingError naming the package to install.
 */
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { basename } from 'path';
import { BackendSpec, CloudProvider, PlatformSpecFile, loadSpecFile } from '../../spec';
import { applyBackend } from '../backend';

/** Options of addSpecFileStack. */
export interface SpecFileStackOptions {
  /** State backend instead of the file's own `backend`. Default: the file's backend (local state when it has none). */
  readonly backend?: BackendSpec;
  /** Stack id and state name. Default: the file name without `.json`. */
  readonly stackName?: string;
  /** The file as already loaded by loadSpecFile (saves reading it twice). Default: loaded here. */
  readonly loaded?: PlatformSpecFile;
}

/** The provider package (and the version range the package's peer dependencies admit) each cloud needs. */
export const PROVIDER_PACKAGES: { readonly [c in CloudProvider]: { readonly name: string; readonly range: string } } = {
  [CloudProvider.AWS]: { name: '@cdktf/provider-aws', range: '^21' },
  [CloudProvider.GCP]: { name: '@cdktf/provider-google', range: '^16' },
  [CloudProvider.AZURE]: { name: '@cdktf/provider-azurerm', range: '^14' },
};

/** A package the stack needs is not installed; the message names it and the npm command. */
export class ProviderPackageMissingError extends Error {
  constructor(public readonly packageName: string, public readonly install: string, cause: string) {
    super(`this spec file needs ${packageName}, which is not installed (${cause}); install it: ${install}`);
    this.name = 'ProviderPackageMissingError';
  }
}

type AddPlatform = (stack: TerraformStack, file: string, loaded: PlatformSpecFile) => void;

/** The cloud's platform function, loaded on first use so other clouds' provider packages stay unloaded. */
function cloudModule(cloud: CloudProvider): AddPlatform {
  const pkg = PROVIDER_PACKAGES[cloud];
  try {
    /* eslint-disable @typescript-eslint/no-require-imports -- lazy: load only the target cloud's provider package */
    switch (cloud) {
      case CloudProvider.AWS: return (require('./aws') as typeof import('./aws')).addAwsPlatform;
      case CloudProvider.GCP: return (require('./gcp') as typeof import('./gcp')).addGcpPlatform;
      case CloudProvider.AZURE: return (require('./azure') as typeof import('./azure')).addAzurePlatform;
    }
    /* eslint-enable @typescript-eslint/no-require-imports */
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err?.code === 'MODULE_NOT_FOUND' && String(err.message).includes(`'${pkg.name}/`)) {
      throw new ProviderPackageMissingError(pkg.name, `npm install ${pkg.name}@${pkg.range}`, String(err.message).split('\n')[0]);
    }
    throw e;
  }
  throw new Error(`no platform for cloud ${String(cloud)}`);
}

/**
 * Adds one stack for a spec file to `scope` (an App): the state backend (options.backend, else the
 * file's, else local state), the provider of the file's target cloud, and the platform. Throws
 * SpecValidationError naming the file and every problem, or ProviderPackageMissingError.
 */
export function addSpecFileStack(scope: Construct, file: string, options: SpecFileStackOptions = {}): TerraformStack {
  const loaded = options.loaded ?? loadSpecFile(file);
  const stackName = options.stackName ?? basename(file, '.json');
  const addPlatform = cloudModule(loaded.target.cloud);
  const stack = new TerraformStack(scope, stackName);
  applyBackend(stack, options.backend ?? loaded.backend, { stateName: stackName, region: loaded.target.region });
  addPlatform(stack, file, loaded);
  return stack;
}
