import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/handlers/app';
import { createTestContext, TEST_TOKEN } from '../helpers/context';
import { createScriptedRouter, unavailable } from '../helpers/scripted-router';

const config = {
  agents: {
    defaults: { model: 'test/model' },
    list: [
      { id: 'main', default: true },
      { id: 'coder', model: 'openai/gpt-4o' },
    ],
  },
};

/** The real openai SDK as the client, its fetch wired straight into the gateway's app. */
function setup(router = createScriptedRouter()) {
  const ctx = createTestContext({ config, models: router });
  const app = createApp(ctx, { clientAddress: () => '127.0.0.1' });
  const fetchApp = (input: string | URL | Request, init?: RequestInit) =>
    Promise.resolve(app.fetch(new Request(input, init)));
  const client = new OpenAI({
    apiKey: TEST_TOKEN,
    baseURL: 'http://gateway.test/v1',
    fetch: fetchApp as typeof fetch,
    maxRetries: 0,
  });
  const post = (body: unknown, token = TEST_TOKEN) =>
    fetchApp('http://gateway.test/v1/chat/completions', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  return { ctx, router, client, post };
}

describe('POST /v1/chat/completions', () => {
  it('answers a completion for model "krabkrab" with usage', async () => {
    const { client, router } = setup();
    const completion = await client.chat.completions.create({
      model: 'krabkrab',
      messages: [
        { role: 'system', content: 'Answer in English.' },
        { role: 'user', content: 'first' },
        { role: 'assistant', content: 'ok' },
        { role: 'user', content: 'hello gateway' },
      ],
    });
    expect(completion.object).toBe('chat.completion');
    expect(completion.choices[0]!.message).toMatchObject({
      role: 'assistant',
      content: 'echo: hello gateway',
    });
    expect(completion.choices[0]!.finish_reason).toBe('stop');
    expect(completion.usage).toMatchObject({ prompt_tokens: 10, total_tokens: 13 });
    expect(router.requests[0]!.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(router.requests[0]!.system).toContain('Answer in English.');
  });

  it('streams as SSE chunks ending with [DONE], and routes agent:<id>', async () => {
    const { client, router } = setup();
    const stream = await client.chat.completions.create({
      model: 'agent:coder',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'stream me please' }],
    });
    const deltas: string[] = [];
    let finish: string | null = null;
    let usage: unknown;
    for await (const chunk of stream) {
      if (chunk.usage) usage = chunk.usage;
      const choice = chunk.choices[0];
      if (choice?.delta.content) deltas.push(choice.delta.content);
      if (choice?.finish_reason) finish = choice.finish_reason;
    }
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe('echo: stream me please');
    expect(finish).toBe('stop');
    expect(usage).toMatchObject({ completion_tokens: 4 });
    expect(router.requests[0]!.models).toEqual(['openai/gpt-4o']);
  });

  it('writes the raw SSE wire format', async () => {
    const { post } = setup();
    const res = await post({ model: 'krabkrab', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const text = await res.text();
    const events = text.split('\n\n').filter(Boolean);
    expect(events.every((e) => e.startsWith('data: '))).toBe(true);
    expect(events.at(-1)).toBe('data: [DONE]');
    expect(JSON.parse(events[0]!.slice(6))).toMatchObject({
      object: 'chat.completion.chunk',
      choices: [{ delta: { role: 'assistant' } }],
    });
  });

  it('takes a data: image URL as an image part', async () => {
    const { client, router } = setup();
    await client.chat.completions.create({
      model: 'krabkrab',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'what is this?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          ],
        },
      ],
    });
    expect(router.requests[0]!.messages[0]!.content).toEqual([
      { type: 'text', text: 'what is this?' },
      { type: 'image', mimeType: 'image/png', dataBase64: 'iVBORw0KGgo=' },
    ]);
  });

  it('rejects bad bodies with OpenAI-style 400 errors', async () => {
    const { post, client } = setup();
    const cases: Array<[unknown, RegExp]> = [
      ['{not json', /not valid JSON/],
      [{ messages: [{ role: 'user', content: 'x' }] }, /model/],
      [{ model: 'krabkrab', messages: [] }, /messages/],
      [{ model: 'krabkrab', messages: [{ role: 'wizard', content: 'x' }] }, /messages\[0\]\.role/],
      [
        {
          model: 'krabkrab',
          messages: [
            { role: 'user', content: 'x' },
            { role: 'assistant', content: 'y' },
          ],
        },
        /last message/,
      ],
      [
        {
          model: 'krabkrab',
          messages: [
            {
              role: 'user',
              content: [{ type: 'image_url', image_url: { url: 'https://example.com/a.png' } }],
            },
          ],
        },
        /data: URL/,
      ],
    ];
    for (const [body, message] of cases) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const json = (await res.json()) as { error: { message: string; type: string } };
      expect(json.error.type).toBe('invalid_request_error');
      expect(json.error.message).toMatch(message);
    }
    const error = await client.chat.completions
      .create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] })
      .catch((e) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error.code).toBe('model_not_found');
  });

  it('requires the gateway token as a Bearer token', async () => {
    const { post } = setup();
    expect(
      (await post({ model: 'krabkrab', messages: [{ role: 'user', content: 'x' }] }, 'wrong')).status,
    ).toBe(401);
  });

  it('turns a provider failure into a 503 (or an SSE error event when streaming)', async () => {
    const { client } = setup(
      createScriptedRouter({ replies: [unavailable('anthropic down'), unavailable('anthropic down')] }),
    );
    const error = await client.chat.completions
      .create({ model: 'krabkrab', messages: [{ role: 'user', content: 'x' }] })
      .catch((e) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error.status).toBe(503);
    expect(error.message).toMatch(/anthropic down/);
    const stream = await client.chat.completions.create({
      model: 'krabkrab',
      stream: true,
      messages: [{ role: 'user', content: 'x' }],
    });
    const failure = await (async () => {
      for await (const _chunk of stream) {
        // drain until the error event
      }
    })().catch((e) => e);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect(failure.message).toMatch(/anthropic down/);
  });
});

describe('GET /v1/models', () => {
  it('lists krabkrab and agent:<id> per agent in OpenAI shape, through the official client', async () => {
    const { client } = setup();
    const ids: string[] = [];
    for await (const model of client.models.list()) {
      expect(model).toMatchObject({ object: 'model', owned_by: 'krabkrab', created: expect.any(Number) });
      ids.push(model.id);
    }
    expect(ids).toEqual(['krabkrab', 'agent:main', 'agent:coder']);
    expect(await client.models.retrieve('agent:coder')).toMatchObject({ id: 'agent:coder', object: 'model' });
    const missing = await client.models.retrieve('agent:nope').catch((e) => e);
    expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('requires the same bearer token', async () => {
    const { ctx } = setup();
    const client = new OpenAI({
      apiKey: 'wrong-token-000000000000',
      baseURL: 'http://gateway.test/v1',
      fetch: ((input: string | URL | Request, init?: RequestInit) =>
        Promise.resolve(
          createApp(ctx, { clientAddress: () => '127.0.0.1' }).fetch(new Request(input, init)),
        )) as typeof fetch,
      maxRetries: 0,
    });
    const error = await client.models.list().catch((e) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
  });
});
