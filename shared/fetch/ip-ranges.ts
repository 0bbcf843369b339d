/**
 * Address classification for the SSRF guard: which IPv4 and IPv6 addresses a feed fetch may
 * never connect to. IPv6 is checked fail-closed: only global unicast (2000::/3) is allowed,
 * minus its special-purpose blocks; IPv4-mapped, NAT64 and 6to4 addresses are judged by the
 * IPv4 address they embed.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** An IPv4 CIDR block: network address as an unsigned 32-bit number and prefix length. */
interface Ipv4Block {
  network: number;
  prefix: number;
  name: string;
}

function block(cidr: string, name: string): Ipv4Block {
  const [address = '', prefix = ''] = cidr.split('/');
  const network = parseIpv4(address);
  if (network === undefined) throw new Error(`bad built-in CIDR ${cidr}`);
  return { network, prefix: Number(prefix), name };
}

/** IPv4 blocks that are never reachable by a fetch (RFC 6890 special-purpose registry and friends). */
const BLOCKED_IPV4: readonly Ipv4Block[] = [
  block('0.0.0.0/8', 'unspecified'),
  block('10.0.0.0/8', 'private'),
  block('100.64.0.0/10', 'carrier-grade NAT'),
  block('127.0.0.0/8', 'loopback'),
  block('169.254.0.0/16', 'link-local'),
  block('172.16.0.0/12', 'private'),
  block('192.0.0.0/24', 'IETF protocol assignments'),
  block('192.0.2.0/24', 'documentation'),
  block('192.88.99.0/24', '6to4 relay anycast'),
  block('192.168.0.0/16', 'private'),
  block('198.18.0.0/15', 'benchmarking'),
  block('198.51.100.0/24', 'documentation'),
  block('203.0.113.0/24', 'documentation'),
  block('224.0.0.0/4', 'multicast'),
  block('240.0.0.0/4', 'reserved and broadcast'),
];

/** Parses strict dotted-decimal IPv4 into an unsigned 32-bit number, or undefined. */
export function parseIpv4(text: string): number | undefined {
  if (!isIPv4(text)) return undefined;
  return text.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

/** Parses an IPv6 address (brackets and zone id allowed) into its eight 16-bit groups, or undefined. */
export function parseIpv6(text: string): number[] | undefined {
  let s = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  s = s.split('%')[0] ?? '';
  if (!isIPv6(s)) return undefined;
  const lastColon = s.lastIndexOf(':');
  const tail = s.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = parseIpv4(tail);
    if (v4 === undefined) return undefined;
    s = `${s.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const halves = s.split('::');
  const toGroups = (part: string | undefined): number[] =>
    part ? part.split(':').map((g) => parseInt(g, 16)) : [];
  const head = toGroups(halves[0]);
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  const rest = toGroups(halves[1]);
  const zeros = 8 - head.length - rest.length;
  if (zeros < 1) return undefined;
  return [...head, ...new Array<number>(zeros).fill(0), ...rest];
}

function inBlock(address: number, b: Ipv4Block): boolean {
  const size = 2 ** (32 - b.prefix);
  return Math.floor(address / size) === Math.floor(b.network / size);
}

function isBlockedIpv4(address: number): boolean {
  return BLOCKED_IPV4.some((b) => inBlock(address, b));
}

function v4From(hi: number, lo: number): number {
  return hi * 0x10000 + lo;
}

function g(groups: number[], i: number): number {
  return groups[i] ?? 0;
}

function isBlockedIpv6(groups: number[]): boolean {
  const first = g(groups, 0);
  // IPv4-mapped ::ffff:a.b.c.d → judge the IPv4 address.
  if (groups.slice(0, 5).every((x) => x === 0) && g(groups, 5) === 0xffff) {
    return isBlockedIpv4(v4From(g(groups, 6), g(groups, 7)));
  }
  // NAT64 well-known prefix 64:ff9b::/96 → judge the embedded IPv4 address.
  if (first === 0x64 && g(groups, 1) === 0xff9b && groups.slice(2, 6).every((x) => x === 0)) {
    return isBlockedIpv4(v4From(g(groups, 6), g(groups, 7)));
  }
  // Everything outside global unicast 2000::/3 (::, ::1, fc00::/7, fe80::/10, ff00::/8, 100::/64,
  // IPv4-compatible ::/96, local-use NAT64 64:ff9b:1::/48, ...) is blocked.
  if ((first & 0xe000) !== 0x2000) return true;
  // 6to4 2002::/16 → judge the IPv4 address in groups 1-2.
  if (first === 0x2002) return isBlockedIpv4(v4From(g(groups, 1), g(groups, 2)));
  if (first === 0x2001) {
    const second = g(groups, 1);
    if (second === 0x0db8) return true; // documentation 2001:db8::/32
    // IETF protocol assignments 2001::/23: Teredo 2001::/32, benchmarking 2001:2::/48, ORCHID, ...
    if (second < 0x0200) return true;
  }
  if (first === 0x3fff && (g(groups, 1) & 0xf000) === 0) return true; // documentation 3fff::/20
  return false;
}

/**
 * True when a fetch must never connect to `ip`: loopback, private, link-local, CGNAT, multicast,
 * unspecified, broadcast, reserved, benchmarking, documentation, unique-local, and IPv6 forms that
 * embed such an IPv4 address. Anything that is not a valid IP address is blocked (fail closed).
 */
export function isBlockedAddress(ip: string): boolean {
  const v4 = parseIpv4(ip);
  if (v4 !== undefined) return isBlockedIpv4(v4);
  const v6 = parseIpv6(ip);
  if (v6 !== undefined) return isBlockedIpv6(v6);
  return true;
}
