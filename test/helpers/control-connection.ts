import { expect } from 'vitest';
import type { GatewayContext } from '../../src/core/context';
import { openControlConnection } from '../../src/core/protocol/connection';
import { TEST_TOKEN } from './context';
import type { Frame } from './ws-client';

/**
 * A control connection over a fake socket (the real protocol code, frames recorded), connected
 * with the owner's token. `call` sends a request and waits for its response frame.
 */
export async function connectOwner(ctx: GatewayContext) {
  const frames: Frame[] = [];
  const connection = openControlConnection(
    ctx,
    { send: (text) => frames.push(JSON.parse(text)), close: () => {} },
    { address: '127.0.0.1' },
  );
  let id = 0;
  const waitFor = async (predicate: (frame: Frame) => boolean, timeoutMs = 2000) => {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const frame = frames.find(predicate);
      if (frame) return frame;
      if (Date.now() > end) throw new Error(`no frame; got ${JSON.stringify(frames.slice(-3))}`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  };
  const call = async (method: string, params?: unknown) => {
    const rid = `r${++id}`;
    connection.onMessage(JSON.stringify({ type: 'req', id: rid, method, params }));
    return waitFor((f) => f.type === 'res' && f.id === rid);
  };
  expect((await call('connect', { protocol: 1, auth: { token: TEST_TOKEN } })).ok).toBe(true);
  return { frames, call, waitFor };
}
