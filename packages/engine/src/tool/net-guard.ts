import { isIPv4, isIPv6 } from 'node:net';

/**
 * Classifies IP addresses that web_fetch must not reach by default: anything that is not the public
 * internet (loopback, private networks, link-local incl. cloud metadata at 169.254.169.254, CGNAT,
 * multicast, reserved, and IPv6 forms that embed such an IPv4 address).
 */

interface V4Range {
  base: number;
  bits: number;
  label: string;
}

function v4ToInt(address: string): number {
  return address.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
}

const V4_BLOCKED: V4Range[] = [
  ['0.0.0.0', 8, 'unspecified ("this network")'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'carrier-grade NAT'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local (includes cloud metadata)'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'IETF protocol assignment'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, '6to4 relay'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
].map(([base, bits, label]) => ({
  base: v4ToInt(base as string),
  bits: bits as number,
  label: label as string,
}));

function classifyV4(address: string): string | undefined {
  const value = v4ToInt(address);
  for (const range of V4_BLOCKED) {
    const size = 2 ** (32 - range.bits);
    if (value >= range.base && value < range.base + size) return range.label;
  }
  return undefined;
}

/** Parses an IPv6 address into 8 16-bit groups (handles `::` and a dotted IPv4 tail). */
export function parseIPv6(address: string): number[] | undefined {
  let text = address.toLowerCase();
  const zone = text.indexOf('%');
  if (zone !== -1) text = text.slice(0, zone);
  if (!isIPv6(text)) return undefined;
  const tail: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const v4 = v4ToInt(dotted[1]!);
    tail.push(Math.floor(v4 / 65536), v4 % 65536);
    text = text.slice(0, -dotted[1]!.length);
    if (text.endsWith(':') && !text.endsWith('::')) text = text.slice(0, -1);
  }
  const [head = '', rest] = text.split('::');
  const parse = (part: string) =>
    part === '' ? [] : part.split(':').map((group) => Number.parseInt(group, 16));
  const left = parse(head);
  const right = [...(rest === undefined ? [] : parse(rest)), ...tail];
  const fill = rest === undefined ? [] : new Array<number>(8 - left.length - right.length).fill(0);
  const groups = rest === undefined ? [...left, ...tail] : [...left, ...fill, ...right];
  return groups.length === 8 ? groups : undefined;
}

function embeddedV4(groups: number[], high: number, low: number): string {
  const a = groups[high]!;
  const b = groups[low]!;
  return `${a >> 8}.${a & 255}.${b >> 8}.${b & 255}`;
}

function classifyV6(address: string): string | undefined {
  const g = parseIPv6(address);
  if (!g) return 'unparseable address';
  const [g0, g1, g2, g3, g4, g5, g6, g7] = g as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const zeroPrefix = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
  if (zeroPrefix && g5 === 0 && g6 === 0 && g7 === 0) return 'unspecified';
  if (zeroPrefix && g5 === 0 && g6 === 0 && g7 === 1) return 'loopback';
  if (zeroPrefix && g5 === 0xffff) {
    const inner = classifyV4(embeddedV4(g, 6, 7));
    return inner ? `IPv4-mapped ${inner}` : undefined;
  }
  if (zeroPrefix && g5 === 0) return 'IPv4-compatible (deprecated)';
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) {
    const inner = classifyV4(embeddedV4(g, 6, 7));
    return inner ? `NAT64 ${inner}` : undefined;
  }
  if (g0 === 0x2002) {
    const inner = classifyV4(embeddedV4(g, 1, 2));
    return inner ? `6to4 ${inner}` : undefined;
  }
  if (g0 === 0x2001 && g1 === 0) return 'Teredo tunnel';
  if (g0 === 0x2001 && g1 === 0xdb8) return 'documentation';
  if (g0 === 0x100 && g1 === 0 && g2 === 0 && g3 === 0) return 'discard';
  if ((g0 & 0xfe00) === 0xfc00) return 'unique local (private)';
  if ((g0 & 0xffc0) === 0xfe80) return 'link-local';
  if ((g0 & 0xffc0) === 0xfec0) return 'site-local';
  if ((g0 & 0xff00) === 0xff00) return 'multicast';
  return undefined;
}

/** Why an address is not public (a short label), or undefined when it may be fetched. */
export function classifyAddress(address: string): string | undefined {
  if (isIPv4(address)) return classifyV4(address);
  if (isIPv6(address.split('%')[0] ?? '')) return classifyV6(address);
  return 'not an IP address';
}
