import { GatewayError } from '../../errors';

const TIMEOUT_MS = 30_000;
let nextId = 0;

/**
 * One JSON-RPC call to `signal-cli daemon --http` (`POST /api/v1/rpc`), on the platform's fetch.
 * A JSON-RPC error or an unreachable daemon becomes a `GatewayError` that says so.
 * https://github.com/AsamK/signal-cli/blob/master/man/signal-cli-jsonrpc.5.adoc
 */
export async function signalRpc<T = unknown>(
  baseUrl: string,
  method: string,
  params: Record<string, unknown>,
  timeoutMs = TIMEOUT_MS,
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${baseUrl}/api/v1/rpc`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', method, params, id: `krab-${++nextId}` }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new GatewayError(
      'UNAVAILABLE',
      `cannot reach signal-cli at ${baseUrl}: ${(error as Error).message}`,
      {
        retryable: true,
        cause: error,
      },
    );
  }
  // 201: a notification without a result.
  if (res.status === 201) return undefined as T;
  const text = await res.text();
  let body: { result?: T; error?: { code?: number; message?: string } };
  try {
    body = JSON.parse(text);
  } catch {
    throw new GatewayError(
      'PROVIDER_ERROR',
      `signal-cli answered ${method} with HTTP ${res.status} and no JSON`,
    );
  }
  if (body.error)
    throw new GatewayError(
      'PROVIDER_ERROR',
      `signal-cli refused ${method} (${body.error.code ?? '?'}): ${body.error.message ?? 'no message'}`,
      {
        details: { rpcCode: body.error.code },
      },
    );
  return body.result as T;
}
