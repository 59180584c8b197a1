import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordChannel } from '../../../../src/core/channels/discord/channel';
import { createDiscordRest, type DiscordRest } from '../../../../src/core/channels/discord/rest';
import type { InboundMessage } from '../../../../src/core/channels/types';
import { type FakeDiscord, startFakeDiscord } from '../../../fakes/discord';
import { createManualClock, createTestContext } from '../../../helpers/context';
import { createGatedRouter } from '../../../helpers/gated-router';

/**
 * Reply previews on Discord: the real pipeline and channel, the real @discordjs/rest client
 * against the fake REST API, on a manual clock (edits are throttled on it, not on real time).
 */
let fake: FakeDiscord;
let rest: DiscordRest;
beforeAll(async () => {
  fake = await startFakeDiscord();
  rest = await createDiscordRest({ apiBase: fake.apiBase, token: fake.token });
});
afterAll(() => fake.close());

const OWNER = '100000000000000777';

function setup() {
  const clock = createManualClock();
  const models = createGatedRouter();
  const ctx = createTestContext({
    clock,
    models,
    config: {
      owners: [`discord:${OWNER}`],
      agents: { defaults: { model: 'test/model' }, list: [{ id: 'main', default: true }] },
      channels: { discord: { enabled: true, dmPolicy: 'open' } },
    },
  });
  ctx.channels.register(createDiscordChannel({ rest: async () => rest, clock }));
  return { ctx, models, clock };
}

const dm = (chatId: string, messageId: string): InboundMessage => ({
  channel: 'discord',
  accountId: 'default',
  messageId,
  chat: { id: chatId, kind: 'dm' },
  sender: { id: OWNER },
  text: 'hello',
  mentioned: true,
  receivedAt: 0,
});

describe('discord reply previews', () => {
  it("owner's DM: one message (quoting, with a nonce), edited at most once a second, then the final text; nothing after", async () => {
    const { ctx, models, clock } = setup();
    const { spoolKey } = await ctx.pipeline.accept(dm('31', '9001'));
    await models.push('Hello');
    const [created] = await fake.waitFor(() => {
      const calls = fake.calls('POST', '/channels/31/messages');
      return calls.length > 0 && calls;
    });
    expect(created!.body).toMatchObject({
      content: 'Hello',
      enforce_nonce: true,
      message_reference: { message_id: '9001', fail_if_not_exists: false },
      allowed_mentions: { parse: ['users'], replied_user: true },
    });
    expect(created!.body.nonce).toMatch(/^[0-9a-f]{24}$/);
    const messageId = fake.rest.messagesByNonce.get(created!.body.nonce) as { id: string };
    const edits = () => fake.calls('PATCH', `/channels/31/messages/${messageId.id}`);
    await models.push(' there');
    clock.advance(999);
    await models.push(',');
    expect(edits()).toEqual([]);
    clock.advance(1);
    await fake.waitFor(() => edits().length === 1, 5000, 'the first edit');
    expect(edits()[0]!.body.content).toBe('Hello there,');
    await models.push(' **friend**');
    models.end();
    await ctx.settle();
    expect(edits().map((c) => c.body.content)).toEqual(['Hello there,', 'Hello there, **friend**']);
    expect(fake.calls('POST', '/channels/31/messages')).toHaveLength(1);
    expect(await ctx.store.has(spoolKey)).toBe(false);
    expect(clock.pendingTimers()).toBe(0);
  });

  it("a 429 on an edit is waited out by @discordjs/rest (Discord's rate-limit headers); the turn still answers", async () => {
    const { ctx, models, clock } = setup();
    await ctx.pipeline.accept(dm('32', '9002'));
    await models.push('first');
    await fake.waitFor(() => fake.calls('POST', '/channels/32/messages').length === 1);
    const created = fake.calls('POST', '/channels/32/messages')[0]!;
    const { id } = fake.rest.messagesByNonce.get(created.body.nonce) as { id: string };
    fake.rest.rateLimits.set(`PATCH /channels/32/messages/${id}`, [0.2]);
    await models.push(' second');
    clock.advance(1000);
    await models.push(' third');
    models.end();
    await ctx.settle();
    const patches = fake.calls('PATCH', `/channels/32/messages/${id}`);
    // The 429, the same edit again once the bucket reset, then the final text.
    expect(patches.length).toBeGreaterThanOrEqual(2);
    expect(patches[1]!.at - patches[0]!.at).toBeGreaterThanOrEqual(150);
    expect(patches.at(-1)!.body.content).toBe('first second third');
    expect(ctx.pipeline.stats()).toMatchObject({ replied: 1, failed: 0 });
  });
});
