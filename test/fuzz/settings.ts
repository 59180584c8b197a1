import type fc from 'fast-check';

/**
 * Fuzz runs are seeded, so a failure reproduces: the report prints the seed and the path;
 * rerun with `FUZZ_SEED=<seed> FUZZ_PATH=<path>`. `npm run fuzz` sets FUZZ_RUNS=10000; the normal
 * test run uses a few hundred cases per boundary.
 */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 200);
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 0x6b72_6162);
const FUZZ_PATH = process.env.FUZZ_PATH;

const explicit = process.env.FUZZ_RUNS !== undefined;

/**
 * The normal test run gives boundaries whose cases send several requests a `share` of the
 * default; an explicit FUZZ_RUNS (npm run fuzz) runs that many cases everywhere.
 */
function runsFor(share: number): number {
  return Math.max(1, Math.round(FUZZ_RUNS * (explicit ? 1 : share)));
}

export function fuzzParams<T>(share = 1): fc.Parameters<T> {
  const numRuns = runsFor(share);
  return { numRuns, seed: FUZZ_SEED, ...(FUZZ_PATH ? { path: FUZZ_PATH } : {}) };
}

/** A timeout for one property: generous per case, at least 30 s. */
export function fuzzTimeout(msPerCase: number, share = 1): number {
  return Math.max(30_000, Math.round(runsFor(share) * msPerCase));
}
