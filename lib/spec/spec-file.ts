import { readFileSync } from 'fs';
import { IssueCollector, SpecValidationError, show } from './errors';
import { FieldReader } from './fields';
import { CLOUD_PATH, SPEC_PATH, resolvePlatform } from './resolve';
import { ResolvedPlatform } from './resolved';
import { CloudProvider, SandboxPlatformSpec } from './types';

/** Where Terraform keeps state for a reference stack. */
export enum BackendType {
  /** terraform.tfstate next to the stack (default; works anywhere, for trying things out). */
  LOCAL = 'local',
  /** S3 with the native lock file (use_lockfile, Terraform >= 1.10). */
  S3 = 's3',
  GCS = 'gcs',
  AZURERM = 'azurerm',
}

/** Remote state settings; only the fields of the chosen type are allowed. */
export interface BackendSpec {
  readonly type: BackendType;
  /** s3, gcs: the state bucket. */
  readonly bucket?: string;
  /** s3, azurerm: the state object key. Default "<stack>/terraform.tfstate". */
  readonly key?: string;
  /** s3: the bucket's region. Default the target region. */
  readonly region?: string;
  /** s3: KMS key for state encryption. Default the bucket's default encryption. */
  readonly kmsKeyId?: string;
  /** gcs: object prefix. Default "<stack>". */
  readonly prefix?: string;
  /** azurerm: the storage account's resource group. */
  readonly resourceGroupName?: string;
  /** azurerm: the storage account. */
  readonly storageAccountName?: string;
  /** azurerm: the blob container. */
  readonly containerName?: string;
}

/** Where a reference stack deploys. */
export interface TargetSpec {
  readonly cloud: CloudProvider;
  /** AWS/GCP region or Azure location. */
  readonly region: string;
  /** GCP project id (GCP only). */
  readonly project?: string;
}

/** A spec file: the target, optional remote state, and the platform spec. */
export interface PlatformSpecFile {
  readonly target: TargetSpec;
  readonly backend?: BackendSpec;
  readonly spec: SandboxPlatformSpec;
}

const BACKEND_FIELDS: { readonly [t in BackendType]: readonly string[] } = {
  [BackendType.LOCAL]: [],
  [BackendType.S3]: ['bucket', 'key', 'region', 'kmsKeyId'],
  [BackendType.GCS]: ['bucket', 'prefix'],
  [BackendType.AZURERM]: ['resourceGroupName', 'storageAccountName', 'containerName', 'key'],
};
const BACKEND_REQUIRED: { readonly [t in BackendType]: readonly string[] } = {
  [BackendType.LOCAL]: [],
  [BackendType.S3]: ['bucket'],
  [BackendType.GCS]: ['bucket'],
  [BackendType.AZURERM]: ['resourceGroupName', 'storageAccountName', 'containerName'],
};

/** Validates a backend object (from a spec file or the SANDBOX_BACKEND environment variable). */
export function readBackend(c: IssueCollector, path: string, v: unknown): BackendSpec | undefined {
  const r = new FieldReader(c);
  const all = ['type', ...new Set(Object.values(BACKEND_FIELDS).flat())];
  const b = r.object(path, v, all);
  if (!b) return undefined;
  const type = r.enumValue(`${path}.type`, b.type, BackendType, true);
  if (!type) return undefined;
  for (const k of Object.keys(b)) {
    if (k !== 'type' && all.includes(k) && !BACKEND_FIELDS[type].includes(k)) {
      c.add(`${path}.${k}`, `is not a setting of the ${type} backend`, `${type} takes: ${BACKEND_FIELDS[type].join(', ') || 'nothing'}`);
    }
  }
  for (const k of BACKEND_REQUIRED[type]) {
    if (b[k] === undefined) c.add(`${path}.${k}`, `is required for the ${type} backend`, `set ${path}.${k}`);
  }
  for (const k of BACKEND_FIELDS[type]) r.string(`${path}.${k}`, b[k]);
  return b as unknown as BackendSpec;
}

/** Reads and validates a spec file; every problem is reported with the file name. */
export function loadSpecFile(file: string): PlatformSpecFile & { readonly resolved: ResolvedPlatform } {
  const raw = readJson(file);
  const c = new IssueCollector();
  const r = new FieldReader(c);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    c.add('(file)', `must hold a JSON object { "target": ..., "spec": ... }, got ${show(raw)}`,
      'write { "target": { "cloud": "aws", "region": "us-east-1" }, "spec": { ... } }');
    c.throwIfAny(file);
  }
  const top = r.object('', raw, ['$schema', 'target', 'backend', 'spec']) as Record<string, unknown>;
  if (top.target === undefined) c.add('target', 'is required', 'add "target": { "cloud": "aws", "region": "us-east-1" }');
  const t = r.object('target', top.target, ['cloud', 'region', 'project']);
  const cloud = t ? r.enumValue('target.cloud', t.cloud, CloudProvider, true) : undefined;
  const region = t ? r.requiredString('target.region', t.region, /^[a-z0-9-]+$/, 'a region name such as "us-east-1"') : undefined;
  const project = t ? r.string('target.project', t.project, GCP_PROJECT_ID, 'a GCP project id (6..30 lowercase letters, digits and hyphens, starting with a letter)') : undefined;
  if (cloud === CloudProvider.GCP && t && t.project === undefined) {
    c.add('target.project', 'is required on GCP', 'set "project" to the GCP project id, e.g. "acme-sandbox-prod"');
  }
  if (cloud !== undefined && cloud !== CloudProvider.GCP && t && t.project !== undefined) {
    c.add('target.project', `is a GCP setting and has no effect on ${cloud}`, 'remove project');
  }
  const backend = top.backend !== undefined ? readBackend(c, 'backend', top.backend) : undefined;
  if (top.spec === undefined) c.add('spec', 'is required', 'add "spec": { "name": ..., "deployment": ..., "compliance": ... }');
  let resolved: ResolvedPlatform | undefined;
  if (cloud && top.spec !== undefined) {
    try {
      resolved = resolvePlatform(top.spec as SandboxPlatformSpec, cloud, { region });
    } catch (e) {
      if (!(e instanceof SpecValidationError)) throw e;
      for (const i of e.issues) c.add(specFilePath(i.path), i.message, i.hint);
    }
  }
  c.throwIfAny(file);
  return { target: { cloud: cloud!, region: region!, project }, backend, spec: top.spec as SandboxPlatformSpec, resolved: resolved! };
}

// GCP project ids: 6..30 characters, lowercase letters, digits and hyphens, starting with a
// letter and not ending with a hyphen (cloud.google.com/resource-manager/docs/creating-managing-projects).
const GCP_PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;

/** Where an issue of the embedded spec lives in the file. */
function specFilePath(path: string): string {
  if (path === CLOUD_PATH) return 'target.cloud';
  if (path === '' || path === SPEC_PATH) return 'spec';
  return `spec.${path}`;
}

/**
 * Loads a platform spec from JSON: either a bare SandboxPlatformSpec or a spec file
 * ({ target, backend?, spec }). Validated for `cloud`, or the file's target cloud; throws
 * SpecValidationError naming the file and every problem.
 */
export function loadPlatformSpec(file: string, cloud?: CloudProvider): SandboxPlatformSpec {
  const raw = readJson(file) as Record<string, unknown>;
  if (raw && typeof raw === 'object' && 'target' in raw) {
    const loaded = loadSpecFile(file);
    if (cloud && cloud !== loaded.target.cloud) {
      throw new SpecValidationError([{ path: 'target.cloud', message: `${show(loaded.target.cloud)} differs from the requested ${show(cloud)}`, hint: 'load the spec file for the right cloud' }], file);
    }
    return loaded.spec;
  }
  // A bare spec may name its JSON Schema too (editors validate against it); it is not a spec field.
  const bare = raw && typeof raw === 'object' && !Array.isArray(raw) && '$schema' in raw
    ? Object.fromEntries(Object.entries(raw).filter(([k]) => k !== '$schema')) : raw;
  resolvePlatform(bare as unknown as SandboxPlatformSpec, cloud ?? CloudProvider.AWS, { source: file });
  return bare as unknown as SandboxPlatformSpec;
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new SpecValidationError([{ path: '(file)', message: `cannot read: ${(e as Error).message}`, hint: 'check the path' }], file);
  }
  try {
    // Editors on Windows may save a byte-order mark, which JSON.parse rejects.
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new SpecValidationError([{ path: '(file)', message: `is not valid JSON: ${(e as Error).message}`, hint: 'fix the JSON syntax' }], file);
  }
}
