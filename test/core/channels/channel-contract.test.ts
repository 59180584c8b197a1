import { afterAll, beforeAll } from 'vitest';
import { createSlackAdapter } from '../../../src/core/channels/slack/adapter';
import { parseSlackEvent } from '../../../src/core/channels/slack/normalize';
import { createTelegramAdapter } from '../../../src/core/channels/telegram/adapter';
import { parseTelegramUpdate } from '../../../src/core/channels/telegram/normalize';
import type { InboundMessage } from '../../../src/core/channels/types';
import { type FakeSlackApi, startFakeSlackApi } from '../../fakes/slack-api';
import { type FakeBotApi, startFakeBotApi, updates } from '../../fakes/telegram-bot-api';
import { type ChannelHarness, testChannel } from '../../helpers/channel-contract';

let telegram: FakeBotApi;
let slack: FakeSlackApi;
beforeAll(async () => {
  [telegram, slack] = await Promise.all([startFakeBotApi(), startFakeSlackApi()]);
});
afterAll(() => Promise.all([telegram.close(), slack.close()]));

// Each platform message gets an id of its own, so the suite's tests never dedupe each other.
let serial = 0;
const users = new Map<string, number>();
const userId = (name: string) => {
  if (!users.has(name)) users.set(name, 5000 + users.size);
  return users.get(name)!;
};

const telegramHarness: ChannelHarness = {
  id: 'telegram',
  get env() {
    return { TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.origin };
  },
  groupId: '-100777',
  section: ({ dmPolicy, allowFrom, group, requireMention }) => ({
    enabled: true,
    dmPolicy,
    ...(allowFrom ? { allowFrom } : {}),
    groups: { [group]: { allow: true, requireMention } },
  }),
  createAdapter: (ctx) => createTelegramAdapter(ctx),
  dm(text, _id, sender = 'ada') {
    const update = {
      update_id: ++serial,
      ...updates.privateText(text, { userId: userId(sender), messageId: ++serial }),
    };
    return parse(update);
  },
  group(text, _id, mention) {
    const body = mention ? `@${telegram.username} ${text}` : text;
    return parse({
      update_id: ++serial,
      ...updates.groupText(body, { chatId: -100777, messageId: ++serial }),
    });
  },
  sent: (chatId) =>
    Object.hasOwn(telegram.behaviour.refuseChats, chatId)
      ? []
      : telegram
          .callsOf('sendMessage')
          .filter((c) => String(c.params.chat_id) === chatId)
          .map((c) => String(c.params.text)),
  refuseNext(chatId, kind) {
    if (kind === 'permanent')
      telegram.behaviour.refuseChats[chatId] = {
        code: 403,
        description: 'Forbidden: bot was blocked by the user',
      };
    else telegram.behaviour.dropNext.sendMessage = 1;
  },
  typings: (chatId) =>
    telegram.callsOf('sendChatAction').filter((c) => String(c.params.chat_id) === chatId).length,
};

function parse(update: Record<string, any>): InboundMessage {
  const parsed = parseTelegramUpdate(update as never, { id: telegram.botId, username: telegram.username }, 0);
  if (!parsed) throw new Error('the fake update did not normalize');
  return parsed.message;
}

const slackHarness: ChannelHarness = {
  id: 'slack',
  get env() {
    return { SLACK_BOT_TOKEN: slack.botToken, SLACK_API_BASE: slack.apiBase };
  },
  groupId: 'C777',
  section: ({ dmPolicy, allowFrom, group, requireMention }) => ({
    dmPolicy,
    ...(allowFrom ? { allowFrom } : {}),
    channels: { [group]: { allow: true, requireMention } },
  }),
  createAdapter: (ctx) => createSlackAdapter(ctx),
  dm: (text, id, sender = 'UADA') =>
    slackMessage({
      type: 'message',
      channel: `D-${sender}`,
      channel_type: 'im',
      user: sender,
      text,
      ts: `${++serial}.${id}`,
    }),
  group: (text, id, mention) =>
    slackMessage({
      type: 'message',
      channel: 'C777',
      channel_type: 'channel',
      user: 'UADA',
      text: mention ? `<@${slack.botUserId}> ${text}` : text,
      ts: `${++serial}.${id}`,
    }),
  sent: (chatId) => slack.posted.filter((p) => p.channel === chatId).map((p) => p.text),
  refuseNext(chatId, kind) {
    if (kind === 'permanent') slack.refuseChannels[chatId] = 'channel_not_found';
    else slack.failNext[chatId] = 1;
  },
};

function slackMessage(event: Record<string, string>): InboundMessage {
  const message = parseSlackEvent(event, { userId: slack.botUserId, teamId: 'T1' }, 0);
  if (!message) throw new Error('the fake event did not normalize');
  return message;
}

testChannel(telegramHarness);
testChannel(slackHarness);
