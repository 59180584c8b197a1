import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelDefService } from '../../../src/adapters/node/channel-def-service';
import { CHANNELS } from '../../../src/core/channels/channels';
import { type FakeSlackApi, startFakeSlackApi } from '../../fakes/slack-api';
import { createManualClock, createTestContext } from '../../helpers/context';
import { createScriptedRouter } from '../../helpers/scripted-router';

let fake: FakeSlackApi;
beforeAll(async () => {
  fake = await startFakeSlackApi();
});
const cleanup: Array<() => Promise<void>> = [];
afterAll(async () => {
  await fake.close();
  for (const close of cleanup) await close();
});

/** Waits (bounded) for a condition that a socket or an HTTP round trip makes true. */
async function until(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('Slack Socket Mode through the generic channel service', () => {
  it('logs in, answers an events_api envelope after acknowledging it, and reconnects on disconnect', async () => {
    const clock = createManualClock();
    const ctx = createTestContext({
      clock,
      env: { SLACK_BOT_TOKEN: fake.botToken, SLACK_APP_TOKEN: fake.appToken, SLACK_API_BASE: fake.apiBase },
      config: {
        agents: { defaults: { model: 'test/model' }, list: [{ id: 'main', default: true }] },
        channels: { slack: { dmPolicy: 'open' } },
      },
      models: createScriptedRouter({ respond: () => ({ text: 'pong' }) }),
    });
    const handle = await channelDefService(CHANNELS.slack).start({
      ctx,
      stateDir: '/nonexistent',
      port: 0,
      host: '127.0.0.1',
    });
    try {
      await until(() => ctx.channels.statuses().slack?.state === 'connected', 'the hello');
      expect(ctx.lines.map((l) => l.line)).toContain('[slack] logged in to slack as krab');
      expect(ctx.channels.statuses().slack).toMatchObject({ state: 'connected', mode: 'socket' });

      const since = fake.calls.length;
      const ack = await fake.pushEnvelope({
        type: 'event_callback',
        team_id: 'T1',
        event: { type: 'message', channel: 'D5', channel_type: 'im', user: 'U5', text: 'ping', ts: '10.1' },
      });
      expect(ack).toEqual({ envelope_id: expect.stringMatching(/^env-/) });
      await ctx.settle();
      expect(
        fake.calls
          .slice(since)
          .filter((c) => c.method === 'chat.postMessage')
          .map((c) => c.body),
      ).toEqual([{ channel: 'D5', text: 'pong', unfurl_links: false }]);

      // Slack rotates the socket: the client reconnects after the first backoff step, not before.
      const opened = fake.connections();
      fake.disconnect();
      await until(() => ctx.channels.statuses().slack?.state === 'reconnecting', 'the close');
      expect(fake.connections()).toBe(opened);
      clock.advance(1_000);
      await until(() => fake.connections() === opened + 1, 'the reconnect');
      await until(() => ctx.channels.statuses().slack?.state === 'connected', 'the new hello');
    } finally {
      await handle?.stop();
    }
    // Stopped: no timer is left, so a later tick opens nothing.
    expect(clock.pendingTimers()).toBe(0);
    const after = fake.connections();
    clock.advance(60_000);
    expect(fake.connections()).toBe(after);
  });

  it('logs in again after an outage, on the clock; a token Slack refuses is one error line and no retry', async () => {
    // Its own fake: auth.test's answer is cached per API base and token once it succeeded.
    const api = await startFakeSlackApi();
    cleanup.push(() => api.close());
    const clock = createManualClock();
    const service = (env: Record<string, string>) => {
      const ctx = createTestContext({ clock, env: { SLACK_API_BASE: api.apiBase, ...env } });
      return {
        ctx,
        started: channelDefService(CHANNELS.slack).start({ ctx, stateDir: '/x', port: 0, host: '127.0.0.1' }),
      };
    };
    const warned = (ctx: ReturnType<typeof createTestContext>) =>
      ctx.lines.filter((l) => l.line.startsWith('[slack] cannot log in'));

    api.outage['auth.test'] = 1;
    const before = api.callsOf('auth.test').length;
    const down = service({ SLACK_BOT_TOKEN: api.botToken });
    const handle = await down.started;
    try {
      await until(() => down.ctx.channels.statuses().slack?.state === 'reconnecting', 'the failed login');
      expect(warned(down.ctx).map((l) => [l.level, l.line])).toEqual([
        ['warn', expect.stringMatching(/auth\.test answered HTTP 503 .*; retrying in 1 s$/)],
      ]);
      clock.advance(999);
      await down.ctx.settle();
      expect(api.callsOf('auth.test').length - before).toBe(1);
      clock.advance(1);
      await until(() => down.ctx.channels.statuses().slack?.state === 'connected', 'the login');
      expect(down.ctx.lines.map((l) => l.line)).toContain('[slack] logged in to slack as krab');
      expect(api.callsOf('auth.test').length - before).toBe(2);
    } finally {
      await handle?.stop();
    }

    const refused = service({ SLACK_BOT_TOKEN: 'xoxb-revoked' });
    const refusedHandle = await refused.started;
    try {
      await until(() => refused.ctx.channels.statuses().slack?.state === 'failed', 'the refusal');
      expect(warned(refused.ctx).map((l) => l.level)).toEqual(['error']);
      expect(warned(refused.ctx)[0]?.line).toMatch(/rejected the bot token \(invalid_auth\)/);
      // Nothing else happens: no retry is scheduled.
      expect(clock.pendingTimers()).toBe(0);
    } finally {
      await refusedHandle?.stop();
    }
  });

  it('a token of a deactivated account or an expired one is refused for good too: failed, one error line, no retry', async () => {
    const api = await startFakeSlackApi();
    cleanup.push(() => api.close());
    const clock = createManualClock();
    for (const error of ['account_inactive', 'token_expired']) {
      const token = `xoxb-${error}`;
      api.refuseTokens[token] = error;
      const ctx = createTestContext({ clock, env: { SLACK_API_BASE: api.apiBase, SLACK_BOT_TOKEN: token } });
      const handle = await channelDefService(CHANNELS.slack).start({
        ctx,
        stateDir: '/x',
        port: 0,
        host: '127.0.0.1',
      });
      try {
        const settled = () => ['failed', 'reconnecting'].includes(ctx.channels.statuses().slack?.state ?? '');
        await until(settled, `the refusal (${error})`);
        expect(ctx.channels.statuses().slack?.state).toBe('failed');
        const said = ctx.lines.filter((l) => l.line.startsWith('[slack] cannot log in'));
        expect(said.map((l) => l.level)).toEqual(['error']);
        expect(said[0]?.line).toContain(`rejected the bot token (${error})`);
        expect(clock.pendingTimers()).toBe(0);
        expect(api.callsOf('auth.test').filter((c) => c.token === token)).toHaveLength(1);
      } finally {
        await handle?.stop();
      }
    }
  });
});
