import { cronSection } from '../cron/config';
import * as z from '../zod';
import { lazySchema } from '../zod-lazy';
import { agentsSection } from './sections/agents';
import { authSection } from './sections/auth';
import { bindingsSection } from './sections/bindings';
import { channelsSection } from './sections/channels';
import { gatewaySection } from './sections/gateway';
import { mcpSection } from './sections/mcp';
import { mediaSection } from './sections/media';
import { memorySection } from './sections/memory';
import { modelsSection } from './sections/models';
import { pluginsSection } from './sections/plugins';
import { skillsSection } from './sections/skills';
import { ownersSection, toolsSection } from './sections/tools';

/** `meta`: what the gateway notes when it writes the file. */
export const metaSection = lazySchema(() =>
  z.strictObject({
    lastTouchedVersion: z.string().optional(),
    lastTouchedAt: z.string().optional(),
  }),
);

/**
 * The single source of truth for `krabkrab.json`: types are inferred from it and
 * `krabkrab config schema` publishes it as JSON Schema. Every object is strict, so a typo
 * is an error that names the key instead of a setting silently ignored. Each section is built
 * on first use (`lazySchema`): a start builds only the sections its config has.
 */
export const configSchema = z.strictObject({
  $schema: z.string().optional(),
  agents: agentsSection.optional(),
  auth: authSection.optional(),
  bindings: bindingsSection.optional(),
  channels: channelsSection.optional(),
  cron: cronSection.optional(),
  gateway: gatewaySection.optional(),
  mcp: mcpSection.optional(),
  media: mediaSection.optional(),
  memory: memorySection.optional(),
  models: modelsSection.optional(),
  plugins: pluginsSection.optional(),
  skills: skillsSection.optional(),
  owners: ownersSection.optional(),
  tools: toolsSection.optional(),
  meta: metaSection.optional(),
});

export type KrabConfig = z.infer<typeof configSchema>;

/** The JSON Schema of the config, for editors (`"$schema"`) and `krabkrab config schema`. */
export function configJsonSchema(): unknown {
  return z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' });
}
