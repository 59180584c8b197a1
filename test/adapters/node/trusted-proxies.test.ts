import { afterEach, describe, expect, it } from 'vitest';
import { listen } from '../../../src/adapters/node/server';
import { createProxyTrust, FLY_PROXY_RANGES } from '../../../src/adapters/node/trusted-proxies';
import { createTestContext, TEST_TOKEN } from '../../helpers/context';

const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function gateway(config: Record<string, unknown>, onFly: boolean) {
  const server = await listen(createTestContext({ config }), '127.0.0.1', 0, onFly);
  servers.push(server);
  return (flyClientIp: string, token = 'wrong') =>
    fetch(`http://127.0.0.1:${server.port}/api/status`, {
      headers: { authorization: `Bearer ${token}`, 'fly-client-ip': flyClientIp },
    }).then((res) => res.status);
}

describe('Fly-Client-IP is believed only from a trusted proxy (issue 23, finding 6)', () => {
  it('on Fly, a client reaching the port directly cannot rotate the header to dodge the throttle', async () => {
    const request = await gateway({ gateway: { mode: 'local' } }, true);
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push(await request(`198.51.100.${i + 1}`));
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual(Array(20).fill(429));
  });

  it('nor name someone else: 10 wrong tokens naming 10.9.9.9 lock out the sender, whatever it claims next', async () => {
    const request = await gateway({ gateway: { mode: 'local' } }, true);
    for (let i = 0; i < 10; i++) expect(await request('10.9.9.9')).toBe(401);
    expect(await request('10.9.9.10', TEST_TOKEN)).toBe(429);
  });

  it('with the peer in gateway.trustedProxies, the header keys the throttle per client', async () => {
    const request = await gateway({ gateway: { mode: 'local', trustedProxies: ['127.0.0.0/8'] } }, false);
    for (let i = 0; i < 10; i++) expect(await request('10.9.9.9')).toBe(401);
    expect(await request('10.9.9.9')).toBe(429);
    expect(await request('10.9.9.10')).toBe(401);
    expect(await request('not-an-address')).toBe(401); // a malformed header falls back to the peer
  });

  it('the default Fly ranges are the proxy interface and 6PN, IPv4-mapped peers included', () => {
    const fly = createProxyTrust(FLY_PROXY_RANGES);
    expect(['172.19.5.1', '::ffff:172.16.0.9', 'fdaa:0:18:a7b:7d:f066:b83b:2'].map(fly)).toEqual([
      true,
      true,
      true,
    ]);
    expect(['127.0.0.1', '203.0.113.9', '::1', '172.32.0.1', 'fdab::1'].map(fly)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(createProxyTrust([])('172.19.5.1')).toBe(false);
    expect(createProxyTrust(['192.0.2.7'])('192.0.2.7')).toBe(true);
  });
});
