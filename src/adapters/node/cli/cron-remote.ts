import WebSocket from 'ws';
import { gatewayVar } from '../../../core/env';
import { readConfigFile } from '../config-file';
import { CliError, EXIT } from '../exit-codes';
import { STORED_TOKEN_KEY } from '../gateway-token';
import { inspectLock } from '../lock';
import { createNodeStore } from '../node-store';

const CALL_TIMEOUT_MS = 15_000;

/** How the CLI reaches a running gateway: its control URL and token. */
export interface GatewayEndpoint {
  url: string;
  token: string;
}

/**
 * The gateway running on this state dir, if any: its port from the live lock file, its token
 * from `--token`, env, the config, or the one stored in the state dir. Undefined when none runs.
 */
export async function findRunningGateway(options: {
  stateDir: string;
  configPath: string;
  env: NodeJS.ProcessEnv;
  url?: string;
  token?: string;
}): Promise<GatewayEndpoint | undefined> {
  let url = options.url;
  if (url !== undefined && !isWebSocketUrl(url)) {
    throw new CliError(
      `--url must be a ws:// or wss:// URL, e.g. ws://127.0.0.1:18789, got ${JSON.stringify(url)}`,
      EXIT.USAGE,
    );
  }
  if (!url) {
    const lock = await inspectLock(options.stateDir).catch(() => undefined);
    if (!lock || lock.stale || !lock.info.port) return undefined;
    url = `ws://127.0.0.1:${lock.info.port}/`;
  }
  const token =
    options.token ??
    gatewayVar(options.env, 'GATEWAY_TOKEN')?.trim() ??
    (await configToken(options.configPath, options.env)) ??
    (await storedToken(options.stateDir));
  if (!token)
    throw new CliError(
      'a gateway is running but no token was found: pass --token or set krabkrab_GATEWAY_TOKEN',
    );
  return { url, token };
}

function isWebSocketUrl(text: string): boolean {
  try {
    return ['ws:', 'wss:'].includes(new URL(text).protocol);
  } catch {
    return false;
  }
}

async function configToken(path: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const result = await readConfigFile(path, env);
  return result.ok === true ? result.value.config.gateway?.auth?.token : undefined;
}

async function storedToken(stateDir: string): Promise<string | undefined> {
  const store = createNodeStore(stateDir);
  try {
    const token = await store.get<string>(STORED_TOKEN_KEY);
    return typeof token === 'string' ? token : undefined;
  } finally {
    await store.dispose();
  }
}

/** One control-protocol call: connect with the token, send one request, return its payload. */
export function callGateway(
  endpoint: GatewayEndpoint,
  method: string,
  params: unknown,
  timeoutMs = CALL_TIMEOUT_MS,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(endpoint.url);
    const timer = setTimeout(
      () => finish(new CliError(`the gateway did not answer ${method} within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
    let settled = false;
    const finish = (error: Error | undefined, value?: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.close();
      if (error) reject(error);
      else resolve(value);
    };
    socket.on('error', (error) =>
      finish(new CliError(`cannot reach the gateway at ${endpoint.url}: ${error.message}`)),
    );
    socket.on('close', () => finish(new CliError('the gateway closed the connection')));
    socket.on('message', (data) => {
      let frame: {
        type?: string;
        event?: string;
        id?: unknown;
        ok?: boolean;
        payload?: unknown;
        error?: { code?: string; message?: string };
      };
      try {
        frame = JSON.parse(data.toString());
      } catch {
        return finish(new CliError('the gateway sent a frame that is not JSON'));
      }
      if (frame.type === 'event' && frame.event === 'connect.challenge') {
        socket.send(
          JSON.stringify({
            type: 'req',
            id: 'connect',
            method: 'connect',
            params: { protocol: 1, auth: { token: endpoint.token }, client: { name: 'krabkrab-cli' } },
          }),
        );
        return;
      }
      if (frame.type !== 'res') return;
      if (!frame.ok) return finish(new CliError(frame.error?.message ?? `${method} failed`));
      if (frame.id === 'connect') socket.send(JSON.stringify({ type: 'req', id: 'call', method, params }));
      else if (frame.id === 'call') finish(undefined, frame.payload);
    });
  });
}
