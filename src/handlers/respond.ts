import { GatewayError, toErrorShape } from '../core/errors';

/** The one place an error becomes an HTTP response. */
export function errorResponse(error: unknown): Response {
  const status = error instanceof GatewayError ? error.status : 500;
  const shape = toErrorShape(error);
  const headers: Record<string, string> = {};
  if (shape.retryAfterMs !== undefined) headers['retry-after'] = String(Math.ceil(shape.retryAfterMs / 1000));
  // The rest of an oversized body is never read, so the connection cannot carry another request:
  // say so, or a keep-alive client reuses it and its next request dies with "other side closed".
  if (status === 413) headers.connection = 'close';
  return Response.json({ ok: false, error: shape }, { status, headers });
}

/** Reads a JSON body; bad JSON is a 400 with a clear message, never a crash. */
export async function readJson(req: Request): Promise<unknown> {
  const text = await req.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new GatewayError('BAD_REQUEST', 'request body is not valid JSON');
  }
}
