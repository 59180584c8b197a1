import type { DiscordUser } from '../../../core/channels/discord/payloads';
import { createDiscordRest, type DiscordRest, discordErrorStatus } from '../../../core/channels/discord/rest';
import type { ChannelState } from '../../../core/channels/registry';
import type { Logger } from '../../../core/log/logger';
import type { Clock } from '../../../core/runtime/clock';
import { sleep } from '../../../core/runtime/sleep';
import { nodeMakeRequest } from './http-request';

/** GUILDS | GUILD_MESSAGES | DIRECT_MESSAGES | MESSAGE_CONTENT (https://discord.com/developers/docs/events/gateway#gateway-intents). */
export const DISCORD_INTENTS = (1 << 0) | (1 << 9) | (1 << 12) | (1 << 15);

/** Reconnect delays after the first retry (which @discordjs/ws makes itself, 0.5 s after a drop). */
const BACKOFF_MS = [1_000, 2_000, 5_000, 10_000, 30_000, 60_000];

/** Close codes no reconnect can fix (https://discord.com/developers/docs/topics/opcodes-and-status-codes#gateway-close-event-codes). */
const FATAL_CLOSE_CODES: Record<number, string> = {
  4004: 'discord rejected the token (4004): check DISCORD_BOT_TOKEN',
  4010: 'discord refused the shard (4010)',
  4011: 'discord requires sharding for this bot (4011)',
  4012: 'discord refused the API version (4012)',
  4013: 'discord refused the intents (4013)',
  4014: 'discord refused the Message Content intent (4014): enable it under Bot → Privileged Gateway Intents in the developer portal',
};

/**
 * What @discordjs/ws only says in debug messages, as the one log line of that state change;
 * `closes`: the library closes the socket next (that close needs no second line).
 */
const DEBUG_NOTICES: Array<{ pattern: RegExp; line: string; closes: boolean }> = [
  {
    pattern: /^Invalid session; will attempt to resume: false/,
    line: 'discord invalidated the session; identifying again',
    closes: true,
  },
  {
    pattern: /^Invalid session; will attempt to resume: true/,
    line: 'discord invalidated the session; resuming',
    closes: false,
  },
  {
    pattern: /Reason: Zombie connection/,
    line: 'no heartbeat acknowledgement from discord; reconnecting',
    closes: true,
  },
  {
    pattern: /Reason: Told to reconnect by Discord/,
    line: 'discord asked to reconnect; reconnecting',
    closes: true,
  },
];

export interface DiscordDispatch {
  t: string;
  d: unknown;
}

export interface ConnectionOptions {
  token: string;
  apiBase: string;
  gatewayUrl?: string;
  log: Logger;
  clock: Clock;
  setStatus(state: ChannelState, extra?: { login?: string; error?: string }): void;
  onReady(user: DiscordUser): void;
  onDispatch(event: DiscordDispatch): void;
}

export interface DiscordConnection {
  rest: DiscordRest;
  stop(): Promise<void>;
}

interface SessionInfo {
  resumeURL: string;
  sequence: number;
  sessionId: string;
  shardCount: number;
  shardId: number;
}

/**
 * The bot's gateway session on @discordjs/ws (heartbeats, RESUME after a drop, IDENTIFY after an
 * invalid session) and @discordjs/rest (rate limits). On top of the library: one log line and a
 * channel status per state change, growing delays between failed reconnects, and retries of the
 * first connect. Returns at once; the login happens in the background.
 */
export async function openDiscordConnection(options: ConnectionOptions): Promise<DiscordConnection> {
  const { log, clock } = options;
  const [{ WebSocketManager, WebSocketShardEvents }, rest] = await Promise.all([
    import('@discordjs/ws'),
    createDiscordRest({
      apiBase: options.apiBase,
      token: options.token,
      sweep: true,
      makeRequest: nodeMakeRequest,
    }),
  ]);
  const sessions = new Map<number, SessionInfo>();
  let stopped = false;
  let failures = 0;
  let reconnecting = false;
  let fatal = false;
  let announced = false;
  let socket: 'opening' | 'open' | 'closed' = 'closed';
  const socketSettled = new Set<() => void>();
  const settleSocket = (state: 'open' | 'closed') => {
    socket = state;
    for (const done of socketSettled) done();
    socketSettled.clear();
  };
  const stopping = new AbortController();
  const within = async (ms: number, work: Promise<unknown>) => {
    let cancel = () => {};
    const timeout = new Promise<void>((resolve) => {
      cancel = clock.setTimer(resolve, ms);
    });
    await Promise.race([work, timeout]);
    cancel();
  };
  const backoff = (failure: number) => {
    const base = BACKOFF_MS[Math.min(failure - 1, BACKOFF_MS.length - 1)] ?? 0;
    return base + Math.floor(Math.random() * base * 0.25);
  };

  const manager = new WebSocketManager({
    token: options.token,
    intents: DISCORD_INTENTS,
    // biome-ignore lint/suspicious/noExplicitAny: the REST instance from createDiscordRest is @discordjs/rest's REST
    rest: rest.raw as any,
    shardCount: 1,
    identifyProperties: { browser: 'krabkrab', device: 'krabkrab', os: process.platform },
    // Called first thing on every (re)connect: the place to wait out a growing delay.
    async retrieveSessionInfo(shardId) {
      if (reconnecting) {
        reconnecting = false;
        if (failures > 1) await sleep(clock, backoff(failures - 1), stopping.signal);
      }
      if (stopped) return new Promise<never>(() => {});
      // The library opens a socket right after this; open (HELLO) or closed ends that window.
      if (socket !== 'open') socket = 'opening';
      return sessions.get(shardId) ?? null;
    },
    updateSessionInfo(shardId, info) {
      if (info) sessions.set(shardId, info);
      else sessions.delete(shardId);
    },
  });
  if (options.gatewayUrl) {
    const fetchInfo = manager.fetchGatewayInformation.bind(manager);
    manager.fetchGatewayInformation = async (force) => ({
      ...(await fetchInfo(force)),
      url: options.gatewayUrl!,
    });
  }

  manager.on(WebSocketShardEvents.Ready, (data) => {
    failures = 0;
    const user = data.user as DiscordUser;
    log.info(`logged in to discord as ${user.username}`);
    options.setStatus('connected', { login: user.username });
    options.onReady(user);
  });
  manager.on(WebSocketShardEvents.Resumed, () => {
    failures = 0;
    log.info('resumed the session');
    options.setStatus('connected');
  });
  manager.on(WebSocketShardEvents.Hello, () => settleSocket('open'));
  manager.on(WebSocketShardEvents.Closed, (code) => {
    settleSocket('closed');
    if (stopped || fatal) return;
    const reason = FATAL_CLOSE_CODES[code];
    if (reason) {
      fatal = true;
      log.error(`login failed: ${reason}`);
      options.setStatus('failed', { error: reason });
      return;
    }
    failures++;
    reconnecting = true;
    // A close the library started itself was already announced with its reason.
    if (!announced)
      log.warn(
        `connection closed (code ${code}); reconnecting${failures > 1 ? ` (attempt ${failures})` : ''}`,
      );
    announced = false;
    options.setStatus('reconnecting', { error: `connection closed (code ${code})` });
  });
  manager.on(WebSocketShardEvents.Error, (error) => {
    if (!fatal) log.warn(`gateway error: ${error.message}`);
  });
  manager.on(WebSocketShardEvents.Debug, (message) => {
    const notice = DEBUG_NOTICES.find((entry) => entry.pattern.test(message));
    if (notice) {
      log.warn(notice.line);
      announced = notice.closes;
    }
    // One line: the library puts its decisions (e.g. "Recover: none" on a destroy) on later lines.
    log.debug(message.replace(/\n\t?/g, '; '));
  });
  manager.on(WebSocketShardEvents.Dispatch, (payload) => {
    try {
      options.onDispatch({ t: payload.t, d: payload.d });
    } catch (error) {
      log.error(`handling ${payload.t} failed`, error);
    }
  });

  const connectLoop = async () => {
    for (let attempt = 1; !stopped; attempt++) {
      try {
        await manager.connect();
        return;
      } catch (error) {
        if (stopped) return;
        const status = discordErrorStatus(error);
        if (status === 401 || status === 403) {
          const reason = `discord rejected the token (${status} on GET /gateway/bot): check DISCORD_BOT_TOKEN`;
          log.error(`login failed: ${reason}`);
          options.setStatus('failed', { error: reason });
          return;
        }
        const delay = backoff(attempt);
        log.warn(
          `cannot reach discord (${(error as Error).message}); retrying in ${Math.round(delay / 1000)} s`,
        );
        options.setStatus('reconnecting', { error: (error as Error).message });
        await sleep(clock, delay, stopping.signal);
      }
    }
  };

  log.info('connecting to the discord gateway');
  options.setStatus('starting');
  const connecting = connectLoop();

  return {
    rest,
    async stop() {
      stopped = true;
      stopping.abort();
      // Destroying a shard mid-handshake leaves @discordjs/ws's socket without an error
      // listener (a late failure would crash the process): let the attempt settle first.
      if (socket === 'opening')
        await within(2000, new Promise<void>((resolve) => socketSettled.add(resolve)));
      await within(
        2000,
        Promise.resolve(manager.destroy({ code: 1000, reason: 'gateway stopping' })).catch(() => {}),
      );
      void connecting;
    },
  };
}
