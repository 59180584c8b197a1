import { afterAll, beforeAll } from 'vitest';
import { createSlackAdapter } from '../../../src/core/channels/slack/adapter';
import { parseSlackEvent } from '../../../src/core/channels/slack/normalize';
import { createTelegramAdapter } from '../../../src/core/channels/telegram/adapter';
import { parseTelegramUpdate } from '../../../src/core/channels/telegram/normalize';
import type { InboundMessage } from '../../../src/core/channels/types';
import { createWhatsAppCloudAdapter } from '../../../src/core/channels/whatsapp/adapter';
import { parseWhatsAppWebhook } from '../../../src/core/channels/whatsapp/normalize';
import { type FakeSlackApi, startFakeSlackApi } from '../../fakes/slack-api';
import { type FakeBotApi, startFakeBotApi, updates } from '../../fakes/telegram-bot-api';
import { type FakeGraph, startFakeGraph, waPayloads } from '../../fakes/whatsapp-graph';
import { type ChannelHarness, testChannel } from '../../helpers/channel-contract';

let telegram: FakeBotApi;
let slack: FakeSlackApi;
let graph: FakeGraph;
beforeAll(async () => {
  [telegram, slack, graph] = await Promise.all([startFakeBotApi(), startFakeSlackApi(), startFakeGraph()]);
});
afterAll(() => Promise.all([telegram.close(), slack.close(), graph.close()]));

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

function parse(update: Record<string, unknown>): InboundMessage {
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

/** Failed attempts the harness caused per recipient: the fake records them among its calls. */
const failedTo = new Map<string, number>();
const phone = (name: string) => `1555${String(userId(name)).padStart(7, '0')}`;

const whatsappHarness: ChannelHarness = {
  id: 'whatsapp',
  get env() {
    return { WHATSAPP_ACCESS_TOKEN: graph.token, WHATSAPP_API_BASE: graph.origin };
  },
  groupId: '120363000000000777@g.us',
  section: ({ dmPolicy, allowFrom, group, requireMention }) => ({
    enabled: true,
    phoneNumberId: graph.phoneNumberId,
    dmPolicy,
    ...(allowFrom ? { allowFrom } : {}),
    groups: { [group]: { allow: true, requireMention } },
  }),
  createAdapter: (ctx) => createWhatsAppCloudAdapter(ctx),
  dm: (text, id, sender = 'ada') =>
    whatsappMessage(
      waPayloads.text(graph.phoneNumberId, { from: phone(sender), id: `wamid.${++serial}${id}`, text }),
    ),
  group(text, id, mention) {
    const payload = waPayloads.text(graph.phoneNumberId, {
      id: `wamid.${++serial}${id}`,
      text: mention ? `@15550100999 ${text}` : text,
    });
    (payload.entry[0]!.changes[0]!.value as unknown as { messages: Array<Record<string, unknown>> })
      .messages[0]!.group_id = '120363000000000777@g.us';
    return whatsappMessage(payload);
  },
  sent: (to) =>
    graph
      .sent(to)
      .map((s) => s.body)
      .slice(failedTo.get(to) ?? 0),
  refuseNext(to, kind) {
    failedTo.set(to, (failedTo.get(to) ?? 0) + 1);
    if (kind === 'permanent') graph.windowClosed.add(to);
    else graph.failNext.set(to, 1);
  },
  typings: () => graph.calls.filter((c) => c.body.status === 'read').length,
};

function whatsappMessage(body: unknown): InboundMessage {
  const message = parseWhatsAppWebhook(body as never, 0).messages[0];
  if (!message) throw new Error('the fake webhook did not normalize');
  return message.message;
}

testChannel(telegramHarness);
testChannel(whatsappHarness);
testChannel(slackHarness);
