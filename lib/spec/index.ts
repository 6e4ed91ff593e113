export * from './types';
export * from './errors';
export * from './presets';
export * from './resolved';
export * from './capacity';
export * from './cloud-rules';
export { resolvePlatform, ResolveOptions, TAG_KEYS, MANAGED_BY, DEFAULT_CIDR, DEFAULT_ZONES, CLOUD_PATH, SPEC_PATH } from './resolve';
export * from './spec-file';
export * from './catalog';
