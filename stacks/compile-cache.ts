// Imported first by main.ts: on Node >= 22.1, keep V8's compiled code of the provider bindings
// between synths (module.enableCompileCache); on older Node this is a no-op.
import * as nodeModule from 'module';

(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
