import './compile-cache';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { readdirSync } from 'fs';
import { basename, join, resolve } from 'path';
import { AwsSandboxPlatform } from '../lib/aws';
import { CloudProvider, IssueCollector, PlatformSpecFile, SpecValidationError, loadSpecFile, readBackend } from '../lib/spec';
import { addAzurePlatform } from './azure';
import { configureBackend } from './backend';
import { addGcpPlatform } from './gcp';

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

/** Adds one stack for a spec file. */
export function addSpecStack(app: App, file: string, backendOverride?: PlatformSpecFile['backend']): TerraformStack {
  const loaded = loadSpecFile(file);
  const stackName = basename(file, '.json');
  const stack = new TerraformStack(app, stackName);
  configureBackend(stack, stackName, backendOverride ?? loaded.backend, loaded.target.region);
  switch (loaded.target.cloud) {
    case CloudProvider.AWS:
      new AwsProvider(stack, 'aws', { region: loaded.target.region });
      new AwsSandboxPlatform(stack, 'platform', { spec: loaded.spec, region: loaded.target.region });
      break;
    case CloudProvider.GCP:
      addGcpPlatform(stack, file, loaded);
      break;
    case CloudProvider.AZURE:
      addAzurePlatform(stack, file, loaded);
      break;
  }
  return stack;
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
