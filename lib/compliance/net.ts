/** Network helpers shared by the firewall / security-group rules of all clouds. */
import { num } from './values';

/** Source values meaning "the whole internet" across clouds. */
const WORLD = new Set(['0.0.0.0/0', '::/0', '0.0.0.0', '*', 'internet', 'any']);

/** True if the CIDR / service tag stands for any address on the internet. */
export function isWorld(source: string): boolean {
  return WORLD.has(source.trim().toLowerCase());
}

/** Ports an admin service listens on: SSH and RDP. */
export const ADMIN_PORTS = [22, 3389];

/** An inclusive port range; `all` when every port is covered. */
export interface PortRange {
  readonly from: number;
  readonly to: number;
}

export const ALL_PORTS: PortRange = { from: 0, to: 65535 };

/** True if a range covers `port`. */
export function covers(range: PortRange, port: number): boolean {
  return range.from <= port && port <= range.to;
}

/** True if the range spans every port. */
export function isAllPorts(range: PortRange): boolean {
  return range.from <= 1 && range.to >= 65535;
}

/** Parses "22", "1000-2000" or "*"; undefined when not literal. */
export function parsePortSpec(spec: unknown): PortRange | undefined {
  if (typeof spec === 'number') return { from: spec, to: spec };
  if (typeof spec !== 'string') return undefined;
  const s = spec.trim();
  if (s === '*' || s === '') return ALL_PORTS;
  const m = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(s);
  if (!m) return undefined;
  return { from: Number(m[1]), to: Number(m[2] ?? m[1]) };
}

/** A from/to port pair (AWS style); -1/-1 or 0/0 with protocol all means all ports. */
export function rangeOf(fromPort: unknown, toPort: unknown): PortRange | undefined {
  const from = num(fromPort);
  const to = num(toPort);
  if (from === undefined && to === undefined) return undefined;
  if (from === -1 || to === -1) return ALL_PORTS;
  return { from: from ?? to!, to: to ?? from! };
}

/** AWS protocol names and numbers normalized: "all" for -1/all, else lowercased name. */
export function awsProtocol(p: unknown): string {
  const s = String(p ?? '').trim().toLowerCase();
  if (s === '-1' || s === 'all') return 'all';
  if (s === '6') return 'tcp';
  if (s === '17') return 'udp';
  if (s === '1') return 'icmp';
  if (s === '58') return 'icmpv6';
  return s;
}
