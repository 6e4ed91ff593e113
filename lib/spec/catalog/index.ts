import { CloudProvider } from '../types';
import { AWS_CATALOG } from './aws';
import { AZURE_CATALOG } from './azure';
import { GCP_CATALOG } from './gcp';
import { CloudCatalog } from './types';

export * from './types';
export { AWS_CATALOG } from './aws';
export * from './gcp';
export * from './azure';
export * from './kubernetes';

/** The instance catalog of a cloud, or undefined while that cloud has none yet. */
export function catalogFor(cloud: CloudProvider): CloudCatalog | undefined {
  switch (cloud) {
    case CloudProvider.AWS:
      return AWS_CATALOG;
    case CloudProvider.GCP:
      return GCP_CATALOG;
    case CloudProvider.AZURE:
      return AZURE_CATALOG;
    default:
      return undefined;
  }
}
