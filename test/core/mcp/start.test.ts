import { describe, expect, it } from 'vitest';
import { parseConfigValue } from '../../../src/core/config/parse';
import { mcpHolder } from '../../../src/core/mcp/registry';
import { startMcp } from '../../../src/core/mcp/start';
import type { McpConnector } from '../../../src/core/mcp/types';
import { createManualClock, createTestContext } from '../../helpers/context';

const configWith = (url: string) => ({
  gateway: { mode: 'local' },
  mcp: { servers: { web: { url } } },
});

/** A connector standing in for the far end: records opens and closes, answers at once. */
function recordingConnector() {
  const opened: string[] = [];
  const closed: string[] = [];
  const connect: McpConnector = async (name, server) => {
    opened.push(`${name} ${server.url}`);
    return { tools: [], skipped: [], call: async () => ({}), close: async () => void closed.push(name) };
  };
  return { connect, opened, closed };
}

describe('startMcp', () => {
  it('opens sessions, follows config changes, and after stop neither reconnects nor listens', async () => {
    const ctx = createTestContext({ config: configWith('http://127.0.0.1:1/a'), clock: createManualClock() });
    const events: unknown[] = [];
    ctx.events.subscribe((event, payload) => event === 'mcp.status' && events.push(payload));
    const far = recordingConnector();
    // Counts live config subscriptions: a stopped MCP must hold none.
    let listening = 0;
    const configStore = {
      ...ctx.configStore,
      onChange: (listener: Parameters<typeof ctx.configStore.onChange>[0]) => {
        listening++;
        const off = ctx.configStore.onChange(listener);
        return () => {
          listening--;
          return off();
        };
      },
    };
    const holder = mcpHolder(ctx);
    const mcp = startMcp({ ...ctx, configStore }, holder, { connect: far.connect, stdio: false });
    await Promise.resolve();
    expect(far.opened).toEqual(['web http://127.0.0.1:1/a']);
    expect(holder.manager?.status().map((s) => s.state)).toEqual(['ready']);
    expect(events.length).toBeGreaterThan(0);

    const reload = (url: string) => {
      const parsed = parseConfigValue(configWith(url), {});
      if (!parsed.ok) throw new Error('bad test config');
      ctx.configStore.replace(parsed.value);
    };
    reload('http://127.0.0.1:1/b');
    await Promise.resolve();
    expect(far.opened).toEqual(['web http://127.0.0.1:1/a', 'web http://127.0.0.1:1/b']);

    expect(listening).toBe(1);
    await mcp.stop();
    expect(listening).toBe(0);
    expect(far.closed).toContain('web');
    reload('http://127.0.0.1:1/c');
    await Promise.resolve();
    expect(far.opened).toHaveLength(2);
  });
});
