/**
 * Which IP addresses a web fetch may connect to. Pure: the adapter resolves names, this decides.
 * Everything that is not public unicast is refused: loopback, unspecified, private (RFC 1918),
 * CGNAT, link-local (cloud metadata at 169.254.169.254), ULA (Fly's fdaa::/16), multicast,
 * reserved and documentation ranges, and IPv6 forms that embed one of those IPv4 addresses
 * (mapped, compatible, translated, NAT64, 6to4) or may (local-use NAT64).
 */

/** [first address, prefix length, why] for IPv4. */
const V4_BLOCKED: ReadonlyArray<[number, number, string]> = [
  [ipv4(0, 0, 0, 0), 8, 'unspecified ("this network")'],
  [ipv4(10, 0, 0, 0), 8, 'private (RFC 1918)'],
  [ipv4(100, 64, 0, 0), 10, 'shared (CGNAT 100.64.0.0/10)'],
  [ipv4(127, 0, 0, 0), 8, 'loopback'],
  [ipv4(169, 254, 0, 0), 16, 'link-local (cloud metadata)'],
  [ipv4(172, 16, 0, 0), 12, 'private (RFC 1918)'],
  [ipv4(192, 0, 0, 0), 24, 'IETF protocol assignments'],
  [ipv4(192, 0, 2, 0), 24, 'documentation'],
  [ipv4(192, 168, 0, 0), 16, 'private (RFC 1918)'],
  [ipv4(198, 18, 0, 0), 15, 'benchmarking'],
  [ipv4(198, 51, 100, 0), 24, 'documentation'],
  [ipv4(203, 0, 113, 0), 24, 'documentation'],
  [ipv4(224, 0, 0, 0), 4, 'multicast'],
  [ipv4(240, 0, 0, 0), 4, 'reserved'],
];

function ipv4(a: number, b: number, c: number, d: number): number {
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = value * 256 + Number(part);
  }
  return value;
}

/** Eight 16-bit groups, or undefined when the text is not an IPv6 address. */
function parseIpv6(text: string): number[] | undefined {
  let rest = text.toLowerCase();
  if (rest.includes('%')) return undefined;
  const tail: number[] = [];
  const dotted = /:(\d+\.\d+\.\d+\.\d+)$/.exec(rest);
  if (dotted) {
    const v4 = parseIpv4(dotted[1]!);
    if (v4 === undefined) return undefined;
    tail.push(v4 >>> 16, v4 & 0xffff);
    rest = rest.slice(0, dotted.index);
    // `::1.2.3.4`: the `::` lost its second colon to the match.
    if (rest.endsWith(':')) rest = `${rest}:`;
  }
  const halves = rest.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string) => (half === '' ? [] : half.split(':'));
  const head = groups(halves[0]!);
  const after = halves.length === 2 ? groups(halves[1]!) : [];
  const words: number[] = [];
  for (const group of [...head, ...after]) {
    if (!/^[0-9a-f]{1,4}$/.test(group)) return undefined;
    words.push(Number.parseInt(group, 16));
  }
  const present = words.length + tail.length;
  if (halves.length === 2 ? present > 7 : present !== 8) return undefined;
  const zeros = new Array<number>(8 - present).fill(0);
  const headWords = words.slice(0, head.length);
  const afterWords = words.slice(head.length);
  return halves.length === 2 ? [...headWords, ...zeros, ...afterWords, ...tail] : [...words, ...tail];
}

function v4Reason(value: number): string | undefined {
  for (const [base, bits, why] of V4_BLOCKED) {
    const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
    if ((value & mask) >>> 0 === base) return why;
  }
  return undefined;
}

function v6Reason(w: number[]): string | undefined {
  const embedded = (hi: number, lo: number) => ((hi << 16) | lo) >>> 0;
  const zeroUpTo = (n: number) => w.slice(0, n).every((x) => x === 0);
  if (zeroUpTo(8)) return 'unspecified';
  if (zeroUpTo(7) && w[7] === 1) return 'loopback';
  // ::ffff:a.b.c.d (mapped), ::a.b.c.d (compatible, deprecated), ::ffff:0:a.b.c.d (translated,
  // SIIT), 64:ff9b::a.b.c.d (NAT64).
  const nat64 = w[0] === 0x64 && w[1] === 0xff9b && w.slice(2, 6).every((x) => x === 0);
  const translated = zeroUpTo(4) && w[4] === 0xffff && w[5] === 0;
  if ((zeroUpTo(5) && (w[5] === 0xffff || w[5] === 0)) || translated || nat64) {
    const why = v4Reason(embedded(w[6]!, w[7]!));
    return why ? `${why}, in an IPv6 form` : undefined;
  }
  // 64:ff9b:1::/48 (RFC 8215): a network's own NAT64 prefixes, where the IPv4 part may sit anywhere.
  if (w[0] === 0x64 && w[1] === 0xff9b && w[2] === 1) return 'local-use NAT64 (64:ff9b:1::/48)';
  // 6to4 (2002::/16) carries an IPv4 address in its next 32 bits.
  if (w[0] === 0x2002) {
    const why = v4Reason(embedded(w[1]!, w[2]!));
    if (why) return `${why}, in a 6to4 address`;
  }
  const first = w[0]!;
  if ((first & 0xfe00) === 0xfc00) return 'unique local (fc00::/7)';
  if ((first & 0xffc0) === 0xfe80) return 'link-local (fe80::/10)';
  if ((first & 0xffc0) === 0xfec0) return 'site-local (deprecated)';
  if ((first & 0xff00) === 0xff00) return 'multicast';
  if (first === 0x2001 && w[1] === 0x0db8) return 'documentation';
  if (first === 0x100 && zeroUpTo(4)) return 'discard-only (100::/64)';
  return undefined;
}

/** Why a fetch must not connect to this address; undefined when it is public. Not an IP at all: a reason too. */
export function blockedAddressReason(address: string): string | undefined {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const v4 = parseIpv4(bare);
  if (v4 !== undefined) return v4Reason(v4);
  const v6 = parseIpv6(bare);
  if (v6) return v6Reason(v6);
  return 'not an IP address';
}

/** Whether a URL host (as `URL.hostname` gives it) is an IP literal rather than a name. */
export function isIpLiteral(hostname: string): boolean {
  const bare = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  return parseIpv4(bare) !== undefined || parseIpv6(bare) !== undefined;
}
