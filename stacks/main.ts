import './compile-cache';
import { App, TerraformStack } from 'cdktf';
import { readdirSync } from 'fs';
import { join, resolve } from 'path';
import { addSpecFileStack } from '../lib/common/spec-file-stack';
import { IssueCollector, PlatformSpecFile, SpecValidationError, readBackend } from '../lib/spec';

/**
 * The reference app: one stack per spec file in stacks/specs/ (stack name = file name), or only
 * the file named by SANDBOX_SPEC (SANDBOX_SPEC_DIR names another directory). SANDBOX_BACKEND (JSON, same shape as a spec file's "backend")
 * overrides every stack's state backend.
 */
export function specFiles(dir = process.env.SANDBOX_SPEC_DIR ?? join(__dirname, 'specs')): string[] {
  const one = process.env.SANDBOX_SPEC;
  if (one) return [resolve(one)];
  return readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => join(dir, f));
}

export function envBackend(): PlatformSpecFile['backend'] {
  const raw = process.env.SANDBOX_BACKEND;
  if (!raw) return undefined;
  const c = new IssueCollector();
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    c.add('SANDBOX_BACKEND', `is not valid JSON: ${(e as Error).message}`, 'set it to e.g. {"type":"s3","bucket":"my-state"}');
  }
  const backend = parsed === undefined ? undefined : readBackend(c, 'SANDBOX_BACKEND', parsed);
  c.throwIfAny('the SANDBOX_BACKEND environment variable');
  return backend;
}

/** Adds one stack for a spec file (the library's addSpecFileStack, which `cdktf-sandbox-byoc synth` uses too). */
export function addSpecStack(app: App, file: string, backendOverride?: PlatformSpecFile['backend']): TerraformStack {
  return addSpecFileStack(app, file, { backend: backendOverride });
}

export function main(app = new App()): App {
  const backend = envBackend();
  for (const file of specFiles()) addSpecStack(app, file, backend);
  return app;
}

if (require.main === module) {
  try {
    main().synth();
  } catch (e) {
    if (e instanceof SpecValidationError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
}
