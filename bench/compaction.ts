// `node scripts/run-ts.mjs bench/compaction.ts`: what a compaction adds to the turn that triggers
// it. The real agent runtime, model router and state-dir store (atomic, fsync'd writes) in this
// process, over the fake Anthropic server: a turn whose transcript passes
// `compaction.thresholdTokens` (one summary call, the session rewritten, then the answer) against
// the same turn in a session of the same size with compaction out of reach. Samples alternate
// between the two, so both see the same machine; p50 over BENCH_COMPACTIONS (40) of each.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNodeStore } from '../src/adapters/node/node-store';
import type { SessionTrust } from '../src/core/agent/tools/types';
import { reply, startFakeAnthropic } from '../test/fakes/anthropic-server';
import { createTestContext } from '../test/helpers/context';
import { median, percentile } from './lib';

/** Each warm-up message is ~250 tokens (characters / 4); with its echo a turn is ~500. */
const MESSAGE = 'a'.repeat(1_000);
/** Four turns (~2,000 tokens) stay under the threshold; the fifth passes it. */
const THRESHOLD = 2_100;
const WARM_TURNS = 4;

export interface CompactionFigures {
  samples: number;
  plain: { p50: number; p99: number };
  compacting: { p50: number; p99: number };
  /** The same for an owner session, whose compaction first runs the silent memory-flush turn. */
  owner: { plain: number; compacting: number };
  addedP50: number;
  ownerAddedP50: number;
}

export async function measureCompaction(samples = 40): Promise<CompactionFigures> {
  const llm = await startFakeAnthropic({
    respond: (request) => {
      const text = request.lastUserText ?? '';
      if (text.startsWith('Summarize this conversation'))
        return reply.text('The user sent long messages of a.');
      if (text.startsWith('[Memory flush]')) return reply.text('NO_REPLY');
      return undefined;
    },
  });
  const stateDir = mkdtempSync(join(tmpdir(), 'krab-compaction-bench-'));
  const context = (thresholdTokens: number) =>
    createTestContext({
      store: createNodeStore(stateDir),
      stateDir,
      env: { ANTHROPIC_API_KEY: 'sk-ant-bench', ANTHROPIC_BASE_URL: llm.origin },
      config: {
        agents: {
          defaults: {
            model: { primary: 'anthropic/claude-bench-1' },
            contextTokens: 200_000,
            compaction: { thresholdTokens, keepRecentTurns: 2 },
          },
          list: [{ id: 'main', default: true }],
        },
      },
    });
  const compacting = context(THRESHOLD);
  const plain = context(1_000_000);
  let sessions = 0;
  /** A session of WARM_TURNS turns, then the timed turn (which compacts when the context's threshold says). */
  const sample = async (ctx: ReturnType<typeof context>, trust: SessionTrust) => {
    const sessionKey = `agent:main:bench:default:s${++sessions}`;
    for (let i = 0; i < WARM_TURNS; i++)
      await ctx.agents.runTurn({ sessionKey, message: `${i} ${MESSAGE}`, trust });
    const started = performance.now();
    await ctx.agents.runTurn({ sessionKey, message: `last ${MESSAGE}`, trust });
    return performance.now() - started;
  };
  try {
    const times = {
      plain: [] as number[],
      compacting: [] as number[],
      ownerPlain: [] as number[],
      ownerCompacting: [] as number[],
    };
    // Warm-up: the SDK import, the first connection, JIT.
    await sample(plain, 'guest');
    await sample(compacting, 'guest');
    for (let i = 0; i < samples; i++) {
      times.plain.push(await sample(plain, 'guest'));
      times.compacting.push(await sample(compacting, 'guest'));
      if (i % 2 === 0) {
        times.ownerPlain.push(await sample(plain, 'owner'));
        times.ownerCompacting.push(await sample(compacting, 'owner'));
      }
    }
    const summaries = llm.requests.filter((r) =>
      r.lastUserText?.startsWith('Summarize this conversation'),
    ).length;
    if (summaries < samples) throw new Error(`expected a compaction per sample, saw ${summaries} summaries`);
    return {
      samples,
      plain: { p50: median(times.plain), p99: percentile(times.plain, 99) },
      compacting: { p50: median(times.compacting), p99: percentile(times.compacting, 99) },
      owner: { plain: median(times.ownerPlain), compacting: median(times.ownerCompacting) },
      addedP50: median(times.compacting) - median(times.plain),
      ownerAddedP50: median(times.ownerCompacting) - median(times.ownerPlain),
    };
  } finally {
    await Promise.all([compacting.settle(), plain.settle()]);
    await llm.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('compaction.ts')) {
  console.log(JSON.stringify(await measureCompaction(Number(process.env.BENCH_COMPACTIONS ?? 40))));
}
