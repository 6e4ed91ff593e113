import { createHash } from 'crypto';

/** Prefix length of an IPv4 CIDR ("10.0.0.0/26" -> 26). */
export function prefixLength(cidr: string): number {
  const n = Number(cidr.split('/')[1]);
  if (!Number.isInteger(n)) throw new Error(`not a CIDR: ${JSON.stringify(cidr)}`);
  return n;
}

/** Splits `total` into `parts` integers that differ by at most one, larger first (10 over 3: 4, 3, 3). */
export function distribute(total: number, parts: number): number[] {
  const base = Math.floor(total / parts);
  return Array.from({ length: parts }, (_, i) => base + (i < total % parts ? 1 : 0));
}

/** A deterministic RFC 4122 version-5-style UUID from `text` (for resources whose name must be a GUID). */
export function stableUuid(text: string): string {
  const h = createHash('sha1').update(`cdktf-sandbox-byoc:${text}`).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Platform name without hyphens, cut to `max` characters (storage account names allow only [a-z0-9]). */
export function compactName(name: string, max: number): string {
  return name.replace(/-/g, '').slice(0, max);
}

/** Platform name cut to `max` characters without a trailing hyphen (Key Vault names forbid "--" and a trailing "-"). */
export function trimmedName(name: string, max: number): string {
  return name.slice(0, max).replace(/-+$/, '');
}

/**
 * The platform's Key Vault name: the platform name cut to 11 characters, "-kv-", and the 8-character
 * suffix (Key Vault names are 3..24 characters and global). Used by the platform and by preflight.
 */
export function keyVaultName(name: string, suffix: string): string {
  return `${trimmedName(name, 11)}-kv-${suffix}`;
}

/** The two halves of an IPv4 network ("10.0.0.0/24" -> ["10.0.0.0/25", "10.0.0.128/25"]). */
export function halveCidr(cidr: string): string[] {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  const prefix = m ? Number(m[5]) : NaN;
  if (!m || prefix > 31 || m.slice(1, 5).some((o) => Number(o) > 255)) throw new Error(`not an IPv4 CIDR: ${JSON.stringify(cidr)}`);
  const address = m.slice(1, 5).reduce((a, o) => a * 256 + Number(o), 0);
  const text = (a: number) => [24, 16, 8, 0].map((sh) => Math.floor(a / 2 ** sh) % 256).join('.');
  return [`${text(address)}/${prefix + 1}`, `${text(address + 2 ** (31 - prefix))}/${prefix + 1}`];
}

/** True when two IPv4 networks share an address. */
export function cidrsOverlap(a: string, b: string): boolean {
  const range = (cidr: string): [number, number] => {
    const [ip, bits] = cidr.split('/');
    const start = ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
    const size = 2 ** (32 - Number(bits));
    const first = start - (start % size);
    return [first, first + size - 1];
  };
  const [a0, a1] = range(a);
  const [b0, b1] = range(b);
  return a0 <= b1 && b0 <= a1;
}
