import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeLlmServer, reply, startFakeAnthropic } from '../../../fakes/anthropic-server';
import { signalMessage, startFakeSignalDaemon } from '../../../fakes/signal-daemon.mjs';
import { createFakeBin, freePort } from '../../../helpers/fake-bin';
import {
  cleanEnv,
  type GatewayProcess,
  removeDir,
  runCli,
  startGateway,
  tempStateDir,
} from '../../../helpers/gateway-process';
import { eventually } from '../telegram/harness';

type Daemon = Awaited<ReturnType<typeof startFakeSignalDaemon>>;
const ACCOUNT = '+15550001111';
const TOKEN = 'signal-test-gateway-token-0123456789';

let cleanup: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function world(
  signal: Record<string, unknown>,
  options: {
    env?: Record<string, string>;
    llm?: Parameters<typeof startFakeAnthropic>[0];
    stateDir?: string;
  } = {},
) {
  const llm: FakeLlmServer = await startFakeAnthropic(options.llm);
  const stateDir = options.stateDir ?? tempStateDir('krab-signal-');
  writeFileSync(
    join(stateDir, 'krabkrab.json'),
    JSON.stringify({
      gateway: { mode: 'local' },
      agents: { defaults: { model: { primary: 'anthropic/claude-test' } } },
      channels: { signal: { enabled: true, account: ACCOUNT, ...signal } },
    }),
  );
  const env = {
    ANTHROPIC_API_KEY: 'sk-ant-test',
    ANTHROPIC_BASE_URL: llm.origin,
    krabkrab_GATEWAY_TOKEN: TOKEN,
    ...options.env,
  };
  const gateway = await startGateway({ stateDir, env });
  cleanup.push(
    () => llm.close(),
    () => removeDir(stateDir),
    () => gateway.stop(),
  );
  return { llm, stateDir, gateway, env };
}

/** What signal-cli's JSON-RPC `send` takes (the fields these tests read). */
type SendCall = { method: string; params: { recipient?: string[]; groupId?: string; message?: string } };

const sends = (daemon: { calls: SendCall[] }, to?: string) =>
  daemon.calls
    .filter((c) => c.method === 'send' && (!to || c.params.recipient?.[0] === to || c.params.groupId === to))
    .map((c) => c.params.message as string);

async function status(gateway: GatewayProcess) {
  const res = await fetch(`${gateway.url}/api/status`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return (await res.json()).channels.signal;
}

describe('signal through a running signal-cli daemon (httpUrl)', () => {
  it('answers allowed senders, pairs strangers, gates groups, types, and splits long replies', async () => {
    const daemon: Daemon = await startFakeSignalDaemon({ account: ACCOUNT });
    cleanup.push(() => daemon.close());
    const long = Array.from({ length: 1200 }, (_, i) => `w${i}`).join(' ');
    const { gateway } = await world(
      { httpUrl: daemon.origin, allowFrom: ['+15557654321'], groupPolicy: 'open' },
      { llm: { respond: (r) => (r.lastUserText.includes('long please') ? reply.text(long) : undefined) } },
    );
    await gateway.waitForLine(/\[signal\] logged in to signal as \+15550001111/);
    expect((await status(gateway)).state).toBe('connected');

    daemon.push(signalMessage({ text: 'hello krab', timestamp: 1001 }));
    await eventually(() => expect(sends(daemon, '+15557654321')).toEqual(['echo: hello krab']));
    expect(daemon.calls.find((c) => c.method === 'sendTyping')?.params).toMatchObject({
      recipient: ['+15557654321'],
      account: ACCOUNT,
    });

    daemon.push(signalMessage({ from: '+15550002222', name: 'Bob', text: 'who are you', timestamp: 1002 }));
    await eventually(() =>
      expect(sends(daemon, '+15550002222')[0]).toMatch(
        /pairing code is [A-Z0-9]{6}[\s\S]*pairing approve signal/,
      ),
    );

    daemon.push(signalMessage({ text: 'chatter without mention', groupId: 'Z3JvdXAtb25l', timestamp: 1003 }));
    daemon.push(
      signalMessage({
        text: '\uFFFC can you help',
        groupId: 'Z3JvdXAtb25l',
        timestamp: 1004,
        mentions: [{ name: 'Krab', number: ACCOUNT, start: 0, length: 1 }],
      }),
    );
    await eventually(() => expect(sends(daemon, 'Z3JvdXAtb25l')).toHaveLength(1));
    expect(sends(daemon, 'Z3JvdXAtb25l')[0]).toContain('@Krab can you help');

    daemon.push(signalMessage({ text: 'long please', timestamp: 1005 }));
    await eventually(() => expect(sends(daemon, '+15557654321').length).toBeGreaterThan(2));
    const parts = sends(daemon, '+15557654321').slice(1);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(4000);
    expect(parts.join(' ').split(/\s+/)).toEqual(long.split(' '));
  });

  it('reconnects when the event stream drops, and again after the daemon was gone', async () => {
    const port = await freePort();
    let daemon: Daemon = await startFakeSignalDaemon({ port, account: ACCOUNT });
    cleanup.push(() => daemon.close());
    const { gateway } = await world({ httpUrl: `http://127.0.0.1:${port}`, dmPolicy: 'open' });
    await gateway.waitForLine(/\[signal\] logged in to signal/);
    daemon.dropStreams();
    await gateway.waitForLine(
      /\[signal\] event stream from signal-cli (ended|dropped).*; reconnecting in 0.5 s/,
    );
    await gateway.waitForLine(/\[signal\] event stream from signal-cli reconnected/);
    daemon.push(signalMessage({ text: 'after the drop', timestamp: 2001 }));
    await eventually(() => expect(sends(daemon)).toEqual(['echo: after the drop']));
    expect(daemon.connections()).toBe(2);

    await daemon.close();
    await gateway.waitForLine(/\[signal\] signal-cli unreachable/, 15_000);
    expect((await status(gateway)).state).toBe('reconnecting');
    daemon = await startFakeSignalDaemon({ port, account: ACCOUNT });
    daemon.push(signalMessage({ text: 'daemon is back', timestamp: 2002 }));
    await eventually(() => expect(sends(daemon)).toEqual(['echo: daemon is back']), 15_000);
    expect((await status(gateway)).state).toBe('connected');
  });
});

describe('signal with autoStart (fake signal-cli on PATH)', () => {
  it('starts signal-cli daemon with the gateway, answers through it, and stops it on shutdown', async () => {
    const bin = createFakeBin(['signal-cli']);
    const logFile = join(bin.dir, 'signal-cli.log');
    const port = await freePort();
    const { gateway } = await world(
      { autoStart: true, httpUrl: `http://127.0.0.1:${port}`, dmPolicy: 'open' },
      { env: { PATH: bin.path, FAKE_SIGNAL_CLI_LOG: logFile } },
    );
    cleanup.push(() => removeDir(bin.dir));
    await gateway.waitForLine(/\[signal\] started signal-cli daemon \(PID \d+\) on http:\/\/127\.0\.0\.1:/);
    await gateway.waitForLine(/\[signal\] logged in to signal/);
    const started = JSON.parse(readFileSync(logFile, 'utf8').trim().split('\n')[0]!);
    expect(started.args).toEqual(['-a', ACCOUNT, 'daemon', '--http', `127.0.0.1:${port}`]);

    const control = `http://127.0.0.1:${port}/__test`;
    await fetch(`${control}/push`, {
      method: 'POST',
      body: JSON.stringify(signalMessage({ text: 'via the child', timestamp: 3001 })),
    });
    await eventually(async () => {
      const state = (await (await fetch(`${control}/state`)).json()) as { calls: SendCall[] };
      expect(state.calls.filter((c) => c.method === 'send').map((c) => c.params.message)).toEqual([
        'echo: via the child',
      ]);
    });

    expect(await gateway.stop()).toBe(0);
    expect(gateway.output()).toMatch(/\[signal\] stopped signal-cli daemon/);
    const events = readFileSync(logFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).event);
    expect(events).toEqual(['start', 'sigterm']);
    expect(() => process.kill(started.pid, 0)).toThrow();
  });

  it('says clearly when signal-cli is not installed', async () => {
    const { gateway } = await world({
      autoStart: true,
      cliPath: '/nonexistent/signal-cli',
      dmPolicy: 'open',
    });
    await gateway.waitForLine(/\[signal\] \/nonexistent\/signal-cli not found: install signal-cli/);
    expect((await status(gateway)).state).toBe('failed');
  });
});

describe('krabkrab channels login signal', () => {
  it('prints the sgnl:// link as a QR code and sets the account', async () => {
    const bin = createFakeBin(['signal-cli']);
    const stateDir = tempStateDir('krab-signal-login-');
    cleanup.push(
      () => removeDir(bin.dir),
      () => removeDir(stateDir),
    );
    writeFileSync(join(stateDir, 'krabkrab.json'), JSON.stringify({ gateway: { mode: 'local' } }));
    const result = await runCli(
      ['channels', 'login', 'signal'],
      cleanEnv({ krabkrab_STATE_DIR: stateDir, PATH: bin.path }),
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('sgnl://linkdevice?uuid=Zm9vYmFyYmF6cXV4');
    expect(result.stdout).toMatch(/[█▀▄]{20,}/);
    expect(result.stdout).toContain('linked as +15550001111');
    const config = JSON.parse(readFileSync(join(stateDir, 'krabkrab.json'), 'utf8'));
    expect(config.channels.signal).toEqual({ account: '+15550001111', enabled: true });
    expect(statSync(join(stateDir, 'krabkrab.json')).isFile()).toBe(true);
    // Account and enabled are one write: one backup, not one per key.
    expect(existsSync(join(stateDir, 'krabkrab.json.bak.1'))).toBe(true);
    expect(existsSync(join(stateDir, 'krabkrab.json.bak.2'))).toBe(false);

    const failed = await runCli(
      ['channels', 'login', 'signal'],
      cleanEnv({ krabkrab_STATE_DIR: stateDir, PATH: bin.path, FAKE_SIGNAL_LINK_FAIL: '1' }),
    );
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/signal-cli link failed \(exit code 3\): ERROR LinkCommand/);
    const missing = await runCli(
      ['channels', 'login', 'signal'],
      cleanEnv({ krabkrab_STATE_DIR: stateDir, PATH: '/nonexistent' }),
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('signal-cli not found');
  });
});
