import type { Hono } from 'hono';
import { handleDiscordInteraction } from '../../src/core/channels/discord/interactions-route';
import { createApp } from '../../src/handlers/app';
import { createTestContext, type TestContext, type TestContextOptions } from './context';

/** The guild the Discord interaction tests allow (its #general channel, no mention needed). */
export const DISCORD_GUILD = 'G100';

/**
 * A context with the Discord channel on (group policy allowlist: guild G100, #general), one agent
 * `main` bound to it, and a hono app serving only POST /discord/interactions. `publicKey` is the
 * application's Ed25519 key in hex; without one the channel has none configured.
 */
export function discordInteractionsSetup(
  options: Pick<TestContextOptions, 'env' | 'models'> & { publicKey?: string },
): { ctx: TestContext; app: Hono } {
  const ctx = createTestContext({
    ...options,
    config: {
      agents: { defaults: { model: 'test/model' }, list: [{ id: 'main', default: true }] },
      bindings: [{ agentId: 'main', match: { channel: 'discord' } }],
      channels: {
        discord: {
          enabled: true,
          groupPolicy: 'allowlist',
          ...(options.publicKey === undefined ? {} : { publicKey: options.publicKey }),
          guilds: { [DISCORD_GUILD]: { channels: { general: { allow: true } }, requireMention: false } },
        },
      },
    },
  });
  const app = createApp(ctx, { clientAddress: () => '127.0.0.1' }, [
    { method: 'POST', path: '/discord/interactions', handler: handleDiscordInteraction },
  ]);
  return { ctx, app };
}
