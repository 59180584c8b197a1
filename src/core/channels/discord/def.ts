import type { KrabConfig } from '../../config/schema';
import { type EnvRecord, envVar } from '../../env';
import { type ChannelDef, enabledBy } from '../channel-def';
import { discordConfig } from './config';
import { discordApiBase } from './rest';

export const DISCORD_TOKEN_SECRET = 'DISCORD_BOT_TOKEN';

/** `/users/@me` on the configured API base (`/v10` added unless the base names a version). */
function usersMe(env: EnvRecord, config: KrabConfig): string {
  const base = discordApiBase(config, env);
  // https://discord.com/developers/docs/resources/user#get-current-user
  return `${/\/v\d+$/.test(base) ? base : `${base}/v10`}/users/@me`;
}

/** Discord: the gateway socket on Node (messages), interactions (`/ask`) on any runtime. */
export const DISCORD: ChannelDef<typeof discordConfig> = {
  id: 'discord',
  label: 'Discord',
  config: discordConfig,
  enabled: (config, env) =>
    enabledBy(config.channels?.discord, () =>
      Boolean(envVar(env, DISCORD_TOKEN_SECRET) ?? config.channels?.discord?.token),
    ),
  secrets: {
    [DISCORD_TOKEN_SECRET]: { what: 'Discord bot token', configPaths: ['channels.discord.token'] },
  },
  // Discord posts interactions here whatever the gateway connection does; without a public key it answers 503.
  routes: [
    {
      method: 'POST',
      path: '/discord/interactions',
      handler: (parts) => parts.handleDiscordInteraction,
    },
  ],
  nodeOnly: () => 'the Discord gateway connection (messages); /discord/interactions works here',
  tokenProbe: {
    secret: DISCORD_TOKEN_SECRET,
    configValue: (config) => config.channels?.discord?.token,
    request: (env, config, token) => ({
      url: usersMe(env, config),
      headers: { authorization: `Bot ${token}` },
    }),
    botName: (body) => (body as { username?: string } | undefined)?.username,
  },
  setup: {
    fields: [
      {
        name: 'token',
        label: 'Bot token',
        hint: 'Developer portal → your application → Bot → Reset Token',
        secret: true,
        env: DISCORD_TOKEN_SECRET,
      },
    ],
    async validate(values, { env, config, fetch: doFetch = fetch }) {
      const token = values.token?.trim();
      if (!token) return { ok: false, error: 'the bot token is missing' };
      try {
        const res = await doFetch(usersMe(env, config), { headers: { authorization: `Bot ${token}` } });
        if (res.status === 401 || res.status === 403)
          return { ok: false, error: `Discord rejected the bot token (HTTP ${res.status})` };
        if (!res.ok) return { ok: false, error: `Discord answered HTTP ${res.status}` };
        const me = (await res.json()) as { username?: string };
        return { ok: true, ...(me.username ? { account: me.username } : {}) };
      } catch (error) {
        return { ok: false, error: `cannot reach Discord: ${(error as Error).message}` };
      }
    },
  },
};
