import * as ipaddr from 'ipaddr.js';

/**
 * IPv4 subnet arithmetic for the network layout. Parsing and validation are ipaddr.js's
 * (runtime dependency: a small, dependency-free, widely used address parser); carving is
 * plain integer math on the 32-bit address.
 */
export interface Ipv4Cidr {
  readonly network: number; // unsigned 32-bit
  readonly prefix: number;
}

/** Parses "a.b.c.d/n"; returns an error message instead of throwing. */
export function parseIpv4Cidr(text: string): Ipv4Cidr | string {
  const shown = JSON.stringify(text);
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(text);
  if (!m) {
    return `${shown} is not an IPv4 CIDR such as 10.64.0.0/16 (four dot-separated numbers, a slash and a prefix length)`;
  }
  const parts = m.slice(1);
  // ipaddr.js (like inet_aton) reads "010" as octal 8: reject leading zeros rather than guess.
  const zeroPadded = parts.find((p) => p.length > 1 && p.startsWith('0'));
  if (zeroPadded !== undefined) {
    return `${shown} has a leading zero in ${JSON.stringify(zeroPadded)}, which some tools read as octal; write it without leading zeros`;
  }
  if (Number(m[5]) > 32) return `${shown} has prefix /${m[5]}; an IPv4 prefix length is 0..32`;
  const bad = parts.slice(0, 4).find((p) => Number(p) > 255);
  if (bad !== undefined || !ipaddr.IPv4.isValidCIDR(text)) {
    return `${shown} has an octet outside 0..255${bad !== undefined ? ` (${bad})` : ''}`;
  }
  const [addr, prefix] = ipaddr.IPv4.parseCIDR(text);
  const value = toInt(addr.toByteArray());
  const network = mask(value, prefix);
  if (network !== value) {
    return `${shown} has host bits set; the network address is ${format({ network, prefix })}`;
  }
  return { network, prefix };
}

/** `address` with the bits after `prefix` cleared. */
export function mask(address: number, prefix: number): number {
  return (prefix === 0 ? 0 : address & (~0 << (32 - prefix))) >>> 0;
}

/** The `index`-th subnet with `newBits` more prefix bits (like Terraform's cidrsubnet). */
export function subnet(parent: Ipv4Cidr, newBits: number, index: number): Ipv4Cidr {
  const prefix = parent.prefix + newBits;
  if (!Number.isInteger(newBits) || !Number.isInteger(index) || newBits < 0 || prefix > 32 || index < 0 || index >= 2 ** newBits) {
    throw new RangeError(`cannot carve subnet ${index} of /${prefix} from ${format(parent)}`);
  }
  return { network: (parent.network + index * 2 ** (32 - prefix)) >>> 0, prefix };
}

export function format(c: Ipv4Cidr): string {
  const n = c.network;
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}/${c.prefix}`;
}

/**
 * True when the whole network lies in an RFC 1918 private range (10/8, 172.16/12, 192.168/16)
 * or the RFC 6598 shared range (100.64/10), which AWS, GCP and Azure all accept for VPCs.
 */
export function isPrivate(c: Ipv4Cidr): boolean {
  const first = ipaddr.IPv4.parse(format(c).split('/')[0]);
  const last = ipaddr.IPv4.parse(format({ network: (c.network + 2 ** (32 - c.prefix) - 1) >>> 0, prefix: 32 }).split('/')[0]);
  const ok = (a: ipaddr.IPv4) => a.range() === 'private' || a.range() === 'carrierGradeNat';
  return ok(first) && ok(last) && first.range() === last.range();
}

function toInt(bytes: number[]): number {
  return ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0;
}

/** Smallest number of bits that can index `n` slots. */
export function bitsFor(n: number): number {
  return Math.max(0, Math.ceil(Math.log2(n)));
}
