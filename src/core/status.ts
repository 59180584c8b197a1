import { agentsStatusSection } from './agent/status-section';
import type { GatewayContext } from './context';
import { mcpStatusSection } from './mcp/registry';
import { voiceStatusSection } from './plugins/voice-call/status';
import { modelsStatusSection } from './providers/status-section';
import { tunnelStatusSection } from './tunnel/state';
import { usageStatusSection } from './usage/status-section';

/** What `GET /api/status` and the `status` method report. Sections are added by concept (agents, tunnels). */
export async function buildStatus(ctx: GatewayContext): Promise<Record<string, unknown>> {
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
export const STATUS_SECTIONS: Array<[string, (ctx: GatewayContext) => unknown]> = [
  ['models', modelsStatusSection],
  ['tunnel', tunnelStatusSection],
  ['voice', voiceStatusSection],
  ['agents', agentsStatusSection],
  ['mcp', mcpStatusSection],
  ['usage', usageStatusSection],
];
