import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admitTelegramGroup, createTelegramAdapter } from '../../../../src/core/channels/telegram/adapter';
import type { InboundMessage } from '../../../../src/core/channels/types';
import { parseConfigValue } from '../../../../src/core/config/parse';
import { type FakeBotApi, startFakeBotApi } from '../../../fakes/telegram-bot-api';
import { createManualClock, createTestContext } from '../../../helpers/context';

let fake: FakeBotApi;
beforeAll(async () => {
  fake = await startFakeBotApi();
});
afterAll(() => fake.close());

const groupMessage = (chatId: string): InboundMessage => ({
  channel: 'telegram',
  accountId: 'default',
  messageId: '1',
  chat: { id: chatId, kind: 'group' },
  sender: { id: '7' },
  text: 'hi',
  mentioned: false,
  receivedAt: 0,
});

const configOf = (telegram: Record<string, unknown>) => {
  const parsed = parseConfigValue({ channels: { telegram } }, {});
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.value.config;
};

describe('admitTelegramGroup', () => {
  it.each([
    ['allowlist by default: unlisted group refused', {}, '-1', { allowed: false, requireMention: true }],
    [
      'allowlist: listed group allowed',
      { groups: { '-1': { allow: true } } },
      '-1',
      { allowed: true, requireMention: true },
    ],
    [
      'allowlist: "*" covers every group',
      { groups: { '*': { allow: true, requireMention: false } } },
      '-9',
      { allowed: true, requireMention: false },
    ],
    [
      'open: any group but those shut out',
      { groupPolicy: 'open', groups: { '-2': { allow: false } } },
      '-1',
      { allowed: true, requireMention: true },
    ],
    [
      'open: a shut-out group',
      { groupPolicy: 'open', groups: { '-2': { allow: false } } },
      '-2',
      { allowed: false, requireMention: true },
    ],
    [
      'disabled: nothing',
      { groupPolicy: 'disabled', groups: { '-1': { allow: true } } },
      '-1',
      { allowed: false, requireMention: true },
    ],
    [
      'requireMention from the channel',
      { groupPolicy: 'open', requireMention: false },
      '-1',
      { allowed: true, requireMention: false },
    ],
    [
      'the group overrides the channel',
      { groupPolicy: 'open', requireMention: false, groups: { '-1': { requireMention: true } } },
      '-1',
      { allowed: true, requireMention: true },
    ],
  ])('%s', (_name, telegram, chatId, expected) => {
    expect(admitTelegramGroup(groupMessage(chatId), configOf(telegram))).toEqual(expected);
  });
});

describe('createTelegramAdapter', () => {
  const target = { channel: 'telegram', accountId: 'default', chatId: '555', replyToMessageId: '9' };
  const context = (clock = createManualClock()) =>
    createTestContext({
      clock,
      env: { TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.origin },
      config: { channels: { telegram: { enabled: true } } },
    });

  it('takes its policies from channels.telegram with pairing and allowlist by default', () => {
    const adapter = createTelegramAdapter(context());
    expect(adapter.policy(configOf({}))).toEqual({
      dmPolicy: 'pairing',
      allowFrom: [],
      groupPolicy: 'allowlist',
    });
    expect(adapter.policy(configOf({ dmPolicy: 'open', allowFrom: [12, '@ada'] }))).toEqual({
      dmPolicy: 'open',
      allowFrom: ['12', '@ada'],
      groupPolicy: 'allowlist',
    });
    expect(adapter.textLimit).toBe(4096);
  });

  it('quotes the message only with the first chunk of a reply', async () => {
    const adapter = createTelegramAdapter(context());
    const since = fake.calls.length;
    await adapter.send(target, 'part one');
    await adapter.send(target, 'part two');
    const sends = fake.calls.slice(since).filter((c) => c.method === 'sendMessage');
    expect(sends.map((c) => c.params.reply_parameters?.message_id)).toEqual([9, undefined]);
  });

  it('renews typing every 4.5 s until the reply goes out', async () => {
    const clock = createManualClock();
    const adapter = createTelegramAdapter(context(clock));
    const typingTarget = { ...target, chatId: '556' };
    const typings = () =>
      fake.calls.filter((c) => c.method === 'sendChatAction' && c.params.chat_id === '556').length;
    await adapter.typing!(typingTarget);
    expect(typings()).toBe(1);
    clock.advance(4_500);
    await fake.waitForCall(
      'sendChatAction',
      (c) => c.params.chat_id === '556',
      5_000,
      fake.calls.findLastIndex((c) => c.params.chat_id === '556') + 1,
    );
    expect(typings()).toBe(2);
    await adapter.send(typingTarget, 'done');
    // Nothing else happens: the reply cancelled the renewal, so no timer is left to fire.
    expect(clock.pendingTimers()).toBe(0);
    clock.advance(20_000);
    expect(typings()).toBe(2);
  });

  it('stops renewing typing after two minutes', async () => {
    const clock = createManualClock();
    const adapter = createTelegramAdapter(context(clock));
    const typingTarget = { ...target, chatId: '557' };
    await adapter.typing!(typingTarget);
    for (let i = 0; i < 40; i++) clock.advance(4_500);
    // Past two minutes no renewal is scheduled any more: nothing else can happen.
    expect(clock.pendingTimers()).toBe(0);
    const count = () =>
      fake.calls.filter((c) => c.method === 'sendChatAction' && c.params.chat_id === '557').length;
    // 120 s / 4.5 s renewals after the first, each an HTTP call that lands in its own time.
    const expected = 1 + Math.ceil(120_000 / 4_500);
    await fake.waitForCall('sendChatAction', () => count() >= expected, 10_000);
    expect(count()).toBe(expected);
  });

  it('fails with a clear error when no token is set', async () => {
    const ctx = createTestContext({ config: { channels: { telegram: { enabled: true } } } });
    await expect(createTelegramAdapter(ctx).send(target, 'x')).rejects.toThrow(
      /no bot token.*channels add telegram/,
    );
  });
});
