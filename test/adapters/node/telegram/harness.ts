import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentToolsView } from '../../../../src/core/agent/status-section';
import type { GatewayStatus } from '../../../../src/core/protocol/payloads/gateway';
import type { ChannelStatus } from '../../../../src/core/protocol/payloads/setup';
import { type FakeLlmServer, startFakeAnthropic } from '../../../fakes/anthropic-server';
import type { FakeLlmOptions } from '../../../fakes/fake-llm';
import { type FakeBotApi, type FakeBotOptions, startFakeBotApi } from '../../../fakes/telegram-bot-api';
import { freePort } from '../../../helpers/fake-bin';
import { type GatewayProcess, removeDir, startGateway, tempStateDir } from '../../../helpers/gateway-process';

export const GATEWAY_TOKEN = 'telegram-test-gateway-token-0123456789';

export interface TelegramWorld {
  bot: FakeBotApi;
  llm: FakeLlmServer;
  stateDir: string;
  gateway: GatewayProcess;
  env: Record<string, string>;
  config: Record<string, unknown>;
  /** Rewrites krabkrab.json (`{PORT}` stands for the gateway's port); a running gateway reloads it. */
  writeConfig(config: Record<string, unknown>): void;
  /** Starts the gateway again on the same state dir (after `gateway.stop('SIGKILL')`). */
  restart(): Promise<GatewayProcess>;
  status(): Promise<WorldStatus>;
  close(): Promise<void>;
}

/** `GET /api/status` with the sections these tests read: each channel's status and the agents' tools. */
export type WorldStatus = GatewayStatus & {
  channels: Partial<Record<string, ChannelStatus>>;
  agents?: { tools: AgentToolsView[] };
};

export interface WorldOptions {
  telegram?: Record<string, unknown>;
  config?: Record<string, unknown>;
  env?: Record<string, string | undefined>;
  bot?: FakeBotOptions;
  llm?: FakeLlmOptions;
  /** Listen on a port chosen before start, so a webhook URL can name it. */
  fixedPort?: boolean;
  /** Wait for this line after start (default: the login line). */
  waitFor?: RegExp | null;
}

/**
 * The fake Bot API, a fake Anthropic, and the real gateway (`node dist/index.js gateway`) started
 * as a user would, pointed at them with TELEGRAM_API_ROOT and ANTHROPIC_BASE_URL.
 */
export async function startTelegramWorld(options: WorldOptions = {}): Promise<TelegramWorld> {
  const bot = await startFakeBotApi(options.bot);
  const llm = await startFakeAnthropic(options.llm);
  const stateDir = tempStateDir('krab-telegram-');
  const port = options.fixedPort ? await freePort() : 0;
  const config = {
    gateway: { mode: 'local' },
    agents: { defaults: { model: { primary: 'anthropic/claude-test' } } },
    channels: { telegram: { enabled: true, ...options.telegram } },
    ...options.config,
  };
  const writeConfig = (value: Record<string, unknown>) =>
    writeFileSync(
      join(stateDir, 'krabkrab.json'),
      JSON.stringify(value, null, 2).replaceAll('{PORT}', String(port)),
    );
  writeConfig(config);
  const env: Record<string, string> = {
    TELEGRAM_BOT_TOKEN: bot.token,
    TELEGRAM_API_ROOT: bot.origin,
    ANTHROPIC_API_KEY: 'sk-ant-test-key-0123456789',
    ANTHROPIC_BASE_URL: llm.origin,
    krabkrab_GATEWAY_TOKEN: GATEWAY_TOKEN,
  };
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  const launch = async () => {
    const gateway = await startGateway({ stateDir, env, args: port ? ['--port', String(port)] : [] });
    const waitFor =
      options.waitFor === undefined ? /\[telegram\] logged in to telegram as @/ : options.waitFor;
    if (waitFor) await gateway.waitForLine(waitFor);
    return gateway;
  };
  const world: TelegramWorld = {
    bot,
    llm,
    stateDir,
    env,
    config,
    writeConfig,
    gateway: await launch(),
    async restart() {
      world.gateway = await launch();
      return world.gateway;
    },
    async status() {
      const res = await fetch(`${world.gateway.url}/api/status`, {
        headers: { authorization: `Bearer ${GATEWAY_TOKEN}` },
      });
      return res.json();
    },
    async close() {
      await world.gateway.stop();
      await bot.close();
      await llm.close();
      removeDir(stateDir);
    },
  };
  return world;
}

/** Waits until `check` passes (bounded), for effects that have no event to wait on. */
export async function eventually(check: () => void | Promise<void>, timeoutMs = 8_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

export const sentTexts = (bot: FakeBotApi, chatId: number | string) =>
  bot
    .callsOf('sendMessage')
    .filter((c) => String(c.params.chat_id) === String(chatId))
    .map((c) => String(c.params.text));
