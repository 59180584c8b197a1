import * as z from '../../zod';

// The fields of a Cloud API webhook that normalize.ts reads (payload.ts), checked before anything
// reads them: a signed body with a field of another type is a 400, never a TypeError (a 500 that
// Meta redelivers). Every object lets other fields through.
const media = z.looseObject({
  id: z.string().optional(),
  mime_type: z.string().optional(),
  sha256: z.string().optional(),
  caption: z.string().optional(),
  filename: z.string().optional(),
});
const wireError = z.looseObject({
  code: z.number().optional(),
  title: z.string().optional(),
  message: z.string().optional(),
  error_data: z.looseObject({ details: z.string().optional() }).optional(),
});
const message = z.looseObject({
  from: z.string().optional(),
  id: z.string().optional(),
  timestamp: z.string().optional(),
  type: z.string().optional(),
  group_id: z.string().optional(),
  text: z.looseObject({ body: z.string().optional() }).optional(),
  image: media.optional(),
  document: media.optional(),
  audio: media.optional(),
  video: media.optional(),
  sticker: media.optional(),
  reaction: z.looseObject({ message_id: z.string().optional(), emoji: z.string().optional() }).optional(),
  button: z.looseObject({ text: z.string().optional() }).optional(),
  interactive: z
    .looseObject({
      button_reply: z.looseObject({ title: z.string().optional() }).optional(),
      list_reply: z.looseObject({ title: z.string().optional() }).optional(),
    })
    .optional(),
  location: z
    .looseObject({
      latitude: z.number().optional(),
      longitude: z.number().optional(),
      name: z.string().optional(),
      address: z.string().optional(),
    })
    .optional(),
  context: z.looseObject({ from: z.string().optional(), id: z.string().optional() }).optional(),
  errors: z.array(wireError).optional(),
});
const value = z.looseObject({
  messaging_product: z.string().optional(),
  metadata: z
    .looseObject({ display_phone_number: z.string().optional(), phone_number_id: z.string().optional() })
    .optional(),
  contacts: z
    .array(
      z.looseObject({
        wa_id: z.string().optional(),
        profile: z.looseObject({ name: z.string().optional() }).optional(),
      }),
    )
    .optional(),
  messages: z.array(message).optional(),
  statuses: z
    .array(
      z.looseObject({
        id: z.string().optional(),
        status: z.string().optional(),
        timestamp: z.string().optional(),
        recipient_id: z.string().optional(),
        errors: z.array(wireError).optional(),
      }),
    )
    .optional(),
});

/** The body shape, as far as the gateway reads it. */
export const whatsappWebhookShape = z.looseObject({
  object: z.string().optional(),
  entry: z
    .array(
      z.looseObject({
        id: z.string().optional(),
        changes: z.array(z.looseObject({ field: z.string().optional(), value: value.optional() })).optional(),
      }),
    )
    .optional(),
});
