import { DurableObject } from 'cloudflare:workers';
import type { GatewayContext } from '../../core/context';
import { handleScheduledTick } from '../../core/cron/tick';
import { gatewayVar } from '../../core/env';
import { GatewayError } from '../../core/errors';
import { createGatewayContext } from '../../core/gateway-context';
import { createLogHub } from '../../core/log/logger';
import { connectHttp } from '../../core/mcp/connect-http';
import { attachMcpHolder, type McpHolder } from '../../core/mcp/registry';
import { startMcp } from '../../core/mcp/start';
import { mcpToolSource } from '../../core/mcp/tools';
import { type ControlConnection, openControlConnection } from '../../core/protocol/connection';
import { systemClock } from '../../core/runtime/clock';
import { createStore } from '../../core/storage/store';
import { VERSION } from '../../core/version';
import { createApp } from '../../handlers/app';
import { errorResponse } from '../../handlers/respond';
import { isControlUpgrade, refuseControlUpgrade } from '../../handlers/ws-control';
import { type AssetsBinding, assetsFromBinding } from './assets-binding';
import { durableObjectDriver } from './do-storage-driver';
import type { CfWebSocket, DurableObjectState } from './platform';
import { registerWorkerChannels, reportNodeOnlyParts } from './unavailable';
import { readWorkerConfig, stringBindings } from './worker-env';

interface Gateway {
  ctx: GatewayContext;
  app: ReturnType<typeof createApp>;
}

interface SocketAttachment {
  address: string;
  authenticated: boolean;
}

/** How long the object stays awake after a webhook so slow work finishes; the alarm replays what did not. */
const BACKSTOP_ALARM_MS = 30_000;

/**
 * The whole gateway on Workers, in one Durable Object: its storage is the store, it serializes
 * every conversation, holds the hibernatable control WebSockets, and its alarm finishes work
 * that a request's lifetime cut short.
 */
export class KrabKrabGateway extends DurableObject<Record<string, unknown>> {
  // Set before any event is delivered: the constructor builds it under blockConcurrencyWhile.
  #gateway!: Gateway | GatewayError;
  #connections = new Map<CfWebSocket, ControlConnection>();

  constructor(ctx: DurableObjectState, env: Record<string, unknown>) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => {
      this.#gateway = await this.#create();
    });
  }

  async #create(): Promise<Gateway | GatewayError> {
    const env = stringBindings(this.env);
    const config = await readWorkerConfig(env);
    if (!config.ok) {
      console.error(`[gateway] ${config.message}`);
      return new GatewayError('INVALID_CONFIG', 'gateway misconfigured: see the Worker log', { status: 500 });
    }
    const token = gatewayVar(env, 'GATEWAY_TOKEN') ?? '';
    const store = createStore({ drivers: { default: durableObjectDriver({ storage: this.ctx.storage }) } });
    const mcp: McpHolder = { manager: undefined };
    const ctx = createGatewayContext({
      loaded: config.value,
      env,
      store,
      clock: systemClock,
      token: () => token,
      logs: createLogHub({
        write: (record) =>
          (record.level === 'error' || record.level === 'warn' ? console.error : console.log)(record.line),
        now: Date.now,
      }),
      waitUntil: (promise) => {
        this.ctx.waitUntil(promise);
        void this.ctx.storage.setAlarm(Date.now() + BACKSTOP_ALARM_MS);
      },
      assets: this.env.ASSETS ? assetsFromBinding(this.env.ASSETS as AssetsBinding) : undefined,
      runtime: { kind: 'workers', version: VERSION, startedAt: Date.now(), phase: () => 'ready' },
      agentDeps: { toolSources: [mcpToolSource(mcp)] },
    });
    attachMcpHolder(ctx, mcp);
    // HTTP servers only (the SDK is imported when the first one connects); a stdio server is
    // `unsupported` in `status.mcp`, since a Worker starts no process. The object has no shutdown
    // hook: its sessions and config subscription end with it, and open again when it next starts.
    startMcp(ctx, mcp, { connect: connectHttp, stdio: false });
    reportNodeOnlyParts(ctx);
    registerWorkerChannels(ctx);
    if (!token)
      ctx.log.warn(
        'no krabkrab_GATEWAY_TOKEN secret set: the control connection and the API refuse every token',
      );
    const app = createApp(ctx, {
      clientAddress: (_bindings, req) => req.headers.get('cf-connecting-ip') ?? 'unknown',
    });
    return { ctx, app };
  }

  async fetch(request: Request): Promise<Response> {
    const gateway = this.#gateway;
    if (gateway instanceof GatewayError) return errorResponse(gateway);
    // The same guard as Node's app (ws-control.ts); only the hibernatable accept differs.
    if (isControlUpgrade(request))
      return refuseControlUpgrade(request, gateway.ctx) ?? this.#upgrade(gateway, request);
    return gateway.app.fetch(request);
  }

  #upgrade(gateway: Gateway, request: Request): Response {
    const pair = new WebSocketPair();
    const [client, server] = [pair[0], pair[1]];
    this.ctx.acceptWebSocket(server);
    const attachment: SocketAttachment = {
      address: request.headers.get('cf-connecting-ip') ?? 'unknown',
      authenticated: false,
    };
    server.serializeAttachment(attachment);
    this.#connections.set(server, this.#open(gateway.ctx, server, attachment));
    return new Response(null, { status: 101, webSocket: client } as ResponseInit);
  }

  #open(ctx: GatewayContext, ws: CfWebSocket, attachment: SocketAttachment): ControlConnection {
    return openControlConnection(
      ctx,
      { send: (text) => ws.send(text), close: (code, reason) => ws.close(code, reason) },
      {
        address: attachment.address,
        resumeAuthenticated: attachment.authenticated,
        onAuthenticated: () => ws.serializeAttachment({ ...attachment, authenticated: true }),
      },
    );
  }

  /** After hibernation the object is new: a socket's connection is rebuilt from its attachment. */
  #connectionFor(ws: CfWebSocket): ControlConnection | undefined {
    const existing = this.#connections.get(ws);
    if (existing) return existing;
    const gateway = this.#gateway;
    if (gateway instanceof GatewayError) return undefined;
    const connection = this.#open(gateway.ctx, ws, ws.deserializeAttachment() as SocketAttachment);
    this.#connections.set(ws, connection);
    return connection;
  }

  async webSocketMessage(ws: CfWebSocket, message: string | ArrayBuffer): Promise<void> {
    this.#connectionFor(ws)?.onMessage(message);
  }

  async webSocketClose(ws: CfWebSocket): Promise<void> {
    this.#connections.get(ws)?.onClose();
    this.#connections.delete(ws);
  }

  async webSocketError(ws: CfWebSocket): Promise<void> {
    await this.webSocketClose(ws);
  }

  /** The cron trigger's tick, called by the Worker's `scheduled()` over RPC. */
  async tick(now: number): Promise<{ ok: boolean }> {
    const gateway = this.#gateway;
    if (gateway instanceof GatewayError) return { ok: false };
    for (const task of SCHEDULED_TASKS) await task(gateway.ctx, now);
    return { ok: true };
  }

  /** The backstop: whatever a request's lifetime cut short is picked up here. */
  async alarm(): Promise<void> {
    const gateway = this.#gateway;
    if (gateway instanceof GatewayError) return;
    for (const task of ALARM_TASKS) await task(gateway.ctx, Date.now());
  }
}

/** Work run at each cron trigger (the scheduled-jobs tick). */
export const SCHEDULED_TASKS: Array<(ctx: GatewayContext, now: number) => Promise<unknown>> = [
  handleScheduledTick,
];
/** Work run when the backstop alarm fires: messages acknowledged but not yet answered are answered now. */
export const ALARM_TASKS: Array<(ctx: GatewayContext, now: number) => Promise<unknown>> = [
  (ctx) => ctx.pipeline.replay(),
];
