// The reference GCP stack's provider and platform: the library's spec-file stack (one module for
// the reference app and the command line's synth).
export { addGcpPlatform } from '../lib/common/spec-file-stack/gcp';
