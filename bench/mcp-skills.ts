import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freeLoopbackPort as freePort } from '../src/adapters/node/free-port';
import { systemClock } from '../src/core/runtime/clock';
import { sleep } from '../src/core/runtime/sleep';
import { startHttpFixture } from '../test/fixtures/mcp/http-server.mjs';
import { BENCH_NODE, median, rssMiB, stop, table, timeToFirst200 } from './lib';
import type { GatewaySetup } from './startup';

// From the repository root, as `dist/index.js` (the bench runs bundled from a cache folder).
const STDIO_FIXTURE = resolve('test/fixtures/mcp/stdio-server.mjs');
const TOOLS_LINE = /\[mcp\] fx: connected/;

export interface McpSkillsFigures {
  runs: number;
  guide: Sample;
  withMcp: Sample & { toolsMs: number };
}

interface Sample {
  startMs: number;
  startCpuMs: number;
  startRssMiB: number;
  idleRssMiB: number;
}

/** Spawns the gateway on `stateDir`: the first 200 on /health (CPU and RSS then), and optionally a log line. */
async function startOnce(stateDir: string, env: Record<string, string>, line?: RegExp) {
  const port = await freePort();
  return timeToFirst200(
    [BENCH_NODE, 'dist/index.js', 'gateway', '--port', String(port)],
    `http://127.0.0.1:${port}/health`,
    { PATH: process.env.PATH, HOME: stateDir, ...env, krabkrab_STATE_DIR: stateDir },
    line,
  );
}

function writeSkills(stateDir: string, count: number): void {
  for (let i = 1; i <= count; i++) {
    const dir = join(stateDir, 'skills', `skill-${i}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'SKILL.md'),
      `---\nname: skill-${i}\ndescription: Bench skill ${i}: does one small thing well.\n---\n# Skill ${i}\n\nSteps.\n`,
    );
  }
}

/**
 * `runs` rounds, each starting the gateway with the guide config and with MCP + skills (alternated,
 * so machine noise hits both alike); the last `idleSamples` rounds also idle `idleMs` and sample RSS.
 */
export async function measureMcpSkills(
  setup: GatewaySetup,
  runs = 5,
  idleMs = 5000,
  idleSamples = 3,
): Promise<McpSkillsFigures> {
  const http = await startHttpFixture();
  const root = mkdtempSync(join(tmpdir(), 'krab-bench-mcp-'));
  const guideDir = join(root, 'guide');
  const mcpDir = join(root, 'mcp');
  mkdirSync(guideDir);
  mkdirSync(mcpDir);
  writeFileSync(join(guideDir, 'krabkrab.json'), JSON.stringify(setup.config));
  const withMcp = {
    ...setup.config,
    mcp: {
      servers: {
        fx: { command: BENCH_NODE, args: [STDIO_FIXTURE] },
        web: { url: `${http.origin}/mcp` },
      },
    },
  };
  writeFileSync(join(mcpDir, 'krabkrab.json'), JSON.stringify(withMcp));
  writeSkills(mcpDir, 10);
  const guide = { ms: [] as number[], cpu: [] as number[], rss: [] as number[], idle: [] as number[] };
  const mcp = { ...structuredClone(guide), tools: [] as number[] };
  try {
    // Warm-up (page cache, the state dirs' first writes): not measured.
    for (const dir of [guideDir, mcpDir]) await stop((await startOnce(dir, setup.env)).child);
    for (let i = 0; i < runs; i++) {
      const idle = i >= runs - idleSamples;
      const a = await startOnce(guideDir, setup.env);
      const b = await startOnce(mcpDir, setup.env, TOOLS_LINE);
      for (const [run, into] of [
        [a, guide],
        [b, mcp],
      ] as const) {
        into.ms.push(run.ms);
        into.cpu.push(run.cpuMs);
        into.rss.push(run.rssMiB);
      }
      mcp.tools.push(b.lineMs as number);
      if (idle) {
        await sleep(systemClock, idleMs);
        guide.idle.push(rssMiB(a.child.pid!));
        mcp.idle.push(rssMiB(b.child.pid!));
      }
      await stop(a.child);
      await stop(b.child);
    }
    const sample = (s: typeof guide): Sample => ({
      startMs: median(s.ms),
      startCpuMs: median(s.cpu),
      startRssMiB: median(s.rss),
      idleRssMiB: median(s.idle),
    });
    return { runs, guide: sample(guide), withMcp: { ...sample(mcp), toolsMs: median(mcp.tools) } };
  } finally {
    rmSync(root, { recursive: true, force: true });
    await http.close();
  }
}

/** The rows for `bench/run.ts`'s output. */
export function mcpSkillsRows(f: McpSkillsFigures): Array<Record<string, string>> {
  const ms = (v: number) => `${v.toFixed(0)} ms`;
  const mib = (v: number) => `${v.toFixed(1)} MiB`;
  const x = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
  return [
    {
      measure: `start → first 200, wall / CPU (median of ${f.runs}; + 2 MCP servers, 10 skills)`,
      'guide config': `${ms(f.guide.startMs)} / ${ms(f.guide.startCpuMs)}`,
      'with MCP + skills': `${ms(f.withMcp.startMs)} / ${ms(f.withMcp.startCpuMs)}`,
      ratio: `${x(f.withMcp.startMs, f.guide.startMs)} / ${x(f.withMcp.startCpuMs, f.guide.startCpuMs)}`,
    },
    {
      measure: 'RSS at the first 200 (nothing of MCP loaded yet)',
      'guide config': mib(f.guide.startRssMiB),
      'with MCP + skills': mib(f.withMcp.startRssMiB),
      ratio: x(f.withMcp.startRssMiB, f.guide.startRssMiB),
    },
    {
      measure: 'RSS after 5 s idle (servers connected; the stdio server is its own process)',
      'guide config': mib(f.guide.idleRssMiB),
      'with MCP + skills': mib(f.withMcp.idleRssMiB),
      ratio: x(f.withMcp.idleRssMiB, f.guide.idleRssMiB),
    },
    {
      measure: 'spawn → MCP tools available (stdio fixture server, "[mcp] fx: connected")',
      'guide config': '',
      'with MCP + skills': ms(f.withMcp.toolsMs),
      ratio: '',
    },
  ];
}

if (process.argv[1]?.endsWith('mcp-skills.ts')) {
  const { startGuideSetup } = await import('./guide-setup');
  const guide = await startGuideSetup();
  const figures = await measureMcpSkills(guide.setup, Number(process.env.BENCH_RUNS ?? 5));
  await guide.close();
  console.log(table(mcpSkillsRows(figures)));
  console.log(JSON.stringify(figures));
}
