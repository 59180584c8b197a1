import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runToolCall } from '../../../../src/core/agent/run-tool';
import { webSearch } from '../../../../src/core/agent/tools/web-search';
import { createTestContext } from '../../../helpers/context';

let server: Server;
let base: string;
const requests: Array<{ url: string; headers: IncomingMessage['headers']; body: string }> = [];

beforeAll(async () => {
  server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    requests.push({ url: req.url ?? '', headers: req.headers, body });
    res.setHeader('content-type', 'application/json');
    if (req.url?.startsWith('/res/v1/web/search')) {
      if (req.headers['x-subscription-token'] !== 'brave-key') return void res.writeHead(401).end('{}');
      return void res.end(
        JSON.stringify({
          web: {
            results: [
              {
                title: 'Krab <strong>one</strong>',
                url: 'https://one.example/',
                description: 'first <strong>hit</strong>',
              },
              { title: 'no url' },
            ],
          },
        }),
      );
    }
    if (req.url === '/search' && req.method === 'POST') {
      if (req.headers.authorization !== 'Bearer tavily-key') return void res.writeHead(401).end('{}');
      return void res.end(
        JSON.stringify({ results: [{ title: 'Tav', url: 'https://tav.example/', content: 'tavily says' }] }),
      );
    }
    if (req.url?.startsWith('/searx/search')) {
      return void res.end(
        JSON.stringify({
          results: [1, 2, 3].map((n) => ({
            title: `S${n}`,
            url: `https://s${n}.example/`,
            content: `searx ${n}`,
          })),
        }),
      );
    }
    if (req.url?.startsWith('/broken/search')) return void res.writeHead(500).end('oops');
    res.writeHead(404).end('{}');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function search(
  config: Record<string, unknown>,
  env: Record<string, string>,
  args: Record<string, unknown>,
) {
  const ctx = createTestContext({ config: { tools: { web: { search: config } } }, env });
  return runToolCall(
    { id: 's1', name: 'web_search', arguments: JSON.stringify(args) },
    new Map([['web_search', webSearch]]),
    { ctx, agentId: 'main', sessionKey: 'agent:main:main', trust: 'guest' },
  );
}

describe('web_search', () => {
  it('brave: key in the header, count passed, title/url/snippet without markup', async () => {
    const outcome = await search(
      { provider: 'brave' },
      { BRAVE_API_KEY: 'brave-key', BRAVE_SEARCH_BASE_URL: base },
      { query: 'krab gateway', count: 3 },
    );
    expect(outcome.isError).toBe(false);
    expect(outcome.content).toContain('<untrusted source="web_search brave: krab gateway">');
    expect(outcome.content).toContain('1. Krab one\n   https://one.example/\n   first hit');
    expect(outcome.content).not.toContain('no url');
    expect(requests.at(-1)!.url).toBe('/res/v1/web/search?q=krab+gateway&count=3');
  });

  it('tavily: bearer key and max_results in the body', async () => {
    const outcome = await search(
      { provider: 'tavily' },
      { TAVILY_API_KEY: 'tavily-key', TAVILY_BASE_URL: base },
      { query: 'q' },
    );
    expect(outcome.content).toContain('1. Tav\n   https://tav.example/\n   tavily says');
    expect(JSON.parse(requests.at(-1)!.body)).toEqual({ query: 'q', max_results: 5 });
  });

  it('searxng: JSON format at the configured URL, cut to count', async () => {
    const outcome = await search({ provider: 'searxng', url: `${base}/searx` }, {}, { query: 'q', count: 2 });
    expect(outcome.content).toContain('2. S2');
    expect(outcome.content).not.toContain('S3');
    expect(requests.at(-1)!.url).toBe('/searx/search?q=q&format=json');
  });

  it('says clearly what is missing or wrong', async () => {
    const noKey = await search({ provider: 'brave' }, { BRAVE_SEARCH_BASE_URL: base }, { query: 'q' });
    expect(noKey.content).toContain('Brave search needs BRAVE_API_KEY');
    const wrongKey = await search(
      { provider: 'brave' },
      { BRAVE_API_KEY: 'nope', BRAVE_SEARCH_BASE_URL: base },
      { query: 'q' },
    );
    expect(wrongKey.content).toBe('error: Brave search answered HTTP 401');
    const broken = await search({ provider: 'searxng', url: `${base}/broken` }, {}, { query: 'q' });
    expect(broken.content).toBe('error: SearXNG search answered HTTP 500');
  });

  it('is unavailable without a provider, or SearXNG without a URL', () => {
    const env = { env: {}, runtime: 'node' as const };
    expect(webSearch.unavailable!({ config: {}, ...env })).toContain('no search provider');
    expect(
      webSearch.unavailable!({ config: { tools: { web: { search: { provider: 'searxng' } } } }, ...env }),
    ).toContain('tools.web.search.url');
    expect(
      webSearch.unavailable!({ config: { tools: { web: { search: { provider: 'brave' } } } }, ...env }),
    ).toBeUndefined();
  });
});
