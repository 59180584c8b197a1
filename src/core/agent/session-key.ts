import { GatewayError } from '../errors';
import { keySegment } from '../storage/store';

/** The parts of `agent:<agentId>:<channel>:<accountOrChat>:<peer>`. */
export interface SessionKeyParts {
  agentId: string;
  channel: string;
  accountOrChat: string;
  peer: string;
}

const SEGMENT = /^[A-Za-z0-9_.+@=%-]+$/;

/** Builds a session key; user-controlled parts are escaped so the key always has five segments. */
export function buildSessionKey(parts: SessionKeyParts): string {
  return ['agent', ...[parts.agentId, parts.channel, parts.accountOrChat, parts.peer].map(segment)].join(':');
}

/** keySegment, plus: never empty, never `.`/`..` (the store refuses those segments). */
function segment(part: string): string {
  const escaped = keySegment(part === '' ? '-' : part);
  return /^\.+$/.test(escaped) ? escaped.replace(/\./g, '%2e') : escaped;
}

/** Parses and checks a session key from outside (a control client); throws INVALID_PARAMS when malformed. */
export function parseSessionKey(key: string): SessionKeyParts {
  const parts = key.split(':');
  if (
    parts.length !== 5 ||
    parts[0] !== 'agent' ||
    !parts.slice(1).every((part) => SEGMENT.test(part) && part !== '.' && part !== '..')
  ) {
    throw new GatewayError(
      'INVALID_PARAMS',
      `session key must look like agent:<agentId>:<channel>:<accountOrChat>:<peer>, got ${JSON.stringify(key.slice(0, 120))}`,
    );
  }
  const [, agentId = '', channel = '', accountOrChat = '', peer = ''] = parts;
  return { agentId, channel, accountOrChat, peer };
}

/** The store key of a session's record. */
export function sessionStoreKey(sessionKey: string): string {
  return `sessions:${sessionKey}`;
}

/** The session the control UI and `chat.send` use when the caller names none. */
export function controlSessionKey(agentId: string): string {
  return buildSessionKey({ agentId, channel: 'control', accountOrChat: 'owner', peer: 'main' });
}
