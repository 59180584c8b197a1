import { fileURLToPath } from 'node:url';
import { connectNode } from '../../../../src/adapters/node/mcp/connect';
import { parseConfigValue } from '../../../../src/core/config/parse';
import type { KrabConfig } from '../../../../src/core/config/schema';
import { createLogHub, type LogRecord } from '../../../../src/core/log/logger';
import { createMcpManager, type McpManager } from '../../../../src/core/mcp/manager';
import type { McpServerStatus } from '../../../../src/core/mcp/types';
import { createManualClock } from '../../../helpers/context';

export const STDIO_FIXTURE = fileURLToPath(
  new URL('../../../fixtures/mcp/stdio-server.mjs', import.meta.url),
);

/** A stdio server entry running the fixture in `mode`. */
export const fixtureServer = (mode = 'default', extra: Record<string, unknown> = {}) => ({
  command: process.execPath,
  args: [STDIO_FIXTURE, mode],
  ...extra,
});

export interface McpHarness {
  manager: McpManager;
  clock: ReturnType<typeof createManualClock>;
  lines: () => string[];
  /** Connection attempts started so far (each start and each retry is one). */
  connects: () => number;
  setServers(servers: Record<string, unknown>): void;
  /** Polls (real time, bounded) until `check` holds for the server's status. */
  waitFor(
    name: string,
    check: (status: McpServerStatus) => boolean,
    timeoutMs?: number,
  ): Promise<McpServerStatus>;
}

export function startMcp(servers: Record<string, unknown>, env: Record<string, string> = {}): McpHarness {
  let config: KrabConfig = {};
  const setServers = (next: Record<string, unknown>) => {
    const parsed = parseConfigValue({ mcp: { servers: next } }, env);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    config = parsed.value.config;
  };
  setServers(servers);
  const clock = createManualClock();
  const records: LogRecord[] = [];
  const hub = createLogHub({ write: (record) => records.push(record), now: clock.now, debug: false });
  let connects = 0;
  const manager = createMcpManager({
    config: () => config,
    clock,
    log: hub.logger,
    connect: (...args) => {
      connects++;
      return connectNode(...args);
    },
    stdio: true,
  });
  manager.sync();
  return {
    manager,
    clock,
    lines: () => records.map((record) => record.line),
    connects: () => connects,
    setServers,
    async waitFor(name, check, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const status = manager.status().find((s) => s.name === name);
        if (status && check(status)) return status;
        if (Date.now() > deadline)
          throw new Error(`timed out waiting for ${name}: ${JSON.stringify(status)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
  };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
