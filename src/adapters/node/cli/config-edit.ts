import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import JSON5 from 'json5';
import {
  formatDottedPath,
  getAtPath,
  type PathSegment,
  parseDottedPath,
  setAtPath,
  unsetAtPath,
} from '../../../core/config/dotted-path';
import { parseConfigValue } from '../../../core/config/parse';
import { type ConfigProblem, formatProblem } from '../../../core/config/problems';
import { redactConfig, restoreSecrets } from '../../../core/config/redact';
import type { EnvRecord } from '../../../core/env';
import { isGatewayError } from '../../../core/errors';
import { writeConfigFile } from '../config-file';
import { CliError, EXIT } from '../exit-codes';
import type { CliIo } from './command';
import { statePaths } from './state-options';

type Values = Record<string, unknown>;

/** `config get [path]`: strings print bare (for `$(...)`), anything else as JSON; secrets redacted. */
export async function configGet(args: string[], values: Values, io: CliIo): Promise<number> {
  if (args.length > 1) throw new CliError('usage: config get [dotted.path]', EXIT.USAGE);
  const { configPath } = statePaths(values, io.env);
  const raw = await readRawConfig(configPath, true);
  const shown = redactConfig(raw ?? {});
  if (args[0] === undefined) {
    io.stdout(`${JSON.stringify(shown, null, 2)}\n`);
    return EXIT.OK;
  }
  const segments = pathArg(args[0]);
  const { found, value } = getAtPath(shown, segments);
  if (!found) {
    io.stderr(`krabkrab config: ${formatDottedPath(segments)} is not set in ${configPath}\n`);
    return EXIT.ERROR;
  }
  io.stdout(typeof value === 'string' ? `${value}\n` : `${JSON.stringify(value, null, 2)}\n`);
  return EXIT.OK;
}

/** `config set <path> <json-value>`: checked against the schema, secrets refused, written with a backup. */
export async function configSet(args: string[], values: Values, io: CliIo): Promise<number> {
  if (args.length !== 2) throw new CliError('usage: config set <dotted.path> <json-value>', EXIT.USAGE);
  const path = args[0] as string;
  const value = parseValueArg(args[1] as string);
  const { configPath } = statePaths(values, io.env);
  const existed = await setConfigValues(configPath, [[path, value]], io);
  io.stdout(
    `set ${formatDottedPath(pathArg(path))} = ${JSON.stringify(value)}${existed ? backupNote(configPath) : ''}\n`,
  );
  return EXIT.OK;
}

/**
 * Sets each `[dotted.path, value]` in one checked write: one read of krabkrab.json and one backup
 * for all of them (`config set`, and a login setting its channel's keys once the phone is linked).
 * Answers whether the file existed before.
 */
export async function setConfigValues(
  configPath: string,
  entries: Array<[path: string, value: unknown]>,
  io: CliIo,
): Promise<boolean> {
  const edits = entries.map(([path, value]) => [pathArg(path), value] as const);
  const existing = await readRawConfig(configPath, false);
  const before = existing ?? {};
  let after: Record<string, unknown>;
  try {
    after = edits.reduce((doc, [segments, value]) => setAtPath(doc, segments, value), before);
  } catch (error) {
    throw new CliError(isGatewayError(error) ? error.message : String(error), EXIT.USAGE);
  }
  await checkAndWrite(configPath, before, after, io);
  return existing !== undefined;
}

/** `config unset <path>`: removes one key or array item, checked like `set`. */
export async function configUnset(args: string[], values: Values, io: CliIo): Promise<number> {
  if (args.length !== 1) throw new CliError('usage: config unset <dotted.path>', EXIT.USAGE);
  const segments = pathArg(args[0] as string);
  const { configPath } = statePaths(values, io.env);
  const before = (await readRawConfig(configPath, true)) ?? {};
  const { value: after, removed } = unsetAtPath(before, segments);
  if (!removed) {
    io.stderr(
      `krabkrab config: ${formatDottedPath(segments)} is not set in ${configPath}; nothing changed\n`,
    );
    return EXIT.ERROR;
  }
  await checkAndWrite(configPath, before, after, io);
  io.stdout(`unset ${formatDottedPath(segments)}${backupNote(configPath)}\n`);
  return EXIT.OK;
}

function pathArg(text: string): PathSegment[] {
  try {
    return parseDottedPath(text);
  } catch (error) {
    throw new CliError(isGatewayError(error) ? error.message : String(error), EXIT.USAGE);
  }
}

/** JSON5 (`3000`, `true`, `["a"]`, `{a:1}`, `"text"`); anything that does not parse is taken as a plain string (`lan`). */
function parseValueArg(text: string): unknown {
  try {
    return JSON5.parse(text);
  } catch {
    return text;
  }
}

export async function readRawConfig(
  path: string,
  mustExist: boolean,
): Promise<Record<string, unknown> | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !mustExist) return undefined;
    if (code === 'ENOENT')
      throw new CliError(
        `no config at ${path} (start the gateway with --allow-unconfigured, or use config set)`,
        EXIT.CONFIG,
      );
    throw new CliError(`cannot read ${path} (${code})`, EXIT.CONFIG);
  }
  try {
    const raw: unknown = JSON5.parse(text);
    if (raw && typeof raw === 'object' && !Array.isArray(raw)) return raw as Record<string, unknown>;
  } catch (error) {
    throw new CliError(
      `${path} is not valid JSON or JSON5 (${(error as Error).message}); fix it by hand or restore ${basename(path)}.bak.1`,
      EXIT.CONFIG,
    );
  }
  throw new CliError(`${path}: expected a JSON object at the top level`, EXIT.CONFIG);
}

/**
 * Writes `after` unless it brings problems `before` did not have: an edit may leave an already
 * broken file no worse (so problems can be fixed one `set` at a time), never make it worse.
 * A `${VAR}` unset in this shell is not held against the edit (Fly secrets may be absent in ssh).
 * A literal secret is refused; the redaction marker (`__redacted__`) keeps the stored value.
 */
export async function checkAndWrite(
  path: string,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  io: CliIo,
): Promise<void> {
  // The same secret rule as `config.apply`: a secret field holds one ${VAR} reference, nothing else.
  const refused: ConfigProblem[] = [];
  const written = restoreSecrets(after, before, refused) as Record<string, unknown>;
  if (refused.length > 0)
    throw new CliError(`refusing to write a secret: ${refused.map(formatProblem).join('; ')}`);
  const old = new Set(problemsOf(before, io.env).map(formatProblem));
  const current = problemsOf(written, io.env);
  const added = current.filter((problem) => !old.has(formatProblem(problem)));
  if (added.length > 0) {
    throw new CliError(
      `not written, the change makes the config invalid:\n${added.map((p) => `  ${formatProblem(p)}`).join('\n')}`,
      EXIT.CONFIG,
    );
  }
  await writeConfigFile(path, written);
  if (current.length > 0) {
    io.stderr(
      `warning: ${path} still has ${current.length} problem(s):\n${current.map((p) => `  ${formatProblem(p)}\n`).join('')}`,
    );
  }
}

function problemsOf(raw: Record<string, unknown>, env: EnvRecord): ConfigProblem[] {
  const result = parseConfigValue(raw, env);
  if (result.ok) return [];
  const unsetVarPaths = new Set(
    result.problems.filter((p) => /^environment variable \S+ is not set$/.test(p.message)).map((p) => p.path),
  );
  return result.problems.filter((p) => !unsetVarPaths.has(p.path));
}

function backupNote(path: string): string {
  return ` (previous file kept as ${basename(path)}.bak.1)`;
}
