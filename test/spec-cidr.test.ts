/**
 * IPv4 CIDR parsing, formatting and carving (lib/spec/cidr.ts).
 */
import { Ipv4Cidr, bitsFor, format, isPrivate, mask, parseIpv4Cidr, subnet } from '../lib/spec/cidr';

function cidr(text: string): Ipv4Cidr {
  const c = parseIpv4Cidr(text);
  if (typeof c === 'string') throw new Error(c);
  return c;
}

describe('parseIpv4Cidr', () => {
  test.each([
    ['10.64.0.0/16', 0x0a400000, 16],
    ['0.0.0.0/0', 0, 0],
    ['255.255.255.255/32', 0xffffffff, 32],
    ['192.168.1.128/25', 0xc0a80180, 25],
    ['172.16.0.0/12', 0xac100000, 12],
    ['10.0.0.1/32', 0x0a000001, 32],
  ])('%s', (text, network, prefix) => {
    expect(parseIpv4Cidr(text)).toEqual({ network, prefix });
  });

  test('network numbers are unsigned (no negative values above 128.0.0.0)', () => {
    expect(cidr('200.0.0.0/8').network).toBe(200 * 2 ** 24);
    expect(cidr('255.255.255.0/24').network).toBeGreaterThan(0);
  });

  test.each([
    ['banana', /"banana" is not an IPv4 CIDR such as 10\.64\.0\.0\/16/],
    ['', /"" is not an IPv4 CIDR/],
    ['10.0.0/16', /not an IPv4 CIDR/],
    ['10.0.0.0', /not an IPv4 CIDR/],
    ['10.0.0.0/', /not an IPv4 CIDR/],
    ['10.0.0.0.0/16', /not an IPv4 CIDR/],
    [' 10.0.0.0/16', /not an IPv4 CIDR/],
    ['10.0.0.0/16 ', /not an IPv4 CIDR/],
    ['0x0a.0.0.0/8', /not an IPv4 CIDR/],
    ['-1.0.0.0/8', /not an IPv4 CIDR/],
    ['10.0.0.0/-1', /not an IPv4 CIDR/],
    ['10.0.0.0/8.5', /not an IPv4 CIDR/],
    ['fd00::/8', /not an IPv4 CIDR/],
    ['10.0.0.0/33', /has prefix \/33; an IPv4 prefix length is 0\.\.32/],
    ['10.0.0.0/99', /has prefix \/99/],
    ['10.256.0.0/16', /has an octet outside 0\.\.255 \(256\)/],
    ['999.0.0.0/8', /octet outside 0\.\.255 \(999\)/],
    ['010.0.0.0/8', /leading zero in "010", which some tools read as octal/],
    ['10.064.0.0/16', /leading zero in "064"/],
    ['10.0.0.0/08', /leading zero in "08"/],
    ['10.64.1.0/16', /host bits set; the network address is 10\.64\.0\.0\/16/],
    ['10.0.0.1/31', /host bits set; the network address is 10\.0\.0\.0\/31/],
    ['1.2.3.4/0', /host bits set; the network address is 0\.0\.0\.0\/0/],
    ['255.255.255.255/1', /network address is 128\.0\.0\.0\/1/],
  ])('%j is rejected', (text, message) => {
    const r = parseIpv4Cidr(text);
    expect(typeof r).toBe('string');
    expect(r).toMatch(message);
  });
});

describe('format', () => {
  test.each(['10.64.0.0/16', '0.0.0.0/0', '255.255.255.255/32', '192.168.1.128/25', '100.64.0.0/10'])('round-trips %s', (text) => {
    expect(format(cidr(text))).toBe(text);
  });

  test('formats high addresses without sign problems', () => {
    expect(format({ network: 0xfffffff0, prefix: 28 })).toBe('255.255.255.240/28');
  });
});

describe('mask', () => {
  test('clears the host bits', () => {
    expect(format({ network: mask(cidr('10.9.5.0/24').network, 16), prefix: 16 })).toBe('10.9.0.0/16');
    expect(mask(0xffffffff, 0)).toBe(0);
    expect(mask(0xffffffff, 32)).toBe(0xffffffff);
    expect(mask(0xffffffff, 1)).toBe(0x80000000);
  });
});

describe('subnet', () => {
  test('like Terraform cidrsubnet', () => {
    // cidrsubnet("10.64.0.0/16", 2, 3) = "10.64.192.0/18"; cidrsubnet("10.64.0.0/16", 8, 255) = "10.64.255.0/24"
    expect(format(subnet(cidr('10.64.0.0/16'), 2, 3))).toBe('10.64.192.0/18');
    expect(format(subnet(cidr('10.64.0.0/16'), 8, 255))).toBe('10.64.255.0/24');
    expect(format(subnet(cidr('10.64.0.0/16'), 0, 0))).toBe('10.64.0.0/16');
    expect(format(subnet(cidr('0.0.0.0/0'), 1, 1))).toBe('128.0.0.0/1');
    expect(format(subnet(cidr('255.255.255.0/24'), 8, 255))).toBe('255.255.255.255/32');
  });

  test('carving every index of a split tiles the parent exactly', () => {
    const parent = cidr('172.16.0.0/20');
    const parts = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => subnet(parent, 3, i));
    expect(parts.map(format)).toEqual([
      '172.16.0.0/23', '172.16.2.0/23', '172.16.4.0/23', '172.16.6.0/23',
      '172.16.8.0/23', '172.16.10.0/23', '172.16.12.0/23', '172.16.14.0/23',
    ]);
  });

  test.each([
    ['index past the end', 2, 4],
    ['negative index', 2, -1],
    ['fractional index', 2, 1.5],
    ['negative new bits', -1, 0],
    ['fractional new bits', 1.5, 0],
    ['prefix past 32', 17, 0],
  ])('throws for %s', (_label, bits, index) => {
    expect(() => subnet(cidr('10.64.0.0/16'), bits, index)).toThrow(RangeError);
  });
});

describe('bitsFor', () => {
  test.each([
    [0, 0], [1, 0], [2, 1], [3, 2], [4, 2], [5, 3], [7, 3], [8, 3], [9, 4], [12, 4], [16, 4], [17, 5],
  ])('%i slots need %i bits', (n, bits) => {
    expect(bitsFor(n)).toBe(bits);
  });
});

describe('isPrivate', () => {
  test.each([
    ['10.0.0.0/8', true],
    ['10.64.0.0/16', true],
    ['172.16.0.0/12', true],
    ['172.31.0.0/16', true],
    ['192.168.0.0/16', true],
    ['100.64.0.0/10', true],
    ['172.32.0.0/16', false],
    ['10.0.0.0/7', false], // starts in 10/8 but runs through 11.255.255.255
    ['100.0.0.0/8', false],
    ['11.0.0.0/16', false],
    ['8.8.8.0/24', false],
    ['0.0.0.0/0', false],
  ])('%s -> %s', (text, expected) => {
    expect(isPrivate(cidr(text))).toBe(expected);
  });
});
