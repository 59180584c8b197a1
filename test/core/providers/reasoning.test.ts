import { afterEach, describe, expect, it } from 'vitest';
import { PROVIDERS } from '../../../src/core/providers/index';
import type { ProviderDef, ProviderRequest } from '../../../src/core/providers/types';
import { reply, startFakeAnthropic } from '../../fakes/anthropic-server';
import type { FakeLlmServer } from '../../fakes/fake-llm';
import { startFakeOpenAI } from '../../fakes/openai-server';

let fakes: FakeLlmServer[] = [];
afterEach(async () => {
  await Promise.all(fakes.map((f) => f.close()));
  fakes = [];
});

async function send(def: ProviderDef, fake: FakeLlmServer, request: Partial<ProviderRequest>) {
  fake.enqueue(reply.text('ok'));
  for await (const _event of def.stream({
    model: 'm-1',
    apiKey: 'sk-test-key-1',
    baseUrl: fake.baseUrl,
    messages: [{ role: 'user', content: 'hello' }],
    ...request,
  })) {
    // drain
  }
  return fake.requests.at(-1)!.body;
}

describe('/think levels per provider', () => {
  it('says which models reason', () => {
    expect(PROVIDERS.openai!.reasons?.('o3')).toBe(true);
    expect(PROVIDERS.openai!.reasons?.('gpt-5-mini')).toBe(true);
    expect(PROVIDERS.openai!.reasons?.('gpt-4o')).toBe(false);
    expect(PROVIDERS.google!.reasons?.('gemini-2.5-flash')).toBe(true);
    expect(PROVIDERS.google!.reasons?.('gemini-1.5-pro')).toBe(false);
    expect(PROVIDERS.anthropic!.reasons?.('claude-opus-4-5')).toBe(true);
    expect(PROVIDERS.anthropic!.reasons?.('claude-3-7-sonnet-latest')).toBe(true);
    expect(PROVIDERS.anthropic!.reasons?.('claude-3-5-haiku-latest')).toBe(false);
  });

  it('sends reasoning_effort to OpenAI, and nothing without a level', async () => {
    const fake = await startFakeOpenAI();
    fakes.push(fake);
    expect((await send(PROVIDERS.openai!, fake, { model: 'o3', reasoning: 'high' })).reasoning_effort).toBe(
      'high',
    );
    expect((await send(PROVIDERS.openai!, fake, { model: 'o3' })).reasoning_effort).toBeUndefined();
  });

  it('gives Anthropic a thinking budget on top of max_tokens, and none when continuing a tool round', async () => {
    const fake = await startFakeAnthropic();
    fakes.push(fake);
    const body = await send(PROVIDERS.anthropic!, fake, {
      model: 'claude-opus-4-5',
      reasoning: 'low',
      maxTokens: 1000,
    });
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: 2048 });
    expect(body.max_tokens).toBe(3048);
    const continued = await send(PROVIDERS.anthropic!, fake, {
      model: 'claude-opus-4-5',
      reasoning: 'high',
      messages: [
        { role: 'user', content: 'time?' },
        { role: 'assistant', content: '', toolCalls: [{ id: 't1', name: 'current_time', arguments: '{}' }] },
        { role: 'tool', toolCallId: 't1', name: 'current_time', content: 'noon' },
      ],
    });
    expect(continued.thinking).toBeUndefined();
  });
});
