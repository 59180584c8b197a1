// What the Discord channel costs: start, idle RSS and time to "[discord] logged in", with the
// guide's config and Discord enabled (fake Discord on loopback) vs the same config with it off,
// each beside a bare node:http server measured in the same run.
// Run: npm run build && node scripts/run-ts.mjs bench/discord.ts
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeAnthropic } from '../test/fakes/anthropic-server';
import { startFakeDiscord } from '../test/fakes/discord';
import { BENCH_NODE, median, table } from './lib';
import { measureStartup } from './startup';

const runs = Number(process.env.BENCH_RUNS ?? 5);
const [discord, anthropic] = await Promise.all([startFakeDiscord(), startFakeAnthropic()]);
const guide = JSON.parse(readFileSync('test/fixtures/guide-config.json', 'utf8'));
const env = {
  ANTHROPIC_API_KEY: 'sk-ant-bench',
  ANTHROPIC_BASE_URL: anthropic.baseUrl,
  DISCORD_BOT_TOKEN: discord.token,
  DISCORD_API_BASE: discord.apiBase,
  krabkrab_GATEWAY_TOKEN: 'bench-token-0123456789',
};
const off = structuredClone(guide);
off.channels.discord.enabled = false;

async function timeToLogin(): Promise<number> {
  const stateDir = mkdtempSync(join(tmpdir(), 'krab-bench-discord-'));
  writeFileSync(join(stateDir, 'krabkrab.json'), JSON.stringify(guide));
  const started = performance.now();
  const child = spawn(BENCH_NODE, ['dist/index.js', 'gateway', '--port', '0'], {
    env: { PATH: process.env.PATH, HOME: stateDir, ...env, krabkrab_STATE_DIR: stateDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    return await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no discord login within 15 s')), 15_000);
      child.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('[discord] logged in')) {
          clearTimeout(timer);
          resolve(performance.now() - started);
        }
      });
    });
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(stateDir, { recursive: true, force: true });
  }
}

console.log(`Discord channel cost (Node ${process.version}, ${runs} runs, medians)\n`);
const without = await measureStartup({ config: off, env }, runs);
const withDiscord = await measureStartup({ config: guide, env }, runs);
const logins: number[] = [];
for (let i = 0; i < runs; i++) logins.push(await timeToLogin());
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
console.log(
  table([
    {
      server: 'bare node:http (run 1)',
      'start (ms)': without.baselineStartMs.toFixed(0),
      'idle RSS (MiB)': without.baselineIdleRssMiB.toFixed(1),
      'vs bare': '1.00x / 1.00x',
    },
    {
      server: 'guide config, discord off',
      'start (ms)': without.gatewayStartMs.toFixed(0),
      'idle RSS (MiB)': without.gatewayIdleRssMiB.toFixed(1),
      'vs bare': `${ratio(without.gatewayStartMs, without.baselineStartMs)} / ${ratio(without.gatewayIdleRssMiB, without.baselineIdleRssMiB)}`,
    },
    {
      server: 'bare node:http (run 2)',
      'start (ms)': withDiscord.baselineStartMs.toFixed(0),
      'idle RSS (MiB)': withDiscord.baselineIdleRssMiB.toFixed(1),
      'vs bare': '1.00x / 1.00x',
    },
    {
      server: 'guide config, discord connected',
      'start (ms)': withDiscord.gatewayStartMs.toFixed(0),
      'idle RSS (MiB)': withDiscord.gatewayIdleRssMiB.toFixed(1),
      'vs bare': `${ratio(withDiscord.gatewayStartMs, withDiscord.baselineStartMs)} / ${ratio(withDiscord.gatewayIdleRssMiB, withDiscord.baselineIdleRssMiB)}`,
    },
  ]),
);
console.log(
  `\nspawn → "[discord] logged in to discord as krabbot": ${median(logins).toFixed(0)} ms (median of ${runs})`,
);
console.log(
  `discord's own idle RSS: ${(withDiscord.gatewayIdleRssMiB - without.gatewayIdleRssMiB).toFixed(1)} MiB`,
);
await Promise.all([discord.close(), anthropic.close()]);
