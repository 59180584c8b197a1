import { afterAll, beforeAll } from 'vitest';
import { createDiscordChannel } from '../../../src/core/channels/discord/channel';
import { toInboundMessage } from '../../../src/core/channels/discord/normalize';
import type { DiscordMessage } from '../../../src/core/channels/discord/payloads';
import { createDiscordRest, type DiscordRest } from '../../../src/core/channels/discord/rest';
import { createSignalAdapter } from '../../../src/core/channels/signal/adapter';
import { parseSignalReceive } from '../../../src/core/channels/signal/normalize';
import type { InboundMessage } from '../../../src/core/channels/types';
import { type FakeDiscord, snowflake, startFakeDiscord } from '../../fakes/discord';
import { type FakeSignalDaemon, signalMessage, startFakeSignalDaemon } from '../../fakes/signal-daemon.mjs';
import { type ChannelHarness, testChannel } from '../../helpers/channel-contract';

// Discord and Signal receive over a socket or a daemon's event stream on Node; the contract drives
// their real normalizers and adapters (the real @discordjs/rest, JSON-RPC over fetch) against the
// fake far ends, as channel-contract.test.ts does for the webhook channels.
let discord: FakeDiscord;
let rest: DiscordRest;
let daemon: FakeSignalDaemon;
beforeAll(async () => {
  [discord, daemon] = await Promise.all([startFakeDiscord(), startFakeSignalDaemon()]);
  rest = await createDiscordRest({ apiBase: discord.apiBase, token: discord.token });
});
afterAll(() => Promise.all([discord.close(), daemon.close()]));

// Each platform message gets an id of its own, so the suite's tests never dedupe each other.
let serial = 0;
const users = new Map<string, number>();
const userId = (name: string) => {
  if (!users.has(name)) users.set(name, 1000 + users.size);
  return users.get(name)!;
};

const GUILD = '600000000000000001';
const discordUser = (name: string) => ({ id: `10000000000000${userId(name)}`, username: name });

const discordHarness: ChannelHarness = {
  id: 'discord',
  env: {},
  groupId: '700000000000000777',
  section: ({ dmPolicy, allowFrom, group, requireMention }) => ({
    dmPolicy,
    ...(allowFrom ? { allowFrom } : {}),
    guilds: { [GUILD]: { channels: { [group]: { allow: true, requireMention } } } },
  }),
  createAdapter: (ctx) => createDiscordChannel({ rest: async () => rest, clock: ctx.clock }),
  dm(text, _id, sender = 'alice') {
    // A DM is its own channel, one per person.
    return discordMessage({ channel_id: `80000000000000${userId(sender)}`, content: text }, sender);
  },
  group(text, _id, mention) {
    const bot = discord.bot;
    return discordMessage(
      {
        channel_id: '700000000000000777',
        guild_id: GUILD,
        content: mention ? `<@${bot.id}> ${text}` : text,
        mentions: mention ? [bot] : [],
      },
      'alice',
    );
  },
  sent: (chatId) =>
    discord
      .calls('POST', `/channels/${chatId}/messages`)
      .filter((c) => c.status === 200)
      .map((c) => String(c.body.content)),
  refuseNext(chatId, kind) {
    // 403 Missing Access fails the same way every time; a 500 is retried by @discordjs/rest itself
    // (three more times, at once) before the pipeline sees it, so the fake answers it four times.
    const failure =
      kind === 'permanent'
        ? [{ status: 403, body: { message: 'Missing Access', code: 50001 } }]
        : Array.from({ length: 4 }, () => ({
            status: 500,
            body: { message: 'Internal Server Error', code: 0 },
          }));
    discord.rest.failures.set(`POST /channels/${chatId}/messages`, failure);
  },
  typings: (chatId) => discord.calls('POST', `/channels/${chatId}/typing`).length,
};

function discordMessage(fields: Partial<DiscordMessage>, sender: string): InboundMessage {
  const message = {
    id: snowflake(),
    type: 0,
    author: discordUser(sender),
    content: '',
    mentions: [],
    attachments: [],
    ...fields,
  } as DiscordMessage;
  const channel = fields.guild_id
    ? { id: message.channel_id, name: 'general', type: 0, guild_id: fields.guild_id }
    : undefined;
  return toInboundMessage(message, { botId: discord.bot.id, ...(channel ? { channel } : {}), now: 0 });
}

const GROUP_ID = 'Q3JhYkNsdWJHcm91cElkMDAwMDAwMDAwMDAwMDA=';
const phone = (name: string) => `+1555${String(userId(name)).padStart(7, '0')}`;
const signalTarget = (params: Record<string, unknown>) =>
  params.groupId ? `group:${params.groupId}` : (params.recipient as string[] | undefined)?.[0];

const signalHarness: ChannelHarness = {
  id: 'signal',
  env: {},
  groupId: `group:${GROUP_ID}`,
  section: ({ dmPolicy, allowFrom, group, requireMention }) => ({
    account: daemon.account,
    dmPolicy,
    ...(allowFrom ? { allowFrom } : {}),
    groups: { [group.slice('group:'.length)]: { allow: true, requireMention } },
  }),
  createAdapter: (ctx) => createSignalAdapter(ctx, () => daemon.origin),
  dm: (text, _id, sender = 'ada') =>
    signal(signalMessage({ from: phone(sender), text, timestamp: ++serial })),
  group: (text, _id, mention) =>
    signal(
      signalMessage({
        groupId: GROUP_ID,
        // Signal puts U+FFFC where a mention stands and lists who it names.
        text: mention ? `\uFFFC ${text}` : text,
        ...(mention ? { mentions: [{ number: daemon.account, name: 'krab', start: 0, length: 1 }] } : {}),
        timestamp: ++serial,
      }),
    ),
  sent: (chatId) =>
    daemon.calls
      .filter((c) => c.method === 'send' && !c.failed && signalTarget(c.params) === chatId)
      .map((c) => String(c.params.message)),
  refuseNext(chatId, kind) {
    // What signal-cli answers for a number that is not on Signal, and for a send that reached nobody.
    if (kind === 'permanent') daemon.refuse(chatId, `The user ${chatId} is not registered.`);
    else daemon.failNext(chatId, 'NETWORK_FAILURE');
  },
  typings: (chatId) =>
    daemon.calls.filter((c) => c.method === 'sendTyping' && signalTarget(c.params) === chatId).length,
};

function signal(event: Record<string, unknown>): InboundMessage {
  const parsed = parseSignalReceive(event, daemon.account, 0);
  if (parsed.kind !== 'message') throw new Error('the fake receive event did not normalize');
  return parsed.message;
}

testChannel(discordHarness);
testChannel(signalHarness);
