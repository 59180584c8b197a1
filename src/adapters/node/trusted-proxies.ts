import { BlockList, isIPv6 } from 'node:net';

/**
 * Where Fly's proxy connects to a Machine from: the Machine's local virtual interface
 * (172.16.0.0/12) and the organisation's 6PN private network (fdaa::/16, fly.io/docs/networking/private-networking).
 * The public Internet never reaches a Machine from these, so only the proxy can set the header.
 */
export const FLY_PROXY_RANGES = ['172.16.0.0/12', 'fdaa::/16'] as const;

/** Whether a TCP peer is a proxy whose `Fly-Client-IP` can be believed. */
export type ProxyTrust = (peer: string) => boolean;

/** A peer check over addresses and CIDR ranges (IPv4-mapped IPv6 peers match IPv4 ranges). */
export function createProxyTrust(ranges: readonly string[]): ProxyTrust {
  if (ranges.length === 0) return () => false;
  const list = new BlockList();
  for (const range of ranges) {
    const [address = '', prefix] = range.split('/');
    const type = isIPv6(address) ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return (peer) => list.check(peer, isIPv6(peer) ? 'ipv6' : 'ipv4');
}

/**
 * The ranges in force: `gateway.trustedProxies` when set, else Fly's proxy ranges on Fly, else none.
 * Rebuilt only when the setting changes (config reloads swap the array).
 */
export function proxyTrustFor(setting: () => readonly string[] | undefined, onFly: boolean): ProxyTrust {
  let seen: readonly string[] | undefined | null = null;
  let trust: ProxyTrust = () => false;
  return (peer) => {
    const ranges = setting();
    if (ranges !== seen) {
      seen = ranges;
      trust = createProxyTrust(ranges ?? (onFly ? FLY_PROXY_RANGES : []));
    }
    return trust(peer);
  };
}
