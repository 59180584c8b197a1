import type { KrabConfig } from '../../config/schema';
import { type EnvRecord, envVar } from '../../env';
import { type ChannelDef, enabledBy } from '../channel-def';
import { discordConfig } from './config';
import { discordUrl, validateDiscordSetup } from './setup';

export const DISCORD_TOKEN_SECRET = 'DISCORD_BOT_TOKEN';
export const DISCORD_INTERACTIONS_PATH = '/discord/interactions';

/** The application's public key that signs interactions: env `DISCORD_PUBLIC_KEY` > `channels.discord.publicKey`. */
export function discordPublicKey(env: EnvRecord, config: KrabConfig): string | undefined {
  return envVar(env, 'DISCORD_PUBLIC_KEY') ?? config.channels?.discord?.publicKey;
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
      path: DISCORD_INTERACTIONS_PATH,
      handler: (parts) => parts.handleDiscordInteraction,
    },
  ],
  // Exposed through a tunnel once interactions are set up (the public key is what makes them work).
  webhookPaths: (config, env) => (discordPublicKey(env, config) ? [DISCORD_INTERACTIONS_PATH] : []),
  nodeOnly: () => 'the Discord gateway connection (messages); /discord/interactions works here',
  tokenProbe: {
    secret: DISCORD_TOKEN_SECRET,
    configValue: (config) => config.channels?.discord?.token,
    request: (env, config, token) => ({
      url: discordUrl(env, config, '/users/@me'),
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
    validate: validateDiscordSetup,
  },
};
