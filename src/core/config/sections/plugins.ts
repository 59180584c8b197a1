import { PLUGIN_CONFIG_SCHEMAS } from '../../plugins/registry';
import * as z from '../../zod';
import { lazySchema } from '../../zod-lazy';
import { nearest } from '../suggest';

/** Each entry's `config` is checked by its plugin's own schema, so errors name the full path. */
export const pluginsSection = lazySchema(() => {
  const pluginEntry = z.strictObject({
    enabled: z.boolean().optional(),
    config: z.record(z.string(), z.unknown()).optional(),
  });

  return z
    .strictObject({
      entries: z.record(z.string(), pluginEntry).optional(),
    })
    .superRefine((plugins, ctx) => {
      for (const [name, entry] of Object.entries(plugins.entries ?? {})) {
        // Own keys only: a plugin named `constructor` or `toString` is unknown, not Object.prototype's.
        const schema = Object.hasOwn(PLUGIN_CONFIG_SCHEMAS, name) ? PLUGIN_CONFIG_SCHEMAS[name] : undefined;
        if (!schema) {
          const hint = nearest(name, Object.keys(PLUGIN_CONFIG_SCHEMAS));
          ctx.addIssue({
            code: 'custom',
            path: ['entries', name],
            message: `unknown plugin${hint ? ` (did you mean ${hint}?)` : ''}`,
          });
          continue;
        }
        const result = schema.safeParse(entry.config ?? {});
        if (!result.success) {
          for (const issue of result.error.issues) {
            ctx.addIssue({ ...issue, path: ['entries', name, 'config', ...issue.path] } as never);
          }
        }
      }
    });
});
