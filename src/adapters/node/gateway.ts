import { join } from 'node:path';
import type { LoadedConfig } from '../../core/config/parse';
import { formatProblem } from '../../core/config/problems';
import { secretValues } from '../../core/config/redact';
import type { GatewayContext, Phase } from '../../core/context';
import { readGatewayEnv } from '../../core/env';
import { createGatewayContext } from '../../core/gateway-context';
import { createLogHub, type LogRecord } from '../../core/log/logger';
import { attachMcpHolder, type McpHolder } from '../../core/mcp/registry';
import { mcpToolSource } from '../../core/mcp/tools';
import { systemClock } from '../../core/runtime/clock';
import { sleep } from '../../core/runtime/sleep';
import { createPendingWork } from '../../core/runtime/wait-until';
import { VERSION } from '../../core/version';
import { SKILLS_PREFIX } from '../../core/workspace/types';
import { resolveBind } from './bind';
import { readConfigFile, watchConfigFile, writeConfigFile, writeMinimalConfig } from './config-file';
import { createNodeExec } from './exec';
import { CliError, EXIT } from './exit-codes';
import { explicitToken, storedToken } from './gateway-token';
import { compileWasmWithLiftoffOnly } from './liftoff-only';
import { acquireLock } from './lock';
import { writeLogLine } from './log-sink';
import { createNodeMemoryFs } from './memory-fs';
import { createNodeStore } from './node-store';
import { envSecrets } from './secrets-from-env';
import { listen } from './server';
import { NODE_SERVICES, type ServiceHandle } from './services';
import { createSkillsLoader } from './skills/load';
import { ensureStateDir, resolveConfigPath, resolveStateDir } from './state-dir';
import { loadUiAssets } from './ui-assets';
import { createNodeWebTransport } from './web';
import { createNodeWorkspaceFs } from './workspace-fs';

export const DEFAULT_PORT = 18789;
const DRAIN_MS = 10_000;

export interface GatewayOptions {
  port?: number;
  bind?: string;
  token?: string;
  stateDir?: string;
  allowUnconfigured?: boolean;
  env: NodeJS.ProcessEnv;
  write?: (record: LogRecord) => void;
}

export interface RunningGateway {
  ctx: GatewayContext;
  port: number;
  host: string;
  stateDir: string;
  reloadConfig(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the long-running gateway: state dir, config, token, lock, server, services. */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  compileWasmWithLiftoffOnly();
  const env = options.env;
  let gatewayEnv: ReturnType<typeof readGatewayEnv>;
  try {
    gatewayEnv = readGatewayEnv(env);
  } catch (error) {
    throw new CliError((error as Error).message, EXIT.CONFIG);
  }
  const stateDir = resolveStateDir(options.stateDir, gatewayEnv.stateDir);
  await ensureStateDir(stateDir);
  const configPath = resolveConfigPath(stateDir, gatewayEnv.configPath);

  const hub = createLogHub({
    write: options.write ?? writeLogLine,
    now: Date.now,
    debug: Boolean(env.KRABKRAB_DEBUG),
  });
  const log = hub.logger;
  hub.redactor.add(...envSecrets(env), options.token);

  const loaded = await loadInitialConfig(configPath, env, Boolean(options.allowUnconfigured), log.info);
  hub.redactor.add(...secretValues(loaded.raw), ...secretValues(loaded.config));
  const config = loaded.config;

  const bind = resolveBind(options.bind ?? config.gateway?.bind ?? 'loopback', env);
  const port = options.port ?? gatewayEnv.port ?? config.gateway?.port ?? DEFAULT_PORT;
  const store = createNodeStore(stateDir);

  const explicit = explicitToken(options.token, gatewayEnv.token, config.gateway?.auth?.token);
  if (!explicit && !bind.loopback) {
    throw new CliError(
      `refusing to bind ${bind.host} (--bind ${bind.mode}) without a gateway token: set krabkrab_GATEWAY_TOKEN (e.g. fly secrets set krabkrab_GATEWAY_TOKEN=$(openssl rand -hex 32))`,
    );
  }
  const token = explicit ?? (await storedToken(store));
  hub.redactor.add(token.token);

  const lock = await acquireLock({ stateDir, port, log: log.info });
  let phase: Phase = 'starting';
  const pending = createPendingWork((error) => log.error('background work failed', error));
  const runtime = {
    kind: 'node' as const,
    version: VERSION,
    startedAt: Date.now(),
    pid: process.pid,
    bind: bind.mode,
    host: bind.host,
    port,
    stateDir,
    phase: () => phase,
  };
  // Started by the mcp service once the gateway listens; the agents' tool source reads it from here.
  const mcp: McpHolder = { manager: undefined };
  const exec = createNodeExec();
  const ctx = createGatewayContext({
    loaded,
    env,
    store,
    clock: systemClock,
    runtime,
    logs: hub,
    token: () => token.token,
    waitUntil: pending.waitUntil,
    persist: (raw) => writeConfigFile(configPath, raw),
    assets: await loadUiAssets(),
    agentDeps: {
      workspaceFs: ({ workspace }) =>
        createNodeWorkspaceFs(workspace, [{ prefix: SKILLS_PREFIX, dir: join(stateDir, 'skills') }], {
          stateDir,
        }),
      memoryFs: createNodeMemoryFs,
      toolSources: [mcpToolSource(mcp)],
      skills: createSkillsLoader({ stateDir, clock: systemClock, log }),
      exec,
      web: createNodeWebTransport(),
    },
  });
  attachMcpHolder(ctx, mcp);
  const { configStore } = ctx;

  let server: Awaited<ReturnType<typeof listen>>;
  try {
    server = await listen(ctx, bind.host, port, Boolean(env.FLY_APP_NAME));
  } catch (error) {
    await lock.release();
    throw error;
  }
  runtime.port = server.port;
  if (server.port !== port) await lock.setPort(server.port);
  const shownHost = bind.host.includes(':') ? `[${bind.host}]` : bind.host;
  log.info(`listening on ws://${shownHost}:${server.port} (PID ${process.pid})`);
  if (token.source === 'generated')
    log.info('generated a gateway token for loopback use; print it with `krabkrab token`');

  const handles: ServiceHandle[] = [];
  for (const service of NODE_SERVICES) {
    await yieldToPendingIo();
    try {
      const handle = await service.start({ ctx, stateDir, port: server.port, host: bind.host });
      if (handle) handles.push(handle);
    } catch (error) {
      log.error(`${service.name} failed to start`, error);
    }
  }
  phase = 'ready';
  // Messages acknowledged before a crash or restart are answered now, once (see core/pipeline).
  ctx.pipeline.replay().catch((error) => log.error('spool replay failed', error));

  async function reloadConfig(): Promise<void> {
    const result = await readConfigFile(configPath, env);
    if (result.ok === 'missing')
      return log.warn(`config reload skipped: ${configPath} is missing; keeping the last good config`);
    if (!result.ok) {
      log.error(`config reload rejected, keeping the last good config: ${result.problems.length} problem(s)`);
      for (const problem of result.problems) log.error(formatProblem(problem));
      return;
    }
    if (JSON.stringify(result.value.raw) === JSON.stringify(configStore.current().raw)) return;
    configStore.replace(result.value);
    log.info(`config reloaded from ${configPath}`);
  }
  const unwatch = watchConfigFile(configPath, () => void reloadConfig());

  let stopping: Promise<void> | undefined;
  function stop(): Promise<void> {
    stopping ??= (async () => {
      phase = 'stopping';
      unwatch();
      log.info('stopping: no new connections, finishing in-flight work');
      const closed = server.close();
      // Commands die with the gateway (their turns then finish with "killed" instead of holding the drain).
      await exec.stopAll();
      const drained = await pending.drain(DRAIN_MS, systemClock.setTimer);
      if (!drained)
        log.warn(`stopped waiting for ${pending.size} background task(s) after ${DRAIN_MS / 1000} s`);
      for (const handle of handles.reverse())
        await handle.stop().catch((error) => log.error('service stop failed', error));
      await Promise.race([closed, sleep(systemClock, 1000)]);
      await store.dispose().catch(() => {});
      await lock.release();
      log.info('stopped');
    })();
    return stopping;
  }

  return { ctx, port: server.port, host: bind.host, stateDir, reloadConfig, stop };
}

/**
 * Lets the event loop serve what came in (a health check, the Control UI, a webhook) before the
 * next service loads its code: Node 22 reads a dynamic import's files synchronously, so the
 * channels' libraries (Discord's and Telegram's ~400 KB) otherwise load back to back while
 * requests wait. Two turns of `setImmediate`: called from an I/O callback, the first runs before
 * the loop polls again, the second after it has (and so after the sockets that became readable).
 */
const yieldToPendingIo = () => new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));

async function loadInitialConfig(
  path: string,
  env: NodeJS.ProcessEnv,
  allowUnconfigured: boolean,
  info: (message: string) => void,
): Promise<LoadedConfig> {
  const result = await readConfigFile(path, env);
  if (result.ok === true) return result.value;
  if (result.ok === false) {
    throw new CliError(
      `invalid config ${path}:\n${result.problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`,
      EXIT.CONFIG,
    );
  }
  if (!allowUnconfigured) {
    throw new CliError(
      `no config at ${path}: create it (see README), or start with --allow-unconfigured to write a minimal one`,
      EXIT.CONFIG,
    );
  }
  const raw = await writeMinimalConfig(path);
  info(`wrote a minimal config to ${path}`);
  const written = await readConfigFile(path, env);
  if (written.ok !== true) throw new CliError(`could not read back ${path}`, EXIT.CONFIG);
  return { raw, config: written.value.config };
}
