import { AzurermBackend, GcsBackend, LocalBackend, S3Backend, TerraformStack } from 'cdktf';
import { BackendSpec, BackendType } from '../lib/spec';

/** Configures the stack's state backend from a spec file's (or SANDBOX_BACKEND's) backend block. */
export function configureBackend(stack: TerraformStack, stackName: string, backend: BackendSpec | undefined, region: string): void {
  const b = backend ?? { type: BackendType.LOCAL };
  switch (b.type) {
    case BackendType.LOCAL:
      new LocalBackend(stack, { path: `terraform.${stackName}.tfstate` });
      return;
    case BackendType.S3:
      new S3Backend(stack, {
        bucket: b.bucket!, key: b.key ?? `${stackName}/terraform.tfstate`, region: b.region ?? region,
        encrypt: true, kmsKeyId: b.kmsKeyId,
      });
      // S3-native state locking (Terraform >= 1.10, no DynamoDB table); cdktf 0.21's S3Backend
      // predates the argument, so it is set on the backend block directly.
      stack.addOverride('terraform.backend.s3.use_lockfile', true);
      return;
    case BackendType.GCS:
      new GcsBackend(stack, { bucket: b.bucket!, prefix: b.prefix ?? stackName });
      return;
    case BackendType.AZURERM:
      new AzurermBackend(stack, {
        resourceGroupName: b.resourceGroupName!, storageAccountName: b.storageAccountName!, containerName: b.containerName!,
        key: b.key ?? `${stackName}.tfstate`, useAzureadAuth: true,
      });
      return;
  }
}
