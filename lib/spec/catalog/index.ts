import { CloudProvider } from '../types';
import { AWS_CATALOG } from './aws';
import { CloudCatalog } from './types';

export * from './types';
export { AWS_CATALOG } from './aws';

/** The instance catalog of a cloud, or undefined while that cloud has none yet. */
export function catalogFor(cloud: CloudProvider): CloudCatalog | undefined {
  switch (cloud) {
    case CloudProvider.AWS:
      return AWS_CATALOG;
    default:
      return undefined;
  }
}
