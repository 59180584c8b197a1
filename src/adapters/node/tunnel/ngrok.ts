import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { envVar } from '../../../core/env';
import { createBackoff } from '../../../core/runtime/backoff';
import { systemClock } from '../../../core/runtime/clock';
import { sleep } from '../../../core/runtime/sleep';
import { lastLine } from './run-command';
import type { RunnerHost, TunnelRunner } from './types';

/** Restart delays after the agent exits; a run longer than STABLE_MS starts the sequence over. */
const BACKOFF_MS = [500, 1000, 2000, 5000, 10_000, 30_000];
const STABLE_MS = 30_000;
const URL_TIMEOUT_MS = 20_000;
const STOP_GRACE_MS = 3000;
const DEFAULT_API_ADDR = '127.0.0.1:4040';

interface NgrokTunnel {
  public_url?: string;
  config?: { addr?: string };
}

/**
 * Runs the ngrok agent (`ngrok http <port> --log stdout --log-format json`) pointed at the
 * gateway's port, reads the public URL from the agent's local API (`/api/tunnels`, at the
 * address the agent logs as "starting web service"), restarts it with backoff when it exits,
 * and stops it on shutdown. The authtoken goes to the child through `NGROK_AUTHTOKEN`, never argv.
 */
export const startNgrok: TunnelRunner = async (host) => {
  const { ctx, plan, port } = host;
  const log = ctx.log.scope('tunnel');
  const command = plan.ngrok.path ?? 'ngrok';
  const authtoken = envVar(ctx.env, 'NGROK_AUTHTOKEN') ?? plan.ngrok.authtoken;
  const configFile = plan.ngrok.apiAddr
    ? await writeAgentConfig(host.stateDir, plan.ngrok.apiAddr)
    : undefined;
  const env: NodeJS.ProcessEnv = { ...ctx.env, ...(authtoken ? { NGROK_AUTHTOKEN: authtoken } : {}) };
  const args = ['http', String(port), '--log', 'stdout', '--log-format', 'json'];
  if (plan.ngrok.domain)
    args.push(
      '--url',
      plan.ngrok.domain.includes('://') ? plan.ngrok.domain : `https://${plan.ngrok.domain}`,
    );
  if (configFile) args.push('--config', configFile);

  let child: ChildProcess | undefined;
  let stopping = false;
  let restarts = 0;
  let failures = 0;
  let restartTimer: NodeJS.Timeout | undefined;
  const killOnExit = () => child?.kill('SIGKILL');
  process.once('exit', killOnExit);

  const launch = (): void => {
    const startedAt = Date.now();
    const proc = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    let apiAddr = plan.ngrok.apiAddr ?? DEFAULT_API_ADDR;
    let fatal: string | undefined;
    let stderr = '';
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      const entry = parseLogLine(line);
      if (!entry) return;
      if (entry.msg === 'starting web service' && typeof entry.addr === 'string') apiAddr = entry.addr;
      if (entry.lvl === 'eror' || entry.lvl === 'crit') {
        const detail = `${entry.msg ?? ''}${entry.err ? `: ${String(entry.err)}` : ''}`;
        log.warn(`ngrok: ${detail}`);
        if (/ERR_NGROK_(4018|105|107)|authtoken/i.test(detail)) {
          fatal =
            'ngrok refused to start without a valid authtoken: set NGROK_AUTHTOKEN (fly secrets set NGROK_AUTHTOKEN=...)';
        }
      }
    });
    proc.stderr!.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    proc.on('error', (error: NodeJS.ErrnoException) => {
      if (proc !== child) return;
      child = undefined;
      const message =
        error.code === 'ENOENT'
          ? `ngrok not found ("${command}" on PATH): install the ngrok agent or set gateway.tunnel.ngrok.path`
          : `could not start ngrok: ${error.message}`;
      log.error(message);
      void host.report({ state: 'failed', error: message, restarts });
    });
    proc.on('exit', (code, signal) => {
      if (proc !== child) return;
      child = undefined;
      if (stopping) return;
      if (Date.now() - startedAt > STABLE_MS) failures = 0;
      const how = signal ? `signal ${signal}` : `code ${code}`;
      if (fatal || /authtoken|ERR_NGROK_4018/i.test(stderr)) {
        const message = fatal ?? 'ngrok refused to start without a valid authtoken: set NGROK_AUTHTOKEN';
        log.error(`ngrok exited (${how}): ${message}`);
        void host.report({ state: 'failed', error: message, restarts });
        return;
      }
      const delay = BACKOFF_MS[Math.min(failures, BACKOFF_MS.length - 1)]!;
      failures++;
      restarts++;
      const why = lastLine(stderr);
      log.warn(`ngrok exited (${how}${why ? `: ${why}` : ''}); restarting in ${delay / 1000} s`);
      void host.report({ state: 'restarting', error: `ngrok exited (${how})`, restarts });
      restartTimer = setTimeout(launch, delay);
    });
    void discoverUrl(
      host,
      proc,
      () => apiAddr,
      () => proc === child && !stopping,
    ).then((url) => {
      if (url) return host.report({ state: 'up', url, restarts });
      if (proc !== child || stopping) return;
      log.warn(
        `ngrok gave no public URL within ${URL_TIMEOUT_MS / 1000} s (asked http://${apiAddr}/api/tunnels); restarting it`,
      );
      proc.kill('SIGTERM');
    });
  };

  await host.report({ state: 'starting' });
  log.info(`starting ngrok for port ${port}`);
  launch();

  return {
    async stop() {
      stopping = true;
      clearTimeout(restartTimer);
      process.off('exit', killOnExit);
      const proc = child;
      if (proc && proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
        proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), STOP_GRACE_MS);
        await Promise.race([exited, sleep(systemClock, STOP_GRACE_MS + 2000)]);
        clearTimeout(timer);
      }
      child = undefined;
      log.info('ngrok stopped');
      await host.report({ state: 'stopped', restarts });
    },
  };
};

/** Polls the agent's local API until it lists an https tunnel to our port; undefined on timeout or exit. */
async function discoverUrl(
  host: RunnerHost,
  proc: ChildProcess,
  apiAddr: () => string,
  alive: () => boolean,
): Promise<string | undefined> {
  const deadline = Date.now() + URL_TIMEOUT_MS;
  const backoff = createBackoff(systemClock, { first: 100, max: 500 });
  while (Date.now() < deadline && alive() && proc.exitCode === null) {
    try {
      const res = await fetch(`http://${apiAddr()}/api/tunnels`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) {
        const body = (await res.json()) as { tunnels?: NgrokTunnel[] };
        const tunnels = (body.tunnels ?? []).filter((t) => t.public_url?.startsWith('https://'));
        const ours =
          tunnels.find((t) => t.config?.addr?.replace(/\/+$/, '').endsWith(`:${host.port}`)) ??
          (tunnels.length === 1 ? tunnels[0] : undefined);
        if (ours?.public_url) return ours.public_url.replace(/\/+$/, '');
      }
    } catch {
      // The API is not up yet.
    }
    await backoff.wait();
  }
  return undefined;
}

function parseLogLine(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** A config file with only the local API address, kept in the state dir (`--config` as the real agent takes it). */
async function writeAgentConfig(stateDir: string, apiAddr: string): Promise<string> {
  const dir = join(stateDir, 'tunnel');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, 'ngrok.yml');
  await writeFile(file, `version: 3\nagent:\n  web_addr: ${apiAddr}\n`, { mode: 0o600 });
  return file;
}
