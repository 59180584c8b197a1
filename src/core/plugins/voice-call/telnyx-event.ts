import * as z from '../../zod';
import { lazySchema } from '../../zod-lazy';

/**
 * A Call Control webhook (`data` of the JSON body): the fields the flows read, typed as Telnyx
 * documents them (others pass through). Built on the first Telnyx webhook, not at start.
 * https://developers.telnyx.com/docs/voice/programmable-voice/receiving-webhooks
 */
export const telnyxEvent = lazySchema(() =>
  z.looseObject({
    id: z.string(),
    event_type: z.string(),
    occurred_at: z.string().nullish(),
    payload: z.looseObject({
      call_control_id: z.string().optional(),
      direction: z.string().optional(),
      from: z.string().optional(),
      to: z.string().optional(),
      hangup_cause: z.string().optional(),
      transcription_data: z
        .looseObject({
          transcript: z.string().optional(),
          is_final: z.boolean().optional(),
          confidence: z.number().optional(),
        })
        .optional(),
    }),
  }),
);
export type TelnyxEvent = z.infer<typeof telnyxEvent>;
