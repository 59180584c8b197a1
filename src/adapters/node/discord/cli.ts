import { join } from 'node:path';
import { ASK_COMMAND } from '../../../core/channels/discord/interactions';
import { hasMessageContentIntent, inviteUrl } from '../../../core/channels/discord/invite';
import {
  createDiscordRest,
  type DiscordRest,
  discordApiBase,
  discordErrorStatus,
} from '../../../core/channels/discord/rest';
import type { KrabConfig } from '../../../core/config/schema';
import { envVar } from '../../../core/env';
import { credentialKey, resolveSecret } from '../../../core/secrets';
import type { ChannelAction } from '../cli/channels-command';
import { configSet } from '../cli/config-edit';
import { statePaths } from '../cli/state-options';
import { readConfigFile } from '../config-file';
import { CliError, EXIT } from '../exit-codes';
import { createNodeStore } from '../node-store';
import { ensureStateDir } from '../state-dir';
import { nodeMakeRequest } from './http-request';

const TOKEN_NAME = 'DISCORD_BOT_TOKEN';
/** Three dot-separated base64url parts, as the developer portal's Bot → Reset Token hands out. */
const TOKEN_SHAPE = /^[\w-]{20,}\.[\w-]{4,}\.[\w-]{20,}$/;

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
 * `krabkrab channels add discord --token <t>` (e.g. from `fly ssh console`): checks the token
 * with `GET /users/@me`, stores it in the credentials area (0600, never in krabkrab.json),
 * enables the channel (plus the application id and public key, which are not secrets) and
 * prints the invite URL. A running gateway reloads the config and logs in.
 */
export const addDiscordChannel: ChannelAction = async (args, { values }, io) => {
  if (args.length > 0) throw new CliError(`unexpected argument ${JSON.stringify(args[0])}`, EXIT.USAGE);
  const given = typeof values.token === 'string' ? values.token.trim() : undefined;
  const fromEnv = envVar(io.env, TOKEN_NAME)?.trim();
  const token = given ?? fromEnv;
  if (!token)
    throw new CliError(
      'pass the bot token (developer portal → Bot → Reset Token): channels add discord --token <token>',
      EXIT.USAGE,
    );
  if (!TOKEN_SHAPE.test(token)) {
    throw new CliError(
      'that does not look like a bot token (three dot-separated parts, from Bot → Reset Token; not the client secret or public key)',
      EXIT.USAGE,
    );
  }
  const { stateDir, configPath, config } = await loadConfig(values, io.env);
  await ensureStateDir(stateDir);
  const rest = await createDiscordRest({
    apiBase: discordApiBase(config, io.env),
    token,
    makeRequest: nodeMakeRequest,
  });
  const me = await call<{ id: string; username: string }>('GET /users/@me', () => rest.get('/users/@me'));
  const app = await call<Application>('GET /oauth2/applications/@me', () =>
    rest.get('/oauth2/applications/@me'),
  ).catch(() => ({ id: me.id }) as Application);

  const notes: string[] = [];
  if (given && given !== fromEnv) {
    const store = createNodeStore(stateDir);
    try {
      await store.set(credentialKey(TOKEN_NAME), given);
    } finally {
      await store.dispose();
    }
    notes.push(`stored the token in ${join(stateDir, 'credentials', 'secrets', TOKEN_NAME)} (mode 0600)`);
    if (fromEnv)
      notes.push(`warning: ${TOKEN_NAME} is set in the environment and wins over the stored token`);
    else if (config.channels?.discord?.token)
      notes.push('warning: channels.discord.token in krabkrab.json wins over the stored token; remove it');
  } else {
    notes.push(`using ${TOKEN_NAME} from the environment (nothing stored)`);
  }
  const silent = { ...io, stdout: () => {} };
  await configSet(['channels.discord.enabled', 'true'], values, silent);
  await configSet(['channels.discord.applicationId', JSON.stringify(app.id)], values, silent);
  if (app.verify_key)
    await configSet(['channels.discord.publicKey', JSON.stringify(app.verify_key)], values, silent);
  notes.push(
    `set channels.discord.enabled = true${app.verify_key ? ', applicationId and publicKey' : ' and applicationId'} in ${configPath}`,
  );
  if (app.flags !== undefined && !hasMessageContentIntent(app.flags)) {
    notes.push(
      'warning: the Message Content intent is off; enable it under Bot → Privileged Gateway Intents, or messages arrive empty',
    );
  }

  const invite = inviteUrl(app.id);
  if (values.json) {
    io.stdout(
      `${JSON.stringify({ ok: true, channel: 'discord', bot: me.username, applicationId: app.id, invite, configPath })}\n`,
    );
    return EXIT.OK;
  }
  io.stdout(
    [
      `discord: the token belongs to ${me.username} (application ${app.id})`,
      ...notes.map((note) => `  ${note}`),
      'invite the bot to your server (opens in a browser):',
      `  ${invite}`,
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
      given || (await resolveSecret({ env: io.env, store }, TOKEN_NAME, config.channels?.discord?.token));
  } finally {
    await store.dispose();
  }
  if (!token)
    throw new CliError(
      `no bot token: set ${TOKEN_NAME}, pass --token, or run krabkrab channels add discord first`,
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
