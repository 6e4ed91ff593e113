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
