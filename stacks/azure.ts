// The reference Azure stack's provider, variables and platform: the library's spec-file stack (one
// module for the reference app and the command line's synth); see there for the two variables.
export { AZURE_STACK_VARIABLES, addAzurePlatform } from '../lib/common/spec-file-stack/azure';
