import memoryDriver from 'unstorage/drivers/memory';
import type { AgentRuntimeDeps, ReadWorkspaceFile } from '../../src/core/agent/types';
import { parseConfigValue } from '../../src/core/config/parse';
import type { GatewayContext, Phase } from '../../src/core/context';
import type { EnvRecord } from '../../src/core/env';
import { createGatewayContext } from '../../src/core/gateway-context';
import { createLogHub, type LogRecord } from '../../src/core/log/logger';
import type { ModelRouter } from '../../src/core/providers/types';
import type { Clock } from '../../src/core/runtime/clock';
import { createPendingWork } from '../../src/core/runtime/wait-until';
import { createStore, type Store } from '../../src/core/storage/store';

export const TEST_TOKEN = 'test-token-0123456789abcdef';

/** A clock the test drives: `advance(ms)` fires due timers in order, no real waiting. */
export function createManualClock(
  start = Date.UTC(2026, 0, 1),
): Clock & { advance(ms: number): void; set(ms: number): void; pendingTimers(): number } {
  let now = start;
  let nextId = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const clock = {
    now: () => now,
    setTimer(fn: () => void, ms: number) {
      const id = ++nextId;
      timers.set(id, { at: now + Math.max(0, ms), fn });
      return () => timers.delete(id);
    },
    advance(ms: number) {
      clock.set(now + ms);
    },
    /** Timers set and neither fired nor cancelled: 0 proves nothing is left to happen. */
    pendingTimers: () => timers.size,
    set(target: number) {
      for (;;) {
        const due = [...timers.entries()]
          .filter(([, t]) => t.at <= target)
          .sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = Math.max(now, due[1].at);
        due[1].fn();
      }
      now = target;
    },
  };
  return clock;
}

export function createMemoryStore(): Store {
  return createStore({ drivers: { default: memoryDriver() } });
}

export interface TestContextOptions {
  config?: Record<string, unknown>;
  env?: EnvRecord;
  clock?: Clock;
  store?: Store;
  token?: string;
  phase?: Phase;
  /** The model router agent runs use (a scripted one in unit tests). */
  models?: ModelRouter;
  readWorkspaceFile?: ReadWorkspaceFile;
  /** More agent runtime deps (tool sources, a workspace file system). */
  agentDeps?: AgentRuntimeDeps;
  stateDir?: string;
}

export interface TestContext extends GatewayContext {
  /** Every log line, for assertions. */
  lines: LogRecord[];
  /** Waits for all `waitUntil` work. */
  settle(): Promise<void>;
  persisted: Array<Record<string, unknown>>;
}

/** A full gateway context over in-memory storage, for unit tests of core and handlers. */
export function createTestContext(options: TestContextOptions = {}): TestContext {
  const env = options.env ?? {};
  const parsed = parseConfigValue(options.config ?? { gateway: { mode: 'local' } }, env);
  if (!parsed.ok) throw new Error(`test config invalid: ${JSON.stringify(parsed.problems)}`);
  const clock = options.clock ?? {
    now: () => Date.now(),
    setTimer: (fn, ms) => {
      const h = setTimeout(fn, ms);
      return () => clearTimeout(h);
    },
  };
  const lines: LogRecord[] = [];
  const hub = createLogHub({ write: (record) => lines.push(record), now: clock.now, debug: true });
  const pending = createPendingWork((error) => hub.logger.error('background work failed', error));
  const persisted: Array<Record<string, unknown>> = [];
  const token = options.token ?? TEST_TOKEN;
  const ctx = createGatewayContext({
    loaded: parsed.value,
    env,
    store: options.store ?? createMemoryStore(),
    clock,
    logs: hub,
    token: () => token,
    waitUntil: pending.waitUntil,
    persist: async (raw) => void persisted.push(raw),
    runtime: {
      kind: 'node',
      version: '0.1.0',
      startedAt: clock.now(),
      pid: 1,
      bind: 'loopback',
      host: '127.0.0.1',
      port: 0,
      stateDir: options.stateDir ?? '/nonexistent',
      phase: () => options.phase ?? 'ready',
    },
    models: options.models,
    agentDeps: { readWorkspaceFile: options.readWorkspaceFile, ...options.agentDeps },
  });
  return Object.assign(ctx, {
    lines,
    persisted,
    async settle() {
      await pending.drain(10_000, clock.setTimer);
    },
  });
}
