/** `3d 4h`, `12m 5s`: short enough for the status bar on a phone. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s % 60}s`;
  return `${s}s`;
}

export function formatTime(ts: unknown): string {
  const date = typeof ts === 'number' || typeof ts === 'string' ? new Date(ts) : undefined;
  if (!date || Number.isNaN(date.getTime())) return '–';
  const sameDay = date.toDateString() === new Date().toDateString();
  return sameDay ? date.toLocaleTimeString() : date.toLocaleString();
}

/** Payload fields differ a little between gateway versions; take the first that is a string. */
export function pickString(
  value: Record<string, unknown> | undefined,
  ...keys: string[]
): string | undefined {
  for (const key of keys) {
    const v = value?.[key];
    if (typeof v === 'string' && v !== '') return v;
    if (typeof v === 'number') return String(v);
  }
  return undefined;
}

/** The list inside an answer, whether it is the answer itself or one of its fields. */
export function pickList(value: unknown, ...keys: string[]): Record<string, unknown>[] {
  if (Array.isArray(value)) return value as Record<string, unknown>[];
  const record = value as Record<string, unknown> | null | undefined;
  for (const key of keys) if (Array.isArray(record?.[key])) return record![key] as Record<string, unknown>[];
  return [];
}
