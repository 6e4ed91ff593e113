/**
 * The sandbox DNS filter: a small forwarder on the host that answers sandbox DNS only for the
 * platform's allow-list (GCP and Azure with "firewall" egress, where the cloud cannot filter names
 * the way Route 53 Resolver DNS Firewall does on AWS). Pure: the rendered pieces go into the bootstrap.
 *
 * Why on the host: on GCP a Cloud DNS response policy that answers only an allow-list needs passthru
 * rules, which the Terraform google provider does not expose (google-beta only); on Azure the
 * firewall's DNS proxy logs names but cannot filter them, and azurerm has no resource for DNS
 * security policies. The host is the platform's, and all sandbox traffic crosses it.
 *
 * How:
 * - Steering (nftables, in the guard's own table, so one atomic load replaces both): every IPv4 UDP
 *   packet to port 53 that arrives on a sandbox interface is redirected (nat prerouting) to the
 *   filter's port, whatever address it was sent to. Docker copies the upstream servers of
 *   systemd-resolved into containers (moby/moby#39978: /run/systemd/resolve/resolv.conf), so
 *   sandboxes may query 169.254.169.254, the firewall's private address or any public resolver:
 *   each of those queries lands in the filter and nowhere else. TCP port 53 and IPv6 DNS are
 *   rejected (TCP reset, ICMP port unreachable) so clients fail fast instead of timing out: the
 *   filter speaks UDP only (answers are capped at 1232 bytes; a truncated answer cannot be retried
 *   over TCP, which A/AAAA answers of ordinary names do not need). The clouds' resolvers here are
 *   IPv4 only. Redirected packets reach the filter through the guard's input chain; its port is
 *   closed to everything else but loopback (its own readiness probe).
 * - Filtering (a Python 3 standard-library program, DNS_FILTER_SCRIPT): a standard query for an
 *   allowed name is rebuilt (lowercased question, recursion desired, a fixed OPT record) and sent to
 *   the host's own resolver; anything else is answered REFUSED without sending anything upstream.
 *   REFUSED and not NXDOMAIN: RFC 1035 defines REFUSED as a refusal "for policy reasons", which is
 *   what happens; NXDOMAIN would claim the name does not exist (and is cached as such by clients).
 * - Upstream: the first IPv4 nameserver of the host's /etc/resolv.conf, read at boot. On Ubuntu
 *   that is systemd-resolved's stub, 127.0.0.53 (systemd-resolved.service(8), "/etc/resolv.conf";
 *   seen on Azure Ubuntu 24.04: zenn.dev/add9/scraps/52672d995f4eec, and on GCE Ubuntu:
 *   paulownia.hatenablog.com/entry/2021/10/07/012947), which forwards to the servers the network's
 *   DHCP hands out: on GCE the metadata server ("Compute Engine instances receive internal DNS
 *   resolution information as part of their DHCP leases", cloud.google.com/compute/docs/internal-dns;
 *   cloud.google.com/dns/docs/vpc-name-res-order), on Azure the VNet's DNS servers, i.e. the
 *   firewall's DNS proxy in "firewall" egress (lib/azure/network.ts). The host's own queries are not
 *   filtered (the guard never filters output), so the node's path to its resolver is unchanged.
 * - Runtime: python3 is in every Ubuntu cloud image because cloud-init is a Python 3 program
 *   (canonical/cloud-init packages/debian/control.in: "Depends: ... ${python3:Depends}"; cloud-init
 *   also runs the Azure custom data and has a GCE data source, docs.cloud-init.io .../datasources/gce);
 *   the bootstrap still checks /usr/bin/python3 and fails the node without it. Not verified here on
 *   a live GCE or Azure image.
 */
import { heredocDelimiter } from './shell';

/** Local UDP port of the DNS filter (below the ephemeral range the bootstrap sets, 10240-65535). */
export const DNS_FILTER_PORT = 9053;
/** Where the bootstrap writes the filter program. */
export const DNS_FILTER_PROGRAM_PATH = '/usr/local/libexec/sandbox-dns-filter';
/** The allow-list file the filter reads: one entry a line. */
export const DNS_FILTER_ALLOW_LIST_PATH = '/etc/sandbox-dns-filter/allowed-domains';
/** The systemd unit that runs the filter. */
export const DNS_FILTER_UNIT = 'sandbox-dns-filter.service';

/** Options of the sandbox DNS filter ({@link HostBootstrapOptions.dnsFilter}). */
export interface DnsFilterOptions {
  /**
   * Names sandboxes may resolve: "example.com" allows exactly that name, ".example.com" allows it
   * and every name below it (the spec's network.egress.allowedDomains). Case-insensitive. Required,
   * non-empty.
   */
  readonly allowedDomains: string[];
}

/** The spec's domain rule (lib/spec/resolve.ts): labels of letters, digits and inner hyphens, an alphabetic or IDN top-level label. */
const DOMAIN = /^\.?(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+([a-z]{2,63}|xn--[a-z0-9-]{1,59})$/i;

/** The allow-list, validated, lowercased and without duplicates (order kept). */
export function checkDnsFilter(filter: DnsFilterOptions): string[] {
  const domains = filter.allowedDomains;
  if (!Array.isArray(domains) || domains.length === 0) {
    throw new Error('host bootstrap: dnsFilter.allowedDomains is empty; list the names sandboxes may resolve ' +
      '(network.egress.allowedDomains), e.g. ["pypi.org", ".github.com"], or leave dnsFilter out');
  }
  const out: string[] = [];
  domains.forEach((d, i) => {
    if (typeof d !== 'string' || !DOMAIN.test(d)) {
      throw new Error(`host bootstrap: dnsFilter.allowedDomains[${i}] ${JSON.stringify(d)} is not a domain name; use "example.com" ` +
        '(exactly that name) or ".example.com" (it and every name below it)');
    }
    const lower = d.toLowerCase();
    if (!out.includes(lower)) out.push(lower);
  });
  return out;
}

/**
 * The nftables pieces of the filter, for the guard's table: the nat chains (`redirect`), the
 * first rules of the sandbox chain (`guard`) and the last rule of the input chain (`input`).
 * `interfaceMatches` are the sandbox interfaces' `iifname "<pattern>"` matches.
 */
export function dnsFilterNftables(interfaceMatches: readonly string[]): { redirect: string[]; guard: string[]; input: string[] } {
  const port = DNS_FILTER_PORT;
  return {
    // A nat chain ahead of the usual dstnat priority (-100), so that a Docker or kube-proxy DNAT of the
    // same packet never runs first: the first NAT binding of a connection wins. "redirect" rewrites the
    // destination to the primary address of the incoming interface (for a bridge, the bridge's), so a
    // sandbox interface needs an IPv4 address (the sandbox's gateway); without one the packet is
    // dropped, never forwarded. With br_netfilter loaded (Docker loads it), DNS between containers
    // on one bridge passes these hooks too, with the bridge as the input interface, and is redirected.
    redirect: [
      '  chain sandbox_dns_redirect {',
      `    meta nfproto ipv4 udp dport 53 redirect to :${port}`,
      '  }',
      '  chain prerouting {',
      '    type nat hook prerouting priority -110; policy accept;',
      ...interfaceMatches.map((m) => `    ${m} jump sandbox_dns_redirect`),
      '  }',
    ],
    // First in the sandbox chain (forward and input), ahead of "established" (a flow from before the
    // table was loaded must not keep a path to a resolver): the redirected query is accepted (input
    // only: its destination is now the host), everything else on port 53 is refused.
    guard: [
      `    udp dport ${port} ct status dnat ct original proto-dst 53 accept`,
      '    meta l4proto { tcp, udp } th dport 53 limit rate 10/second burst 20 packets log prefix "sandbox-guard-dns: " level warn',
      '    meta l4proto tcp th dport 53 reject with tcp reset',
      '    meta l4proto udp th dport 53 reject',
    ],
    // After the sandbox jumps in the input chain: the filter's port answers redirected sandbox
    // queries (accepted above) and the host itself, nobody else (other VMs of the network included).
    input: [`    udp dport ${port} iif != "lo" drop`],
  };
}

/**
 * The filter program (Python 3, standard library only), written to DNS_FILTER_PROGRAM_PATH. Parses only
 * the header, the question and an optional OPT record; see its header comment.
 */
export const DNS_FILTER_SCRIPT: string = String.raw`#!/usr/bin/python3
# Sandbox DNS filter (generated by cdktf-sandbox-byoc; do not edit).
#
# The host guard redirects every UDP port 53 packet a sandbox sends (to any address) here. A
# standard query for an allow-listed name is passed to the host's own resolver and its answer
# relayed; any other name gets REFUSED, and nothing about it is sent upstream. Anything malformed
# or unusual is refused too (or dropped when it is not a query at all). Python 3 standard library
# only; one thread; at most MAX_PENDING upstream sockets at a time.
#
#   sandbox-dns-filter --listen ADDR:PORT --upstream ADDR:PORT --allow FILE
#   sandbox-dns-filter --probe ADDR:PORT     exit 0 when a DNS server answers there
#
# FILE: one entry a line, "example.com" (that name only) or ".example.com" (it and every name
# below it); "#" starts a comment.
import selectors
import socket
import struct
import sys
import time

IP_PKTINFO = getattr(socket, "IP_PKTINFO", 8)  # <linux/in.h>; not exported by every Python 3
MAX_PENDING = 256            # queries waiting for the upstream, one socket each (LimitNOFILE is 1024)
MAX_PENDING_PER_CLIENT = 32  # so one sandbox cannot take every slot
UPSTREAM_TIMEOUT = 5.0       # seconds; stub resolvers give up on a query by then (glibc: 5 s)
MAX_DATAGRAM = 4096          # a longer datagram is not a query this filter answers
EDNS_UDP_MAX = 1232          # largest UDP answer asked of the upstream (DNS Flag Day 2020 default)
QR, RD, RA = 0x8000, 0x0100, 0x0080
SERVFAIL, REFUSED = 2, 5
OPT = 41
HEADER = struct.Struct("!HHHHHH")  # id, flags, qdcount, ancount, nscount, arcount
LABEL_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyz0123456789-_")


class Query:
    """A parsed standard query: only what the filter needs."""
    __slots__ = ("qid", "rd", "question", "name", "qtype", "edns")

    def __init__(self, qid, rd):
        self.qid, self.rd = qid, rd
        self.question = b""  # the question section as the client sent it (echoed in answers)
        self.name = ""       # lowercase, dotted, no trailing dot; "" is the root
        self.qtype = 0
        self.edns = 0        # UDP size to advertise upstream; 0 when the client sent no OPT record


class Refuse(Exception):
    def __init__(self, query, reason):
        super().__init__(reason)
        self.query = query


def parse_name(packet, pos):
    """An uncompressed name of letters, digits, '-' and '_' labels: (lowercase dotted name, end)."""
    start, labels = pos, []
    while True:
        length = packet[pos]  # IndexError past the end
        pos += 1
        if length == 0:
            return ".".join(labels), pos
        if length > 63:  # 0xC0: compression pointer; 0x40/0x80: extended label types
            raise ValueError("compressed or extended label in the question")
        label = packet[pos:pos + length].lower()
        if len(label) != length:
            raise ValueError("truncated name")
        if not LABEL_BYTES.issuperset(label):
            raise ValueError("label not made of letters, digits, '-' and '_'")
        labels.append(label.decode("ascii"))
        pos += length
        if pos - start > 254:  # with the root label, over 255 octets
            raise ValueError("name longer than 255 octets")


def parse_query(packet):
    """The query in the packet; None when it is no query (too short, or a response); raises Refuse."""
    if len(packet) < HEADER.size:
        return None
    qid, flags, qdcount, ancount, nscount, arcount = HEADER.unpack_from(packet)
    if flags & QR:
        return None  # never answer a response: no loops, no reflection
    query = Query(qid, flags & RD)
    try:
        if (flags >> 11) & 0xF:
            raise ValueError("opcode %d is not QUERY" % ((flags >> 11) & 0xF))
        if qdcount != 1 or ancount or nscount or arcount > 1:
            raise ValueError("not one question and at most one additional record")
        query.name, end = parse_name(packet, HEADER.size)
        qtype, qclass = struct.unpack_from("!HH", packet, end)
        query.question, query.qtype = packet[HEADER.size:end + 4], qtype
        end += 4
        if arcount:  # only an EDNS OPT record: root name, type 41, class = UDP payload size
            if packet[end] != 0 or struct.unpack_from("!H", packet, end + 1)[0] != OPT:
                raise ValueError("the additional record is not an OPT record")
            size, _, rdlength = struct.unpack_from("!HIH", packet, end + 3)
            query.edns = max(512, min(size, EDNS_UDP_MAX))
            end += 11 + rdlength
        if end != len(packet):
            raise ValueError("bytes after the query")
        if qclass != 1:
            raise ValueError("class %d is not IN" % qclass)
        if qtype in (0, OPT) or 128 <= qtype <= 255:  # meta and question-only types (AXFR, ANY, ...)
            raise ValueError("query type %d" % qtype)
    except (ValueError, IndexError, struct.error) as error:
        raise Refuse(query, str(error)) from None
    return query


def answer_header_only(query, rcode):
    """A reply with the client's id and question (clients match replies on both), no records."""
    qdcount = 1 if query.question else 0
    return HEADER.pack(query.qid, QR | query.rd | RA | rcode, qdcount, 0, 0, 0) + query.question


def upstream_query(query):
    """A fresh query: the lowercased question, recursion desired, an OPT record only if the client sent one.
    Nothing else the client chose (flags, EDNS options, the name's letter case) reaches the upstream."""
    name_end = len(query.question) - 4
    question = query.question[:name_end].lower() + query.question[name_end:]
    opt = struct.pack("!BHHIH", 0, OPT, query.edns, 0, 0) if query.edns else b""
    return HEADER.pack(query.qid, RD, 1, 0, 0, 1 if opt else 0) + question + opt, question


def load_allow_list(path):
    exact, subtree = set(), set()
    with open(path, encoding="ascii") as lines:
        for number, line in enumerate(lines, 1):
            entry = line.split("#", 1)[0].strip().lower()
            if not entry:
                continue
            name = entry[1:] if entry.startswith(".") else entry
            labels = name.split(".")
            if len(name) > 253 or len(labels) < 2 or not all(
                    0 < len(label) <= 63 and LABEL_BYTES.issuperset(label.encode("ascii")) for label in labels):
                raise ValueError("%s line %d: %r is not a domain name" % (path, number, entry))
            (subtree if entry.startswith(".") else exact).add(name)
    if not exact and not subtree:
        raise ValueError("%s allows no name" % path)
    return exact, subtree


def is_allowed(name, exact, subtree):
    if name in exact or name in subtree:
        return True
    dot = name.find(".")
    while dot >= 0:  # every proper suffix, label by label (labels cannot contain '.')
        if name[dot + 1:] in subtree:
            return True
        dot = name.find(".", dot + 1)
    return False


class RateLimitedLog:
    """At most rate lines a second (bursts of burst) to stderr, i.e. the journal; counts the rest."""

    def __init__(self, rate=10.0, burst=20.0):
        self.rate, self.burst, self.tokens, self.last, self.suppressed = rate, burst, burst, time.monotonic(), 0

    def __call__(self, message):
        now = time.monotonic()
        self.tokens, self.last = min(self.burst, self.tokens + (now - self.last) * self.rate), now
        if self.tokens < 1:
            self.suppressed += 1
            return
        self.tokens -= 1
        if self.suppressed:
            message += " (%d lines suppressed)" % self.suppressed
            self.suppressed = 0
        sys.stderr.write(message + "\n")
        sys.stderr.flush()


class Pending:
    __slots__ = ("sock", "client", "local", "query", "question", "deadline")


class Filter:
    def __init__(self, listen, upstream, exact, subtree, log):
        self.upstream, self.exact, self.subtree, self.log = upstream, exact, subtree, log
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.IPPROTO_IP, IP_PKTINFO, 1)
        self.sock.bind(listen)
        self.sock.setblocking(False)
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.sock, selectors.EVENT_READ)
        self.pending = {}     # upstream socket -> Pending
        self.per_client = {}  # client address -> number of pending queries

    def run(self):
        while True:
            for key, _ in self.selector.select(timeout=0.5):
                if key.fileobj is self.sock:
                    self.read_clients()
                else:
                    self.read_upstream(key.fileobj)
            self.expire()

    def read_clients(self):
        for _ in range(64):  # then give the upstream sockets a turn
            try:
                packet, ancillary, flags, client = self.sock.recvmsg(MAX_DATAGRAM, socket.CMSG_SPACE(12))
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                continue  # e.g. an ICMP error queued on the socket
            try:
                self.handle(packet, ancillary, flags, client)
            except Exception as error:  # never let one datagram stop the filter
                self.log("error handling a datagram from %s: %r" % (client[0], error))

    def handle(self, packet, ancillary, flags, client):
        if flags & socket.MSG_TRUNC:
            return
        local = None  # the address the query was sent to (after the redirect): replies come from it
        for level, kind, data in ancillary:
            if level == socket.IPPROTO_IP and kind == IP_PKTINFO and len(data) >= 12:
                local = data[8:12]  # struct in_pktinfo: ifindex, spec_dst, addr
        try:
            query = parse_query(packet)
        except Refuse as refused:
            self.log("refused from %s: %s" % (client[0], refused))
            self.reply(answer_header_only(refused.query, REFUSED), client, local)
            return
        if query is None:
            return
        if not is_allowed(query.name, self.exact, self.subtree):
            self.log("refused from %s: %s type %d is not allowed" % (client[0], query.name or ".", query.qtype))
            self.reply(answer_header_only(query, REFUSED), client, local)
            return
        if len(self.pending) >= MAX_PENDING or self.per_client.get(client[0], 0) >= MAX_PENDING_PER_CLIENT:
            self.log("dropped from %s: too many queries in flight" % client[0])
            return  # the client retries
        message, question = upstream_query(query)
        sock = None
        try:
            sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            sock.setblocking(False)
            sock.connect(self.upstream)  # a connected socket takes replies from the upstream only
            sock.send(message)
        except OSError as error:
            if sock is not None:
                sock.close()
            self.log("upstream %s:%d unusable: %s" % (self.upstream + (error,)))
            self.reply(answer_header_only(query, SERVFAIL), client, local)
            return
        entry = Pending()
        entry.sock, entry.client, entry.local, entry.query, entry.question = sock, client, local, query, question
        entry.deadline = time.monotonic() + UPSTREAM_TIMEOUT
        self.pending[sock] = entry
        self.per_client[client[0]] = self.per_client.get(client[0], 0) + 1
        self.selector.register(sock, selectors.EVENT_READ)

    def read_upstream(self, sock):
        entry = self.pending.get(sock)
        if entry is None:
            return
        try:
            answer = sock.recv(65535)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:  # e.g. port unreachable: the upstream is down
            self.finish(entry)
            self.reply(answer_header_only(entry.query, SERVFAIL), entry.client, entry.local)
            return
        start, end = HEADER.size, HEADER.size + len(entry.question)
        if (len(answer) < end or struct.unpack_from("!H", answer)[0] != entry.query.qid or not answer[2] & 0x80
                or answer[start:end - 4].lower() != entry.question[:-4] or answer[end - 4:end] != entry.question[-4:]):
            return  # not the answer to this query: keep waiting until the deadline
        self.finish(entry)
        # The client's own question bytes (its letter case) back in place; same length, so any
        # compression pointers into the question stay valid.
        self.reply(answer[:start] + entry.query.question + answer[end:], entry.client, entry.local)

    def finish(self, entry):
        self.selector.unregister(entry.sock)
        entry.sock.close()
        del self.pending[entry.sock]
        left = self.per_client[entry.client[0]] - 1
        if left:
            self.per_client[entry.client[0]] = left
        else:
            del self.per_client[entry.client[0]]

    def expire(self):
        now = time.monotonic()
        for entry in [e for e in self.pending.values() if e.deadline <= now]:
            self.finish(entry)

    def reply(self, message, client, local):
        try:
            if local is None:
                self.sock.sendto(message, client)
            else:  # from the address the client sent to, so conntrack maps it back to the original one
                pktinfo = struct.pack("=i4s4s", 0, local, bytes(4))
                self.sock.sendmsg([message], [(socket.IPPROTO_IP, IP_PKTINFO, pktinfo)], 0, client)
        except OSError:
            pass


def address(text):
    host, _, port = text.rpartition(":")
    socket.inet_aton(host)  # IPv4 only
    return host, int(port)


def probe(target):
    query = HEADER.pack(0x5344, RD, 1, 0, 0, 0) + b"\x18sandbox-dns-filter-probe\x07invalid\x00" + struct.pack("!HH", 1, 1)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(1.0)
        try:
            sock.connect(target)
            sock.send(query)
            answer = sock.recv(MAX_DATAGRAM)
        except OSError:
            return 1
    return 0 if len(answer) >= HEADER.size and answer[:2] == query[:2] and answer[2] & 0x80 else 1


def main(argv):
    args = dict(zip(argv[1::2], argv[2::2]))
    try:
        if "--probe" in args:
            return probe(address(args["--probe"]))
        listen, upstream = address(args["--listen"]), address(args["--upstream"])
        exact, subtree = load_allow_list(args["--allow"])
        log = RateLimitedLog()
        dns_filter = Filter(listen, upstream, exact, subtree, log)
    except (KeyError, ValueError, OSError) as error:
        sys.stderr.write("sandbox-dns-filter: cannot start: %s\n" % (error,))
        return 2
    log("listening on %s:%d, upstream %s:%d, %d exact and %d subtree entries"
        % (listen + upstream + (len(exact), len(subtree))))
    dns_filter.run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
`;

/** The systemd unit: restarts forever (sandboxes have no DNS without it), unprivileged and confined. */
const DNS_FILTER_UNIT_TEXT = [
  '[Unit]',
  'Description=Sandbox DNS filter: sandboxes resolve allow-listed names only (cdktf-sandbox-byoc)',
  'After=systemd-resolved.service',
  'StartLimitIntervalSec=0',
  '',
  '[Service]',
  'Type=simple',
  'EnvironmentFile=/etc/sandbox-dns-filter/upstream.env',
  `ExecStart=/usr/bin/python3 -I -S ${DNS_FILTER_PROGRAM_PATH} --listen 0.0.0.0:${DNS_FILTER_PORT} --upstream \${SANDBOX_DNS_UPSTREAM} ` +
    `--allow ${DNS_FILTER_ALLOW_LIST_PATH}`,
  'Restart=always',
  'RestartSec=1',
  'DynamicUser=yes',
  'CapabilityBoundingSet=',
  'NoNewPrivileges=yes',
  'ProtectSystem=strict',
  'ProtectHome=yes',
  'PrivateTmp=yes',
  'PrivateDevices=yes',
  'ProtectKernelTunables=yes',
  'ProtectKernelModules=yes',
  'ProtectControlGroups=yes',
  'RestrictAddressFamilies=AF_INET AF_UNIX',
  'RestrictNamespaces=yes',
  'LockPersonality=yes',
  'SystemCallArchitectures=native',
  'MemoryMax=64M',
  'TasksMax=4',
  'LimitNOFILE=1024',
];

/**
 * The bootstrap's shell functions that install and start the filter: `sandbox_dns_upstream FILE`
 * (the first IPv4 nameserver of a resolv.conf) and `sandbox_start_dns_filter`, which fails the node
 * (`failMarker`) when python3 or an upstream is missing, or when the filter does not answer.
 */
export function renderDnsFilterFunctions(allowList: readonly string[], failMarker: string): string[] {
  const program = heredocDelimiter('SANDBOX_DNS_FILTER_PROGRAM', DNS_FILTER_SCRIPT);
  const unitPath = `/etc/systemd/system/${DNS_FILTER_UNIT}`;
  const probe = `/usr/bin/python3 -I -S ${DNS_FILTER_PROGRAM_PATH} --probe 127.0.0.1:${DNS_FILTER_PORT}`;
  return [
    '# The host\'s own resolver: the first IPv4 nameserver of a resolv.conf (127.0.0.53, systemd-resolved, on Ubuntu).',
    'sandbox_dns_upstream() {',
    '  awk \'$1 == "nameserver" && $2 ~ /^[0-9]+[.][0-9]+[.][0-9]+[.][0-9]+$/ { print $2; exit }\' "$1"',
    '}',
    '',
    '# Sandbox DNS filter: sandboxes resolve allow-listed names only (see the nftables redirect).',
    'sandbox_start_dns_filter() {',
    '  local upstream attempt',
    '  if [ ! -x /usr/bin/python3 ]; then',
    `    sandbox_fail ${failMarker} "/usr/bin/python3 is missing: the sandbox DNS filter needs it (Ubuntu images carry it for cloud-init)"`,
    '  fi',
    '  upstream="$(sandbox_dns_upstream /etc/resolv.conf 2>/dev/null || true)"',
    '  if [ -z "${upstream}" ]; then',
    `    sandbox_fail ${failMarker} "no IPv4 nameserver in /etc/resolv.conf: the sandbox DNS filter has no upstream"`,
    '  fi',
    `  sandbox_write_file ${DNS_FILTER_PROGRAM_PATH} 0755 <<'${program}'`,
    DNS_FILTER_SCRIPT.replace(/\n$/, ''),
    program,
    `  sandbox_write_file ${DNS_FILTER_ALLOW_LIST_PATH} 0644 <<'SANDBOX_CONF'`,
    '# network.egress.allowedDomains: "example.com" is that name only, ".example.com" also every name below it.',
    ...allowList,
    'SANDBOX_CONF',
    '  printf \'SANDBOX_DNS_UPSTREAM=%s:53\\n\' "${upstream}" | sandbox_write_file /etc/sandbox-dns-filter/upstream.env 0644',
    `  sandbox_write_file ${unitPath} 0644 <<'SANDBOX_CONF'`,
    ...DNS_FILTER_UNIT_TEXT,
    'SANDBOX_CONF',
    '  systemctl daemon-reload',
    `  if ! systemctl restart ${DNS_FILTER_UNIT} >>"\${SANDBOX_LOG_FILE}" 2>&1; then`,
    `    sandbox_fail ${failMarker} "the sandbox DNS filter did not start (journalctl -u ${DNS_FILTER_UNIT})"`,
    '  fi',
    '  for attempt in 1 2 3 4 5 6 7 8 9 10; do',
    `    if ${probe}; then`,
    `      sandbox_log "sandbox DNS filter answering on port ${DNS_FILTER_PORT} (upstream \${upstream}:53, ${allowList.length} allow-list entries)"`,
    '      return 0',
    '    fi',
    '    sandbox_log "sandbox DNS filter not answering yet (attempt ${attempt}/10)"',
    '    sleep 1',
    '  done',
    `  sandbox_fail ${failMarker} "the sandbox DNS filter does not answer on 127.0.0.1:${DNS_FILTER_PORT} (journalctl -u ${DNS_FILTER_UNIT})"`,
    '}',
    '',
  ];
}
