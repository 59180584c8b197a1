import { usage } from '../../providers/types';
import * as z from '../../zod';

const run = { runId: z.string(), sessionKey: z.string() };

/**
 * A `chat` event: the reply to `chat.send`, streamed to the caller piece by piece (`delta`,
 * `tool`), then exactly one `final` or `error` (code `ABORTED` after `chat.abort`).
 */
export const chatEvent = z.discriminatedUnion('state', [
  z.object({ ...run, state: z.literal('delta'), text: z.string() }),
  z.object({
    ...run,
    state: z.literal('tool'),
    name: z.string(),
    args: z.unknown(),
    result: z.unknown().optional(),
    isError: z.literal(true).optional(),
    durationMs: z.number().optional(),
  }),
  z.object({
    ...run,
    state: z.literal('final'),
    text: z.string(),
    model: z.string().optional(),
    usage,
  }),
  z.object({ ...run, state: z.literal('error'), code: z.string(), message: z.string() }),
]);
export type ChatEvent = z.infer<typeof chatEvent>;

/** `chat.send` answers at once; the reply itself comes as `chat` events. */
export const chatSendResult = z.object(run);
export type ChatSendResult = z.infer<typeof chatSendResult>;

/** `chat.abort`: whether a run with that id was running. */
export const chatAbortResult = z.object({ aborted: z.boolean() });
export type ChatAbortResult = z.infer<typeof chatAbortResult>;
