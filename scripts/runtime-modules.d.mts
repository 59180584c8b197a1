/** Bare imports left in dist/ on purpose (scripts/build.mjs `external`). */
export const RUNTIME_MODULES: string[];
/** Lock paths of `names` and everything they depend on. */
export function runtimeClosure(lock: { packages?: Record<string, unknown> }, names?: string[]): string[];
