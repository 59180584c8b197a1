import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeLlmServer, reply, startFakeAnthropic, toolResults } from '../fakes/anthropic-server';
import {
  cleanEnv,
  type GatewayProcess,
  removeDir,
  runCli,
  startGateway,
  tempStateDir,
} from '../helpers/gateway-process';
import { alive, childrenOf } from '../helpers/processes';
import { ControlClient, type Frame } from '../helpers/ws-client';

const TOKEN = 'exec-e2e-token-0123456789abcdef';
let fake: FakeLlmServer;
let stateDir: string;
let gateway: GatewayProcess;
let client: ControlClient;

beforeAll(async () => {
  fake = await startFakeAnthropic();
  stateDir = tempStateDir('krab-exec-e2e-');
  const config = {
    agents: { defaults: { model: { primary: 'anthropic/claude-opus-4-5' } } },
    gateway: { mode: 'local' },
    tools: { exec: { mode: 'ask', allow: ['sleep'] } },
  };
  writeFileSync(join(stateDir, 'krabkrab.json'), JSON.stringify(config, null, 2));
  gateway = await startGateway({
    stateDir,
    env: {
      krabkrab_GATEWAY_TOKEN: TOKEN,
      ANTHROPIC_API_KEY: 'sk-ant-e2e-secret',
      ANTHROPIC_BASE_URL: fake.origin,
    },
  });
  client = await ControlClient.connect(`ws://127.0.0.1:${gateway.port}`, TOKEN);
});

afterAll(async () => {
  client?.close();
  await gateway?.stop();
  await fake?.close();
  removeDir(stateDir);
});

/** The tool results the model was handed in its latest request. */
function lastToolResults(): string {
  return toolResults(fake.requests.at(-1)!).join('\n');
}

async function send(message: string): Promise<string> {
  const res = await client.request('chat.send', { message });
  expect(res.ok, JSON.stringify(res.error)).toBe(true);
  return res.payload.runId as string;
}

const finalOf = (runId: string) =>
  client.waitFor(
    (f) => f.event === 'chat' && f.payload.runId === runId && ['final', 'error'].includes(f.payload.state),
    15_000,
  );

describe('exec and web tools through the running gateway (scripted fake model)', () => {
  it('exec in ask mode: approval requested over the control WS, approved there, the command runs without secrets', async () => {
    fake.enqueue(
      reply.tools([
        {
          name: 'exec',
          arguments: { command: 'echo "answer=$((40+2)) key=[$ANTHROPIC_API_KEY] home=$HOME"' },
        },
      ]),
      reply.text('done'),
    );
    const runId = await send('run the command');
    const requested = await client.waitFor((f) => f.event === 'exec.approval.requested', 10_000);
    expect(requested.payload).toMatchObject({
      agentId: 'main',
      sessionKey: 'agent:main:control:owner:main',
      command: 'echo "answer=$((40+2)) key=[$ANTHROPIC_API_KEY] home=$HOME"',
      cwd: join(stateDir, 'workspace', 'main'),
      expiresAt: expect.any(Number),
    });
    const list = await client.request('exec.approval.list', {});
    expect(list.payload.approvals).toEqual([requested.payload]);

    const bad = await client.request('exec.approval.resolve', {
      id: requested.payload.id,
      decision: 'maybe',
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_PARAMS' } });
    const ok = await client.request('exec.approval.resolve', {
      id: requested.payload.id,
      decision: 'allow-once',
    });
    expect(ok.ok, JSON.stringify(ok.error)).toBe(true);
    const resolved = await client.waitFor((f) => f.event === 'exec.approval.resolved');
    expect(resolved.payload).toEqual({ id: requested.payload.id, decision: 'allow-once' });

    const final: Frame = await finalOf(runId);
    expect(final.payload).toMatchObject({ state: 'final', text: 'done' });
    const results = lastToolResults();
    expect(results).toContain(`answer=42 key=[] home=${join(stateDir, 'workspace', 'main')}`);
    expect(results).toContain('exit code 0');

    const again = await client.request('exec.approval.resolve', {
      id: requested.payload.id,
      decision: 'deny',
    });
    expect(again).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: expect.stringContaining('already decided') },
    });
    const unknown = await client.request('exec.approval.resolve', { id: 'deadbeef', decision: 'deny' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('allow-always writes tools.exec.allow, which the CLI shows', async () => {
    fake.enqueue(reply.tools([{ name: 'exec', arguments: { command: 'date -u +%Y' } }]), reply.text('dated'));
    const runId = await send('what year');
    const requested = await client.waitFor(
      (f) => f.event === 'exec.approval.requested' && f.payload.command === 'date -u +%Y',
      10_000,
    );
    expect(requested.payload.program).toBe('date');
    const ok = await client.request('exec.approval.resolve', {
      id: requested.payload.id,
      decision: 'allow-always',
    });
    expect(ok.ok, JSON.stringify(ok.error)).toBe(true);
    await finalOf(runId);
    expect(lastToolResults()).toMatch(/exit code 0[\s\S]*20\d\d/);
    const shown = await runCli(
      ['config', 'get', 'tools.exec.allow'],
      cleanEnv({ krabkrab_STATE_DIR: stateDir }),
    );
    expect(shown.stdout).toContain('date');
    expect(JSON.parse(readFileSync(join(stateDir, 'krabkrab.json'), 'utf8')).tools.exec.allow).toEqual([
      'sleep',
      'date',
    ]);
  });

  it('web_fetch of the gateway itself and of the metadata address is refused; the gateway stays up', async () => {
    fake.enqueue(
      reply.tools([
        { name: 'web_fetch', arguments: { url: `http://127.0.0.1:${gateway.port}/api/status` } },
        { name: 'web_fetch', arguments: { url: 'http://169.254.169.254/latest/meta-data/' } },
        { name: 'web_fetch', arguments: { url: 'file:///etc/passwd' } },
        { name: 'web_fetch', arguments: { url: `http://[::ffff:127.0.0.1]:${gateway.port}/api/status` } },
        { name: 'web_fetch', arguments: { url: `http://2130706433:${gateway.port}/api/status` } },
        { name: 'web_fetch', arguments: { url: `http://localhost:${gateway.port}/api/status` } },
      ]),
      reply.text('fetched'),
    );
    const runId = await send('fetch things');
    expect((await finalOf(runId)).payload.state).toBe('final');
    const results = lastToolResults();
    expect(results).toContain('refused: 127.0.0.1 is a loopback address');
    expect(results).toContain('refused: 169.254.169.254 is a link-local (cloud metadata) address');
    expect(results).toContain('only http and https URLs are fetched, not file:');
    expect(results).toContain('refused: [::ffff:7f00:1] is a loopback, in an IPv6 form address');
    // The decimal spelling is 127.0.0.1 once parsed; a name is refused for what it resolves to.
    expect(results.match(/refused: 127\.0\.0\.1 is a loopback address/g)).toHaveLength(2);
    expect(results).toMatch(/refused: localhost resolves to (127\.0\.0\.1|::1), a loopback address/);
    expect(results).not.toContain('"gateway"');
    expect((await fetch(`${gateway.url}/health`)).status).toBe(200);
  });

  it('a running command dies with the gateway', async () => {
    fake.enqueue(reply.tools([{ name: 'exec', arguments: { command: 'sleep 120' } }]), reply.text('slept'));
    await send('sleep');
    // The allowlisted command runs at once; find it among the gateway's children.
    let pid: number | undefined;
    for (let i = 0; i < 100 && pid === undefined; i++) {
      pid = childrenOf(gateway.child.pid!).find((p) =>
        readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('sleep'),
      );
      if (pid === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(pid).toBeDefined();
    await gateway.stop();
    expect(alive(pid!)).toBe(false);
  });
});
