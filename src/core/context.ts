import type { AgentRuntime } from './agent/types';
import type { GatewayAuth } from './auth/gateway-auth';
import type { ChannelRegistry } from './channels/registry';
import type { ConfigStore } from './config/config-store';
import type { KrabConfig } from './config/schema';
import type { EnvRecord } from './env';
import type { Logger, LogHub } from './log/logger';
import type { InboundPipeline } from './pipeline/types';
import type { ModelRouter } from './providers/types';
import type { StaticAssets } from './runtime/assets';
import type { Clock } from './runtime/clock';
import type { EventHub } from './runtime/events';
import type { Store } from './storage/store';

export type RuntimeKind = 'node' | 'workers';
export type Phase = 'starting' | 'ready' | 'stopping';

/** Facts about the running gateway for `status`. */
export interface RuntimeInfo {
  kind: RuntimeKind;
  version: string;
  startedAt: number;
  pid?: number;
  bind?: string;
  host?: string;
  port?: number;
  stateDir?: string;
  phase(): Phase;
}

/**
 * The gateway's parts, built once by `createGatewayContext` (gateway-context.ts) the same way on
 * every runtime; the adapter supplies only storage, clock, env and logs. Nothing in core or the
 * handlers reaches for a global, `process`, the file system or a timer: it comes through here.
 *
 * It is not small, and most code does not get it whole. Only the tables' entry points do (route
 * handlers, control methods, tools, and the gateway's start, which hands it to each Node service);
 * every part below them takes what it reads, as `Pick<GatewayContext, ...>` or a named pick
 * (`ChannelContext`, `PipelineContext`, `StatusContext`, `CronRunContext`, `TunnelStateContext`...),
 * so its signature says what it touches. Using a new member in such a part means adding it to its pick.
 */
export interface GatewayContext {
  config(): KrabConfig;
  configStore: ConfigStore;
  /** Env as handed in by the adapter; secrets are read from here first (env wins over config). */
  env: EnvRecord;
  store: Store;
  log: Logger;
  logs: LogHub;
  clock: Clock;
  events: EventHub;
  channels: ChannelRegistry;
  auth: GatewayAuth;
  runtime: RuntimeInfo;
  waitUntil(promise: Promise<unknown>): void;
  /** The model router: keys, rotation, failover and cooldowns (`ctx.models.stream(...)`). */
  models: ModelRouter;
  /** Agent runs and sessions (`ctx.agents.runTurn`); built by `createGatewayContext`. */
  agents: AgentRuntime;
  /** Where every channel hands its normalized messages (`ctx.pipeline.accept`). */
  pipeline: InboundPipeline;
  /** The Control UI's built files, when this runtime serves them. */
  assets?: StaticAssets;
}
