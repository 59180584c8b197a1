import { describe, expect, it } from 'vitest';
import type { SpoolEntry } from '../../../src/core/pipeline/spool';
import { createManualClock, createMemoryStore, createTestContext } from '../../helpers/context';
import { createGate, createScriptedRouter, unavailable } from '../../helpers/scripted-router';
import { createTestChannel, type TestChannelOptions } from '../../helpers/test-channel';

const agents = {
  defaults: { model: 'test/model' },
  list: [{ id: 'main', default: true }, { id: 'work' }, { id: 'vip' }],
};

function setup(
  options: {
    channel?: TestChannelOptions;
    config?: Record<string, unknown>;
    router?: ReturnType<typeof createScriptedRouter>;
    clock?: ReturnType<typeof createManualClock>;
  } = {},
) {
  const models = options.router ?? createScriptedRouter();
  const ctx = createTestContext({
    config: { agents, ...options.config },
    models,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const channel = createTestChannel(options.channel);
  ctx.channels.register(channel);
  return { ctx, channel, models };
}

describe('spool and dedupe', () => {
  it('writes the spool entry before accept resolves, then removes it when answered', async () => {
    const model = createGate();
    const { ctx, channel } = setup({
      router: createScriptedRouter({ replies: [{ text: 'slow', after: model.promise }] }),
    });
    const { spoolKey } = await ctx.pipeline.accept(channel.message({ messageId: '42', text: 'hi' }));
    expect(spoolKey).toBe('spool:test:u1:42');
    expect(await ctx.store.get<SpoolEntry>(spoolKey)).toMatchObject({
      state: 'pending',
      message: { text: 'hi' },
    });
    model.open();
    await ctx.settle();
    expect(await ctx.store.has(spoolKey)).toBe(false);
    expect(channel.sent.map((s) => s.text)).toEqual(['slow']);
    expect(channel.sent[0]!.target).toEqual({
      channel: 'test',
      accountId: 'bot1',
      chatId: 'u1',
      replyToMessageId: '42',
    });
    expect(ctx.lines.map((l) => l.line)).toContainEqual(
      expect.stringMatching(
        /^\[pipeline\] answered test dm u1 \(agent main, 1 message\(s\), \d+ ms after receipt\)$/,
      ),
    );
  });

  it('answers a redelivered message once, during and after processing', async () => {
    const { ctx, channel, models } = setup();
    const message = channel.message({ messageId: '7' });
    const [first, second] = await Promise.all([
      ctx.pipeline.accept(message),
      ctx.pipeline.accept({ ...message }),
    ]);
    expect([first.duplicate, second.duplicate].sort()).toEqual([false, true]);
    await ctx.settle();
    expect((await ctx.pipeline.accept({ ...message })).duplicate).toBe(true);
    await ctx.settle();
    expect(channel.sent).toHaveLength(1);
    expect(models.requests).toHaveLength(1);
    expect(ctx.pipeline.stats()).toMatchObject({ accepted: 1, duplicates: 2, replied: 1 });
    // The same message id in another chat is another message.
    expect(
      (
        await ctx.pipeline.accept(
          channel.message({ messageId: '7', chat: { id: 'u2' }, sender: { id: 'u2' } }),
        )
      ).duplicate,
    ).toBe(false);
  });

  it('keeps dedupe records at least 24 hours and prunes older days', async () => {
    const clock = createManualClock(Date.UTC(2026, 0, 1, 23, 0));
    const { ctx, channel } = setup({ clock });
    const message = channel.message({ messageId: 'd1' });
    await ctx.pipeline.accept(message);
    await ctx.settle();
    clock.advance(23 * 3600_000);
    expect((await ctx.pipeline.accept({ ...message })).duplicate).toBe(true);
    clock.advance(3 * 24 * 3600_000);
    await ctx.pipeline.accept(channel.message({ messageId: 'other' }));
    await ctx.settle();
    expect(await ctx.store.keys('dedupe:d20454:')).toEqual([]);
    expect((await ctx.store.keys('dedupe:')).length).toBe(1);
  });

  it('refuses a message without the fields dedupe needs', async () => {
    const { ctx, channel } = setup();
    await expect(ctx.pipeline.accept({ ...channel.message(), messageId: '' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });
});

describe('replies', () => {
  it('splits a long answer to the channel text limit', async () => {
    const long = Array.from({ length: 12 }, (_, i) => `Paragraph ${i} ${'lorem '.repeat(12)}`).join('\n\n');
    const { ctx, channel } = setup({
      channel: { textLimit: 200 },
      router: createScriptedRouter({ replies: [{ text: long }] }),
    });
    await ctx.pipeline.accept(channel.message());
    await ctx.settle();
    expect(channel.sent.length).toBeGreaterThan(3);
    expect(channel.sent.every((s) => s.text.length <= 200)).toBe(true);
    expect(channel.sent[0]!.text.startsWith('Paragraph 0')).toBe(true);
  });

  it('replies with a short clear error when the provider fails, and logs it', async () => {
    const { ctx, channel } = setup({
      router: createScriptedRouter({
        replies: [unavailable('no API key for anthropic: set ANTHROPIC_API_KEY')],
      }),
    });
    await ctx.pipeline.accept(channel.message());
    await ctx.settle();
    expect(channel.sent.map((s) => s.text)).toEqual([
      'Sorry, I could not answer: no API key for anthropic: set ANTHROPIC_API_KEY',
    ]);
    expect(ctx.lines.some((l) => l.line.startsWith('[agent] turn failed in agent:main:test:bot1:u1'))).toBe(
      true,
    );
    expect(ctx.pipeline.stats().failed).toBe(1);
  });

  it('retries a failed send, then gives up with a log line', async () => {
    const clock = createManualClock();
    const { ctx, channel } = setup({ clock });
    channel.failNextSends(1);
    await ctx.pipeline.accept(channel.message({ text: 'one' }));
    await ctx.settle();
    expect(channel.sent).toHaveLength(0);
    clock.advance(1000);
    await ctx.settle();
    expect(channel.sent.map((s) => s.text)).toEqual(['echo: one']);

    channel.failNextSends(100);
    await ctx.pipeline.accept(channel.message({ text: 'two' }));
    for (let i = 0; i < 6; i++) {
      await ctx.settle();
      clock.advance(200_000);
    }
    await ctx.settle();
    expect(ctx.lines.some((l) => /giving up on the reply/.test(l.line))).toBe(true);
    expect(await ctx.store.keys('spool:')).toEqual([]);
  });

  it('passes images and describes other attachments; groups see who spoke', async () => {
    const { ctx, channel, models } = setup();
    await ctx.pipeline.accept(
      channel.message({
        chat: { id: 'g1', kind: 'group' },
        sender: { id: 'u9', name: 'Ann' },
        text: 'look',
        mentioned: true,
        attachments: [
          { kind: 'image', mimeType: 'image/png', dataBase64: 'iVBORw0KGgo=' },
          { kind: 'file', name: 'a.pdf', mimeType: 'application/pdf', size: 1200 },
        ],
      }),
    );
    await ctx.settle();
    const content = models.requests[0]!.messages[0]!.content;
    expect(content).toEqual([
      { type: 'text', text: '[Ann]: look\n[file attached: a.pdf, application/pdf, 1200 bytes]' },
      { type: 'image', mimeType: 'image/png', dataBase64: 'iVBORw0KGgo=' },
    ]);
    expect((await ctx.agents.sessions.list())[0]!.sessionKey).toBe('agent:main:test:g1:chat');
  });

  it('cuts a huge inbound message instead of failing', async () => {
    const { ctx, channel, models } = setup();
    await ctx.pipeline.accept(channel.message({ text: 'y'.repeat(100_000) }));
    await ctx.settle();
    const text = models.requests[0]!.messages[0]!.content as string;
    expect(text.length).toBeLessThan(33_000);
    expect(text).toMatch(/\[message cut: 100000 characters\]$/);
    // The echo of 32k characters comes back as chunks of at most 2000.
    expect(channel.sent.length).toBe(17);
  });

  it('handles /new from a channel without a model call', async () => {
    const { ctx, channel, models } = setup();
    await ctx.pipeline.accept(channel.message({ text: 'hello' }));
    await ctx.settle();
    await ctx.pipeline.accept(channel.message({ text: '/new' }));
    await ctx.settle();
    expect(channel.sent.at(-1)!.text).toMatch(/new session/i);
    expect(models.requests).toHaveLength(1);
  });
});

describe('bindings', () => {
  const bindings = [
    { agentId: 'main', match: { channel: 'test' } },
    { agentId: 'work', match: { channel: 'test', guildId: 'guild1' } },
    { agentId: 'vip', match: { channel: 'test', peer: 'boss' } },
    { agentId: 'ghost', match: { channel: 'test', peer: 'x' } },
  ];
  it('routes to the most specific match: peer > guild > channel', async () => {
    const { ctx, channel } = setup({ config: { bindings } });
    await ctx.pipeline.accept(channel.message({ sender: { id: 'boss' }, chat: { id: 'boss' } }));
    await ctx.pipeline.accept(
      channel.message({ chat: { id: 'c1', kind: 'group', guildId: 'guild1' }, mentioned: true }),
    );
    await ctx.pipeline.accept(channel.message({ sender: { id: 'anyone' }, chat: { id: 'anyone' } }));
    await ctx.pipeline.accept(
      channel.message({
        chat: { id: 'c2', kind: 'group', guildId: 'guild1' },
        sender: { id: 'boss' },
        mentioned: true,
      }),
    );
    await ctx.settle();
    const keys = (await ctx.agents.sessions.list()).map((s) => s.sessionKey).sort();
    expect(keys).toEqual([
      'agent:main:test:bot1:anyone',
      'agent:vip:test:bot1:boss',
      'agent:vip:test:c2:chat',
      'agent:work:test:c1:chat',
    ]);
  });

  it('falls back to the default agent (a binding to an unknown agent is ignored)', async () => {
    const { ctx, channel } = setup({
      config: { bindings: [{ agentId: 'ghost', match: { channel: 'test' } }] },
    });
    await ctx.pipeline.accept(channel.message());
    await ctx.settle();
    expect((await ctx.agents.sessions.list())[0]!.agentId).toBe('main');
  });
});

describe('no channel yet', () => {
  it('keeps the entry spooled until a channel is there, then replay answers it', async () => {
    const store = createMemoryStore();
    const models = createScriptedRouter();
    const ctx = createTestContext({ config: { agents }, models, store });
    const channel = createTestChannel();
    await ctx.pipeline.accept(channel.message({ text: 'early' }));
    await ctx.settle();
    expect(await ctx.store.keys('spool:')).toHaveLength(1);
    ctx.channels.register(channel);
    expect(await ctx.pipeline.replay()).toBe(1);
    await ctx.settle();
    expect(channel.sent.map((s) => s.text)).toEqual(['echo: early']);
  });
});
