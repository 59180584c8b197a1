import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeBin, freePort } from '../../../helpers/fake-bin';
import { type GatewayProcess, removeDir, startGateway, tempStateDir } from '../../../helpers/gateway-process';
import { alive } from '../../../helpers/processes';

const TOKEN = 'tunnel-test-token-0123456789';
const running: GatewayProcess[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const gateway of running.splice(0)) await gateway.stop();
  for (const dir of dirs.splice(0)) removeDir(dir);
});

async function waitFor<T>(check: () => T | undefined, what: string, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function start(
  config: Record<string, unknown>,
  env: Record<string, string | undefined>,
  fakeState: string,
) {
  const stateDir = tempStateDir();
  dirs.push(stateDir);
  writeFileSync(join(stateDir, 'krabkrab.json'), JSON.stringify(config));
  const bin = createFakeBin(['ngrok', 'tailscale']);
  dirs.push(bin.dir);
  const gateway = await startGateway({
    stateDir,
    env: {
      PATH: bin.path,
      krabkrab_GATEWAY_TOKEN: TOKEN,
      FAKE_NGROK_STATE: fakeState,
      FAKE_TAILSCALE_STATE: fakeState,
      ...env,
    },
  });
  running.push(gateway);
  return gateway;
}

async function status(
  gateway: GatewayProcess,
): Promise<{ tunnel: { url?: string; tunnels: Array<Record<string, unknown>> } }> {
  const res = await fetch(`${gateway.url}/api/status`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.status).toBe(200);
  return res.json() as never;
}

const lines = (file: string) =>
  existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : [];

describe('ngrok tunnel (fake agent on PATH)', () => {
  it('starts the agent on the gateway port, finds the URL through its local API, shows it, and stops it on shutdown', async () => {
    const fakeState = tempStateDir('krab-ngrok-');
    dirs.push(fakeState);
    const apiPort = await freePort();
    const gateway = await start(
      {
        gateway: { mode: 'local', tunnel: { provider: 'ngrok', ngrok: { apiAddr: `127.0.0.1:${apiPort}` } } },
      },
      { NGROK_AUTHTOKEN: 'ngrok-secret-authtoken-42' },
      fakeState,
    );
    const line = await gateway.waitForLine(/\[tunnel\] public URL https:\/\//);
    const url = /public URL (https:\/\/\S+)/.exec(line)![1]!;
    expect(url).toMatch(/^https:\/\/[0-9a-f]{8}\.ngrok-free\.app$/);

    // The URL is the agent's own answer on the configured API address.
    const api = (await (await fetch(`http://127.0.0.1:${apiPort}/api/tunnels`)).json()) as {
      tunnels: Array<{ public_url: string; config: { addr: string } }>;
    };
    expect(api.tunnels[0]!.public_url).toBe(url);
    expect(api.tunnels[0]!.config.addr).toBe(`http://localhost:${gateway.port}`);

    const shown = await status(gateway);
    expect(shown.tunnel.url).toBe(url);
    expect(shown.tunnel.tunnels[0]).toMatchObject({ provider: 'ngrok', state: 'up', url, primary: true });
    expect(JSON.parse(readFileSync(join(gateway.stateDir, 'state', 'tunnel-url'), 'utf8'))).toBe(url);
    expect(gateway.output()).not.toContain('ngrok-secret-authtoken-42');

    const [pid] = lines(join(fakeState, 'starts.log')).map(Number);
    expect(alive(pid!)).toBe(true);
    expect(await gateway.stop()).toBe(0);
    expect(lines(join(fakeState, 'stops.log')).map(Number)).toEqual([pid]);
    expect(alive(pid!)).toBe(false);
    expect(gateway.output()).toContain('[tunnel] ngrok stopped');
  });

  it('restarts the agent with backoff when it crashes, and announces the new URL', async () => {
    const fakeState = tempStateDir('krab-ngrok-');
    dirs.push(fakeState);
    const gateway = await start(
      { gateway: { mode: 'local', tunnel: { provider: 'ngrok' } } },
      { NGROK_AUTHTOKEN: 'tok', FAKE_NGROK_CRASH_AFTER_MS: '400' },
      fakeState,
    );
    const first = /public URL (\S+)/.exec(await gateway.waitForLine(/\[tunnel\] public URL/))![1];
    await gateway.waitForLine(
      /\[tunnel\] ngrok exited \(code 1: ERROR:\s+session closed.*restarting in 0\.5 s/,
    );
    await waitFor(
      () => gateway.output().match(/\[tunnel\] public URL/g)?.length === 2,
      'the second public URL line',
    );
    const starts = lines(join(fakeState, 'starts.log')).map(Number);
    expect(starts).toHaveLength(2);
    expect(alive(starts[0]!)).toBe(false);
    expect(alive(starts[1]!)).toBe(true);
    const shown = await status(gateway);
    expect(shown.tunnel.url).not.toBe(first);
    expect(shown.tunnel.tunnels[0]).toMatchObject({ state: 'up', restarts: 1 });
    await gateway.stop();
    expect(alive(starts[1]!)).toBe(false);
  });

  it('says clearly when the authtoken is missing, does not loop, and the gateway stays up', async () => {
    const fakeState = tempStateDir('krab-ngrok-');
    dirs.push(fakeState);
    const gateway = await start({ gateway: { mode: 'local', tunnel: { provider: 'ngrok' } } }, {}, fakeState);
    await gateway.waitForLine(/\[tunnel\] ngrok exited \(code 1\): .*set NGROK_AUTHTOKEN/);
    expect((await fetch(`${gateway.url}/health`)).status).toBe(200);
    const shown = await status(gateway);
    // A restart is counted (and logged) when it is decided, at the exit: none was.
    expect(shown.tunnel.tunnels[0]).toMatchObject({ provider: 'ngrok', state: 'failed', restarts: 0 });
    // Once the gateway has exited nothing more can start: exactly one ngrok ever ran.
    expect(await gateway.stop()).toBe(0);
    expect(lines(join(fakeState, 'starts.log'))).toHaveLength(1);
    expect(gateway.output()).not.toMatch(/restarting in/);
  });

  it('says clearly when the ngrok executable is missing', async () => {
    const fakeState = tempStateDir('krab-ngrok-');
    dirs.push(fakeState);
    const gateway = await start(
      { gateway: { mode: 'local', tunnel: { provider: 'ngrok', ngrok: { path: '/nonexistent/ngrok' } } } },
      { NGROK_AUTHTOKEN: 'tok' },
      fakeState,
    );
    await gateway.waitForLine(/\[tunnel\] ngrok not found \("\/nonexistent\/ngrok" on PATH\)/);
    expect((await fetch(`${gateway.url}/health`)).status).toBe(200);
  });

  it("runs ngrok for the guide config (the voice plugin's own tunnel)", async () => {
    const fakeState = tempStateDir('krab-ngrok-');
    dirs.push(fakeState);
    const gateway = await start(
      {
        plugins: {
          entries: {
            'voice-call': { enabled: true, config: { provider: 'twilio', tunnel: { provider: 'ngrok' } } },
          },
        },
      },
      { NGROK_AUTHTOKEN: 'tok' },
      fakeState,
    );
    await gateway.waitForLine(/\[tunnel\] public URL https:\/\/\S+\.ngrok-free\.app/);
    const shown = await status(gateway);
    expect(shown.tunnel.tunnels[0]).toMatchObject({
      provider: 'ngrok',
      users: ['voice-call'],
      primary: true,
    });
  });
});

describe('Tailscale Funnel (fake CLI on PATH)', () => {
  it('funnels only the webhook paths, takes the host from status --json, and turns them off at shutdown', async () => {
    const fakeState = tempStateDir('krab-ts-');
    dirs.push(fakeState);
    const gateway = await start(
      {
        gateway: { mode: 'local', tunnel: { provider: 'tailscale' } },
        plugins: { entries: { 'voice-call': { enabled: true, config: { provider: 'twilio' } } } },
      },
      {},
      fakeState,
    );
    await gateway.waitForLine(
      /\[tunnel\] public URL https:\/\/krab-gw\.tail1234\.ts\.net \(tailscale, paths \/voice\)/,
    );
    const serve = JSON.parse(readFileSync(join(fakeState, 'serve.json'), 'utf8'));
    expect(serve).toEqual({ '/voice': `http://127.0.0.1:${gateway.port}` });
    const calls = lines(join(fakeState, 'calls.log')).map((l) => JSON.parse(l));
    expect(calls).toContainEqual(['status', '--json']);
    expect(calls).toContainEqual(['funnel', '--bg', '--set-path', '/voice', String(gateway.port)]);
    const shown = await status(gateway);
    expect(shown.tunnel).toMatchObject({
      url: 'https://krab-gw.tail1234.ts.net',
      tunnels: [{ provider: 'tailscale', state: 'up', paths: ['/voice'] }],
    });

    await gateway.stop();
    expect(JSON.parse(readFileSync(join(fakeState, 'serve.json'), 'utf8'))).toEqual({});
    expect(gateway.output()).toContain('[tunnel] tailscale funnel turned off');
  });

  it('reports a node that is not logged in, and keeps serving', async () => {
    const fakeState = tempStateDir('krab-ts-');
    dirs.push(fakeState);
    const gateway = await start(
      { gateway: { mode: 'local', tunnel: { provider: 'tailscale', tailscale: { paths: ['/hooks'] } } } },
      { FAKE_TAILSCALE_BACKEND: 'NeedsLogin' },
      fakeState,
    );
    await gateway.waitForLine(
      /\[tunnel\] tailscale is not connected \(BackendState NeedsLogin\): run tailscale up/,
    );
    expect((await fetch(`${gateway.url}/health`)).status).toBe(200);
    expect(existsSync(join(fakeState, 'serve.json'))).toBe(false);
  });
});

describe('fixed public URL', () => {
  it('announces gateway.publicUrl like a tunnel URL', async () => {
    const fakeState = tempStateDir('krab-fixed-');
    dirs.push(fakeState);
    const gateway = await start(
      { gateway: { mode: 'local', publicUrl: 'https://krab.example.com/' } },
      {},
      fakeState,
    );
    await gateway.waitForLine(/\[tunnel\] public URL https:\/\/krab\.example\.com \(fixed\)/);
    expect((await status(gateway)).tunnel.url).toBe('https://krab.example.com');
  });
});
