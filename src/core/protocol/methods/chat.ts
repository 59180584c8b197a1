import type { AgentEvent } from '../../agent/types';
import type { ContentPart } from '../../providers/types';
import * as z from '../../zod';
import { defineMethod } from '../method';
import type { ChatAbortResult, ChatEvent, ChatSendResult } from '../payloads/chat';

const contentPart = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string().max(100_000) }),
  z.object({
    type: z.literal('image'),
    mimeType: z.string().regex(/^image\//),
    dataBase64: z.string().max(8_000_000),
  }),
]);

export const chatSendParams = z.object({
  sessionKey: z.string().min(1).max(512).optional(),
  agentId: z.string().min(1).max(64).optional(),
  message: z.union([z.string().min(1).max(100_000), z.array(contentPart).min(1).max(16)]),
});

/** The payload of a `chat` event: one per streamed piece, then `final` or `error`. */
function toChatEvent(runId: string, sessionKey: string, event: AgentEvent): ChatEvent | undefined {
  switch (event.type) {
    case 'delta':
      return { runId, sessionKey, state: 'delta', text: event.text };
    case 'tool':
      return {
        runId,
        sessionKey,
        state: 'tool',
        name: event.name,
        args: event.args,
        result: event.result,
        ...(event.isError ? { isError: true as const } : {}),
        ...(event.durationMs !== undefined ? { durationMs: event.durationMs } : {}),
      };
    case 'final':
      return { runId, sessionKey, state: 'final', text: event.text, model: event.model, usage: event.usage };
    case 'error':
      return { runId, sessionKey, state: 'error', code: event.code, message: event.message };
    default:
      return undefined;
  }
}

/**
 * Starts a turn and answers at once with `{runId, sessionKey}`; the reply streams to this caller
 * as `chat` events. The run finishes even if the caller goes away (the transcript stays whole).
 */
export const chatSend = defineMethod(chatSendParams, (params, { ctx, emit }): ChatSendResult => {
  const { agentId, sessionKey } = ctx.agents.resolveSession(params);
  const runId = crypto.randomUUID();
  const run = ctx.agents.runTurn({
    agentId,
    sessionKey,
    runId,
    message: params.message as string | ContentPart[],
    // An authenticated control connection (the Control UI) is the owner.
    trust: 'owner',
    onEvent(event) {
      const payload = toChatEvent(runId, sessionKey, event);
      if (payload) emit('chat', payload);
    },
  });
  ctx.waitUntil(
    run.catch((error) =>
      ctx.log.scope('agent').warn(`chat run ${runId} in ${sessionKey} ended: ${(error as Error).message}`),
    ),
  );
  return { runId, sessionKey };
});

export const chatAbort = defineMethod(
  z.object({ runId: z.string().min(1).max(128) }),
  ({ runId }, { ctx }): ChatAbortResult => ({
    aborted: ctx.agents.abort(runId),
  }),
);
