import { createAgentRuntime } from './agent/lazy-runtime';
import type { AgentRuntimeDeps } from './agent/types';
import { createGatewayAuth } from './auth/gateway-auth';
import { createAuthThrottle } from './auth/throttle';
import { createChannelRegistry } from './channels/registry';
import { createConfigStore } from './config/config-store';
import type { LoadedConfig } from './config/parse';
import { secretValues } from './config/redact';
import type { GatewayContext, RuntimeInfo } from './context';
import type { EnvRecord } from './env';
import type { LogHub } from './log/logger';
import { createInboundPipeline } from './pipeline/pipeline';
import { createModelRouter } from './providers/router';
import type { ModelRouter } from './providers/types';
import type { StaticAssets } from './runtime/assets';
import type { Clock } from './runtime/clock';
import { createEventHub } from './runtime/events';
import type { Store } from './storage/store';

export interface ContextDeps {
  loaded: LoadedConfig;
  env: EnvRecord;
  store: Store;
  clock: Clock;
  runtime: RuntimeInfo;
  /** The log hub (adapters create it first, to log while they start). */
  logs: LogHub;
  /** The gateway token in force (read at each check, so a rotated one applies at once). */
  token(): string;
  waitUntil(promise: Promise<unknown>): void;
  /** Writes the config file; absent where config is read-only (Workers). */
  persist?: (raw: Record<string, unknown>) => Promise<void>;
  assets?: StaticAssets;
  /** Runtime-specific agent needs (reading workspace files on Node). */
  agentDeps?: AgentRuntimeDeps;
  /** Replaces the provider router (scripted models in unit tests). */
  models?: ModelRouter;
}

/** Builds the gateway context the same way on every runtime; adapters only supply the deps. */
export function createGatewayContext(deps: ContextDeps): GatewayContext {
  const hub = deps.logs;
  hub.redactor.add(deps.token(), ...secretValues(deps.loaded.raw), ...secretValues(deps.loaded.config));
  const events = createEventHub();
  const configStore = createConfigStore({ initial: deps.loaded, env: deps.env, persist: deps.persist });
  configStore.onChange((next) => hub.redactor.add(...secretValues(next.raw), ...secretValues(next.config)));
  const config = () => configStore.current().config;
  const models =
    deps.models ??
    createModelRouter({ config, env: deps.env, store: deps.store, clock: deps.clock, log: hub.logger });
  const base = {
    config,
    configStore,
    env: deps.env,
    store: deps.store,
    log: hub.logger,
    logs: hub,
    clock: deps.clock,
    events,
    channels: createChannelRegistry(events, deps.clock.now),
    auth: createGatewayAuth(deps.token, createAuthThrottle(deps.clock)),
    runtime: deps.runtime,
    waitUntil: deps.waitUntil,
    assets: deps.assets,
    models,
  };
  // The agent runtime and the pipeline are built from the parts they use; only tools, when they
  // run, see the whole context (read through the closure, so it is complete by then).
  const agents = createAgentRuntime(base, () => ctx, deps.agentDeps);
  const pipeline = createInboundPipeline({ ...base, agents });
  const ctx: GatewayContext = { ...base, agents, pipeline };
  return ctx;
}
