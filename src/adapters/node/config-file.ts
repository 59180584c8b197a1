import { watch } from 'node:fs';
import { readdir, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { minimalConfig } from '../../core/config/minimal';
import { type ConfigResult, parseConfigText } from '../../core/config/parse';
import type { EnvRecord } from '../../core/env';
import { VERSION } from '../../core/version';
import { writeFileAtomic } from './atomic-write';

export type ConfigFileResult = ConfigResult | { ok: 'missing' };

/** Reads and checks `krabkrab.json`; a missing file is its own answer, not an error. */
export async function readConfigFile(path: string, env: EnvRecord): Promise<ConfigFileResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: 'missing' };
    return { ok: false, problems: [{ path: '', message: `cannot read ${path} (${code})` }] };
  }
  return parseConfigText(text, env);
}

const BACKUPS_KEPT = 5;

/**
 * The one way `krabkrab.json` is written (CLI, WS `config.apply`, onboarding): atomically, keeping
 * the previous file as `krabkrab.json.bak.1` (older ones shifted up to `.bak.5`), with
 * `meta.lastTouchedVersion` and `meta.lastTouchedAt` stamped onto `raw` itself (so a caller's
 * in-memory copy matches the file). Every other key is written as given.
 */
export async function writeConfigFile(path: string, raw: Record<string, unknown>): Promise<void> {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new TypeError('writeConfigFile: expected a config object');
  const meta =
    raw.meta && typeof raw.meta === 'object' && !Array.isArray(raw.meta)
      ? (raw.meta as Record<string, unknown>)
      : {};
  raw.meta = { ...meta, lastTouchedVersion: VERSION, lastTouchedAt: new Date().toISOString() };
  await rotateBackups(path);
  await writeFileAtomic(path, `${JSON.stringify(raw, null, 2)}\n`);
}

async function rotateBackups(path: string): Promise<void> {
  const current = await readFile(path).catch(() => undefined);
  if (current === undefined) return;
  const dir = dirname(path);
  const name = basename(path);
  const existing = new Set(await readdir(dir).catch(() => [] as string[]));
  for (let n = BACKUPS_KEPT; n >= 1; n--) {
    const from = `${name}.bak.${n}`;
    if (!existing.has(from)) continue;
    if (n === BACKUPS_KEPT) await unlink(join(dir, from)).catch(() => {});
    else await rename(join(dir, from), join(dir, `${name}.bak.${n + 1}`)).catch(() => {});
  }
  await writeFileAtomic(join(dir, `${name}.bak.1`), current);
}

/** Writes the minimal config of `--allow-unconfigured`. */
export async function writeMinimalConfig(path: string): Promise<Record<string, unknown>> {
  const raw = minimalConfig();
  await writeConfigFile(path, raw);
  return raw;
}

/**
 * Calls `onChange` (debounced) when the config file changes on disk. The directory is watched,
 * not the file, because editors and `tee` replace the file rather than write into it.
 */
export function watchConfigFile(path: string, onChange: () => void, debounceMs = 250): () => void {
  const name = basename(path);
  let timer: NodeJS.Timeout | undefined;
  let watcher: ReturnType<typeof watch> | undefined;
  try {
    watcher = watch(dirname(path), { persistent: false }, (_event, file) => {
      if (file !== null && file !== name) return;
      clearTimeout(timer);
      timer = setTimeout(onChange, debounceMs);
    });
    watcher.on('error', () => {});
  } catch {
    // Watching is a convenience; SIGHUP still reloads.
  }
  return () => {
    clearTimeout(timer);
    watcher?.close();
  };
}
