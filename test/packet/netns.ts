/**
 * A three-role lab in Linux network namespaces for packet-level tests of the host guard:
 * - host: routes (and masquerades) sandbox traffic to its uplink, holds the nftables guard and a
 *   few services of its own (a link-local one, and the sandbox gateway address);
 * - sandboxes: one namespace per sandbox interface name (tap0, veth0, ...), whose host side is the
 *   named veth end, as the runtimes name theirs;
 * - services: every address a sandbox might try to reach (metadata, resolvers, WireServer, Google
 *   VIPs, an "internet" address from a documentation range), answering on TCP and UDP ports.
 * Packets only travel between these namespaces; every address lives inside them. For the DNS filter,
 * the services namespace also runs a DNS server (the VPC resolver's stand-in, {@link DNS_UPSTREAM})
 * and the host namespace the rendered filter program.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

const NODE = process.execPath;
const LISTENER = join(__dirname, 'listener.js');
const PROBE = join(__dirname, 'probe.js');
const DNS = join(__dirname, 'dns.js');

/** Why packet tests cannot run here, or undefined when they can. */
export function packetTestBlocker(): string | undefined {
  if (process.platform !== 'linux') return `needs Linux (this is ${process.platform})`;
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'needs root (network namespaces, nftables)';
  for (const [tool, what] of [['ip', 'iproute2'], ['nft', 'nftables'], ['python3', 'python3, for the DNS filter']]) {
    const r = spawnSync(tool, [tool === 'ip' ? '-V' : '--version'], { encoding: 'utf8' });
    if (r.error || r.status !== 0) return `needs the ${tool} command (${what})`;
  }
  const probe = `sgprobe${process.pid}`;
  const add = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8' });
  if (add.status !== 0) return `cannot create a network namespace: ${add.stderr.trim()}`;
  const nft = spawnSync('ip', ['netns', 'exec', probe, 'nft', 'list', 'ruleset'], { encoding: 'utf8' });
  spawnSync('ip', ['netns', 'del', probe]);
  if (nft.status !== 0) return `nftables does not work in a namespace: ${nft.stderr.trim()}`;
  return undefined;
}

/** Runs a command (in namespace `ns` when given); throws with its stderr when it fails. */
function run(args: string[], ns?: string): string {
  const argv = ns ? ['ip', 'netns', 'exec', ns, ...args] : args;
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed: ${r.stderr || r.error?.message}`);
  return r.stdout;
}

export interface Target {
  readonly proto: 'tcp' | 'udp';
  readonly address: string;
  readonly port: number;
  /** TCP only: the source address to connect from. */
  readonly localAddress?: string;
}

export const key = (t: Target): string => `${t.proto} ${t.address} ${t.port}`;

/** Addresses the services namespace owns (each answers on SERVICE_TCP_PORTS and SERVICE_UDP_PORTS). */
export const SERVICE_V4 = [
  '169.254.169.254', '169.254.169.253', '169.254.169.123', '169.254.170.2', '169.254.170.23',
  '168.63.129.16', '199.36.153.4', '199.36.153.8', '199.36.153.12', '10.64.0.2', '10.64.1.20', '192.0.2.10',
];
export const SERVICE_V6 = ['fd00:ec2::254', 'fd00:ec2::253', '2001:db8::10'];
export const SERVICE_TCP_PORTS = [53, 80, 443, 32526];
export const SERVICE_UDP_PORTS = [53, 123];
/** A link-local service of the host itself, and the host's port on every sandbox gateway address. */
export const HOST_LINK_LOCAL = '169.254.1.1';
export const HOST_TCP_PORTS = [80, 8080];
/** A port every sandbox namespace listens on (connections opened to the sandbox from outside). */
export const SANDBOX_TCP_PORT = 9000;
/** The stand-in for the host's resolver (GCP metadata server, Azure firewall DNS proxy): the services namespace's uplink address. */
export const DNS_UPSTREAM = { address: '10.99.0.2', port: 53 };
/** The address every A query to {@link DNS_UPSTREAM} resolves to: the "internet" address. */
export const DNS_ANSWER = '192.0.2.10';
/** The host's uplink address (what other machines of the network see). */
export const HOST_UPLINK = '10.99.0.1';

export interface DnsQuery {
  readonly server: string;
  readonly port: number;
  readonly name: string;
  /** Query type; default 1 (A). */
  readonly type?: number;
}

/** null: no answer; otherwise the answer's rcode, A records and source address. */
export type DnsResult = { readonly rcode: number; readonly addresses: readonly string[]; readonly from: string } | null;

export const dnsKey = (q: DnsQuery): string => `${q.server} ${q.port} ${q.name}`;

export class PacketLab {
  public readonly host: string;
  public readonly services: string;
  private readonly sandboxes = new Map<string, { ns: string; gateway4: string; gateway6: string; address4: string; hostLinkLocal6?: string }>();
  private readonly children: ChildProcess[] = [];
  /** Lines the services namespace's UDP listeners printed: "udp <address> <port> from <source>". */
  public readonly servicesUdpSeen: string[] = [];
  /** Queries the DNS upstream stand-in received, in order. */
  public readonly upstreamQueries: { readonly from: string; readonly name: string; readonly type: number }[] = [];
  private tmp?: string;
  private dnsFilter?: ChildProcess;
  private drains = 0;

  /**
   * @param sandboxInterfaces host-side interface names, one sandbox namespace behind each; "bridge/port"
   * puts the sandbox behind a Linux bridge named `bridge`, on a veth port named `port`.
   */
  constructor(private readonly sandboxInterfaces: readonly string[]) {
    const tag = `sg${process.pid}`;
    this.host = `${tag}-host`;
    this.services = `${tag}-svc`;
  }

  public async start(): Promise<void> {
    const { host, services } = this;
    for (const ns of [host, services]) {
      run(['ip', 'netns', 'add', ns]);
      run(['ip', 'link', 'set', 'lo', 'up'], ns);
    }
    // Uplink: host uplink0 <-> services eth0.
    run(['ip', 'link', 'add', 'uplink0', 'netns', host, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', services]);
    run(['ip', 'addr', 'add', '10.99.0.1/24', 'dev', 'uplink0'], host);
    run(['ip', '-6', 'addr', 'add', 'fd00:99::1/64', 'dev', 'uplink0', 'nodad'], host);
    run(['ip', 'link', 'set', 'uplink0', 'up'], host);
    run(['ip', 'addr', 'add', '10.99.0.2/24', 'dev', 'eth0'], services);
    run(['ip', '-6', 'addr', 'add', 'fd00:99::2/64', 'dev', 'eth0', 'nodad'], services);
    run(['ip', 'link', 'set', 'eth0', 'up'], services);
    for (const a of SERVICE_V4) run(['ip', 'addr', 'add', `${a}/32`, 'dev', 'lo'], services);
    for (const a of SERVICE_V6) run(['ip', '-6', 'addr', 'add', `${a}/128`, 'dev', 'lo', 'nodad'], services);
    run(['ip', 'route', 'add', 'default', 'via', '10.99.0.2'], host);
    run(['ip', 'route', 'add', '10.200.0.0/16', 'via', '10.99.0.1'], services);
    run(['ip', '-6', 'route', 'add', 'default', 'via', 'fd00:99::2'], host);
    run(['sysctl', '-qw', 'net.ipv4.ip_forward=1'], host);
    run(['sysctl', '-qw', 'net.ipv6.conf.all.forwarding=1'], host);
    // The host NATs its sandboxes, as the platforms' hosts do.
    run(['nft', 'add table inet lab_nat; add chain inet lab_nat post { type nat hook postrouting priority 100; }; add rule inet lab_nat post oifname "uplink0" masquerade'], host);
    // A link-local service of the host itself.
    run(['ip', 'addr', 'add', `${HOST_LINK_LOCAL}/32`, 'dev', 'lo'], host);

    this.sandboxInterfaces.forEach((name, i) => {
      const ns = `sg${process.pid}-s${i}`;
      const [ifname, port] = name.split('/');
      run(['ip', 'netns', 'add', ns]);
      run(['ip', 'link', 'set', 'lo', 'up'], ns);
      run(['ip', 'link', 'add', port ?? ifname, 'netns', host, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
      if (port) {
        run(['ip', 'link', 'add', ifname, 'type', 'bridge'], host);
        run(['ip', 'link', 'set', port, 'master', ifname], host);
        run(['ip', 'link', 'set', port, 'up'], host);
      }
      const gateway4 = `10.200.${i}.1`;
      const gateway6 = `fd00:200:${i}::1`;
      run(['ip', 'addr', 'add', `${gateway4}/24`, 'dev', ifname], host);
      run(['ip', '-6', 'addr', 'add', `${gateway6}/64`, 'dev', ifname, 'nodad'], host);
      run(['ip', 'link', 'set', ifname, 'up'], host);
      run(['ip', 'addr', 'add', `10.200.${i}.2/24`, 'dev', 'eth0'], ns);
      run(['ip', '-6', 'addr', 'add', `fd00:200:${i}::2/64`, 'dev', 'eth0', 'nodad'], ns);
      run(['ip', 'link', 'set', 'eth0', 'up'], ns);
      run(['ip', 'route', 'add', 'default', 'via', gateway4], ns);
      run(['ip', '-6', 'route', 'add', 'default', 'via', gateway6], ns);
      const ll = run(['ip', '-6', '-o', 'addr', 'show', 'dev', ifname, 'scope', 'link'], host).match(/inet6 (fe80::[0-9a-f:]+)\//)?.[1];
      this.sandboxes.set(ifname, { ns, gateway4, gateway6, address4: `10.200.${i}.2`, hostLinkLocal6: ll });
    });

    await this.listen(services, { tcp: SERVICE_TCP_PORTS, udp: SERVICE_UDP_PORTS, udpAddresses: [...SERVICE_V4, ...SERVICE_V6] }, this.servicesUdpSeen);
    await this.listen(host, { tcp: HOST_TCP_PORTS, udp: [], udpAddresses: [] });
    for (const { ns } of this.sandboxes.values()) await this.listen(ns, { tcp: [SANDBOX_TCP_PORT], udp: [], udpAddresses: [] });
    // IPv6 neighbour and router discovery take a moment after the links come up: wait until
    // every sandbox reaches the "internet" over both families before any test probes.
    const internet: Target[] = [{ proto: 'tcp', address: '192.0.2.10', port: 443 }, { proto: 'tcp', address: '2001:db8::10', port: 443 }];
    for (const { ns } of this.sandboxes.values()) {
      let ok = false;
      for (let attempt = 0; attempt < 20 && !ok; attempt++) ok = Object.values(this.probe(ns, internet, 500)).every(Boolean);
      if (!ok) throw new Error(`sandbox namespace ${ns} cannot reach the services namespace over IPv4 and IPv6`);
    }
  }

  private listen(ns: string, cfg: object, seen?: string[]): Promise<void> {
    return this.spawnReady(ns, [NODE, LISTENER, JSON.stringify(cfg)], 'ready', (line) => { if (line.startsWith('udp ')) seen?.push(line); });
  }

  /** Spawns `argv` in namespace `ns`; resolves once a stdout or stderr line contains `ready`; `onLine` gets every stdout line. */
  private spawnReady(ns: string, argv: string[], ready: string, onLine: (line: string) => void = () => undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn('ip', ['netns', 'exec', ns, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
      this.children.push(child);
      let err = '';
      let out = '';
      child.stderr!.on('data', (d) => { err += d; if (err.includes(ready)) resolve(); });
      child.stdout!.on('data', (d) => {
        out += d;
        const lines = out.split('\n');
        out = lines.pop()!;
        for (const line of lines) {
          if (line.includes(ready)) resolve();
          onLine(line);
        }
      });
      child.on('exit', (code) => reject(new Error(`${argv[1] ?? argv[0]} in ${ns} exited with ${code}: ${err}`)));
    });
  }

  /** Starts the DNS upstream stand-in in the services namespace (records every query in {@link upstreamQueries}). */
  public startDnsUpstream(): Promise<void> {
    return this.spawnReady(this.services, [NODE, DNS, 'server', JSON.stringify({ ...DNS_UPSTREAM, answer: DNS_ANSWER })], 'ready', (line) => {
      if (line.startsWith('{')) this.upstreamQueries.push(JSON.parse(line));
    });
  }

  /**
   * Runs a DNS filter program (the one the bootstrap writes) in the host namespace, listening on
   * `port` on every address as on a node, with `allowList` (the file's text) and the upstream
   * stand-in as its upstream (on a node: the host's resolver from /etc/resolv.conf).
   */
  public startDnsFilter(program: string, allowList: string, port: number): Promise<void> {
    this.tmp ??= mkdtempSync(join(tmpdir(), 'packet-dns-'));
    writeFileSync(join(this.tmp, 'filter.py'), program);
    writeFileSync(join(this.tmp, 'allowed-domains'), allowList);
    const started = this.spawnReady(this.host, ['python3', '-I', '-S', join(this.tmp, 'filter.py'), '--listen', `0.0.0.0:${port}`,
      '--upstream', `${DNS_UPSTREAM.address}:${DNS_UPSTREAM.port}`, '--allow', join(this.tmp, 'allowed-domains')], 'listening on');
    this.dnsFilter = this.children[this.children.length - 1];
    return started;
  }

  /**
   * Waits until the services namespace's listeners and the DNS upstream have reported every datagram
   * sent before this call, then clears both records: a marker query and a marker datagram are sent
   * last (the child processes report in arrival order) and awaited. Without it an assertion that a
   * service saw nothing would pass merely because its output was not read yet.
   */
  public async drain(): Promise<void> {
    const marker = `drain-${++this.drains}.invalid`;
    const line = `udp 192.0.2.10 123 from ${HOST_UPLINK}`;
    this.dns(this.host, [{ server: DNS_UPSTREAM.address, port: DNS_UPSTREAM.port, name: marker }]);
    this.probe(this.host, [{ proto: 'udp', address: '192.0.2.10', port: 123 }]);
    for (let i = 0; i < 100; i++) {
      if (this.upstreamQueries.some((q) => q.name === marker) && this.servicesUdpSeen.includes(line)) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('the services namespace did not report the drain markers');
  }

  /** {@link drain}, then forget everything recorded so far. */
  public async resetRecords(): Promise<void> {
    await this.drain();
    this.upstreamQueries.length = 0;
    this.servicesUdpSeen.length = 0;
  }

  /** {@link drain}, then the records since the last reset, without the drain markers. */
  public async records(): Promise<{ upstream: { readonly from: string; readonly name: string; readonly type: number }[]; services: string[] }> {
    await this.drain();
    return {
      upstream: this.upstreamQueries.filter((q) => !/^drain-\d+\.invalid$/.test(q.name)),
      services: this.servicesUdpSeen.filter((l) => l !== `udp 192.0.2.10 123 from ${HOST_UPLINK}`),
    };
  }

  /** Stops the DNS filter started by {@link startDnsFilter}. */
  public stopDnsFilter(): void {
    this.dnsFilter?.removeAllListeners('exit');
    this.dnsFilter?.kill('SIGKILL');
    spawnSync('sleep', ['0.2']);
  }

  /** A queries from namespace `ns` (all at once). */
  public dns(ns: string, queries: readonly DnsQuery[], timeoutMs = 800): Record<string, DnsResult> {
    const r = spawnSync('ip', ['netns', 'exec', ns, NODE, DNS, 'query', JSON.stringify({ timeoutMs, queries })], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`dns query in ${ns} failed: ${r.stderr}`);
    return JSON.parse(r.stdout) as Record<string, DnsResult>;
  }

  /** Loads an nftables ruleset into the host namespace (replacing the guard table atomically). */
  public loadRuleset(ruleset: string): void {
    const r = spawnSync('ip', ['netns', 'exec', this.host, 'nft', '-f', '-'], { input: ruleset, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`nft -f failed: ${r.stderr}`);
  }

  public sandbox(ifname: string): {
    readonly ns: string; readonly gateway4: string; readonly gateway6: string; readonly address4: string; readonly hostLinkLocal6?: string;
  } {
    const s = this.sandboxes.get(ifname);
    if (!s) throw new Error(`no sandbox behind ${ifname}`);
    return s;
  }

  /** Which targets answer, probed from namespace `ns` (all at once). */
  public probe(ns: string, targets: readonly Target[], timeoutMs = 800): Record<string, boolean> {
    const r = spawnSync('ip', ['netns', 'exec', ns, NODE, PROBE, JSON.stringify({ timeoutMs, targets })], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`probe in ${ns} failed: ${r.stderr}`);
    return JSON.parse(r.stdout) as Record<string, boolean>;
  }

  /** Kills the listeners and deletes every namespace (and with them every interface). */
  public stop(): void {
    for (const c of this.children) c.kill('SIGKILL');
    if (this.tmp) rmSync(this.tmp, { recursive: true, force: true });
    const prefix = `sg${process.pid}-`;
    const all = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout.split('\n').map((l) => l.split(' ')[0]);
    for (const ns of all.filter((n) => n.startsWith(prefix))) spawnSync('ip', ['netns', 'del', ns]);
  }
}
