import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli as runCliInProcess } from '../../src/adapters/node/cli/main';
import {
  cleanEnv,
  type GatewayProcess,
  removeDir,
  runCli,
  startGateway,
  tempStateDir,
} from '../helpers/gateway-process';
import { ControlClient } from '../helpers/ws-client';

/** The CLI in this process (spawning one costs a second or more on a busy machine); one test spawns the real binary. */
async function cli(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCliInProcess(args, {
    env,
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
  });
  return { code, stdout, stderr };
}

/** Polls `check` (bounded) until it returns a value. */
async function until<T>(check: () => Promise<T | undefined>, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('cron on the running gateway (WS methods, one-shot timer, CLI)', () => {
  let gateway: GatewayProcess;
  let client: ControlClient;
  let token: string;
  const stateDir = tempStateDir('krab-cron-');

  beforeAll(async () => {
    gateway = await startGateway({ stateDir });
    token = (await cli(['token'], cleanEnv({ krabkrab_STATE_DIR: stateDir }))).stdout.trim();
    client = await ControlClient.connect(`ws://127.0.0.1:${gateway.port}`, token);
  });
  afterAll(async () => {
    client?.close();
    await gateway?.stop();
    removeDir(stateDir);
  });

  it('adds a one-shot job that the gateway timer runs at its time, once', async () => {
    const at = new Date(Date.now() + 1500).toISOString();
    const added = await client.request('cron.add', {
      id: 'soon',
      schedule: { at },
      message: 'hello',
      mode: 'text',
    });
    expect(added.ok).toBe(true);
    expect(added.payload.job).toMatchObject({
      id: 'soon',
      source: 'runtime',
      enabled: true,
      nextRunAt: new Date(Date.parse(at)).toISOString(),
    });
    const runs = await until(async () => {
      const res = await client.request('cron.runs', { id: 'soon' });
      return res.payload.runs.some((r: { status: string }) => r.status === 'ok')
        ? res.payload.runs
        : undefined;
    });
    expect(runs.map((r: { status: string; trigger: string }) => [r.status, r.trigger])).toEqual([
      ['ok', 'schedule'],
    ]);
    const list = await client.request('cron.list');
    expect(list.payload.jobs.find((j: { id: string }) => j.id === 'soon')).toMatchObject({
      enabled: false,
      lastRun: { status: 'ok' },
    });
    await gateway.waitForLine(/\[cron\] job soon: ok in/);
  });

  it('runs a job by hand, lists it, removes it; bad input is a clear error', async () => {
    expect(
      (await client.request('cron.add', { id: 'manual', schedule: '0 9 * * *', message: 'hi', mode: 'text' }))
        .ok,
    ).toBe(true);
    const run = await client.request('cron.run', { id: 'manual' });
    expect(run.payload.run).toMatchObject({ status: 'ok', trigger: 'manual', output: '⏰ Reminder: hi' });
    expect(
      (await client.request('cron.add', { id: 'manual', schedule: '0 9 * * *', message: 'again' })).error,
    ).toMatchObject({ code: 'CONFLICT' });
    const bad = await client.request('cron.add', { id: 'bad', schedule: '61 * * * *', message: 'x' });
    expect(bad.error?.code).toBe('INVALID_PARAMS');
    expect(bad.error?.message).toMatch(/schedule: invalid cron expression "61 \* \* \* \*"/);
    expect(
      (await client.request('cron.add', { id: 'tz', schedule: '0 9 * * *', tz: 'Mars/Base', message: 'x' }))
        .error?.message,
    ).toMatch(/tz: expected an IANA time zone/);
    expect((await client.request('cron.run', { id: 'nope' })).error?.code).toBe('NOT_FOUND');
    expect((await client.request('cron.remove', { id: 'manual' })).ok).toBe(true);
    expect((await client.request('cron.runs', { id: 'manual' })).error?.code).toBe('NOT_FOUND');
  });

  it('the CLI talks to the running gateway with the stored token', { timeout: 60_000 }, async () => {
    const env = cleanEnv({ krabkrab_STATE_DIR: stateDir });
    const added = await cli(
      [
        'cron',
        'add',
        '--id',
        'from-cli',
        '--cron',
        '30 7 * * 1-5',
        '--tz',
        'Europe/Berlin',
        '--message',
        'Plan my day',
      ],
      env,
    );
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/^added from-cli {2}cron "30 7 \* \* 1-5" Europe\/Berlin {2}next \d{4}-/);
    expect(added.stdout).not.toMatch(/no gateway is running/);
    // It went through the gateway: the WS listing sees it at once.
    const list = await client.request('cron.list');
    expect(list.payload.jobs.map((j: { id: string }) => j.id)).toContain('from-cli');
    const listed = await runCli(['cron', 'list', '--json'], env);
    expect(JSON.parse(listed.stdout).map((j: { id: string }) => j.id)).toEqual(
      expect.arrayContaining(['soon', 'from-cli']),
    );
    const bad = await cli(['cron', 'add', '--every', '1h', '--cron', '* * * * *', '--message', 'x'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/exactly one of --cron/);
    const run = await cli(['cron', 'run', 'soon'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/ok {2}manual/);
    expect((await cli(['cron', 'remove', 'from-cli'], env)).code).toBe(0);
    const missing = await cli(['cron', 'remove', 'from-cli'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no cron job "from-cli"/);
  });
});

describe('cron CLI without a running gateway', () => {
  it('edits the store; the gateway started later picks the job up and schedules it', {
    timeout: 60_000,
  }, async () => {
    const stateDir = tempStateDir('krab-cron-offline-');
    try {
      const env = cleanEnv({ krabkrab_STATE_DIR: stateDir });
      const added = await cli(
        [
          'cron',
          'add',
          '--id',
          'offline',
          '--every',
          '1h',
          '--message',
          'later',
          '--text',
          '--channel',
          'telegram',
          '--to',
          '42',
        ],
        env,
      );
      expect(added.code).toBe(0);
      expect(added.stdout).toMatch(/no gateway is running: saved to the state dir/);
      const listed = await cli(['cron', 'list'], env);
      expect(listed.stdout).toMatch(/^offline {2}every 1h {2}next .* -> telegram:42 {2}\(runtime\)/);
      expect((await cli(['cron', 'run', 'offline'], env)).stderr).toMatch(/needs the gateway/);
      const gateway = await startGateway({ stateDir });
      try {
        const token = (await cli(['token'], env)).stdout.trim();
        const client = await ControlClient.connect(`ws://127.0.0.1:${gateway.port}`, token);
        const list = await client.request('cron.list');
        expect(list.payload.jobs).toEqual([
          expect.objectContaining({
            id: 'offline',
            source: 'runtime',
            deliver: { channel: 'telegram', to: '42' },
          }),
        ]);
        client.close();
        await gateway.waitForLine(/\[cron\] scheduler started: next run at/);
      } finally {
        await gateway.stop();
      }
      expect((await cli(['cron', 'remove', 'offline'], env)).stdout).toBe('removed offline\n');
      expect((await cli(['cron', 'list'], env)).stdout).toBe('no cron jobs\n');
    } finally {
      removeDir(stateDir);
    }
  });
});
