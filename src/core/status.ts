import { agentsStatusSection } from './agent/status-section';
import type { GatewayContext } from './context';
import { mcpStatusSection } from './mcp/registry';
import { voiceStatusSection } from './plugins/voice-call/status';
import { modelsStatusSection } from './providers/status-section';
import { tunnelStatusSection } from './tunnel/state';

/** What `GET /api/status` and the `status` method report. Sections are added by concept (agents, tunnels). */
export function buildStatus(ctx: GatewayContext): Record<string, unknown> {
  const { runtime } = ctx;
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
    ...Object.fromEntries(STATUS_SECTIONS.map(([name, section]) => [name, section(ctx)])),
  };
}

/** Extra status sections, one line per concept: `[name, (ctx) => value]`. */
export const STATUS_SECTIONS: Array<[string, (ctx: GatewayContext) => unknown]> = [
  ['models', modelsStatusSection],
  ['tunnel', tunnelStatusSection],
  ['voice', voiceStatusSection],
  ['agents', agentsStatusSection],
  ['mcp', mcpStatusSection],
];
