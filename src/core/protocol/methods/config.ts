import { formatProblem } from '../../config/problems';
import { redactConfig } from '../../config/redact';
import * as z from '../../zod';
import { defineMethod } from '../method';

/** The config as the owner wrote it, `${VAR}` references kept, literal secrets redacted. */
export const configGet = defineMethod(z.object({}).optional(), (_params, { ctx }) => ({
  config: redactConfig(ctx.configStore.current().raw),
}));

const rawConfig = z.object({ config: z.record(z.string(), z.unknown()) });

export const configValidate = defineMethod(rawConfig, ({ config }, { ctx }) => {
  const problems = ctx.configStore.validate(config);
  return { ok: problems.length === 0, problems, messages: problems.map(formatProblem) };
});

export const configApply = defineMethod(rawConfig, async ({ config }, { ctx }) => {
  const applied = await ctx.configStore.apply(config);
  ctx.log.info('config applied from the control connection');
  return { ok: true, config: redactConfig(applied.raw) };
});
