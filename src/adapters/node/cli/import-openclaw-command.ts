import { basename, resolve } from 'node:path';
import { agentWorkspace } from '../../../core/agent/agents-config';
import { getOwn, setOwn } from '../../../core/config/forbidden-keys';
import type { KrabConfig } from '../../../core/config/schema';
import type { AgentEntry } from '../../../core/config/sections/agents';
import { CliError, EXIT } from '../exit-codes';
import { type CopyOutcome, copyWorkspace } from '../openclaw/copy-workspace';
import { type ImportResult, importOpenClaw } from '../openclaw/import';
import { isRecord, type Json } from '../openclaw/json';
import { readOpenClaw } from '../openclaw/read';
import type { Command } from './command';
import { checkAndWrite, readRawConfig } from './config-edit';
import { statePaths } from './state-options';

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

/** One agent's workspace files: from the OpenClaw folder into its krabkrab workspace. */
interface WorkspaceCopy extends CopyOutcome {
  agentId: string;
  from: string;
  to: string;
}

/** Where each copied workspace goes: the agent's krabkrab workspace in the config being written. */
async function copyWorkspaces(
  result: ImportResult,
  config: Record<string, unknown>,
  options: { stateDir: string; within: string; force: boolean; write: boolean },
): Promise<WorkspaceCopy[]> {
  const krab = config as KrabConfig;
  const out: WorkspaceCopy[] = [];
  for (const source of result.workspaces.filter((s) => s.copy)) {
    const entry: AgentEntry = krab.agents?.list?.find((e) => e.id === source.agentId) ?? {
      id: source.agentId,
    };
    const to = resolve(options.stateDir, agentWorkspace(krab, entry, options.stateDir));
    const outcome = await copyWorkspace({ from: source.dir, to, ...options });
    out.push({ agentId: source.agentId, from: source.dir, to, ...outcome });
  }
  return out;
}

function workspaceSummary(copies: WorkspaceCopy[], written: boolean): string[] {
  const lines: string[] = [];
  for (const copy of copies) {
    lines.push(`workspace of agent "${copy.agentId}": ${copy.from} -> ${copy.to}`);
    const verb = written ? 'copied' : 'to copy with --write';
    lines.push(`  ${verb} (${copy.copied.length})${copy.copied.length > 0 ? ':' : ''}`);
    lines.push(...copy.copied.map((path) => `    ${path}`));
    if (copy.skipped.length > 0)
      lines.push(
        `  skipped (${copy.skipped.length}):`,
        ...copy.skipped.map((entry) => `    ${entry.path}: ${entry.reason}`),
      );
  }
  return lines;
}

/** `krabkrab import-openclaw [dir] [--write [--force]]`: OpenClaw's config and workspace files, secrets left behind. */
export const importOpenClawCommand: Command = {
  summary:
    'Turn an OpenClaw install (~/.openclaw) into krabkrab.json and agent workspaces; --write saves them (with a backup)',
  usage: 'import-openclaw [dir | openclaw.json] [--write [--force]] [--json] [--state-dir DIR]',
  options: {
    write: { type: 'boolean' },
    force: { type: 'boolean' },
    json: { type: 'boolean' },
    'state-dir': { type: 'string' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length > 1)
      throw new CliError(`unexpected argument ${JSON.stringify(positionals[1])}`, EXIT.USAGE);
    if (values.force && !values.write) throw new CliError('--force goes with --write', EXIT.USAGE);
    const source = await readOpenClaw(positionals[0], io.env);
    const result = importOpenClaw(source, io.env);
    const { stateDir, configPath } = statePaths(values, io.env);
    // A dry run shows what would be written; an unreadable config only stops --write.
    const existing = values.write
      ? await readRawConfig(configPath, false)
      : await readRawConfig(configPath, false).catch(() => undefined);
    const config = mergeConfig(existing ?? {}, result.config);
    let written: string | undefined;
    if (values.write) {
      await checkAndWrite(configPath, existing ?? {}, config, io);
      written = configPath;
    }
    const copies = await copyWorkspaces(result, config, {
      stateDir,
      within: source.dir,
      force: values.force === true,
      write: values.write === true,
    });
    if (values.json) {
      const { workspaces: _sources, ...rest } = result;
      io.stdout(
        `${JSON.stringify({ source: source.configPath, ...rest, workspaces: copies, ...(written ? { written } : {}) }, null, 2)}\n`,
      );
      return EXIT.OK;
    }
    const kept =
      written && existing !== undefined
        ? ` (merged into the existing config; the previous file is kept as ${basename(written)}.bak.1)`
        : '';
    if (written) io.stdout(`wrote ${written}${kept}\n`);
    else io.stdout(`${JSON.stringify(result.config, null, 2)}\n`);
    io.stderr(summary(result, source.configPath));
    const workspaceLines = workspaceSummary(copies, written !== undefined);
    if (workspaceLines.length > 0) io.stderr(`${workspaceLines.join('\n')}\n`);
    return EXIT.OK;
  },
};
