import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MAX_RESULT_CHARS } from '../../../../src/core/mcp/result';
import { mcpTools } from '../../../../src/core/mcp/tools';
import { startHttpFixture } from '../../../fixtures/mcp/http-server.mjs';
import { type McpHarness, startMcp } from './mcp-harness';

let fixture: Awaited<ReturnType<typeof startHttpFixture>>;
beforeAll(async () => {
  fixture = await startHttpFixture();
});
afterAll(() => fixture.close());
let harness: McpHarness | undefined;
afterEach(async () => {
  await harness?.manager.close();
  harness = undefined;
});

const toolCtx = {} as Parameters<ReturnType<typeof mcpTools>[number]['run']>[1];

describe('MCP Streamable HTTP servers', () => {
  it('connects with the configured headers, calls tools, and caps a 50 MB result', async () => {
    harness = startMcp(
      {
        web: {
          url: `${fixture.origin}/mcp`,
          headers: { Authorization: 'Bearer ${WEB_TOKEN}' },
          allowGuests: true,
        },
      },
      { WEB_TOKEN: 't0k' },
    );
    const status = await harness.waitFor('web', (s) => s.state === 'ready');
    expect(status).toMatchObject({ transport: 'http', tools: expect.arrayContaining(['echo', 'big']) });
    expect(
      fixture.requests.filter((r) => r.path === '/mcp').every((r) => r.authorization === 'Bearer t0k'),
    ).toBe(true);
    const tools = mcpTools(harness.manager);
    expect(tools.find((t) => t.name === 'web__echo')?.guestSafe).toBe(true);
    expect(await tools.find((t) => t.name === 'web__echo')!.run({ text: 'over http' }, toolCtx)).toContain(
      'echo: over http',
    );
    const big = (await tools.find((t) => t.name === 'web__big')!.run({}, toolCtx)) as string;
    expect(big.length).toBeLessThan(MAX_RESULT_CHARS + 200);
    expect(big).toContain(`[cut: the result was longer than ${MAX_RESULT_CHARS} characters]`);
  }, 30_000);

  it('401 and an HTML page are clear errors, retried with backoff', async () => {
    harness = startMcp({ locked: { url: `${fixture.origin}/401` }, page: { url: `${fixture.origin}/html` } });
    const locked = await harness.waitFor('locked', (s) => s.state === 'retrying');
    expect(locked.lastError).toBe(
      'HTTP 401: the server refused the credentials (check mcp.servers.locked.headers)',
    );
    const page = await harness.waitFor('page', (s) => s.state === 'retrying');
    expect(page.lastError).toMatch(/^Streamable HTTP: .*text\/html.*; SSE: /);
    expect(page.lastError!.length).toBeLessThan(500);
    expect(page.lastError).not.toContain('Welcome to our site</p><p>Welcome');
  });
});
