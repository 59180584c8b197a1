import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the embeddings and transcription fakes share: a base URL, a switch to fail, and close. */
export interface FakeEndpoint {
  /** Base URL to give the SDK: ends in `/v1`. */
  baseUrl: string;
  /** Answer the next requests with this HTTP status instead (undefined: work again). */
  failWith(status: number | undefined): void;
  close(): Promise<void>;
}

/**
 * A fake OpenAI-compatible endpoint on 127.0.0.1: `handle` gets each request with its whole
 * body and the status `failWith` set (undefined while it works).
 */
export async function startFakeEndpoint(
  handle: (
    req: IncomingMessage,
    body: Buffer<ArrayBuffer>,
    res: ServerResponse,
    failing: number | undefined,
  ) => unknown,
): Promise<FakeEndpoint> {
  let failing: number | undefined;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(req, Buffer.concat(chunks), res, failing));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    failWith: (status) => {
      failing = status;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
