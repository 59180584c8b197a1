import type { AgentToolsView } from '../../../core/agent/status-section';
import type { AgentRuntimeStatus } from '../../../core/agent/types';
import type { McpServerStatus } from '../../../core/mcp/types';
import type { PipelineStats } from '../../../core/pipeline/types';
import type { ModelsStatus } from '../../../core/providers/types';
import type { TunnelStatus } from '../../../core/tunnel/state';
import { describeCounts } from '../../../core/usage/format';
import type { UsageStatus } from '../../../core/usage/types';

interface ChannelLine {
  state?: string;
  login?: string;
  error?: string;
  mode?: string;
}

type Section = (value: unknown) => string[];

function duration(ms: number): string {
  const s = Math.floor(ms / 1000);
  const parts = [
    [Math.floor(s / 86_400), 'd'],
    [Math.floor((s % 86_400) / 3600), 'h'],
    [Math.floor((s % 3600) / 60), 'm'],
    [s % 60, 's'],
  ] as const;
  const shown = parts.filter(([n], i) => n > 0 || i === parts.length - 1);
  return shown.map(([n, unit]) => `${n}${unit}`).join(' ');
}

/** A value as plain `key: value` lines, nested by indent: for sections this file has no words for. */
export function plainLines(value: unknown, indent = '  ', depth = 0): string[] {
  if (value === null || typeof value !== 'object' || depth > 4) return [`${indent}${String(value)}`];
  const entries = Array.isArray(value)
    ? value.map((v, i) => [`${i + 1}`, v] as const)
    : Object.entries(value);
  if (entries.length === 0) return [`${indent}(none)`];
  return entries.flatMap(([key, v]) =>
    v !== null && typeof v === 'object'
      ? [`${indent}${key}:`, ...plainLines(v, `${indent}  `, depth + 1)]
      : [`${indent}${key}: ${String(v)}`],
  );
}

const SECTIONS: Record<string, Section> = {
  agents(value) {
    const { pipeline, tools, ...agents } = value as AgentRuntimeStatus & {
      pipeline?: PipelineStats;
      tools?: AgentToolsView[];
    };
    const lines = [
      `agents: ${agents.agents} (default ${agents.defaultAgent}), runs ${agents.running} running, ${agents.waiting} waiting (at most ${agents.maxConcurrent} at once)`,
    ];
    if (pipeline)
      lines.push(
        `messages: ${pipeline.accepted} accepted, ${pipeline.replied} replied, ${pipeline.inFlight} in flight, ${pipeline.dropped} dropped, ${pipeline.failed} failed, ${pipeline.duplicates} duplicates`,
      );
    for (const agent of tools ?? []) {
      lines.push(`tools of ${agent.id}: owner ${agent.owner.join(', ') || '(none)'}`);
      lines.push(`tools of ${agent.id}: guests ${agent.guest.join(', ') || '(none)'}`);
      for (const [name, reason] of Object.entries(agent.off)) lines.push(`  ${name} off: ${reason}`);
      for (const [name, reason] of Object.entries(agent.guestNever ?? {}))
        lines.push(`  ${name} off for guests: ${reason}`);
    }
    return lines;
  },
  models(value) {
    if (!value) return [];
    const { cooldowns, recentFailovers } = value as ModelsStatus;
    if (cooldowns.length === 0 && recentFailovers.length === 0)
      return ['models: no cooldowns, no recent failovers'];
    return [
      'models:',
      ...cooldowns.map(
        (c) =>
          `  cooling down: ${c.ref} (${c.profile}) for ${duration(c.remainingMs)}: ${c.reason} (${c.failures} failure(s))`,
      ),
      ...recentFailovers.map((f) => `  failover at ${f.at}: ${f.from} -> ${f.to} (${f.reason})`),
    ];
  },
  tunnel(value) {
    const { tunnels } = value as { tunnels: TunnelStatus[] };
    if (tunnels.length === 0) return [];
    return [
      'tunnels:',
      ...tunnels.map(
        (t) =>
          `  ${t.provider}  ${t.state}${t.url ? `  ${t.url}` : ''}${t.primary ? ' (primary)' : ''}, ${t.restarts} restart(s)${t.error ? `: ${t.error}` : ''}`,
      ),
    ];
  },
  mcp(value) {
    const { servers } = value as { servers: McpServerStatus[] };
    if (!servers?.length) return [];
    return [
      'mcp servers:',
      ...servers.map(
        (s) =>
          `  ${s.name}  ${s.transport}  ${s.state}, ${s.tools.length} tool(s), ${s.restarts} restart(s)${s.lastError ? `: ${s.lastError}` : ''}`,
      ),
    ];
  },
  usage(value) {
    const { date, total, models } = value as UsageStatus;
    if (total.requests === 0) return [`usage today (${date} UTC): no model calls yet`];
    return [
      `usage today (${date} UTC): ${describeCounts(total)}`,
      ...models.map((m) => `  ${m.model}: ${describeCounts(m)}`),
    ];
  },
  voice(value) {
    const voice = value as Record<string, unknown> & { inbound?: { policy: string; allowed: number } };
    if (!voice.enabled) return [];
    const parts = [
      String(voice.provider),
      `credentials ${voice.credentials}`,
      voice.fromNumber ? `from ${voice.fromNumber}` : 'no fromNumber',
      voice.inbound ? `inbound ${voice.inbound.policy} (${voice.inbound.allowed} allowed)` : '',
      voice.webhookUrl ? `webhook ${voice.webhookUrl}` : 'no public URL for webhooks',
    ];
    return [`voice: ${parts.filter(Boolean).join(', ')}`];
  },
};

const CORE = new Set([
  'version',
  'runtime',
  'pid',
  'phase',
  'uptimeMs',
  'startedAt',
  'bind',
  'host',
  'port',
  'stateDir',
  'channels',
]);

/** The status payload as plain lines: process, address, channels, then each section in words. */
export function formatStatus(status: Record<string, unknown>): string {
  const lines = [
    `gateway running: PID ${status.pid}, version ${status.version}, ${status.phase}, up ${duration(Number(status.uptimeMs ?? 0))}`,
    `listening on ws://${status.host}:${status.port} (bind ${status.bind}), state dir ${status.stateDir}`,
  ];
  const channels = Object.entries((status.channels ?? {}) as Record<string, ChannelLine>);
  if (channels.length === 0) lines.push('channels: none configured');
  else {
    lines.push('channels:');
    const width = Math.max(...channels.map(([name]) => name.length));
    for (const [name, channel] of channels) {
      const detail = [channel.login, channel.mode, channel.error].filter(Boolean).join(', ');
      lines.push(`  ${name.padEnd(width)}  ${channel.state ?? 'unknown'}${detail ? `  ${detail}` : ''}`);
    }
  }
  for (const [key, value] of Object.entries(status)) {
    if (CORE.has(key)) continue;
    const section = Object.hasOwn(SECTIONS, key) ? SECTIONS[key] : undefined;
    try {
      lines.push(...(section ? section(value) : [`${key}:`, ...plainLines(value)]));
    } catch {
      // A section whose shape moved on: still readable, never a crash.
      lines.push(`${key}:`, ...plainLines(value));
    }
  }
  return `${lines.join('\n')}\n`;
}
