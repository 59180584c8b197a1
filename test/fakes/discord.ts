import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createWakeup } from '../helpers/wakeup';
import { FakeGateway, type FakeGuild } from './discord-gateway';
import {
  type FakeChannel,
  type FakeUser,
  handleRest,
  type RecordedCall,
  type RestState,
} from './discord-rest';

export { OP } from './discord-gateway';
export type { FakeChannel, FakeGuild, FakeUser, RecordedCall };

export interface FakeDiscordOptions {
  token?: string;
  bot?: FakeUser;
  applicationId?: string;
  publicKey?: string;
  applicationFlags?: number;
  guilds?: FakeGuild[];
  /** Channels reachable by `GET /channels/{id}` only (not in any GUILD_CREATE): threads, DMs. */
  extraChannels?: FakeChannel[];
  heartbeatIntervalMs?: number;
}

export interface FakeDiscord {
  origin: string;
  /** For `apiBase` / `DISCORD_API_BASE`. */
  apiBase: string;
  gatewayUrl: string;
  token: string;
  bot: FakeUser;
  applicationId: string;
  gateway: FakeGateway;
  rest: RestState;
  /** REST calls matching method and path (a RegExp or an exact path). */
  calls(method: string, path: string | RegExp): RecordedCall[];
  /** Waits (bounded) until `check` returns a value that is not undefined/false. */
  waitFor<T>(check: () => T | undefined | false, timeoutMs?: number, what?: string): Promise<T>;
  /** Dispatches a MESSAGE_CREATE written by a person. */
  userMessage(message: UserMessage): string;
  /** Serves `bytes` as an attachment (as Discord's CDN would); returns the attachment object for `userMessage`. */
  addAttachment(
    filename: string,
    bytes: Uint8Array,
    contentType: string,
    extra?: Record<string, unknown>,
  ): FakeAttachment;
  /** Attachment downloads, by path. */
  attachmentHits: string[];
  close(): Promise<void>;
}

export interface UserMessage {
  channelId: string;
  guildId?: string;
  content: string;
  author?: FakeUser;
  mentionsBot?: boolean;
  replyTo?: { id: string; author: FakeUser; content?: string };
  id?: string;
  attachments?: FakeAttachment[];
  /** Message flags (8192: a voice message). */
  flags?: number;
}

export interface FakeAttachment {
  id: string;
  filename: string;
  content_type: string;
  size: number;
  url: string;
  [extra: string]: unknown;
}

let ids = 5_000_000;
export const snowflake = () => String(++ids);

export const DEFAULT_BOT: FakeUser = {
  id: '900000000000000001',
  username: 'krabbot',
  bot: true,
  global_name: null,
};
export const ALICE: FakeUser = { id: '100000000000000001', username: 'alice', global_name: 'Alice' };

/** Fake Discord REST (`/api/v10/...`) and gateway (`/gateway`) on one 127.0.0.1 port. */
export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const wakeup = createWakeup();
  const wake = wakeup.wake;
  let origin = '';
  const token = options.token ?? 'OTAwMDAwMDAwMDAwMDAwMDAx.GfAkE1.fake-bot-token-signature-0123456789abcd';
  const bot = options.bot ?? DEFAULT_BOT;
  const applicationId = options.applicationId ?? bot.id;
  const guilds = options.guilds ?? [];
  const channels = new Map<string, FakeChannel>();
  for (const guild of guilds)
    for (const channel of guild.channels) channels.set(channel.id, { ...channel, guild_id: guild.id });
  for (const channel of options.extraChannels ?? []) channels.set(channel.id, channel);

  const rest: RestState = {
    token,
    bot,
    applicationId,
    publicKey: options.publicKey ?? '00'.repeat(32),
    applicationFlags: options.applicationFlags ?? 1 << 19,
    gatewayUrl: () => `${origin.replace(/^http/, 'ws')}/gateway`,
    channels,
    calls: [],
    rateLimits: new Map(),
    failures: new Map(),
    messagesByNonce: new Map(),
    onCall: wake,
  };
  const gateway = new FakeGateway({
    token,
    bot,
    applicationId,
    guilds: guilds.map((g) => ({ ...g, channels: g.channels.map((c) => ({ ...c, guild_id: g.id })) })),
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 1000,
    url: rest.gatewayUrl,
    onEvent: wake,
  });

  const files = new Map<string, Uint8Array>();
  const attachmentHits: string[] = [];
  const server: Server = createServer((req, res) => {
    const file = req.url?.startsWith('/attachments/') ? files.get(req.url) : undefined;
    if (req.url?.startsWith('/attachments/')) {
      attachmentHits.push(req.url);
      if (!file) return void res.writeHead(404).end();
      return void res.writeHead(200, { 'content-length': String(file.length) }).end(Buffer.from(file));
    }
    handleRest(rest, req, res)
      .then((handled) => {
        if (!handled) res.writeHead(404).end();
      })
      .catch(() => res.writeHead(500).end());
  });
  server.on('upgrade', (req, socket, head) => {
    if (req.url?.startsWith('/gateway')) gateway.upgrade(req, socket, head);
    else socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const fake: FakeDiscord = {
    origin,
    apiBase: `${origin}/api`,
    gatewayUrl: rest.gatewayUrl(),
    token,
    bot,
    applicationId,
    gateway,
    rest,
    calls: (method, path) =>
      rest.calls.filter(
        (c) => c.method === method && (typeof path === 'string' ? c.path === path : path.test(c.path)),
      ),
    // Fake events wake it at once; the poll catches conditions outside the fake (log lines).
    waitFor: (check, timeoutMs = 5000, what = 'condition') =>
      wakeup.until(check, timeoutMs, () => `fake discord: timed out waiting for ${what}`, 20),
    userMessage(message) {
      const id = message.id ?? snowflake();
      const author = message.author ?? ALICE;
      const mentions = message.mentionsBot ? [bot] : [];
      const content = message.mentionsBot ? `<@${bot.id}> ${message.content}` : message.content;
      gateway.dispatch('MESSAGE_CREATE', {
        id,
        channel_id: message.channelId,
        ...(message.guildId ? { guild_id: message.guildId } : {}),
        author,
        content,
        type: message.replyTo ? 19 : 0,
        mentions,
        attachments: message.attachments ?? [],
        ...(message.flags ? { flags: message.flags } : {}),
        timestamp: new Date().toISOString(),
        ...(message.replyTo
          ? {
              message_reference: { message_id: message.replyTo.id, channel_id: message.channelId },
              referenced_message: {
                id: message.replyTo.id,
                channel_id: message.channelId,
                author: message.replyTo.author,
                content: message.replyTo.content ?? '',
                type: 0,
              },
            }
          : {}),
      });
      return id;
    },
    attachmentHits,
    addAttachment(filename, bytes, contentType, extra = {}) {
      const id = snowflake();
      const path = `/attachments/${id}/${filename}`;
      files.set(path, bytes);
      return {
        id,
        filename,
        content_type: contentType,
        size: bytes.length,
        url: `${origin}${path}`,
        ...extra,
      };
    },
    async close() {
      await gateway.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  return fake;
}
