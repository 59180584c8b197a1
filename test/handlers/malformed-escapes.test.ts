import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/handlers/app';
import { ROUTES } from '../../src/handlers/routes';
import { createTestContext, TEST_TOKEN } from '../helpers/context';

// Escapes that decodeURIComponent refuses: a lone '%', a truncated and an invalid UTF-8 sequence.
const MALFORMED = ['%', '%E0%A4%A', '%ZZ', '%C0%AF', '%ED%A0%80'];

/** Each route's path with its parameters (and wildcard) replaced by a malformed escape. */
function pathsOf(path: string): string[] {
  return MALFORMED.map((bad) => path.replace(/:[A-Za-z]+|\*/g, bad) || '/');
}

describe('malformed percent-escapes on every route', () => {
  it('answer 4xx (or the route’s own answer), never 500, and log nothing alarming', async () => {
    const ctx = createTestContext();
    const app = createApp(ctx, { clientAddress: () => '127.0.0.1' });
    let requests = 0;
    for (const route of ROUTES) {
      for (const path of pathsOf(route.path)) {
        for (const bad of MALFORMED) {
          const url = `${path}${path.includes('?') ? '&' : '?'}token=${bad}&${bad}=${bad}`;
          const res = await app.request(url, {
            method: route.method,
            headers: {
              authorization: `Bearer ${TEST_TOKEN}`,
              'content-type': 'application/x-www-form-urlencoded',
            },
            ...(route.method === 'POST' ? { body: `CallSid=${bad}&${bad}=1&Digits=%` } : {}),
          });
          requests++;
          expect(res.status, `${route.method} ${url}`).not.toBe(500);
          expect(res.status, `${route.method} ${url}`).toBeLessThan(504);
        }
      }
    }
    expect(requests).toBe(ROUTES.length * MALFORMED.length ** 2);
    expect(ctx.lines.filter((line) => line.level === 'error')).toEqual([]);
    expect(ctx.lines.map((line) => line.message).join('\n')).not.toMatch(/URI malformed|request failed/);
  });

  it('GET /ui/% and /ui/%E0%A4%A are 404 not found', async () => {
    const app = createApp(createTestContext(), { clientAddress: () => '127.0.0.1' });
    for (const path of ['/ui/%', '/ui/%E0%A4%A']) {
      const res = await app.request(path);
      expect(res.status).toBe(404);
      expect((await res.json()).error.code).toBe('NOT_FOUND');
    }
  });
});
