import { describe, expect, it } from 'vitest';
import { toSignalSendError, undeliveredError } from '../../../../src/core/channels/signal/adapter';

describe('signal send results', () => {
  it('a send that reached someone is delivered, whatever happened to the others', () => {
    expect(undeliveredError(undefined)).toBeUndefined();
    expect(undeliveredError({ timestamp: 1, results: [] })).toBeUndefined();
    expect(
      undeliveredError({ results: [{ type: 'UNREGISTERED_FAILURE' }, { type: 'SUCCESS' }] }),
    ).toBeUndefined();
  });

  it('reaching nobody fails for good only when every failure is final', () => {
    const gone = undeliveredError({
      results: [{ type: 'UNREGISTERED_FAILURE' }, { type: 'IDENTITY_FAILURE' }],
    });
    expect(gone).toMatchObject({ retryable: false });
    expect(gone?.message).toBe(
      'signal: the message reached no recipient (UNREGISTERED_FAILURE, IDENTITY_FAILURE)',
    );
    const limited = undeliveredError({
      results: [{ type: 'RATE_LIMIT_FAILURE', retryAfterSeconds: 40 }, { type: 'UNREGISTERED_FAILURE' }],
    });
    expect(limited).toMatchObject({ retryable: true, retryAfterMs: 40_000 });
    expect(undeliveredError({ results: [{ type: 'NETWORK_FAILURE' }] })).toMatchObject({ retryable: true });
  });

  it("signal-cli's refusals of a recipient or group are final; an unreachable daemon is not", () => {
    for (const said of [
      'signal-cli refused send (-1): The user +15550000000 is not registered.',
      'signal-cli refused send (-1): Invalid group id',
      'signal-cli refused send (-1): User is not a member in group',
    ])
      expect(toSignalSendError(new Error(said)).retryable, said).toBe(false);
    expect(
      toSignalSendError(new Error('cannot reach signal-cli at http://127.0.0.1:1: fetch failed')).retryable,
    ).toBe(true);
  });
});
