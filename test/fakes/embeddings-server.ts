import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Concepts the fake embeds: a text's vector has a 1 for each concept one of whose words it contains. */
const CONCEPTS = [
  ['tea', 'coffee', 'beverage', 'drink', 'espresso'],
  ['cat', 'dog', 'pet', 'animal', 'kitten'],
  ['flight', 'airport', 'travel', 'trip', 'plane'],
];

export interface FakeEmbeddings {
  baseUrl: string;
  /** Each request's body, in order. */
  requests: Array<{ model: string; input: string[]; authorization?: string }>;
  /** Answer the next requests with this HTTP status instead. */
  failWith(status: number | undefined): void;
  close(): Promise<void>;
}

/** A fake OpenAI-compatible `POST /v1/embeddings` on 127.0.0.1 with deterministic concept vectors. */
export async function startFakeEmbeddings(): Promise<FakeEmbeddings> {
  const requests: FakeEmbeddings['requests'] = [];
  let failing: number | undefined;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/embeddings') {
        res.writeHead(404).end();
        return;
      }
      const parsed = JSON.parse(body) as { model: string; input: string[] };
      requests.push({
        ...parsed,
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      });
      if (failing) {
        res.writeHead(failing, { 'content-type': 'application/json' }).end('{"error":{"message":"down"}}');
        return;
      }
      const data = parsed.input.map((text, index) => ({
        object: 'embedding',
        index,
        embedding: embed(text),
      }));
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ object: 'list', data }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    failWith: (status) => {
      failing = status;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function embed(text: string): number[] {
  const words = new Set(text.toLowerCase().split(/[^a-z]+/));
  // A small constant component keeps every vector non-zero.
  return [...CONCEPTS.map((concept) => (concept.some((word) => words.has(word)) ? 1 : 0)), 0.05];
}
