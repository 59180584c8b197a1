import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackAdapter } from '../../../../src/core/channels/slack/adapter';
import { toSlackMrkdwn } from '../../../../src/core/channels/slack/format';
import { parseSlackEvent } from '../../../../src/core/channels/slack/normalize';
import { createApp } from '../../../../src/handlers/app';
import { type FakeSlackApi, signSlack, startFakeSlackApi } from '../../../fakes/slack-api';
import { createManualClock, createTestContext } from '../../../helpers/context';
import { createScriptedRouter } from '../../../helpers/scripted-router';

const SECRET = 'slack-signing-secret-0123';
let fake: FakeSlackApi;
beforeAll(async () => {
  fake = await startFakeSlackApi();
});
afterAll(() => fake.close());

function setup(slack: Record<string, unknown> = { dmPolicy: 'open', groupPolicy: 'open' }) {
  const clock = createManualClock(Date.UTC(2026, 11, 7, 12));
  const ctx = createTestContext({
    clock,
    env: { SLACK_BOT_TOKEN: fake.botToken, SLACK_SIGNING_SECRET: SECRET, SLACK_API_BASE: fake.apiBase },
    config: {
      agents: { defaults: { model: 'test/model' }, list: [{ id: 'main', default: true }] },
      channels: { slack },
    },
    models: createScriptedRouter({ respond: () => ({ text: 'Use **bold** & [docs](https://x.dev)' }) }),
  });
  ctx.channels.register(createSlackAdapter(ctx));
  const app = createApp(ctx, { clientAddress: () => '127.0.0.1' });
  const seconds = () => Math.floor(clock.now() / 1000);
  const post = async (
    body: unknown,
    options: { secret?: string; at?: number; headers?: Record<string, string>; signature?: string } = {},
  ) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const at = options.at ?? seconds();
    const signature = options.signature ?? (await signSlack(options.secret ?? SECRET, text, at));
    return app.request('/slack/events', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-slack-request-timestamp': String(at),
        'x-slack-signature': signature,
        ...options.headers,
      },
      body: text,
    });
  };
  return { ctx, clock, post, seconds };
}

const event = (fields: Record<string, unknown>) => ({
  type: 'event_callback',
  team_id: 'T1',
  authorizations: [{ user_id: 'UBOT', is_bot: true }],
  event: {
    type: 'message',
    channel: 'D1',
    channel_type: 'im',
    user: 'U7',
    text: 'hi',
    ts: '1.0001',
    ...fields,
  },
});

describe('Slack Events API: POST /slack/events', () => {
  it('answers url_verification with its challenge, signed', async () => {
    const { post } = setup();
    const res = await post({ type: 'url_verification', challenge: 'c-123', token: 'x' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: 'c-123' });
  });

  it('refuses unsigned, wrongly signed, malformed and stale requests with 401', async () => {
    const { post, seconds } = setup();
    const body = { type: 'url_verification', challenge: 'c' };
    expect((await post(body, { secret: 'not-the-secret' })).status).toBe(401);
    expect((await post(body, { signature: 'v0=zz' })).status).toBe(401);
    expect((await post(body, { signature: '' })).status).toBe(401);
    expect((await post(body, { at: seconds() - 5 * 60 - 1 })).status).toBe(401);
    expect((await post(body, { at: seconds() - 4 * 60 })).status).toBe(200);
    // The signature covers the raw body: the same signature over other bytes is refused.
    const signed = await signSlack(SECRET, JSON.stringify(body), seconds());
    expect((await post({ ...body, challenge: 'd' }, { signature: signed })).status).toBe(401);
  });

  it('fails closed without a signing secret, and is 404 while Slack is not enabled', async () => {
    const none = setup();
    none.ctx.env = { SLACK_BOT_TOKEN: fake.botToken, SLACK_API_BASE: fake.apiBase };
    expect((await none.post({ type: 'url_verification', challenge: 'c' })).status).toBe(401);
    const off = setup({ enabled: false });
    expect((await off.post({ type: 'url_verification', challenge: 'c' })).status).toBe(404);
  });

  it('a DM is answered once with chat.postMessage, in mrkdwn; a retried delivery is not answered again', async () => {
    const { ctx, post } = setup();
    const since = fake.calls.length;
    const res = await post(event({ ts: '2.0001' }));
    expect(await res.json()).toEqual({ ok: true, result: 'accepted' });
    await ctx.settle();
    const retried = await post(event({ ts: '2.0001' }), { headers: { 'x-slack-retry-num': '1' } });
    expect(await retried.json()).toEqual({ ok: true, result: 'duplicate' });
    await ctx.settle();
    const posts = fake.calls.slice(since).filter((c) => c.method === 'chat.postMessage');
    expect(posts.map((c) => c.body)).toEqual([
      { channel: 'D1', text: 'Use *bold* &amp; <https://x.dev|docs>', unfurl_links: false },
    ]);
  });

  it('a channel @mention is answered in its thread once, though Slack sends message and app_mention', async () => {
    const { ctx, post } = setup();
    const since = fake.calls.length;
    const text = '<@UBOT> what now?';
    await post(event({ channel: 'C1', channel_type: 'channel', text, ts: '3.0001', thread_ts: '2.5' }));
    await post(event({ type: 'app_mention', channel: 'C1', text, ts: '3.0001', thread_ts: '2.5' }));
    await ctx.settle();
    const posts = fake.calls.slice(since).filter((c) => c.method === 'chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body).toMatchObject({ channel: 'C1', thread_ts: '2.5' });
  });

  it('requireMention and the channel allowlist gate channel messages', async () => {
    const { ctx, post } = setup({ dmPolicy: 'open', channels: { C2: { allow: true } } });
    const since = fake.calls.length;
    await post(event({ channel: 'C2', channel_type: 'channel', text: 'no mention', ts: '4.1' }));
    await post(event({ channel: 'C9', channel_type: 'channel', text: '<@UBOT> not listed', ts: '4.2' }));
    await post(event({ channel: 'C2', channel_type: 'channel', text: '<@UBOT> listed', ts: '4.3' }));
    await ctx.settle();
    const posts = fake.calls.slice(since).filter((c) => c.method === 'chat.postMessage');
    expect(posts.map((c) => [c.body.channel, c.body.thread_ts])).toEqual([['C2', '4.3']]);
  });

  it('a DM under the default pairing policy gets a pairing code', async () => {
    const { ctx, post } = setup({});
    const since = fake.calls.length;
    await post(event({ user: 'U-stranger', ts: '5.1' }));
    await ctx.settle();
    const [reply] = fake.calls.slice(since).filter((c) => c.method === 'chat.postMessage');
    expect(reply?.body.text).toMatch(/pairing code is [A-Z0-9]+/);
  });

  it('bad JSON is a 400; the bot’s own and edited messages are ignored', async () => {
    const { post } = setup();
    expect((await post('{nope')).status).toBe(400);
    expect(await (await post(event({ user: 'UBOT', ts: '6.1' }))).json()).toEqual({
      ok: true,
      result: 'ignored',
    });
    expect(await (await post(event({ subtype: 'message_changed', ts: '6.2' }))).json()).toEqual({
      ok: true,
      result: 'ignored',
    });
    expect(await (await post(event({ bot_id: 'B1', ts: '6.3' }))).json()).toEqual({
      ok: true,
      result: 'ignored',
    });
  });
});

describe('Slack send errors and formatting', () => {
  it('channel_not_found is final: one call, one log line, no retry', async () => {
    fake.refuseChannels.CGONE = 'channel_not_found';
    const { ctx, clock, post } = setup();
    await post(event({ channel: 'CGONE', channel_type: 'channel', text: '<@UBOT> hi', ts: '7.1' }));
    await ctx.settle();
    clock.advance(10 * 60_000);
    await ctx.settle();
    expect(fake.callsOf('chat.postMessage').filter((c) => c.body.channel === 'CGONE')).toHaveLength(1);
    expect(ctx.lines.filter((l) => l.line.includes('slack chat CGONE')).map((l) => l.line)).toEqual([
      '[pipeline] cannot send the reply to slack chat CGONE: slack: chat.postMessage refused: channel_not_found',
    ]);
  });

  it('converts Markdown to mrkdwn and leaves code alone (but escaped)', () => {
    expect(toSlackMrkdwn('# Title\n- **a** and *b* ~~c~~\n`x < y`\n```\na && b\n```')).toBe(
      '*Title*\n• *a* and _b_ ~c~\n`x &lt; y`\n```\na &amp;&amp; b\n```',
    );
  });

  it('normalizes a threaded DM and strips the mention', () => {
    expect(
      parseSlackEvent(
        {
          type: 'message',
          channel: 'D1',
          channel_type: 'im',
          user: 'U1',
          text: '<@UBOT>  hello',
          ts: '9.1',
          thread_ts: '9.0',
        },
        { userId: 'UBOT', teamId: 'T1' },
        5,
      ),
    ).toEqual({
      channel: 'slack',
      accountId: 'T1',
      messageId: '9.1',
      chat: { id: 'D1', kind: 'dm', threadId: '9.0' },
      sender: { id: 'U1' },
      text: 'hello',
      mentioned: true,
      receivedAt: 5,
    });
  });
});
