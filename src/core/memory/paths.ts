import { GatewayError } from '../errors';

export const MEMORY_FILE = 'MEMORY.md';
export const NOTES_DIR = 'memory';

/** True for `MEMORY.md` and Markdown files under `memory/`: the files memory search covers. */
export function isMemoryPath(path: string): boolean {
  if (path === MEMORY_FILE) return true;
  return (
    path.startsWith(`${NOTES_DIR}/`) &&
    path.toLowerCase().endsWith('.md') &&
    path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..') &&
    !/[\\\0]/.test(path)
  );
}

/** Normalizes a path the model gave (`./memory/x.md`, `/MEMORY.md`) and refuses anything else. */
export function checkMemoryPath(raw: string): string {
  const path = raw.trim().replace(/^\.\//, '').replace(/^\/+/, '');
  if (!isMemoryPath(path))
    throw new GatewayError(
      'INVALID_PARAMS',
      `${JSON.stringify(raw)} is not a memory file: use MEMORY.md or memory/<name>.md`,
    );
  return path;
}

/** `memory/2026-01-05.md` for a time, in UTC. */
export function dailyNotePath(now: number): string {
  return `${NOTES_DIR}/${new Date(now).toISOString().slice(0, 10)}.md`;
}

/** The day a daily note is about (`memory/2026-01-05.md` -> its UTC midnight), if the name says. */
export function noteDay(path: string): number | undefined {
  const match = /(?:^|\/)(\d{4}-\d{2}-\d{2})[^/]*\.md$/i.exec(path);
  if (!match?.[1]) return undefined;
  const day = Date.parse(`${match[1]}T00:00:00Z`);
  return Number.isNaN(day) ? undefined : day;
}
