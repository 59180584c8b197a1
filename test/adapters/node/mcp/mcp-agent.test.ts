import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mcpTools } from '../../../../src/core/mcp/tools';
import { reply } from '../../../fakes/fake-llm';
import { type FakeLlmServer, startFakeOpenAI } from '../../../fakes/openai-server';
import { createTestContext, type TestContext } from '../../../helpers/context';
import { fixtureServer, type McpHarness, startMcp } from './mcp-harness';

let mcp: McpHarness;
let openai: FakeLlmServer;
let ctx: TestContext;
beforeAll(async () => {
  mcp = startMcp({
    fx: fixtureServer(),
    open: fixtureServer('default', { allowGuests: true, tools: { include: ['echo'] } }),
  });
  openai = await startFakeOpenAI();
  ctx = createTestContext({
    config: { agents: { defaults: { model: 'openai/gpt-4o' } } },
    env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: openai.baseUrl },
    agentDeps: { toolSources: [() => mcpTools(mcp.manager)] },
  });
  await mcp.waitFor('fx', (s) => s.state === 'ready');
  await mcp.waitFor('open', (s) => s.state === 'ready');
});
afterAll(async () => {
  await mcp.manager.close();
  await openai.close();
});

const offered = (index: number) =>
  (
    (openai.requests[index]?.body.tools ?? []) as Array<{ function: { name: string; parameters: unknown } }>
  ).map((tool) => tool.function);

describe('MCP tools in the provider request', () => {
  it('an owner turn sends every MCP tool with its server schema and gets untrusted results back', async () => {
    openai.enqueue(reply.tools([{ id: 'c1', name: 'fx__echo', arguments: { text: 'from the model' } }]));
    await ctx.agents.runTurn({ message: 'use the tool', trust: 'owner' });
    const tools = offered(0);
    expect(tools).toContainEqual({
      name: 'fx__echo',
      description: 'Echoes its text',
      parameters: { type: 'object', properties: { text: { type: 'string' } } },
    });
    expect(tools.map((t) => t.name)).toEqual(
      expect.arrayContaining(['fx__image', 'fx__crash', 'open__echo']),
    );
    const messages = openai.requests[1]?.body.messages as Array<{ role: string; content: string }>;
    expect(messages.find((m) => m.role === 'tool')?.content).toBe(
      '<untrusted source="mcp:fx/echo">\necho: from the model\n</untrusted>',
    );
  });

  it('a guest turn gets no MCP schema at all, except a server with allowGuests', async () => {
    const before = openai.requests.length;
    await ctx.agents.runTurn({ sessionKey: 'agent:main:test:default:99', message: 'hello' });
    const names = offered(before).map((t) => t.name);
    expect(names).toContain('open__echo');
    expect(JSON.stringify(openai.requests[before]?.body)).not.toContain('fx__');
  });

  it('a 50 MB answer from a stdio server reaches the model as a clear tool error, and the turn goes on', async () => {
    const before = openai.requests.length;
    openai.enqueue(
      reply.tools([{ id: 'c2', name: 'fx__big', arguments: {} }]),
      reply.text('that was too big'),
    );
    const result = await ctx.agents.runTurn({ message: 'fetch the big thing', trust: 'owner' });
    expect(result.text).toBe('that was too big');
    const messages = openai.requests[before + 1]?.body.messages as Array<{ role: string; content: string }>;
    const toolMessage = messages.find((m) => m.role === 'tool' && m.content.includes('10 MB'));
    expect(toolMessage?.content).toMatch(/the answer was larger than the 10 MB a stdio message may be/);
    expect(toolMessage!.content.length).toBeLessThan(2_000);
    // The server is restarted with backoff (on the harness clock) and answers again.
    await mcp.waitFor('fx', (s) => s.state === 'retrying');
    mcp.clock.advance(500);
    await mcp.waitFor('fx', (s) => s.state === 'ready');
  }, 30_000);
});
