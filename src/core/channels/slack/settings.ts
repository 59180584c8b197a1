import type { KrabConfig } from '../../config/schema';
import { type EnvRecord, envVar } from '../../env';
import { resolveSecret, type SecretLookup } from '../../secrets';
import type { SlackConfig } from './config';

export const BOT_TOKEN_SECRET = 'SLACK_BOT_TOKEN';
export const SIGNING_SECRET = 'SLACK_SIGNING_SECRET';
export const APP_TOKEN_SECRET = 'SLACK_APP_TOKEN';
export const SLACK_EVENTS_PATH = '/slack/events';
export const DEFAULT_API_BASE = 'https://slack.com/api/';

export function slackConfigOf(config: KrabConfig): SlackConfig {
  return config.channels?.slack ?? {};
}

/** `enabled: false` wins, `true` runs it; unset, it runs once a bot token is in env or config. */
export function slackEnabled(env: EnvRecord, config: SlackConfig): boolean {
  return config.enabled ?? Boolean(envVar(env, BOT_TOKEN_SECRET) ?? config.botToken);
}

/** env `SLACK_API_BASE` > `channels.slack.apiBase` > slack.com, always ending in `/api/`-style `/`. */
export function slackApiBase(env: EnvRecord, config: SlackConfig): string {
  const base = envVar(env, 'SLACK_API_BASE') ?? config.apiBase ?? DEFAULT_API_BASE;
  return base.endsWith('/') ? base : `${base}/`;
}

export const resolveBotToken = (ctx: SecretLookup, config: SlackConfig) =>
  resolveSecret(ctx, BOT_TOKEN_SECRET, config.botToken);
export const resolveSigningSecret = (ctx: SecretLookup, config: SlackConfig) =>
  resolveSecret(ctx, SIGNING_SECRET, config.signingSecret);
export const resolveAppToken = (ctx: SecretLookup, config: SlackConfig) =>
  resolveSecret(ctx, APP_TOKEN_SECRET, config.appToken);
