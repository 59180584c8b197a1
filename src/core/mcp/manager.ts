import type { KrabConfig } from '../config/schema';
import { GatewayError } from '../errors';
import type { Logger } from '../log/logger';
import type { Clock } from '../runtime/clock';
import type { McpConnection, McpConnector, McpServerConfig, McpServerState, McpServerStatus } from './types';

export const DEFAULT_TIMEOUT_SECONDS = 30;
const FIRST_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 30_000;
/** A session that lasted this long was healthy: the next failure starts the backoff over. */
const STABLE_MS = 60_000;

interface Entry {
  name: string;
  server: McpServerConfig;
  /** The config it was started with, to see whether a reload changed it. */
  key: string;
  state: McpServerState;
  connection?: McpConnection;
  lastError?: string;
  restarts: number;
  attempt: number;
  since: number;
  cancelRetry?: () => void;
  /** Bumped on every (re)connect and stop, so a late answer of an old attempt is ignored. */
  generation: number;
}

export interface McpManagerDeps {
  config(): KrabConfig;
  clock: Clock;
  log: Logger;
  /** Opens sessions; stdio is only offered where `stdio` is true (Node). */
  connect: McpConnector;
  stdio: boolean;
  /** Called on every state change (status events for the Control UI). */
  onChange?(status: McpServerStatus): void;
}

export interface McpManager {
  /** Starts, restarts or stops servers so they match the config; unchanged ones are left alone. */
  sync(): void;
  /** Ready servers with their tools. */
  ready(): Array<{ name: string; server: McpServerConfig; connection: McpConnection }>;
  call(server: string, tool: string, args: Record<string, unknown>, signal?: AbortSignal): Promise<unknown>;
  status(): McpServerStatus[];
  /** Closes every session (stdio servers' processes end) and cancels pending restarts. */
  close(): Promise<void>;
}

/**
 * Keeps one session per configured MCP server. A server that fails to start or whose session
 * ends (a stdio process that exits) is retried with backoff 0.5 s, 1 s, 2 s ... 30 s; each state
 * change is one log line, not each retry.
 */
export function createMcpManager(deps: McpManagerDeps): McpManager {
  const log = deps.log.scope('mcp');
  const entries = new Map<string, Entry>();
  let closed = false;

  const timeoutMs = (server: McpServerConfig) => (server.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000;

  function setState(entry: Entry, state: McpServerState, error?: string): void {
    const changed = entry.state !== state;
    entry.state = state;
    if (error !== undefined) entry.lastError = error;
    if (!changed) return;
    entry.since = deps.clock.now();
    deps.onChange?.(statusOf(entry));
  }

  function connect(entry: Entry): void {
    const generation = ++entry.generation;
    // A retry stays `retrying` until it succeeds: one state change (and log line) per outage, not per attempt.
    if (entry.state !== 'retrying') setState(entry, 'connecting');
    const started = deps.clock.now();
    deps
      .connect(entry.name, entry.server, {
        timeoutMs: timeoutMs(entry.server),
        onClose: (reason) => {
          if (generation !== entry.generation || closed || !entry.connection) return;
          entry.connection = undefined;
          if (deps.clock.now() - started >= STABLE_MS) entry.attempt = 0;
          fail(entry, `the session ended: ${reason}`);
        },
      })
      .then(
        (connection) => {
          if (generation !== entry.generation || closed) return void connection.close().catch(() => {});
          entry.connection = connection;
          for (const problem of connection.skipped) log.warn(`${entry.name}: tool ${problem}: skipped`);
          log.info(`${entry.name}: connected, ${connection.tools.length} tool(s)`);
          entry.lastError = undefined;
          setState(entry, 'ready');
        },
        (error: unknown) => {
          if (generation !== entry.generation || closed) return;
          fail(entry, errorText(error));
        },
      );
  }

  function fail(entry: Entry, error: string): void {
    const delay = Math.min(FIRST_BACKOFF_MS * 2 ** entry.attempt, MAX_BACKOFF_MS);
    entry.attempt++;
    if (entry.state !== 'retrying' || entry.lastError !== error)
      log.warn(
        `${entry.name}: ${error}; retrying in ${delay / 1000} s (and with backoff up to ${MAX_BACKOFF_MS / 1000} s)`,
      );
    setState(entry, 'retrying', error);
    entry.restarts++;
    entry.cancelRetry = deps.clock.setTimer(() => {
      entry.cancelRetry = undefined;
      if (!closed && entries.get(entry.name) === entry) connect(entry);
    }, delay);
  }

  async function stop(entry: Entry): Promise<void> {
    entry.generation++;
    entry.cancelRetry?.();
    entry.cancelRetry = undefined;
    const connection = entry.connection;
    entry.connection = undefined;
    await connection?.close().catch((error) => log.warn(`${entry.name}: close failed: ${errorText(error)}`));
  }

  function sync(): void {
    if (closed) return;
    const servers = deps.config().mcp?.servers ?? {};
    for (const [name, entry] of entries) {
      if (Object.hasOwn(servers, name) && JSON.stringify(servers[name]) === entry.key) continue;
      entries.delete(name);
      void stop(entry).then(() => log.info(`${name}: stopped (config changed)`));
    }
    for (const [name, server] of Object.entries(servers)) {
      if (entries.has(name)) continue;
      const entry: Entry = {
        name,
        server,
        key: JSON.stringify(server),
        state: 'stopped',
        restarts: 0,
        attempt: 0,
        since: deps.clock.now(),
        generation: 0,
      };
      entries.set(name, entry);
      if (server.enabled === false) setState(entry, 'disabled');
      else if (server.command && !deps.stdio)
        setState(entry, 'unsupported', 'stdio servers (command) need the Node gateway; use url here');
      else connect(entry);
    }
  }

  return {
    sync,
    ready: () =>
      [...entries.values()].flatMap((entry) =>
        entry.state === 'ready' && entry.connection
          ? [{ name: entry.name, server: entry.server, connection: entry.connection }]
          : [],
      ),
    async call(server, tool, args, signal) {
      const entry = entries.get(server);
      if (!entry?.connection || entry.state !== 'ready')
        throw new GatewayError(
          'UNAVAILABLE',
          `MCP server ${server} is not connected (${entry?.state ?? 'not configured'}${entry?.lastError ? `: ${entry.lastError}` : ''})`,
        );
      const timeout = timeoutMs(entry.server);
      try {
        return await entry.connection.call(tool, args, { timeoutMs: timeout, ...(signal ? { signal } : {}) });
      } catch (error) {
        throw new GatewayError('UNAVAILABLE', `MCP server ${server}: ${errorText(error)}`, { cause: error });
      }
    },
    status: () => [...entries.values()].map(statusOf),
    async close() {
      closed = true;
      await Promise.all([...entries.values()].map(stop));
      for (const entry of entries.values()) setState(entry, 'stopped');
    },
  };
}

function statusOf(entry: Entry): McpServerStatus {
  return {
    name: entry.name,
    transport: entry.server.command ? 'stdio' : 'http',
    state: entry.state,
    tools: entry.state === 'ready' ? (entry.connection?.tools.map((tool) => tool.name) ?? []) : [],
    ...(entry.lastError ? { lastError: entry.lastError } : {}),
    restarts: entry.restarts,
    ...(entry.connection?.pid ? { pid: entry.connection.pid } : {}),
    since: entry.since,
  };
}

/** One line, never long (an HTML error page is not an error message). */
export function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line || 'unknown error';
}
