import type { KrabConfig } from '../../../core/config/schema';
import { envVar } from '../../../core/env';
import { resolveSecretWithSource } from '../../../core/secrets';
import { createNodeStore } from '../node-store';
import { joinUrl, probe } from './probe';
import type { CheckResult, DoctorCheck, DoctorInput } from './types';

interface ChannelToken {
  secret: string;
  configValue(config: KrabConfig): string | undefined;
  /** The `--deep` call: Telegram `getMe`, Discord `/users/@me`; returns the bot's name from the body. */
  request(
    env: NodeJS.ProcessEnv,
    config: KrabConfig,
    token: string,
  ): { url: string; headers: Record<string, string> };
  botName(body: unknown): string | undefined;
}

/** Channels whose token doctor checks, one line each. Other configured channels are listed as configured. */
const CHANNEL_TOKENS: Record<string, ChannelToken> = {
  telegram: {
    secret: 'TELEGRAM_BOT_TOKEN',
    configValue: (config) => config.channels?.telegram?.botToken,
    request: (env, config, token) => ({
      // https://core.telegram.org/bots/api#getme: the token is part of the path.
      url: joinUrl(
        envVar(env, 'TELEGRAM_API_ROOT') ?? config.channels?.telegram?.apiRoot ?? 'https://api.telegram.org',
        `/bot${token}/getMe`,
      ),
      headers: {},
    }),
    botName: (body) => {
      const username = (body as { result?: { username?: string } } | undefined)?.result?.username;
      return username ? `@${username}` : undefined;
    },
  },
  discord: {
    secret: 'DISCORD_BOT_TOKEN',
    configValue: (config) => config.channels?.discord?.token,
    request: (env, config, token) => {
      const base = (
        envVar(env, 'DISCORD_API_BASE') ??
        config.channels?.discord?.apiBase ??
        'https://discord.com/api'
      ).replace(/\/+$/, '');
      // https://discord.com/developers/docs/resources/user#get-current-user
      return {
        url: joinUrl(/\/v\d+$/.test(base) ? base : `${base}/v10`, '/users/@me'),
        headers: { authorization: `Bot ${token}` },
      };
    },
    botName: (body) => (body as { username?: string } | undefined)?.username,
  },
};

/** The channels the config enables (a section present and not `enabled: false`). */
export function enabledChannels(config: KrabConfig): string[] {
  return Object.entries(config.channels ?? {})
    .filter(
      ([, section]) =>
        section && typeof section === 'object' && (section as { enabled?: boolean }).enabled !== false,
    )
    .map(([name]) => name);
}

/** Each enabled channel has its token; `--deep` logs in once (getMe, /users/@me) to prove it works. */
export const channelsCheck: DoctorCheck = {
  name: 'channels',
  async run(input) {
    // A missing config is the minimal one: nothing configured yet. An invalid one is reported by the config check.
    if (input.config.ok === false) return [];
    const config: KrabConfig = input.config.ok === true ? input.config.value.config : {};
    const channels = enabledChannels(config);
    if (channels.length === 0) {
      return [
        {
          check: 'channels',
          level: 'warn',
          message: 'no channel configured: nobody can message the agent yet',
          fix: 'e.g. krabkrab config set channels.telegram.enabled true and set TELEGRAM_BOT_TOKEN',
        },
      ];
    }
    const store = createNodeStore(input.stateDir);
    try {
      return (await Promise.all(channels.map((name) => checkChannel(input, config, name, store)))).flat();
    } finally {
      await store.dispose();
    }
  },
};

async function checkChannel(
  input: DoctorInput,
  config: KrabConfig,
  name: string,
  store: ReturnType<typeof createNodeStore>,
): Promise<CheckResult[]> {
  const spec = CHANNEL_TOKENS[name];
  if (!spec) return [{ check: 'channels', level: 'ok', message: `${name}: configured` }];
  const token = await resolveSecretWithSource(
    { env: input.env, store },
    spec.secret,
    spec.configValue(config),
  );
  if (!token) {
    return [
      {
        check: 'channels',
        level: 'warn',
        message: `${name}: enabled but no bot token`,
        fix: `set ${spec.secret} (fly secrets set ${spec.secret}=...) or krabkrab secrets set ${spec.secret}`,
      },
    ];
  }
  const source = token.source === 'config' ? 'config' : `${token.source} ${spec.secret}`;
  if (!input.deep)
    return [{ check: 'channels', level: 'ok', message: `${name}: bot token present (${source})` }];
  const { url, headers } = spec.request(input.env, config, token.value);
  const outcome = await probe(input.fetch, url, headers, input.timeoutMs);
  const bot = outcome.level === 'ok' ? spec.botName(outcome.body) : undefined;
  return [
    {
      check: 'channels',
      level: outcome.level,
      message: `${name}: bot token (${source}) ${outcome.text}${bot ? `: logged in as ${bot}` : ''}`,
      ...(outcome.level === 'error' ? { fix: `replace ${spec.secret} with the token of a live bot` } : {}),
    },
  ];
}
