// The public API of cdktf-sandbox-byoc. Provider bindings are imported per resource inside the
// library; nothing here re-exports a provider package root. In the published package the cloud
// exports (aws, gcp, azure) load on first use (scripts/postbuild.js), so the root works with only
// the provider package of the cloud you use installed.
export * from './spec';
export * from './host';
export * from './aws';
export * from './gcp';
export * from './azure';
export * from './provider-compat';
export * from './compliance';
export * from './common/backend';
