import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reply, startFakeAnthropic } from '../fakes/anthropic-server';
import type { FakeLlmServer } from '../fakes/fake-llm';
import { startFakeOpenAI } from '../fakes/openai-server';
import { type GatewayProcess, removeDir, startGateway, tempStateDir } from '../helpers/gateway-process';
import { ControlClient } from '../helpers/ws-client';

const TOKEN = 'models-e2e-token-0123456789';
let anthropic: FakeLlmServer;
let openai: FakeLlmServer;
let stateDir: string;
let gateway: GatewayProcess | undefined;

const start = () =>
  startGateway({
    stateDir,
    env: {
      krabkrab_GATEWAY_TOKEN: TOKEN,
      ANTHROPIC_API_KEY: 'sk-ant-e2e-secret-key',
      ANTHROPIC_BASE_URL: anthropic.origin,
      OPENAI_API_KEY: 'sk-openai-e2e-secret',
      OPENAI_BASE_URL: openai.baseUrl,
    },
  });

beforeAll(async () => {
  anthropic = await startFakeAnthropic({ replies: [reply.rateLimited(90)] });
  openai = await startFakeOpenAI();
  stateDir = tempStateDir('krab-models-');
  const config = {
    agents: {
      defaults: { model: { primary: 'anthropic/claude-opus-4-5', fallbacks: ['openai/gpt-4o'] } },
      list: [{ id: 'main', default: true }],
    },
    auth: { profiles: { 'anthropic:default': { mode: 'token', provider: 'anthropic' } } },
    gateway: { mode: 'local' },
  };
  writeFileSync(join(stateDir, 'krabkrab.json'), JSON.stringify(config, null, 2));
});

afterAll(async () => {
  await gateway?.stop();
  await Promise.all([anthropic?.close(), openai?.close()]);
  removeDir(stateDir);
});

describe('failover on the running gateway', () => {
  it('a 429 falls back at once, is one log line and shows in status; the cooldown survives a restart', async () => {
    gateway = await start();
    const client = await ControlClient.connect(gateway.url.replace('http', 'ws'), TOKEN);
    const sent = await client.request('chat.send', { message: 'hello' });
    expect(sent.ok, JSON.stringify(sent.error)).toBe(true);
    const final = await client.waitFor(
      (f) =>
        f.event === 'chat' &&
        f.payload.runId === sent.payload.runId &&
        ['final', 'error'].includes(f.payload.state),
      15_000,
    );
    expect(final.payload.state).toBe('final');
    expect(JSON.stringify(final.payload)).toContain('echo: hello');
    await gateway.waitForLine(/\[agent\] anthropic\/claude-opus-4-5 429, falling back to openai\/gpt-4o$/);
    expect(anthropic.requests).toHaveLength(1);
    expect(openai.requests).toHaveLength(1);

    const status = await client.request('status', {});
    expect(status.payload.models.recentFailovers).toEqual([
      expect.objectContaining({ from: 'anthropic/claude-opus-4-5', to: 'openai/gpt-4o', reason: '429' }),
    ]);
    expect(status.payload.models.cooldowns).toEqual([
      expect.objectContaining({
        ref: 'anthropic/claude-opus-4-5',
        profile: 'anthropic:default',
        reason: '429',
      }),
    ]);
    expect(gateway.output()).not.toContain('sk-ant-e2e-secret-key');
    client.socket.close();
    await gateway.stop();

    gateway = await start();
    const again = await ControlClient.connect(gateway.url.replace('http', 'ws'), TOKEN);
    const listed = await again.request('models.list', {});
    expect(listed.ok, JSON.stringify(listed.error)).toBe(true);
    expect(listed.payload.cooldowns).toEqual([
      expect.objectContaining({ ref: 'anthropic/claude-opus-4-5', reason: '429' }),
    ]);
    expect(listed.payload.cooldowns[0].remainingMs).toBeGreaterThan(30_000);
    expect(listed.payload.models[0]).toMatchObject({
      ref: 'anthropic/claude-opus-4-5',
      cooling: ['anthropic:default'],
    });
    // Still cooling after the restart: the next message goes straight to the fallback.
    const sent2 = await again.request('chat.send', {
      message: 'second',
      sessionKey: 'agent:main:webchat:x:y',
    });
    expect(sent2.ok, JSON.stringify(sent2.error)).toBe(true);
    await again.waitFor(
      (f) => f.event === 'chat' && f.payload.runId === sent2.payload.runId && f.payload.state === 'final',
      15_000,
    );
    expect(anthropic.requests).toHaveLength(1);
    expect(openai.requests).toHaveLength(2);
    again.socket.close();
  });
});
