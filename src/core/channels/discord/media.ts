import { bytesToBase64 } from '../../base64';
import { downloadCap, type MediaCaps } from '../../media/settings';
import type { InboundMessage } from '../types';
import type { DiscordMessage } from './payloads';

/** A download taking longer is given up (the model gets the description). */
const FETCH_TIMEOUT_MS = 15_000;

/** Discord serves attachments from its CDN; a test (or proxy) serves them beside its API base. */
const CDN_HOSTS = new Set(['cdn.discordapp.com', 'media.discordapp.net']);

/**
 * Downloads the images (for the model) and audio (for transcription) of an admitted message from
 * the attachment URLs Discord sent, within the caps. Only Discord's CDN (or the configured API
 * base's origin) is fetched: the URL comes from the gateway, never from the message text. One
 * that cannot be fetched keeps its description.
 */
export async function fetchDiscordMedia(
  message: DiscordMessage,
  inbound: InboundMessage,
  options: { caps: MediaCaps; apiBase: string; fetch?: typeof fetch },
): Promise<void> {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const apiOrigin = new URL(options.apiBase).origin;
  await Promise.all(
    (message.attachments ?? []).map(async (source, index) => {
      const attachment = inbound.attachments?.[index];
      if (!attachment || !source.url) return;
      const max = downloadCap(options.caps, attachment);
      if (max === undefined || (attachment.size ?? 0) > max) return;
      try {
        const url = new URL(source.url);
        const trusted =
          (url.protocol === 'https:' && CDN_HOSTS.has(url.hostname)) || url.origin === apiOrigin;
        if (!trusted) throw new Error(`not a Discord CDN URL (${url.hostname})`);
        const res = await doFetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
        if (!res.ok) throw new Error(`the CDN answered ${res.status}`);
        if (Number(res.headers.get('content-length') ?? 0) > max) {
          await res.body?.cancel();
          throw new Error('larger than announced');
        }
        const bytes = new Uint8Array(await res.arrayBuffer());
        if (bytes.length > max) throw new Error('larger than announced');
        attachment.size = bytes.length;
        attachment.dataBase64 = bytesToBase64(bytes);
      } catch (error) {
        attachment.description = `${attachment.description ?? attachment.kind}; it could not be downloaded: ${(error as Error).message}`;
      }
    }),
  );
}
