import { afterEach, describe, expect, it } from 'vitest';
import { parseConfigValue } from '../../../src/core/config/parse';
import { PRESETS } from '../../../src/core/providers/presets';
import { isKnownSecretName } from '../../../src/core/secret-names';
import { reply } from '../../fakes/fake-llm';
import { agentLines, closedPort, GPT, type Harness, run, startHarness } from './router-harness';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const problems = (models: Record<string, unknown>) => {
  const parsed = parseConfigValue({ models }, {});
  return parsed.ok ? [] : parsed.problems.map((p) => `${p.path}: ${p.message}`);
};

describe('presets and models.providers endpoints', () => {
  it('a preset needs only its key; a model id keeps its slashes; streaming and tool calls work', async () => {
    harness = await startHarness();
    harness.openai.enqueue(reply.tools([{ id: 'call_1', name: 'current_time', arguments: { zone: 'UTC' } }]));
    const env = { OPENROUTER_API_KEY: 'sk-or-1', OPENROUTER_BASE_URL: harness.openai.baseUrl };
    const { ctx } = harness;
    Object.assign(ctx.env, env);
    const ref = 'openrouter/anthropic/claude-sonnet-4.5';
    const tools = [{ name: 'current_time', description: 'now', parameters: { type: 'object' } }];
    const first = await run(ctx, [ref], { tools });
    expect(first.error).toBeUndefined();
    expect(first.events[0]).toEqual({ type: 'model', ref });
    expect(first.events).toContainEqual({
      type: 'tool_call',
      call: { id: 'call_1', name: 'current_time', arguments: '{"zone":"UTC"}' },
    });
    const second = await run(ctx, [ref]);
    expect(second.text).toBe('echo: hi');
    expect(harness.openai.requests.map((r) => [r.model, r.apiKey, r.stream])).toEqual([
      ['anthropic/claude-sonnet-4.5', 'sk-or-1', true],
      ['anthropic/claude-sonnet-4.5', 'sk-or-1', true],
    ]);
    // Compatible servers take `max_tokens`, and the tools reach the request.
    expect(harness.openai.requests[0]?.body.tools).toHaveLength(1);
  });

  it('a preset without its key fails with an error naming the env var', async () => {
    harness = await startHarness();
    const result = await run(harness.ctx, ['groq/llama-3.3-70b']);
    expect(result.error?.message).toBe('no API key for groq: set GROQ_API_KEY');
  });

  it('rotates a preset key list (<ID>_API_KEYS) past a rejected key', async () => {
    harness = await startHarness({ openai: { validKeys: ['sk-good'] } });
    Object.assign(harness.ctx.env, {
      DEEPSEEK_API_KEYS: 'sk-bad,sk-good',
      DEEPSEEK_BASE_URL: harness.openai.baseUrl,
    });
    const result = await run(harness.ctx, ['deepseek/deepseek-chat']);
    expect(result.text).toBe('echo: hi');
    expect(harness.openai.requests.map((r) => r.apiKey)).toEqual(['sk-bad', 'sk-good']);
  });

  it('a keyless local preset (ollama) sends no Authorization header', async () => {
    harness = await startHarness();
    Object.assign(harness.ctx.env, { OLLAMA_BASE_URL: harness.openai.baseUrl });
    const result = await run(harness.ctx, ['ollama/llama3.2:3b']);
    expect(result.text).toBe('echo: hi');
    expect(harness.openai.requests[0]?.model).toBe('llama3.2:3b');
    expect(harness.openai.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('a custom anthropic endpoint: apiKeyEnv and headers', async () => {
    harness = await startHarness({
      env: { ANTHROPIC_API_KEY: '', CORP_KEY: 'sk-corp' },
      config: {
        models: {
          providers: {
            corp: {
              api: 'anthropic',
              baseUrl: 'http://127.0.0.1:1',
              apiKeyEnv: 'CORP_KEY',
              headers: { 'x-team': 'krab' },
            },
          },
        },
      },
    });
    Object.assign(harness.ctx.env, { CORP_BASE_URL: harness.anthropic.baseUrl });
    const result = await run(harness.ctx, ['corp/claude-haiku']);
    expect(result.text).toBe('echo: hi');
    expect(harness.anthropic.requests.map((r) => [r.model, r.apiKey, r.headers['x-team']])).toEqual([
      ['claude-haiku', 'sk-corp', 'krab'],
    ]);
  });

  it('a custom endpoint that refuses connections fails over to the next model', async () => {
    const port = await closedPort();
    harness = await startHarness({
      config: {
        models: { providers: { lab: { api: 'openai-chat', baseUrl: `http://127.0.0.1:${port}/v1` } } },
      },
    });
    const result = await run(harness.ctx, ['lab/qwen3', GPT]);
    expect(result.events[0]).toEqual({ type: 'model', ref: GPT });
    expect(result.text).toBe('echo: hi');
    expect(agentLines(harness.ctx)).toEqual([`[agent] lab/qwen3 network error, falling back to ${GPT}`]);
  });

  it('the config refuses a custom provider without api or baseUrl, and built-in overrides it cannot take', () => {
    expect(problems({ providers: { lab: { baseUrl: 'http://127.0.0.1:9/v1' } } })).toEqual([
      expect.stringMatching(
        /^models\.providers\.lab: a custom provider needs api \("openai-chat" or "anthropic"\)/,
      ),
    ]);
    expect(problems({ providers: { lab: { api: 'openai-chat' } } })[0]).toMatch(/needs baseUrl/);
    expect(problems({ providers: { openai: { api: 'anthropic' } } })[0]).toMatch(
      /openai is built in: only baseUrl and apiKey can be set/,
    );
    expect(problems({ providers: { Lab: { api: 'openai-chat', baseUrl: 'http://x/v1' } } })[0]).toMatch(
      /^models\.providers\.Lab: /,
    );
    expect(problems({ providers: { groq: { apiKeyEnv: 'MY_GROQ' }, ollama: {} } })).toEqual([]);
  });

  it('secrets set accepts every preset key name', () => {
    for (const id of Object.keys(PRESETS))
      expect(isKnownSecretName(`${id.toUpperCase()}_API_KEY`)).toBe(true);
    expect(isKnownSecretName('OPENROUTER_API_KEY')).toBe(true);
  });
});
