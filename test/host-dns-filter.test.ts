/**
 * The sandbox DNS filter program itself, exactly as the bootstrap writes it (taken from the
 * rendered script), run with python3 on loopback against a fake upstream resolver in this process.
 * What it must do: answer allow-listed names (exact and subdomain, any letter case) with the
 * upstream's answer; refuse every other name without sending anything upstream; refuse or ignore
 * malformed and unusual packets without ever stopping; keep its sockets and memory bounded under a
 * flood.
 *
 * Needs python3; without it these tests are reported as not run, and with REQUIRE_PACKET_TESTS=1
 * (CI, which runs the packet tests that need python3 too) a missing python3 fails the run.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import { createSocket, Socket } from 'dgram';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { renderHostBootstrap } from '../lib/host';

const python = spawnSync('python3', ['--version'], { encoding: 'utf8' });
const blocker = python.error || python.status !== 0 ? 'needs python3' : undefined;
const required = process.env.REQUIRE_PACKET_TESTS === '1';

test('the DNS filter tests can run here (or say why not)', () => {
  if (blocker && required) throw new Error(`REQUIRE_PACKET_TESTS=1 but the DNS filter tests cannot run: ${blocker}`);
  if (blocker) console.warn(`DNS filter program tests NOT RUN: ${blocker}`);
  expect(blocker === undefined || !required).toBe(true);
});

/** The program and allow-list file the bootstrap writes for this allow-list (its heredocs). */
function rendered(allowedDomains: string[]): { program: string; allowList: string } {
  const script = renderHostBootstrap({
    platformName: 'acme', poolName: 'gv', kvmRequired: false, gpu: false, hugepagesMiB: 0, localNvme: false,
    hostGuard: { blockedIpv4: ['169.254.0.0/16'], blockedIpv6: ['fe80::/10'], dnsIpv4: [], dnsIpv6: [] },
    dnsFilter: { allowedDomains },
  });
  const program = script.match(/<<'(SANDBOX_DNS_FILTER_PROGRAM\w*)'\n([\s\S]*?)\n\1\n/);
  const allowList = script.match(/allowed-domains 0644 <<'SANDBOX_CONF'\n([\s\S]*?)\nSANDBOX_CONF\n/);
  if (!program || !allowList) throw new Error('no DNS filter in the rendered bootstrap');
  return { program: `${program[2]}\n`, allowList: `${allowList[1]}\n` };
}

// ---- DNS wire helpers ----

const QR = 0x8000;
const RD = 0x0100;

function encodeName(name: string): Buffer {
  const labels = name.split('.').filter((l) => l.length > 0);
  return Buffer.concat([...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'latin1')])), Buffer.from([0])]);
}

interface QueryOpts {
  readonly id?: number;
  readonly flags?: number;
  readonly type?: number;
  readonly qclass?: number;
  /** UDP size of an OPT record to append (with `ednsOptions` as its RDATA). */
  readonly edns?: number;
  readonly ednsOptions?: Buffer;
  readonly counts?: [number, number, number, number];
}

function query(name: string, o: QueryOpts = {}): Buffer {
  const opt = o.edns === undefined ? Buffer.alloc(0) : (() => {
    const rdata = o.ednsOptions ?? Buffer.alloc(0);
    const b = Buffer.alloc(11);
    b.writeUInt16BE(41, 1);
    b.writeUInt16BE(o.edns, 3);
    b.writeUInt16BE(rdata.length, 9);
    return Buffer.concat([b, rdata]);
  })();
  const header = Buffer.alloc(12);
  header.writeUInt16BE(o.id ?? 0x1234, 0);
  header.writeUInt16BE(o.flags ?? RD, 2);
  const [qd, an, ns, ar] = o.counts ?? [1, 0, 0, opt.length > 0 ? 1 : 0];
  header.writeUInt16BE(qd, 4);
  header.writeUInt16BE(an, 6);
  header.writeUInt16BE(ns, 8);
  header.writeUInt16BE(ar, 10);
  const tail = Buffer.alloc(4);
  tail.writeUInt16BE(o.type ?? 1, 0);
  tail.writeUInt16BE(o.qclass ?? 1, 2);
  return Buffer.concat([header, encodeName(name), tail, opt]);
}

/** Name (as sent, case kept) and end offset of the uncompressed question name at 12. */
function questionOf(msg: Buffer): { name: string; type: number; end: number } {
  const labels: string[] = [];
  let pos = 12;
  while (msg[pos] !== 0) {
    labels.push(msg.subarray(pos + 1, pos + 1 + msg[pos]).toString('latin1'));
    pos += 1 + msg[pos];
  }
  return { name: labels.join('.'), type: msg.readUInt16BE(pos + 1), end: pos + 5 };
}

interface Answer {
  readonly id: number;
  readonly flags: number;
  readonly rcode: number;
  readonly counts: number[];
  readonly question?: string;
  readonly raw: Buffer;
}

function parse(msg: Buffer): Answer {
  const counts = [4, 6, 8, 10].map((o) => msg.readUInt16BE(o));
  return {
    id: msg.readUInt16BE(0), flags: msg.readUInt16BE(2), rcode: msg[3] & 0x0f, counts,
    question: counts[0] > 0 ? questionOf(msg).name : undefined, raw: msg,
  };
}

// ---- The fake upstream and the filter process ----

/** A resolver on loopback that answers every A query with 192.0.2.1 (TTL 60) and records what it received. */
class FakeUpstream {
  public readonly received: Buffer[] = [];
  public silent = false;
  private readonly sock: Socket = createSocket('udp4');

  public async start(): Promise<number> {
    this.sock.on('message', (msg, rinfo) => {
      this.received.push(msg);
      if (this.silent) return;
      const { end, type } = questionOf(msg);
      const header = Buffer.from(msg.subarray(0, 12));
      header.writeUInt16BE(QR | RD | 0x80, 2);
      header.writeUInt16BE(type === 1 ? 1 : 0, 6);
      header.writeUInt16BE(0, 8);
      header.writeUInt16BE(0, 10);
      const record = type === 1 ? Buffer.from([0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1]) : Buffer.alloc(0);
      this.sock.send(Buffer.concat([header, msg.subarray(12, end), record]), rinfo.port, rinfo.address);
    });
    await new Promise<void>((resolve) => this.sock.bind(0, '127.0.0.1', resolve));
    return this.sock.address().port;
  }

  public names(): string[] {
    return this.received.map((m) => questionOf(m).name);
  }

  public stop(): void {
    this.sock.close();
  }
}

async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
  const port = s.address().port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class FilterProcess {
  public stderr = '';
  public child?: ChildProcess;
  public port = 0;
  public readonly dir = mkdtempSync(join(tmpdir(), 'dns-filter-'));

  constructor(private readonly program: string, private readonly allowList: string) {}

  public async start(upstreamPort: number): Promise<void> {
    writeFileSync(join(this.dir, 'filter.py'), this.program);
    writeFileSync(join(this.dir, 'allowed-domains'), this.allowList);
    this.port = await freeUdpPort();
    this.child = spawn('python3', ['-I', '-S', join(this.dir, 'filter.py'), '--listen', `127.0.0.1:${this.port}`,
      '--upstream', `127.0.0.1:${upstreamPort}`, '--allow', join(this.dir, 'allowed-domains')], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child.stderr!.on('data', (d) => { this.stderr += d; });
    for (let i = 0; i < 100 && !this.stderr.includes('listening on'); i++) await sleep(20);
    if (!this.stderr.includes('listening on')) throw new Error(`the filter did not start: ${this.stderr}`);
  }

  public alive(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Open file descriptors of the process (its sockets among them). */
  public fds(): number {
    return readdirSync(`/proc/${this.child!.pid}/fd`).length;
  }

  public rssKiB(): number {
    const m = readFileSync(`/proc/${this.child!.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
    return Number(m![1]);
  }

  public stop(): void {
    this.child?.kill('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Sends each packet from its own socket (bound to `from`) and collects the replies within `timeoutMs`. */
async function exchange(port: number, packets: Buffer[], timeoutMs = 1000, from = '127.0.0.1'): Promise<(Answer | null)[]> {
  return Promise.all(packets.map((p) => new Promise<Answer | null>((resolve) => {
    const s = createSocket('udp4');
    const t = setTimeout(() => { s.close(); resolve(null); }, timeoutMs);
    s.on('message', (msg) => { clearTimeout(t); s.close(); resolve(parse(msg)); });
    s.on('error', () => { clearTimeout(t); s.close(); resolve(null); });
    s.bind(0, from, () => s.send(p, port, '127.0.0.1'));
  })));
}

const ask = async (port: number, packet: Buffer, timeoutMs = 1000): Promise<Answer | null> => (await exchange(port, [packet], timeoutMs))[0];

const describeFilter = blocker ? describe.skip : describe;

describeFilter('the sandbox DNS filter program', () => {
  const { program, allowList } = rendered(['pypi.org', '.github.com', 'Files.Example.ORG']);
  const upstream = new FakeUpstream();
  const filter = new FilterProcess(program, allowList);

  beforeAll(async () => {
    await filter.start(await upstream.start());
  });
  afterAll(() => {
    filter.stop();
    upstream.stop();
  });
  beforeEach(() => {
    upstream.received.length = 0;
    upstream.silent = false;
  });
  afterEach(() => {
    expect(filter.alive()).toBe(true);
  });

  test('the rendered allow-list is lowercased, one entry a line', () => {
    expect(allowList.split('\n').filter((l) => l && !l.startsWith('#'))).toEqual(['pypi.org', '.github.com', 'files.example.org']);
  });

  test.each([
    ['an exact entry', 'pypi.org'],
    ['a ".domain" entry: the domain itself', 'github.com'],
    ['a ".domain" entry: a subdomain', 'api.github.com'],
    ['a ".domain" entry: a deeper subdomain', 'a.b-c.d_e.github.com'],
    ['any letter case, of the query or the entry', 'PyPI.Org'],
    ['an entry written in capitals', 'files.example.org'],
    ['underscore labels (SRV-style) under a ".domain" entry', '_443._tcp.github.com'],
  ])('answers %s (%s) with the upstream\'s answer', async (_what, name) => {
    const a = await ask(filter.port, query(name, { id: 0xbeef }));
    expect(a).toEqual(expect.objectContaining({ id: 0xbeef, rcode: 0, counts: [1, 1, 0, 0], question: name }));
    expect(a!.flags & QR).toBe(QR);
    expect(a!.raw.subarray(a!.raw.length - 4)).toEqual(Buffer.from([192, 0, 2, 1]));
    // Upstream: one query, the name lowercased, recursion desired and nothing else.
    expect(upstream.names()).toEqual([name.toLowerCase()]);
    expect(upstream.received[0].readUInt16BE(2)).toBe(RD);
  });

  test.each([
    ['another name', 'example.com'],
    ['a subdomain of an exact entry', 'files.pypi.org'],
    ['a name ending like an entry without a label boundary', 'notgithub.com'],
    ['an entry followed by another domain', 'github.com.evil.example'],
    ['a parent of an entry', 'org'],
    ['the root', ''],
    ['a tunnel-shaped name', '6578666966696c747261746564.t.example.net'],
  ])('refuses %s (%j) without asking the upstream', async (_what, name) => {
    const a = await ask(filter.port, query(name, { id: 0x4242 }));
    // REFUSED, with the client's id and question (stub resolvers match replies on both), no records.
    expect(a).toEqual(expect.objectContaining({ id: 0x4242, rcode: 5, counts: [1, 0, 0, 0] }));
    expect(a!.raw.subarray(12)).toEqual(query(name).subarray(12));
    await sleep(100);
    expect(upstream.received).toEqual([]);
    expect(filter.stderr).toContain(`is not allowed`);
  });

  test('EDNS: the upstream query carries a fixed OPT record (size capped at 1232, no options), only when the client sent one', async () => {
    const cookie = Buffer.from([0, 10, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await ask(filter.port, query('pypi.org', { edns: 4096, ednsOptions: cookie }))).toEqual(expect.objectContaining({ rcode: 0 }));
    expect(await ask(filter.port, query('pypi.org', { edns: 100 }))).toEqual(expect.objectContaining({ rcode: 0 }));
    expect(await ask(filter.port, query('pypi.org'))).toEqual(expect.objectContaining({ rcode: 0 }));
    const opts = upstream.received.map((m) => m.subarray(questionOf(m).end));
    expect(opts).toEqual([
      Buffer.from([0, 0, 41, 0x04, 0xd0, 0, 0, 0, 0, 0, 0]),
      Buffer.from([0, 0, 41, 0x02, 0x00, 0, 0, 0, 0, 0, 0]),
      Buffer.alloc(0),
    ]);
  });

  test('client flags other than RD (CD, AD, a set Z bit) are not passed upstream', async () => {
    expect(await ask(filter.port, query('pypi.org', { flags: RD | 0x0010 | 0x0020 | 0x0040 }))).toEqual(expect.objectContaining({ rcode: 0 }));
    expect(upstream.received[0].readUInt16BE(2)).toBe(RD);
  });

  test('answers HTTPS (type 65) and other ordinary query types; the answer is matched whatever the type bytes look like', async () => {
    for (const type of [65, 28, 16, 0x4141]) {
      expect([type, await ask(filter.port, query('pypi.org', { type }))]).toEqual([type, expect.objectContaining({ rcode: 0, counts: [1, 0, 0, 0] })]);
    }
    expect(upstream.received).toHaveLength(4);
  });

  /** Header with the given id, flags and counts, then `rest`. */
  const raw = (flags: number, counts: number[], rest: Buffer | number[], id = 0x7777): Buffer => {
    const h = Buffer.alloc(12);
    h.writeUInt16BE(id, 0);
    h.writeUInt16BE(flags, 2);
    counts.forEach((c, i) => h.writeUInt16BE(c, 4 + 2 * i));
    return Buffer.concat([h, Buffer.from(rest)]);
  };
  const aQuestion = (name: string) => Buffer.concat([encodeName(name), Buffer.from([0, 1, 0, 1])]);

  test.each([
    ['a compression pointer in the question', raw(RD, [1, 0, 0, 0], [0xc0, 0x0c, 0, 1, 0, 1])],
    ['an extended label type (0x40)', raw(RD, [1, 0, 0, 0], [0x41, 0x61, 0, 0, 1, 0, 1])],
    ['a label of 64 octets', raw(RD, [1, 0, 0, 0], Buffer.concat([Buffer.from([64]), Buffer.alloc(64, 0x61), Buffer.from([0, 0, 1, 0, 1])]))],
    ['a name of 256 octets', raw(RD, [1, 0, 0, 0], Buffer.concat([...Array(4).fill(Buffer.concat([Buffer.from([62]), Buffer.alloc(62, 0x61)])),
      Buffer.from([2, 0x61, 0x61, 0, 0, 1, 0, 1])]))],
    ['a truncated name', raw(RD, [1, 0, 0, 0], [4, 0x70, 0x79])],
    ['a name without its terminating zero', raw(RD, [1, 0, 0, 0], [3, 0x6f, 0x72, 0x67])],
    ['an OPT record cut after its name', raw(RD, [1, 0, 0, 1], Buffer.concat([aQuestion('pypi.org'), Buffer.from([0])]))],
    ['a question without type and class', raw(RD, [1, 0, 0, 0], encodeName('pypi.org'))],
    ['a dot inside a label (github.com as one label under "com")', raw(RD, [1, 0, 0, 0], [10, ...Buffer.from('github.com'), 3, ...Buffer.from('com'), 0, 0, 1, 0, 1])],
    ['a space in a label', raw(RD, [1, 0, 0, 0], aQuestion('py pi.org'))],
    ['a NUL in a label', raw(RD, [1, 0, 0, 0], [4, 0x70, 0, 0x70, 0x69, 3, 0x6f, 0x72, 0x67, 0, 0, 1, 0, 1])],
    ['two questions', raw(RD, [2, 0, 0, 0], Buffer.concat([aQuestion('pypi.org'), aQuestion('evil.example')]))],
    ['no question', raw(RD, [0, 0, 0, 0], [])],
    ['a record in the answer section', raw(RD, [1, 1, 0, 0], aQuestion('pypi.org'))],
    ['a record in the authority section', raw(RD, [1, 0, 1, 0], aQuestion('pypi.org'))],
    ['two additional records', raw(RD, [1, 0, 0, 2], aQuestion('pypi.org'))],
    ['an additional record that is not OPT', raw(RD, [1, 0, 0, 1], Buffer.concat([aQuestion('pypi.org'), Buffer.from([0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0])]))],
    ['an OPT record whose data runs past the end', raw(RD, [1, 0, 0, 1], Buffer.concat([aQuestion('pypi.org'), Buffer.from([0, 0, 41, 16, 0, 0, 0, 0, 0, 0, 9, 1])]))],
    ['bytes after the question', raw(RD, [1, 0, 0, 0], Buffer.concat([aQuestion('pypi.org'), Buffer.from('tunnel-data')]))],
    ['opcode IQUERY', raw(RD | (1 << 11), [1, 0, 0, 0], aQuestion('pypi.org'))],
    ['opcode STATUS', raw(RD | (2 << 11), [1, 0, 0, 0], aQuestion('pypi.org'))],
    ['opcode UPDATE', raw(5 << 11, [1, 0, 0, 0], aQuestion('pypi.org'))],
    ['class CH', query('pypi.org', { qclass: 3 })],
    ['class ANY', query('pypi.org', { qclass: 255 })],
    ['type ANY', query('pypi.org', { type: 255 })],
    ['type AXFR', query('pypi.org', { type: 252 })],
    ['type OPT', query('pypi.org', { type: 41 })],
    ['type 0', query('pypi.org', { type: 0 })],
  ])('refuses %s, even for an allowed name, without asking the upstream', async (_what, packet) => {
    const a = await ask(filter.port, packet);
    expect(a).toEqual(expect.objectContaining({ id: packet.readUInt16BE(0), rcode: 5, counts: [expect.any(Number), 0, 0, 0] }));
    expect(a!.flags & QR).toBe(QR);
    expect(a!.raw.length).toBeLessThanOrEqual(packet.length + 12); // never an amplifier
    await sleep(50);
    expect(upstream.received).toEqual([]);
  });

  test.each([
    ['an empty datagram', Buffer.alloc(0)],
    ['a datagram shorter than a header', Buffer.from('probe')],
    ['a response (QR set), even for an allowed name', query('pypi.org', { flags: QR | RD })],
    ['a datagram larger than 4096 bytes', Buffer.concat([query('pypi.org'), Buffer.alloc(5000)])],
  ])('does not answer %s', async (_what, packet) => {
    expect(await ask(filter.port, packet, 400)).toBeNull();
    expect(upstream.received).toEqual([]);
  });

  test('survives random and mutated datagrams; the upstream only ever sees allow-listed names; it still answers afterwards', async () => {
    let seed = 42;
    const rand = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
    const valid = [query('pypi.org'), query('api.github.com', { edns: 1232 }), query('evil.example')];
    const packets: Buffer[] = [];
    for (let i = 0; i < 3000; i++) {
      if (i % 2 === 0) {
        packets.push(Buffer.from(Array.from({ length: rand(80) }, () => rand(256))));
      } else {
        const p = Buffer.from(valid[rand(valid.length)]);
        for (let k = 1 + rand(3); k > 0; k--) p[rand(p.length)] = rand(256);
        packets.push(rand(4) === 0 ? p.subarray(0, rand(p.length)) : p);
      }
    }
    for (let i = 0; i < packets.length; i += 100) {
      await exchange(filter.port, packets.slice(i, i + 100), 150);
    }
    expect(filter.alive()).toBe(true);
    const allowed = (n: string) => n === 'pypi.org' || n === 'github.com' || n.endsWith('.github.com') || n === 'files.example.org';
    expect(upstream.names().filter((n) => !allowed(n))).toEqual([]);
    expect(await ask(filter.port, query('pypi.org'))).toEqual(expect.objectContaining({ rcode: 0 }));
  }, 60_000);

  test('replies SERVFAIL at once when the upstream is unreachable', async () => {
    const closed = await freeUdpPort();
    const other = new FilterProcess(program, allowList);
    try {
      await other.start(closed);
      const a = await ask(other.port, query('pypi.org'), 2000);
      expect(a).toEqual(expect.objectContaining({ rcode: 2, counts: [1, 0, 0, 0] }));
    } finally {
      other.stop();
    }
  });

  test('under a flood of slow queries: at most 32 in flight per client and 256 in all (one socket each), then back to normal', async () => {
    upstream.silent = true;
    const base = filter.fds();
    // One client: everything past 32 waiting queries is dropped (no answer, no socket, not sent upstream).
    void exchange(filter.port, Array.from({ length: 100 }, (_, i) => query('pypi.org', { id: i })), 300);
    await sleep(400);
    expect(upstream.received).toHaveLength(32);
    expect(filter.fds() - base).toBe(32);
    // Twelve clients (loopback addresses) of 32 each: 256 in all.
    await Promise.all(Array.from({ length: 12 }, (_, c) => exchange(filter.port,
      Array.from({ length: 32 }, (_, i) => query('api.github.com', { id: i })), 300, `127.0.0.${c + 2}`)));
    expect(upstream.received).toHaveLength(256);
    expect(filter.fds() - base).toBe(256);
    expect(filter.rssKiB()).toBeLessThan(64 * 1024);
    // Refused names need no slot: they are still answered.
    expect(await ask(filter.port, query('evil.example'))).toEqual(expect.objectContaining({ rcode: 5 }));
    // After the 5 s upstream timeout the slots and sockets are released.
    await sleep(5600);
    expect(filter.fds()).toBe(base);
    upstream.silent = false;
    expect(await ask(filter.port, query('pypi.org'))).toEqual(expect.objectContaining({ rcode: 0 }));
    expect(filter.stderr).toContain('too many queries in flight');
  }, 30_000);

  test('an answer that does not match the query (other id, not a response, other question) is not relayed', async () => {
    // A fake upstream that first sends three wrong answers, then the right one.
    const sock = createSocket('udp4');
    sock.on('message', (msg, rinfo) => {
      const right = Buffer.concat([msg.subarray(0, 2), Buffer.from([0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0]), msg.subarray(12, questionOf(msg).end)]);
      const otherId = Buffer.from(right); otherId.writeUInt16BE(msg.readUInt16BE(0) ^ 1, 0);
      const notResponse = Buffer.from(right); notResponse[2] = 0x01;
      const otherQuestion = Buffer.concat([right.subarray(0, 12), encodeName('evil.example'), Buffer.from([0, 1, 0, 1])]);
      for (const m of [otherId, notResponse, otherQuestion, right]) sock.send(m, rinfo.port, rinfo.address);
    });
    await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', resolve));
    const other = new FilterProcess(program, allowList);
    try {
      await other.start(sock.address().port);
      const a = await ask(other.port, query('PyPI.org', { id: 0x0102 }));
      expect(a).toEqual(expect.objectContaining({ id: 0x0102, rcode: 0, question: 'PyPI.org' }));
    } finally {
      other.stop();
      sock.close();
    }
  });

  test('--probe exits 0 when a DNS server answers, 1 when none does', async () => {
    const probe = (port: number) => spawnSync('python3', ['-I', '-S', join(filter.dir, 'filter.py'), '--probe', `127.0.0.1:${port}`]).status;
    expect(probe(filter.port)).toBe(0);
    expect(probe(await freeUdpPort())).toBe(1);
  });

  test.each([
    ['an empty allow-list', '# nothing\n', /allows no name/],
    ['an entry that is not a domain name', 'pypi.org\nexa mple.com\n', /line 2: 'exa mple.com' is not a domain name/],
    ['a single-label entry', 'localhost\n', /line 1: 'localhost' is not a domain name/],
  ])('refuses to start with %s (exit 2)', (_what, text, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'dns-filter-bad-'));
    try {
      writeFileSync(join(dir, 'filter.py'), program);
      writeFileSync(join(dir, 'allow'), text);
      const r = spawnSync('python3', ['-I', '-S', join(dir, 'filter.py'), '--listen', '127.0.0.1:0', '--upstream', '127.0.0.1:53', '--allow', join(dir, 'allow')],
        { encoding: 'utf8', timeout: 5000 });
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(message);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('refuses to start when its port is taken (exit 2)', () => {
    const r = spawnSync('python3', ['-I', '-S', join(filter.dir, 'filter.py'), '--listen', `127.0.0.1:${filter.port}`,
      '--upstream', '127.0.0.1:53', '--allow', join(filter.dir, 'allowed-domains')], { encoding: 'utf8', timeout: 5000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('cannot start');
  });
});
