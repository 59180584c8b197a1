import { formatProblem } from '../../config/problems';
import { isSecretKey, redactConfig } from '../../config/redact';
import { configJsonSchema } from '../../config/schema';
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

/** Marks every secret-named property `writeOnly` (JSON Schema's word for it): forms show a password field, never a value. */
function markSecrets(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(markSecrets);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'properties' && value && typeof value === 'object' && !Array.isArray(value)) {
      out[key] = Object.fromEntries(
        Object.entries(value).map(([name, child]) => {
          const marked = markSecrets(child);
          return [
            name,
            isSecretKey(name) && marked && typeof marked === 'object'
              ? { ...marked, writeOnly: true }
              : marked,
          ];
        }),
      );
    } else out[key] = markSecrets(value);
  }
  return out;
}

let published: unknown;

/** The config's JSON Schema (what `krabkrab config schema` prints), secrets marked writeOnly: the Config view's form is built from it. */
export const configSchemaMethod = defineMethod(z.object({}).optional(), () => {
  published ??= markSecrets(configJsonSchema());
  return { schema: published };
});
