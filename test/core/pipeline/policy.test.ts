import { describe, expect, it } from 'vitest';
import {
  CODE_LENGTH,
  createPairingStore,
  generatePairingCode,
  MAX_PENDING,
} from '../../../src/core/pairing/pairing-store';
import { METHODS } from '../../../src/core/protocol/methods/index';
import { createManualClock, createTestContext } from '../../helpers/context';
import { createScriptedRouter } from '../../helpers/scripted-router';
import { createTestChannel, type TestChannelOptions } from '../../helpers/test-channel';

const agents = { defaults: { model: 'test/model' }, list: [{ id: 'main', default: true }] };

function setup(channelOptions: TestChannelOptions, clock = createManualClock()) {
  const models = createScriptedRouter();
  const ctx = createTestContext({ config: { agents }, models, clock });
  const channel = createTestChannel(channelOptions);
  ctx.channels.register(channel);
  const call = (method: string, params: unknown) =>
    METHODS[method]!.handle(METHODS[method]!.params.parse(params), {
      ctx,
      connectionId: 'c',
      emit: () => {},
      signal: new AbortController().signal,
    });
  return { ctx, channel, models, clock, call };
}

describe('dmPolicy', () => {
  it('open answers anyone; disabled answers no one', async () => {
    const open = setup({ policy: { dmPolicy: 'open' } });
    await open.ctx.pipeline.accept(open.channel.message({ sender: { id: 'stranger' } }));
    await open.ctx.settle();
    expect(open.channel.sent).toHaveLength(1);
    const off = setup({ policy: { dmPolicy: 'disabled' } });
    await off.ctx.pipeline.accept(off.channel.message());
    await off.ctx.settle();
    expect(off.channel.sent).toHaveLength(0);
    expect(off.ctx.pipeline.stats().dropped).toBe(1);
  });

  it('allowlist answers ids and usernames in allowFrom, silently drops the rest', async () => {
    const { ctx, channel, models } = setup({
      policy: { dmPolicy: 'allowlist', allowFrom: ['111', '@Alice'] },
    });
    await ctx.pipeline.accept(channel.message({ sender: { id: '111' }, chat: { id: '111' } }));
    await ctx.pipeline.accept(
      channel.message({ sender: { id: '222', username: 'alice' }, chat: { id: '222' } }),
    );
    await ctx.pipeline.accept(channel.message({ sender: { id: '333' }, chat: { id: '333' } }));
    await ctx.settle();
    expect(channel.sent.map((s) => s.target.chatId).sort()).toEqual(['111', '222']);
    expect(models.requests).toHaveLength(2);
  });

  it('pairing: a stranger gets one code, the owner approves it, then they are answered', async () => {
    const { ctx, channel, models, call } = setup({ policy: { dmPolicy: 'pairing' } });
    await ctx.pipeline.accept(
      channel.message({ sender: { id: '555', name: 'Bob' }, chat: { id: '555' }, text: 'hi' }),
    );
    await ctx.pipeline.accept(
      channel.message({ sender: { id: '555', name: 'Bob' }, chat: { id: '555' }, text: 'hello?' }),
    );
    await ctx.settle();
    expect(channel.sent).toHaveLength(1);
    const code = /code is ([A-Z0-9]{6})/.exec(channel.sent[0]!.text)?.[1];
    expect(code).toBeDefined();
    expect(channel.sent[0]!.text).toContain(`krabkrab pairing approve test ${code}`);
    expect(models.requests).toHaveLength(0);

    const listed = (await call('pairing.list', {})) as {
      pending: Array<{ code: string; senderId: string; senderName: string }>;
    };
    expect(listed.pending).toEqual([expect.objectContaining({ code, senderId: '555', senderName: 'Bob' })]);
    await expect(call('pairing.approve', { channel: 'test', code: 'ZZZZZZ' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await call('pairing.approve', { channel: 'test', code: code!.toLowerCase() })).toMatchObject({
      approved: { senderId: '555' },
    });
    await ctx.settle();
    expect(channel.sent.at(-1)!.text).toMatch(/approved/);

    await ctx.pipeline.accept(channel.message({ sender: { id: '555' }, chat: { id: '555' }, text: 'now?' }));
    await ctx.settle();
    expect(channel.sent.at(-1)!.text).toBe('echo: now?');
    expect((await call('pairing.list', {})) as { pending: unknown[]; approved: unknown[] }).toMatchObject({
      pending: [],
      approved: [expect.objectContaining({ senderId: '555' })],
    });
  });

  it('pairing codes expire after an hour; a new message then gets a new code', async () => {
    const { ctx, channel, clock, call } = setup({ policy: { dmPolicy: 'pairing' } });
    await ctx.pipeline.accept(channel.message({ sender: { id: '9' }, chat: { id: '9' } }));
    await ctx.settle();
    const code = /code is (\w+)/.exec(channel.sent[0]!.text)![1]!;
    clock.advance(60 * 60 * 1000 + 1);
    await expect(call('pairing.approve', { channel: 'test', code })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await ctx.pipeline.accept(channel.message({ sender: { id: '9' }, chat: { id: '9' } }));
    await ctx.settle();
    expect(channel.sent).toHaveLength(2);
    expect(/code is (\w+)/.exec(channel.sent[1]!.text)![1]).not.toBe(code);
  });

  it('deny removes the request without admitting the sender', async () => {
    const { ctx, channel, call, models } = setup({ policy: { dmPolicy: 'pairing' } });
    await ctx.pipeline.accept(channel.message({ sender: { id: '8' }, chat: { id: '8' } }));
    await ctx.settle();
    const code = /code is (\w+)/.exec(channel.sent[0]!.text)![1]!;
    await call('pairing.deny', { channel: 'test', code });
    expect(((await call('pairing.list', {})) as { pending: unknown[] }).pending).toEqual([]);
    await ctx.pipeline.accept(channel.message({ sender: { id: '8' }, chat: { id: '8' } }));
    await ctx.settle();
    expect(models.requests).toHaveLength(0);
  });
});

describe('groups', () => {
  it('groupPolicy disabled, unlisted groups and missing mentions are dropped', async () => {
    const off = setup({ policy: { groupPolicy: 'disabled' } });
    await off.ctx.pipeline.accept(off.channel.message({ chat: { id: 'g', kind: 'group' }, mentioned: true }));
    await off.ctx.settle();
    expect(off.channel.sent).toHaveLength(0);

    const { ctx, channel } = setup({
      policy: { groupPolicy: 'allowlist' },
      groups: { g1: { requireMention: true }, g2: {} },
    });
    await ctx.pipeline.accept(
      channel.message({ chat: { id: 'g1', kind: 'group' }, mentioned: false, text: 'ignored' }),
    );
    await ctx.pipeline.accept(
      channel.message({ chat: { id: 'g1', kind: 'group' }, mentioned: true, text: 'hey bot' }),
    );
    await ctx.pipeline.accept(
      channel.message({ chat: { id: 'g2', kind: 'group' }, mentioned: false, text: 'no mention needed' }),
    );
    await ctx.pipeline.accept(
      channel.message({ chat: { id: 'g3', kind: 'group' }, mentioned: true, text: 'not listed' }),
    );
    await ctx.settle();
    expect(channel.sent.map((s) => s.target.chatId).sort()).toEqual(['g1', 'g2']);
    expect(ctx.pipeline.stats().dropped).toBe(2);
  });
});

describe('pairing store', () => {
  it('makes codes of 6 unambiguous characters', () => {
    for (let i = 0; i < 200; i++)
      expect(generatePairingCode()).toMatch(new RegExp(`^[A-HJKMNP-Z2-9]{${CODE_LENGTH}}$`));
  });

  it('keeps at most MAX_PENDING open requests per channel', async () => {
    const ctx = createTestContext();
    const pairing = createPairingStore(ctx.store, () => 0);
    for (let i = 0; i < MAX_PENDING + 5; i++)
      await pairing.request({ channel: 'test', senderId: `s${i}`, accountId: 'a' });
    const { pending } = await pairing.list();
    expect(pending).toHaveLength(MAX_PENDING);
    expect(pending[0]!.senderId).toBe('s5');
  });
});
