import { afterEach, describe, expect, it } from 'vitest';
import {
  DISCORD_INTENTS,
  type DiscordDispatch,
  openDiscordConnection,
} from '../../../../src/adapters/node/discord/connection';
import type { ChannelState } from '../../../../src/core/channels/registry';
import { createLogHub, type LogRecord } from '../../../../src/core/log/logger';
import { type Clock, systemClock } from '../../../../src/core/runtime/clock';
import { ALICE, type FakeDiscord, OP, startFakeDiscord } from '../../../fakes/discord';
import { createManualClock } from '../../../helpers/context';

const GUILD = {
  id: '300000000000000001',
  name: 'Krab Lab',
  channels: [{ id: '400000000000000001', name: 'general', type: 0 }],
};

interface Harness {
  fake: FakeDiscord;
  lines: LogRecord[];
  states: ChannelState[];
  dispatches: DiscordDispatch[];
  stop(): Promise<void>;
}

let open: Harness[] = [];
afterEach(async () => {
  for (const harness of open) await harness.stop();
  open = [];
});

async function connect(
  options: {
    token?: string;
    heartbeatIntervalMs?: number;
    gatewayUrl?: (fake: FakeDiscord) => string;
    clock?: Clock;
  } = {},
): Promise<Harness> {
  const fake = await startFakeDiscord({
    guilds: [GUILD],
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 45_000,
  });
  const lines: LogRecord[] = [];
  const hub = createLogHub({ write: (record) => lines.push(record), now: Date.now, debug: true });
  const states: ChannelState[] = [];
  const dispatches: DiscordDispatch[] = [];
  const connection = await openDiscordConnection({
    token: options.token ?? fake.token,
    apiBase: fake.apiBase,
    ...(options.gatewayUrl ? { gatewayUrl: options.gatewayUrl(fake) } : {}),
    log: hub.logger.scope('discord'),
    clock: options.clock ?? systemClock,
    setStatus: (state) => states.push(state),
    onReady: () => {},
    onDispatch: (event) => dispatches.push(event),
  });
  const harness: Harness = {
    fake,
    lines,
    states,
    dispatches,
    async stop() {
      await connection.stop();
      await fake.close();
    },
  };
  open.push(harness);
  return harness;
}

const logged = (h: Harness, pattern: RegExp) =>
  h.fake.waitFor(() => h.lines.find((l) => pattern.test(l.line)), 8000, `log ${pattern}`);

describe('discord gateway connection (@discordjs/ws against the fake gateway)', () => {
  it('identifies with the intents for guild messages, DMs and message content, and logs the login', async () => {
    const h = await connect();
    const line = await logged(h, /logged in/);
    expect(line.line).toBe('[discord] logged in to discord as krabbot');
    const [identify] = h.fake.gateway.ops(OP.IDENTIFY);
    expect(identify?.d.token).toBe(h.fake.token);
    expect(identify?.d.intents).toBe(DISCORD_INTENTS);
    expect(DISCORD_INTENTS & (1 << 15)).toBeTruthy();
    expect(h.states).toEqual(['starting', 'connected']);
    await h.fake.waitFor(() => h.dispatches.find((d) => d.t === 'GUILD_CREATE'), 3000, 'GUILD_CREATE');
  });

  it('gatewayUrl overrides the URL that GET /gateway/bot returns', async () => {
    const h = await connect({
      gatewayUrl: (fake) => {
        const real = fake.gatewayUrl;
        fake.rest.gatewayUrl = () => 'ws://127.0.0.1:9/nowhere';
        return real;
      },
    });
    await logged(h, /logged in to discord as krabbot/);
    expect(h.fake.calls('GET', '/gateway/bot').length).toBe(1);
  });

  it('keeps heartbeating', async () => {
    const h = await connect({ heartbeatIntervalMs: 150 });
    await h.fake.waitFor(() => h.fake.gateway.ops(OP.HEARTBEAT).length >= 3, 3000, 'three heartbeats');
  });

  it('resumes after a dropped connection and gets the events it missed', async () => {
    const h = await connect();
    await logged(h, /logged in/);
    const sessionId = h.fake.gateway.sessionId;
    h.fake.gateway.drop();
    h.fake.userMessage({
      channelId: GUILD.channels[0]!.id,
      guildId: GUILD.id,
      content: 'sent while you were away',
      author: ALICE,
    });
    await logged(h, /resumed the session/);
    const [resume] = h.fake.gateway.ops(OP.RESUME);
    expect(resume?.d.session_id).toBe(sessionId);
    expect(resume?.d.seq).toBeGreaterThan(0);
    expect(h.fake.gateway.ops(OP.IDENTIFY).length).toBe(1);
    const missed = await h.fake.waitFor(
      () => h.dispatches.find((d) => d.t === 'MESSAGE_CREATE'),
      3000,
      'replayed message',
    );
    expect((missed.d as { content: string }).content).toBe('sent while you were away');
    expect(h.lines.some((l) => /connection closed \(code 1006\); reconnecting/.test(l.line))).toBe(true);
    expect(h.states).toEqual(['starting', 'connected', 'reconnecting', 'connected']);
  });

  it('identifies again after an invalid session', { timeout: 15_000 }, async () => {
    const h = await connect();
    await logged(h, /logged in/);
    h.fake.gateway.invalidateSession();
    await logged(h, /invalidated the session; identifying again/);
    // Discord allows one IDENTIFY per 5 s; @discordjs/ws waits that out before the second.
    await h.fake.waitFor(() => h.fake.gateway.ops(OP.IDENTIFY).length === 2, 10_000, 'second IDENTIFY');
    await h.fake.waitFor(
      () => h.lines.filter((l) => /logged in to discord as/.test(l.line)).length === 2,
      3000,
      'second READY',
    );
    expect(h.fake.gateway.ops(OP.RESUME).length).toBe(0);
    // One line for the state change: the close that follows is not announced again.
    expect(h.lines.some((l) => /connection closed/.test(l.line))).toBe(false);
  });

  it('backs off between failed reconnects', { timeout: 15_000 }, async () => {
    const h = await connect();
    await logged(h, /logged in/);
    h.fake.gateway.refuseConnections = true;
    const before = h.fake.gateway.attempts.length;
    h.fake.gateway.drop();
    await h.fake.waitFor(
      () => h.fake.gateway.attempts.length >= before + 3,
      10_000,
      'three reconnect attempts',
    );
    const [a, b, c] = h.fake.gateway.attempts.slice(before);
    expect(b! - a!).toBeGreaterThanOrEqual(900);
    expect(c! - b!).toBeGreaterThanOrEqual(1900);
    expect(h.states.at(-1)).toBe('reconnecting');
  });

  it('a token discord rejects fails once, clearly, without retrying', async () => {
    const clock = createManualClock();
    const h = await connect({ token: 'wrong-token', clock });
    const line = await logged(h, /login failed/);
    expect(line.line).toContain('discord rejected the token (401');
    expect(line.line).not.toContain('wrong-token');
    expect(h.states).toEqual(['starting', 'failed']);
    // Every retry waits on the clock first: with no timer set, none is coming.
    expect(clock.pendingTimers()).toBe(0);
    expect(h.fake.calls('GET', '/gateway/bot').length).toBe(1);
  });

  it('authentication failure on the socket (4004) stops reconnecting', async () => {
    const h = await connect();
    await logged(h, /logged in/);
    const attempts = h.fake.gateway.attempts.length;
    h.fake.gateway.close(4004);
    await logged(h, /login failed: discord rejected the token \(4004\)/);
    // @discordjs/ws decides in its close handler and says so: a destroy without "Recover" ends
    // the shard (idle), where a reconnect would be a destroy with "Recover: Reconnect".
    await logged(h, /Destroying shard; Reason: none; Code: 4004; Recover: none/);
    expect(h.lines.filter((l) => /Destroying shard/.test(l.line))).toHaveLength(1);
    expect(h.fake.gateway.attempts.length).toBe(attempts);
    expect(h.states.at(-1)).toBe('failed');
  });
});
