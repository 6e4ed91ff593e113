/**
 * The sandbox runtime installer (lib/host/runtime-install.ts) and its pinned catalog: the rendered
 * function is run for real in a temporary root against fake downloads, so a tampered or missing asset
 * must fail before anything is installed, and a matching one must install.
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import {
  KATA_QEMU_CONFIG, RuntimeSource, renderRuntimeInstall, runscConfigPath, runtimeContainerdConfig,
} from '../lib/host';
import { SandboxRuntime } from '../lib/spec';
import {
  RUNTIME_CATALOG_SOURCE, RuntimeDigestAlgorithm, RuntimeRelease, runtimeArtifactKey, runtimeDownloadDomains, runtimeRelease, runtimeReleases,
} from '../lib/spec/catalog/runtimes';
import { SKIP_SHELLCHECK, expectShellcheckClean } from './shellcheck';

const kata = runtimeRelease(SandboxRuntime.KATA)!;
const gvisor = runtimeRelease(SandboxRuntime.GVISOR)!;

describe('runtime catalog', () => {
  it('pins Kata and gVisor for x86_64 with kubespray\'s digests and URL patterns', () => {
    expect(RUNTIME_CATALOG_SOURCE.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(kata.version).toBe('3.32.0');
    expect(kata.assets).toEqual([{
      name: 'kata-static-3.32.0-amd64.tar.zst',
      url: 'https://github.com/kata-containers/kata-containers/releases/download/3.32.0/kata-static-3.32.0-amd64.tar.zst',
      algorithm: RuntimeDigestAlgorithm.SHA256, digest: '1449ecea50bd91fa73a94648db195d18950fe869ba4b1f12d05f55f1fa7c1b01',
    }]);
    expect(gvisor.version).toBe('20260817.0');
    expect(gvisor.assets.map((a) => a.url)).toEqual([
      'https://storage.googleapis.com/gvisor/releases/release/20260817.0/x86_64/runsc',
      'https://storage.googleapis.com/gvisor/releases/release/20260817.0/x86_64/containerd-shim-runsc-v1',
    ]);
    for (const r of runtimeReleases()) {
      for (const a of r.assets) {
        expect(a.digest).toMatch(a.algorithm === RuntimeDigestAlgorithm.SHA256 ? /^[0-9a-f]{64}$/ : /^[0-9a-f]{128}$/);
        expect(a.url.endsWith(`/${a.name}`)).toBe(true);
        expect(r.domains).toContain(new URL(a.url).hostname);
      }
    }
    expect(runtimeRelease(SandboxRuntime.GVISOR, 'aarch64')).toBeUndefined();
    expect(runtimeRelease(SandboxRuntime.FIRECRACKER)).toBeUndefined();
  });

  it('names artifact-bucket keys runtimes/<runtime>/<version>/<arch>/<file> and lists the upstream hosts per runtime', () => {
    expect(runtimeArtifactKey(kata, kata.assets[0])).toBe('runtimes/kata/3.32.0/x86_64/kata-static-3.32.0-amd64.tar.zst');
    expect(runtimeArtifactKey(gvisor, gvisor.assets[1])).toBe('runtimes/gvisor/20260817.0/x86_64/containerd-shim-runsc-v1');
    expect(runtimeDownloadDomains([SandboxRuntime.GVISOR])).toEqual(['storage.googleapis.com']);
    expect(runtimeDownloadDomains([SandboxRuntime.KATA, SandboxRuntime.GVISOR, SandboxRuntime.KATA])).toEqual(
      ['github.com', 'objects.githubusercontent.com', 'release-assets.githubusercontent.com', 'storage.googleapis.com']);
  });
});

describe('docs/aws.md', () => {
  const doc = readFileSync(join(__dirname, '..', 'docs', 'aws.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Sandbox runtimes on EKS nodes'));

  it('its fill snippet downloads, verifies and uploads every pinned asset under its bucket key', () => {
    expect(section.length).toBeGreaterThan(100);
    for (const r of runtimeReleases()) {
      for (const a of r.assets) {
        expect([a.name, section.includes(`${a.digest}  ${a.name}`) || section.includes(`${a.digest}  \${f}`)]).toEqual([a.name, true]);
        const key = runtimeArtifactKey(r, a);
        expect([key, section.includes(key) || section.includes(key.replace(a.name, '${f}'))]).toEqual([key, true]);
        const url = a.url;
        expect([url, section.includes(url) || section.includes(url.replace(a.name, '${f}'))]).toEqual([url, true]);
      }
      expect(section).toContain(`| ${r.version} |`);
    }
    expect(section).toContain(RUNTIME_CATALOG_SOURCE.commit);
  });
});

describe('containerd handler configuration', () => {
  it('kata: the Kata v2 shim with kata-static\'s QEMU configuration, no host devices for privileged pods', () => {
    expect(runtimeContainerdConfig({ release: kata, handler: 'kata', source: RuntimeSource.UPSTREAM })).toBe([
      '[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.kata]',
      'runtime_type = "io.containerd.kata.v2"',
      'privileged_without_host_devices = true',
      '[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.kata.options]',
      `ConfigPath = "${KATA_QEMU_CONFIG}"`,
    ].join('\n'));
  });

  it('runsc and runsc-nvidia: the runsc shim, each with its own shim configuration file; CDI on for the GPU handler only', () => {
    for (const handler of ['runsc', 'runsc-nvidia']) {
      expect(runtimeContainerdConfig({ release: gvisor, handler, gpu: handler !== 'runsc', source: RuntimeSource.UPSTREAM })).toBe([
        ...(handler === 'runsc' ? [] : ['[plugins."io.containerd.grpc.v1.cri"]', 'enable_cdi = true', 'cdi_spec_dirs = ["/etc/cdi", "/var/run/cdi"]']),
        `[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.${handler}]`,
        'runtime_type = "io.containerd.runsc.v1"',
        `[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.${handler}.options]`,
        'TypeUrl = "io.containerd.runsc.v1.options"',
        `ConfigPath = "/etc/containerd/${handler}.toml"`,
      ].join('\n'));
    }
    expect(runscConfigPath('runsc-nvidia')).toBe('/etc/containerd/runsc-nvidia.toml');
  });

  it('refuses what it cannot install', () => {
    expect(() => renderRuntimeInstall({ release: kata, handler: 'Kata', source: RuntimeSource.UPSTREAM })).toThrow(/handler "Kata"/);
    expect(() => renderRuntimeInstall({ release: kata, handler: 'kata', gpu: true, source: RuntimeSource.UPSTREAM })).toThrow(/GPU nodes run gVisor/);
    const bad = { ...gvisor, assets: [{ ...gvisor.assets[0], digest: 'abc' }] };
    expect(() => renderRuntimeInstall({ release: bad, handler: 'runsc', source: RuntimeSource.UPSTREAM })).toThrow(/no valid sha512 digest/);
    const http = { ...gvisor, assets: [{ ...gvisor.assets[0], url: 'http://example.com/runsc' }] };
    expect(() => renderRuntimeInstall({ release: http, handler: 'runsc', source: RuntimeSource.UPSTREAM })).toThrow(/must be https/);
  });
});

describe('rendered installer', () => {
  it('upstream: the pinned URLs and curl over https only; no bucket', () => {
    const text = renderRuntimeInstall({ release: gvisor, handler: 'runsc', source: RuntimeSource.UPSTREAM });
    for (const a of gvisor.assets) expect(text).toContain(`'${a.url}'`);
    expect(text).toContain("curl -fsSL --proto '=https' --proto-redir '=https'");
    expect(text).not.toContain('s3://');
    expect(text).not.toContain('aws s3');
  });

  it('artifact bucket: the S3 keys and no upstream URL', () => {
    const text = renderRuntimeInstall({ release: kata, handler: 'kata', source: RuntimeSource.ARTIFACT_BUCKET });
    expect(text).toContain(`"s3://\${bucket}/"'runtimes/kata/3.32.0/x86_64/kata-static-3.32.0-amd64.tar.zst'`);
    expect(text).not.toContain('https://');
    expect(text).not.toContain('curl');
  });

  it('checks every digest before it extracts or copies anything', () => {
    for (const [release, handler] of [[kata, 'kata'], [gvisor, 'runsc']] as const) {
      const text = renderRuntimeInstall({ release, handler, source: RuntimeSource.UPSTREAM });
      const check = text.lastIndexOf(`${release.assets[0].algorithm}sum -c --strict`);
      expect(check).toBeGreaterThan(0);
      for (const a of release.assets) expect(text).toContain(`${a.digest}  ${a.name}`);
      const install = Math.min(...['tar --zstd', 'install -m 0755', 'ln -sfn'].map((s) => text.indexOf(s)).filter((i) => i >= 0));
      expect(check).toBeLessThan(install);
    }
  });

  (SKIP_SHELLCHECK ? it.skip : it)('passes shellcheck for each runtime and source', () => {
    for (const [release, handler, gpu] of [[kata, 'kata', false], [gvisor, 'runsc', false], [gvisor, 'runsc-nvidia', true]] as const) {
      for (const source of [RuntimeSource.UPSTREAM, RuntimeSource.ARTIFACT_BUCKET]) {
        const text = ['#!/bin/bash', 'set -euo pipefail', 'SANDBOX_LOG_FILE=/dev/null', 'export AWS_REGION=us-east-1',
          'sandbox_log() { printf \'%s\\n\' "$*"; }', 'sandbox_fail() { printf \'%s\\n\' "$*"; exit 1; }', 'sandbox_require_command() { :; }',
          renderRuntimeInstall({ release, handler, gpu, source }), 'sandbox_install_runtime "${1:-}"', ''].join('\n');
        expectShellcheckClean(text, `${handler} ${source}`);
      }
    }
  });
});

/** Runs the rendered installer in a temporary root; `files` are what the fake curl / aws serve, by file name. */
function runInstaller(release: RuntimeRelease, handler: string, source: RuntimeSource, files: { [name: string]: Buffer },
  opts: { gpu?: boolean; dir?: string; driver?: string; noCtk?: boolean } = {}) {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'runtime-install-'));
  const root = join(dir, 'root');
  const bin = join(dir, 'bin');
  const served = join(dir, 'served');
  for (const d of [root, bin, served]) mkdirSync(d, { recursive: true });
  rmSync(served, { recursive: true, force: true });
  mkdirSync(served);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(served, name), content);
  const downloads = join(dir, 'downloads.log');
  // curl ... -o DEST URL / aws s3 cp ... SRC DEST: serve the file named like the last path segment.
  writeFileSync(join(bin, 'curl'), [
    '#!/bin/bash', 'out=""; url=""', 'while [ $# -gt 0 ]; do case "$1" in -o) out="$2"; shift 2 ;; -*) shift ;; *) url="$1"; shift ;; esac; done',
    `echo "curl $url" >>'${downloads}'`, `cp "${served}/\${url##*/}" "$out"`, ''].join('\n'));
  writeFileSync(join(bin, 'aws'), [
    '#!/bin/bash', 'src="${*: -2:1}"; dest="${*: -1}"', `echo "aws $src" >>'${downloads}'`, `cp "${served}/\${src##*/}" "$dest"`, ''].join('\n'));
  for (const f of ['curl', 'aws']) chmodSync(join(bin, f), 0o755);
  // GPU nodes: the host's nvidia-smi and the CDI hook binary nvidia-container-toolkit installs.
  writeFileSync(join(bin, 'nvidia-smi'), `#!/bin/bash\necho ' ${opts.driver ?? '580.105.08'}'\necho ' ${opts.driver ?? '580.105.08'}'\n`, { mode: 0o755 });
  if (!opts.noCtk) {
    mkdirSync(join(root, 'usr/bin'), { recursive: true });
    writeFileSync(join(root, 'usr/bin/nvidia-ctk'), '#!/bin/sh\n', { mode: 0o755 });
  }
  const log = join(dir, 'bootstrap.log');
  const script = ['set -euo pipefail', `SANDBOX_LOG_FILE='${log}'`,
    'sandbox_log() { printf \'%s\\n\' "$*" >>"${SANDBOX_LOG_FILE}"; }',
    'sandbox_fail() { printf \'FAIL %s %s\\n\' "$1" "${*:2}" >>"${SANDBOX_LOG_FILE}"; exit 1; }',
    'sandbox_require_command() { command -v "$1" >/dev/null; }',
    'sleep() { :; }',
    renderRuntimeInstall({ release, handler, gpu: opts.gpu, source }), 'sandbox_install_runtime "$@"'].join('\n');
  const r = spawnSync('bash', ['-c', script, 'installer', 'acme-artifacts-bucket'], {
    encoding: 'utf8', env: { PATH: `${bin}:/usr/bin:/bin`, SANDBOX_RUNTIME_ROOT: root, AWS_REGION: 'us-east-1' },
  });
  const read = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8') : '');
  return { status: r.status, stderr: r.stderr, dir, root, log: read(log), downloads: read(downloads) };
}

const sha = (alg: string, b: Buffer) => createHash(alg).update(b).digest('hex');

/** A release like the pinned gVisor one whose digests match `files`. */
function fakeGvisor(files: { [name: string]: Buffer }): RuntimeRelease {
  return { ...gvisor, assets: gvisor.assets.map((a) => ({ ...a, digest: sha('sha512', files[a.name]) })) };
}

/** A kata-static-shaped tar.zst (./opt/kata/bin/containerd-shim-kata-v2 and the QEMU configuration). */
function fakeKataArchive(): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'kata-static-'));
  try {
    mkdirSync(join(dir, 'opt/kata/bin'), { recursive: true });
    mkdirSync(join(dir, 'opt/kata/share/defaults/kata-containers'), { recursive: true });
    writeFileSync(join(dir, 'opt/kata/bin/containerd-shim-kata-v2'), '#!/bin/sh\n', { mode: 0o755 });
    writeFileSync(join(dir, 'opt/kata/share/defaults/kata-containers/configuration-qemu.toml'), '[hypervisor.qemu]\n');
    const out = join(dir, 'kata.tar.zst');
    const r = spawnSync('tar', ['--zstd', '-cf', out, '-C', dir, './opt']);
    if (r.status !== 0) throw new Error(`tar failed: ${r.stderr}`);
    return readFileSync(out);
  } finally {
    // The archive has been read.
    rmSync(dir, { recursive: true, force: true });
  }
}

const ZSTD = spawnSync('zstd', ['--version']).status === 0;

describe('installer run against fake downloads', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const run = (...a: Parameters<typeof runInstaller>) => {
    const r = runInstaller(...a);
    dirs.push(r.dir);
    return r;
  };

  it('a tampered gVisor binary (the pinned digests) fails the node and installs nothing', () => {
    const r = run(gvisor, 'runsc', RuntimeSource.UPSTREAM, { 'runsc': Buffer.from('evil'), 'containerd-shim-runsc-v1': Buffer.from('evil too') });
    expect(r.status).toBe(1);
    expect(r.log).toContain('FAIL SANDBOX_BOOTSTRAP_FAILED gvisor 20260817.0 (x86_64): checksum mismatch');
    expect(r.downloads).toContain('curl https://storage.googleapis.com/gvisor/releases/release/20260817.0/x86_64/runsc');
    expect(existsSync(join(r.root, 'usr/local/bin/runsc'))).toBe(false);
    expect(existsSync(join(r.root, 'usr/local/bin/containerd-shim-runsc-v1'))).toBe(false);
    expect(existsSync(join(r.root, 'etc/containerd/runsc.toml'))).toBe(false);
    // The bad files are not kept for the next boot.
    expect(readdirSync(join(r.root, 'var/cache/sandbox-runtimes/gvisor/20260817.0/x86_64')).filter((f) => !f.startsWith('SANDBOX_'))).toEqual([]);
  });

  (ZSTD ? it : it.skip)('a tampered Kata archive from the artifact bucket fails and installs nothing', () => {
    const r = run(kata, 'kata', RuntimeSource.ARTIFACT_BUCKET, { [kata.assets[0].name]: fakeKataArchive() });
    expect(r.status).toBe(1);
    expect(r.downloads).toBe('aws s3://acme-artifacts-bucket/runtimes/kata/3.32.0/x86_64/kata-static-3.32.0-amd64.tar.zst\n');
    expect(r.log).toContain('checksum mismatch (pinned sha256); nothing installed');
    expect(existsSync(join(r.root, 'opt/kata'))).toBe(false);
    expect(existsSync(join(r.root, 'usr/local/bin/containerd-shim-kata-v2'))).toBe(false);
  });

  it('one tampered asset among good ones still installs nothing', () => {
    const good = { 'runsc': Buffer.from('runsc binary'), 'containerd-shim-runsc-v1': Buffer.from('shim binary') };
    const release = fakeGvisor(good);
    const r = run(release, 'runsc', RuntimeSource.UPSTREAM, { ...good, 'containerd-shim-runsc-v1': Buffer.from('shim binary, patched') });
    expect(r.status).toBe(1);
    expect(existsSync(join(r.root, 'usr/local/bin/runsc'))).toBe(false);
  });

  it('a missing asset fails the node after its retries', () => {
    const r = run(gvisor, 'runsc', RuntimeSource.UPSTREAM, {});
    expect(r.status).toBe(1);
    expect(r.log).toContain('cannot download runsc');
    expect(r.log.match(/WARN download of \S+runsc failed/g)).toHaveLength(5);
    expect(existsSync(join(r.root, 'usr/local/bin/runsc'))).toBe(false);
  });

  /** A runsc whose `nvproxy list-supported-drivers` prints two versions, as the real one prints its list. */
  const RUNSC = '#!/bin/bash\nif [ "$*" = "nvproxy list-supported-drivers" ]; then printf \'580.65.06\\n580.105.08\\n\'; else exit 2; fi\n';

  it('matching assets install runsc and the shim, and the GPU handler\'s shim configuration enables nvproxy', () => {
    const good = { 'runsc': Buffer.from(RUNSC), 'containerd-shim-runsc-v1': Buffer.from('shim binary') };
    const r = run(fakeGvisor(good), 'runsc-nvidia', RuntimeSource.UPSTREAM, good, { gpu: true });
    expect([r.status, r.log]).toEqual([0, expect.stringContaining('installed for containerd handler runsc-nvidia')]);
    expect(r.log).toContain('NVIDIA driver 580.105.08 is supported by runsc nvproxy');
    expect(readFileSync(join(r.root, 'usr/local/bin/runsc'), 'utf8')).toBe(RUNSC);
    expect(statSync(join(r.root, 'usr/local/bin/containerd-shim-runsc-v1')).mode & 0o777).toBe(0o755);
    expect(readFileSync(join(r.root, 'etc/containerd/runsc-nvidia.toml'), 'utf8')).toMatch(/\[runsc_config\]\n(#.*\n)?nvproxy = "true"\n$/);
    // A second boot reuses the verified cache: no download.
    const again = runInstaller(fakeGvisor(good), 'runsc-nvidia', RuntimeSource.UPSTREAM, {}, { gpu: true, dir: r.dir });
    expect(again.status).toBe(0);
    expect(again.log).toContain('cached assets verified');
    expect(again.downloads.split('\n').filter(Boolean)).toHaveLength(2);
  });

  it('a GPU node whose NVIDIA driver runsc does not support fails, naming the driver and the supported ones', () => {
    const good = { 'runsc': Buffer.from(RUNSC), 'containerd-shim-runsc-v1': Buffer.from('shim binary') };
    const r = run(fakeGvisor(good), 'runsc-nvidia', RuntimeSource.UPSTREAM, good, { gpu: true, driver: '580.95.05' });
    expect(r.status).toBe(1);
    expect(r.log).toContain('FAIL SANDBOX_BOOTSTRAP_FAILED gvisor 20260817.0: NVIDIA driver 580.95.05 is not one runsc supports (580.65.06, 580.105.08); ' +
      'set the GPU pool\'s image to an EKS NVIDIA AMI release whose driver runsc supports');
    expect(r.log).not.toContain('installed for containerd handler');
  });

  it('a GPU node without the CDI hook binary (/usr/bin/nvidia-ctk) fails', () => {
    const good = { 'runsc': Buffer.from(RUNSC), 'containerd-shim-runsc-v1': Buffer.from('shim binary') };
    const r = run(fakeGvisor(good), 'runsc-nvidia', RuntimeSource.UPSTREAM, good, { gpu: true, noCtk: true });
    expect(r.status).toBe(1);
    expect(r.log).toContain('FAIL SANDBOX_BOOTSTRAP_FAILED gvisor 20260817.0: /usr/bin/nvidia-ctk is missing');
  });

  it('the plain runsc handler has no nvproxy and no GPU checks', () => {
    const good = { 'runsc': Buffer.from('a'), 'containerd-shim-runsc-v1': Buffer.from('b') };
    const r = run(fakeGvisor(good), 'runsc', RuntimeSource.UPSTREAM, good);
    expect(r.status).toBe(0);
    expect(readFileSync(join(r.root, 'etc/containerd/runsc.toml'), 'utf8')).not.toContain('nvproxy');
    expect(r.log).not.toContain('NVIDIA driver');
  });

  (ZSTD ? it : it.skip)('a matching Kata archive unpacks to /opt/kata and links the shim where containerd finds it', () => {
    const archive = fakeKataArchive();
    const release = { ...kata, assets: [{ ...kata.assets[0], digest: sha('sha256', archive) }] };
    const r = run(release, 'kata', RuntimeSource.ARTIFACT_BUCKET, { [kata.assets[0].name]: archive });
    expect([r.status, r.log]).toEqual([0, expect.stringContaining('kata 3.32.0 (x86_64): installed for containerd handler kata')]);
    expect(existsSync(join(r.root, 'opt/kata/share/defaults/kata-containers/configuration-qemu.toml'))).toBe(true);
    expect(readlinkSync(join(r.root, 'usr/local/bin/containerd-shim-kata-v2'))).toBe('/opt/kata/bin/containerd-shim-kata-v2');
    expect(readdirSync(join(r.root, 'opt')).filter((f) => f.startsWith('.kata-staging'))).toEqual([]);
  });

  it('the artifact-bucket installer refuses to run without a bucket', () => {
    const text = ['set -euo pipefail', 'SANDBOX_LOG_FILE=/dev/null', 'sandbox_log() { :; }', 'sandbox_fail() { echo "FAIL $*"; exit 1; }',
      renderRuntimeInstall({ release: gvisor, handler: 'runsc', source: RuntimeSource.ARTIFACT_BUCKET }), 'sandbox_install_runtime None'].join('\n');
    const r = spawnSync('bash', ['-c', text], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', SANDBOX_RUNTIME_ROOT: mkdtempSync(join(tmpdir(), 'rt-')) } });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('no artifact bucket to download from');
  });
});
