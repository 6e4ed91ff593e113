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
  if (!ipaddr.IPv4.isValidCIDR(text) || !/^\d+\.\d+\.\d+\.\d+\/\d+$/.test(text)) {
    return `${JSON.stringify(text)} is not an IPv4 CIDR such as 10.64.0.0/16`;
  }
  const [addr, prefix] = ipaddr.IPv4.parseCIDR(text);
  const value = toInt(addr.toByteArray());
  const network = (prefix === 0 ? 0 : (value & (~0 << (32 - prefix)))) >>> 0;
  if (network !== value) {
    return `${JSON.stringify(text)} has host bits set; the network address is ${format({ network, prefix })}`;
  }
  return { network, prefix };
}

/** The `index`-th subnet with `newBits` more prefix bits (like Terraform's cidrsubnet). */
export function subnet(parent: Ipv4Cidr, newBits: number, index: number): Ipv4Cidr {
  const prefix = parent.prefix + newBits;
  if (prefix > 32 || index < 0 || index >= 2 ** newBits) {
    throw new RangeError(`cannot carve subnet ${index} of /${prefix} from ${format(parent)}`);
  }
  return { network: (parent.network + index * 2 ** (32 - prefix)) >>> 0, prefix };
}

export function format(c: Ipv4Cidr): string {
  const n = c.network;
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}/${c.prefix}`;
}

/** True when the address lies in an RFC 1918 private range. */
export function isPrivate(c: Ipv4Cidr): boolean {
  return ipaddr.IPv4.parse(format(c).split('/')[0]).range() === 'private';
}

function toInt(bytes: number[]): number {
  return ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0;
}

/** Smallest number of bits that can index `n` slots. */
export function bitsFor(n: number): number {
  return Math.max(0, Math.ceil(Math.log2(n)));
}
