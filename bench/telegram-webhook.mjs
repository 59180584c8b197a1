// Kept for the command the README's Telegram section names; the measurement lives in
// bench/webhook-acks.ts (shared with npm run bench).
//   npm run build && node bench/telegram-webhook.mjs [requests=2000] [concurrency=16]
import { spawnSync } from 'node:child_process';

const { status } = spawnSync(
  process.execPath,
  ['scripts/run-ts.mjs', 'bench/telegram-webhook.ts', ...process.argv.slice(2)],
  {
    stdio: 'inherit',
  },
);
process.exit(status ?? 1);
