/**
 * The one place the gateway reads its environment. Adapters hand in a plain record
 * (`process.env` on Node, the Worker's `env` bindings on Workers); nothing else reads env.
 *
 * The guide writes the gateway's own variables with a lowercase prefix (`krabkrab_STATE_DIR`);
 * the conventional upper-case spelling works too (SPEC R7). The lowercase one wins when both are set.
 */
export type EnvRecord = Readonly<Record<string, string | undefined>>;

const GATEWAY_VARS = ['STATE_DIR', 'GATEWAY_TOKEN', 'GATEWAY_PORT', 'CONFIG_PATH', 'PREFER_PNPM'] as const;
export type GatewayVar = (typeof GATEWAY_VARS)[number];

/** `krabkrab_X` or `KRABKRAB_X`, empty strings counting as unset. */
export function gatewayVar(env: EnvRecord, name: GatewayVar): string | undefined {
  return nonEmpty(env[`krabkrab_${name}`]) ?? nonEmpty(env[`KRABKRAB_${name}`]);
}

/** A plain variable (`ANTHROPIC_API_KEY`, `TELEGRAM_BOT_TOKEN`, ...), empty counting as unset. */
export function envVar(env: EnvRecord, name: string): string | undefined {
  return nonEmpty(env[name]);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

export interface GatewayEnv {
  stateDir?: string;
  token?: string;
  port?: number;
  configPath?: string;
}

/** The gateway's own settings from env; a malformed port is reported, not ignored. */
export function readGatewayEnv(env: EnvRecord): GatewayEnv {
  const port = gatewayVar(env, 'GATEWAY_PORT');
  const result: GatewayEnv = {};
  const stateDir = gatewayVar(env, 'STATE_DIR');
  const token = gatewayVar(env, 'GATEWAY_TOKEN');
  const configPath = gatewayVar(env, 'CONFIG_PATH');
  if (stateDir) result.stateDir = stateDir;
  if (token) result.token = token.trim();
  if (configPath) result.configPath = configPath;
  if (port !== undefined) result.port = parsePort(port, 'krabkrab_GATEWAY_PORT');
  return result;
}

export function parsePort(text: string, source: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`${source}: expected a port number 0-65535, got ${JSON.stringify(text)}`);
  }
  return port;
}
