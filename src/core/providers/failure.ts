/**
 * Turns whatever a provider SDK threw into one of a few failure kinds, and says what the router
 * does about each. Duck-typed on the SDKs' error shapes (`status`, `headers`, `error` body,
 * class names) so neither SDK has to be imported to classify its errors.
 */

export type FailureKind =
  | 'auth'
  | 'rate_limit'
  | 'overloaded'
  | 'server'
  | 'network'
  | 'timeout'
  | 'malformed'
  | 'request'
  | 'aborted';

export interface ProviderFailure {
  kind: FailureKind;
  /** The HTTP status (or the status an SSE error event stands for). */
  status?: number;
  /** From `retry-after-ms` / `Retry-After` (seconds or an HTTP date). */
  retryAfterMs?: number;
  /** Short and secret-free: the provider's own message for request errors, else a description. */
  message: string;
}

/** What the router does for each kind: fail over or not, and what to cool down. */
export const FAILURE_POLICY: Record<FailureKind, { failover: boolean; cooldown: 'key' | 'pair' | 'none' }> = {
  auth: { failover: true, cooldown: 'key' },
  rate_limit: { failover: true, cooldown: 'pair' },
  overloaded: { failover: true, cooldown: 'pair' },
  server: { failover: true, cooldown: 'pair' },
  network: { failover: true, cooldown: 'pair' },
  timeout: { failover: true, cooldown: 'pair' },
  malformed: { failover: true, cooldown: 'pair' },
  request: { failover: false, cooldown: 'none' },
  aborted: { failover: false, cooldown: 'none' },
};

/** Thrown by a provider when a stream ends without its terminal event (a cut connection). */
export class StreamEndedEarly extends Error {
  override name = 'StreamEndedEarly';
}

/** Anthropic sends some failures as an SSE `error` event after a 200; these are the statuses they stand for. */
const ERROR_TYPE_STATUS: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  overloaded_error: 529,
};

interface SdkErrorLike {
  name?: string;
  status?: unknown;
  headers?: unknown;
  type?: unknown;
  error?: unknown;
  message?: unknown;
  cause?: unknown;
}

/** `now` (ctx.clock) dates a `Retry-After` given as an HTTP date. */
export function classifyFailure(error: unknown, now: number): ProviderFailure {
  const e = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorLike;
  const name = typeof e.name === 'string' ? e.name : '';
  if (name === 'APIUserAbortError' || name === 'AbortError') return { kind: 'aborted', message: 'aborted' };
  if (name === 'APIConnectionTimeoutError' || name === 'TimeoutError')
    return { kind: 'timeout', message: 'timed out' };
  if (name === 'StreamEndedEarly') return { kind: 'network', message: 'the stream ended early' };
  if (error instanceof SyntaxError) return { kind: 'malformed', message: 'malformed JSON from the provider' };
  const status = typeof e.status === 'number' ? e.status : statusOfErrorType(e);
  if (status !== undefined) return fromStatus(status, e, now);
  // openai 6's APIConnectionError is named plain `Error`: known by the fetch TypeError it wraps.
  if (name === 'APIConnectionError' || error instanceof TypeError || e.cause instanceof TypeError)
    return { kind: 'network', message: networkMessage(e) };
  return { kind: 'server', message: `unexpected provider error${name ? ` (${name})` : ''}` };
}

function fromStatus(status: number, e: SdkErrorLike, now: number): ProviderFailure {
  const retryAfterMs = retryAfter(e.headers, now);
  const base = { status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  if (status === 401 || status === 403)
    return {
      ...base,
      kind: 'auth',
      message: status === 401 ? 'the API key was rejected' : 'the API key is not allowed',
    };
  if (status === 429) return { ...base, kind: 'rate_limit', message: 'rate limited' };
  if (status === 529) return { ...base, kind: 'overloaded', message: 'overloaded' };
  if (status === 408) return { ...base, kind: 'timeout', message: 'request timeout' };
  if (status >= 500) return { ...base, kind: 'server', message: `server error ${status}` };
  return { ...base, kind: 'request', message: providerMessage(e) ?? `request rejected (${status})` };
}

function statusOfErrorType(e: SdkErrorLike): number | undefined {
  const body = e.error as { error?: { type?: unknown } } | undefined;
  const type = typeof e.type === 'string' ? e.type : body?.error?.type;
  return typeof type === 'string' ? ERROR_TYPE_STATUS[type] : undefined;
}

/** The provider's own explanation of a rejected request (both APIs nest it under `error.message`). */
function providerMessage(e: SdkErrorLike): string | undefined {
  const body = e.error as { message?: unknown; error?: { message?: unknown } } | undefined;
  const text = body?.error?.message ?? body?.message;
  return typeof text === 'string' && text.trim() !== '' ? text.slice(0, 300) : undefined;
}

function networkMessage(e: SdkErrorLike): string {
  const cause = e.cause as { code?: unknown; message?: unknown } | undefined;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  return code ? `network error (${code})` : 'network error';
}

function header(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const value = (headers as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

/** Milliseconds from `retry-after-ms` or `Retry-After` (delta seconds or an HTTP date). */
export function retryAfter(headers: unknown, now: number): number | undefined {
  const ms = Number(header(headers, 'retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const text = header(headers, 'retry-after');
  if (!text) return undefined;
  const seconds = Number(text);
  if (Number.isFinite(seconds)) return seconds > 0 ? seconds * 1000 : undefined;
  const date = Date.parse(text);
  return Number.isFinite(date) && date > now ? date - now : undefined;
}

/** How a failure reads in a log line: the status when there is one (`429`), else the kind. */
export function failureLabel(failure: ProviderFailure): string {
  if (failure.status !== undefined) return String(failure.status);
  return failure.kind === 'network'
    ? 'network error'
    : failure.kind === 'malformed'
      ? 'malformed response'
      : failure.kind;
}
