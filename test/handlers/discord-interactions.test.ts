import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeDiscord, startFakeDiscord } from '../fakes/discord';
import type { TestContext } from '../helpers/context';
import { discordInteractionsSetup, DISCORD_GUILD as GUILD } from '../helpers/discord-interactions';
import { createEd25519Keys, type Ed25519Keys } from '../helpers/ed25519';
import { createScriptedRouter, type ScriptedRouter } from '../helpers/scripted-router';

const GENERAL = '4001';

let fake: FakeDiscord;
let keys: Ed25519Keys;

beforeAll(async () => {
  fake = await startFakeDiscord();
  keys = await createEd25519Keys();
});
afterAll(() => fake.close());

async function sign(body: string, timestamp: string, key = keys): Promise<string> {
  return (await key.sign(timestamp + body)).toString('hex');
}

function setup(options: { publicKey?: string | null; models?: ScriptedRouter } = {}): {
  ctx: TestContext;
  app: Hono;
} {
  return discordInteractionsSetup({
    env: { DISCORD_API_BASE: fake.apiBase },
    models: options.models ?? createScriptedRouter(),
    ...(options.publicKey === null ? {} : { publicKey: options.publicKey ?? keys.publicKey.toString('hex') }),
  });
}

let tokens = 0;
function askInteraction(prompt: string, where: 'general' | 'other-guild' | 'dm' = 'general') {
  const user = { id: '100000000000000001', username: 'alice', global_name: 'Alice' };
  const place =
    where === 'dm'
      ? { channel_id: '7001', channel: { id: '7001', type: 1 }, user }
      : {
          guild_id: where === 'general' ? GUILD : 'G999',
          channel_id: GENERAL,
          channel: { id: GENERAL, type: 0, name: 'general' },
          member: { user, nick: null },
        };
  return {
    id: `9${++tokens}`,
    application_id: fake.applicationId,
    type: 2,
    token: `interaction-token-${tokens}`,
    data: { name: 'ask', type: 1, options: [{ name: 'prompt', type: 3, value: prompt }] },
    ...place,
  };
}

async function post(app: Hono, body: string, headers: Record<string, string>) {
  return app.request('/discord/interactions', {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

async function signedPost(app: Hono, payload: unknown) {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const timestamp = String(Math.floor(Date.now() / 1000));
  return post(app, body, {
    'x-signature-ed25519': await sign(body, timestamp),
    'x-signature-timestamp': timestamp,
  });
}

describe('POST /discord/interactions', () => {
  it('answers PING with PONG when the signature is good', async () => {
    const { app } = setup();
    const res = await signedPost(app, { id: '1', application_id: fake.applicationId, type: 1, token: 't' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ type: 1 });
  });

  it('refuses a missing signature with 401', async () => {
    const { app } = setup();
    const res = await post(app, JSON.stringify({ type: 1 }), {});
    expect(res.status).toBe(401);
  });

  it('refuses a bad signature with 401: another key, a tampered body, a stale timestamp, junk', async () => {
    const { app } = setup();
    const other = await createEd25519Keys();
    const body = JSON.stringify({ type: 1 });
    const now = String(Math.floor(Date.now() / 1000));
    const stale = String(Math.floor(Date.now() / 1000) - 600);
    const cases: Array<Record<string, string>> = [
      { 'x-signature-ed25519': await sign(body, now, other), 'x-signature-timestamp': now },
      { 'x-signature-ed25519': await sign(JSON.stringify({ type: 2 }), now), 'x-signature-timestamp': now },
      { 'x-signature-ed25519': await sign(body, stale), 'x-signature-timestamp': stale },
      { 'x-signature-ed25519': 'zz', 'x-signature-timestamp': now },
    ];
    for (const headers of cases) expect((await post(app, body, headers)).status).toBe(401);
  });

  it('is unavailable (503) until a public key is configured', async () => {
    const { app } = setup({ publicKey: null });
    const res = await signedPost(app, { type: 1 });
    expect(res.status).toBe(503);
    expect((await res.json()).error.message).toContain('channels.discord.publicKey');
  });

  it('a signed body that is not an interaction is a 400', async () => {
    const { app } = setup();
    expect((await signedPost(app, 'not json')).status).toBe(400);
  });

  it('/ask defers, runs the agent, and edits the original response through the webhook', async () => {
    const { app, ctx } = setup();
    const interaction = askInteraction('what is a krab?');
    const res = await signedPost(app, interaction);
    expect(await res.json()).toEqual({ type: 5 });
    await ctx.settle();
    const edits = fake.calls(
      'PATCH',
      `/webhooks/${fake.applicationId}/${interaction.token}/messages/@original`,
    );
    expect(edits.length).toBe(1);
    expect(edits[0]!.body.content).toBe('echo: what is a krab?');
    expect(edits[0]!.authorization).toBeUndefined();
    const sessions = await ctx.agents.sessions.list();
    expect(sessions.map((s) => s.sessionKey)).toContain(`agent:main:discord:${GENERAL}:chat`);
  });

  it('a long answer edits the original with the first part and follows up with the rest', async () => {
    const models = createScriptedRouter({ replies: [{ text: 'word '.repeat(900) }] });
    const { app, ctx } = setup({ models });
    const interaction = askInteraction('tell me a lot');
    await signedPost(app, interaction);
    await ctx.settle();
    const hook = `/webhooks/${fake.applicationId}/${interaction.token}`;
    expect(fake.calls('PATCH', `${hook}/messages/@original`).length).toBe(1);
    const followUps = fake.calls('POST', hook);
    expect(followUps.length).toBe(2);
    for (const call of followUps) expect(call.body.content.length).toBeLessThanOrEqual(2000);
  });

  it('/ask follows the allowlist: a guild not listed gets a refusal, no agent run', async () => {
    const models = createScriptedRouter();
    const { app, ctx } = setup({ models });
    const interaction = askInteraction('hello', 'other-guild');
    await signedPost(app, interaction);
    await ctx.settle();
    const [edit] = fake.calls(
      'PATCH',
      `/webhooks/${fake.applicationId}/${interaction.token}/messages/@original`,
    );
    expect(edit?.body.content).toContain('not allowed');
    expect(models.requests.length).toBe(0);
  });

  it('/ask in a DM follows dmPolicy pairing: the stranger gets a pairing code', async () => {
    const models = createScriptedRouter();
    const { app, ctx } = setup({ models });
    const interaction = askInteraction('hello', 'dm');
    await signedPost(app, interaction);
    await ctx.settle();
    const [edit] = fake.calls(
      'PATCH',
      `/webhooks/${fake.applicationId}/${interaction.token}/messages/@original`,
    );
    expect(edit?.body.content).toMatch(/pairing code is [A-Z0-9]{6}/);
    expect(models.requests.length).toBe(0);
  });

  it('another command gets an ephemeral hint', async () => {
    const { app } = setup();
    const res = await signedPost(app, { ...askInteraction('x'), data: { name: 'weather', type: 1 } });
    const body = await res.json();
    expect(body.type).toBe(4);
    expect(body.data.flags).toBe(64);
  });
});
