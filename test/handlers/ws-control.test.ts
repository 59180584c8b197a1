import { describe, expect, it } from 'vitest';
import { isControlUpgrade, refuseControlUpgrade } from '../../src/handlers/ws-control';
import { createTestContext } from '../helpers/context';

const upgrade = (url: string, init: { method?: string; headers?: Record<string, string> } = {}) =>
  new Request(url, {
    method: init.method ?? 'GET',
    headers: { upgrade: 'websocket', host: 'gw.example:18789', ...init.headers },
  });

describe('the control WebSocket guard (shared by Node and the Durable Object)', () => {
  it('takes only GET upgrades on / and /ws', () => {
    expect(isControlUpgrade(upgrade('http://gw.example:18789/'))).toBe(true);
    expect(isControlUpgrade(upgrade('http://gw.example:18789/ws'))).toBe(true);
    expect(
      isControlUpgrade(upgrade('http://gw.example:18789/ws', { headers: { upgrade: 'WebSocket' } })),
    ).toBe(true);
    expect(isControlUpgrade(upgrade('http://gw.example:18789/api/status'))).toBe(false);
    expect(isControlUpgrade(upgrade('http://gw.example:18789/ws', { method: 'POST' }))).toBe(false);
    expect(isControlUpgrade(upgrade('http://gw.example:18789/ws', { headers: { upgrade: 'h2c' } }))).toBe(
      false,
    );
    expect(isControlUpgrade(new Request('http://gw.example:18789/'))).toBe(false);
  });

  it('refuses a foreign Origin with 403 and one log line; lets its own, a listed one and none through', async () => {
    const ctx = createTestContext({
      config: { gateway: { mode: 'local', allowedOrigins: ['https://ui.example'] } },
    });
    const refused = refuseControlUpgrade(
      upgrade('http://gw.example:18789/ws', { headers: { origin: 'https://evil.example' } }),
      ctx,
    );
    if (!refused) throw new Error('a foreign Origin was let through');
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.code).toBe('FORBIDDEN');
    expect(ctx.lines.filter((line) => line.line.includes('refused upgrade from origin'))).toHaveLength(1);

    for (const origin of ['http://gw.example:18789', 'https://ui.example', undefined]) {
      const headers = origin ? { origin } : undefined;
      expect(refuseControlUpgrade(upgrade('http://gw.example:18789/', { headers }), ctx)).toBeUndefined();
    }
  });
});
