import { CHANNEL_LIST } from './channels/channels';
import { envPrefix, PRESETS } from './providers/presets';

/** A secret the gateway knows by name: where it may also sit in the config, and what it is for. */
export interface SecretSpec {
  what: string;
  /** Dotted config paths that hold the same secret (the env var and `secrets set` win over them). */
  configPaths: string[];
}

/**
 * Every secret `krabkrab secrets set <NAME>` accepts, and the name each is read by from env:
 * the providers' keys and the gateway's own here, each channel's from its `ChannelDef`.
 * A helper reads one with `resolveSecret(ctx, NAME, configValue)`.
 */
export const SECRET_NAMES: Record<string, SecretSpec> = {
  ANTHROPIC_API_KEY: { what: 'Anthropic API key', configPaths: ['models.providers.anthropic.apiKey'] },
  OPENAI_API_KEY: { what: 'OpenAI API key', configPaths: ['models.providers.openai.apiKey'] },
  GOOGLE_API_KEY: { what: 'Google (Gemini) API key', configPaths: ['models.providers.google.apiKey'] },
  ...Object.assign({}, ...CHANNEL_LIST.map((def) => def.secrets)),
  TWILIO_AUTH_TOKEN: {
    what: 'Twilio auth token (voice calls)',
    configPaths: ['plugins.entries.voice-call.config.twilio.authToken'],
  },
  TELNYX_API_KEY: {
    what: 'Telnyx API key (voice calls)',
    configPaths: ['plugins.entries.voice-call.config.telnyx.apiKey'],
  },
  BRAVE_API_KEY: { what: 'Brave Search API key (web_search)', configPaths: [] },
  TAVILY_API_KEY: { what: 'Tavily API key (web_search)', configPaths: [] },
  NGROK_AUTHTOKEN: { what: 'ngrok authtoken (tunnel)', configPaths: ['gateway.tunnel.ngrok.authtoken'] },
  // Every preset provider's key (`OPENROUTER_API_KEY`...), from the presets table.
  ...Object.fromEntries(
    Object.keys(PRESETS).map((id) => [
      `${envPrefix(id)}_API_KEY`,
      { what: `${id} API key`, configPaths: [`models.providers.${id}.apiKey`] },
    ]),
  ),
};

export function isKnownSecretName(name: string): boolean {
  return Object.hasOwn(SECRET_NAMES, name);
}

/** The secret name whose config path this is (`channels.telegram.botToken` -> `TELEGRAM_BOT_TOKEN`). */
export function secretNameForPath(path: string): string | undefined {
  for (const [name, spec] of Object.entries(SECRET_NAMES)) if (spec.configPaths.includes(path)) return name;
  return undefined;
}
