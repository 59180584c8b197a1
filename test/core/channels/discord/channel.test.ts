import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordChannel, TYPING_RENEW_MS } from '../../../../src/core/channels/discord/channel';
import { createDiscordRest, type DiscordRest } from '../../../../src/core/channels/discord/rest';
import { type FakeDiscord, startFakeDiscord } from '../../../fakes/discord';
import { createManualClock } from '../../../helpers/context';

let fake: FakeDiscord;
let rest: DiscordRest;

beforeAll(async () => {
  fake = await startFakeDiscord();
  rest = await createDiscordRest({ apiBase: fake.apiBase, token: fake.token });
});
afterAll(() => fake.close());

describe('discord channel adapter (real @discordjs/rest against the fake REST)', () => {
  const clock = createManualClock();
  const channel = () => createDiscordChannel({ rest: async () => rest, clock });

  it('replies to the message in its channel, without pinging roles or everyone', async () => {
    await channel().send(
      { channel: 'discord', accountId: 'default', chatId: '10', replyToMessageId: '555' },
      'hi @everyone',
    );
    const [call] = fake.calls('POST', '/channels/10/messages');
    expect(call?.authorization).toBe(`Bot ${fake.token}`);
    expect(call?.body).toEqual({
      content: 'hi @everyone',
      allowed_mentions: { parse: ['users'], replied_user: true },
      message_reference: { message_id: '555', fail_if_not_exists: false },
    });
  });

  it('sends each chunk with a nonce Discord enforces, so a resend after a crash is the same message', async () => {
    const target = { channel: 'discord', accountId: 'default', chatId: '16', replyToMessageId: '1' };
    await channel().send(target, 'once', 'spool:discord:16:1#0');
    await channel().send(target, 'once', 'spool:discord:16:1#0');
    await channel().send(target, 'second chunk', 'spool:discord:16:1#1');
    const calls = fake.calls('POST', '/channels/16/messages');
    expect(calls.map((c) => c.body.enforce_nonce)).toEqual([true, true, true]);
    const nonces = calls.map((c) => c.body.nonce as string);
    expect(nonces[0]).toMatch(/^[0-9a-f]{24}$/);
    expect(nonces[1]).toBe(nonces[0]);
    expect(nonces[2]).not.toBe(nonces[0]);
    expect(new Set(nonces.map((n) => fake.rest.messagesByNonce.get(n))).size).toBe(2);
  });

  it('answers in the thread when there is one', async () => {
    await channel().send(
      { channel: 'discord', accountId: 'default', chatId: '10', threadId: '77' },
      'in thread',
    );
    expect(fake.calls('POST', '/channels/77/messages').map((c) => c.body.content)).toEqual(['in thread']);
  });

  it('splits a long reply into ordered messages, only the first one quoting the question', async () => {
    const long = `\`\`\`\n${'x = 1\n'.repeat(700)}\`\`\``;
    await channel().send(
      { channel: 'discord', accountId: 'default', chatId: '12', replyToMessageId: '9' },
      long,
    );
    const calls = fake.calls('POST', '/channels/12/messages');
    expect(calls.length).toBe(3);
    expect(calls.map((c) => Boolean(c.body.message_reference))).toEqual([true, false, false]);
    for (const c of calls) expect(c.body.content.length).toBeLessThanOrEqual(2000);
  });

  it('shows typing in the thread or channel, renews it while the run lasts, and stops with the reply', async () => {
    const clock = createManualClock();
    const adapter = createDiscordChannel({ rest: async () => rest, clock });
    const target = { channel: 'discord', accountId: 'default', chatId: '13', threadId: '78' };
    await adapter.typing!(target);
    expect(fake.calls('POST', '/channels/78/typing').length).toBe(1);
    clock.advance(TYPING_RENEW_MS * 2);
    await fake.waitFor(() => fake.calls('POST', '/channels/78/typing').length === 3, 2000, 'renewed typing');
    await adapter.send(target, 'done');
    // Nothing else happens: the reply cancelled the renewal, so no timer is left to fire.
    expect(clock.pendingTimers()).toBe(0);
    clock.advance(TYPING_RENEW_MS * 3);
    expect(fake.calls('POST', '/channels/78/typing').length).toBe(3);
  });

  it('quotes the question only in the first message when the pipeline sends chunk by chunk', async () => {
    const adapter = channel();
    const target = { channel: 'discord', accountId: 'default', chatId: '15', replyToMessageId: '700' };
    await adapter.send(target, 'part one');
    await adapter.send(target, 'part two');
    expect(fake.calls('POST', '/channels/15/messages').map((c) => Boolean(c.body.message_reference))).toEqual(
      [true, false],
    );
  });

  it('waits out a 429 and then delivers', async () => {
    fake.rest.rateLimits.set('POST /channels/14/messages', [0.3]);
    const started = Date.now();
    await channel().send({ channel: 'discord', accountId: 'default', chatId: '14' }, 'after the limit');
    const calls = fake.calls('POST', '/channels/14/messages');
    expect(calls.length).toBe(2);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(250);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
