import { describe, expect, it } from 'vitest';
import { hmacSha256Matches } from '../../../src/core/auth/hmac';

const bytes = (text: string) => new TextEncoder().encode(text);
// RFC 4231, test case 2.
const KEY = 'Jefe';
const DATA = bytes('what do ya want for nothing?');
const MAC = '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843';

describe('hmacSha256Matches', () => {
  it('accepts the HMAC-SHA256 of the data with the secret, in either hex case', async () => {
    expect(await hmacSha256Matches(KEY, DATA, MAC)).toBe(true);
    expect(await hmacSha256Matches(KEY, DATA, MAC.toUpperCase())).toBe(true);
  });

  it('refuses another secret, other data, one changed digit and a truncated signature', async () => {
    expect(await hmacSha256Matches('jefe', DATA, MAC)).toBe(false);
    expect(await hmacSha256Matches(KEY, bytes('what do ya want for nothing!'), MAC)).toBe(false);
    expect(await hmacSha256Matches(KEY, DATA, `${MAC.slice(0, -1)}2`)).toBe(false);
    expect(await hmacSha256Matches(KEY, DATA, MAC.slice(0, 62))).toBe(false);
  });

  it('refuses anything but exactly 64 hex digits, even when its first 64 digits are the HMAC', async () => {
    expect(await hmacSha256Matches(KEY, DATA, `${MAC}0`)).toBe(false);
    expect(await hmacSha256Matches(KEY, DATA, `${MAC}00`)).toBe(false);
    expect(await hmacSha256Matches(KEY, DATA, `${MAC.slice(0, 62)}zz`)).toBe(false);
    expect(await hmacSha256Matches(KEY, DATA, `${MAC.slice(0, 62)}+3`)).toBe(false);
    expect(await hmacSha256Matches(KEY, DATA, '')).toBe(false);
  });
});
