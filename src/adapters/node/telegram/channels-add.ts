import { join } from 'node:path';
import { describeTelegramError, telegramApi } from '../../../core/channels/telegram/api';
import { TOKEN_SECRET, telegramApiRoot } from '../../../core/channels/telegram/settings';
import { envVar } from '../../../core/env';
import { credentialKey } from '../../../core/secrets';
import type { ChannelAction } from '../cli/channels-command';
import { configSet } from '../cli/config-edit';
import { statePaths } from '../cli/state-options';
import { readConfigFile } from '../config-file';
import { CliError, EXIT } from '../exit-codes';
import { createNodeStore } from '../node-store';
import { ensureStateDir } from '../state-dir';

/** `123456789:AA...`: the shape @BotFather hands out. */
const TOKEN_SHAPE = /^\d{5,}:[A-Za-z0-9_-]{30,}$/;

/**
 * `krabkrab channels add telegram --token <t>` (from `fly ssh console`): checks the token with
 * `getMe`, stores it in the credentials area (0600, never in krabkrab.json) and sets
 * `channels.telegram.enabled`. A running gateway reloads the config and logs in.
 */
export const addTelegramChannel: ChannelAction = async (args, { values }, io) => {
  if (args.length > 0) throw new CliError(`unexpected argument ${JSON.stringify(args[0])}`, EXIT.USAGE);
  const given = typeof values.token === 'string' ? values.token.trim() : undefined;
  const fromEnv = envVar(io.env, TOKEN_SECRET)?.trim();
  const token = given ?? fromEnv;
  if (!token)
    throw new CliError(
      'pass the bot token from @BotFather: channels add telegram --token <token>',
      EXIT.USAGE,
    );
  if (!TOKEN_SHAPE.test(token))
    throw new CliError(
      'that does not look like a bot token (expected 123456789:AA... from @BotFather)',
      EXIT.USAGE,
    );

  const { stateDir, configPath } = statePaths(values, io.env);
  await ensureStateDir(stateDir);
  const current = await readConfigFile(configPath, io.env);
  const telegram = current.ok === true ? (current.value.config.channels?.telegram ?? {}) : {};
  const apiRoot = telegramApiRoot(io.env, telegram);

  let username: string;
  try {
    const me = await (await telegramApi(token, apiRoot)).getMe();
    username = me.username;
  } catch (error) {
    throw new CliError(`token not accepted: ${describeTelegramError(error)}`);
  }

  const notes: string[] = [];
  if (given && given !== fromEnv) {
    const store = createNodeStore(stateDir);
    try {
      await store.set(credentialKey(TOKEN_SECRET), given);
    } finally {
      await store.dispose();
    }
    notes.push(`stored the token in ${join(stateDir, 'credentials', 'secrets', TOKEN_SECRET)} (mode 0600)`);
    if (fromEnv)
      notes.push(`warning: ${TOKEN_SECRET} is set in the environment and wins over the stored token`);
    else if (telegram.botToken)
      notes.push(
        'warning: channels.telegram.botToken in krabkrab.json wins over the stored token; remove it',
      );
  } else {
    notes.push(`using ${TOKEN_SECRET} from the environment (nothing stored)`);
  }
  const silent = { ...io, stdout: () => {} };
  await configSet(['channels.telegram.enabled', 'true'], values, silent);
  notes.push(`set channels.telegram.enabled = true in ${configPath}`);

  if (values.json) {
    io.stdout(`${JSON.stringify({ ok: true, channel: 'telegram', bot: `@${username}`, configPath })}\n`);
    return EXIT.OK;
  }
  io.stdout(
    [
      `telegram: the token belongs to @${username}`,
      ...notes.map((note) => `  ${note}`),
      'next:',
      '  a running gateway reloads krabkrab.json and logs in (fly logs: "[telegram] logged in to telegram as ...");',
      `  send @${username} a message: it answers with a pairing code; approve it with`,
      '  krabkrab pairing approve telegram <code>',
      '',
    ].join('\n'),
  );
  return EXIT.OK;
};
