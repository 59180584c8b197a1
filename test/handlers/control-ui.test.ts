import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { loadUiAssets } from '../../src/adapters/node/ui-assets';
import type { StaticAssets } from '../../src/core/runtime/assets';
import { createApp } from '../../src/handlers/app';
import { CONTROL_UI_CSP } from '../../src/handlers/control-ui';
import { createTestContext } from '../helpers/context';

const dir = mkdtempSync(join(tmpdir(), 'krab-ui-'));
const SCRIPT = `console.log(${JSON.stringify('x'.repeat(4000))});`;
writeFileSync(
  join(dir, 'index.html'),
  '<!doctype html><script type="module" src="/ui/app-ABCDEFGH.js"></script>',
);
writeFileSync(join(dir, 'app-ABCDEFGH.js'), SCRIPT);
writeFileSync(join(dir, 'icon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
writeFileSync(join(dir, 'app-ABCDEFGH.js.map'), '{}');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function appWith(assets: StaticAssets | undefined, config?: Record<string, unknown>) {
  const ctx = createTestContext(config ? { config } : {});
  ctx.assets = assets;
  return createApp(ctx, { clientAddress: () => 'local' });
}

describe('Control UI handler', () => {
  it('serves the page on GET / with the security headers', async () => {
    const app = await appWith(await loadUiAssets(dir));
    const res = await app.request('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await res.text()).toContain('/ui/app-ABCDEFGH.js');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toBe(CONTROL_UI_CSP);
    for (const directive of [
      "script-src 'self'",
      "connect-src 'self'",
      "frame-ancestors 'none'",
      "default-src 'none'",
    ]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('cache-control')).toBe('no-cache');
  });

  it('revalidates with ETag (304) and caches hashed assets for a year', async () => {
    const app = await appWith(await loadUiAssets(dir));
    const page = await app.request('/');
    const etag = page.headers.get('etag')!;
    expect(etag).toMatch(/^".+"$/);
    const again = await app.request('/', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.headers.get('content-security-policy')).toBe(CONTROL_UI_CSP);

    const script = await app.request('/ui/app-ABCDEFGH.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await script.text()).toBe(SCRIPT);
    const icon = await app.request('/ui/icon.svg');
    expect(icon.headers.get('cache-control')).toBe('no-cache');
    expect(icon.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('sends gzip only to clients that accept it', async () => {
    const app = await appWith(await loadUiAssets(dir));
    const res = await app.request('/ui/app-ABCDEFGH.js', { headers: { 'accept-encoding': 'br, gzip' } });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(bytes.byteLength).toBeLessThan(SCRIPT.length / 4);
    expect(gunzipSync(bytes).toString()).toBe(SCRIPT);
    expect(res.headers.get('vary')).toBe('accept-encoding');
  });

  it('refuses unknown names, traversal and source maps with 404', async () => {
    const app = await appWith(await loadUiAssets(dir));
    for (const path of [
      '/ui/missing.js',
      '/ui/..%2Fpackage.json',
      '/ui/.hidden',
      '/ui/app-ABCDEFGH.js.map',
    ]) {
      const res = await app.request(path);
      expect(res.status, path).toBe(404);
      expect((await res.json()).ok).toBe(false);
    }
  });

  it('is 404 when gateway.controlUi.enabled is false (the control socket stays)', async () => {
    const app = await appWith(await loadUiAssets(dir), {
      gateway: { mode: 'local', controlUi: { enabled: false } },
    });
    for (const path of ['/', '/ui/app-ABCDEFGH.js']) {
      const res = await app.request(path);
      expect(res.status).toBe(404);
      expect((await res.json()).error.message).toMatch(/controlUi\.enabled/);
    }
  });

  it('says the UI is not built (503) instead of failing when there are no assets', async () => {
    const app = await appWith(undefined);
    const res = await app.request('/');
    expect(res.status).toBe(503);
    expect((await res.json()).error.message).toMatch(/npm run build/);
    expect(await loadUiAssets(join(dir, 'nope')).catch((e: Error) => e.message)).toMatch(/ENOENT/);
  });
});
