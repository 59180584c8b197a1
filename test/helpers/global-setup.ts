import { execFileSync } from 'node:child_process';

/** Integration tests run `node dist/index.js` as a user would, so the bundle is built once before them. */
export default function setup(): void {
  if (process.env.KRABKRAB_SKIP_BUILD) return;
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}
