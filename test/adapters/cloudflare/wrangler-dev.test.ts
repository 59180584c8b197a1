import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freeLoopbackPort } from '../../../src/adapters/node/free-port';
import { removeDir, tempStateDir } from '../../helpers/gateway-process';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
let child: ChildProcess | undefined;
let tree: string | undefined;
afterAll(() => {
  // wrangler starts workerd as its child: end the whole group it leads.
  if (child?.pid && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
  if (tree) removeDir(tree);
});

/** Polls until `url` answers 200 or the deadline passes (bounded: at most `ms`). */
async function waitFor200(url: string, ms: number, log: () => string): Promise<Response> {
  const deadline = Date.now() + ms;
  for (let attempt = 0; Date.now() < deadline && attempt < 400; attempt++) {
    const res = await fetch(url).catch(() => undefined);
    if (res?.status === 200) return res;
    if (child?.exitCode !== null) throw new Error(`wrangler exited:\n${log()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no 200 from ${url} within ${ms} ms:\n${log()}`);
}

describe('wrangler dev -c wrangler.example.toml on a fresh clone (no dist/)', () => {
  it('builds the Worker and the Control UI first ([build] command), then serves them', async () => {
    tree = tempStateDir('krab-wrangler-clone-');
    for (const entry of ['src', 'scripts', 'package.json', 'wrangler.example.toml'])
      cpSync(join(REPO, entry), join(tree, entry), { recursive: true });
    symlinkSync(join(REPO, 'node_modules'), join(tree, 'node_modules'));
    expect(existsSync(join(tree, 'dist'))).toBe(false);

    const port = await freeLoopbackPort();
    let log = '';
    child = spawn(
      process.execPath,
      [
        'node_modules/wrangler/bin/wrangler.js',
        'dev',
        '-c',
        'wrangler.example.toml',
        '--ip',
        '127.0.0.1',
        '--port',
        String(port),
      ],
      {
        cwd: tree,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          PATH: process.env.PATH,
          HOME: tree,
          WRANGLER_SEND_METRICS: 'false',
          CI: '1',
          XDG_CONFIG_HOME: join(tree, '.config'),
        },
      },
    );
    child.stdout?.on('data', (chunk) => (log += chunk));
    child.stderr?.on('data', (chunk) => (log += chunk));

    const health = await waitFor200(`http://127.0.0.1:${port}/health`, 90_000, () => log);
    expect(await health.json()).toEqual({ ok: true });
    expect(log).toContain('[custom build] Running: node scripts/build-worker.mjs --with-ui');
    expect(existsSync(join(tree, 'dist/worker/index.js'))).toBe(true);
    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<script type="module" src="\/ui\/app-[\w-]+\.js"/);
  }, 120_000);
});
