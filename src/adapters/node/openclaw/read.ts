import { open, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import JSON5 from 'json5';
import { formatDottedPath, type PathSegment } from '../../../core/config/dotted-path';
import { CliError, EXIT } from '../exit-codes';
import { isRecord } from './json';

/** What `import-openclaw` reads from an OpenClaw state dir. Secret values are read only to be left behind. */
export interface OpenClawSource {
  dir: string;
  configPath: string;
  config: Record<string, unknown>;
  /** `cron/jobs.json`, where OpenClaw keeps its scheduled jobs. */
  cronJobs?: unknown[];
  /** Names (never values) of the variables in OpenClaw's `.env`. */
  envFileNames: string[];
}

/** `[dir]` (or a path to `openclaw.json`) > `OPENCLAW_STATE_DIR` > `~/.openclaw`. */
export function openClawDir(
  arg: string | undefined,
  env: NodeJS.ProcessEnv,
): { dir: string; configPath: string } {
  if (arg && /\.json5?$/.test(arg)) return { dir: dirname(resolve(arg)), configPath: resolve(arg) };
  const dir = resolve(arg ?? env.OPENCLAW_STATE_DIR ?? join(homedir(), '.openclaw'));
  return {
    dir,
    configPath:
      env.OPENCLAW_CONFIG_PATH && !arg ? resolve(env.OPENCLAW_CONFIG_PATH) : join(dir, 'openclaw.json'),
  };
}

export async function readOpenClaw(arg: string | undefined, env: NodeJS.ProcessEnv): Promise<OpenClawSource> {
  const { dir, configPath } = openClawDir(arg, env);
  if (!(await stat(dir).catch(() => undefined))?.isDirectory()) {
    throw new CliError(
      `no OpenClaw state dir at ${dir} (pass its path: krabkrab import-openclaw /path/to/.openclaw)`,
      EXIT.USAGE,
    );
  }
  const text = await readBounded(configPath, 'openclaw.json');
  if (text === undefined) throw new CliError(`cannot read ${configPath} (ENOENT)`, EXIT.CONFIG);
  let config: unknown;
  try {
    config = JSON5.parse(text);
  } catch (error) {
    throw new CliError(
      `${basename(configPath)} is not valid JSON5: ${(error as Error).message.replace(/^JSON5: /, '')}`,
      EXIT.CONFIG,
    );
  }
  if (!isRecord(config))
    throw new CliError(`${configPath}: expected an object at the top level`, EXIT.CONFIG);
  refuseDeepNesting(config, basename(configPath));
  if ('$include' in config)
    throw new CliError(
      `${configPath} uses $include; merge the included files into one openclaw.json first`,
      EXIT.CONFIG,
    );
  return {
    dir,
    configPath,
    config: config as Record<string, unknown>,
    ...(await cronFile(dir)),
    envFileNames: await envNames(dir),
  };
}

async function cronFile(dir: string): Promise<{ cronJobs?: unknown[] }> {
  const text = await readBounded(join(dir, 'cron', 'jobs.json'), 'cron/jobs.json');
  if (text === undefined) return {};
  let parsed: { jobs?: unknown } | unknown[];
  try {
    parsed = JSON5.parse(text);
  } catch {
    throw new CliError(`${join(dir, 'cron', 'jobs.json')} is not valid JSON`, EXIT.CONFIG);
  }
  refuseDeepNesting(parsed, 'cron/jobs.json');
  const jobs = Array.isArray(parsed) ? parsed : Array.isArray(parsed?.jobs) ? parsed.jobs : [];
  return { cronJobs: jobs };
}

async function envNames(dir: string): Promise<string[]> {
  const text = (await readBounded(join(dir, '.env'), '.env')) ?? '';
  return text
    .split('\n')
    .map((line) => /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line)?.[1])
    .filter((name): name is string => Boolean(name));
}

/** A real openclaw.json is a few KB; anything this big is not one, and parsing it would take GBs. */
export const MAX_SOURCE_BYTES = 4 * 1024 * 1024;
/** A real config nests about ten levels; deeper input would overflow the recursive steps after parsing. */
export const MAX_DEPTH = 64;

/** The file's text, refused by size before anything is read; undefined when it does not exist. */
async function readBounded(path: string, label: string): Promise<string | undefined> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new CliError(`cannot read ${path} (${code})`, EXIT.CONFIG);
  }
  try {
    const { size } = await handle.stat();
    if (size > MAX_SOURCE_BYTES) {
      throw new CliError(
        `${label} is ${(size / 1024 / 1024).toFixed(1)} MB: a real ${label} is a few KB, so this is not one (the limit is ${MAX_SOURCE_BYTES / 1024 / 1024} MB)`,
        EXIT.CONFIG,
      );
    }
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

/** Walks the parsed document without recursion and refuses it past `MAX_DEPTH`, naming where. */
function refuseDeepNesting(root: unknown, label: string): void {
  const stack: Array<{ value: unknown; path: PathSegment[] }> = [{ value: root, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop() as { value: unknown; path: PathSegment[] };
    if (!value || typeof value !== 'object') continue;
    if (path.length >= MAX_DEPTH) {
      throw new CliError(
        `${label} nests deeper than ${MAX_DEPTH} levels (at ${formatDottedPath(path.slice(0, 8))}...): not an OpenClaw config`,
        EXIT.CONFIG,
      );
    }
    const entries = Array.isArray(value)
      ? value.map((item, index) => [index, item] as const)
      : Object.entries(value);
    for (const [key, item] of entries) stack.push({ value: item, path: [...path, key] });
  }
}
