import { CliError, EXIT } from '../exit-codes';
import { inspectLock } from '../lock';
import type { Command } from './command';
import { callGateway, findRunningGateway } from './cron-remote';
import { statePaths } from './state-options';

interface ChannelLine {
  state?: string;
  login?: string;
  error?: string;
  mode?: string;
}

const SHOWN = new Set([
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

/** The status payload as a few plain lines: process, address, channels, then any extra sections compactly. */
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
  for (const [key, value] of Object.entries(status))
    if (!SHOWN.has(key)) lines.push(`${key}: ${JSON.stringify(value)}`);
  return `${lines.join('\n')}\n`;
}

/** Asks the gateway running on this state dir for its status over the control WebSocket. */
export const statusCommand: Command = {
  summary: 'Ask the running gateway (found by its lock) for its status; exit 1 when none runs',
  usage: 'status [--json] [--token T] [--state-dir DIR]',
  options: { json: { type: 'boolean' }, token: { type: 'string' }, 'state-dir': { type: 'string' } },
  async run({ values, positionals }, io) {
    if (positionals.length > 0)
      throw new CliError(`unexpected argument ${JSON.stringify(positionals[0])}`, EXIT.USAGE);
    const { stateDir, configPath } = statePaths(values, io.env);
    const lock = await inspectLock(stateDir).catch(() => undefined);
    if (!lock || lock.stale) {
      const why = lock
        ? ` (a stale lock of PID ${lock.info.pid} is left: ${lock.stale}; the next start takes it over)`
        : '';
      if (values.json)
        io.stdout(
          `${JSON.stringify({ running: false, stateDir, ...(lock ? { staleLock: lock.path } : {}) })}\n`,
        );
      io.stderr(`no gateway is running on state dir ${stateDir}${why}; start one with: krabkrab gateway\n`);
      return EXIT.ERROR;
    }
    const endpoint = await findRunningGateway({
      stateDir,
      configPath,
      env: io.env,
      token: values.token as string | undefined,
    });
    if (!endpoint) throw new CliError(`no gateway is running on state dir ${stateDir}`);
    let status: Record<string, unknown>;
    try {
      status = (await callGateway(endpoint, 'status', {})) as Record<string, unknown>;
    } catch (error) {
      throw new CliError(
        `gateway PID ${lock.info.pid} holds the lock (port ${lock.info.port}) but did not answer: ${(error as Error).message}`,
      );
    }
    io.stdout(
      values.json ? `${JSON.stringify({ running: true, ...status }, null, 2)}\n` : formatStatus(status),
    );
    return EXIT.OK;
  },
};
