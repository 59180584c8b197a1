import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UsageStatus } from '../../src/core/usage/types';
import { type FakeLlmServer, startFakeAnthropic } from '../fakes/anthropic-server';
import { TARGETS, type Target } from '../helpers/targets';
import { startWorker, type WorkerTarget } from '../helpers/worker-target';

const TOKEN = 'matrix-agents-token-0123456789';
const config = { agents: { defaults: { model: { primary: 'anthropic/claude-sonnet-4-5' } } } };

describe.each(Object.keys(TARGETS) as Array<keyof typeof TARGETS>)(
  'the OpenAI-compatible API on %s',
  (runtime) => {
    let anthropic: FakeLlmServer;
    let target: Target;
    beforeAll(async () => {
      anthropic = await startFakeAnthropic();
      target = await TARGETS[runtime]({
        config,
        env: {
          krabkrab_GATEWAY_TOKEN: TOKEN,
          ANTHROPIC_API_KEY: 'sk-ant-matrix',
          ANTHROPIC_BASE_URL: anthropic.baseUrl,
        },
      });
    }, 60_000);
    afterAll(async () => {
      await target?.stop();
      await anthropic?.close();
    });

    it('answers the openai SDK, streamed and not, through the owner agent', async () => {
      const client = new OpenAI({ apiKey: TOKEN, baseURL: `${target.url}/v1` });
      const answer = await client.chat.completions.create({
        model: 'krabkrab',
        messages: [{ role: 'user', content: 'hello there' }],
      });
      expect(answer.choices[0]?.message.content).toBe('echo: hello there');
      const stream = await client.chat.completions.create({
        model: 'krabkrab',
        stream: true,
        messages: [{ role: 'user', content: 'streamed' }],
      });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
      expect(text).toBe('echo: streamed');
      const wrong = new OpenAI({ apiKey: 'wrong-token', baseURL: `${target.url}/v1`, maxRetries: 0 });
      await expect(
        wrong.chat.completions.create({ model: 'krabkrab', messages: [{ role: 'user', content: 'x' }] }),
      ).rejects.toMatchObject({ status: 401 });
    });

    it('records both calls in the usage rollup of the store (status.usage)', async () => {
      const res = await fetch(`${target.url}/api/status`, { headers: { authorization: `Bearer ${TOKEN}` } });
      const { usage } = (await res.json()) as { usage: UsageStatus };
      expect(usage.models).toEqual([
        expect.objectContaining({
          model: 'anthropic/claude-sonnet-4-5',
          requests: 2,
          costUsd: expect.any(Number),
        }),
      ]);
      expect(usage.total.inputTokens).toBeGreaterThan(0);
    });
  },
);

describe('the scheduled tick on Workers', () => {
  let anthropic: FakeLlmServer;
  let worker: WorkerTarget;
  beforeAll(async () => {
    anthropic = await startFakeAnthropic();
    const due = new Date(Date.now() - 30_000).toISOString();
    worker = await startWorker(
      {
        krabkrab_GATEWAY_TOKEN: TOKEN,
        ANTHROPIC_API_KEY: 'sk-ant-matrix',
        ANTHROPIC_BASE_URL: anthropic.baseUrl,
      },
      { ...config, cron: { jobs: [{ id: 'due-once', schedule: { at: due }, message: 'scheduled ping' }] } },
    );
  }, 60_000);
  afterAll(async () => {
    await worker?.stop();
    await anthropic?.close();
  });

  it('runs a due job exactly once even when the cron trigger fires twice', async () => {
    const fire = async () => {
      const entry = (await worker.mf.getWorker()) as unknown as {
        scheduled(c: { scheduledTime: Date; cron: string }): Promise<unknown>;
      };
      await entry.scheduled({ scheduledTime: new Date(), cron: '* * * * *' });
    };
    await Promise.all([fire(), fire()]);
    await anthropic.waitForRequests(1, 15_000);
    await fire();
    // A real-time wait on purpose, the only one left: the tick hands the runs it starts to the
    // Durable Object's waitUntil inside workerd, which nothing outside workerd can wait for, and no
    // later event follows a run that was wrongly started. Such a run gets 1.5 s to reach the model.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const runs = anthropic.requests.filter((r) => JSON.stringify(r.body).includes('scheduled ping'));
    expect(runs).toHaveLength(1);
  });
});
