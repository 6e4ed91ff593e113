import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { TerraformStack } from 'cdktf';
import { GcpSandboxPlatform } from '../../gcp/platform';
import { PlatformSpecFile, SpecValidationError } from '../../spec';

/** Adds the Google provider (project and region from the spec file's target) and the platform to `stack`. */
export function addGcpPlatform(stack: TerraformStack, file: string, loaded: PlatformSpecFile): void {
  const { project, region } = loaded.target;
  if (!project) {
    // loadSpecFile already requires it for GCP; this guards callers that build the object by hand.
    throw new SpecValidationError([{ path: 'target.project', message: 'is required on GCP', hint: 'set "project" to the GCP project id' }], file);
  }
  new GoogleProvider(stack, 'google', { project, region });
  new GcpSandboxPlatform(stack, 'platform', { spec: loaded.spec, project, region });
}
