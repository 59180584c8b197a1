import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeLlmServer, reply, startFakeAnthropic } from '../../../fakes/anthropic-server';
import { deliverWhatsApp, type FakeGraph, startFakeGraph, waPayloads } from '../../../fakes/whatsapp-graph';
import {
  cleanEnv,
  type GatewayProcess,
  removeDir,
  runCli,
  startGateway,
  tempStateDir,
} from '../../../helpers/gateway-process';
import { eventually } from '../telegram/harness';

const TOKEN = 'whatsapp-test-gateway-token-0123456789';
let cleanup: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

interface World {
  graph: FakeGraph;
  llm: FakeLlmServer;
  stateDir: string;
  gateway: GatewayProcess;
  env: Record<string, string>;
  restart(): Promise<GatewayProcess>;
  hook: () => string;
}

async function world(
  whatsapp: Record<string, unknown> | undefined,
  options: {
    llm?: Parameters<typeof startFakeAnthropic>[0];
    secrets?: boolean;
    waitFor?: RegExp | null;
  } = {},
): Promise<World> {
  const graph = await startFakeGraph();
  const llm = await startFakeAnthropic(options.llm);
  const stateDir = tempStateDir('krab-whatsapp-');
  writeFileSync(
    join(stateDir, 'krabkrab.json'),
    JSON.stringify({
      gateway: { mode: 'local' },
      agents: { defaults: { model: { primary: 'anthropic/claude-test' } } },
      channels: whatsapp
        ? { whatsapp: { enabled: true, phoneNumberId: graph.phoneNumberId, ...whatsapp } }
        : {},
    }),
  );
  const env: Record<string, string> = {
    WHATSAPP_API_BASE: graph.origin,
    ANTHROPIC_API_KEY: 'sk-ant-test',
    ANTHROPIC_BASE_URL: llm.origin,
    krabkrab_GATEWAY_TOKEN: TOKEN,
    ...(options.secrets === false ? {} : secrets(graph)),
  };
  const launch = async () => {
    const gateway = await startGateway({ stateDir, env });
    const waitFor = options.waitFor === undefined ? /\[whatsapp\] logged in to whatsapp as/ : options.waitFor;
    if (waitFor) await gateway.waitForLine(waitFor);
    return gateway;
  };
  const w: World = {
    graph,
    llm,
    stateDir,
    env,
    gateway: await launch(),
    async restart() {
      w.gateway = await launch();
      return w.gateway;
    },
    hook: () => `${w.gateway.url}/whatsapp/webhook`,
  };
  cleanup.push(
    () => graph.close(),
    () => llm.close(),
    () => removeDir(stateDir),
    () => w.gateway.stop(),
  );
  return w;
}

const secrets = (graph: FakeGraph) => ({
  WHATSAPP_ACCESS_TOKEN: graph.token,
  WHATSAPP_APP_SECRET: graph.appSecret,
  WHATSAPP_VERIFY_TOKEN: 'e2e-verify-token',
});

async function status(gateway: GatewayProcess) {
  const res = await fetch(`${gateway.url}/api/status`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return (await res.json()).channels.whatsapp;
}

describe('whatsapp cloud api on the running gateway', () => {
  it('SIGKILL after the 200 and before the reply: the restarted gateway replies exactly once', async () => {
    let calls = 0;
    const w = await world(
      { dmPolicy: 'open' },
      // The first model call never answers, so the kill lands between the ack and the reply.
      { llm: { respond: () => (++calls === 1 ? reply.hang() : undefined) } },
    );
    const body = waPayloads.text(w.graph.phoneNumberId, {
      from: '15559990001',
      id: 'wamid.crash1',
      text: 'survive the crash',
    });
    const ack = await deliverWhatsApp(w.hook(), body, w.graph.appSecret);
    expect(ack.status).toBe(200);
    expect(ack.json).toMatchObject({ accepted: 1 });
    await w.llm.waitForRequests(1);
    await w.gateway.stop('SIGKILL');
    expect(w.graph.sent('15559990001')).toEqual([]);

    await w.restart();
    await w.graph.waitFor((c) => c.body.to === '15559990001' && c.body.type === 'text');
    // Meta redelivering the same message (as if the 200 had been lost) changes nothing.
    const again = await deliverWhatsApp(w.hook(), body, w.graph.appSecret);
    expect(again.json).toMatchObject({ accepted: 0, duplicates: 1 });
    await deliverWhatsApp(
      w.hook(),
      waPayloads.text(w.graph.phoneNumberId, { from: '15559990001', id: 'wamid.crash2', text: 'sentinel' }),
      w.graph.appSecret,
    );
    await eventually(() =>
      expect(w.graph.sent('15559990001').map((m) => m.body)).toContain('echo: sentinel'),
    );
    expect(w.graph.sent('15559990001').filter((m) => m.body === 'echo: survive the crash')).toHaveLength(1);
    expect(w.gateway.output()).toMatch(/replaying 1 unfinished message/);
    expect(w.gateway.output()).not.toContain(w.graph.token);
    expect(w.gateway.output()).not.toContain(w.graph.appSecret);
  });

  it('handshake and signatures through the real server; a rejected token is one clear status', async () => {
    const w = await world({ dmPolicy: 'open' });
    const ok = await fetch(
      `${w.hook()}?hub.mode=subscribe&hub.verify_token=e2e-verify-token&hub.challenge=987654`,
    );
    expect([ok.status, await ok.text()]).toEqual([200, '987654']);
    expect(
      (await fetch(`${w.hook()}?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1`)).status,
    ).toBe(403);
    const body = waPayloads.text(w.graph.phoneNumberId, { text: 'x' });
    expect((await deliverWhatsApp(w.hook(), body, w.graph.appSecret, null)).status).toBe(401);
    expect((await deliverWhatsApp(w.hook(), body, 'not-the-secret')).status).toBe(401);
    expect((await status(w.gateway)).state).toBe('connected');
    expect((await status(w.gateway)).login).toContain('+1 555-010-0999');
  });
});

describe('krabkrab channels add whatsapp (from a shell)', () => {
  it('checks the credentials, stores them 0600, prints the callback URL and verify token; the gateway logs in', async () => {
    const w = await world(undefined, { waitFor: null, secrets: false });
    const shell = cleanEnv({ krabkrab_STATE_DIR: w.stateDir, WHATSAPP_API_BASE: w.graph.origin });
    const wrong = await runCli(
      [
        'channels',
        'add',
        'whatsapp',
        '--phone-number-id',
        w.graph.phoneNumberId,
        '--token',
        'EAAwrong',
        '--app-secret',
        's3cret',
      ],
      shell,
    );
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('WhatsApp did not accept it: WhatsApp rejected the access token (190');
    expect(() => statSync(join(w.stateDir, 'credentials', 'secrets', 'WHATSAPP_ACCESS_TOKEN'))).toThrow();
    expect((await runCli(['channels', 'add', 'whatsapp', '--token', 'x'], shell)).stderr).toContain(
      '--phone-number-id',
    );

    mkdirSync(join(w.stateDir, 'state'), { recursive: true });
    writeFileSync(join(w.stateDir, 'state', 'tunnel-url'), JSON.stringify('https://krab-tunnel.example'), {
      mode: 0o600,
    });
    const added = await runCli(
      [
        'channels',
        'add',
        'whatsapp',
        '--phone-number-id',
        w.graph.phoneNumberId,
        '--token',
        w.graph.token,
        '--app-secret',
        w.graph.appSecret,
      ],
      shell,
    );
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('Callback URL:  https://krab-tunnel.example/whatsapp/webhook');
    const verify = /Verify token:\s+(\S+)/.exec(added.stdout)?.[1];
    expect(verify).toMatch(/^[0-9a-f]{48}$/);
    expect(added.stdout).not.toContain(w.graph.token);
    expect(added.stdout).not.toContain(w.graph.appSecret);
    for (const name of ['WHATSAPP_ACCESS_TOKEN', 'WHATSAPP_APP_SECRET', 'WHATSAPP_VERIFY_TOKEN']) {
      expect(statSync(join(w.stateDir, 'credentials', 'secrets', name)).mode & 0o777).toBe(0o600);
    }
    const configText = readFileSync(join(w.stateDir, 'krabkrab.json'), 'utf8');
    expect(JSON.parse(configText).channels.whatsapp).toEqual({
      phoneNumberId: w.graph.phoneNumberId,
      mode: 'cloud',
      enabled: true,
    });
    expect(configText).not.toContain(w.graph.token);

    // The running gateway reloads, logs in with the stored token and verifies Meta's handshake with the stored verify token.
    await w.gateway.waitForLine(/\[whatsapp\] logged in to whatsapp as \+1 555-010-0999 \(Krab Test\)/);
    const hs = await fetch(`${w.hook()}?hub.mode=subscribe&hub.verify_token=${verify}&hub.challenge=31337`);
    expect(await hs.text()).toBe('31337');
    const res = await deliverWhatsApp(
      w.hook(),
      waPayloads.text(w.graph.phoneNumberId, { from: '15559990002', text: 'hello?' }),
      w.graph.appSecret,
    );
    expect(res.status).toBe(200);
    await eventually(() => expect(w.graph.sent('15559990002')[0]?.body).toMatch(/pairing code is/));
  });
});

describe('whatsapp web mode', () => {
  it('without a linked session: status says what to do, and the webhook is not served', async () => {
    const w = await world(
      { mode: 'web' },
      { waitFor: /\[whatsapp\] whatsapp web is not linked/, secrets: false },
    );
    const s = await status(w.gateway);
    expect(s).toMatchObject({ state: 'failed', mode: 'web' });
    expect(s.error).toContain('krabkrab channels login whatsapp');
    // Not served in web mode.
    expect((await fetch(`${w.hook()}?hub.mode=subscribe&hub.verify_token=x&hub.challenge=1`)).status).toBe(
      404,
    );
  });

  it('channels login whatsapp reports an unreachable WhatsApp clearly (no network here)', async () => {
    const stateDir = tempStateDir('krab-wa-login-');
    cleanup.push(() => removeDir(stateDir));
    writeFileSync(join(stateDir, 'krabkrab.json'), JSON.stringify({ gateway: { mode: 'local' } }));
    // A local port nobody listens on stands for WhatsApp's servers.
    const result = await runCli(
      ['channels', 'login', 'whatsapp'],
      cleanEnv({ krabkrab_STATE_DIR: stateDir, KRABKRAB_WHATSAPP_WEB_URL: 'ws://127.0.0.1:9/ws/chat' }),
      60_000,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/could not reach WhatsApp Web/);
    expect(JSON.parse(readFileSync(join(stateDir, 'krabkrab.json'), 'utf8')).channels).toBeUndefined();
    const dir = join(stateDir, 'credentials', 'whatsapp-web');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });
});
