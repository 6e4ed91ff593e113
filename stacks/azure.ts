import { TerraformStack } from 'cdktf';
import { PlatformSpecFile, SpecValidationError } from '../lib/spec';

/** Adds the Azure provider and platform for a loaded spec file to `stack`. */
export function addAzurePlatform(_stack: TerraformStack, file: string, _loaded: PlatformSpecFile): void {
  throw new SpecValidationError([{
    path: 'target.cloud', message: 'azure has no platform construct in this version', hint: 'use "aws"',
  }], file);
}
