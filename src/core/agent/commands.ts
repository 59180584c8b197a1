import type { SessionRecord, SessionStore } from './session-store';
import type { AgentInfo } from './types';

/** What a chat command sees. */
export interface CommandInput {
  agent: AgentInfo;
  sessionKey: string;
  sessions: SessionStore;
}

/** Chat commands answered by the gateway itself, without a model. Adding one is one line. */
export const CHAT_COMMANDS: Record<string, (input: CommandInput) => Promise<string>> = {
  new: resetSession,
  reset: resetSession,
  status: describeStatus,
  start: describeStatus,
};

/** The command a message is (`/new`, `/status@krab_bot`), if it is exactly one. */
export function parseChatCommand(message: unknown): string | undefined {
  if (typeof message !== 'string') return undefined;
  const match = /^\/([a-z]+)(@\S+)?$/i.exec(message.trim());
  const name = match?.[1]?.toLowerCase();
  return name !== undefined && Object.hasOwn(CHAT_COMMANDS, name) ? name : undefined;
}

async function resetSession({ sessionKey, sessions }: CommandInput): Promise<string> {
  await sessions.reset(sessionKey);
  return 'Started a new session: earlier messages are forgotten.';
}

async function describeStatus({ agent, sessionKey, sessions }: CommandInput): Promise<string> {
  const record: SessionRecord | null = await sessions.get(sessionKey);
  const fallbacks = agent.model.fallbacks.length ? ` (fallbacks: ${agent.model.fallbacks.join(', ')})` : '';
  const lines = [`Agent ${agent.id}: model ${agent.model.primary ?? 'not configured'}${fallbacks}`];
  if (record && record.turns > 0) {
    lines.push(
      `Session: ${record.turns} turn(s), ${record.messages.length} message(s) kept` +
        `${record.model ? `, last answered by ${record.model}` : ''}` +
        `, tokens ${record.usage.inputTokens} in / ${record.usage.outputTokens} out`,
    );
  } else {
    lines.push('Session: new');
  }
  return lines.join('\n');
}
