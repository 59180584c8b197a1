/**
 * Base64 on web APIs only (`btoa`/`atob`), so the core runs unchanged on Workers. One place for
 * it: channels inline fetched media with it, signatures and the memory index decode with it.
 */

/** Base64 (standard or URL-safe) to bytes; undefined for anything that is not base64. */
export function base64ToBytes(text: string): Uint8Array<ArrayBuffer> | undefined {
  const clean = text.trim().replace(/-/g, '+').replace(/_/g, '/');
  if (clean === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(clean)) return undefined;
  try {
    const binary = atob(clean.padEnd(Math.ceil(clean.length / 4) * 4, '='));
    return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
  } catch {
    return undefined;
  }
}

/** 32 KiB at a time: small enough for `fromCharCode`'s argument limit, large enough to be fast. */
const CHUNK = 0x8000;

/** Bytes to standard base64 (with padding). */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK)
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(binary);
}

/** How many bytes a base64 text holds, without decoding it (4 characters carry 3 bytes, less the padding). */
export function base64ByteLength(text: string): number {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return Math.floor((text.length * 3) / 4) - padding;
}
