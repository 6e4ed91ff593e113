import { TerraformStack } from 'cdktf';
import { PlatformSpecFile, SpecValidationError } from '../lib/spec';

/** Adds the Gcp provider and platform for a loaded spec file to `stack`. */
export function addGcpPlatform(_stack: TerraformStack, file: string, _loaded: PlatformSpecFile): void {
  throw new SpecValidationError([{
    path: 'target.cloud', message: 'gcp has no platform construct in this version', hint: 'use "aws"',
  }], file);
}
