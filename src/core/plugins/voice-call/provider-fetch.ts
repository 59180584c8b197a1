import { GatewayError } from '../../errors';

const TIMEOUT_MS = 10_000;

/**
 * One call to a telephony REST API. Failures become a PROVIDER_ERROR naming the provider, the
 * status and the provider's own message (never the credentials).
 */
export async function providerFetch(provider: string, url: string, init: RequestInit): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: init.signal ?? AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    throw new GatewayError('PROVIDER_ERROR', `${provider} API unreachable: ${(error as Error).message}`, {
      retryable: true,
      cause: error,
    });
  }
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    // Not JSON: keep the text for the message.
  }
  if (!res.ok) {
    throw new GatewayError(
      'PROVIDER_ERROR',
      `${provider} API answered ${res.status}: ${providerMessage(body)}`,
      {
        retryable: res.status === 429 || res.status >= 500,
        details: { status: res.status },
      },
    );
  }
  return body;
}

function providerMessage(body: unknown): string {
  if (body && typeof body === 'object') {
    const b = body as { message?: unknown; errors?: Array<{ detail?: unknown; title?: unknown }> };
    if (typeof b.message === 'string') return b.message.slice(0, 300);
    const first = b.errors?.[0];
    if (first) return String(first.detail ?? first.title ?? 'error').slice(0, 300);
  }
  return String(body).slice(0, 300) || 'no details';
}
