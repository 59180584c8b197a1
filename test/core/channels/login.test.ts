import { describe, expect, it } from 'vitest';
import { attachChannelLinkers, type LinkResult, startChannelLogin } from '../../../src/core/channels/login';
import { METHODS } from '../../../src/core/protocol/methods/index';
import type { ChannelsCatalog } from '../../../src/core/protocol/payloads/setup';
import { createTestContext } from '../../helpers/context';

function deferred() {
  let resolve!: (value: LinkResult) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<LinkResult>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('channels.login (core): QR linking relayed as channel.login events', () => {
  it('relays each QR code, applies the channel values and enabled once linked, starts nothing twice', async () => {
    const ctx = createTestContext({
      config: { gateway: { mode: 'local' }, channels: { whatsapp: { dmPolicy: 'open' } } },
    });
    const heard: unknown[] = [];
    ctx.events.subscribe((event, payload) => event === 'channel.login' && heard.push(payload));
    const link = deferred();
    let calls = 0;
    let onQr: (qr: string) => void = () => {};
    attachChannelLinkers(ctx, {
      whatsapp: (io) => {
        calls++;
        onQr = io.onQr;
        return link.promise;
      },
    });
    expect(startChannelLogin(ctx, 'whatsapp')).toEqual({ channel: 'whatsapp', state: 'waiting' });
    onQr('qr-1');
    onQr('qr-2');
    // A double click: the answer is where the running linking stands, no second one.
    expect(startChannelLogin(ctx, 'whatsapp')).toEqual({ channel: 'whatsapp', state: 'waiting', qr: 'qr-2' });
    expect(calls).toBe(1);
    link.resolve({ account: '+15550100777', config: { mode: 'web' } });
    await flush();
    await flush();
    expect(heard).toEqual([
      { channel: 'whatsapp', state: 'waiting' },
      { channel: 'whatsapp', state: 'waiting', qr: 'qr-1' },
      { channel: 'whatsapp', state: 'waiting', qr: 'qr-2' },
      { channel: 'whatsapp', state: 'linked', account: '+15550100777' },
    ]);
    expect(ctx.persisted.at(-1)).toMatchObject({
      channels: { whatsapp: { dmPolicy: 'open', mode: 'web', enabled: true } },
    });
  });

  it('a failed linking says why and changes nothing; a new start runs again', async () => {
    const ctx = createTestContext();
    const heard: unknown[] = [];
    ctx.events.subscribe((event, payload) => event === 'channel.login' && heard.push(payload));
    let calls = 0;
    attachChannelLinkers(ctx, {
      signal: async () => {
        calls++;
        throw new Error('signal-cli link failed (exit code 3)');
      },
    });
    startChannelLogin(ctx, 'signal');
    await flush();
    expect(heard.at(-1)).toEqual({
      channel: 'signal',
      state: 'failed',
      error: 'signal-cli link failed (exit code 3)',
    });
    expect(ctx.persisted).toEqual([]);
    startChannelLogin(ctx, 'signal');
    await flush();
    expect(calls).toBe(2);
  });

  it('an unknown channel is NOT_FOUND; a runtime without linkers (Workers) says it is unavailable', () => {
    const ctx = createTestContext();
    expect(() => startChannelLogin(ctx, 'constructor')).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND' }),
    );
    expect(() => startChannelLogin(ctx, 'whatsapp')).toThrow(
      expect.objectContaining({
        code: 'UNAVAILABLE',
        message: expect.stringMatching(/needs the Node gateway/),
      }),
    );
    attachChannelLinkers(ctx, {});
    expect(() => startChannelLogin(ctx, 'telegram')).toThrow(
      expect.objectContaining({ code: 'UNAVAILABLE' }),
    );
  });

  it('channels.catalog names each linkable channel and its steps from its ChannelDef (the Control UI keeps no list)', async () => {
    const catalog = async (ctx: ReturnType<typeof createTestContext>) =>
      (await METHODS['channels.catalog']!.handle(undefined, {
        ctx,
        connectionId: 'c',
        emit: () => {},
        signal: new AbortController().signal,
      })) as ChannelsCatalog;
    const workers = createTestContext();
    expect((await catalog(workers)).linkable).toEqual([]);
    const node = createTestContext();
    const never = () => new Promise<LinkResult>(() => {});
    attachChannelLinkers(node, { whatsapp: never, signal: never });
    const answer = await catalog(node);
    expect(answer.linkable).toEqual([
      { id: 'whatsapp', label: 'WhatsApp Web', steps: expect.stringMatching(/^On your phone: WhatsApp → /) },
      { id: 'signal', label: 'Signal', steps: expect.stringMatching(/^On your phone: Signal → /) },
    ]);
    expect(answer.channels.map((entry) => entry.id)).toEqual(
      expect.arrayContaining(['telegram', 'discord', 'whatsapp', 'signal', 'slack']),
    );
  });
});
