import { bytesToBase64 } from '../../base64';
import type { GraphClient } from './graph';
import type { ParsedWhatsAppMessage } from './normalize';

/** Images up to this size are passed to the model inline (Anthropic takes up to 5 MB an image). */
export const MAX_INLINE_MEDIA_BYTES = 5 * 1024 * 1024;

/**
 * Fetches the message's images from the Graph API and inlines them as base64. One that is too
 * large or cannot be fetched keeps a description, so the model still learns it was sent.
 */
export async function fetchWhatsAppImages(
  item: ParsedWhatsAppMessage,
  source: { graph: GraphClient },
): Promise<void> {
  const attachments = item.message.attachments ?? [];
  await Promise.all(
    item.media.map(async (ref) => {
      const attachment = attachments[ref.index];
      if (!attachment) return;
      try {
        const { bytes, mimeType } = await source.graph.downloadMedia(ref.mediaId, MAX_INLINE_MEDIA_BYTES);
        attachment.size = bytes.length;
        if (!attachment.mimeType && mimeType) attachment.mimeType = mimeType;
        attachment.dataBase64 = bytesToBase64(bytes);
      } catch (error) {
        attachment.description = `the ${attachment.kind} could not be fetched from WhatsApp: ${(error as Error).message}`;
      }
    }),
  );
}
