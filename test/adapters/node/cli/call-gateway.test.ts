import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { callGateway } from '../../../../src/adapters/node/cli/cron-remote';

/** A gateway that takes the connection and then never says a word. */
let silent: WebSocketServer;
let url: string;

beforeAll(async () => {
  silent = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => silent.once('listening', resolve));
  url = `ws://127.0.0.1:${(silent.address() as { port: number }).port}`;
});
afterAll(() => new Promise((resolve) => silent.close(resolve)));

describe('callGateway', () => {
  it('gives up after the timeout the caller asked for, and says so', async () => {
    const started = Date.now();
    const error = await callGateway({ url, token: 't' }, 'cron.run', { id: 'x' }, 300).catch((e: Error) => e);
    expect((error as Error).message).toBe('the gateway did not answer cron.run within 0.3 s');
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
