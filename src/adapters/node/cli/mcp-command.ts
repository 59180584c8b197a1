import type { KrabConfig } from '../../../core/config/schema';
import { createLogHub } from '../../../core/log/logger';
import { createMcpManager } from '../../../core/mcp/manager';
import type { McpServerStatus } from '../../../core/mcp/types';
import { systemClock } from '../../../core/runtime/clock';
import { sleep } from '../../../core/runtime/sleep';
import { readConfigFile } from '../config-file';
import { CliError, EXIT } from '../exit-codes';
import { inspectLock } from '../lock';
import { connectNode } from '../mcp/connect';
import type { Command } from './command';
import { callGateway, findRunningGateway } from './cron-remote';
import { statePaths } from './state-options';

/**
 * `krabkrab mcp list`: each configured MCP server with its state, tools and last error. Asks the
 * running gateway; with none running, connects to each server once itself (a config check).
 */
export const mcpCommand: Command = {
  summary: 'List MCP servers and their tools (from the running gateway, else by connecting once)',
  usage: 'mcp list [--json] [--token T] [--state-dir DIR]',
  options: { json: { type: 'boolean' }, token: { type: 'string' }, 'state-dir': { type: 'string' } },
  async run({ values, positionals }, io) {
    if (positionals[0] !== 'list' || positionals.length > 1)
      throw new CliError('usage: krabkrab mcp list [--json]', EXIT.USAGE);
    const { stateDir, configPath } = statePaths(values, io.env);
    const lock = await inspectLock(stateDir).catch(() => undefined);
    let servers: McpServerStatus[];
    let source: string;
    if (lock && !lock.stale) {
      const endpoint = await findRunningGateway({
        stateDir,
        configPath,
        env: io.env,
        token: values.token as string | undefined,
      });
      if (!endpoint) throw new CliError(`no gateway answers on state dir ${stateDir}`);
      const status = (await callGateway(endpoint, 'status', {})) as { mcp?: { servers?: McpServerStatus[] } };
      servers = status.mcp?.servers ?? [];
      source = `gateway PID ${lock.info.pid}`;
    } else {
      const loaded = await readConfigFile(configPath, io.env);
      if (loaded.ok === 'missing') throw new CliError(`no config at ${configPath}`);
      if (!loaded.ok) throw new CliError(`the config at ${configPath} is invalid: run krabkrab doctor`);
      servers = await probeServers(loaded.value.config);
      source = 'connected once (no gateway running)';
    }
    if (values.json) {
      io.stdout(`${JSON.stringify({ source, servers }, null, 2)}\n`);
      return EXIT.OK;
    }
    if (servers.length === 0) {
      io.stdout('no MCP servers configured (mcp.servers in krabkrab.json)\n');
      return EXIT.OK;
    }
    io.stdout(`MCP servers (${source}):\n${servers.map(formatServer).join('')}`);
    return servers.every((s) => s.state === 'ready' || s.state === 'disabled') ? EXIT.OK : EXIT.ERROR;
  },
};

function formatServer(server: McpServerStatus): string {
  const head = `${server.name}  ${server.transport}  ${server.state}  ${server.tools.length} tool(s)`;
  const error = server.lastError ? `\n  last error: ${server.lastError}` : '';
  const tools = server.tools.length
    ? `\n  tools: ${server.tools.map((t) => `${server.name}__${t}`).join(', ')}`
    : '';
  return `${head}${error}${tools}\n`;
}

/** Connects to every enabled server once (bounded by each one's timeout), then closes them all. */
async function probeServers(config: KrabConfig): Promise<McpServerStatus[]> {
  const hub = createLogHub({ write: () => {}, now: systemClock.now, debug: false });
  const manager = createMcpManager({
    config: () => config,
    clock: systemClock,
    log: hub.logger,
    connect: connectNode,
    stdio: true,
  });
  manager.sync();
  const longest = Math.max(
    30,
    ...Object.values(config.mcp?.servers ?? {}).map((s) => s.timeoutSeconds ?? 30),
  );
  const deadline = Date.now() + longest * 1000 + 2000;
  while (Date.now() < deadline && manager.status().some((s) => s.state === 'connecting'))
    await sleep(systemClock, 50);
  const statuses = manager.status();
  await manager.close();
  return statuses;
}
