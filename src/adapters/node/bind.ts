import { existsSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { CliError } from './exit-codes';

export const BIND_FLAG_VALUES = 'loopback|lan|auto|tailnet|<ip>';

export interface ResolvedBind {
  mode: string;
  host: string;
  loopback: boolean;
}

/** Whether this process runs in a container (Docker, Fly, Podman). */
export function inContainer(env: NodeJS.ProcessEnv): boolean {
  return existsSync('/.dockerenv') || Boolean(env.FLY_APP_NAME) || Boolean(env.container);
}

/** Turns `--bind` / `gateway.bind` into an address to listen on. */
export function resolveBind(mode: string, env: NodeJS.ProcessEnv): ResolvedBind {
  switch (mode) {
    case 'loopback':
      return { mode, host: '127.0.0.1', loopback: true };
    case 'lan':
      return { mode, host: '0.0.0.0', loopback: false };
    case 'auto':
      return inContainer(env)
        ? { mode, host: '0.0.0.0', loopback: false }
        : { mode, host: '127.0.0.1', loopback: true };
    case 'tailnet': {
      const address = tailnetAddress();
      if (!address)
        throw new CliError(
          '--bind tailnet: this machine has no Tailscale address (100.64.0.0/10); is tailscaled up?',
        );
      return { mode, host: address, loopback: false };
    }
    default:
      if (isIp(mode)) return { mode, host: mode, loopback: isLoopback(mode) };
      throw new CliError(`--bind: expected ${BIND_FLAG_VALUES}, got ${JSON.stringify(mode)}`, 2);
  }
}

function isIp(text: string): boolean {
  return /^(\d{1,3})(\.\d{1,3}){3}$/.test(text) || (text.includes(':') && /^[0-9a-f:.]+$/i.test(text));
}

export function isLoopback(host: string): boolean {
  return host === '::1' || host.startsWith('127.') || host === 'localhost';
}

function tailnetAddress(): string | undefined {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const entry of addresses ?? []) {
      if (entry.family !== 'IPv4') continue;
      const [a, b] = entry.address.split('.').map(Number);
      if (a === 100 && b !== undefined && b >= 64 && b <= 127) return entry.address;
    }
  }
  return undefined;
}
