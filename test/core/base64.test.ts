import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64 } from '../../src/core/base64';

describe('base64', () => {
  it('encodes as Node does, across the chunk boundary', () => {
    const bytes = Uint8Array.from({ length: 0x8000 * 2 + 7 }, (_, i) => (i * 31) & 0xff);
    expect(bytesToBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    expect(bytesToBase64(new Uint8Array())).toBe('');
  });

  it('decodes standard and URL-safe text, with or without padding', () => {
    const bytes = Uint8Array.from([0xfb, 0xff, 0xbf, 0x01]);
    expect(base64ToBytes(bytesToBase64(bytes))).toEqual(bytes);
    expect(base64ToBytes(Buffer.from(bytes).toString('base64url'))).toEqual(bytes);
  });

  it('refuses what is not base64', () => {
    for (const text of ['', '   ', 'a b', 'ab$c', 'abc==='])
      expect(base64ToBytes(text), text).toBeUndefined();
  });
});
