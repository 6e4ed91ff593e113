// The public API of cdktf-sandbox-byoc. Provider bindings are imported per resource inside the
// library; nothing here re-exports a provider package root.
export * from './spec';
export * from './host';
export * from './aws';
export * from './gcp';
export * from './azure';
export * from './provider-compat';
export * from './compliance';
