import { describe, expect, it } from 'vitest';
import {
  classifyFailure,
  FAILURE_POLICY,
  failureLabel,
  retryAfter,
} from '../../../src/core/providers/failure';

const NOW = Date.UTC(2026, 0, 1);
const apiError = (status: number | undefined, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error('x'), { name: 'APIError', status, ...extra });

describe('provider failure classification', () => {
  it('maps statuses to kinds and the router policy', () => {
    const kinds = [401, 403, 429, 408, 500, 502, 529, 400, 404, 413, 422].map((status) => [
      status,
      classifyFailure(apiError(status), NOW).kind,
    ]);
    expect(kinds).toEqual([
      [401, 'auth'],
      [403, 'auth'],
      [429, 'rate_limit'],
      [408, 'timeout'],
      [500, 'server'],
      [502, 'server'],
      [529, 'overloaded'],
      [400, 'request'],
      [404, 'request'],
      [413, 'request'],
      [422, 'request'],
    ]);
    expect(FAILURE_POLICY.auth).toEqual({ failover: true, cooldown: 'key' });
    expect(FAILURE_POLICY.rate_limit).toEqual({ failover: true, cooldown: 'pair' });
    expect(FAILURE_POLICY.request.failover).toBe(false);
  });

  it("reads Anthropic's SSE error events (no status) by their error type", () => {
    const failure = classifyFailure(apiError(undefined, { type: 'overloaded_error' }), NOW);
    expect(failure).toMatchObject({ kind: 'overloaded', status: 529 });
    expect(failureLabel(failure)).toBe('529');
  });

  it('keeps the provider message of a rejected request, short', () => {
    const failure = classifyFailure(
      apiError(400, {
        error: { type: 'error', error: { type: 'invalid_request_error', message: 'x'.repeat(500) } },
      }),
      NOW,
    );
    expect(failure.message).toHaveLength(300);
  });

  it('tells network errors, timeouts, aborts and malformed JSON apart', () => {
    expect(
      classifyFailure(
        Object.assign(new Error('Connection error.'), {
          name: 'APIConnectionError',
          cause: { code: 'ECONNREFUSED' },
        }),
        NOW,
      ),
    ).toEqual({ kind: 'network', message: 'network error (ECONNREFUSED)' });
    expect(classifyFailure(new TypeError('terminated'), NOW).kind).toBe('network');
    expect(
      classifyFailure(Object.assign(new Error('t'), { name: 'APIConnectionTimeoutError' }), NOW).kind,
    ).toBe('timeout');
    expect(classifyFailure(Object.assign(new Error('a'), { name: 'APIUserAbortError' }), NOW).kind).toBe(
      'aborted',
    );
    expect(classifyFailure(new SyntaxError('Unexpected token'), NOW).kind).toBe('malformed');
    expect(failureLabel({ kind: 'network', message: '' })).toBe('network error');
  });

  it('parses retry-after-ms, Retry-After seconds and HTTP dates', () => {
    expect(retryAfter(new Headers({ 'retry-after-ms': '1500' }), NOW)).toBe(1500);
    expect(retryAfter(new Headers({ 'retry-after': '42' }), NOW)).toBe(42_000);
    expect(retryAfter(new Headers({ 'retry-after': new Date(NOW + 90_000).toUTCString() }), NOW)).toBe(
      90_000,
    );
    expect(retryAfter(new Headers({ 'retry-after': 'soon' }), NOW)).toBeUndefined();
    expect(retryAfter(undefined, NOW)).toBeUndefined();
    expect(
      classifyFailure(apiError(429, { headers: new Headers({ 'retry-after': '7' }) }), NOW).retryAfterMs,
    ).toBe(7000);
  });
});
