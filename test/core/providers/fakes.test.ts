import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { reply, startFakeAnthropic } from '../../fakes/anthropic-server';
import type { FakeLlmServer } from '../../fakes/fake-llm';
import { startFakeOpenAI } from '../../fakes/openai-server';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
let fakes: FakeLlmServer[] = [];
afterEach(async () => {
  await Promise.all(fakes.map((f) => f.close()));
  fakes = [];
});

async function anthropic(options?: Parameters<typeof startFakeAnthropic>[0]) {
  const fake = await startFakeAnthropic(options);
  fakes.push(fake);
  return {
    fake,
    client: new Anthropic({ apiKey: 'sk-ant-test-1', baseURL: fake.baseUrl, maxRetries: 0, logger: quiet }),
  };
}
async function openai(options?: Parameters<typeof startFakeOpenAI>[0]) {
  const fake = await startFakeOpenAI(options);
  fakes.push(fake);
  return {
    fake,
    client: new OpenAI({ apiKey: 'sk-openai-test-1', baseURL: fake.baseUrl, maxRetries: 0, logger: quiet }),
  };
}

describe('fake Anthropic with the real SDK', () => {
  it('echoes non-streaming and records the request', async () => {
    const { fake, client } = await anthropic();
    const message = await client.messages.create({
      model: 'claude-x',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'hello' }],
    });
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'echo: hello' });
    expect(message.stop_reason).toBe('end_turn');
    expect(fake.requests[0]).toMatchObject({
      apiKey: 'sk-ant-test-1',
      model: 'claude-x',
      stream: false,
      path: '/v1/messages',
    });
  });

  it('streams text and tool_use with input_json_delta', async () => {
    const { client } = await anthropic({
      replies: [reply.tools([{ name: 'get_weather', arguments: { city: 'Paris' } }], 'Let me check.')],
    });
    const stream = client.messages.stream({
      model: 'claude-x',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'weather?' }],
    });
    const final = await stream.finalMessage();
    expect(final.content[0]).toMatchObject({ type: 'text', text: 'Let me check.' });
    expect(final.content[1]).toMatchObject({
      type: 'tool_use',
      name: 'get_weather',
      input: { city: 'Paris' },
    });
    expect(final.stop_reason).toBe('tool_use');
    expect(final.usage.output_tokens).toBeGreaterThan(0);
  });

  it('answers errors with the API error body and Retry-After', async () => {
    const { client } = await anthropic({ replies: [reply.rateLimited(7), reply.overloaded()] });
    const first = await client.messages
      .create({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] })
      .catch((e) => e);
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('7');
    expect(first.type).toBe('rate_limit_error');
    const second = await client.messages
      .create({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] })
      .catch((e) => e);
    expect(second.status).toBe(529);
  });

  it('rejects keys not in validKeys with 401', async () => {
    const { client } = await anthropic({ validKeys: ['other'] });
    const error = await client.messages
      .create({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] })
      .catch((e) => e);
    expect(error.status).toBe(401);
  });

  it('cuts, breaks and errors streams', async () => {
    const { client } = await anthropic({
      replies: [reply.cut('abc'), reply.malformed(), { kind: 'stream-error', errorType: 'overloaded_error' }],
    });
    const seen: Array<[string[], string]> = [];
    for (let i = 0; i < 3; i++) {
      const events: string[] = [];
      const error = await (async () => {
        const stream = await client.messages.create({
          model: 'm',
          max_tokens: 5,
          stream: true,
          messages: [{ role: 'user', content: 'x' }],
        });
        for await (const ev of stream) events.push(ev.type);
      })().catch((e) => e);
      seen.push([events, `${error?.name}:${error?.type ?? ''}`]);
    }
    expect(seen).toEqual([
      [['message_start', 'content_block_start', 'content_block_delta'], 'TypeError:'],
      [[], 'SyntaxError:'],
      [[], 'APIError:overloaded_error'],
    ]);
  });
});

describe('fake OpenAI with the real SDK', () => {
  it('streams text with usage and [DONE]', async () => {
    const { fake, client } = await openai();
    const stream = await client.chat.completions.create({
      model: 'gpt-x',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'hi there' }],
    });
    let text = '';
    let usage: unknown;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('echo: hi there');
    expect(usage).toMatchObject({ prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number) });
    expect(fake.requests[0]?.apiKey).toBe('sk-openai-test-1');
  });

  it('streams tool_calls deltas (runTools-compatible accumulation)', async () => {
    const { client } = await openai({
      replies: [reply.tools([{ id: 'call_1', name: 'f', arguments: { a: 1 } }])],
    });
    const stream = client.chat.completions.stream({
      model: 'gpt-x',
      messages: [{ role: 'user', content: 'x' }],
    });
    const final = await stream.finalChatCompletion();
    expect(final.choices[0]?.message.tool_calls?.[0]).toMatchObject({
      id: 'call_1',
      function: { name: 'f', arguments: '{"a":1}' },
    });
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('serves Gemini under /v1beta/openai', async () => {
    const { fake, client } = await openai({ pathPrefix: '/v1beta/openai' });
    const completion = await client.chat.completions.create({
      model: 'gemini-2.5-flash',
      messages: [{ role: 'user', content: 'yo' }],
    });
    expect(completion.choices[0]?.message.content).toBe('echo: yo');
    expect(fake.requests[0]?.path).toBe('/v1beta/openai/chat/completions');
  });

  it('cuts and breaks streams', async () => {
    const { client } = await openai({ replies: [reply.cut('abc'), reply.malformed(), reply.status(500)] });
    const seen: Array<[number, string]> = [];
    for (let i = 0; i < 3; i++) {
      const events: string[] = [];
      const error = await (async () => {
        const stream = await client.chat.completions.create({
          model: 'm',
          stream: true,
          messages: [{ role: 'user', content: 'x' }],
        });
        for await (const ev of stream) events.push(JSON.stringify(ev.choices[0]?.delta ?? {}));
      })().catch((e) => e);
      seen.push([events.length, `${error?.constructor?.name}:${error?.status ?? ''}`]);
    }
    expect(seen).toEqual([
      [2, 'TypeError:'],
      [0, 'SyntaxError:'],
      [0, 'InternalServerError:500'],
    ]);
  });
});
