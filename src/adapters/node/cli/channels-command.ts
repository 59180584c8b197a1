import { CHANNEL_LIST } from '../../../core/channels/channels';
import { DISCORD_ACTIONS } from '../discord/cli';
import { CliError, EXIT } from '../exit-codes';
import { loginSignal } from '../signal/login';
import { addWhatsAppChannel } from '../whatsapp/channels-add';
import { loginWhatsAppWeb } from '../whatsapp/web-login';
import { flagOf, genericAddChannel } from './channel-add-generic';
import type { CliIo, Command, ParsedCommand } from './command';

/** What a channel offers from the shell: `channels add telegram --token T`, `channels login whatsapp`, ... */
export type ChannelAction = (args: string[], parsed: ParsedCommand, io: CliIo) => Promise<number>;

/** Shell actions a channel has beyond the generic `channels add` its `ChannelDef.setup` gives. */
const OWN_ACTIONS: Record<string, Record<string, ChannelAction>> = {
  discord: DISCORD_ACTIONS,
  whatsapp: { add: addWhatsAppChannel, login: loginWhatsAppWeb },
  signal: { login: loginSignal },
};

/** `CHANNEL_ACTIONS[channel][action]` for every channel of `CHANNELS`. */
export const CHANNEL_ACTIONS: Record<string, Record<string, ChannelAction>> = Object.fromEntries(
  CHANNEL_LIST.map((def) => [
    def.id,
    { ...(def.setup ? { add: genericAddChannel(def) } : {}), ...OWN_ACTIONS[def.id] },
  ]),
);

export const channelsCommand: Command = {
  summary:
    'Set up channels from a shell: channels add <channel>, channels login <channel>, channels <channel> <action>',
  usage: 'channels <action> <channel> [args] | channels <channel> <action> [args]',
  options: {
    'state-dir': { type: 'string' },
    json: { type: 'boolean' },
    relink: { type: 'boolean' },
    // Each setup field is a flag (`--token`, `--bot-token`, `--phone-number-id`), for the generic
    // `channels add` and a channel's own add alike.
    ...Object.fromEntries(
      CHANNEL_LIST.flatMap((def) => def.setup?.fields ?? []).map((field) => [
        flagOf(field.name),
        { type: 'string' as const },
      ]),
    ),
  },
  async run(parsed, io) {
    const [first, second, ...rest] = parsed.positionals;
    const action =
      (first && second && actionOf(second, first)) || (first && second && actionOf(first, second));
    if (!action) {
      const known = Object.entries(CHANNEL_ACTIONS).flatMap(([channel, actions]) =>
        Object.keys(actions).map((name) => `${name} ${channel}`),
      );
      throw new CliError(`unknown channel action; available: ${known.join(', ') || 'none'}`, EXIT.USAGE);
    }
    return action(rest, parsed, io);
  },
};

/** Own keys only: `channels constructor call` is an unknown action, not Object.prototype's. */
function actionOf(channel: string, action: string): ChannelAction | undefined {
  const actions = Object.hasOwn(CHANNEL_ACTIONS, channel) ? CHANNEL_ACTIONS[channel] : undefined;
  return actions && Object.hasOwn(actions, action) ? actions[action] : undefined;
}
