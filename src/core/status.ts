import { agentsStatusSection } from './agent/status-section';
import type { GatewayContext } from './context';
import { mcpStatusSection } from './mcp/registry';
import { voiceStatusSection } from './plugins/voice-call/status';
import type { GatewayStatus } from './protocol/payloads/gateway';
import { modelsStatusSection } from './providers/status-section';
import { tunnelStatusSection } from './tunnel/state';
import { usageStatusSection } from './usage/status-section';

/** What status reads of the context: the runtime facts, the channels, and what its sections read. */
export type StatusContext = Pick<
  GatewayContext,
  | 'config'
  | 'env'
  | 'store'
  | 'log'
  | 'clock'
  | 'events'
  | 'runtime'
  | 'channels'
  | 'models'
  | 'agents'
  | 'pipeline'
>;

/** What `GET /api/status` and the `status` method report. Sections are added by concept (agents, tunnels). */
export async function buildStatus(ctx: StatusContext): Promise<GatewayStatus> {
  const { runtime } = ctx;
  // A section may read the store (usage): all of them are asked at once.
  const sections = await Promise.all(
    STATUS_SECTIONS.map(async ([name, section]) => [name, await section(ctx)] as const),
  );
  return {
    version: runtime.version,
    runtime: runtime.kind,
    pid: runtime.pid,
    phase: runtime.phase(),
    uptimeMs: ctx.clock.now() - runtime.startedAt,
    startedAt: new Date(runtime.startedAt).toISOString(),
    bind: runtime.bind,
    host: runtime.host,
    port: runtime.port,
    stateDir: runtime.stateDir,
    channels: ctx.channels.statuses(),
    ...Object.fromEntries(sections),
  };
}

/** Extra status sections, one line per concept: `[name, (ctx) => value]` (a promise of it may come back). */
export const STATUS_SECTIONS: Array<[string, (ctx: StatusContext) => unknown]> = [
  ['models', modelsStatusSection],
  ['tunnel', tunnelStatusSection],
  ['voice', voiceStatusSection],
  ['agents', agentsStatusSection],
  ['mcp', mcpStatusSection],
  ['usage', usageStatusSection],
];
