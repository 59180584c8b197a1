import { CHANNELS } from '../../channels/channels';
import * as z from '../../zod';
import { lazySchema } from '../../zod-lazy';

type Optional<T extends Record<string, { config: z.ZodType }>> = {
  [K in keyof T]: z.ZodOptional<T[K]['config']>;
};

/** `channels.<id>` for each channel of the table; its schema lives with the channel. */
function sectionsOf<T extends Record<string, { config: z.ZodType }>>(table: T): Optional<T> {
  return Object.fromEntries(
    Object.entries(table).map(([id, def]) => [id, def.config.optional()]),
  ) as Optional<T>;
}

export const channelsSection = lazySchema(() => z.strictObject(sectionsOf(CHANNELS)));
