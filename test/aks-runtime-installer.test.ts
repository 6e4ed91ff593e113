/**
 * The gVisor installer AKS nodes run (lib/host/node-runtime-installer.ts) and the manifests that ship it
 * (lib/azure/aks-manifests.ts). The rendered script runs for real against a temporary root, with stub
 * containerd / systemctl / curl / nvidia-smi on PATH: it must install only verified files, add its handler to
 * an AKS-shaped config.toml in the form the file uses, restart containerd once, put the block back when the
 * file is rewritten, and leave the file alone whenever anything is wrong.
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { AKS_NODE_AGENT_IMAGE, AKS_POD_INTERFACE_PATTERNS, aksKubernetesManifests, aksNodeAgentName } from '../lib/azure/aks-manifests';
import { hostGuardFor } from '../lib/host/host-guard';
import {
  CONTAINERD_CONFIG, CONTAINERD_GUARD_DROPIN, NODE_GUARD_BOOT_RULESET, NODE_GUARD_RULESET, NODE_INSTALLER_RECHECK_SECONDS, NodeRuntimeInstallerOptions, containerdBlockMarkers, containerdHandlerBlock,
  nodeInstallerReadyFile, renderNodeRuntimeInstaller,
} from '../lib/host/node-runtime-installer';
import { CloudProvider, EgressMode, KUBERNETES_LABELS, SandboxPlatformSpec, SandboxRuntime, resolvePlatform } from '../lib/spec';
import { RuntimeRelease, runtimeRelease } from '../lib/spec/catalog/runtimes';
import { SKIP_SHELLCHECK, expectShellcheckClean } from './shellcheck';

const gvisor = runtimeRelease(SandboxRuntime.GVISOR)!;
const kata = runtimeRelease(SandboxRuntime.KATA)!;
const sha512 = (b: Buffer) => createHash('sha512').update(b).digest('hex');

/** AKS's containerd 2 configuration, abridged (github.com/Azure/AgentBaker containerd_v2_no_GPU.toml.gtpl). */
const AKS_V2 = [
  'version = 2',
  'oom_score = -999',
  '[plugins."io.containerd.cri.v1.images"]',
  '  [plugins."io.containerd.cri.v1.images".pinned_images]',
  '    sandbox = "mcr.microsoft.com/oss/v2/kubernetes/pause:3.6"',
  '[plugins."io.containerd.cri.v1.runtime".containerd]',
  '    default_runtime_name = "runc"',
  '    [plugins."io.containerd.cri.v1.runtime".containerd.runtimes.runc]',
  '      runtime_type = "io.containerd.runc.v2"',
  '[metrics]',
  '  address = "0.0.0.0:10257"',
  '',
].join('\n');
/** The containerd 1.x form (AgentBaker containerd.toml.gtpl). */
const AKS_V1 = [
  'version = 2',
  '[plugins."io.containerd.grpc.v1.cri"]',
  '  sandbox_image = "mcr.microsoft.com/oss/kubernetes/pause:3.6"',
  '  [plugins."io.containerd.grpc.v1.cri".containerd]',
  '    default_runtime_name = "runc"',
  '',
].join('\n');

interface Run {
  status: number | null;
  stdout: string;
  root: string;
  conf: string;
  calls: string;
  downloads: string;
  /** The last ruleset `nft -f` loaded. */
  loaded: string;
}

/** A fake runsc that answers `nvproxy list-supported-drivers` like the real one. */
function fakeRunsc(drivers: string[]): Buffer {
  return Buffer.from(`#!/bin/bash\nif [ "$1 $2" = "nvproxy list-supported-drivers" ]; then printf '%s\\n' ${drivers.map((d) => `'${d}'`).join(' ')}; fi\n`);
}

class Node {
  readonly dir = mkdtempSync(join(tmpdir(), 'aks-installer-'));
  readonly root = join(this.dir, 'root');
  readonly bin = join(this.dir, 'bin');
  readonly served = join(this.dir, 'served');
  readonly files: { [name: string]: Buffer };
  readonly release: RuntimeRelease;

  constructor(config: string | undefined, opts: { drivers?: string[]; tamper?: boolean } = {}) {
    for (const d of [this.root, this.bin, this.served, join(this.root, 'etc/containerd')]) mkdirSync(d, { recursive: true });
    this.files = { runsc: fakeRunsc(opts.drivers ?? ['570.195.03', '580.105.08']), 'containerd-shim-runsc-v1': Buffer.from('#!/bin/sh\necho shim\n') };
    this.release = { ...gvisor, assets: gvisor.assets.map((a) => ({ ...a, digest: sha512(this.files[a.name]) })) };
    for (const [n, b] of Object.entries(this.files)) writeFileSync(join(this.served, n), opts.tamper && n === 'runsc' ? Buffer.concat([b, Buffer.from('#evil\n')]) : b);
    if (config !== undefined) writeFileSync(this.conf, config, { mode: 0o644 });
    const calls = join(this.dir, 'calls.log');
    const stub = (name: string, body: string[]) => {
      writeFileSync(join(this.bin, name), ['#!/bin/bash', ...body, ''].join('\n'));
      chmodSync(join(this.bin, name), 0o755);
    };
    stub('curl', ['out=""; url=""', 'while [ $# -gt 0 ]; do case "$1" in -o) out="$2"; shift 2 ;; -*) shift ;; *) url="$1"; shift ;; esac; done',
      `echo "curl $url" >>'${join(this.dir, 'downloads.log')}'`, `cp "${this.served}/\${url##*/}" "$out"`]);
    // containerd [--config FILE] config dump: the file as containerd would merge it; REJECT in it = a parse error; CDI as STUB_CDI says.
    stub('containerd', [`f='${this.conf}'`, 'if [ "$1" = --config ]; then f="$2"; shift 2; fi',
      `echo "containerd $*" >>'${calls}'`, 'if grep -q REJECT "$f"; then echo "toml: parse error" >&2; exit 1; fi',
      'cat "$f"', 'if [ "${STUB_CDI:-on}" = on ]; then echo "  enable_cdi = true"; else echo "  enable_cdi = false"; fi']);
    // systemctl: records calls; a restart stamps containerd's start time, which `show -p ActiveEnterTimestamp` reports.
    const started = join(this.dir, 'containerd-started');
    stub('systemctl', [`echo "systemctl $*" >>'${calls}'`,
      `if [ "$1" = restart ]; then date -u '+%a %Y-%m-%d %H:%M:%S UTC' >'${started}'; fi`,
      `if [ "$1" = show ]; then cat '${started}' 2>/dev/null || echo 'Thu 1970-01-01 00:00:00 UTC'; fi`]);
    // nft -f FILE: records the call and keeps a copy of what was loaded; STUB_NFT=fail (or a file nft-fail) refuses it.
    stub('nft', [`echo "nft $*" >>'${calls}'`, `if [ "\${STUB_NFT:-ok}" = fail ] || [ -e '${join(this.dir, 'nft-fail')}' ]; then echo "Error: syntax error" >&2; exit 1; fi`,
      `if [ "$1" = -f ]; then cp "$2" '${join(this.dir, 'loaded.nft')}'; fi`]);
    // crictl: STUB_PODS lists "namespace|handler|ip" per pod; --namespace is a regular expression, as in crictl.
    stub('crictl', ['if [ "$1" = pods ]; then re="$3"; i=0; for p in ${STUB_PODS:-}; do i=$((i+1)); [[ "${p%%|*}" =~ $re ]] && echo "pod$i"; done; exit 0; fi',
      'if [ "$1" = inspectp ]; then id="${*: -1}"; i=0; for p in ${STUB_PODS:-}; do i=$((i+1)); [ "pod$i" = "$id" ] || continue;',
      '  case "$*" in *namespaces*) echo "/var/run/netns/cni-$id" ;; *) echo "$p" ;; esac; done; exit 0; fi',
      'exit 1']);
    // Download retries and the recheck loop sleep: not in tests (the drift test replaces this).
    stub('sleep', ['exit 0']);
    stub('nvidia-smi', ['echo "${STUB_DRIVER:-580.105.08}"']);
    // nsenter --net=/var/run/netns/cni-podN cat /sys/class/net/eth0/iflink: the host-side peer of pod N is ifindex 100 + N,
    // named lxcpodN under the test root's /sys/class/net.
    stub('nsenter', ['n="${1#--net=/var/run/netns/cni-pod}"; echo $((100 + n))']);
    for (let n = 1; n <= 12; n++) {
      mkdirSync(join(this.root, `sys/class/net/lxcpod${n}`), { recursive: true });
      writeFileSync(join(this.root, `sys/class/net/lxcpod${n}/ifindex`), `${100 + n}\n`);
    }
    mkdirSync(join(this.root, 'usr/bin'), { recursive: true });
    writeFileSync(join(this.root, 'usr/bin/nvidia-ctk'), '#!/bin/sh\n', { mode: 0o755 });
  }

  get conf(): string {
    return join(this.root, CONTAINERD_CONFIG);
  }

  run(handler: string, gpu = false, env: { [k: string]: string } = {}, once = true, opts: Partial<NodeRuntimeInstallerOptions> = {}): Run {
    const script = renderNodeRuntimeInstaller({ release: this.release, handler, gpu, gpuDriverHint: 'pin a gVisor release that supports it', ...opts });
    const file = join(this.dir, `${handler}.sh`);
    writeFileSync(file, script);
    const r = spawnSync('bash', [file], {
      encoding: 'utf8', timeout: 60_000,
      env: { PATH: `${this.bin}:/usr/bin:/bin`, SANDBOX_RUNTIME_ROOT: this.root, ...(once ? { SANDBOX_INSTALLER_ONCE: '1' } : {}), ...env },
    });
    const read = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8') : '');
    return { status: r.status, stdout: r.stdout + r.stderr, root: this.root, conf: read(this.conf), calls: read(join(this.dir, 'calls.log')),
      downloads: read(join(this.dir, 'downloads.log')), loaded: read(join(this.dir, 'loaded.nft')) };
  }

  ready(handler: string): boolean {
    return existsSync(join(this.root, nodeInstallerReadyFile(handler)));
  }
}

const restarts = (r: Run) => r.calls.split('\n').filter((l) => l === 'systemctl restart containerd').length;
const block = (handler: string, plugin: string) => {
  const m = containerdBlockMarkers(handler);
  return `\n${m.begin}\n${containerdHandlerBlock(handler, plugin)}\n${m.end}\n`;
};

const GUARD = hostGuardFor(CloudProvider.AZURE, EgressMode.FIREWALL);
const AKS_GUARD = { guard: GUARD, interfacePatterns: [...AKS_POD_INTERFACE_PATTERNS] };

/** AKS's Kata runtime tables as AgentBaker renders them on a Pod Sandboxing node (containerd_v2.toml.gtpl, GetIsKata). */
const AKS_KATA = [
  '[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.kata]',
  '  runtime_type = "io.containerd.kata.v2"',
  '  privileged_without_host_devices = true',
  '  snapshotter = "overlayfs"',
  '  [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.kata.options]',
  '    ConfigPath = "/usr/share/defaults/kata-containers/configuration.toml"',
  '[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.kata-preview]',
  '  runtime_type = "io.containerd.kata.v2"',
  '  snapshotter = "erofs"',
  '  [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.kata-preview.options]',
  '    ConfigPath = "/usr/share/defaults/kata-containers/configuration-clh-preview.toml"',
  '',
].join('\n');

describe('node runtime installer: the script on an AKS node', () => {
  it('containerd 2: installs the verified binaries, appends the handler in the cri.v1.runtime form, restarts containerd once, then is ready', () => {
    const node = new Node(AKS_V2);
    const r = node.run('runsc');
    expect([r.status, r.stdout]).toEqual([0, expect.stringContaining('installed, verified and registered')]);
    for (const n of ['runsc', 'containerd-shim-runsc-v1']) expect(readFileSync(join(node.root, 'usr/local/bin', n))).toEqual(node.files[n]);
    expect(readFileSync(join(node.root, 'etc/containerd/runsc.toml'), 'utf8')).toContain('[runsc_config]');
    expect(r.conf).toBe(AKS_V2 + block('runsc', 'io.containerd.cri.v1.runtime'));
    expect(restarts(r)).toBe(1);
    // containerd parsed the candidate file before it replaced the live one.
    expect(r.calls.indexOf('containerd config dump')).toBeLessThan(r.calls.indexOf('systemctl restart containerd'));
    expect(node.ready('runsc')).toBe(true);
    expect(r.downloads.split('\n').filter(Boolean)).toEqual(gvisor.assets.map((a) => `curl ${a.url}`));
  });

  it('containerd 1.x: the grpc.v1.cri form', () => {
    const r = new Node(AKS_V1).run('runsc');
    expect(r.status).toBe(0);
    expect(r.conf).toBe(AKS_V1 + block('runsc', 'io.containerd.grpc.v1.cri'));
  });

  it('a second run changes nothing and restarts nothing; a rewritten file (node image upgrade) gets the block back', () => {
    const node = new Node(AKS_V2);
    node.run('runsc');
    const again = node.run('runsc');
    expect([again.status, restarts(again)]).toEqual([0, 1]);
    expect(again.conf).toBe(AKS_V2 + block('runsc', 'io.containerd.cri.v1.runtime'));
    writeFileSync(node.conf, AKS_V2);
    const third = node.run('runsc');
    expect([third.status, restarts(third)]).toEqual([0, 2]);
    expect(third.conf).toBe(AKS_V2 + block('runsc', 'io.containerd.cri.v1.runtime'));
  });

  it('replaces an outdated or half-written block of its own, leaving one block', () => {
    const node = new Node(AKS_V2);
    const m = containerdBlockMarkers('runsc');
    writeFileSync(node.conf, `${AKS_V2}\n${m.begin}\n[plugins."io.containerd.cri.v1.runtime".containerd.runtimes.runsc]\nruntime_type = "old"\n${m.end}\n`);
    const r = node.run('runsc');
    expect(r.status).toBe(0);
    expect(r.conf).toBe(`${AKS_V2}${block('runsc', 'io.containerd.cri.v1.runtime')}`);
  });

  it('drift in the loop: a block removed while it runs is put back (containerd restarted again) and the node is ready again', () => {
    const node = new Node(AKS_V2);
    // sleep: first call rewrites config.toml as AKS would; the second ends the run.
    writeFileSync(join(node.bin, 'sleep'), ['#!/bin/bash', `c='${join(node.dir, 'sleeps')}'`, 'n=$(( $(cat "$c" 2>/dev/null || echo 0) + 1 ))', 'echo "$n" >"$c"',
      `if [ "$n" = 1 ]; then printf '%s' '${AKS_V2}' >'${node.conf}'; else kill -TERM "$PPID"; fi`, ''].join('\n'), { mode: 0o755 });
    const r = node.run('runsc', false, {}, false);
    expect(r.status).not.toBe(0); // ended by the stub
    expect(r.stdout).toContain('drift: the installed runtime or its containerd block changed');
    expect(restarts(r)).toBe(2);
    expect(r.conf).toBe(AKS_V2 + block('runsc', 'io.containerd.cri.v1.runtime'));
    expect(node.ready('runsc')).toBe(true);
  });

  it('drift in the loop: a binary replaced on the host is detected and reinstalled from the verified cache', () => {
    const node = new Node(AKS_V2);
    const runsc = join(node.root, 'usr/local/bin/runsc');
    writeFileSync(join(node.bin, 'sleep'), ['#!/bin/bash', `c='${join(node.dir, 'sleeps')}'`, 'n=$(( $(cat "$c" 2>/dev/null || echo 0) + 1 ))', 'echo "$n" >"$c"',
      `if [ "$n" = 1 ]; then echo evil >'${runsc}'; else kill -TERM "$PPID"; fi`, ''].join('\n'), { mode: 0o755 });
    const r = node.run('runsc', false, {}, false);
    expect(r.stdout).toContain('drift: the installed runtime or its containerd block changed');
    expect(readFileSync(runsc)).toEqual(node.files.runsc);
    // The block was still current: no second restart.
    expect(restarts(r)).toBe(1);
  });

  it('a tampered download fails before anything is installed or the configuration touched', () => {
    const node = new Node(AKS_V2, { tamper: true });
    const r = node.run('runsc');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/checksum mismatch \(pinned sha512\); nothing installed/);
    expect(existsSync(join(node.root, 'usr/local/bin/runsc'))).toBe(false);
    expect([r.conf, restarts(r), node.ready('runsc')]).toEqual([AKS_V2, 0, false]);
  });

  it('refuses to touch a runtime named like its handler that it did not write', () => {
    const foreign = `${AKS_V2}[plugins."io.containerd.cri.v1.runtime".containerd.runtimes.runsc]\n  runtime_type = "io.containerd.runsc.v1"\n`;
    const node = new Node(foreign);
    const r = node.run('runsc');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/already defines a runtime named runsc that this agent did not write/);
    expect([r.conf, restarts(r), node.ready('runsc')]).toEqual([foreign, 0, false]);
  });

  it('leaves the file alone when containerd rejects the result, or when there is no configuration', () => {
    const node = new Node(`${AKS_V2}# REJECT\n`);
    const r = node.run('runsc');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/containerd rejects .* with handler runsc added .*the file is unchanged/);
    expect([r.conf, restarts(r)]).toEqual([`${AKS_V2}# REJECT\n`, 0]);
    const none = new Node(undefined).run('runsc');
    expect(none.status).toBe(1);
    expect(none.stdout).toMatch(/config\.toml is missing/);
  });

  it('GPU: runsc-nvidia with nvproxy when runsc supports the driver and CDI is on', () => {
    const node = new Node(AKS_V2);
    const r = node.run('runsc-nvidia', true);
    expect(r.status).toBe(0);
    expect(readFileSync(join(node.root, 'etc/containerd/runsc-nvidia.toml'), 'utf8')).toContain('nvproxy = "true"');
    expect(r.conf).toBe(AKS_V2 + block('runsc-nvidia', 'io.containerd.cri.v1.runtime'));
    expect(r.stdout).toContain('NVIDIA driver 580.105.08 is supported by runsc nvproxy');
  });

  it('GPU: a driver runsc does not support, or CDI off, fails with the reason and leaves containerd alone', () => {
    const node = new Node(AKS_V2);
    const driver = node.run('runsc-nvidia', true, { STUB_DRIVER: '535.54.03' });
    expect(driver.status).toBe(1);
    expect(driver.stdout).toMatch(/NVIDIA driver 535\.54\.03 is not one runsc supports \(570\.195\.03, 580\.105\.08\); pin a gVisor release/);
    expect([driver.conf, restarts(driver)]).toEqual([AKS_V2, 0]);
    const cdi = node.run('runsc-nvidia', true, { STUB_CDI: 'off' });
    expect(cdi.status).toBe(1);
    expect(cdi.stdout).toMatch(/containerd has CDI off \(enable_cdi\).*is unchanged/);
    expect([cdi.conf, restarts(cdi), node.ready('runsc-nvidia')]).toEqual([AKS_V2, 0, false]);
  });

  it('guard first: the guard table is loaded before the handler exists, with kube-system pods under the default runtime exempt', () => {
    const node = new Node(AKS_V2);
    const pods = 'kube-system||10.244.1.5 kube-system|runc|10.244.1.6 kube-system|runsc|10.244.1.7 vendor||10.244.1.8 kube-system||not-an-ip ' +
      'my-kube-system||10.244.1.9 kube-system-x||10.244.1.10';
    const r = node.run('runsc', false, { STUB_PODS: pods }, true, { guard: AKS_GUARD });
    expect(r.status).toBe(0);
    expect(r.calls.indexOf('nft -f')).toBeGreaterThanOrEqual(0);
    expect(r.calls.indexOf('nft -f')).toBeLessThan(r.calls.indexOf('systemctl restart containerd'));
    expect(r.loaded).toContain('table inet sandbox_guard {');
    expect(r.loaded).toContain('elements = { 169.254.0.0/16, 168.63.129.16 }');
    expect(r.loaded).toContain('iifname "lxc*" jump sandbox_guard');
    expect(r.loaded).toContain('iifname "azv*" jump sandbox_guard');
    // Only kube-system pods under the default runtime: not a gVisor pod there, not another namespace, never a non-address.
    // Each bound to its pod's host-side interface (the peer of its eth0).
    expect(r.loaded.trim().split('\n').pop()).toBe('add element inet sandbox_guard exempt_v4 { "lxcpod1" . 10.244.1.5,"lxcpod2" . 10.244.1.6 }');
    expect(r.loaded).toContain('type ifname . ipv4_addr');
    expect(r.loaded.indexOf('iifname . ip saddr @exempt_v4 return')).toBeLessThan(r.loaded.indexOf('ip daddr @blocked_v4 drop'));
    expect(r.stdout).toContain('guard loaded; exempt: "lxcpod1" . 10.244.1.5,"lxcpod2" . 10.244.1.6');
    expect(readFileSync(join(node.root, NODE_GUARD_RULESET), 'utf8')).toBe(r.loaded);
    // After a reboot containerd loads the guard (without exemptions) before it starts: the drop-in and its ruleset,
    // in place (and systemd reloaded) before the first restart.
    const boot = readFileSync(join(node.root, NODE_GUARD_BOOT_RULESET), 'utf8');
    expect(boot).toBe(r.loaded.replace(/add element .*\n$/, ''));
    expect(readFileSync(join(node.root, CONTAINERD_GUARD_DROPIN), 'utf8')).toBe([
      '# cdktf-sandbox-byoc: containerd starts only once the sandbox guard is loaded (generated; do not edit).', '[Service]',
      `ExecStartPre=${join(node.bin, 'nft')} -f ${NODE_GUARD_BOOT_RULESET}`, ''].join('\n'));
    expect(r.calls.indexOf('systemctl daemon-reload')).toBeLessThan(r.calls.indexOf('systemctl restart containerd'));
    const again = node.run('runsc', false, { STUB_PODS: pods }, true, { guard: AKS_GUARD });
    expect(again.calls.split('\n').filter((l) => l === 'systemctl daemon-reload')).toHaveLength(1);
  });

  it('the configuration is current but containerd started before it changed (the agent died in between): it restarts containerd', () => {
    const node = new Node(AKS_V2);
    node.run('runsc');
    writeFileSync(join(node.dir, 'containerd-started'), 'Thu 2020-01-02 00:00:00 UTC\n');
    const r = node.run('runsc');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('containerd started before');
    expect(restarts(r)).toBe(2);
    expect(restarts(node.run('runsc'))).toBe(2);
  });

  it('a guard nft refuses leaves the handler unregistered (fail closed); without crictl nothing is exempt', () => {
    const node = new Node(AKS_V2);
    const r = node.run('runsc', false, { STUB_NFT: 'fail' }, true, { guard: AKS_GUARD });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/nft could not load .*sandbox-guard\.nft: pod traffic is not guarded, so handler runsc is not registered/);
    expect([r.conf, restarts(r), node.ready('runsc')]).toEqual([AKS_V2, 0, false]);
    expect(r.downloads).toBe('');
    rmSync(join(node.bin, 'crictl'));
    const ok = node.run('runsc', false, { STUB_PODS: 'kube-system||10.244.1.5' }, true, { guard: AKS_GUARD });
    // (crictl gone: nothing can be bound to an interface, so nothing is exempt.)
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('WARN crictl is missing: no pod is exempt from the guard');
    expect(ok.loaded).not.toContain('add element');
  });

  it('a guard that stops loading later takes the handler out again (fail closed) before the agent exits', () => {
    const node = new Node(AKS_V2);
    writeFileSync(join(node.bin, 'sleep'), ['#!/bin/bash', `touch '${join(node.dir, 'nft-fail')}'`, ''].join('\n'), { mode: 0o755 });
    const r = node.run('runsc', false, {}, false, { guard: AKS_GUARD });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('removed handler runsc from');
    expect([r.conf, restarts(r), node.ready('runsc')]).toEqual([AKS_V2, 2, false]);
    // The drop-in would make containerd load the very table that failed: it goes too, before the restart.
    expect(existsSync(join(node.root, CONTAINERD_GUARD_DROPIN))).toBe(false);
  });

  it('the loop reloads the guard on every check, with the exemptions of that moment', () => {
    const node = new Node(AKS_V2);
    writeFileSync(join(node.bin, 'sleep'), ['#!/bin/bash', `c='${join(node.dir, 'sleeps')}'`, 'n=$(( $(cat "$c" 2>/dev/null || echo 0) + 1 ))', 'echo "$n" >"$c"',
      'if [ "$n" -ge 2 ]; then kill -TERM "$PPID"; fi', ''].join('\n'), { mode: 0o755 });
    const r = node.run('runsc', false, { STUB_PODS: 'kube-system||10.244.1.5' }, false, { guard: AKS_GUARD });
    // Before the handler, again after the containerd restart (which loaded the boot table), then once per check.
    expect(r.calls.split('\n').filter((l) => l.startsWith('nft -f'))).toHaveLength(3);
    expect(restarts(r)).toBe(1);
  });

  it('Kata: registers kata-guarded as a copy of AKS\'s kata runtime (not kata-preview), after the guard; nothing downloaded', () => {
    const conf = `${AKS_V2}${AKS_KATA}`;
    const node = new Node(conf);
    const r = node.run('kata-guarded', false, {}, true, { release: undefined, copyOf: 'kata', guard: AKS_GUARD });
    expect([r.status, r.downloads]).toEqual([0, '']);
    const m = containerdBlockMarkers('kata-guarded');
    expect(r.conf).toBe(`${conf}\n${m.begin}\n${[
      '[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.kata-guarded]',
      'privileged_without_host_devices = true',
      'runtime_type = "io.containerd.kata.v2"',
      'snapshotter = "overlayfs"',
      '[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.kata-guarded.options]',
      'ConfigPath = "/usr/share/defaults/kata-containers/configuration.toml"',
    ].join('\n')}\n${m.end}\n`);
    expect(r.calls.indexOf('nft -f')).toBeLessThan(r.calls.indexOf('systemctl restart containerd'));
    expect(node.ready('kata-guarded')).toBe(true);
    // Unchanged AKS runtime: nothing to do. A changed one (AKS moved its configuration): the copy follows.
    expect(restarts(node.run('kata-guarded', false, {}, true, { release: undefined, copyOf: 'kata', guard: AKS_GUARD }))).toBe(1);
    writeFileSync(node.conf, conf.replace('configuration.toml"', 'configuration-clh.toml"'));
    const moved = node.run('kata-guarded', false, {}, true, { release: undefined, copyOf: 'kata', guard: AKS_GUARD });
    expect(restarts(moved)).toBe(2);
    expect(moved.conf).toContain('ConfigPath = "/usr/share/defaults/kata-containers/configuration-clh.toml"\n# END');
  });

  it('Kata on the containerd-1 template (no privileged_without_host_devices, katacli beside it): the copy adds it, skips katacli', () => {
    const v1kata = `${AKS_V1}[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.kata] # Pod Sandboxing\n  runtime_type = "io.containerd.kata.v2"\n` +
      '  snapshotter = "overlayfs"\n  privileged_without_host_devices = false\n[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.katacli]\n' +
      '  runtime_type = "io.containerd.runc.v1"\n';
    const node = new Node(v1kata);
    const r = node.run('kata-guarded', false, {}, true, { release: undefined, copyOf: 'kata' });
    expect(r.status).toBe(0);
    const m = containerdBlockMarkers('kata-guarded');
    expect(r.conf).toBe(`${v1kata}\n${m.begin}\n${[
      '[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.kata-guarded]',
      'privileged_without_host_devices = true',
      'runtime_type = "io.containerd.kata.v2"',
      'snapshotter = "overlayfs"',
    ].join('\n')}\n${m.end}\n`);
  });

  it('Kata: a node without AKS\'s kata runtime fails with the reason and is left alone', () => {
    const r = new Node(AKS_V2).run('kata-guarded', false, {}, true, { release: undefined, copyOf: 'kata' });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/has no runtime kata to copy: is this an AKS Pod Sandboxing \(KataVmIsolation\) node\?/);
    expect([r.conf, restarts(r)]).toEqual([AKS_V2, 0]);
  });

  it('refuses what it cannot install', () => {
    expect(() => renderNodeRuntimeInstaller({ release: kata, handler: 'kata' })).toThrow(/installs gVisor only/);
    expect(() => renderNodeRuntimeInstaller({ handler: 'kata-guarded' })).toThrow(/exactly one of release/);
    expect(() => renderNodeRuntimeInstaller({ release: gvisor, copyOf: 'kata', handler: 'x' })).toThrow(/exactly one of release/);
    expect(() => renderNodeRuntimeInstaller({ copyOf: 'kata', handler: 'kata' })).toThrow(/must be another handler name/);
    expect(() => renderNodeRuntimeInstaller({ copyOf: 'kata', handler: 'k', gpu: true })).toThrow(/GPU nodes run gVisor/);
    expect(() => renderNodeRuntimeInstaller({ copyOf: 'kata', handler: 'k', guard: { guard: GUARD, interfacePatterns: [] } })).toThrow(/interfacePatterns/);
    expect(() => renderNodeRuntimeInstaller({ copyOf: 'kata', handler: 'k', guard: { guard: GUARD, interfacePatterns: ['lxc*"; drop'] } }))
      .toThrow(/interfacePatterns/);
    expect(() => renderNodeRuntimeInstaller({ copyOf: 'kata', handler: 'k', guard: { guard: GUARD, interfacePatterns: ['lxc*'], exemptNamespaces: ['Kube System'] } }))
      .toThrow(/exempt namespace "Kube System"/);
    expect(() => renderNodeRuntimeInstaller({ release: gvisor, handler: 'runsc', recheckSeconds: 1 })).toThrow(/from 10 to 3600/);
    expect(() => renderNodeRuntimeInstaller({ release: gvisor, handler: 'Bad' })).toThrow(/handler "Bad"/);
    expect(NODE_INSTALLER_RECHECK_SECONDS).toBe(60);
  });

  (SKIP_SHELLCHECK ? it.skip : it)('passes shellcheck (CPU and GPU)', () => {
    expectShellcheckClean(renderNodeRuntimeInstaller({ release: gvisor, handler: 'runsc' }), 'runsc');
    expectShellcheckClean(renderNodeRuntimeInstaller({ release: gvisor, handler: 'runsc-nvidia', gpu: true, guard: AKS_GUARD }), 'runsc-nvidia');
    expectShellcheckClean(renderNodeRuntimeInstaller({ copyOf: 'kata', handler: 'kata-guarded', guard: AKS_GUARD }), 'kata-guarded');
  });
});

type Obj = { [key: string]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('AKS manifests: the node agents', () => {
  const plan = resolvePlatform({
    name: 'acme', deployment: 'managed', compliance: 'hipaa', orchestrator: 'kubernetes',
    sandboxPools: [{ name: 'kata', runtime: 'kata' }, { name: 'gv', runtime: 'gvisor' }], gpuPools: [{ name: 't4', gpu: 't4' }],
  } as unknown as SandboxPlatformSpec, CloudProvider.AZURE);
  const list = aksKubernetesManifests('acme', plan.kubernetes!, EgressMode.FIREWALL) as { items: Obj[] };
  const of = (kind: string) => list.items.filter((i) => i.kind === kind);
  const agents = of('DaemonSet').filter((d) => d.metadata.name.endsWith('-node-agent'));

  it('RuntimeClasses, the device plugin, then a ConfigMap and a DaemonSet per RuntimeClass', () => {
    expect(list.items.map((i) => `${i.kind}/${i.metadata.name}`)).toEqual([
      'RuntimeClass/sandbox-gvisor', 'RuntimeClass/sandbox-gvisor-gpu', 'RuntimeClass/sandbox-kata', 'DaemonSet/nvidia-device-plugin-daemonset',
      'ConfigMap/sandbox-gvisor-node-agent', 'DaemonSet/sandbox-gvisor-node-agent', 'ConfigMap/sandbox-gvisor-gpu-node-agent',
      'DaemonSet/sandbox-gvisor-gpu-node-agent', 'ConfigMap/sandbox-kata-node-agent', 'DaemonSet/sandbox-kata-node-agent',
    ]);
    expect(of('RuntimeClass').map((rc) => [rc.metadata.name, rc.handler])).toEqual([
      ['sandbox-gvisor', 'runsc'], ['sandbox-gvisor-gpu', 'runsc-nvidia'], ['sandbox-kata', 'kata-guarded']]);
  });

  it('each agent runs its class\'s script (guard, then runtime), on its class\'s nodes only, and rolls when the script changes', () => {
    for (const [rc, handler, gpu] of [['sandbox-gvisor', 'runsc', false], ['sandbox-gvisor-gpu', 'runsc-nvidia', true], ['sandbox-kata', 'kata-guarded', false]] as const) {
      const name = aksNodeAgentName(rc);
      const script = of('ConfigMap').find((c) => c.metadata.name === name)!.data['node-agent.sh'];
      expect(script).toContain(`.containerd.runtimes.${handler}]`);
      expect(script).toContain('sandbox_apply_guard');
      expect(script).toContain('elements = { 169.254.0.0/16, 168.63.129.16 }');
      expect(script.includes('storage.googleapis.com')).toBe(handler !== 'kata-guarded');
      expect(script.includes('nvproxy = "true"')).toBe(gpu);
      const ds = agents.find((d) => d.metadata.name === name)!;
      const pod = ds.spec.template.spec;
      expect(ds.spec.template.metadata.annotations['cdktf-sandbox-byoc.io/node-agent-sha256']).toBe(createHash('sha256').update(script).digest('hex'));
      expect(pod.nodeSelector).toEqual({ [KUBERNETES_LABELS.runtimeClass]: rc, 'kubernetes.io/os': 'linux' });
      expect(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([{
        matchExpressions: [{ key: 'kubernetes.azure.com/ebpf-host-routing', operator: 'NotIn', values: ['true'] }],
      }]);
      expect(pod.tolerations).toContainEqual({ key: KUBERNETES_LABELS.runtimeClass, operator: 'Equal', value: rc, effect: 'NoSchedule' });
      expect(pod.tolerations.some((t: Obj) => t.key === 'nvidia.com/gpu')).toBe(gpu);
      expect(pod.volumes).toContainEqual({ name: 'node-agent', configMap: { name, defaultMode: 0o444 } });
      expect(pod.containers[0].readinessProbe.exec.command).toEqual(['/usr/bin/test', '-f', `/host${nodeInstallerReadyFile(handler)}`]);
    }
    // NAT egress: sandboxes keep DNS to Azure's resolver (hostGuardFor); firewall egress: none.
    const nat = aksKubernetesManifests('acme', plan.kubernetes!, EgressMode.NAT) as { items: Obj[] };
    const natScript = nat.items.find((i) => i.kind === 'ConfigMap')!.data['node-agent.sh'];
    expect(natScript).toMatch(/set dns_v4 \{\n\s+type ipv4_addr\n\s+flags interval\n\s+elements = \{ 168\.63\.129\.16 \}/);
    expect(of('ConfigMap')[0].data['node-agent.sh']).toMatch(/set dns_v4 \{\n\s+type ipv4_addr\n\s+flags interval\n\s+\}/);
  });

  it('host access is what the script needs and no more: host PID and root, privileged, no service-account token, a digest-pinned MCR image', () => {
    expect(agents).toHaveLength(3);
    for (const ds of agents) {
      const pod = ds.spec.template.spec;
      expect(pod).toMatchObject({ hostPID: true, automountServiceAccountToken: false, enableServiceLinks: false, priorityClassName: 'system-node-critical' });
      expect(pod.hostNetwork).toBeUndefined();
      expect(pod.serviceAccountName).toBeUndefined();
      const c = pod.containers[0];
      expect(c.image).toBe(AKS_NODE_AGENT_IMAGE);
      expect(c.image).toMatch(/^mcr\.microsoft\.com\/[a-z0-9/]+:[0-9.]+@sha256:[0-9a-f]{64}$/);
      expect(c.securityContext).toEqual({ privileged: true });
      expect(c.env).toEqual([{ name: 'PATH', value: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' }]);
      expect(c.command.join(' ')).toBe('/bin/bash -c exec chroot /host nsenter --target 1 --mount --uts --ipc --net --pid -- /bin/bash -s </node-agent/node-agent.sh');
      expect(pod.volumes).toContainEqual({ name: 'host', hostPath: { path: '/', type: 'Directory' } });
    }
    // The device plugin stays unprivileged.
    const plugin = of('DaemonSet').find((d) => d.metadata.name === 'nvidia-device-plugin-daemonset')!;
    expect(plugin.spec.template.spec.hostPID).toBeUndefined();
    expect(plugin.spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation).toBe(false);
  });
});
