import { bytesToBase64 } from '../../base64';
import { downloadCap, type MediaCaps } from '../../media/settings';
import type { GraphClient } from './graph';
import type { ParsedWhatsAppMessage } from './normalize';

/**
 * Fetches the message's images (and audio, for transcription) from the Graph API and inlines them
 * as base64. An image that is too large or cannot be fetched keeps a description, so the model
 * still learns it was sent; audio left behind is explained by the pipeline.
 */
export async function fetchWhatsAppMedia(
  item: ParsedWhatsAppMessage,
  source: { graph: GraphClient },
  caps: MediaCaps,
): Promise<void> {
  const attachments = item.message.attachments ?? [];
  await Promise.all(
    item.media.map(async (ref) => {
      const attachment = attachments[ref.index];
      if (!attachment) return;
      const max = downloadCap(caps, attachment);
      if (max === undefined) return;
      try {
        const { bytes, mimeType } = await source.graph.downloadMedia(ref.mediaId, max);
        attachment.size = bytes.length;
        if (!attachment.mimeType && mimeType) attachment.mimeType = mimeType;
        attachment.dataBase64 = bytesToBase64(bytes);
      } catch (error) {
        // Over the cap: the size tells the pipeline which cap it passed (audio gets a clear reply).
        const size = (error as { details?: { size?: unknown } }).details?.size;
        if (typeof size === 'number') attachment.size = size;
        attachment.description = `the ${attachment.kind} could not be fetched from WhatsApp: ${(error as Error).message}`;
      }
    }),
  );
}
