// The jsii entry point (scripts/package-python.js compiles it with lib/ in .jsii-build): the API
// Python sees is the package root's, lib/index.ts, under the same names. jsii leaves out what its
// languages cannot express: free functions and constants (the spec functions are also static
// methods of Specs), and the declarations marked `@jsii ignore` in lib (engine internals).
export * from './lib';
// Not exported by the npm root, but part of public signatures (GcpProjectServices.propagated):
// jsii needs every type a public member names to be exported.
export * from './lib/common/time-sleep';
