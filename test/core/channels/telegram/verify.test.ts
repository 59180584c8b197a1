import { describe, expect, it } from 'vitest';
import { SECRET_HEADER, verifyTelegramRequest } from '../../../../src/core/channels/telegram/verify';
import { isGatewayError } from '../../../../src/core/errors';

const request = (secret?: string) =>
  new Request('http://gw/telegram/webhook', {
    method: 'POST',
    headers: secret === undefined ? {} : { [SECRET_HEADER]: secret },
  });

describe('verifyTelegramRequest', () => {
  it('accepts the right secret', async () => {
    await expect(verifyTelegramRequest(request('s3cret-value'), 's3cret-value')).resolves.toBeUndefined();
  });

  it.each([
    ['missing header', undefined, 's3cret-value', /missing/],
    ['wrong secret', 's3cret-valuX', 's3cret-value', /wrong/],
    ['prefix of the secret', 's3cret', 's3cret-value', /wrong/],
    ['no secret configured (fails closed)', 'anything', undefined, /wrong/],
  ])('refuses a %s with 401', async (_name, given, expected, message) => {
    const error = await verifyTelegramRequest(request(given), expected).catch((e) => e);
    expect(isGatewayError(error, 'UNAUTHORIZED')).toBe(true);
    expect(error.status).toBe(401);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('s3cret');
  });
});
