import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'smol-toml';

/** What doctor needs from a `fly.toml`: the gateway's flags in the process command, the health-checked port, and [env]. */
export interface FlyDeploy {
  path: string;
  /** `[processes] app` (or the first process), as written. */
  command?: string;
  flags: { port?: string; bind?: string; token?: string; allowUnconfigured: boolean; stateDir?: string };
  /** `[http_service] internal_port`, else the first `[[services]] internal_port`. */
  internalPort?: number;
  env: Record<string, string>;
  /** `[mounts] destination`. */
  mountDestination?: string;
  problem?: string;
}

/** Reads `fly.toml` (from a directory, or the file named); undefined when there is none, `problem` when it does not parse. */
export async function readFlyToml(dir: string, path = join(dir, 'fly.toml')): Promise<FlyDeploy | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch (error) {
    return {
      path,
      flags: { allowUnconfigured: false },
      env: {},
      problem: (error as Error).message.split('\n')[0],
    };
  }
  const processes = asRecord(doc.processes);
  const command =
    typeof processes.app === 'string'
      ? processes.app
      : Object.values(processes).find((v) => typeof v === 'string');
  const services = Array.isArray(doc.services) ? doc.services.map(asRecord) : [];
  const internal = asRecord(doc.http_service).internal_port ?? services[0]?.internal_port;
  const mounts = Array.isArray(doc.mounts) ? asRecord(doc.mounts[0]) : asRecord(doc.mounts);
  const env = Object.fromEntries(
    Object.entries(asRecord(doc.env)).map(([key, value]) => [key, String(value)]),
  );
  return {
    path,
    command: command as string | undefined,
    flags: commandFlags(typeof command === 'string' ? command : ''),
    internalPort: typeof internal === 'number' ? internal : undefined,
    env,
    mountDestination: typeof mounts.destination === 'string' ? mounts.destination : undefined,
  };
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** The gateway flags in a shell command line (`--port 3000`, `--port=3000`). */
export function commandFlags(command: string): FlyDeploy['flags'] {
  const words = command.split(/\s+/).filter(Boolean);
  const value = (name: string): string | undefined => {
    for (let i = 0; i < words.length; i++) {
      const word = words[i] as string;
      if (word === `--${name}`) return words[i + 1];
      if (word.startsWith(`--${name}=`)) return word.slice(name.length + 3);
    }
    return undefined;
  };
  return {
    port: value('port'),
    bind: value('bind'),
    token: value('token'),
    stateDir: value('state-dir'),
    allowUnconfigured: words.includes('--allow-unconfigured'),
  };
}
