import { describe, expect, it } from 'vitest';
import { blockedAddressReason, isIpLiteral } from '../../../../src/core/agent/web/address';

const hostOf = (url: string) => new URL(url).hostname;

describe('blockedAddressReason', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.1.2', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'CGNAT'],
    ['100.127.255.255', 'CGNAT'],
    ['169.254.169.254', 'link-local'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fc00::1', 'unique local'],
    ['fdaa:0:1::3', 'unique local'],
    ['fe80::1', 'link-local'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback, in an IPv6 form'],
    ['::ffff:7f00:1', 'loopback, in an IPv6 form'],
    ['::ffff:a9fe:a9fe', 'link-local'],
    ['::ffff:10.1.2.3', 'private'],
    ['::127.0.0.1', 'loopback'],
    ['64:ff9b::a00:1', 'private'],
    ['2002:7f00:1::', '6to4'],
    ['::ffff:0:127.0.0.1', 'loopback, in an IPv6 form'],
    ['::ffff:0:a9fe:a9fe', 'link-local'],
    ['64:ff9b:1::a00:1', 'local-use NAT64'],
    ['64:ff9b:1:ffff::1', 'local-use NAT64'],
    ['[::1]', 'loopback'],
    ['not-an-ip', 'not an IP address'],
    ['1.2.3', 'not an IP address'],
    ['1:2:3:4:5:6:7:8:9', 'not an IP address'],
  ])('refuses %s (%s)', (address, why) => {
    expect(blockedAddressReason(address)).toContain(why);
  });

  it.each([
    '1.1.1.1',
    '8.8.8.8',
    '100.63.255.255',
    '100.128.0.0',
    '172.15.255.255',
    '172.32.0.0',
    '169.253.1.1',
    '2606:4700:4700::1111',
    '2a00:1450:4001:80b::200e',
    '::ffff:8.8.8.8',
    '::ffff:0:8.8.8.8',
    '64:ff9b::808:808',
  ])('allows the public address %s', (address) => {
    expect(blockedAddressReason(address)).toBeUndefined();
  });

  it('sees through the spellings URL parsing normalizes (decimal, hex, short, mapped)', () => {
    for (const url of [
      'http://2130706433/',
      'http://0x7f.0.0.1/',
      'http://127.1/',
      'http://[::ffff:127.0.0.1]/',
      'http://[0:0:0:0:0:ffff:7f00:0001]/',
      'http://[::FFFF:169.254.169.254]/',
      'http://[::ffff:0:10.0.0.1]/',
      'http://[64:ff9b:1::a9fe:a9fe]/',
    ]) {
      const host = hostOf(url);
      expect(isIpLiteral(host), url).toBe(true);
      expect(blockedAddressReason(host), url).toBeDefined();
    }
    expect(isIpLiteral('example.com')).toBe(false);
  });
});
