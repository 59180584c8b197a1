import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  LOGGED_OUT_REASON,
  NOT_LINKED,
  startWhatsAppWebRun,
} from '../../../../src/adapters/node/whatsapp/web-run';
import { webSessionDir } from '../../../../src/adapters/node/whatsapp/web-session';
import type { OpenWebSocket, WebSocketLike } from '../../../../src/adapters/node/whatsapp/web-socket';
import { createManualClock, createTestContext, type TestContext } from '../../../helpers/context';
import { removeDir, tempStateDir } from '../../../helpers/gateway-process';
import { createScriptedRouter } from '../../../helpers/scripted-router';
import { eventually } from '../telegram/harness';

/**
 * The WhatsApp Web runner with a stand-in for Baileys' socket (WhatsApp's servers are out of reach
 * here): connection updates and messages are emitted as Baileys emits them, so the runner's own
 * logic (status, reconnect, logout, pipeline, replies) runs for real.
 */
class FakeSocket implements WebSocketLike {
  user: { id: string; lid?: string } | undefined;
  listeners = new Map<string, Array<(payload: unknown) => void>>();
  sent: Array<{ jid: string; text: string }> = [];
  presence: string[] = [];
  read: unknown[] = [];
  ended = false;
  ev = {
    on: (event: string, listener: (payload: unknown) => void) => {
      this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    },
  };
  emit(event: string, payload: unknown) {
    for (const listener of this.listeners.get(event) ?? []) listener(payload);
  }
  open() {
    this.user = { id: '15550100999:7@s.whatsapp.net' };
    this.emit('connection.update', { connection: 'open' });
  }
  close(statusCode: number) {
    this.emit('connection.update', {
      connection: 'close',
      lastDisconnect: { error: { output: { statusCode } } },
    });
  }
  async sendMessage(jid: string, content: { text: string }) {
    this.sent.push({ jid, text: content.text });
  }
  async sendPresenceUpdate(type: string, jid?: string) {
    this.presence.push(`${type}:${jid}`);
  }
  async readMessages(keys: unknown[]) {
    this.read.push(...keys);
  }
  end() {
    if (this.ended) return;
    this.ended = true;
    this.close(428);
  }
}

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../../fixtures/whatsapp-web/${name}.json`, import.meta.url), 'utf8'));

let stateDir: string;
let ctx: TestContext;
let router: ReturnType<typeof createScriptedRouter>;
afterEach(() => removeDir(stateDir));

function setup(linked: boolean, clock?: ReturnType<typeof createManualClock>) {
  stateDir = tempStateDir('krab-waweb-');
  if (linked) {
    mkdirSync(webSessionDir(stateDir), { recursive: true });
    writeFileSync(
      join(webSessionDir(stateDir), 'creds.json'),
      JSON.stringify({ me: { id: '15550100999:7@s.whatsapp.net' }, registered: true }),
    );
  }
  router = createScriptedRouter();
  ctx = createTestContext({
    ...(clock ? { clock } : {}),
    config: {
      agents: { defaults: { model: { primary: 'anthropic/claude-test' } } },
      channels: { whatsapp: { enabled: true, mode: 'web', allowFrom: ['+15551234567'] } },
    },
    models: router,
  });
  const sockets: FakeSocket[] = [];
  const open: OpenWebSocket = async () => {
    const sock = new FakeSocket();
    sockets.push(sock);
    return { sock, downloadMedia: async () => Buffer.from([0xff, 0xd8, 0xff]) };
  };
  const run = startWhatsAppWebRun(ctx, stateDir, { open, backoffMs: { first: 20, max: 100 } });
  return { run, sockets };
}

const status = () => ctx.channels.statuses().whatsapp!;

describe('WhatsApp Web runner', () => {
  it('without a session: failed with what to do, never connects', async () => {
    const { run, sockets } = setup(false);
    await eventually(() =>
      expect(status()).toMatchObject({ state: 'failed', mode: 'web', error: NOT_LINKED }),
    );
    expect(sockets).toHaveLength(0);
    await run.stop();
  });

  it('connects, answers through the socket, marks read, reconnects after a drop, stops after a logout', async () => {
    const clock = createManualClock();
    const { run, sockets } = setup(true, clock);
    await eventually(() => expect(sockets).toHaveLength(1));
    sockets[0]!.open();
    expect(status()).toMatchObject({ state: 'connected', login: '+15550100999' });

    sockets[0]!.emit('messages.upsert', { type: 'notify', messages: [fixture('dm-text')] });
    await eventually(() =>
      expect(sockets[0]!.sent).toEqual([
        { jid: '15551234567@s.whatsapp.net', text: 'echo: hello from my phone' },
      ]),
    );
    expect(sockets[0]!.read).toEqual([fixture('dm-text').key]);
    expect(sockets[0]!.presence).toContain('composing:15551234567@s.whatsapp.net');
    // History sync ('append') is not answered.
    sockets[0]!.emit('messages.upsert', {
      type: 'append',
      messages: [{ ...fixture('dm-text'), key: { ...fixture('dm-text').key, id: 'OLD1' } }],
    });

    sockets[0]!.close(428);
    await eventually(() => expect(status().state).toBe('reconnecting'));
    // The reconnect waits out the backoff on the clock, set within one turn of the loop.
    await new Promise((resolve) => setImmediate(resolve));
    expect(clock.pendingTimers()).toBe(1);
    expect(sockets).toHaveLength(1);
    clock.advance(20);
    await eventually(() => expect(sockets).toHaveLength(2));
    sockets[1]!.open();
    expect(status().state).toBe('connected');
    sockets[1]!.emit('messages.upsert', { type: 'notify', messages: [fixture('image-ephemeral')] });
    await eventually(() => expect(sockets[1]!.sent).toHaveLength(1));
    expect(JSON.stringify(router.requests.at(-1)!.messages.at(-1))).toContain(
      Buffer.from([0xff, 0xd8, 0xff]).toString('base64'),
    );

    sockets[1]!.close(401);
    expect(status()).toMatchObject({ state: 'failed', error: LOGGED_OUT_REASON });
    // The run decides within the close's promise chain (one turn of the loop, no I/O); a reconnect
    // would first wait on the clock. No timer pending: nothing else happens.
    await new Promise((resolve) => setImmediate(resolve));
    expect(clock.pendingTimers()).toBe(0);
    clock.advance(60_000);
    expect(sockets).toHaveLength(2);
    expect(sockets[0]!.sent.concat(sockets[1]!.sent).map((m) => m.text)).not.toContain('echo: OLD1');
    await run.stop();
    expect(status().state).toBe('stopped');
  });
});
