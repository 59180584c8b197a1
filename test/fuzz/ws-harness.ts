import { type ControlConnection, openControlConnection } from '../../src/core/protocol/connection';
import type { TestContext } from '../helpers/context';

export interface SentFrame {
  type: string;
  id?: unknown;
  ok?: boolean;
  payload?: unknown;
  error?: { code: string; message: string };
  event?: string;
}

/** A control connection over a fake socket that keeps every frame sent and every close. */
export interface WsHarness {
  connection: ControlConnection;
  raw: string[];
  sent: SentFrame[];
  closes: Array<{ code: number; reason: string }>;
  responses(): SentFrame[];
  /** Waits (bounded) until `check` holds; returns whether it did. */
  until(check: () => boolean, timeoutMs?: number): Promise<boolean>;
}

export function openHarness(ctx: TestContext, address: string): WsHarness {
  const raw: string[] = [];
  const sent: SentFrame[] = [];
  const closes: Array<{ code: number; reason: string }> = [];
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const waiter of [...waiters]) waiter();
  };
  const connection = openControlConnection(
    ctx,
    {
      send(text) {
        raw.push(text);
        sent.push(JSON.parse(text));
        wake();
      },
      close(code, reason) {
        closes.push({ code, reason });
        wake();
      },
    },
    { address },
  );
  return {
    connection,
    raw,
    sent,
    closes,
    responses: () => sent.filter((frame) => frame.type === 'res'),
    until(check, timeoutMs = 3000) {
      if (check()) return Promise.resolve(true);
      return new Promise((resolve) => {
        const done = (value: boolean) => {
          waiters.delete(waiter);
          clearTimeout(timer);
          resolve(value);
        };
        const waiter = () => check() && done(true);
        const timer = setTimeout(() => done(check()), timeoutMs);
        waiters.add(waiter);
      });
    },
  };
}

/** Lets pending promise chains (a handshake's hashing, a method's store reads) run. */
export const tick = () => new Promise((resolve) => setImmediate(resolve));
