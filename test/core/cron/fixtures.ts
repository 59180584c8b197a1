import type { AgentRuntime } from '../../../src/core/agent/types';
import type { ChannelAdapter, ReplyTarget } from '../../../src/core/channels/types';
import type { CronJobInput } from '../../../src/core/cron/config';
import { addJob, type CronJob } from '../../../src/core/cron/jobs';
import type { Store } from '../../../src/core/storage/store';
import {
  createManualClock,
  createMemoryStore,
  createTestContext,
  type TestContext,
} from '../../helpers/context';

export type ManualClock = ReturnType<typeof createManualClock>;

/** A channel that keeps what it was asked to send, with a small text limit to exercise splitting. */
export interface RecordingChannel extends ChannelAdapter {
  sent: Array<{ target: ReplyTarget; text: string }>;
  failNext?: Error;
}

export function recordingChannel(id = 'test', textLimit = 4096): RecordingChannel {
  const channel: RecordingChannel = {
    id,
    textLimit,
    sent: [],
    policy: () => ({ dmPolicy: 'open', allowFrom: [], groupPolicy: 'open' }) as never,
    admitGroup: () => ({ allowed: true, requireMention: false }),
    async send(target, text) {
      if (channel.failNext) {
        const error = channel.failNext;
        channel.failNext = undefined;
        throw error;
      }
      channel.sent.push({ target, text });
    },
  };
  return channel;
}

/** A stand-in for `ctx.agents` in scheduling tests: answers each turn with `reply(message)` (which may hang or throw). */
export interface ScriptedAgents extends Pick<AgentRuntime, 'runTurn' | 'resolveSession'> {
  turns: Array<{ agentId?: string; sessionKey?: string; message: string; origin?: ReplyTarget }>;
  reply: (message: string) => string | Promise<string>;
}

export function scriptedAgents(
  reply: (message: string) => string | Promise<string> = (m) => `done: ${m}`,
): ScriptedAgents {
  const agents: ScriptedAgents = {
    turns: [],
    reply,
    async runTurn(options) {
      const message = typeof options.message === 'string' ? options.message : '';
      agents.turns.push({
        agentId: options.agentId,
        sessionKey: options.sessionKey,
        message,
        origin: options.origin,
      });
      const text = await agents.reply(message);
      return {
        text,
        sessionKey: options.sessionKey ?? '',
        agentId: options.agentId ?? 'main',
        runId: 'r',
        usage: { inputTokens: 0, outputTokens: 0 },
      };
    },
    resolveSession: (options) => ({
      agentId: options.agentId ?? 'main',
      sessionKey: options.sessionKey ?? 'agent:main:control:owner:main',
    }),
  };
  return agents;
}

export interface CronTestSetup {
  ctx: TestContext;
  clock: ManualClock;
  channel: RecordingChannel;
  agents: ScriptedAgents;
  store: Store;
}

/** A test context at `start` with the given `cron` section, a recording channel `test` and scripted agents. */
export function cronSetup(options: {
  start: string | number;
  cron?: Record<string, unknown>;
  store?: Store;
  clock?: ManualClock;
}): CronTestSetup {
  const clock =
    options.clock ??
    createManualClock(typeof options.start === 'number' ? options.start : Date.parse(options.start));
  const store = options.store ?? createMemoryStore();
  const config: Record<string, unknown> = { gateway: { mode: 'local' } };
  if (options.cron) config.cron = options.cron;
  const ctx = createTestContext({ clock, store, config });
  const channel = recordingChannel();
  ctx.channels.register(channel);
  const agents = scriptedAgents();
  Object.assign(ctx, { agents });
  return { ctx, clock, channel, agents, store };
}

export const iso = (ms: number) => new Date(ms).toISOString();

/** A manual clock that also shows its pending timers, so tests can check the scheduler keeps exactly one. */
export function timedClock(start: string) {
  const inner = createManualClock(Date.parse(start));
  const pending = new Map<number, number>();
  let nextId = 0;
  const clock = {
    ...inner,
    setTimer(fn: () => void, ms: number) {
      const id = ++nextId;
      pending.set(id, inner.now() + Math.max(0, ms));
      const cancel = inner.setTimer(() => {
        pending.delete(id);
        fn();
      }, ms);
      return () => {
        pending.delete(id);
        cancel();
      };
    },
    /** Due times of the timers still set. */
    pending: () => [...pending.values()].sort((a, b) => a - b),
    set: inner.set,
    advance: inner.advance,
    now: inner.now,
  };
  return clock;
}

/** Moves the clock to `target`, letting every timer due on the way fire and its async work finish. */
export async function runUntil(
  clock: ReturnType<typeof timedClock>,
  target: number,
  idle: () => Promise<void>,
): Promise<void> {
  for (let step = 0; step < 1000; step++) {
    await idle();
    const due = clock.pending().find((at) => at <= target);
    if (due === undefined) break;
    clock.set(due);
  }
  clock.set(target);
  await idle();
}

/** Adds a runtime job (created by `test`) whose message is sent as text to chat `c` of the `test` channel. */
export function addTextJob(
  ctx: TestContext,
  job: Pick<CronJobInput, 'id' | 'schedule' | 'message' | 'tz'>,
): Promise<CronJob> {
  return addJob(ctx, { ...job, mode: 'text', deliver: { channel: 'test', to: 'c' } }, 'test');
}
