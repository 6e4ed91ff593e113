import { TerraformStack } from 'cdktf';
import { applyBackend } from '../lib/common/backend';
import { BackendSpec } from '../lib/spec';

/** Configures the stack's state backend from a spec file's (or SANDBOX_BACKEND's) backend block (the package's applyBackend). */
export function configureBackend(stack: TerraformStack, stackName: string, backend: BackendSpec | undefined, region: string): void {
  applyBackend(stack, backend, { stateName: stackName, region });
}
