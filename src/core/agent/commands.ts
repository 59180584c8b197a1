import type { KrabConfig } from '../config/schema';
import { parseModelRef } from '../providers/credentials';
import { THINK_LEVELS, type ThinkLevel } from '../providers/reasoning';
import { providerTable } from '../providers/table';
import type { UsageBook } from '../usage/book';
import type { CompactOutcome } from './compactor';
import type { ExecApprovals } from './exec/approvals';
import { approveCommand } from './exec/approve-command';
import type { SessionRecord, SessionStore } from './session-store';
import type { SessionTrust } from './tools/types';
import type { AgentInfo } from './types';

/** What a chat command sees. */
export interface CommandInput {
  agent: AgentInfo;
  sessionKey: string;
  sessions: SessionStore;
  config: KrabConfig;
  trust: SessionTrust;
  /** The text after the command's name, trimmed (`/model openai/gpt-5` -> `openai/gpt-5`). */
  args: string;
  /** Compacts this session now (the runtime's compaction; the caller holds the session's queue). */
  compact(focus?: string): Promise<CompactOutcome>;
  /** Exec commands waiting for the owner (`/approve`). */
  approvals: ExecApprovals;
  /** The daily usage rollups (`/usage`). */
  usage: UsageBook;
}

export interface ChatCommand {
  /** `/help`'s line: arguments, then what it does. */
  usage: string;
  help: string;
  /** True when this use changes something: owner sessions only. */
  changes?(args: string): boolean;
  run(input: CommandInput): Promise<string>;
  /**
   * Answered at once instead of after the session's running turn: that turn may be the one
   * waiting for this very answer (an exec approval).
   */
  immediate?: boolean;
}

/** Chat commands answered by the gateway itself, without a model. Adding one is one line. */
export const CHAT_COMMANDS: Record<string, ChatCommand> = {
  help: { usage: '/help', help: 'this list', run: async () => helpText() },
  new: { usage: '/new', help: 'start a new session (earlier messages are forgotten)', run: resetSession },
  reset: { usage: '/reset', help: 'same as /new', run: resetSession },
  status: { usage: '/status', help: "this session's model, turns and tokens", run: describeStatus },
  start: { usage: '/start', help: 'same as /status', run: describeStatus },
  model: {
    usage: '/model [provider/model | default]',
    help: "show or switch this session's model",
    changes: (args) => args !== '',
    run: switchModel,
  },
  think: {
    usage: '/think [off | low | medium | high]',
    help: 'show or set how hard the model reasons',
    changes: (args) => args !== '',
    run: setThinking,
  },
  compact: {
    usage: '/compact [focus]',
    help: 'summarize the older turns now (optionally saying what to keep)',
    changes: () => true,
    run: compactNow,
  },
  usage: {
    usage: '/usage',
    help: "this session's tokens and estimated cost (and today's, for the owner)",
    // The price table loads on first use, not at start.
    run: async (input) => (await import('../usage/command')).describeUsage(input),
  },
  approve: {
    usage: '/approve <id> allow-once|allow-always|deny',
    help: 'answer a command waiting for approval (owner only)',
    immediate: true,
    run: approveCommand,
  },
};

/** The command a message is (`/new`, `/status@krab_bot`, `/model openai/gpt-5`); unknown ones are plain text. */
export function parseChatCommand(message: unknown): { name: string; args: string } | undefined {
  if (typeof message !== 'string') return undefined;
  const match = /^\/([a-z]+)(?:@\S+)?(?:\s+([\s\S]*))?$/i.exec(message.trim());
  const name = match?.[1]?.toLowerCase();
  if (name === undefined || !Object.hasOwn(CHAT_COMMANDS, name)) return undefined;
  return { name, args: (match?.[2] ?? '').trim() };
}

/** Runs a command, refusing a change from a guest session. */
export function runChatCommand(name: string, input: CommandInput): Promise<string> {
  const command = CHAT_COMMANDS[name];
  if (!command) return Promise.resolve(`Unknown command /${name}. ${helpHint}`);
  if (command.changes?.(input.args) && input.trust !== 'owner')
    return Promise.resolve(`Only the owner can use ${command.usage.split(' ')[0]} to change this session.`);
  return command.run(input);
}

const helpHint = 'Send /help for the list.';

function helpText(): string {
  return [
    'Commands:',
    ...Object.values(CHAT_COMMANDS).map((command) => `${command.usage} - ${command.help}`),
    'Any other /text goes to the model as a message.',
  ].join('\n');
}

async function resetSession({ sessionKey, sessions }: CommandInput): Promise<string> {
  await sessions.reset(sessionKey);
  return 'Started a new session: earlier messages are forgotten.';
}

async function describeStatus({ agent, sessionKey, sessions }: CommandInput): Promise<string> {
  const record: SessionRecord | null = await sessions.get(sessionKey);
  const fallbacks = agent.model.fallbacks.length ? ` (fallbacks: ${agent.model.fallbacks.join(', ')})` : '';
  const model = record?.modelOverride
    ? `${record.modelOverride} (this session; agent default ${agent.model.primary ?? 'not configured'})`
    : (agent.model.primary ?? 'not configured');
  const lines = [`Agent ${agent.id}: model ${model}${fallbacks}`];
  if (record?.thinking && record.thinking !== 'off') lines.push(`Thinking: ${record.thinking}`);
  if (record && record.turns > 0) {
    const compactions = record.compactions?.length ? `, compacted ${record.compactions.length} time(s)` : '';
    lines.push(
      `Session: ${record.turns} turn(s), ${record.messages.length} message(s) kept${compactions}` +
        `${record.model ? `, last answered by ${record.model}` : ''}` +
        `, tokens ${record.usage.inputTokens} in / ${record.usage.outputTokens} out`,
    );
  } else {
    lines.push('Session: new');
  }
  return lines.join('\n');
}

/** The model a session answers with: its `/model` choice, else the agent's primary. */
function currentModel(agent: AgentInfo, record: SessionRecord | null): string | undefined {
  return record?.modelOverride ?? agent.model.primary;
}

async function switchModel({ agent, sessionKey, sessions, config, args }: CommandInput): Promise<string> {
  const record = await sessions.get(sessionKey);
  if (args === '') {
    const model = currentModel(agent, record);
    if (!model) return 'No model is configured for this agent.';
    return record?.modelOverride
      ? `Model: ${model} (this session). /model default returns to ${agent.model.primary ?? 'the agent default'}.`
      : `Model: ${model} (agent default). Switch with /model provider/model.`;
  }
  if (args.toLowerCase() === 'default') {
    await sessions.update(sessionKey, ({ modelOverride: _dropped, ...rest }) => rest);
    return `Model: back to the agent default, ${agent.model.primary ?? 'not configured'}.`;
  }
  const ref = parseModelRef(args);
  const providers = providerTable(config);
  if (!ref || /\s/.test(args) || !Object.hasOwn(providers, ref.provider)) {
    const why = ref ? `unknown provider "${ref.provider}"` : 'expected provider/model';
    return `Unknown model "${args.slice(0, 100)}": ${why} (providers: ${Object.keys(providers).join(', ')}). The model is unchanged.`;
  }
  const normalized = `${ref.provider}/${ref.model}`;
  await sessions.update(sessionKey, (current) => ({ ...current, modelOverride: normalized }));
  return `Model: ${normalized} for this session. /model default returns to ${agent.model.primary ?? 'the agent default'}.`;
}

async function setThinking({ agent, sessionKey, sessions, config, args }: CommandInput): Promise<string> {
  const record = await sessions.get(sessionKey);
  const level = args.toLowerCase();
  if (level === '') return `Thinking: ${record?.thinking ?? 'off'}. Set it with /think off|low|medium|high.`;
  if (!(THINK_LEVELS as readonly string[]).includes(level))
    return `Unknown thinking level "${args.slice(0, 40)}": use ${THINK_LEVELS.join(', ')}. Thinking stays ${record?.thinking ?? 'off'}.`;
  if (level !== 'off') {
    const model = currentModel(agent, record);
    const ref = model ? parseModelRef(model) : undefined;
    const reasons = ref ? providerTable(config)[ref.provider]?.reasons?.(ref.model) : false;
    if (!reasons)
      return `${model ?? 'This agent'} does not support thinking levels, so /think ${level} would do nothing. Thinking stays ${record?.thinking ?? 'off'}.`;
  }
  await sessions.update(sessionKey, (current) => ({ ...current, thinking: level as ThinkLevel }));
  return `Thinking: ${level} for this session.`;
}

async function compactNow({ args, compact }: CommandInput): Promise<string> {
  const outcome = await compact(args.slice(0, 500) || undefined);
  if (!outcome.compacted)
    return outcome.failed
      ? `Could not compact: ${outcome.reason}. Nothing was dropped.`
      : `Nothing to compact: ${outcome.reason}.`;
  return `Compacted: ${outcome.mark.turns} earlier turn(s) are now a summary; recent turns stay as they were.`;
}
