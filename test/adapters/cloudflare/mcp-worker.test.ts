import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeLlmServer,
  type RecordedRequest,
  reply,
  startFakeAnthropic,
} from '../../fakes/anthropic-server';
import { type HttpFixture, startHttpFixture } from '../../fixtures/mcp/http-server.mjs';
import { startWorker, type WorkerTarget } from '../../helpers/worker-target';

const TOKEN = 'worker-gateway-token-0123456789';

let fixture: HttpFixture;
let llm: FakeLlmServer;
let worker: WorkerTarget;
beforeAll(async () => {
  fixture = await startHttpFixture();
  llm = await startFakeAnthropic();
  worker = await startWorker(
    {
      ANTHROPIC_API_KEY: 'sk-ant-worker-test-0123456789',
      ANTHROPIC_BASE_URL: llm.origin,
      krabkrab_GATEWAY_TOKEN: TOKEN,
      WEB_TOKEN: 'w0rker-t0k',
    },
    {
      gateway: { mode: 'local' },
      agents: { defaults: { model: { primary: 'anthropic/claude-test' } } },
      mcp: {
        servers: {
          web: { url: `${fixture.origin}/mcp`, headers: { Authorization: 'Bearer ${WEB_TOKEN}' } },
          local: { command: 'node', args: ['server.mjs'] },
        },
      },
    },
  );
}, 60_000);
afterAll(async () => {
  await worker?.stop();
  await llm?.close();
  await fixture?.close();
});

interface ServerStatus {
  name: string;
  state: string;
  transport: string;
  tools: string[];
  lastError?: string;
}

async function mcpStatus(): Promise<ServerStatus[]> {
  const res = await fetch(`${worker.url}/api/status`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return ((await res.json()) as { mcp: { servers: ServerStatus[] } }).mcp.servers;
}

/** Polls status (bounded: 15 s) until the HTTP server's session is open. */
async function waitReady(): Promise<ServerStatus[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const servers = await mcpStatus();
    if (servers.find((s) => s.name === 'web')?.state === 'ready') return servers;
    if (Date.now() > deadline) throw new Error(`MCP server not ready: ${JSON.stringify(servers)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const toolNames = (request: RecordedRequest) =>
  ((request.body.tools as Array<{ name: string }> | undefined) ?? []).map((tool) => tool.name);

describe('MCP on Workers (workerd via miniflare, the SDK Streamable HTTP fixture on 127.0.0.1)', () => {
  it('an HTTP server connects with its headers and its tools reach the model; a stdio server is unsupported', async () => {
    // The first request starts the Durable Object, which opens the sessions.
    const servers = await waitReady();
    expect(servers.find((s) => s.name === 'web')).toMatchObject({
      transport: 'http',
      tools: expect.arrayContaining(['echo', 'big']),
    });
    expect(servers.find((s) => s.name === 'local')).toMatchObject({
      transport: 'stdio',
      state: 'unsupported',
      lastError: expect.stringContaining('need the Node gateway'),
    });
    const mcpRequests = fixture.requests.filter((r) => r.path === '/mcp');
    expect(mcpRequests.length).toBeGreaterThan(0);
    expect(mcpRequests.every((r) => r.authorization === 'Bearer w0rker-t0k')).toBe(true);

    const before = llm.requests.length;
    llm.enqueue(
      reply.tools([
        { name: 'web__echo', arguments: { text: 'from workerd' } },
        { name: 'web__big', arguments: {} },
      ]),
      reply.text('done'),
    );
    const res = await fetch(`${worker.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'krabkrab', messages: [{ role: 'user', content: 'echo please' }] }),
    });
    expect(res.status).toBe(200);
    const [first, second] = llm.requests.slice(before);
    expect(toolNames(first!)).toEqual(expect.arrayContaining(['web__echo', 'web__big']));
    const echo = (first!.body.tools as Array<{ name: string; input_schema: unknown }>).find(
      (tool) => tool.name === 'web__echo',
    );
    expect(echo?.input_schema).toMatchObject({ type: 'object', properties: { text: { type: 'string' } } });
    const results = JSON.stringify((second!.body.messages as Array<{ content: unknown }>).at(-1)!.content);
    expect(results).toContain('<untrusted source=\\"mcp:web/echo\\">\\necho: from workerd');
    // 50 MB from the server: the model gets the capped text, the Worker does not fall over.
    // (cut by the MCP result cap, then by the runtime's own cap on what reaches the model)
    expect(results.length).toBeLessThan(300_000);
    expect(/\[cut: [^\]]*\]/.test(results.slice(-300))).toBe(true);
  }, 60_000);
});
