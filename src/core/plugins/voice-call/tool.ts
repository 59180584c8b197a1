import { defineTool } from '../../agent/tools/types';
import { GatewayError } from '../../errors';
import * as z from '../../zod';
import { e164 } from './config';
import { placeCall } from './outbound';

/**
 * `voice_call`: lets the agent phone someone. Owner-only: never offered to a guest turn (a
 * Telegram contact, a caller), and refused here too should one get through, so nobody can make
 * the gateway dial on their behalf.
 */
export const voiceCallTool = defineTool({
  name: 'voice_call',
  description:
    'Place a phone call (owner only). The callee hears `message` first, then can talk with you. Use E.164 numbers like +15551234567.',
  profile: 'messaging',
  parameters: z.object({
    to: e164.describe('the number to call, E.164'),
    message: z.string().min(1).max(1000).describe('what to say when they answer'),
  }),
  async run({ to, message }, { ctx, agentId, trust }) {
    if (trust !== 'owner') {
      throw new GatewayError(
        'FORBIDDEN',
        "voice_call is for the owner only; this conversation is not the owner's",
      );
    }
    const call = await placeCall(ctx, { to, message, agentId });
    return { callId: call.id, provider: call.provider, status: call.status, to: call.to };
  },
});
