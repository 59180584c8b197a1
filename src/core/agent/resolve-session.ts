import type { KrabConfig } from '../config/schema';
import { GatewayError } from '../errors';
import { defaultAgentId, findAgent } from './agents-config';
import { controlSessionKey, parseSessionKey } from './session-key';

/** The agent and session a run with these options would use: the session key's agent, else the default. */
export function resolveAgentSession(
  config: KrabConfig,
  options: { agentId?: string; sessionKey?: string },
): { agentId: string; sessionKey: string } {
  if (options.sessionKey) {
    const parts = parseSessionKey(options.sessionKey);
    if (options.agentId && options.agentId !== parts.agentId) {
      throw new GatewayError(
        'INVALID_PARAMS',
        `session ${options.sessionKey} belongs to agent ${parts.agentId}, not ${options.agentId}`,
      );
    }
    findAgent(config, parts.agentId);
    return { agentId: parts.agentId, sessionKey: options.sessionKey };
  }
  const agentId = options.agentId ?? defaultAgentId(config);
  findAgent(config, agentId);
  return { agentId, sessionKey: controlSessionKey(agentId) };
}
