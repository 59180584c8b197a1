import type { GatewayContext } from '../../context';
import { type CallRecord, type CallStatus, isFinalStatus } from './calls';
import { callSession } from './conversation';
import type { VoiceSettings } from './settings';

/** A new call record; `status` is where it starts. */
export function newCall(
  ctx: Pick<GatewayContext, 'clock' | 'agents'>,
  settings: VoiceSettings,
  id: string,
  direction: CallRecord['direction'],
  from: string,
  to: string,
  status: CallStatus,
  endReason?: string,
  options: { agentId?: string; message?: string; provider?: CallRecord['provider'] } = {},
): CallRecord {
  const now = ctx.clock.now();
  const remote = direction === 'inbound' ? from : to;
  const session = callSession(ctx, settings, remote || 'unknown', id, options.agentId);
  return {
    id,
    provider: options.provider ?? 'twilio',
    direction,
    from,
    to,
    status,
    createdAt: now,
    updatedAt: now,
    ...(status === 'in-progress' ? { answeredAt: now } : {}),
    ...(isFinalStatus(status) ? { endedAt: now } : {}),
    ...(endReason ? { endReason } : {}),
    agentId: session.agentId,
    sessionKey: session.sessionKey,
    ...(options.message ? { message: options.message } : {}),
    step: 0,
    silences: 0,
    turns: 0,
    transcript: [],
  };
}
