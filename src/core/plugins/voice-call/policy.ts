import type { VoiceSettings } from './settings';

const DIGITS = /[^\d+]/g;

/** Whether an inbound caller may talk to the agent: `inbound.policy` and `inbound.allowFrom`. */
export function inboundDecision(settings: VoiceSettings, from: string): { allowed: boolean; reason: string } {
  const { policy, allowFrom } = settings.inbound;
  if (policy === 'disabled') return { allowed: false, reason: 'inbound calls are disabled' };
  if (policy === 'open') return { allowed: true, reason: 'inbound policy is open' };
  const caller = from.replace(DIGITS, '');
  if (caller && allowFrom.some((allowed) => allowed.replace(DIGITS, '') === caller))
    return { allowed: true, reason: 'in inbound.allowFrom' };
  return { allowed: false, reason: 'not in inbound.allowFrom' };
}
