/**
 * Applies a spec file's `backend` (see loadSpecFile / BackendSpec) to a stack, so a consumer's app
 * gets the same state settings the reference stacks get.
 */
import { AzurermBackend, GcsBackend, LocalBackend, S3Backend, TerraformBackend, TerraformStack } from 'cdktf';
import { BackendSpec, BackendType, SpecValidationError } from '../spec';

/** Options of applyBackend. */
export interface ApplyBackendOptions {
  /**
   * Name of the state: local `terraform.<stateName>.tfstate`, s3 key `<stateName>/terraform.tfstate`,
   * gcs prefix `<stateName>`, azurerm key `<stateName>.tfstate` (each unless the backend sets it).
   * Default: the stack's id.
   */
  readonly stateName?: string;
  /** s3: the state bucket's region when the backend does not name one (a spec file's target.region). */
  readonly region?: string;
}

/**
 * Configures the stack's Terraform state backend from a spec file's `backend` block; undefined means
 * local state. s3 state is encrypted and uses S3-native locking (use_lockfile, Terraform >= 1.10);
 * azurerm uses Entra ID auth. Returns the backend construct.
 *
 *   const file = loadSpecFile('specs/prod.json');
 *   applyBackend(stack, file.backend, { region: file.target.region });
 */
export function applyBackend(stack: TerraformStack, backend: BackendSpec | undefined, options: ApplyBackendOptions = {}): TerraformBackend {
  const b = backend ?? { type: BackendType.LOCAL };
  const name = options.stateName ?? stack.node.id;
  switch (b.type) {
    case BackendType.S3: {
      const region = b.region ?? options.region;
      if (!region) {
        throw new SpecValidationError([{ path: 'backend.region', message: 'is not set and no region was given to applyBackend',
          hint: 'set backend.region, or pass { region: file.target.region }' }], stack.node.path);
      }
      const s3 = new S3Backend(stack, {
        bucket: b.bucket!, key: b.key ?? `${name}/terraform.tfstate`, region, encrypt: true, kmsKeyId: b.kmsKeyId,
      });
      // S3-native state locking (Terraform >= 1.10, no DynamoDB table); cdktf 0.21's S3Backend
      // predates the argument, so it is set on the backend block directly.
      stack.addOverride('terraform.backend.s3.use_lockfile', true);
      return s3;
    }
    case BackendType.GCS:
      return new GcsBackend(stack, { bucket: b.bucket!, prefix: b.prefix ?? name });
    case BackendType.AZURERM:
      return new AzurermBackend(stack, {
        resourceGroupName: b.resourceGroupName!, storageAccountName: b.storageAccountName!, containerName: b.containerName!,
        key: b.key ?? `${name}.tfstate`, useAzureadAuth: true,
      });
    case BackendType.LOCAL:
    default:
      return new LocalBackend(stack, { path: `terraform.${name}.tfstate` });
  }
}

/**
 * applyBackend as a static method, for jsii languages (Python), which have no free functions:
 * `StateBackend.apply(stack, file.backend, ApplyBackendOptions(region=file.target.region))`.
 */
export class StateBackend {
  /** Configures the stack's Terraform state backend from a spec file's `backend` block (see applyBackend). */
  public static apply(stack: TerraformStack, backend?: BackendSpec, options?: ApplyBackendOptions): TerraformBackend {
    return applyBackend(stack, backend, options);
  }

  private constructor() {}
}
