export * from './lib/spec';
export * from './lib/aws';
export * from './lib/gcp';
export * from './lib/azure';
export * from './lib/compliance';
export * from './lib/common/time-sleep';
