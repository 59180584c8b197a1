// The bench's gateway setup: the guide's config plus a Telegram channel, with both channels and
// both providers pointed at local stand-ins, so the gateway logs in and polls for real while it is
// measured. One place, so every start figure (bench/run.ts, mcp-skills, ab-startup) measures the same thing.
import { readFileSync } from 'node:fs';
import { startFakeAnthropic } from '../test/fakes/anthropic-server';
import { startFakeDiscord } from '../test/fakes/discord';
import { startFakeOpenAI } from '../test/fakes/openai-server';
import { startFakeBotApi } from '../test/fakes/telegram-bot-api';
import type { GatewaySetup } from './startup';

export async function startGuideSetup() {
  const [telegram, discord, anthropic, openai] = await Promise.all([
    startFakeBotApi(),
    startFakeDiscord(),
    startFakeAnthropic(),
    startFakeOpenAI(),
  ]);
  const config = JSON.parse(readFileSync('test/fixtures/guide-config.json', 'utf8'));
  config.channels.telegram = { enabled: true, dmPolicy: 'pairing' };
  const setup: GatewaySetup = {
    config,
    env: {
      ANTHROPIC_API_KEY: 'sk-ant-bench',
      ANTHROPIC_BASE_URL: anthropic.baseUrl,
      OPENAI_API_KEY: 'sk-bench',
      OPENAI_BASE_URL: openai.baseUrl,
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: telegram.origin,
      DISCORD_BOT_TOKEN: discord.token,
      DISCORD_API_BASE: discord.apiBase,
      DISCORD_GATEWAY_URL: discord.gatewayUrl,
      krabkrab_GATEWAY_TOKEN: 'bench-token-0123456789',
    },
  };
  const close = () => Promise.all([telegram.close(), discord.close(), anthropic.close(), openai.close()]);
  return { setup, telegram, close };
}
