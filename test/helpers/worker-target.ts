import { execFileSync } from 'node:child_process';
import { Miniflare } from 'miniflare';

let built = false;

/** Builds dist/worker once per test process (the global setup builds only the Node bundle). */
export function buildWorker(): void {
  if (built) return;
  execFileSync(process.execPath, ['scripts/build-worker.mjs'], {
    stdio: 'ignore',
    env: { ...process.env, QUIET: '1' },
  });
  built = true;
}

export interface WorkerTarget {
  mf: Miniflare;
  url: string;
  stop(): Promise<void>;
  scheduled(time?: number): Promise<{ status: number; text(): Promise<string> }>;
}

/** Runs the built Worker in workerd (miniflare), with bindings as `wrangler secret put` would set them. */
export async function startWorker(
  bindings: Record<string, string> = {},
  config?: Record<string, unknown>,
): Promise<WorkerTarget> {
  buildWorker();
  const mf = new Miniflare({
    modules: true,
    scriptPath: 'dist/worker/index.js',
    compatibilityDate: '2025-09-01',
    durableObjects: { GATEWAY: 'KrabKrabGateway' },
    assets: {
      directory: 'dist/ui',
      binding: 'ASSETS',
      routerConfig: { invoke_user_worker_ahead_of_assets: true, has_user_worker: true },
    },
    bindings: { ...bindings, ...(config ? { KRABKRAB_CONFIG: JSON.stringify(config) } : {}) },
    host: '127.0.0.1',
    port: 0,
  });
  const url = (await mf.ready).toString().replace(/\/$/, '');
  return {
    mf,
    url,
    stop: () => mf.dispose(),
    scheduled: (time = Date.now()) =>
      mf.dispatchFetch(`http://localhost/cdn-cgi/handler/scheduled?time=${time}&cron=*+*+*+*+*`),
  };
}
