import { GatewayError } from '../../errors';
import * as z from '../../zod';
import { defineTool } from './types';

export const currentTime = defineTool({
  name: 'current_time',
  description:
    'The current date and time, in UTC and optionally in an IANA time zone (e.g. "Europe/Berlin").',
  profile: 'minimal',
  guestSafe: true,
  parameters: z.object({ timezone: z.string().max(64).optional().describe('IANA time zone name') }),
  async run({ timezone }, { ctx }) {
    const now = ctx.clock.now();
    const date = new Date(now);
    const zone = timezone ?? 'UTC';
    let local: string;
    try {
      local = new Intl.DateTimeFormat('en-GB', {
        timeZone: zone,
        dateStyle: 'full',
        timeStyle: 'long',
      }).format(date);
    } catch {
      throw new GatewayError('BAD_REQUEST', `unknown time zone ${JSON.stringify(zone)}`);
    }
    return { iso: date.toISOString(), unixMs: now, timezone: zone, local };
  },
});
