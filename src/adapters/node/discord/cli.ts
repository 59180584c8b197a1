import { DISCORD, DISCORD_TOKEN_SECRET } from '../../../core/channels/discord/def';
import { ASK_COMMAND } from '../../../core/channels/discord/interactions';
import { inviteUrl } from '../../../core/channels/discord/invite';
import {
  createDiscordRest,
  type DiscordRest,
  discordApiBase,
  discordErrorStatus,
} from '../../../core/channels/discord/rest';
import type { KrabConfig } from '../../../core/config/schema';
import { envVar } from '../../../core/env';
import { resolveSecret } from '../../../core/secrets';
import { setupNotes } from '../cli/channel-add-generic';
import { setupChannelFromShell } from '../cli/channel-setup-shell';
import type { ChannelAction } from '../cli/channels-command';
import { statePaths } from '../cli/state-options';
import { readConfigFile } from '../config-file';
import { CliError, EXIT } from '../exit-codes';
import { createNodeStore } from '../node-store';
import { nodeMakeRequest } from './http-request';

interface Application {
  id: string;
  verify_key?: string;
  flags?: number;
}

async function loadConfig(values: Record<string, unknown>, env: NodeJS.ProcessEnv) {
  const { stateDir, configPath } = statePaths(values, env);
  const current = await readConfigFile(configPath, env);
  const config: KrabConfig = current.ok === true ? current.value.config : {};
  return { stateDir, configPath, config };
}

/** Calls Discord, turning its refusals into one line the owner can act on. */
async function call<T>(what: string, run: () => Promise<unknown>): Promise<T> {
  try {
    return (await run()) as T;
  } catch (error) {
    const status = discordErrorStatus(error);
    if (status === 401)
      throw new CliError(`discord rejected the token (401 on ${what}): copy it again from Bot → Reset Token`);
    throw new CliError(`${what} failed: ${status ? `HTTP ${status} ` : ''}${(error as Error).message}`);
  }
}

/**
 * `krabkrab channels add discord --token <t>` (e.g. from `fly ssh console`): what the Control UI's
 * "Add Discord" does (`channels.setup`: the token checked with `GET /users/@me`, stored 0600 outside
 * krabkrab.json, the application id and public key written, the channel enabled), then the invite
 * URL. A running gateway reloads the config and logs in.
 */
export const addDiscordChannel: ChannelAction = async (args, { values }, io) => {
  if (args.length > 0) throw new CliError(`unexpected argument ${JSON.stringify(args[0])}`, EXIT.USAGE);
  const given = typeof values.token === 'string' ? values.token.trim() : undefined;
  const token = given || envVar(io.env, DISCORD_TOKEN_SECRET)?.trim();
  if (!token)
    throw new CliError(
      'pass the bot token (developer portal → Bot → Reset Token): channels add discord --token <token>',
      EXIT.USAGE,
    );
  const fields = { token };
  const done = await setupChannelFromShell('discord', fields, values, io);
  const applicationId = done.loaded.config.channels?.discord?.applicationId;
  const invite = applicationId ? inviteUrl(applicationId) : undefined;
  const bot = done.result.account ?? 'the bot';
  if (values.json) {
    io.stdout(
      `${JSON.stringify({ ok: true, channel: 'discord', bot, applicationId, invite, configPath: done.configPath })}\n`,
    );
    return EXIT.OK;
  }
  io.stdout(
    [
      `discord: the token belongs to ${bot}${applicationId ? ` (application ${applicationId})` : ''}`,
      ...setupNotes(DISCORD, fields, done, io).map((note) => `  ${note}`),
      ...(invite ? ['invite the bot to your server (opens in a browser):', `  ${invite}`] : []),
      'next:',
      '  a running gateway reloads krabkrab.json and logs in (fly logs: "[discord] logged in to discord as ...");',
      '  allow a server and channel: krabkrab config set channels.discord.guilds.<server id>.channels.general.allow true',
      '  optional slash command /ask: krabkrab channels discord register-commands',
      '',
    ].join('\n'),
  );
  return EXIT.OK;
};

/** `krabkrab channels discord register-commands`: registers `/ask` for the application (global commands). */
export const registerDiscordCommands: ChannelAction = async (args, { values }, io) => {
  if (args.length > 0) throw new CliError(`unexpected argument ${JSON.stringify(args[0])}`, EXIT.USAGE);
  const { stateDir, config } = await loadConfig(values, io.env);
  const store = createNodeStore(stateDir);
  let token: string | undefined;
  try {
    const given = typeof values.token === 'string' ? values.token.trim() : undefined;
    token =
      given ||
      (await resolveSecret({ env: io.env, store }, DISCORD_TOKEN_SECRET, config.channels?.discord?.token));
  } finally {
    await store.dispose();
  }
  if (!token)
    throw new CliError(
      `no bot token: set ${DISCORD_TOKEN_SECRET}, pass --token, or run krabkrab channels add discord first`,
      EXIT.USAGE,
    );
  const rest: DiscordRest = await createDiscordRest({
    apiBase: discordApiBase(config, io.env),
    token,
    makeRequest: nodeMakeRequest,
  });
  const applicationId =
    config.channels?.discord?.applicationId ??
    (await call<Application>('GET /oauth2/applications/@me', () => rest.get('/oauth2/applications/@me'))).id;
  const registered = await call<Array<{ name: string }>>(`PUT /applications/${applicationId}/commands`, () =>
    rest.put(`/applications/${applicationId}/commands`, { body: [ASK_COMMAND] }),
  );
  const names = registered.map((command) => `/${command.name}`).join(', ');
  if (values.json) {
    io.stdout(`${JSON.stringify({ ok: true, applicationId, commands: registered.map((c) => c.name) })}\n`);
    return EXIT.OK;
  }
  const app = io.env.FLY_APP_NAME;
  const endpoint = app
    ? `https://${app}.fly.dev/discord/interactions`
    : 'https://<your gateway host>/discord/interactions';
  io.stdout(
    [
      `registered ${names} for application ${applicationId} (it may take a few minutes to show in Discord)`,
      'for the commands to reach this gateway, set in the developer portal → General Information:',
      `  Interactions Endpoint URL: ${endpoint}`,
      '  and make sure channels.discord.publicKey (or DISCORD_PUBLIC_KEY) holds the Public Key shown there',
      '',
    ].join('\n'),
  );
  return EXIT.OK;
};

/** The shell actions of the Discord channel (`CHANNEL_ACTIONS.discord`). */
export const DISCORD_ACTIONS: Record<string, ChannelAction> = {
  add: addDiscordChannel,
  'register-commands': registerDiscordCommands,
};
