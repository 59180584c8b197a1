// A start parses the config once; the config schema's sections are built on that first use
// (src/core/zod-lazy.ts), so only those the config has cost anything. This file imports the
// sections itself: vitest gives each test file its own modules, so nothing here is built before.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { discordConfig } from '../../../src/core/channels/discord/config';
import { signalConfig } from '../../../src/core/channels/signal/config';
import { slackConfig } from '../../../src/core/channels/slack/config';
import { telegramConfig } from '../../../src/core/channels/telegram/config';
import { whatsappConfig } from '../../../src/core/channels/whatsapp/config';
import { parseConfigValue } from '../../../src/core/config/parse';
import { formatProblem } from '../../../src/core/config/problems';
import { configJsonSchema, metaSection } from '../../../src/core/config/schema';
import { agentsSection } from '../../../src/core/config/sections/agents';
import { authSection } from '../../../src/core/config/sections/auth';
import { bindingsSection } from '../../../src/core/config/sections/bindings';
import { channelsSection } from '../../../src/core/config/sections/channels';
import { gatewaySection, tunnelSettings } from '../../../src/core/config/sections/gateway';
import { mcpSection } from '../../../src/core/config/sections/mcp';
import { mediaSection } from '../../../src/core/config/sections/media';
import { memorySection } from '../../../src/core/config/sections/memory';
import { modelsSection } from '../../../src/core/config/sections/models';
import { pluginsSection } from '../../../src/core/config/sections/plugins';
import { skillsSection } from '../../../src/core/config/sections/skills';
import { ownersSection, toolsSection } from '../../../src/core/config/sections/tools';
import { cronJob, cronSection } from '../../../src/core/cron/config';
import { voiceCallConfig } from '../../../src/core/plugins/voice-call/config';
import type { z } from '../../../src/core/zod';
import { isSchemaBuilt } from '../../../src/core/zod-lazy';

const SECTIONS: Record<string, z.ZodType> = {
  agents: agentsSection,
  auth: authSection,
  bindings: bindingsSection,
  channels: channelsSection,
  'channels.telegram': telegramConfig,
  'channels.discord': discordConfig,
  'channels.slack': slackConfig,
  'channels.whatsapp': whatsappConfig,
  'channels.signal': signalConfig,
  cron: cronSection,
  'cron.jobs[]': cronJob,
  gateway: gatewaySection,
  'gateway.tunnel': tunnelSettings,
  mcp: mcpSection,
  media: mediaSection,
  memory: memorySection,
  models: modelsSection,
  plugins: pluginsSection,
  'plugins.entries.voice-call.config': voiceCallConfig,
  skills: skillsSection,
  owners: ownersSection,
  tools: toolsSection,
  meta: metaSection,
};

const built = () =>
  Object.entries(SECTIONS)
    .filter(([, schema]) => isSchemaBuilt(schema))
    .map(([name]) => name);

/** The bench's config: the guide's plus a Telegram channel (bench/guide-setup.ts). */
const benchConfig = JSON.parse(
  readFileSync(new URL('../../fixtures/guide-config.json', import.meta.url), 'utf8'),
) as { channels: Record<string, unknown> };
benchConfig.channels.telegram = { enabled: true, dmPolicy: 'pairing' };

describe('config sections built on first use', () => {
  it("a start's parse of the bench config builds only the sections it has", () => {
    expect(built()).toEqual([]);
    expect(parseConfigValue(benchConfig, {}).ok).toBe(true);
    expect(built()).toEqual([
      'agents',
      'auth',
      'bindings',
      'channels',
      'channels.telegram',
      'channels.discord',
      'gateway',
      'meta',
    ]);
  });

  it('builds a section when a config has it, with its own checks and unknown-key hints', () => {
    const result = parseConfigValue(
      {
        cron: { jbos: [], jobs: [{ id: 'a', schedule: { every: '1s' }, message: 'x' }] },
        tools: { exec: { mdoe: 'ask' } },
      },
      {},
    );
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([
      'cron.jobs[0].schedule.every: expected a duration of at least 10s, e.g. "30m", "1h30m", "1d"',
      'cron.jbos: unknown key (did you mean jobs?)',
      'tools.exec.mdoe: unknown key (did you mean mode?)',
    ]);
    expect(built()).toEqual(expect.arrayContaining(['cron', 'cron.jobs[]', 'tools']));
    expect(isSchemaBuilt(mcpSection)).toBe(false);
  });

  it('the JSON Schema (krabkrab config schema, the Control UI form) walks every section, inline', () => {
    const schema = configJsonSchema() as {
      properties: Record<string, { properties?: Record<string, unknown> }>;
    };
    // A plugin's own config is free-form there, checked by its plugin's schema on parse.
    expect(built()).toEqual(Object.keys(SECTIONS).filter((name) => !name.startsWith('plugins.entries')));
    // Lazy sections must not turn into references the form cannot follow.
    expect(JSON.stringify(schema)).not.toMatch(/"\$(ref|defs)"/);
    expect(Object.keys(schema.properties.cron?.properties ?? {})).toEqual([
      'enabled',
      'timezone',
      'catchUpMinutes',
      'jobs',
    ]);
    expect(Object.keys(schema.properties.channels?.properties ?? {})).toEqual([
      'telegram',
      'discord',
      'whatsapp',
      'signal',
      'slack',
    ]);
  });
});
