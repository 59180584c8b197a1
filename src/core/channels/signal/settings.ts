import type { GatewayContext } from '../../context';
import type { SignalConfig } from './config';

export const DEFAULT_SIGNAL_URL = 'http://127.0.0.1:8080';

export function signalConfigOf(ctx: Pick<GatewayContext, 'config'>): SignalConfig {
  return ctx.config().channels?.signal ?? {};
}

/** `enabled: false` always wins; `enabled: true` runs it; unset, it runs once an account is set. */
export function signalEnabled(config: SignalConfig): boolean {
  return config.enabled ?? Boolean(config.account);
}

/** The daemon's base URL without a trailing slash (`httpUrl`, else signal-cli's usual 127.0.0.1:8080). */
export function signalBaseUrl(config: SignalConfig): string {
  return (config.httpUrl ?? DEFAULT_SIGNAL_URL).replace(/\/+$/, '');
}
