// Type-check floor: a consumer of cdktf alone.
import { App } from 'cdktf';
new App().synth();
