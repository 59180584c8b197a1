import { GatewayError } from '../../errors';
import * as z from '../../zod';
import { wrapUntrusted } from '../untrusted';
import { deadline } from '../web/deadline';
import { guardedFetch, parseFetchUrl } from '../web/guarded-fetch';
import { htmlToMarkdown } from '../web/html';
import { decodeText, readCapped } from '../web/read-body';
import { fetchTransport } from '../web/transport';
import { defineTool } from './types';

/** Bytes of a body read at most; the rest is never downloaded. */
export const FETCH_MAX_BYTES = 2 * 1024 * 1024;
/** The whole fetch (every hop and the body) ends after this. */
export const FETCH_TIMEOUT_MS = 20_000;
export const FETCH_DEFAULT_CHARS = 10_000;
/** Kept under the tool result cap (16,000 chars), so the cut is ours and says so. */
export const FETCH_MAX_CHARS = 14_000;

const TEXT_TYPES =
  /^(text\/|application\/(json|xml|javascript|ld\+json|rss\+xml|atom\+xml|x-ndjson)|[^;]*\+(json|xml))/i;

export const webFetch = defineTool({
  name: 'web_fetch',
  description:
    'Fetch a public web page (http or https GET) and return its readable content as Markdown (HTML) or text. ' +
    'Binary files are refused; private and local addresses are not reachable.',
  parameters: z.object({
    url: z.string().min(1).max(4000).describe('the http(s) URL'),
    maxChars: z.number().int().min(100).max(FETCH_MAX_CHARS).optional().describe('longest text returned'),
  }),
  profile: 'messaging',
  guestSafe: true,
  async run({ url, maxChars }, { ctx, signal, web }) {
    const start = parseFetchUrl(url);
    const timeout = deadline(ctx.clock, FETCH_TIMEOUT_MS, signal);
    try {
      const { response, url: final } = await guardedFetch(start, {
        transport: web ?? fetchTransport,
        allowPrivateNetwork: ctx.config().tools?.web?.fetch?.allowPrivateNetwork === true,
        signal: timeout.signal,
        headers: {
          'user-agent': 'KrabKrab web_fetch (+https://github.com/krabkrab)',
          accept: 'text/html, text/*;q=0.9, application/json;q=0.8, */*;q=0.1',
        },
      });
      const contentType = response.headers.get('content-type') ?? '';
      const type = contentType.split(';')[0]!.trim().toLowerCase();
      if (type && !TEXT_TYPES.test(type)) {
        await response.body?.cancel().catch(() => {});
        throw new GatewayError(
          'BAD_REQUEST',
          `${final.href} is ${type}, not text: binary content is not fetched`,
        );
      }
      const { bytes, truncated } = await readCapped(response.body, FETCH_MAX_BYTES);
      if (!type && bytes.subarray(0, 1024).includes(0))
        throw new GatewayError('BAD_REQUEST', `${final.href} looks binary: binary content is not fetched`);
      const raw = decodeText(bytes, contentType);
      const isHtml =
        type === 'text/html' ||
        type === 'application/xhtml+xml' ||
        (!type && /^\s*<(!doctype html|html)/i.test(raw));
      const page = isHtml ? await htmlToMarkdown(raw, final.href) : { text: raw };
      const limit = maxChars ?? FETCH_DEFAULT_CHARS;
      const cut = page.text.length > limit;
      const lines = [
        `URL: ${final.href}`,
        `Status: ${response.status}`,
        ...('title' in page && page.title ? [`Title: ${page.title}`] : []),
        ...(truncated ? [`(only the first ${FETCH_MAX_BYTES / 1024 / 1024} MiB of the body were read)`] : []),
        ...(cut
          ? [`(cut at ${limit} of ${page.text.length} characters; ask with a larger maxChars for more)`]
          : []),
        '',
        cut ? page.text.slice(0, limit) : page.text,
      ];
      return wrapUntrusted(`web_fetch ${final.href}`, lines.join('\n'));
    } catch (error) {
      if (timeout.expired())
        throw new GatewayError(
          'TIMEOUT',
          `no complete answer from ${start.host} within ${FETCH_TIMEOUT_MS / 1000} s`,
        );
      if (error instanceof GatewayError) throw error;
      throw new GatewayError('PROVIDER_ERROR', `could not fetch ${start.href}: ${describe(error)}`, {
        cause: error,
      });
    } finally {
      timeout.cancel();
    }
  },
});

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error);
}
