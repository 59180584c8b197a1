import { CliError, EXIT } from '../exit-codes';
import type { CliIo, Command, ParsedCommand } from './command';
import { callGateway, findRunningGateway, type GatewayEndpoint } from './cron-remote';
import { statePaths } from './state-options';

interface CallSummary {
  id: string;
  provider: string;
  direction: string;
  from: string;
  to: string;
  status: string;
  createdAt: number;
  durationSeconds?: number;
  endReason?: string;
}

type Subcommand = (
  args: string[],
  parsed: ParsedCommand,
  io: CliIo,
  gateway: GatewayEndpoint,
) => Promise<number>;

const describe = (call: CallSummary) =>
  `${call.id}  ${call.direction} ${call.direction === 'outbound' ? call.to : call.from}  ${call.status}${call.durationSeconds !== undefined ? ` (${call.durationSeconds} s)` : ''}${call.endReason ? `  ${call.endReason}` : ''}`;

const SUBCOMMANDS: Record<string, Subcommand> = {
  async call(args, parsed, io, gateway) {
    const [to, extra] = args;
    if (!to || extra !== undefined)
      throw new CliError('usage: krabkrab voicecall call <E.164 number> [--message "..."]', EXIT.USAGE);
    if (!/^\+[1-9]\d{6,14}$/.test(to))
      throw new CliError(`expected an E.164 number like +15551234567, got ${JSON.stringify(to)}`, EXIT.USAGE);
    const params = {
      to,
      ...(typeof parsed.values.message === 'string' ? { message: parsed.values.message } : {}),
      ...(typeof parsed.values.agent === 'string' ? { agentId: parsed.values.agent } : {}),
    };
    const { call } = (await callGateway(gateway, 'voicecall.start', params)) as { call: CallSummary };
    if (parsed.values.json) io.stdout(`${JSON.stringify(call, null, 2)}\n`);
    else io.stdout(`calling ${call.to} through ${call.provider}: call ${call.id} (${call.status})\n`);
    return EXIT.OK;
  },
  async list(_args, parsed, io, gateway) {
    const { calls } = (await callGateway(gateway, 'voicecall.list', {
      ...(parsed.values.active ? { active: true } : {}),
    })) as { calls: CallSummary[] };
    if (parsed.values.json) io.stdout(`${JSON.stringify(calls, null, 2)}\n`);
    else io.stdout(calls.length ? `${calls.map(describe).join('\n')}\n` : 'no calls\n');
    return EXIT.OK;
  },
  async hangup(args, _parsed, io, gateway) {
    const [callId] = args;
    if (!callId) throw new CliError('usage: krabkrab voicecall hangup <call id>', EXIT.USAGE);
    const { call } = (await callGateway(gateway, 'voicecall.hangup', { callId })) as { call: CallSummary };
    io.stdout(`${describe(call)}\n`);
    return EXIT.OK;
  },
};

/**
 * Phone calls from a shell (`fly ssh console`): asks the running gateway over its control
 * socket, because the gateway owns the call (webhooks, the agent, the record).
 */
export const voicecallCommand: Command = {
  summary: 'Phone calls: voicecall call <E.164> [--message "..."], voicecall list, voicecall hangup <id>',
  usage: `voicecall <${Object.keys(SUBCOMMANDS).join('|')}> [args] [--message TEXT] [--agent ID] [--active] [--json] [--url WS] [--token T] [--state-dir DIR]`,
  options: {
    message: { type: 'string' },
    agent: { type: 'string' },
    active: { type: 'boolean' },
    json: { type: 'boolean' },
    url: { type: 'string' },
    token: { type: 'string' },
    'state-dir': { type: 'string' },
  },
  async run(parsed, io) {
    const [sub, ...args] = parsed.positionals;
    const handler = sub !== undefined && Object.hasOwn(SUBCOMMANDS, sub) ? SUBCOMMANDS[sub] : undefined;
    if (!handler) throw new CliError(`expected one of ${Object.keys(SUBCOMMANDS).join(', ')}`, EXIT.USAGE);
    const { stateDir, configPath } = statePaths(parsed.values, io.env);
    const gateway = await findRunningGateway({
      stateDir,
      configPath,
      env: io.env,
      ...(typeof parsed.values.url === 'string' ? { url: parsed.values.url } : {}),
      ...(typeof parsed.values.token === 'string' ? { token: parsed.values.token } : {}),
    });
    if (!gateway) {
      throw new CliError(
        `no gateway is running on ${stateDir}: start it (krabkrab gateway) or pass --url ws://host:port`,
        EXIT.ERROR,
      );
    }
    return handler(args, parsed, io, gateway);
  },
};
