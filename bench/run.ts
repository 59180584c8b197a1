// `npm run bench`: figures for the README, each beside a baseline measured in the same run.
import { readFileSync } from 'node:fs';
import { startFakeAnthropic } from '../test/fakes/anthropic-server';
import { startFakeDiscord } from '../test/fakes/discord';
import { startFakeOpenAI } from '../test/fakes/openai-server';
import { startFakeBotApi } from '../test/fakes/telegram-bot-api';
import { table } from './lib';
import { measureSizes } from './sizes';
import { measureStartup } from './startup';

const runs = Number(process.env.BENCH_RUNS ?? 10);

// The guide's config plus a Telegram channel, with both channels and both providers pointed at
// local stand-ins, so the gateway logs in and polls for real during the measurement.
const [telegram, discord, anthropic, openai] = await Promise.all([
  startFakeBotApi(),
  startFakeDiscord(),
  startFakeAnthropic(),
  startFakeOpenAI(),
]);
const config = JSON.parse(readFileSync('test/fixtures/guide-config.json', 'utf8'));
config.channels.telegram = { enabled: true, dmPolicy: 'pairing' };
const guideSetup = {
  config,
  env: {
    ANTHROPIC_API_KEY: 'sk-ant-bench',
    ANTHROPIC_BASE_URL: anthropic.baseUrl,
    OPENAI_API_KEY: 'sk-bench',
    OPENAI_BASE_URL: openai.baseUrl,
    TELEGRAM_BOT_TOKEN: telegram.token,
    TELEGRAM_API_ROOT: telegram.origin,
    DISCORD_BOT_TOKEN: discord.token,
    DISCORD_API_BASE: discord.apiBase,
    DISCORD_GATEWAY_URL: discord.gatewayUrl,
    krabkrab_GATEWAY_TOKEN: 'bench-token-0123456789',
  },
};

console.log(`KrabKrab benchmarks (Node ${process.version}, ${runs} runs, medians)\n`);
const startup = await measureStartup(guideSetup, runs);
console.log(
  table([
    {
      server: 'bare node:http',
      'start → first 200 (ms)': startup.baselineStartMs.toFixed(0),
      'idle RSS (MiB)': startup.baselineIdleRssMiB.toFixed(1),
      ratio: '1.00x / 1.00x',
    },
    {
      server: 'krabkrab gateway (guide config)',
      'start → first 200 (ms)': startup.gatewayStartMs.toFixed(0),
      'idle RSS (MiB)': startup.gatewayIdleRssMiB.toFixed(1),
      ratio: `${(startup.gatewayStartMs / startup.baselineStartMs).toFixed(2)}x / ${(startup.gatewayIdleRssMiB / startup.baselineIdleRssMiB).toFixed(2)}x`,
    },
  ]),
);
const sizes = measureSizes();
console.log(
  `\nproduction node_modules: ${sizes.prodNodeModulesMiB.toFixed(1)} MiB; dist/: ${sizes.distMiB.toFixed(2)} MiB; JS bundle gzip: ${sizes.bundleGzipKiB.toFixed(0)} KiB`,
);

await Promise.all([telegram.close(), discord.close(), anthropic.close(), openai.close()]);
