import { formatProblem } from '../../config/problems';
import { redactConfig } from '../../config/redact';
import * as z from '../../zod';
import { defineMethod } from '../method';

/** The config as the owner wrote it, `${VAR}` references kept, literal secrets redacted. */
export const configGet = defineMethod(z.object({}).optional(), (_params, { ctx }) => ({
  config: redactConfig(ctx.configStore.current().raw),
}));

// The document is taken as sent, not copied by a record schema: a copy would silently drop a
// `__proto__` key, which the config parse reports by path instead.
const rawConfig = z.object({
  config: z.custom<Record<string, unknown>>(
    (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
    'expected a JSON object',
  ),
});

export const configValidate = defineMethod(rawConfig, ({ config }, { ctx }) => {
  const problems = ctx.configStore.validate(config);
  return { ok: problems.length === 0, problems, messages: problems.map(formatProblem) };
});

export const configApply = defineMethod(rawConfig, async ({ config }, { ctx }) => {
  const applied = await ctx.configStore.apply(config);
  ctx.log.info('config applied from the control connection');
  return { ok: true, config: redactConfig(applied.raw) };
});
