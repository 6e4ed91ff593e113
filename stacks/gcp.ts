import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { TerraformProvider, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { GcpSandboxPlatform } from '../lib/gcp';
import { PlatformSpecFile, SpecValidationError } from '../lib/spec';

/**
 * An empty hashicorp/time provider block. The platform waits for documented propagation delays with
 * time_sleep (lib/common/time-sleep.ts); cdktf's provider-presence validation wants a provider
 * construct for it, and no prebuilt binding ships with the library's dependencies.
 */
export class TimeProvider extends TerraformProvider {
  constructor(scope: Construct, id: string) {
    super(scope, id, { terraformResourceType: 'time', terraformGeneratorMetadata: { providerName: 'time' }, terraformProviderSource: 'hashicorp/time' });
  }

  protected synthesizeAttributes(): { [name: string]: unknown } {
    return {};
  }
}

/** Adds the Google provider (project and region from the spec file's target) and the platform to `stack`. */
export function addGcpPlatform(stack: TerraformStack, file: string, loaded: PlatformSpecFile): void {
  const { project, region } = loaded.target;
  if (!project) {
    // loadSpecFile already requires it for GCP; this guards callers that build the object by hand.
    throw new SpecValidationError([{ path: 'target.project', message: 'is required on GCP', hint: 'set "project" to the GCP project id' }], file);
  }
  new GoogleProvider(stack, 'google', { project, region });
  new TimeProvider(stack, 'time');
  new GcpSandboxPlatform(stack, 'platform', { spec: loaded.spec, project, region });
}
