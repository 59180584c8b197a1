// `npm run bench`: figures for the README, each beside a baseline measured in the same run.
import { table } from './lib';
import { measureSizes } from './sizes';
import { measureStartup } from './startup';

const runs = Number(process.env.BENCH_RUNS ?? 10);
const guideSetup = {
  config: JSON.parse((await import('node:fs')).readFileSync('test/fixtures/guide-config.json', 'utf8')),
  env: { ANTHROPIC_API_KEY: 'sk-ant-bench', OPENAI_API_KEY: 'sk-bench', krabkrab_GATEWAY_TOKEN: 'bench-token-0123456789' },
};

console.log(`KrabKrab benchmarks (Node ${process.version}, ${runs} runs, medians)\n`);
const startup = await measureStartup(guideSetup, runs);
console.log(
  table([
    { server: 'bare node:http', 'start → first 200 (ms)': startup.baselineStartMs.toFixed(0), 'idle RSS (MiB)': startup.baselineIdleRssMiB.toFixed(1), ratio: '1.00x / 1.00x' },
    {
      server: 'krabkrab gateway (guide config)',
      'start → first 200 (ms)': startup.gatewayStartMs.toFixed(0),
      'idle RSS (MiB)': startup.gatewayIdleRssMiB.toFixed(1),
      ratio: `${(startup.gatewayStartMs / startup.baselineStartMs).toFixed(2)}x / ${(startup.gatewayIdleRssMiB / startup.baselineIdleRssMiB).toFixed(2)}x`,
    },
  ]),
);
const sizes = measureSizes();
console.log(`\nproduction node_modules: ${sizes.prodNodeModulesMiB.toFixed(1)} MiB; dist/: ${sizes.distMiB.toFixed(2)} MiB; JS bundle gzip: ${sizes.bundleGzipKiB.toFixed(0)} KiB`);
