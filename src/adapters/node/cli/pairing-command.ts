import { createPairingStore, type PairingStore } from '../../../core/pairing/pairing-store';
import { CliError, EXIT } from '../exit-codes';
import { createNodeStore } from '../node-store';
import { ensureStateDir } from '../state-dir';
import type { CliIo, Command, ParsedCommand } from './command';
import { statePaths } from './state-options';

type Subcommand = (
  args: string[],
  parsed: ParsedCommand,
  io: CliIo,
  pairing: PairingStore,
) => Promise<number>;

const minutesLeft = (expiresAt: number) => Math.max(0, Math.ceil((expiresAt - Date.now()) / 60_000));

const SUBCOMMANDS: Record<string, Subcommand> = {
  async list(args, parsed, io, pairing) {
    if (args.length > 0) throw new CliError(`unexpected argument ${JSON.stringify(args[0])}`, EXIT.USAGE);
    const { pending, approved } = await pairing.list();
    if (parsed.values.json) {
      io.stdout(`${JSON.stringify({ pending, approved }, null, 2)}\n`);
      return EXIT.OK;
    }
    const lines = pending.length
      ? pending.map(
          (r) =>
            `  ${r.channel} ${r.code}  from ${r.senderName ? `${r.senderName} ` : ''}(${r.senderId}), expires in ${minutesLeft(r.expiresAt)} min`,
        )
      : ['  none'];
    const paired = approved.length
      ? approved.map((s) => `  ${s.channel} ${s.senderName ? `${s.senderName} ` : ''}(${s.senderId})`)
      : ['  none'];
    io.stdout(`pending pairing requests:\n${lines.join('\n')}\napproved senders:\n${paired.join('\n')}\n`);
    if (pending.length) io.stdout(`approve one with: krabkrab pairing approve <channel> <code>\n`);
    return EXIT.OK;
  },
  async approve(args, _parsed, io, pairing) {
    const [channel, code] = channelAndCode(args, 'approve');
    const request = await pairing.approve(channel, code);
    io.stdout(
      `approved ${channel} user ${request.senderName ? `${request.senderName} ` : ''}(${request.senderId}): they can message the bot now\n`,
    );
    return EXIT.OK;
  },
  async deny(args, _parsed, io, pairing) {
    const [channel, code] = channelAndCode(args, 'deny');
    const request = await pairing.deny(channel, code);
    io.stdout(`denied ${channel} user ${request.senderId}\n`);
    return EXIT.OK;
  },
};

function channelAndCode(args: string[], action: string): [string, string] {
  const [channel, code, extra] = args;
  if (!channel || !code || extra !== undefined)
    throw new CliError(`usage: krabkrab pairing ${action} <channel> <code>`, EXIT.USAGE);
  return [channel, code];
}

/**
 * Works on the state dir's store directly, so it needs no running gateway (`fly ssh console`);
 * a running gateway reads the same files at the sender's next message.
 */
export const pairingCommand: Command = {
  summary:
    'Admit people who message the bot: pairing list, pairing approve <channel> <code>, pairing deny <channel> <code>',
  usage: `pairing <${Object.keys(SUBCOMMANDS).join('|')}> [channel code] [--json] [--state-dir DIR]`,
  options: { 'state-dir': { type: 'string' }, json: { type: 'boolean' } },
  async run(parsed, io) {
    const [sub = 'list', ...args] = parsed.positionals;
    const handler = Object.hasOwn(SUBCOMMANDS, sub) ? SUBCOMMANDS[sub] : undefined;
    if (!handler) throw new CliError(`expected one of ${Object.keys(SUBCOMMANDS).join(', ')}`, EXIT.USAGE);
    const { stateDir } = statePaths(parsed.values, io.env);
    await ensureStateDir(stateDir);
    const store = createNodeStore(stateDir);
    try {
      return await handler(args, parsed, io, createPairingStore(store, Date.now));
    } catch (error) {
      if (error instanceof Error && error.name === 'GatewayError') throw new CliError(error.message);
      throw error;
    } finally {
      await store.dispose();
    }
  },
};
