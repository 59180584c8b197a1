import type { GatewayContext } from '../../context';
import { type EnvRecord, envVar } from '../../env';
import { resolveSecret, resolveSecretWithSource, type SecretLookup } from '../../secrets';
import type { WhatsAppConfig } from './config';

/** The secret names (`krabkrab secrets set`, env) of the Cloud API's three secrets. */
export const ACCESS_TOKEN_SECRET = 'WHATSAPP_ACCESS_TOKEN';
export const APP_SECRET_SECRET = 'WHATSAPP_APP_SECRET';
export const VERIFY_TOKEN_SECRET = 'WHATSAPP_VERIFY_TOKEN';

export const WHATSAPP_WEBHOOK_PATH = '/whatsapp/webhook';
export const DEFAULT_API_BASE = 'https://graph.facebook.com';
export const DEFAULT_API_VERSION = 'v23.0';

export function whatsappConfigOf(ctx: Pick<GatewayContext, 'config'>): WhatsAppConfig {
  return ctx.config().channels?.whatsapp ?? {};
}

export function whatsappMode(config: WhatsAppConfig): 'cloud' | 'web' {
  return config.mode ?? 'cloud';
}

/**
 * Whether the channel runs: `enabled: false` always wins; `enabled: true` runs it; unset, the
 * Cloud API runs when a phone number id and an access token (env or config) are present.
 */
export function whatsappEnabled(env: EnvRecord, config: WhatsAppConfig): boolean {
  if (config.enabled !== undefined) return config.enabled;
  if (whatsappMode(config) === 'web') return false;
  return Boolean(config.phoneNumberId && (envVar(env, ACCESS_TOKEN_SECRET) ?? config.accessToken));
}

/** Whether this runtime should serve the Cloud API webhook (the channel is on, in mode `cloud`). */
export function whatsappCloudEnabled(env: EnvRecord, config: WhatsAppConfig): boolean {
  return whatsappMode(config) === 'cloud' && whatsappEnabled(env, config);
}

/** env `WHATSAPP_API_BASE` > `channels.whatsapp.apiBase` > graph.facebook.com, plus the version: `https://graph.facebook.com/v23.0`. */
export function graphApiRoot(env: EnvRecord, config: WhatsAppConfig): string {
  const base = (envVar(env, 'WHATSAPP_API_BASE') ?? config.apiBase ?? DEFAULT_API_BASE).replace(/\/+$/, '');
  return `${base}/${config.apiVersion ?? DEFAULT_API_VERSION}`;
}

/** The access token: env `WHATSAPP_ACCESS_TOKEN` > `channels.whatsapp.accessToken` > the stored credential. */
export function resolveAccessToken(ctx: SecretLookup, config: WhatsAppConfig) {
  return resolveSecretWithSource(ctx, ACCESS_TOKEN_SECRET, config.accessToken);
}

export function resolveAppSecret(ctx: SecretLookup, config: WhatsAppConfig): Promise<string | undefined> {
  return resolveSecret(ctx, APP_SECRET_SECRET, config.appSecret);
}

export function resolveVerifyToken(ctx: SecretLookup, config: WhatsAppConfig): Promise<string | undefined> {
  return resolveSecret(ctx, VERIFY_TOKEN_SECRET, config.verifyToken);
}
