import { expectShellcheckClean, SKIP_SHELLCHECK } from './shellcheck';
import { spawnSync } from 'child_process';
import { createSocket } from 'dgram';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import {
  BOOTSTRAP_LOG_FILE,
  BOOTSTRAP_PER_BOOT_PATH,
  BootstrapMarker,
  DEFAULT_NVME_DEVICE_GLOB,
  DNS_FILTER_ALLOW_LIST_PATH,
  DNS_FILTER_PORT,
  DNS_FILTER_PROGRAM_PATH,
  DNS_FILTER_SCRIPT,
  DNS_FILTER_UNIT,
  HostBootstrapOptions,
  hostGuardFor,
  hugepageCount,
  renderCloudInitUserData,
  renderHostBootstrap,
} from '../lib/host';
import { CloudProvider, EgressMode } from '../lib/spec';

const base: HostBootstrapOptions = {
  platformName: 'acme',
  poolName: 'pool-a',
  kvmRequired: false,
  gpu: false,
  hugepagesMiB: 0,
  localNvme: false,
};

const full: HostBootstrapOptions = {
  ...base,
  poolName: 'kvm-gpu',
  kvmRequired: true,
  gpu: true,
  hugepagesMiB: 1025,
  localNvme: true,
  preamble: ['systemctl start amazon-cloudwatch-agent || true', 'echo "preamble two"'],
  onFailure: [
    'TOKEN="$(curl -sf -X PUT -H "X-aws-ec2-metadata-token-ttl-seconds: 60" http://169.254.169.254/latest/api/token)"',
    'IID="$(curl -sf -H "X-aws-ec2-metadata-token: ${TOKEN}" http://169.254.169.254/latest/meta-data/instance-id)"',
    'aws autoscaling set-instance-health --instance-id "${IID}" --health-status Unhealthy',
  ],
  userCommands: ['echo "user one"', 'touch /var/lib/sandbox/ready', 'echo "user three"'],
  dnfEnableRepos: ['amazonlinux'],
  hostGuard: hostGuardFor(CloudProvider.GCP, EgressMode.NAT),
};

const render = (overrides: Partial<HostBootstrapOptions> = {}): string => renderHostBootstrap({ ...base, ...overrides });

const lines = (text: string): string[] => text.split('\n');

/** Index of the first line equal to `line` (after trimming), failing the test when absent. */
function lineIndex(text: string, line: string): number {
  const i = lines(text).findIndex((l) => l.trim() === line);
  if (i < 0) throw new Error(`line ${JSON.stringify(line)} not found`);
  return i;
}

/** The main part of the script (after the function definitions). */
const mainOf = (text: string): string => text.slice(text.indexOf('# ---- main ----'));

describe('host bootstrap: script basics', () => {
  test('is a strict bash script', () => {
    const text = render();
    expect(lines(text)[0]).toBe('#!/bin/bash');
    expect(text).toContain('\nset -euo pipefail\n');
    expect(text.endsWith('\n')).toBe(true);
  });

  test('is deterministic for the same input', () => {
    expect(renderHostBootstrap(full)).toBe(renderHostBootstrap({ ...full }));
    expect(renderCloudInitUserData(full)).toBe(renderCloudInitUserData({ ...full }));
  });

  test('logs to the log file and the journal with a stable prefix', () => {
    const text = render();
    expect(text).toContain(`readonly SANDBOX_LOG_FILE=${BOOTSTRAP_LOG_FILE}`);
    expect(BOOTSTRAP_LOG_FILE).toBe('/var/log/sandbox-bootstrap.log');
    expect(text).toContain('logger -t sandbox-bootstrap --');
    expect(text).toContain('line="sandbox-bootstrap[${SANDBOX_PLATFORM}/${SANDBOX_POOL}] ${SANDBOX_STEP}: $*"');
  });

  test('quotes names', () => {
    const text = render();
    expect(text).toContain("readonly SANDBOX_PLATFORM='acme'");
    expect(text).toContain("readonly SANDBOX_POOL='pool-a'");
  });

  test.each([
    [{ platformName: 'Acme' }],
    [{ poolName: 'a b' }],
    [{ poolName: "x'; rm -rf /" }],
    [{ hugepagesMiB: -2 }],
    [{ hugepagesMiB: 1.5 }],
    [{ hugepagesMiB: Number.NaN }],
    [{ localNvme: true, nvmeDeviceGlob: '/dev/disk/by-id/x*; reboot' }],
    [{ localNvme: true, nvmeDeviceGlob: 'relative/*' }],
    [{ sandboxInterfacePattern: 'tap"*' }],
    [{ sandboxInterfacePattern: 'averyveryverylongname*' }],
    [{ sandboxInterfacePattern: ' , ' }],
  ] as Array<[Partial<HostBootstrapOptions>]>)('rejects invalid options %j', (overrides) => {
    expect(() => render(overrides)).toThrow(/host bootstrap/);
  });

  test('ends with the OK marker', () => {
    const text = renderHostBootstrap(full).trimEnd();
    const last = lines(text)[lines(text).length - 1];
    expect(last).toContain(BootstrapMarker.BOOTSTRAP_OK);
    expect(last).toContain('bootstrap complete');
  });
});

describe('host bootstrap: kernel modules and KVM', () => {
  test('loads and persists the sandbox modules', () => {
    const text = render();
    expect(text).toContain('grep -qw vmx /proc/cpuinfo; then vendor=kvm_intel');
    expect(text).toContain('grep -qw svm /proc/cpuinfo; then vendor=kvm_amd');
    expect(text).toMatch(/for module in kvm \$\{vendor:\+"\$\{vendor\}"\} vhost_vsock vhost_net tun nbd/);
    expect(text).toContain('options nbd max_part=16');
    expect(text).toContain('/etc/modules-load.d/sandbox.conf');
  });

  test('checks /dev/kvm only when KVM is required', () => {
    const kvm = render({ kvmRequired: true });
    expect(kvm).toContain('[ -c /dev/kvm ]');
    expect(kvm).toContain(BootstrapMarker.KVM_MISSING);
    expect(kvm).toContain('not a metal instance and nested virtualization not enabled');
    expect(mainOf(kvm)).toContain('\nsandbox_check_kvm\n');

    const noKvm = render({ kvmRequired: false });
    expect(noKvm).not.toContain('/dev/kvm');
    expect(noKvm).not.toContain(BootstrapMarker.KVM_MISSING);
    expect(noKvm).not.toContain('sandbox_check_kvm');
  });
});

describe('host bootstrap: hugepages', () => {
  test.each([
    [1025, 513],
    [1024, 512],
    [1, 1],
    [2, 1],
    [0, 0],
  ])('%d MiB -> %d pages', (mib, pages) => {
    expect(hugepageCount(mib)).toBe(pages);
  });

  test('reserves ceil(MiB/2) pages, persists them and warns when short', () => {
    const text = render({ hugepagesMiB: 1025 });
    expect(text).toContain('vm.nr_hugepages = 513\n');
    expect(text).toContain('echo 513 >/proc/sys/vm/nr_hugepages');
    expect(text).toContain('/etc/sysctl.d/91-sandbox-hugepages.conf');
    expect(text).toContain("awk '/^HugePages_Total:/ {print $2}' /proc/meminfo");
    expect(text).toMatch(/if \[ "\$\{total:-0\}" -lt 513 \]; then\n\s+sandbox_log "WARN/);
  });

  test('reserves nothing for 0 MiB and drops an old reservation', () => {
    const text = render({ hugepagesMiB: 0 });
    expect(text).not.toContain('nr_hugepages');
    expect(text).toContain('rm -f /etc/sysctl.d/91-sandbox-hugepages.conf');
  });
});

describe('host bootstrap: sysctls', () => {
  const keys = [
    'net.netfilter.nf_conntrack_max',
    'net.core.somaxconn = 65535',
    'vm.max_map_count = 1048576',
    'fs.inotify.max_user_instances = 8192',
    'fs.inotify.max_user_watches = 1048576',
    'fs.file-max',
    'fs.nr_open',
    'net.ipv4.ip_forward = 1',
    'net.ipv4.neigh.default.gc_thresh1',
    'net.ipv4.neigh.default.gc_thresh2',
    'net.ipv4.neigh.default.gc_thresh3',
    'net.ipv4.ip_local_port_range',
  ];

  test.each(keys)('sets %s with a comment saying why', (key) => {
    const text = render();
    const i = lines(text).findIndex((l) => l.startsWith(key));
    expect(i).toBeGreaterThan(0);
    expect(lines(text)[i - 1]).toMatch(/^# \S/);
  });

  test('writes 90-sandbox.conf and applies with sysctl --system', () => {
    const text = render();
    expect(text).toContain("sandbox_write_file /etc/sysctl.d/90-sandbox.conf 0644 <<'SANDBOX_CONF'");
    expect(text).toContain('sysctl --system');
  });
});

describe('host bootstrap: local NVMe', () => {
  test('without local NVMe: data dir on the root disk, no RAID or mkfs', () => {
    const text = render({ localNvme: false });
    expect(text).toContain('mkdir -p "${SANDBOX_DATA_DIR}"');
    expect(text).toContain('readonly SANDBOX_DATA_DIR=/var/lib/sandbox');
    for (const absent of ['mdadm', 'mkfs.xfs', '/dev/md/sandbox', 'nvme', 'mount -o']) {
      expect(text).not.toContain(absent);
    }
  });

  test('with local NVMe: 0 disks skip, 1 disk XFS, several disks RAID0, mounted noatime', () => {
    const text = render({ localNvme: true });
    expect(text).toContain('mountpoint -q "${SANDBOX_DATA_DIR}"');
    expect(text).toContain('no instance-store NVMe disks found');
    expect(text).toContain('1) target="${disks[0]}" ;;');
    expect(text).toContain('mdadm --create /dev/md/sandbox --name=sandbox --level=0 --raid-devices="$#" --run "$@"');
    expect(text).toContain('mdadm --assemble /dev/md/sandbox "$@"');
    expect(text).toContain('mkfs.xfs -f -K -L sandbox-data "${target}"');
    expect(text).toContain('if [ "${fstype}" = xfs ]; then');
    expect(text).toContain('mount -o noatime "${target}" "${SANDBOX_DATA_DIR}"');
    expect(text).toContain('sandbox_require_command mdadm mdadm');
    expect(text).toContain('sandbox_require_command mkfs.xfs xfsprogs');
  });

  test('the default device globs cover AWS, GCP and Azure instance storage', () => {
    const text = render({ localNvme: true });
    expect(text).toContain(`for link in ${DEFAULT_NVME_DEVICE_GLOB}; do`);
    expect(DEFAULT_NVME_DEVICE_GLOB).toContain('Amazon_EC2_NVMe_Instance_Storage');
    expect(DEFAULT_NVME_DEVICE_GLOB).toContain('google-local-nvme-ssd');
    expect(DEFAULT_NVME_DEVICE_GLOB).toContain('nvme_card_');
    expect(DEFAULT_NVME_DEVICE_GLOB).toContain('Microsoft_NVMe_Direct_Disk');
  });

  test('a custom device glob replaces the default', () => {
    const text = render({ localNvme: true, nvmeDeviceGlob: '/dev/disk/by-id/nvme-Custom_* /dev/nvme[1-4]n1' });
    expect(text).toContain('for link in /dev/disk/by-id/nvme-Custom_* /dev/nvme[1-4]n1; do');
    expect(text).not.toContain('Amazon_EC2_NVMe_Instance_Storage');
  });
});

describe('host bootstrap: nftables host guard', () => {
  test('by default drops sandbox traffic to every link-local address on forward and input, not output', () => {
    const text = render();
    expect(text).toContain('table inet sandbox_guard {');
    expect(text).toMatch(/set blocked_v4 \{\n    type ipv4_addr\n    flags interval\n    elements = \{ 169\.254\.0\.0\/16 \}/);
    expect(text).toMatch(/set blocked_v6 \{\n    type ipv6_addr\n    flags interval\n    elements = \{ fe80::\/10 \}/);
    // No resolver exceptions without a cloud: the sets are empty.
    expect(text).toMatch(/set dns_v4 \{\n    type ipv4_addr\n    flags interval\n  \}/);
    expect(text).toContain('ip daddr @blocked_v4 drop');
    expect(text).toContain('ip6 daddr @blocked_v6 drop');
    expect(text).toContain('log prefix "sandbox-guard-drop: "');
    expect(text).toContain('type filter hook forward priority');
    expect(text).toContain('type filter hook input priority');
    expect(text).not.toContain('hook output');
    expect(text).toContain('nft -f /etc/nftables.d/sandbox-guard.nft');
  });

  test('DNS to the allowed resolvers returns before the drops', () => {
    const text = render({ hostGuard: hostGuardFor(CloudProvider.GCP, EgressMode.NAT) });
    const dns = lineIndex(text, 'ip daddr @dns_v4 meta l4proto { tcp, udp } th dport 53 return');
    expect(dns).toBeGreaterThan(0);
    expect(dns).toBeLessThan(lineIndex(text, 'ip daddr @blocked_v4 drop'));
    expect(text).toContain('elements = { 169.254.169.254 }');
    expect(text).toContain('elements = { 169.254.0.0/16, 199.36.153.4/30, 199.36.153.8/30 }');
  });

  test('per cloud: the resolver each cloud gives sandboxes, and what is blocked', () => {
    expect(hostGuardFor(CloudProvider.AWS)).toEqual({
      blockedIpv4: ['169.254.0.0/16'], blockedIpv6: ['fe80::/10', 'fd00:ec2::/32'], dnsIpv4: ['169.254.169.253'], dnsIpv6: ['fd00:ec2::253'],
    });
    expect(hostGuardFor(CloudProvider.GCP).blockedIpv4).toEqual(['169.254.0.0/16', '199.36.153.4/30', '199.36.153.8/30']);
    // With "firewall" egress, no resolver: sandbox DNS goes through the host's DNS filter (dnsFilter).
    expect(hostGuardFor(CloudProvider.GCP, EgressMode.FIREWALL).dnsIpv4).toEqual([]);
    expect(hostGuardFor(CloudProvider.GCP, EgressMode.NAT).dnsIpv4).toEqual(['169.254.169.254']);
    expect(hostGuardFor(CloudProvider.GCP, EgressMode.NONE).dnsIpv4).toEqual([]);
    expect(hostGuardFor(CloudProvider.GCP).dnsIpv4).toEqual([]);
    // Azure: WireServer is always blocked; its DNS only where it is the platform's resolver (nat).
    for (const egress of Object.values(EgressMode)) {
      expect(hostGuardFor(CloudProvider.AZURE, egress).blockedIpv4).toEqual(['169.254.0.0/16', '168.63.129.16']);
      expect(hostGuardFor(CloudProvider.AZURE, egress).dnsIpv4).toEqual(egress === EgressMode.NAT ? ['168.63.129.16'] : []);
    }
    expect(hostGuardFor(CloudProvider.AZURE).dnsIpv4).toEqual([]);
  });

  test('rejects addresses that are not IP addresses or CIDRs, naming the field', () => {
    const guard = { ...hostGuardFor(CloudProvider.AWS), blockedIpv4: ['169.254.0.0/16', '10.0.0.0/33'] };
    expect(() => render({ hostGuard: guard })).toThrow('hostGuard.blockedIpv4 entry "10.0.0.0/33" must be an IPv4 address or CIDR');
    expect(() => render({ hostGuard: { ...guard, blockedIpv4: [], blockedIpv6: ['fe80::/10'], dnsIpv6: ['169.254.169.253'] } }))
      .toThrow('hostGuard.dnsIpv6 entry "169.254.169.253" must be an IPv6 address or CIDR');
    expect(() => render({ hostGuard: { blockedIpv4: [], blockedIpv6: [], dnsIpv4: [], dnsIpv6: [] } })).toThrow('blocks nothing');
  });

  test('re-applies atomically (the table is replaced in one transaction)', () => {
    const text = render();
    const add = lineIndex(text, 'table inet sandbox_guard');
    expect(lines(text)[add + 1]).toBe('delete table inet sandbox_guard');
    expect(lines(text)[add + 2]).toBe('table inet sandbox_guard {');
  });

  test('default interface patterns, in forward and input', () => {
    const text = render();
    for (const p of ['tap*', 'fc-*', 'veth*', 'vmtap*', 'docker0', 'br-*', 'cni*', 'podman*']) {
      expect(text.split(`iifname "${p}" jump sandbox_guard`).length - 1).toBe(2);
    }
  });

  test('custom interface patterns replace the default', () => {
    const text = render({ sandboxInterfacePattern: 'sbx*, fcvm0' });
    expect(text).toContain('iifname "sbx*" jump sandbox_guard');
    expect(text).toContain('iifname "fcvm0" jump sandbox_guard');
    expect(text).not.toContain('iifname "veth*"');
  });

  test('dnf installs can be limited to named repositories', () => {
    expect(render()).toContain('    dnf install -y "$@"');
    const text = render({ dnfEnableRepos: ['amazonlinux', 'kernel-livepatch*'] });
    expect(text).toContain(`    dnf install -y --disablerepo='*' --enablerepo='amazonlinux' --enablerepo='kernel-livepatch*' "$@"`);
    expect(() => render({ dnfEnableRepos: ['bad repo'] })).toThrow('dnfEnableRepos entry "bad repo" must be a dnf repository id');
  });

  test('installs nftables when nft is missing', () => {
    const text = render();
    expect(text).toContain('sandbox_require_command nft nftables');
    for (const pm of ['dnf install -y', 'apt-get -o DPkg::Lock::Timeout=300 install -y', 'yum install -y']) {
      expect(text).toContain(pm);
    }
  });
});

describe('host bootstrap: sandbox DNS filter', () => {
  const noResolvers = { ...hostGuardFor(CloudProvider.GCP, EgressMode.FIREWALL) };
  const filtered = (allowedDomains: string[] = ['pypi.org', '.github.com'], overrides: Partial<HostBootstrapOptions> = {}): string =>
    render({ hostGuard: noResolvers, dnsFilter: { allowedDomains }, ...overrides });
  /** The lines of one nftables chain. */
  const chain = (text: string, name: string): string[] => {
    const start = lineIndex(text, `chain ${name} {`);
    const end = lines(text).findIndex((l, i) => i > start && l === '  }');
    return lines(text).slice(start + 1, end).map((l) => l.trim());
  };

  test('without dnsFilter: no redirect, no filter, no port-53 rules', () => {
    const text = render({ hostGuard: noResolvers });
    for (const absent of ['sandbox_dns_redirect', 'hook prerouting', 'sandbox-dns-filter', 'sandbox_start_dns_filter', `${DNS_FILTER_PORT}`, 'reject']) {
      expect([absent, text.includes(absent)]).toEqual([absent, false]);
    }
  });

  test('redirects IPv4 UDP 53 from every sandbox interface, to any address, to the filter, ahead of other DNAT', () => {
    const text = filtered();
    expect(chain(text, 'sandbox_dns_redirect')).toEqual([`meta nfproto ipv4 udp dport 53 redirect to :${DNS_FILTER_PORT}`]);
    expect(chain(text, 'prerouting')).toEqual([
      'type nat hook prerouting priority -110; policy accept;',
      ...['tap*', 'fc-*', 'veth*', 'vmtap*', 'docker0', 'br-*', 'cni*', 'podman*'].map((p) => `iifname "${p}" jump sandbox_dns_redirect`),
    ]);
    // Custom interface patterns are redirected too.
    expect(chain(filtered(undefined, { sandboxInterfacePattern: 'sbx*' }), 'prerouting')).toContain('iifname "sbx*" jump sandbox_dns_redirect');
  });

  test('the sandbox chain accepts the redirected query only, and rejects every other port-53 packet before anything else', () => {
    const guard = chain(filtered(), 'sandbox_guard');
    expect(guard.slice(1, 5)).toEqual([
      `udp dport ${DNS_FILTER_PORT} ct status dnat ct original proto-dst 53 accept`,
      'meta l4proto { tcp, udp } th dport 53 limit rate 10/second burst 20 packets log prefix "sandbox-guard-dns: " level warn',
      'meta l4proto tcp th dport 53 reject with tcp reset',
      'meta l4proto udp th dport 53 reject',
    ]);
    expect(guard.indexOf('ct state established,related return')).toBe(6);
  });

  test('the filter\'s port is closed on input to everything but loopback; the forward chain has no such rule', () => {
    const text = filtered();
    expect(chain(text, 'input').slice(-1)).toEqual([`udp dport ${DNS_FILTER_PORT} iif != "lo" drop`]);
    expect(chain(text, 'forward').join('\n')).not.toContain(`${DNS_FILTER_PORT}`);
  });

  test('writes the program, the allow-list (lowercased, no duplicates) and a confined unit; starts it right after the guard', () => {
    const text = filtered(['PyPI.org', '.github.com', 'pypi.org', '.GitHub.com']);
    expect(text).toContain(`sandbox_write_file ${DNS_FILTER_PROGRAM_PATH} 0755 <<'SANDBOX_DNS_FILTER_PROGRAM'\n${DNS_FILTER_SCRIPT}SANDBOX_DNS_FILTER_PROGRAM\n`);
    expect(text).toMatch(new RegExp(`sandbox_write_file ${DNS_FILTER_ALLOW_LIST_PATH} 0644 <<'SANDBOX_CONF'\\n#[^\\n]*\\npypi\\.org\\n\\.github\\.com\\nSANDBOX_CONF\\n`));
    const unit = text.slice(text.indexOf(`/etc/systemd/system/${DNS_FILTER_UNIT} 0644`));
    for (const directive of ['Restart=always', 'StartLimitIntervalSec=0', 'DynamicUser=yes', 'CapabilityBoundingSet=', 'NoNewPrivileges=yes',
      'ProtectSystem=strict', 'RestrictAddressFamilies=AF_INET AF_UNIX', 'MemoryMax=64M', 'LimitNOFILE=1024',
      `ExecStart=/usr/bin/python3 -I -S ${DNS_FILTER_PROGRAM_PATH} --listen 0.0.0.0:${DNS_FILTER_PORT} --upstream \${SANDBOX_DNS_UPSTREAM} --allow ${DNS_FILTER_ALLOW_LIST_PATH}`]) {
      expect(unit).toContain(`\n${directive}\n`);
    }
    const main = mainOf(text);
    expect(main).toContain('\nsandbox_step nftables\nsandbox_apply_nftables\nsandbox_step dns-filter\nsandbox_start_dns_filter\n');
    expect(main.indexOf('sandbox_start_dns_filter')).toBeLessThan(main.indexOf(BootstrapMarker.BOOTSTRAP_OK));
  });

  test.each([
    [[], /dnsFilter.allowedDomains is empty/],
    [['pypi.org', '*.github.com'], /dnsFilter.allowedDomains\[1\] "\*\.github\.com" is not a domain name; use "example\.com" \(exactly that name\) or "\.example\.com"/],
    [['localhost'], /allowedDomains\[0\] "localhost" is not a domain name/],
    [['exa mple.com'], /allowedDomains\[0\] "exa mple\.com"/],
    [['-bad.example.com'], /allowedDomains\[0\] "-bad\.example\.com"/],
    [['a..example.com'], /allowedDomains\[0\] "a\.\.example\.com"/],
    [['https://pypi.org'], /allowedDomains\[0\] "https:\/\/pypi\.org"/],
    [['pypi.org\nevil.example'], /allowedDomains\[0\] "pypi\.org\\nevil\.example"/],
    [[`${'a'.repeat(64)}.example.com`], /is not a domain name/],
  ])('rejects the allow-list %j, naming the entry', (domains, message) => {
    expect(() => filtered(domains as string[])).toThrow(message);
  });

  test('refuses resolver exceptions next to the filter (the filter must be the only DNS path)', () => {
    expect(() => render({ hostGuard: hostGuardFor(CloudProvider.GCP, EgressMode.NAT), dnsFilter: { allowedDomains: ['pypi.org'] } }))
      .toThrow('host bootstrap: dnsFilter and hostGuard resolver exceptions (dnsIpv4 ["169.254.169.254"], dnsIpv6 []) contradict each other');
  });

  (SKIP_SHELLCHECK ? test.skip : test)('passes shellcheck, as a bootstrap and as user data', () => {
    expectShellcheckClean(filtered(), 'bootstrap with the DNS filter');
    expectShellcheckClean(renderCloudInitUserData({ ...full, hostGuard: noResolvers, dnsFilter: { allowedDomains: ['pypi.org'] } }), 'user data with the DNS filter');
  });

  test('the systemd unit passes systemd-analyze verify (where systemd-analyze exists)', () => {
    const analyze = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
    if (analyze.error || analyze.status !== 0) {
      console.warn('systemd unit verification NOT RUN: no systemd-analyze here');
      return;
    }
    const text = filtered();
    const m = text.match(new RegExp(`/etc/systemd/system/${DNS_FILTER_UNIT} 0644 <<'SANDBOX_CONF'\\n([\\s\\S]*?)\\nSANDBOX_CONF\\n`));
    const dir = mkdtempSync(join(tmpdir(), 'dns-unit-'));
    try {
      writeFileSync(join(dir, DNS_FILTER_UNIT), `${m![1]}\n`);
      const r = spawnSync('systemd-analyze', ['verify', join(dir, DNS_FILTER_UNIT)], { encoding: 'utf8' });
      expect(`${r.status} ${r.stdout}${r.stderr}`.trim()).toBe('0');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('host bootstrap: GPU', () => {
  test('runs nvidia-smi with retries only on GPU pools', () => {
    const gpu = render({ gpu: true });
    expect(gpu).toContain('nvidia-smi --query-gpu');
    expect(gpu).toContain('for attempt in 1 2 3 4 5 6; do');
    expect(gpu).toContain(BootstrapMarker.GPU_DRIVER_MISSING);
    expect(mainOf(gpu)).toContain('\nsandbox_check_gpu\n');

    const cpu = render({ gpu: false });
    expect(cpu).not.toContain('nvidia-smi');
    expect(cpu).not.toContain(BootstrapMarker.GPU_DRIVER_MISSING);
  });
});

describe('host bootstrap: hooks and ordering', () => {
  const text = renderHostBootstrap(full);
  const main = mainOf(text);

  test('preamble runs before every check', () => {
    const preamble = lineIndex(main, 'systemctl start amazon-cloudwatch-agent || true');
    expect(lineIndex(main, 'echo "preamble two"')).toBe(preamble + 1);
    for (const check of ['sandbox_load_modules', 'sandbox_check_kvm', 'sandbox_prepare_data_dir', 'sandbox_check_gpu']) {
      expect(lineIndex(main, check)).toBeGreaterThan(preamble);
    }
  });

  test('sections run in order', () => {
    const order = [
      'sandbox_load_modules',
      'sandbox_check_kvm',
      'sandbox_reserve_hugepages',
      'sandbox_apply_sysctls',
      'sandbox_prepare_data_dir',
      'sandbox_apply_nftables',
      'sandbox_check_gpu',
    ].map((call) => lineIndex(main, call));
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  test('user commands run in order after all checks, before the OK marker', () => {
    const user = full.userCommands!.map((c) => lineIndex(main, c));
    expect(user).toEqual([user[0], user[0] + 1, user[0] + 2]);
    expect(user[0]).toBeGreaterThan(lineIndex(main, 'sandbox_check_gpu'));
    expect(user[0]).toBeGreaterThan(lineIndex(main, 'sandbox_apply_nftables'));
    const ok = lines(main).findIndex((l) => l.includes(BootstrapMarker.BOOTSTRAP_OK));
    expect(ok).toBeGreaterThan(user[2]);
  });

  test('onFailure commands form the failure hook that sandbox_fail runs before exit 1', () => {
    const start = lineIndex(text, 'sandbox_on_failure_hooks() {');
    expect(lines(text).slice(start + 1, start + 1 + full.onFailure!.length)).toEqual([...full.onFailure!]);
    const fail = text.slice(text.indexOf('sandbox_fail() {'));
    expect(fail.slice(0, fail.indexOf('\n}\n'))).toMatch(/sandbox_run_failure_hooks\n\s+exit 1$/);
    expect(text).toContain('trap \'sandbox_on_exit "$?"\' EXIT');
  });

  test('without hooks the script still has a valid (empty) failure hook', () => {
    const plain = render();
    expect(plain).toContain('sandbox_on_failure_hooks() {\n  :\n}');
    expect(plain).not.toContain('sandbox_step preamble');
    expect(plain).not.toContain('sandbox_step user-commands');
  });

  test('multi-line hook commands are kept verbatim (heredocs keep working)', () => {
    const heredoc = "cat >/etc/motd <<'EOF'\nsandbox host\nEOF";
    const out = render({ userCommands: [heredoc] });
    expect(out).toContain(`\n${heredoc}\n`);
  });
});

describe('cloud-init user data', () => {
  const userData = renderCloudInitUserData(full);
  const bootstrap = renderHostBootstrap(full);

  test('installs the bootstrap as a per-boot script via a quoted heredoc and runs it now', () => {
    expect(BOOTSTRAP_PER_BOOT_PATH).toBe('/var/lib/cloud/scripts/per-boot/50-sandbox-bootstrap.sh');
    expect(lines(userData)[0]).toBe('#!/bin/bash');
    expect(userData).toContain("<<'SANDBOX_BOOTSTRAP_EOF'\n" + bootstrap + 'SANDBOX_BOOTSTRAP_EOF\n');
    expect(userData).toMatch(/chmod 0755 \S+\nmv -f \S+ \/var\/lib\/cloud\/scripts\/per-boot\/50-sandbox-bootstrap\.sh\n/);
    expect(userData.trimEnd().endsWith(`exec ${BOOTSTRAP_PER_BOOT_PATH}`)).toBe(true);
  });

  test('picks another heredoc delimiter when a hook line would end the heredoc early', () => {
    const tricky = renderCloudInitUserData({ ...base, userCommands: ['echo x', 'SANDBOX_BOOTSTRAP_EOF'] });
    expect(tricky).toContain("<<'SANDBOX_BOOTSTRAP_EOF_1'\n");
    expect(tricky).toContain('\nSANDBOX_BOOTSTRAP_EOF\n');
  });

  test('fits the 16 KiB EC2 user data limit for a fully featured pool', () => {
    expect(Buffer.byteLength(userData, 'utf8')).toBeLessThan(16 * 1024);
  });
});

// ------------------------------------------------------------------------------------------------
// Running parts of the rendered script with stubbed commands (no root, no system changes).

describe('host bootstrap: failure behaviour at run time', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'host-bootstrap-'));
    const stub = (name: string, body: string): void => {
      writeFileSync(join(dir, name), `#!/bin/bash\n${body}\n`);
      chmodSync(join(dir, name), 0o755);
    };
    stub('id', 'echo 1000');
    stub('logger', 'exit 0');
    stub('sleep', 'exit 0');
    stub('nvidia-smi', 'exit 9');
    stub('lsblk', 'printf "%s\\n" "${LSBLK_OUT}"');
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs `script` with stubs first on PATH, the log file in the temp dir and a recording hook. */
  function run(script: string, env: Record<string, string> = {}): { status: number | null; log: string; hooks: string } {
    const log = join(dir, 'bootstrap.log');
    const hooks = join(dir, 'hooks');
    writeFileSync(log, '');
    writeFileSync(hooks, '');
    const text = script.replace(`readonly SANDBOX_LOG_FILE=${BOOTSTRAP_LOG_FILE}`, `readonly SANDBOX_LOG_FILE=${log}`);
    const r = spawnSync('bash', ['-c', text], {
      env: { ...process.env, ...env, PATH: `${dir}:${process.env.PATH ?? ''}`, HOOK_FILE: hooks },
      encoding: 'utf8',
    });
    return { status: r.status, log: readFileSync(log, 'utf8'), hooks: readFileSync(hooks, 'utf8') };
  }

  /** The function definitions of a rendered script followed by `main`. */
  const withMain = (text: string, main: string): string => text.slice(0, text.indexOf('# ---- main ----')) + main;

  const opts: HostBootstrapOptions = { ...full, onFailure: ['echo hook >>"${HOOK_FILE}"'] };

  test('a non-root run fails with SANDBOX_BOOTSTRAP_FAILED and runs the hook once', () => {
    const r = run(renderHostBootstrap(opts));
    expect(r.status).toBe(1);
    expect(r.log).toMatch(/sandbox-bootstrap\[acme\/kvm-gpu\] init: ERROR SANDBOX_BOOTSTRAP_FAILED: must run as root/);
    expect(r.hooks).toBe('hook\n');
  });

  test('a broken GPU driver logs SANDBOX_GPU_DRIVER_MISSING, then SANDBOX_BOOTSTRAP_FAILED', () => {
    const r = run(withMain(renderHostBootstrap(opts), 'sandbox_step gpu\nsandbox_check_gpu\necho unreachable >>"${HOOK_FILE}"\n'));
    expect(r.status).toBe(1);
    expect(r.log).toContain('attempt 6/6');
    expect(r.log).toMatch(/gpu: ERROR SANDBOX_GPU_DRIVER_MISSING: nvidia-smi keeps failing/);
    expect(r.log).toMatch(/gpu: ERROR SANDBOX_BOOTSTRAP_FAILED: SANDBOX_GPU_DRIVER_MISSING/);
    expect(r.hooks).toBe('hook\n');
  });

  test('an unexpected command failure (set -e) is reported with its step', () => {
    const r = run(withMain(renderHostBootstrap(opts), 'sandbox_step user-commands\nfalse\n'));
    expect(r.status).toBe(1);
    expect(r.log).toMatch(/user-commands: ERROR SANDBOX_BOOTSTRAP_FAILED: exit status 1 in step user-commands/);
    expect(r.hooks).toBe('hook\n');
  });

  test('the OK marker is logged when everything passes', () => {
    const r = run(withMain(renderHostBootstrap(opts), `SANDBOX_STEP=complete\nsandbox_log "${BootstrapMarker.BOOTSTRAP_OK} bootstrap complete"\n`));
    expect(r.status).toBe(0);
    expect(r.log).toMatch(/complete: SANDBOX_BOOTSTRAP_OK bootstrap complete\n$/);
    expect(r.hooks).toBe('');
  });

  describe('the DNS filter step', () => {
    const dnsOpts: HostBootstrapOptions = {
      ...opts, hostGuard: hostGuardFor(CloudProvider.GCP, EgressMode.FIREWALL), dnsFilter: { allowedDomains: ['pypi.org'] },
    };
    /** The rendered functions with the system paths moved into the temp dir, then `main`. */
    const dnsScript = (main: string, rewrites: Record<string, string> = {}): string => {
      let text = withMain(renderHostBootstrap(dnsOpts), main);
      const paths: Record<string, string> = {
        [DNS_FILTER_PROGRAM_PATH]: join(dir, 'libexec', 'sandbox-dns-filter'),
        '/etc/sandbox-dns-filter/': join(dir, 'etc') + '/',
        '/etc/systemd/system/': join(dir, 'systemd') + '/',
        '/etc/resolv.conf': join(dir, 'resolv.conf'),
        ...rewrites,
      };
      for (const [from, to] of Object.entries(paths)) text = text.split(from).join(to);
      return text;
    };
    const stubSystemctl = (body: string) => {
      writeFileSync(join(dir, 'systemctl'), `#!/bin/bash\n${body}\n`);
      chmodSync(join(dir, 'systemctl'), 0o755);
    };
    afterEach(() => rmSync(join(dir, 'systemctl'), { force: true }));

    test.each([
      ['systemd-resolved\'s stub', '# comment\nnameserver 127.0.0.53\noptions edns0 trust-ad\nsearch .\n', '127.0.0.53'],
      ['an IPv6 server first', 'nameserver fd00::53\nnameserver 169.254.169.254\nnameserver 10.0.0.2\n', '169.254.169.254'],
      ['no nameserver', 'search example.internal\n', ''],
      ['a malformed address', 'nameserver 127.0.0.53x\n', ''],
    ])('sandbox_dns_upstream reads the first IPv4 nameserver: %s', (_what, resolv, expected) => {
      writeFileSync(join(dir, 'resolv.conf'), resolv);
      const r = run(dnsScript(`printf '%s' "$(sandbox_dns_upstream ${join(dir, 'resolv.conf')})" >>"\${HOOK_FILE}"\n`));
      expect(r.status).toBe(0);
      expect(r.hooks).toBe(expected);
    });

    test('fails the node when /etc/resolv.conf has no IPv4 nameserver', () => {
      writeFileSync(join(dir, 'resolv.conf'), 'nameserver fd00::53\n');
      const r = run(dnsScript('sandbox_step dns-filter\nsandbox_start_dns_filter\n'));
      expect(r.status).toBe(1);
      expect(r.log).toMatch(/dns-filter: ERROR SANDBOX_BOOTSTRAP_FAILED: no IPv4 nameserver in \S*resolv\.conf: the sandbox DNS filter has no upstream/);
      expect(r.hooks).toBe('hook\n');
    });

    test('fails the node when python3 is missing', () => {
      const r = run(dnsScript('sandbox_step dns-filter\nsandbox_start_dns_filter\n', { '/usr/bin/python3': join(dir, 'no-python3') }));
      expect(r.status).toBe(1);
      expect(r.log).toContain('ERROR SANDBOX_BOOTSTRAP_FAILED: ');
      expect(r.log).toContain('is missing: the sandbox DNS filter needs it');
      expect(r.hooks).toBe('hook\n');
    });

    test('fails the node when the unit does not start', () => {
      writeFileSync(join(dir, 'resolv.conf'), 'nameserver 127.0.0.53\n');
      stubSystemctl('[ "$1" != restart ]');
      const r = run(dnsScript('sandbox_step dns-filter\nsandbox_start_dns_filter\n'));
      expect(r.status).toBe(1);
      expect(r.log).toMatch(/dns-filter: ERROR SANDBOX_BOOTSTRAP_FAILED: the sandbox DNS filter did not start \(journalctl -u sandbox-dns-filter.service\)/);
      expect(r.hooks).toBe('hook\n');
      // What it wrote before: the program, the allow-list, the upstream and the unit.
      expect(readFileSync(join(dir, 'libexec', 'sandbox-dns-filter'), 'utf8')).toBe(DNS_FILTER_SCRIPT);
      expect(readFileSync(join(dir, 'etc', 'upstream.env'), 'utf8')).toBe('SANDBOX_DNS_UPSTREAM=127.0.0.53:53\n');
      expect(readFileSync(join(dir, 'etc', 'allowed-domains'), 'utf8')).toMatch(/\npypi\.org\n$/);
      expect(readFileSync(join(dir, 'systemd', DNS_FILTER_UNIT), 'utf8')).toContain('\nRestart=always\n');
    });

    const python3 = spawnSync('python3', ['--version']).status === 0;
    (python3 ? test : test.skip)('fails the node when the filter started but does not answer; passes once it answers', async () => {
      writeFileSync(join(dir, 'resolv.conf'), 'nameserver 127.0.0.53\n');
      stubSystemctl('exit 0');
      // Nothing listens on the port the probe asks: ten attempts, then the node fails.
      const port = await new Promise<number>((resolve) => {
        const s = createSocket('udp4');
        s.bind(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
      });
      const pythonPath = spawnSync('bash', ['-c', 'command -v python3'], { encoding: 'utf8' }).stdout.trim();
      const rewrites = { '/usr/bin/python3': pythonPath, [`127.0.0.1:${DNS_FILTER_PORT}`]: `127.0.0.1:${port}` };
      const r = run(dnsScript('sandbox_step dns-filter\nsandbox_start_dns_filter\n', rewrites));
      expect(r.status).toBe(1);
      expect(r.log).toContain('not answering yet (attempt 10/10)');
      expect(r.log).toMatch(/dns-filter: ERROR SANDBOX_BOOTSTRAP_FAILED: the sandbox DNS filter does not answer on 127\.0\.0\.1:\d+/);
      // A "restart" that really starts the written program (as the unit would) on that port.
      stubSystemctl(`if [ "$1" = restart ]; then python3 -I -S ${join(dir, 'libexec', 'sandbox-dns-filter')} --listen 127.0.0.1:${port} ` +
        `--upstream 127.0.0.1:9 --allow ${join(dir, 'etc', 'allowed-domains')} </dev/null >/dev/null 2>&1 & echo $! >${join(dir, 'filter.pid')}; fi`);
      try {
        const ok = run(dnsScript('sandbox_step dns-filter\nsandbox_start_dns_filter\n', rewrites));
        expect(ok.status).toBe(0);
        expect(ok.log).toMatch(/dns-filter: sandbox DNS filter answering on port 9053 \(upstream 127\.0\.0\.53:53, 1 allow-list entries\)/);
        expect(ok.hooks).toBe('');
      } finally {
        spawnSync('bash', ['-c', `kill "$(cat ${join(dir, 'filter.pid')})"`]);
      }
    });
  });

  test.each([
    ['disk ', false],
    ['disk \nraid0 ', false],
    ['disk \npart /', true],
    ['disk [SWAP]', true],
    ['disk \nraid0 /srv/data', true],
  ])('sandbox_disk_in_use for lsblk %j is %s', (lsblk, inUse) => {
    const main = 'if sandbox_disk_in_use /dev/nvme1n1; then exit 3; fi\n';
    const r = run(withMain(renderHostBootstrap({ ...opts, localNvme: true }), main), { LSBLK_OUT: lsblk });
    expect(r.status).toBe(inUse ? 3 : 0);
  });
});

// ------------------------------------------------------------------------------------------------
// shellcheck on rendered variants. CI installs shellcheck; set SKIP_SHELLCHECK=1 to skip locally.

const shellcheck = (text: string): void => expectShellcheckClean(text);

const variants: Array<[string, HostBootstrapOptions]> = [
  ['minimal gVisor pool', base],
  ['full KVM + GPU + NVMe + hooks', full],
  ['KVM pool with hugepages', { ...base, kvmRequired: true, hugepagesMiB: 4096 }],
  ['NVMe with custom globs and interfaces', { ...base, localNvme: true, nvmeDeviceGlob: '/dev/nvme[1-8]n1', sandboxInterfacePattern: 'sbx*' }],
  ['GPU pool without hooks', { ...base, gpu: true }],
];

(SKIP_SHELLCHECK ? describe.skip : describe)('shellcheck', () => {
  test.each(variants)('bootstrap passes: %s', (_name, opts) => {
    shellcheck(renderHostBootstrap(opts));
  });

  test.each(variants)('user data passes: %s', (_name, opts) => {
    shellcheck(renderCloudInitUserData(opts));
  });
});
