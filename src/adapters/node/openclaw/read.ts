import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import JSON5 from 'json5';
import { CliError, EXIT } from '../exit-codes';

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
  let text: string;
  try {
    text = await readFile(configPath, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${configPath} (${(error as NodeJS.ErrnoException).code})`, EXIT.CONFIG);
  }
  let config: unknown;
  try {
    config = JSON5.parse(text);
  } catch (error) {
    throw new CliError(
      `${basename(configPath)} is not valid JSON5: ${(error as Error).message.replace(/^JSON5: /, '')}`,
      EXIT.CONFIG,
    );
  }
  if (!config || typeof config !== 'object' || Array.isArray(config))
    throw new CliError(`${configPath}: expected an object at the top level`, EXIT.CONFIG);
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
  const text = await readFile(join(dir, 'cron', 'jobs.json'), 'utf8').catch(() => undefined);
  if (text === undefined) return {};
  try {
    const parsed = JSON5.parse(text) as { jobs?: unknown } | unknown[];
    const jobs = Array.isArray(parsed) ? parsed : Array.isArray(parsed.jobs) ? parsed.jobs : [];
    return { cronJobs: jobs };
  } catch {
    throw new CliError(`${join(dir, 'cron', 'jobs.json')} is not valid JSON`, EXIT.CONFIG);
  }
}

async function envNames(dir: string): Promise<string[]> {
  const text = await readFile(join(dir, '.env'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .map((line) => /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line)?.[1])
    .filter((name): name is string => Boolean(name));
}
