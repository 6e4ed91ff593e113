/**
 * The host guard with real packets: each cloud's rendered bootstrap ruleset is loaded into a
 * "host" network namespace that routes and masquerades "sandbox" namespaces (behind interfaces
 * named as the runtimes name theirs) to a "services" namespace holding every address a sandbox
 * might try (metadata, resolvers, WireServer, Google VIPs, an internet address from a
 * documentation range). The assertions are the whole reachability map, so any change shows.
 * With "firewall" egress on GCP and Azure, the rendered DNS filter program also runs in the host
 * namespace, against a DNS server in the services namespace standing in for the host's resolver.
 *
 * Needs Linux, root, iproute2, nftables and python3. Elsewhere these tests are reported as not run; with
 * REQUIRE_PACKET_TESTS=1 (CI) a missing prerequisite fails the run instead.
 */
import { awsBootstrapOptions } from '../lib/aws/host-bootstrap';
import { aksNodeAgentScript } from '../lib/azure/aks-manifests';
import { azureBootstrapOptions } from '../lib/azure/host-bootstrap';
import { gcpBootstrapOptions } from '../lib/gcp/host-bootstrap';
import { DNS_FILTER_PORT, HostBootstrapOptions, renderHostBootstrap } from '../lib/host';
import { CloudProvider, ComplianceProfile, DeploymentModel, EgressMode, Orchestrator, ResolvedPool, SandboxRuntime, resolvePlatform } from '../lib/spec';
import {
  DNS_ANSWER, DNS_UPSTREAM, DnsQuery, DnsResult, HOST_LINK_LOCAL, HOST_UPLINK, PacketLab, SANDBOX_TCP_PORT, Target, dnsKey, key, packetTestBlocker,
} from './packet/netns';

const blocker = packetTestBlocker();
const required = process.env.REQUIRE_PACKET_TESTS === '1';

test('packet tests can run here (or say why not)', () => {
  if (blocker && required) throw new Error(`REQUIRE_PACKET_TESTS=1 but packet tests cannot run: ${blocker}`);
  if (blocker) console.warn(`host guard packet tests NOT RUN: ${blocker}`);
  expect(blocker === undefined || !required).toBe(true);
});

function poolFor(cloud: CloudProvider): ResolvedPool {
  return resolvePlatform({
    name: 'acme', deployment: DeploymentModel.MANAGED, compliance: ComplianceProfile.BASELINE,
    sandboxPools: [{ name: 'gv', runtime: SandboxRuntime.GVISOR, minNodes: 1, maxNodes: 2 }],
  }, cloud).pools[0];
}

/** The nftables ruleset a cloud's bootstrap writes (the heredoc the bootstrap loads with nft -f). */
function rulesetOf(opts: HostBootstrapOptions): string {
  const script = renderHostBootstrap(opts);
  const m = script.match(/<<'SANDBOX_CONF'\n(# Replaced atomically[\s\S]*?)\nSANDBOX_CONF\n/);
  if (!m) throw new Error('no nftables ruleset in the rendered bootstrap');
  return `${m[1]}\n`;
}

/** The DNS filter program and allow-list file a bootstrap writes (its heredocs). */
function dnsFilterOf(opts: HostBootstrapOptions): { program: string; allowList: string } {
  const script = renderHostBootstrap(opts);
  const program = script.match(/<<'(SANDBOX_DNS_FILTER_PROGRAM\w*)'\n([\s\S]*?)\n\1\n/);
  const allowList = script.match(/allowed-domains 0644 <<'SANDBOX_CONF'\n([\s\S]*?)\nSANDBOX_CONF\n/);
  if (!program || !allowList) throw new Error('no DNS filter in the rendered bootstrap');
  return { program: `${program[2]}\n`, allowList: `${allowList[1]}\n` };
}

/** The spec's allow-list in every "firewall" scenario: one exact name, one domain with its subdomains. */
const ALLOWED = ['pypi.org', '.github.com'];
const gcpOptions = (egress: EgressMode): HostBootstrapOptions =>
  gcpBootstrapOptions('acme', poolFor(CloudProvider.GCP), { egress, allowedDomains: egress === EgressMode.FIREWALL ? ALLOWED : undefined });
const azureOptions = (egress: EgressMode): HostBootstrapOptions =>
  azureBootstrapOptions('acme', poolFor(CloudProvider.AZURE), { egress, allowedDomains: egress === EgressMode.FIREWALL ? ALLOWED : undefined });

const scenarios: { label: string; ruleset: () => string; blocked: string[] }[] = [];
const tcp = (address: string, port: number): Target => ({ proto: 'tcp', address, port });
const udp = (address: string, port: number): Target => ({ proto: 'udp', address, port });

/** Every target a sandbox tries; per scenario, the ones the guard must drop. */
const TARGETS: Target[] = [
  tcp('169.254.169.254', 80), udp('169.254.169.254', 53), tcp('169.254.169.254', 53),
  tcp('169.254.170.2', 80), tcp('169.254.170.23', 80), udp('169.254.169.123', 123),
  udp('169.254.169.253', 53), tcp('169.254.169.253', 53), tcp('169.254.169.253', 80),
  tcp('168.63.129.16', 80), tcp('168.63.129.16', 32526), udp('168.63.129.16', 53), tcp('168.63.129.16', 53),
  tcp('199.36.153.8', 443), tcp('199.36.153.4', 443), tcp('199.36.153.12', 443),
  // An "internet" address (TEST-NET-1), the VPC resolver (VPC+2) and an interface endpoint's private
  // address: reachable at the network layer on every cloud; what refuses a foreign credential at an
  // endpoint is its policy (AWS data perimeter), not the host guard.
  tcp('192.0.2.10', 443), udp('10.64.0.2', 53), tcp('10.64.1.20', 443),
  // A resolver on the internet, over IPv4 (UDP and TCP) and IPv6.
  udp('192.0.2.10', 53), tcp('192.0.2.10', 53), udp('2001:db8::10', 53),
  tcp('fd00:ec2::254', 80), udp('fd00:ec2::253', 53), tcp('2001:db8::10', 443),
  tcp(HOST_LINK_LOCAL, 80),
];
const LINK_LOCAL = ['tcp 169.254.169.254 80', 'tcp 169.254.170.2 80', 'tcp 169.254.170.23 80', 'udp 169.254.169.123 123',
  'tcp 169.254.169.253 80', `tcp ${HOST_LINK_LOCAL} 80`];
/** With the DNS filter, port 53 reaches no resolver at all: UDP over IPv4 lands in the filter (which ignores the probe's non-DNS payload), the rest is rejected. */
const ALL_DNS = TARGETS.filter((t) => t.port === 53).map(key);

scenarios.push({
  label: 'aws',
  ruleset: () => rulesetOf(awsBootstrapOptions('acme', poolFor(CloudProvider.AWS), '/sandbox/acme/bootstrap', 'acme-gv')),
  // The Route 53 Resolver stays reachable on 53 (169.254.169.253, fd00:ec2::253, VPC+2); the rest of link-local and fd00:ec2::/32 is dropped.
  blocked: [...LINK_LOCAL, 'udp 169.254.169.254 53', 'tcp 169.254.169.254 53', 'tcp fd00:ec2::254 80'],
});
for (const egress of [EgressMode.NAT, EgressMode.FIREWALL, EgressMode.NONE]) {
  scenarios.push({
    label: `gcp, ${egress} egress`,
    ruleset: () => rulesetOf(gcpOptions(egress)),
    // The metadata server answers DNS with "nat" egress only ("firewall": the host's DNS filter and no
    // resolver; "none": no DNS); both Google API VIP ranges are host-only.
    blocked: [...new Set([...LINK_LOCAL, 'udp 169.254.169.253 53', 'tcp 169.254.169.253 53', 'tcp 199.36.153.8 443', 'tcp 199.36.153.4 443',
      ...(egress === EgressMode.NONE ? ['udp 169.254.169.254 53', 'tcp 169.254.169.254 53'] : []),
      ...(egress === EgressMode.FIREWALL ? ALL_DNS : [])])],
  });
}
for (const egress of [EgressMode.NAT, EgressMode.FIREWALL, EgressMode.NONE]) {
  scenarios.push({
    label: `azure, ${egress} egress`,
    ruleset: () => rulesetOf(azureOptions(egress)),
    // WireServer and the host GA plugin never; Azure DNS only where it is the platform's resolver (nat);
    // with "firewall" egress DNS through the host's filter only.
    blocked: [...new Set([...LINK_LOCAL, 'udp 169.254.169.254 53', 'tcp 169.254.169.254 53', 'udp 169.254.169.253 53', 'tcp 169.254.169.253 53',
      'tcp 168.63.129.16 80', 'tcp 168.63.129.16 32526',
      ...(egress === EgressMode.NAT ? [] : ['udp 168.63.129.16 53', 'tcp 168.63.129.16 53']),
      ...(egress === EgressMode.FIREWALL ? ALL_DNS : [])])],
  });
}

// One of each default pattern; the bridged ones sit on ports ("bport*") no pattern matches, so only
// the bridge's own name can guard them.
const SANDBOX_INTERFACES = ['tap0', 'veth0', 'fc-0', 'vmtap0', 'docker0/bport0', 'br-1a2b/bport1', 'cni0/bport2', 'podman0/bport3'];
/** Host-side pod interfaces as the pod networks name them: EKS VPC CNI "eni" + hash, Calico "cali", Cilium "lxc" (two: AKS's exempt pod). */
const POD_INTERFACES = ['eni1a2b3c4d5e6', 'cali1a2b3c4d5e', 'lxc1a2b3c4d5e6', 'lxc9f8e7d6c5b4a'];

/**
 * The ruleset an AKS node agent loads: its heredoc, plus the exempt-address line the agent appends for the
 * kube-system pods it finds (here: `exempt`).
 */
function aksAgentRuleset(runtime: SandboxRuntime, egress: EgressMode, exempt: string[]): string {
  const plan = resolvePlatform({
    name: 'acme', deployment: DeploymentModel.MANAGED, compliance: ComplianceProfile.BASELINE, orchestrator: Orchestrator.KUBERNETES,
    sandboxPools: [{ name: 'p', runtime, minNodes: 1, maxNodes: 2 }],
  }, CloudProvider.AZURE);
  const script = aksNodeAgentScript(plan.kubernetes!.runtimeClasses[0], egress);
  const m = script.match(/<<'SANDBOX_NFT'\n([\s\S]*?)\nSANDBOX_NFT\n/);
  if (!m) throw new Error('no nftables ruleset in the AKS node agent');
  return `${m[1]}\n${exempt.length > 0 ? `add element inet sandbox_guard exempt_v4 { ${exempt.join(',')} }\n` : ''}`;
}

/** An exemption as the agent writes it: the pod's host-side interface and its address. */
function exemptEntry(ifname: string, address: string): string {
  return `"${ifname}" . ${address}`;
}
const describePackets = blocker ? describe.skip : describe;

describePackets('host guard with real packets', () => {
  const lab = new PacketLab([...SANDBOX_INTERFACES, ...POD_INTERFACES, 'eth9']);
  beforeAll(async () => {
    await lab.start();
    await lab.startDnsUpstream();
    const { program, allowList } = dnsFilterOf(gcpOptions(EgressMode.FIREWALL));
    await lab.startDnsFilter(program, allowList, DNS_FILTER_PORT);
    // Eighteen namespaces (three of them the pod-network interfaces) on a loaded CI machine.
  }, 60_000);
  afterAll(() => lab.stop());

  test.each(scenarios)('$label: a sandbox reaches exactly what the guard allows', ({ ruleset, blocked }) => {
    lab.loadRuleset(ruleset());
    const tap = lab.sandbox('tap0');
    const result = lab.probe(tap.ns, [...TARGETS, tcp(tap.gateway4, 8080), tcp(tap.gateway6, 8080)]);
    const expected = Object.fromEntries([...TARGETS.map((t) => [key(t), !blocked.includes(key(t))]),
      [`tcp ${tap.gateway4} 8080`, true], [`tcp ${tap.gateway6} 8080`, true]]);
    expect(result).toEqual(expected);
  }, 20_000);

  test.each(scenarios)('$label: the host itself keeps metadata, WireServer and the Google VIPs', ({ ruleset }) => {
    lab.loadRuleset(ruleset());
    const targets = [tcp('169.254.169.254', 80), tcp('168.63.129.16', 32526), tcp('199.36.153.8', 443), tcp('fd00:ec2::254', 80)];
    expect(Object.values(lab.probe(lab.host, targets))).toEqual([true, true, true, true]);
  }, 20_000);

  test('every sandbox interface pattern is guarded; another interface of the host is not', () => {
    lab.loadRuleset(scenarios[0].ruleset());
    const metadata = [tcp('169.254.169.254', 80), tcp('192.0.2.10', 443)];
    for (const name of SANDBOX_INTERFACES) {
      const ifname = name.split('/')[0];
      expect([name, lab.probe(lab.sandbox(ifname).ns, metadata)]).toEqual([name, { 'tcp 169.254.169.254 80': false, 'tcp 192.0.2.10 443': true }]);
    }
    // eth9 matches no sandbox pattern: the guard is scoped to sandbox interfaces by name.
    expect(lab.probe(lab.sandbox('eth9').ns, metadata)).toEqual({ 'tcp 169.254.169.254 80': true, 'tcp 192.0.2.10 443': true });
  }, 30_000);

  test('aws with the VPC blocked: in-VPC addresses are closed except the VPC resolver; connections into the sandbox still work', () => {
    lab.loadRuleset(rulesetOf(awsBootstrapOptions('acme', poolFor(CloudProvider.AWS), '/sandbox/acme/bootstrap', 'acme-gv', { vpcCidr: '10.64.0.0/16' })));
    const tap = lab.sandbox('tap0');
    expect(lab.probe(tap.ns, [udp('10.64.0.2', 53), tcp('10.64.1.20', 443), tcp('10.64.0.2', 443), tcp('192.0.2.10', 443)])).toEqual({
      'udp 10.64.0.2 53': true, 'tcp 10.64.1.20 443': false, 'tcp 10.64.0.2 443': false, 'tcp 192.0.2.10 443': true,
    });
    // A client inside the VPC (a proxy on another node) opens a connection to the sandbox: the replies pass.
    expect(lab.probe(lab.services, [{ proto: 'tcp', address: tap.address4, port: SANDBOX_TCP_PORT, localAddress: '10.64.1.20' }]))
      .toEqual({ [`tcp ${tap.address4} ${SANDBOX_TCP_PORT}`]: true });
  }, 20_000);

  test('aws kubernetes: on sandbox nodes the pod network\'s interfaces are guarded (DNS to CoreDNS in the VPC passes, the API server '
    + 'and metadata do not); on the system node group they are not sandbox interfaces', () => {
    const pool = resolvePlatform({
      name: 'acme', deployment: DeploymentModel.MANAGED, compliance: ComplianceProfile.BASELINE, orchestrator: Orchestrator.KUBERNETES,
      sandboxPools: [{ name: 'gv', runtime: SandboxRuntime.GVISOR, minNodes: 1, maxNodes: 2 }],
    }, CloudProvider.AWS).pools[0];
    const options = (sandboxPods: boolean) => awsBootstrapOptions('acme', pool, '/sandbox/acme/bootstrap', 'acme-gv', { vpcCidr: '10.64.0.0/16', sandboxPods });
    const targets = [tcp('169.254.169.254', 80), tcp('169.254.170.23', 80), udp('10.64.1.20', 53), tcp('10.64.1.20', 53),
      tcp('10.64.1.20', 443), tcp('192.0.2.10', 443)];
    lab.loadRuleset(rulesetOf(options(true)));
    for (const name of [...POD_INTERFACES, 'tap0']) {
      expect([name, lab.probe(lab.sandbox(name).ns, targets)]).toEqual([name, {
        'tcp 169.254.169.254 80': false, 'tcp 169.254.170.23 80': false, 'udp 10.64.1.20 53': true, 'tcp 10.64.1.20 53': true,
        'tcp 10.64.1.20 443': false, 'tcp 192.0.2.10 443': true,
      }]);
    }
    lab.loadRuleset(rulesetOf(options(false)));
    expect(lab.probe(lab.sandbox('eni1a2b3c4d5e6').ns, [tcp('10.64.1.20', 443), tcp('169.254.169.254', 80)]))
      .toEqual({ 'tcp 10.64.1.20 443': true, 'tcp 169.254.169.254 80': true });
    // The instance-mode ruleset never matched them either: the patterns, not chance, guard pod traffic.
    lab.loadRuleset(scenarios[0].ruleset());
    expect(lab.probe(lab.sandbox('cali1a2b3c4d5e').ns, [tcp('169.254.169.254', 80)])).toEqual({ 'tcp 169.254.169.254 80': true });
  }, 30_000);

  test.each([[SandboxRuntime.KATA, EgressMode.FIREWALL], [SandboxRuntime.GVISOR, EgressMode.NAT]])(
    'aks node agent (%s, %s egress): Cilium pod interfaces lose IMDS and WireServer; the exempt kube-system pod keeps them; the internet stays', (runtime, egress) => {
      const sandbox = lab.sandbox('lxc1a2b3c4d5e6');
      const agent = lab.sandbox('lxc9f8e7d6c5b4a');
      lab.loadRuleset(aksAgentRuleset(runtime, egress, [exemptEntry('lxc9f8e7d6c5b4a', agent.address4)]));
      const targets = [tcp('169.254.169.254', 80), tcp('168.63.129.16', 80), tcp('168.63.129.16', 32526), udp('168.63.129.16', 53), tcp('192.0.2.10', 443)];
      expect(lab.probe(sandbox.ns, targets)).toEqual({
        'tcp 169.254.169.254 80': false, 'tcp 168.63.129.16 80': false, 'tcp 168.63.129.16 32526': false,
        // Azure DNS stays open where it is the platform's resolver ("nat"); with the firewall, pods resolve through CoreDNS.
        'udp 168.63.129.16 53': egress === EgressMode.NAT, 'tcp 192.0.2.10 443': true,
      });
      expect(Object.values(lab.probe(agent.ns, targets))).toEqual([true, true, true, true, true]);
      // Without the exemption the agent's pod is guarded like any other; an exemption is bound to its interface, so
      // the same address entering on another interface (a reused or forged address) stays guarded.
      lab.loadRuleset(aksAgentRuleset(runtime, egress, []));
      expect(lab.probe(agent.ns, [tcp('169.254.169.254', 80)])).toEqual({ 'tcp 169.254.169.254 80': false });
      lab.loadRuleset(aksAgentRuleset(runtime, egress, [exemptEntry('lxc1a2b3c4d5e6', agent.address4)]));
      expect(lab.probe(agent.ns, [tcp('169.254.169.254', 80)])).toEqual({ 'tcp 169.254.169.254 80': false });
      expect(Object.values(lab.probe(lab.host, [tcp('169.254.169.254', 80), tcp('168.63.129.16', 32526)]))).toEqual([true, true]);
    }, 30_000);

  test('IPv6: the host\'s link-local address is closed to sandboxes, neighbour discovery still works', () => {
    lab.loadRuleset(scenarios[0].ruleset());
    const tap = lab.sandbox('tap0');
    expect(tap.hostLinkLocal6).toMatch(/^fe80::/);
    const result = lab.probe(tap.ns, [tcp(`${tap.hostLinkLocal6}%eth0`, 8080), tcp(tap.gateway6, 8080)]);
    expect(result).toEqual({ [`tcp ${tap.hostLinkLocal6}%eth0 8080`]: false, [`tcp ${tap.gateway6} 8080`]: true });
  }, 20_000);

  // ---- The DNS filter ("firewall" egress on GCP and Azure) ----

  const filterScenarios = scenarios.filter((sc) => sc.label.endsWith('firewall egress') && !sc.label.startsWith('aws'));
  /** Names on the allow-list (ALLOWED: "pypi.org" exactly, ".github.com" with subdomains), in any letter case. */
  const ALLOWED_NAMES = ['pypi.org', 'github.com', 'api.github.com', 'a.b.github.com', 'PyPI.ORG', 'Api.GitHub.Com'];
  /** Names that are not: near misses, other names under an exact entry, and an exfiltration-shaped one. */
  const REFUSED_NAMES = ['example.org', 'sub.pypi.org', 'pypi.org.evil.example', 'notgithub.com', 'github.com.evil.example',
    'github.co', '6578666966696c747261746564.tunnel.example.net'];
  /** Every resolver a sandbox might be configured with: its gateway, the clouds' resolvers, the VPC resolver, the upstream itself, the internet. */
  const resolversOf = (gateway: string): string[] => [gateway, '169.254.169.254', '168.63.129.16', '10.64.0.2', DNS_UPSTREAM.address, '192.0.2.10'];

  test('the filter program and allow-list are the same on GCP and Azure', () => {
    expect(dnsFilterOf(azureOptions(EgressMode.FIREWALL))).toEqual(dnsFilterOf(gcpOptions(EgressMode.FIREWALL)));
  });

  test.each(filterScenarios)('$label: a sandbox resolves allow-listed names through the host filter, whatever resolver it asks; '
    + 'other names are refused and never reach the upstream or any resolver', async ({ ruleset }) => {
    lab.loadRuleset(ruleset());
    await lab.resetRecords();
    for (const ifname of ['tap0', 'docker0']) {
      const sandbox = lab.sandbox(ifname);
      // One resolver at a time: the filter keeps at most 32 queries of one sandbox in flight.
      for (const server of resolversOf(sandbox.gateway4)) {
        const queries: DnsQuery[] = [...ALLOWED_NAMES, ...REFUSED_NAMES].map((name) => ({ server, port: 53, name }));
        const expected: Record<string, DnsResult> = Object.fromEntries(queries.map((q) => [dnsKey(q),
          // The answer comes back from the address the sandbox asked (the redirect is undone on the way out).
          ALLOWED_NAMES.includes(q.name) ? { rcode: 0, addresses: [DNS_ANSWER], from: server } : { rcode: 5, addresses: [], from: server }]));
        expect([ifname, lab.dns(sandbox.ns, queries, 2000)]).toEqual([ifname, expected]);
      }
    }
    // The upstream saw each allowed query once (lowercased) and nothing else; no resolver address in the
    // services namespace (the metadata server, WireServer, the VPC's, the internet's) received a datagram.
    const { upstream, services } = await lab.records();
    const seen: Record<string, number> = {};
    for (const q of upstream) seen[q.name] = (seen[q.name] ?? 0) + 1;
    const expectedSeen: Record<string, number> = {};
    for (const n of ALLOWED_NAMES) expectedSeen[n.toLowerCase()] = (expectedSeen[n.toLowerCase()] ?? 0) + 2 * resolversOf('x').length;
    expect(seen).toEqual(expectedSeen);
    expect(services).toEqual([]);
  }, 30_000);

  test('the filter\'s port answers neither the network nor a sandbox that addresses it directly; the host itself may ask it', () => {
    lab.loadRuleset(filterScenarios[0].ruleset());
    const tap = lab.sandbox('tap0');
    const ask = (server: string): DnsQuery => ({ server, port: DNS_FILTER_PORT, name: 'pypi.org' });
    expect(lab.dns(lab.services, [ask(HOST_UPLINK)])).toEqual({ [dnsKey(ask(HOST_UPLINK))]: null });
    expect(lab.dns(tap.ns, [ask(tap.gateway4)])).toEqual({ [dnsKey(ask(tap.gateway4))]: null });
    expect(lab.dns(lab.host, [ask('127.0.0.1')])).toEqual({ [dnsKey(ask('127.0.0.1'))]: { rcode: 0, addresses: [DNS_ANSWER], from: '127.0.0.1' } });
  }, 20_000);

  test('the host\'s own DNS is not filtered: it still asks its resolver (and the metadata server) for any name', () => {
    lab.loadRuleset(filterScenarios[0].ruleset());
    const q: DnsQuery = { server: DNS_UPSTREAM.address, port: DNS_UPSTREAM.port, name: 'example.org' };
    expect(lab.dns(lab.host, [q])).toEqual({ [dnsKey(q)]: { rcode: 0, addresses: [DNS_ANSWER], from: DNS_UPSTREAM.address } });
    expect(lab.probe(lab.host, [udp('169.254.169.254', 53), udp('168.63.129.16', 53)])).toEqual({ 'udp 169.254.169.254 53': true, 'udp 168.63.129.16 53': true });
  }, 20_000);

  test('an interface that matches no sandbox pattern is not redirected', async () => {
    lab.loadRuleset(filterScenarios[0].ruleset());
    await lab.resetRecords();
    const q: DnsQuery = { server: DNS_UPSTREAM.address, port: DNS_UPSTREAM.port, name: 'example.org' };
    expect(lab.dns(lab.sandbox('eth9').ns, [q])).toEqual({ [dnsKey(q)]: { rcode: 0, addresses: [DNS_ANSWER], from: DNS_UPSTREAM.address } });
    expect((await lab.records()).upstream.map((u) => u.name)).toEqual(['example.org']);
  }, 20_000);

  test('with the filter stopped, sandboxes get no DNS at all (fail closed), and it answers again once restarted', async () => {
    lab.loadRuleset(filterScenarios[0].ruleset());
    await lab.resetRecords();
    const tap = lab.sandbox('tap0');
    const q: DnsQuery = { server: '169.254.169.254', port: 53, name: 'pypi.org' };
    lab.stopDnsFilter();
    expect(lab.dns(tap.ns, [q])).toEqual({ [dnsKey(q)]: null });
    expect(await lab.records()).toEqual({ upstream: [], services: [] });
    const { program, allowList } = dnsFilterOf(gcpOptions(EgressMode.FIREWALL));
    await lab.startDnsFilter(program, allowList, DNS_FILTER_PORT);
    expect(lab.dns(tap.ns, [q])).toEqual({ [dnsKey(q)]: { rcode: 0, addresses: [DNS_ANSWER], from: '169.254.169.254' } });
  }, 20_000);

  test('without the guard every target answers (the lab itself is not what blocks)', () => {
    lab.loadRuleset('table inet sandbox_guard\ndelete table inet sandbox_guard\n');
    const result = lab.probe(lab.sandbox('tap0').ns, TARGETS);
    expect(Object.entries(result).filter(([, ok]) => !ok)).toEqual([]);
  }, 20_000);
});
