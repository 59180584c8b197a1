import * as z from '../../zod';
import { lazySchema } from '../../zod-lazy';

/** `skills.entries.<name>`: per-skill settings for the skills found in the workspace and state dir. */
export const skillsSection = lazySchema(() =>
  z.strictObject({
    entries: z
      .record(
        z.string(),
        z.strictObject({
          /** false turns the skill off: it is not listed to the model. */
          enabled: z.boolean().optional(),
        }),
      )
      .optional(),
  }),
);
