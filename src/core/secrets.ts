import { type EnvRecord, envVar } from './env';
import type { SecretRedactor } from './log/redact';
import { envPrefix, PRESETS } from './providers/presets';
import type { Store } from './storage/store';

/** A secret the gateway knows by name: where it may also sit in the config, and what it is for. */
export interface SecretSpec {
  what: string;
  /** Dotted config paths that hold the same secret (the env var and `secrets set` win over them). */
  configPaths: string[];
}

/**
 * Every secret `krabkrab secrets set <NAME>` accepts, and the name each is read by from env.
 * Adding one is one line; the helper that reads it calls `resolveSecret(ctx, NAME, configValue)`.
 */
export const SECRET_NAMES: Record<string, SecretSpec> = {
  ANTHROPIC_API_KEY: { what: 'Anthropic API key', configPaths: ['models.providers.anthropic.apiKey'] },
  OPENAI_API_KEY: { what: 'OpenAI API key', configPaths: ['models.providers.openai.apiKey'] },
  GOOGLE_API_KEY: { what: 'Google (Gemini) API key', configPaths: ['models.providers.google.apiKey'] },
  TELEGRAM_BOT_TOKEN: {
    what: 'Telegram bot token (from @BotFather)',
    configPaths: ['channels.telegram.botToken'],
  },
  TELEGRAM_WEBHOOK_SECRET: {
    what: 'Telegram webhook secret',
    configPaths: ['channels.telegram.webhookSecret'],
  },
  WHATSAPP_ACCESS_TOKEN: {
    what: 'WhatsApp Cloud API access token',
    configPaths: ['channels.whatsapp.accessToken'],
  },
  WHATSAPP_APP_SECRET: {
    what: 'WhatsApp app secret (webhook signatures)',
    configPaths: ['channels.whatsapp.appSecret'],
  },
  WHATSAPP_VERIFY_TOKEN: {
    what: 'WhatsApp webhook verify token',
    configPaths: ['channels.whatsapp.verifyToken'],
  },
  DISCORD_BOT_TOKEN: { what: 'Discord bot token', configPaths: ['channels.discord.token'] },
  TWILIO_AUTH_TOKEN: {
    what: 'Twilio auth token (voice calls)',
    configPaths: ['plugins.entries.voice-call.config.twilio.authToken'],
  },
  TELNYX_API_KEY: {
    what: 'Telnyx API key (voice calls)',
    configPaths: ['plugins.entries.voice-call.config.telnyx.apiKey'],
  },
  NGROK_AUTHTOKEN: { what: 'ngrok authtoken (tunnel)', configPaths: ['gateway.tunnel.ngrok.authtoken'] },
  // Every preset provider's key (`OPENROUTER_API_KEY`...), from the presets table.
  ...Object.fromEntries(
    Object.keys(PRESETS).map((id) => [
      `${envPrefix(id)}_API_KEY`,
      { what: `${id} API key`, configPaths: [`models.providers.${id}.apiKey`] },
    ]),
  ),
};

/** Where `secrets set` keeps a secret: `$STATE_DIR/credentials/secrets/<NAME>`, mode 0600. */
export function credentialKey(name: string): string {
  return `credentials:secrets:${name}`;
}

export function isKnownSecretName(name: string): boolean {
  return Object.hasOwn(SECRET_NAMES, name);
}

/** The secret name whose config path this is (`channels.telegram.botToken` -> `TELEGRAM_BOT_TOKEN`). */
export function secretNameForPath(path: string): string | undefined {
  for (const [name, spec] of Object.entries(SECRET_NAMES)) if (spec.configPaths.includes(path)) return name;
  return undefined;
}

/** The env var a provider's key is read from (`anthropic` -> `ANTHROPIC_API_KEY`). */
export function providerKeyName(provider: string): string {
  return `${provider.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_API_KEY`;
}

export type SecretSource = 'env' | 'config' | 'stored';

export interface SecretLookup {
  env: EnvRecord;
  store: Pick<Store, 'get'>;
  /** When given, a stored secret is added to the log redactor as soon as it is read. */
  logs?: { redactor: Pick<SecretRedactor, 'add'> };
}

/**
 * A secret by name: env (`ANTHROPIC_API_KEY`) > the config's value (already `${VAR}`-substituted)
 * > the one stored by `krabkrab secrets set`. Never logs it. A `GatewayContext` fits `ctx`.
 */
export async function resolveSecret(
  ctx: SecretLookup,
  name: string,
  configValue?: string,
): Promise<string | undefined> {
  return (await resolveSecretWithSource(ctx, name, configValue))?.value;
}

/** Like `resolveSecret`, saying where the value came from (for `doctor` and status, never the value itself). */
export async function resolveSecretWithSource(
  ctx: SecretLookup,
  name: string,
  configValue?: string,
): Promise<{ value: string; source: SecretSource } | undefined> {
  const fromEnv = envVar(ctx.env, name);
  if (fromEnv) return { value: fromEnv.trim(), source: 'env' };
  if (configValue && configValue.trim() !== '') return { value: configValue.trim(), source: 'config' };
  const stored = await ctx.store.get<string>(credentialKey(name)).catch(() => null);
  if (typeof stored === 'string' && stored.trim() !== '') {
    ctx.logs?.redactor.add(stored.trim());
    return { value: stored.trim(), source: 'stored' };
  }
  return undefined;
}
