import { afterEach, describe, expect, it } from 'vitest';
import { mcpTools } from '../../../../src/core/mcp/tools';
import { fixtureServer, isAlive, type McpHarness, startMcp } from './mcp-harness';

let harness: McpHarness | undefined;
afterEach(async () => {
  await harness?.manager.close();
  harness = undefined;
});

const toolCtx = {} as Parameters<ReturnType<typeof mcpTools>[number]['run']>[1];

describe('MCP stdio servers (the official SDK on both ends)', () => {
  it('connects, lists tools as <server>__<tool> with their schema, skips malformed ones with a log line', async () => {
    harness = startMcp({ fx: fixtureServer() });
    const status = await harness.waitFor('fx', (s) => s.state === 'ready');
    expect(status.tools).toEqual(['echo', 'image', 'structured', 'fail', 'big', 'crash']);
    expect(status.pid).toBeGreaterThan(0);
    expect(harness.lines()).toEqual([
      '[mcp] fx: tool "broken": malformed input schema (type "string", expected "object"): skipped',
      '[mcp] fx: tool "bad name!": the name has characters other than letters, digits, "_" and "-": skipped',
      '[mcp] fx: connected, 6 tool(s)',
    ]);
    const tools = mcpTools(harness.manager);
    expect(tools.map((t) => t.name)).toContain('fx__echo');
    const echo = tools.find((t) => t.name === 'fx__echo')!;
    expect(echo.jsonSchema).toEqual({ type: 'object', properties: { text: { type: 'string' } } });
    expect(echo.guestSafe).toBeUndefined();
    expect(await echo.run({ text: 'hi' }, toolCtx)).toBe(
      '<untrusted source="mcp:fx/echo">\necho: hi\n</untrusted>',
    );
  });

  it('maps images, structured content and error results; a 50 MB answer fails clearly and the server comes back', async () => {
    harness = startMcp({ fx: fixtureServer() });
    await harness.waitFor('fx', (s) => s.state === 'ready');
    const run = (name: string) =>
      mcpTools(harness!.manager)
        .find((t) => t.name === `fx__${name}`)!
        .run({}, toolCtx);
    expect(await run('image')).toMatch(/here is the picture\n\[image image\/png, 70 B: not shown\]/);
    expect(await run('structured')).toContain('{"temperature":21,"unit":"C"}');
    await expect(run('fail')).rejects.toMatchObject({
      message: expect.stringContaining('the thing is broken'),
    });
    await expect(run('big')).rejects.toMatchObject({
      message: expect.stringMatching(
        /^MCP server fx: the answer was larger than the 10 MB a stdio message may be/,
      ),
    });
    await harness.waitFor('fx', (s) => s.state === 'retrying');
    harness.clock.advance(500);
    await harness.waitFor('fx', (s) => s.state === 'ready');
    expect(await run('echo')).toContain('echo: ');
  }, 30_000);

  it('restarts a server that exits with backoff on the gateway clock, reported once per state change', async () => {
    harness = startMcp({ fx: fixtureServer() });
    const first = await harness.waitFor('fx', (s) => s.state === 'ready');
    const crash = mcpTools(harness.manager).find((t) => t.name === 'fx__crash')!;
    await crash.run({}, toolCtx);
    await harness.waitFor('fx', (s) => s.state === 'retrying');
    expect(isAlive(first.pid!)).toBe(false);
    expect(harness.lines().filter((l) => l.includes('retrying'))).toEqual([
      expect.stringMatching(/^\[mcp\] fx: the session ended: .*; retrying in 0\.5 s/),
    ]);
    // Nothing happens until the clock says so: the restart is a timer on it, started by no one else.
    expect(harness.connects()).toBe(1);
    harness.clock.advance(499);
    expect(harness.connects()).toBe(1);
    expect(harness.manager.status()[0]?.state).toBe('retrying');
    harness.clock.advance(1);
    expect(harness.connects()).toBe(2);
    const second = await harness.waitFor('fx', (s) => s.state === 'ready');
    expect(second.pid).not.toBe(first.pid);
    expect(second.restarts).toBe(1);
  });

  it('a command that is not installed: a clear error, retried 0.5 s, 1 s, 2 s ... logged once', async () => {
    harness = startMcp({ nope: { command: 'krabkrab-no-such-mcp-server' } });
    let status = await harness.waitFor('nope', (s) => s.restarts === 1);
    expect(status).toMatchObject({
      state: 'retrying',
      lastError: expect.stringMatching(/command not found|ENOENT/),
    });
    for (const [delay, restarts] of [
      [500, 2],
      [1000, 3],
      [2000, 4],
    ] as const) {
      // Each attempt starts from the clock's timer: none a millisecond early, one when it is due.
      harness.clock.advance(delay - 1);
      expect(harness.connects()).toBe(restarts - 1);
      expect(harness.manager.status()[0]?.restarts).toBe(restarts - 1);
      harness.clock.advance(1);
      expect(harness.connects()).toBe(restarts);
      status = await harness.waitFor('nope', (s) => s.restarts === restarts);
    }
    expect(harness.lines().filter((l) => l.startsWith('[mcp] nope'))).toHaveLength(1);
  });

  it('a server that exits at once names its stderr; one that hangs on initialize times out', async () => {
    harness = startMcp({
      gone: fixtureServer('exit'),
      stuck: fixtureServer('hang', { timeoutSeconds: 0.5 }),
    });
    const gone = await harness.waitFor('gone', (s) => s.state === 'retrying');
    expect(gone.lastError).toMatch(/refusing to start/);
    const stuck = await harness.waitFor('stuck', (s) => s.state === 'retrying');
    expect(stuck.lastError).toMatch(/timed out/i);
  });

  it('500 tools: the first 100 are offered, with a log line saying how to choose', async () => {
    harness = startMcp({ many: fixtureServer('many', { tools: { exclude: ['crash'] } }) });
    const status = await harness.waitFor('many', (s) => s.state === 'ready');
    expect(status.tools).toHaveLength(100);
    expect(status.tools).not.toContain('crash');
    expect(harness.lines()).toContainEqual(
      expect.stringMatching(
        /many: tool 405 of 505 tools left out \(at most 100 per server: choose with tools.include\)/,
      ),
    );
  });

  it('a config change reconnects only the changed server; close ends every process', async () => {
    harness = startMcp({ a: fixtureServer(), b: fixtureServer() });
    const a = await harness.waitFor('a', (s) => s.state === 'ready');
    const b = await harness.waitFor('b', (s) => s.state === 'ready');
    harness.setServers({ a: fixtureServer(), b: fixtureServer('default', { tools: { include: ['echo'] } }) });
    harness.manager.sync();
    const b2 = await harness.waitFor('b', (s) => s.state === 'ready' && s.pid !== b.pid);
    expect(b2.tools).toEqual(['echo']);
    expect(harness.manager.status().find((s) => s.name === 'a')?.pid).toBe(a.pid);
    await harness.waitFor('b', () => !isAlive(b.pid!));
    await harness.manager.close();
    expect([a.pid, b2.pid].map((pid) => isAlive(pid!))).toEqual([false, false]);
    expect(harness.manager.status().map((s) => s.state)).toEqual(['stopped', 'stopped']);
  });
});
