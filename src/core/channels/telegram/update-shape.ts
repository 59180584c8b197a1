import * as z from '../../zod';
import { lazySchema } from '../../zod-lazy';
import { assertPayloadShape } from '../payload-shape';

// The parts of a Bot API `Message` (https://core.telegram.org/bots/api#message) that the gateway
// reads, checked before anything reads them: a malformed update is a 400 (webhook) or a skipped
// update (polling), never a TypeError that Telegram would redeliver forever. Built on the first update.
const message = lazySchema(() => {
  const id = z.number().int();
  const user = z.looseObject({
    id,
    is_bot: z.boolean().optional(),
    first_name: z.string().optional(),
    last_name: z.string().optional(),
    username: z.string().optional(),
  });
  const entity = z
    .looseObject({
      type: z.string(),
      offset: z.number().int().min(0),
      length: z.number().int().min(0),
      user: user.optional(),
    })
    .refine((e) => e.type !== 'text_mention' || e.user !== undefined, {
      message: 'text_mention without user',
    });
  const media = z.looseObject({ file_size: z.number().optional(), mime_type: z.string().optional() });

  return z.looseObject({
    message_id: id,
    chat: z.looseObject({ id, type: z.string(), title: z.string().optional() }),
    from: user.optional(),
    text: z.string().optional(),
    caption: z.string().optional(),
    entities: z.array(entity).optional(),
    caption_entities: z.array(entity).optional(),
    is_topic_message: z.boolean().optional(),
    message_thread_id: id.optional(),
    reply_to_message: z
      .looseObject({
        message_id: id,
        text: z.string().optional(),
        caption: z.string().optional(),
        from: user.optional(),
      })
      .optional(),
    photo: z
      .array(
        z.looseObject({
          file_id: z.string(),
          width: z.number(),
          height: z.number(),
          file_size: z.number().optional(),
        }),
      )
      .optional(),
    document: media.extend({ file_id: z.string(), file_name: z.string().optional() }).optional(),
    voice: media.optional(),
    audio: media.optional(),
    video: media.optional(),
    video_note: media.optional(),
    sticker: media.optional(),
  });
});

/** Throws BAD_REQUEST when `update.message` is present but not shaped like a Bot API Message. */
export function assertTelegramMessageShape(update: { message?: unknown }): void {
  if (update.message !== undefined)
    assertPayloadShape(message, update.message, 'Telegram update', ['message']);
}
