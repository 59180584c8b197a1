import { type FakeEndpoint, startFakeEndpoint } from './openai-endpoint';

/** Concepts the fake embeds: a text's vector has a 1 for each concept one of whose words it contains. */
const CONCEPTS = [
  ['tea', 'coffee', 'beverage', 'drink', 'espresso'],
  ['cat', 'dog', 'pet', 'animal', 'kitten'],
  ['flight', 'airport', 'travel', 'trip', 'plane'],
];

export interface FakeEmbeddings extends FakeEndpoint {
  /** Each request's body, in order. */
  requests: Array<{ model: string; input: string[]; authorization?: string }>;
}

/** A fake OpenAI-compatible `POST /v1/embeddings` on 127.0.0.1 with deterministic concept vectors. */
export async function startFakeEmbeddings(): Promise<FakeEmbeddings> {
  const requests: FakeEmbeddings['requests'] = [];
  const endpoint = await startFakeEndpoint((req, body, res, failing) => {
    if (req.method !== 'POST' || req.url !== '/v1/embeddings') {
      res.writeHead(404).end();
      return;
    }
    const parsed = JSON.parse(body.toString()) as { model: string; input: string[] };
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
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data }));
  });
  return { ...endpoint, requests };
}

function embed(text: string): number[] {
  const words = new Set(text.toLowerCase().split(/[^a-z]+/));
  // A small constant component keeps every vector non-zero.
  return [...CONCEPTS.map((concept) => (concept.some((word) => words.has(word)) ? 1 : 0)), 0.05];
}
