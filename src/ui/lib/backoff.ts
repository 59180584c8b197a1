/** Reconnect delays: 0.5 s doubling to 30 s, with up to 20 % jitter so many tabs do not retry in step. */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(30_000, 500 * 2 ** Math.max(0, attempt));
  return Math.round(base * (1 + 0.2 * random()));
}
