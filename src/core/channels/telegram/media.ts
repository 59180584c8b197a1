import { bytesToBase64 } from '../../base64';
import { formatBytes } from '../../media/format';
import { downloadCap, type MediaCaps } from '../../media/settings';
import { describeTelegramError, grammySignal, type TelegramApi } from './api';
import type { ParsedTelegramUpdate } from './normalize';

/** Fetching files happens before the webhook's 200, so it is cut short rather than hold the ack. */
export const FILE_FETCH_TIMEOUT_MS = 10_000;

/**
 * Fetches the message's images via `getFile` and the file download URL, inlining them as base64.
 * A file that is too large (over `caps`; the Bot API serves files up to 20 MB) or cannot be fetched
 * keeps a description instead, so the model (and the owner) still learn that it was sent.
 */
export async function fetchTelegramFiles(
  parsed: ParsedTelegramUpdate,
  source: { api: TelegramApi; token: string; apiRoot: string; fetch?: typeof fetch },
  signal: AbortSignal | undefined,
  caps: MediaCaps,
): Promise<void> {
  const attachments = parsed.message.attachments ?? [];
  await Promise.all(
    parsed.files.map(async (ref) => {
      const attachment = attachments[ref.index];
      if (!attachment) return;
      // Audio is fetched only for transcription, within its caps; the pipeline says why otherwise.
      const max = downloadCap(caps, attachment);
      if (max === undefined) return;
      const label = attachment.name ?? attachment.kind;
      if (ref.size !== undefined && ref.size > max) {
        if (attachment.kind === 'audio') return;
        attachment.description = `[${label} (${formatBytes(ref.size)}) was sent; it is larger than ${formatBytes(max)} and not passed to the model]`;
        return;
      }
      try {
        const file = await source.api.getFile(ref.fileId, signal && grammySignal(signal));
        if (!file.file_path) throw new Error('getFile returned no file_path');
        const url = `${source.apiRoot}/file/bot${source.token}/${file.file_path}`;
        const res = await (source.fetch ?? fetch)(url, signal ? { signal } : {});
        if (!res.ok) throw new Error(`file download answered ${res.status}`);
        const bytes = new Uint8Array(await res.arrayBuffer());
        if (bytes.length > max) {
          attachment.size = bytes.length;
          if (attachment.kind === 'audio') return;
          attachment.description = `[${label} (${formatBytes(bytes.length)}) was sent; it is too large to pass to the model]`;
          return;
        }
        attachment.size = bytes.length;
        attachment.dataBase64 = bytesToBase64(bytes);
      } catch (error) {
        attachment.description = `[${label} was sent but could not be fetched from Telegram: ${describeTelegramError(error)}]`;
      }
    }),
  );
}
