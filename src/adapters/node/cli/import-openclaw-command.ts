import { basename } from 'node:path';
import { getOwn, setOwn } from '../../../core/config/forbidden-keys';
import { CliError, EXIT } from '../exit-codes';
import { type ImportResult, importOpenClaw } from '../openclaw/import';
import { readOpenClaw } from '../openclaw/read';
import type { Command } from './command';
import { checkAndWrite, readRawConfig } from './config-edit';
import { statePaths } from './state-options';

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json =>
  Boolean(value && typeof value === 'object' && !Array.isArray(value));

/** The imported settings over the existing config: objects merged key by key, the import winning; nothing else dropped. */
export function mergeConfig(existing: Json, imported: Json): Json {
  const out: Json = { ...existing };
  for (const [key, value] of Object.entries(imported)) {
    const current = getOwn(existing, key);
    // setOwn: an odd key stays visible, for the config check before writing to refuse by path.
    setOwn(out, key, isRecord(value) && isRecord(current) ? mergeConfig(current, value) : value);
  }
  return out;
}

function summary(result: ImportResult, source: string): string {
  const lines = [
    `imported ${source}`,
    `mapped (${result.mapped.length}):`,
    ...result.mapped.map((path) => `  ${path}`),
  ];
  lines.push(
    `not mapped (${result.notMapped.length}):`,
    ...result.notMapped.map((entry) => `  ${entry.path}: ${entry.reason}`),
  );
  if (result.notes.length > 0) lines.push('notes:', ...result.notes.map((note) => `  ${note}`));
  if (result.secrets.length > 0) {
    const byName = new Map<string, string[]>();
    for (const { env, from } of result.secrets) byName.set(env, [...(byName.get(env) ?? []), from]);
    const width = Math.max(...[...byName.keys()].map((name) => name.length));
    lines.push(
      'secrets were not copied; set these env vars (fly secrets set NAME=..., or krabkrab secrets set NAME):',
      ...[...byName].map(([name, from]) => `  ${name.padEnd(width)}  <- ${from.join(', ')}`),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** `krabkrab import-openclaw [dir] [--write]`: OpenClaw's openclaw.json as a krabkrab.json, secrets left behind. */
export const importOpenClawCommand: Command = {
  summary:
    'Turn an OpenClaw install (~/.openclaw/openclaw.json) into krabkrab.json; --write saves it (with a backup)',
  usage: 'import-openclaw [dir | openclaw.json] [--write] [--json] [--state-dir DIR]',
  options: { write: { type: 'boolean' }, json: { type: 'boolean' }, 'state-dir': { type: 'string' } },
  async run({ values, positionals }, io) {
    if (positionals.length > 1)
      throw new CliError(`unexpected argument ${JSON.stringify(positionals[1])}`, EXIT.USAGE);
    const source = await readOpenClaw(positionals[0], io.env);
    const result = importOpenClaw(source, io.env);
    let written: string | undefined;
    let merged = false;
    if (values.write) {
      const { configPath } = statePaths(values, io.env);
      const existing = await readRawConfig(configPath, false);
      await checkAndWrite(configPath, existing ?? {}, mergeConfig(existing ?? {}, result.config), io);
      written = configPath;
      merged = existing !== undefined;
    }
    if (values.json) {
      io.stdout(
        `${JSON.stringify({ source: source.configPath, ...result, ...(written ? { written } : {}) }, null, 2)}\n`,
      );
      return EXIT.OK;
    }
    const kept = merged
      ? ` (merged into the existing config; the previous file is kept as ${basename(written ?? '')}.bak.1)`
      : '';
    if (written) io.stdout(`wrote ${written}${kept}\n`);
    else io.stdout(`${JSON.stringify(result.config, null, 2)}\n`);
    io.stderr(summary(result, source.configPath));
    return EXIT.OK;
  },
};
