import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeLlmServer, reply, startFakeAnthropic } from '../../fakes/anthropic-server';
import { createTestContext } from '../../helpers/context';
import { createTestChannel } from '../../helpers/test-channel';

/** The real model router (ctx.models) and the real Anthropic SDK against the fake server. */
let fake: FakeLlmServer;
beforeAll(async () => {
  fake = await startFakeAnthropic();
});
afterAll(async () => {
  await fake.close();
});

function setup(
  model: string,
  env: Record<string, string> = { ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: fake.origin },
  timeoutSeconds = 10,
) {
  const ctx = createTestContext({
    config: { agents: { defaults: { model, timeoutSeconds }, list: [{ id: 'main', default: true }] } },
    env,
  });
  const channel = createTestChannel();
  ctx.channels.register(channel);
  return { ctx, channel };
}

async function answer(
  ctx: ReturnType<typeof setup>['ctx'],
  channel: ReturnType<typeof setup>['channel'],
  text = 'hi',
): Promise<string> {
  await ctx.pipeline.accept(channel.message({ text }));
  await ctx.settle();
  expect(channel.sent).toHaveLength(1);
  return channel.sent[0]!.text;
}

describe('provider trouble reaches the user as one short error reply', () => {
  it('answers normally through the real router', async () => {
    const { ctx, channel } = setup('anthropic/claude-test');
    expect(await answer(ctx, channel, 'ping')).toBe('echo: ping');
  });

  it('no key for the configured provider', async () => {
    const { ctx, channel } = setup('anthropic/claude-test', {});
    const text = await answer(ctx, channel);
    expect(text).toMatch(/^Sorry, I could not answer: .*ANTHROPIC_API_KEY/);
    expect(ctx.lines.some((l) => l.level === 'error' && l.line.startsWith('[agent] turn failed'))).toBe(true);
  });

  it('an unknown model ref', async () => {
    const { ctx, channel } = setup('nosuch/model-x');
    expect(await answer(ctx, channel)).toMatch(/^Sorry, I could not answer: .*nosuch/);
  });

  it('a stream cut in the middle, and malformed JSON', async () => {
    const cut = setup('anthropic/claude-test');
    fake.enqueue(reply.cut('partial answer'));
    expect(await answer(cut.ctx, cut.channel)).toMatch(/^Sorry, I could not answer: /);
    const malformed = setup('anthropic/claude-test');
    fake.enqueue(reply.malformed());
    expect(await answer(malformed.ctx, malformed.channel)).toMatch(/^Sorry, I could not answer: /);
  });

  it('a provider that hangs past the timeout', async () => {
    const { ctx, channel } = setup('anthropic/claude-test', undefined, 1);
    fake.enqueue(reply.hang());
    const started = Date.now();
    expect(await answer(ctx, channel)).toBe(
      'Sorry, I could not answer: no model could answer: anthropic/claude-test timeout',
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
