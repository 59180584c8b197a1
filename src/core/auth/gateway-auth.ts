import { GatewayError } from '../errors';
import type { AuthThrottle } from './throttle';
import { tokensMatch } from './token';

/** Checks the gateway token for HTTP and WS alike, with the failed-attempt throttle in front. */
export interface GatewayAuth {
  /** Resolves when the token is right; throws UNAUTHORIZED or RATE_LIMITED otherwise. */
  verify(token: string | undefined, address: string): Promise<void>;
}

export function createGatewayAuth(expectedToken: () => string, throttle: AuthThrottle): GatewayAuth {
  return {
    async verify(token, address) {
      const wait = throttle.blockedFor(address);
      if (wait > 0) {
        throw new GatewayError(
          'RATE_LIMITED',
          `too many failed attempts; try again in ${Math.ceil(wait / 1000)} s`,
          {
            retryable: true,
            retryAfterMs: wait,
          },
        );
      }
      if (!token || !(await tokensMatch(token, expectedToken()))) {
        throttle.fail(address);
        throw new GatewayError('UNAUTHORIZED', token ? 'wrong gateway token' : 'gateway token required');
      }
      throttle.succeed(address);
    },
  };
}
