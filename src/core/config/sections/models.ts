import * as z from '../../zod';

export const modelsSection = z.strictObject({
  providers: z
    .record(
      z.string(),
      z.strictObject({
        baseUrl: z.url().optional(),
        apiKey: z.string().optional(),
      }),
    )
    .optional(),
});
