import * as z from 'zod';
import { cronSection } from '../cron/config';
import { agentsSection } from './sections/agents';
import { authSection } from './sections/auth';
import { bindingsSection } from './sections/bindings';
import { channelsSection } from './sections/channels';
import { gatewaySection } from './sections/gateway';
import { modelsSection } from './sections/models';
import { pluginsSection } from './sections/plugins';

// zod compiles a parser for each object schema on its first parse; that pays off for millions of
// parses, not for a config read once and frames of a few fields (start: 7 ms to parse the guide's
// config instead of 20). Workers forbid the compiling anyway, so both runtimes parse alike.
z.config({ jitless: true });

/**
 * The single source of truth for `krabkrab.json`: types are inferred from it and
 * `krabkrab config schema` publishes it as JSON Schema. Every object is strict, so a typo
 * is an error that names the key instead of a setting silently ignored.
 */
export const configSchema = z.strictObject({
  $schema: z.string().optional(),
  agents: agentsSection.optional(),
  auth: authSection.optional(),
  bindings: bindingsSection.optional(),
  channels: channelsSection.optional(),
  cron: cronSection.optional(),
  gateway: gatewaySection.optional(),
  models: modelsSection.optional(),
  plugins: pluginsSection.optional(),
  meta: z
    .strictObject({
      lastTouchedVersion: z.string().optional(),
      lastTouchedAt: z.string().optional(),
    })
    .optional(),
});

export type KrabConfig = z.infer<typeof configSchema>;

/** The JSON Schema of the config, for editors (`"$schema"`) and `krabkrab config schema`. */
export function configJsonSchema(): unknown {
  return z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' });
}
