/** Transpile-only (swc); `npm run typecheck` is the separate type check. */
module.exports = {
  testEnvironment: 'node',
  // Every core: jest's default (cores - 1) runs the suite in a single worker on the 2-core machines
  // this project is measured on, and the packet and DNS-filter tests mostly wait on timeouts.
  maxWorkers: '100%',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }] },
  globalSetup: '<rootDir>/test/global-setup.ts',
  // examples/ import the package by name, as a consumer does (tsconfig.json maps the same paths for tsc).
  moduleNameMapper: {
    '^cdktf-sandbox-byoc$': '<rootDir>/lib',
    '^cdktf-sandbox-byoc/(spec|host|aws|gcp|azure|compliance|provider-compat)$': '<rootDir>/lib/$1',
  },
  setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
};
