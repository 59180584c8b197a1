import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeStore } from '../../src/adapters/node/node-store';
import { createPairingStore } from '../../src/core/pairing/pairing-store';
import { type FakeLlmServer, reply, startFakeAnthropic } from '../fakes/anthropic-server';
import {
  cleanEnv,
  type GatewayProcess,
  removeDir,
  runCli,
  startGateway,
  tempStateDir,
} from '../helpers/gateway-process';
import { ControlClient, type Frame } from '../helpers/ws-client';

const TOKEN = 'agents-e2e-token-0123456789';
let fake: FakeLlmServer;
let stateDir: string;
let gateway: GatewayProcess;

const start = () =>
  startGateway({
    stateDir,
    env: {
      krabkrab_GATEWAY_TOKEN: TOKEN,
      ANTHROPIC_API_KEY: 'sk-ant-fake-key',
      ANTHROPIC_BASE_URL: fake.origin,
    },
  });

beforeAll(async () => {
  fake = await startFakeAnthropic();
  stateDir = tempStateDir('krab-agents-');
  const config = {
    agents: {
      defaults: { model: { primary: 'anthropic/claude-opus-4-5' }, maxConcurrent: 4 },
      list: [
        { id: 'main', default: true },
        { id: 'coder', model: 'anthropic/claude-sonnet-4-5' },
      ],
    },
    gateway: { mode: 'local' },
  };
  writeFileSync(join(stateDir, 'krabkrab.json'), JSON.stringify(config, null, 2));
  mkdirSync(join(stateDir, 'workspace', 'main'), { recursive: true });
  writeFileSync(join(stateDir, 'workspace', 'main', 'AGENTS.md'), 'You are the crab concierge.');
  gateway = await start();
});

afterAll(async () => {
  await gateway?.stop();
  await fake?.close();
  removeDir(stateDir);
});

async function chat(
  client: ControlClient,
  params: Record<string, unknown>,
): Promise<{ runId: string; final: Frame; frames: Frame[] }> {
  const res = await client.request('chat.send', params);
  expect(res.ok, JSON.stringify(res.error)).toBe(true);
  const { runId } = res.payload;
  const final = await client.waitFor(
    (f) =>
      f.event === 'chat' &&
      f.payload.runId === runId &&
      (f.payload.state === 'final' || f.payload.state === 'error'),
    10_000,
  );
  return {
    runId,
    final,
    frames: client.frames.filter((f) => f.event === 'chat' && f.payload.runId === runId),
  };
}

describe('agents on the running gateway (fake Anthropic behind the real SDK)', () => {
  it('chat.send streams the answer and uses the workspace AGENTS.md as system prompt', async () => {
    const client = await ControlClient.connect(`ws://127.0.0.1:${gateway.port}`, TOKEN);
    const { final, frames } = await chat(client, { message: 'hello crab' });
    client.close();
    expect(final.payload).toMatchObject({
      state: 'final',
      text: 'echo: hello crab',
      model: 'anthropic/claude-opus-4-5',
    });
    expect(
      frames
        .filter((f) => f.payload.state === 'delta')
        .map((f) => f.payload.text)
        .join(''),
    ).toBe('echo: hello crab');
    const request = fake.requests.at(-1)!;
    expect(request.model).toBe('claude-opus-4-5');
    expect(JSON.stringify(request.body.system)).toContain('You are the crab concierge.');
    expect(request.apiKey).toBe('sk-ant-fake-key');
  });

  it('the OpenAI-compatible API answers the openai SDK, streaming and not', async () => {
    const client = new OpenAI({ apiKey: TOKEN, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    const completion = await client.chat.completions.create({
      model: 'agent:coder',
      messages: [{ role: 'user', content: 'plain answer' }],
    });
    expect(completion.choices[0]!.message.content).toBe('echo: plain answer');
    expect(fake.requests.at(-1)!.model).toBe('claude-sonnet-4-5');
    const stream = await client.chat.completions.create({
      model: 'krabkrab',
      stream: true,
      messages: [{ role: 'user', content: 'streamed answer' }],
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('echo: streamed answer');

    const bad = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
      body: '{"model":"krabkrab"}',
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error');
    const noAuth = await fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', body: '{}' });
    expect(noAuth.status).toBe(401);
  });

  it('a provider failure is a clear chat error and a log line; the gateway stays up', async () => {
    fake.setRespond(() => reply.status(500, { message: 'boom' }));
    const client = await ControlClient.connect(`ws://127.0.0.1:${gateway.port}`, TOKEN);
    const { final } = await chat(client, { agentId: 'coder', message: 'will fail' }).finally(() =>
      fake.setRespond(undefined),
    );
    client.close();
    expect(final.payload.state).toBe('error');
    expect(final.payload.message).toBe('no model could answer: anthropic/claude-sonnet-4-5 500');
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
    expect(gateway.output()).toMatch(
      /\[agent\] chat run \S+ in agent:coder:control:owner:main ended: no model could answer/,
    );
  });

  it('sessions survive a restart and the next turn sees the earlier one', async () => {
    await gateway.stop();
    gateway = await start();
    const client = await ControlClient.connect(`ws://127.0.0.1:${gateway.port}`, TOKEN);
    const list = await client.request('sessions.list', {});
    expect(list.payload.sessions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ sessionKey: 'agent:main:control:owner:main', turns: 1 }),
      ]),
    );
    await chat(client, { message: 'do you remember?' });
    const messages = fake.requests.at(-1)!.body.messages as Array<{ role: string }>;
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    const status = await client.request('status', {});
    expect(status.payload.agents).toMatchObject({ maxConcurrent: 4, defaultAgent: 'main' });
    client.close();
  });
});

describe('krabkrab pairing (CLI on the state dir)', () => {
  it('lists and approves a pending code without the gateway, and refuses an unknown one', async () => {
    const dir = tempStateDir('krab-pairing-');
    try {
      const store = createNodeStore(dir);
      const { code } = await createPairingStore(store, Date.now).request({
        channel: 'telegram',
        senderId: '4242',
        senderName: 'Alice',
        accountId: 'bot',
      });
      await store.dispose();
      const env = cleanEnv({ krabkrab_STATE_DIR: dir });
      const list = await runCli(['pairing', 'list'], env);
      expect(list.code).toBe(0);
      expect(list.stdout).toContain(`telegram ${code}  from Alice (4242)`);
      const bad = await runCli(['pairing', 'approve', 'telegram', 'AAAAAA'], env);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/no pending pairing code "AAAAAA"/);
      const usage = await runCli(['pairing', 'approve', 'telegram'], env);
      expect(usage.code).toBe(2);
      const ok = await runCli(['pairing', 'approve', 'telegram', code.toLowerCase()], env);
      expect(ok.code).toBe(0);
      expect(ok.stdout).toMatch(/approved telegram user Alice \(4242\)/);
      const json = JSON.parse((await runCli(['pairing', 'list', '--json'], env)).stdout);
      expect(json).toMatchObject({ pending: [], approved: [expect.objectContaining({ senderId: '4242' })] });
      const check = createNodeStore(dir);
      expect(await createPairingStore(check, Date.now).isApproved('telegram', '4242')).toBe(true);
      await check.dispose();
    } finally {
      removeDir(dir);
    }
  });
});
