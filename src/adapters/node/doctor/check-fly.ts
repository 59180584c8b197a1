import { posix } from 'node:path';
import { gatewayVar, parsePort } from '../../../core/env';
import { isLoopback } from '../bind';
import { DEFAULT_PORT } from '../gateway';
import { inspectLock } from '../lock';
import { FIX_VOLUME } from './check-state-dir';
import type { FlyDeploy } from './fly-toml';
import type { CheckResult, DoctorInput } from './types';

/** The heading of the fly.toml section in doctor's output. */
export const FLY_SECTION = 'deployment described by fly.toml';

type Add = (check: string, level: CheckResult['level'], message: string, fix?: string) => void;

/**
 * The deployment `fly.toml` describes: the process command's flags, `[env]`, `internal_port` and
 * `[mounts]`. Its own section: these figures are what Fly will run, never this machine's.
 * Secrets live in Fly, not in the file, so a token is only looked for in this shell when on Fly.
 */
export async function checkFlyDeploy(input: DoctorInput, fly: FlyDeploy): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const add: Add = (check, level, message, fix) =>
    results.push({ check, level, message, ...(fix ? { fix } : {}) });
  if (fly.problem) {
    add('fly.toml', 'error', `${fly.path}: ${fly.problem}`, 'point --fly at a readable fly.toml');
    return results;
  }
  const onFly = Boolean(input.env.FLY_APP_NAME);
  const mode = fly.flags.bind ?? 'loopback';
  // `auto` is lan in Fly's container; `tailnet` never reaches Fly's proxy either.
  const loopback = mode === 'loopback' || mode === 'tailnet' || isLoopback(mode);
  if (loopback)
    add(
      'bind',
      'error',
      `the process command binds ${mode}${fly.flags.bind ? '' : ' (no --bind)'}: Fly's proxy cannot reach it ("app is not listening on the expected address")`,
      'add --bind lan to [processes] app in fly.toml (and set krabkrab_GATEWAY_TOKEN)',
    );
  else
    add(
      'bind',
      'ok',
      `the process command binds ${mode}${mode === 'lan' || mode === 'auto' ? ' (0.0.0.0)' : ''}`,
    );
  if (!loopback) await checkToken(input, fly, onFly, add);
  checkPort(fly, add);
  checkVolume(fly, add);
  if (fly.flags.allowUnconfigured)
    add('config', 'ok', 'starts with --allow-unconfigured: the first start writes a minimal config');
  else
    add(
      'config',
      'warn',
      'the process command has no --allow-unconfigured: the first start exits 78 until a config is on the volume',
      'add --allow-unconfigured to [processes] app',
    );
  return results;
}

async function checkToken(input: DoctorInput, fly: FlyDeploy, onFly: boolean, add: Add): Promise<void> {
  const fix = 'fly secrets set krabkrab_GATEWAY_TOKEN=$(openssl rand -hex 32)';
  if (fly.flags.token || gatewayVar(fly.env, 'GATEWAY_TOKEN')) {
    add(
      'token',
      'warn',
      'fly.toml holds the gateway token in plain text: anyone reading the repository has it',
      `remove it from fly.toml; ${fix}`,
    );
    return;
  }
  if (!onFly) {
    add(
      'token',
      'info',
      'bind lan needs krabkrab_GATEWAY_TOKEN: keep it a Fly secret (fly secrets list shows whether it is set)',
      fix,
    );
    return;
  }
  if (gatewayVar(input.env, 'GATEWAY_TOKEN')) {
    add('token', 'ok', 'a gateway token is set on this machine');
    return;
  }
  const live = await inspectLock(input.stateDir).catch(() => undefined);
  const running = live && !live.stale;
  add(
    'token',
    running ? 'warn' : 'error',
    running
      ? 'bind lan needs a gateway token and none is visible in this shell (the running gateway has one: Fly secrets may be hidden from ssh sessions)'
      : 'bind lan without a gateway token: the gateway refuses to start',
    fix,
  );
}

/** Fly's health check goes to `internal_port`, so the gateway must listen there ("health check failed / refused"). */
function checkPort(fly: FlyDeploy, add: Add): void {
  const envPort = gatewayVar(fly.env, 'GATEWAY_PORT');
  const [source, text] = fly.flags.port
    ? ['--port', fly.flags.port]
    : envPort
      ? ['krabkrab_GATEWAY_PORT in [env]', envPort]
      : ['default', String(DEFAULT_PORT)];
  let port: number;
  try {
    port = parsePort(text, source);
  } catch (error) {
    add('port', 'error', (error as Error).message, 'set --port to a number, e.g. 3000');
    return;
  }
  const internal = fly.internalPort;
  if (internal === undefined)
    add('port', 'warn', `no internal_port: Fly does not know the gateway listens on ${port} (${source})`);
  else if (internal !== port)
    add(
      'port',
      'error',
      `internal_port is ${internal} but the gateway would listen on ${port} (${source}): health checks are refused`,
      `add --port ${internal} to [processes] app in fly.toml, or set krabkrab_GATEWAY_PORT=${internal} in [env]`,
    );
  else add('port', 'ok', `the gateway would listen on port ${port} (${source}), matching internal_port`);
}

/** State must go to a path on the volume fly.toml mounts ("state not persisted"). */
function checkVolume(fly: FlyDeploy, add: Add): void {
  const dir = fly.flags.stateDir ?? gatewayVar(fly.env, 'STATE_DIR');
  const mount = fly.mountDestination;
  if (!dir) {
    add('state-dir', 'warn', 'no krabkrab_STATE_DIR: the state would be lost on every redeploy', FIX_VOLUME);
    return;
  }
  if (!mount) {
    add('state-dir', 'warn', `no volume ([mounts]): ${dir} is lost on every redeploy`, FIX_VOLUME);
    return;
  }
  const inside = posix.relative(mount, dir);
  if (inside.startsWith('..') || posix.isAbsolute(inside))
    add(
      'state-dir',
      'warn',
      `the state goes to ${dir}, outside the volume mounted at ${mount}: lost on redeploy`,
      FIX_VOLUME,
    );
  else add('state-dir', 'ok', `the state stays in ${dir} on the volume mounted at ${mount}`);
}
