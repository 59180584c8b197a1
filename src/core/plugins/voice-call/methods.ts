import { defineMethod } from '../../protocol/method';
import * as z from '../../zod';
import { listCalls, toCallSummary } from './calls';
import { e164 } from './config';
import { hangupCall, placeCall } from './outbound';

/** `voicecall.start`: places an outbound call. */
export const voicecallStart = defineMethod(
  z.object({
    to: e164,
    message: z.string().min(1).max(1000).optional(),
    agentId: z.string().min(1).optional(),
  }),
  async (params, { ctx }) => ({ call: toCallSummary(await placeCall(ctx, params)) }),
);

/** `voicecall.list`: calls, newest first (`active` only those not ended). */
export const voicecallList = defineMethod(
  z.object({ limit: z.number().int().min(1).max(200).optional(), active: z.boolean().optional() }).optional(),
  async (params, { ctx }) => ({ calls: (await listCalls(ctx, params ?? {})).map(toCallSummary) }),
);

/** `voicecall.hangup`: ends a call. */
export const voicecallHangup = defineMethod(
  z.object({ callId: z.string().min(1).max(200) }),
  async ({ callId }, { ctx }) => ({
    call: toCallSummary(await hangupCall(ctx, callId)),
  }),
);
