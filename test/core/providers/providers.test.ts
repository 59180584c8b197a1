import { afterEach, describe, expect, it } from 'vitest';
import { PROVIDERS } from '../../../src/core/providers/index';
import type {
  ChatMessage,
  ModelEvent,
  ProviderDef,
  ProviderRequest,
} from '../../../src/core/providers/types';
import { reply, startFakeAnthropic } from '../../fakes/anthropic-server';
import type { FakeLlmServer } from '../../fakes/fake-llm';
import { startFakeOpenAI } from '../../fakes/openai-server';

let fakes: FakeLlmServer[] = [];
afterEach(async () => {
  await Promise.all(fakes.map((f) => f.close()));
  fakes = [];
});

type Kind = 'anthropic' | 'openai' | 'google';
async function fakeFor(
  kind: Kind,
  replies: Parameters<typeof startFakeAnthropic>[0] = {},
): Promise<FakeLlmServer> {
  const fake =
    kind === 'anthropic'
      ? await startFakeAnthropic(replies)
      : await startFakeOpenAI({ ...replies, ...(kind === 'google' ? { pathPrefix: '/v1beta/openai' } : {}) });
  fakes.push(fake);
  return fake;
}

async function collect(
  def: ProviderDef,
  request: Partial<ProviderRequest> & { baseUrl: string },
): Promise<ModelEvent[]> {
  const events: ModelEvent[] = [];
  for await (const event of def.stream({
    model: 'm-1',
    apiKey: 'sk-test-key-1',
    messages: [{ role: 'user', content: 'hello' }],
    ...request,
  }))
    events.push(event);
  return events;
}

const PNG = 'iVBORw0KGgo=';
const conversation: ChatMessage[] = [
  {
    role: 'user',
    content: [
      { type: 'text', text: 'what is this?' },
      { type: 'image', mimeType: 'image/png', dataBase64: PNG },
    ],
  },
  {
    role: 'assistant',
    content: 'checking',
    toolCalls: [{ id: 'call_1', name: 'lookup', arguments: '{"q":"x"}' }],
  },
  { role: 'tool', toolCallId: 'call_1', name: 'lookup', content: 'a cat' },
];

describe.each(['anthropic', 'openai', 'google'] as const)('%s provider through its SDK', (kind) => {
  const def = PROVIDERS[kind]!;

  it('streams text deltas, then done with usage', async () => {
    const fake = await fakeFor(kind, {
      replies: [
        reply.text('hello there, friend', { usage: { inputTokens: 11, outputTokens: 7 }, chunkSize: 5 }),
      ],
    });
    const events = await collect(def, { baseUrl: fake.baseUrl, system: 'be brief' });
    const text = events.filter((e) => e.type === 'text');
    expect(text.length).toBeGreaterThan(1);
    expect(text.map((e) => (e.type === 'text' ? e.delta : '')).join('')).toBe('hello there, friend');
    expect(events.at(-1)).toEqual({
      type: 'done',
      stopReason: 'end',
      usage: { inputTokens: 11, outputTokens: 7 },
    });
    const request = fake.requests[0]!;
    expect(request.apiKey).toBe('sk-test-key-1');
    expect(request.stream).toBe(true);
    expect(request.model).toBe('m-1');
    if (kind === 'anthropic') expect(request.body.system).toBe('be brief');
    else
      expect((request.body.messages as Array<{ role: string }>)[0]).toEqual({
        role: 'system',
        content: 'be brief',
      });
  });

  it('maps tool calls (several, with arguments streamed in pieces) and stop reason tool_use', async () => {
    const fake = await fakeFor(kind, {
      replies: [
        reply.tools([
          { id: 'id_1', name: 'get_weather', arguments: { city: 'Paris', days: 3 } },
          { id: 'id_2', name: 'current_time', arguments: {} },
        ]),
      ],
    });
    const events = await collect(def, {
      baseUrl: fake.baseUrl,
      tools: [
        {
          name: 'get_weather',
          description: 'weather',
          parameters: { type: 'object', properties: { city: { type: 'string' } } },
        },
      ],
    });
    const calls = events
      .filter((e) => e.type === 'tool_call')
      .map((e) => (e.type === 'tool_call' ? e.call : undefined));
    expect(calls).toEqual([
      { id: 'id_1', name: 'get_weather', arguments: '{"city":"Paris","days":3}' },
      { id: 'id_2', name: 'current_time', arguments: '{}' },
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'done', stopReason: 'tool_use' });
    const tools = fake.requests[0]!.body.tools as Array<Record<string, unknown>>;
    if (kind === 'anthropic')
      expect(tools[0]).toMatchObject({ name: 'get_weather', input_schema: { type: 'object' } });
    else
      expect(tools[0]).toMatchObject({
        type: 'function',
        function: { name: 'get_weather', parameters: { type: 'object' } },
      });
  });

  it('passes invalid tool-call arguments through as text for the runtime to reject', async () => {
    const fake = await fakeFor(kind, {
      replies: [reply.tools([{ id: 'id_bad', name: 'f', arguments: '{"city": ' }])],
    });
    const events = await collect(def, { baseUrl: fake.baseUrl });
    expect(events.find((e) => e.type === 'tool_call')).toEqual({
      type: 'tool_call',
      call: { id: 'id_bad', name: 'f', arguments: '{"city": ' },
    });
  });

  it('sends images, assistant tool calls and tool results in the API shape', async () => {
    const fake = await fakeFor(kind);
    await collect(def, { baseUrl: fake.baseUrl, messages: conversation });
    const messages = fake.requests[0]!.body.messages as Array<Record<string, unknown>>;
    if (kind === 'anthropic') {
      expect(messages).toEqual([
        {
          role: 'user',
          content: [
            { type: 'text', text: 'what is this?' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'checking' },
            { type: 'tool_use', id: 'call_1', name: 'lookup', input: { q: 'x' } },
          ],
        },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_1', content: 'a cat' }] },
      ]);
    } else {
      expect(messages).toEqual([
        {
          role: 'user',
          content: [
            { type: 'text', text: 'what is this?' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } },
          ],
        },
        {
          role: 'assistant',
          content: 'checking',
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":"x"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'a cat' },
      ]);
    }
  });

  it('maps max_tokens and sends maxTokens in the field the API wants', async () => {
    const fake = await fakeFor(kind, { replies: [reply.text('cut short', { stopReason: 'max_tokens' })] });
    const events = await collect(def, { baseUrl: fake.baseUrl, maxTokens: 77 });
    expect(events.at(-1)).toMatchObject({ type: 'done', stopReason: 'max_tokens' });
    const field = { anthropic: 'max_tokens', openai: 'max_completion_tokens', google: 'max_tokens' }[kind];
    expect(fake.requests[0]!.body[field]).toBe(77);
  });

  it('throws on a cut stream and on malformed JSON (no done event)', async () => {
    const fake = await fakeFor(kind, { replies: [reply.cut('half'), reply.malformed()] });
    const cut: ModelEvent[] = [];
    await expect(
      (async () => {
        for await (const e of def.stream({
          model: 'm',
          apiKey: 'k',
          baseUrl: fake.baseUrl,
          messages: [{ role: 'user', content: 'x' }],
        }))
          cut.push(e);
      })(),
    ).rejects.toThrow();
    expect(cut).toEqual([{ type: 'text', delta: 'half' }]);
    await expect(collect(def, { baseUrl: fake.baseUrl })).rejects.toBeInstanceOf(SyntaxError);
  });
});

describe('google', () => {
  it('talks to the OpenAI-compatible path under the base URL with the Gemini key', async () => {
    const fake = await fakeFor('google');
    const events = await collect(PROVIDERS.google!, {
      baseUrl: fake.baseUrl,
      model: 'gemini-2.5-flash',
      apiKey: 'gm-key-123',
    });
    expect(events.map((e) => (e.type === 'text' ? e.delta : '')).join('')).toBe('echo: hello');
    expect(fake.requests[0]).toMatchObject({
      path: '/v1beta/openai/chat/completions',
      apiKey: 'gm-key-123',
      model: 'gemini-2.5-flash',
    });
  });
});
