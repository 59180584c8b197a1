import { createServer } from 'node:net';
import type { RoutedEvent, RoutedRequest } from '../../../src/core/providers/types';
import { startFakeAnthropic } from '../../fakes/anthropic-server';
import type { FakeLlmOptions, FakeLlmServer } from '../../fakes/fake-llm';
import { startFakeOpenAI } from '../../fakes/openai-server';
import { createTestContext, type TestContext, type TestContextOptions } from '../../helpers/context';

export const OPUS = 'anthropic/claude-opus-4-5';
export const SONNET = 'anthropic/claude-sonnet-4-5';
export const GPT = 'openai/gpt-4o';

export interface Harness {
  ctx: TestContext;
  anthropic: FakeLlmServer;
  openai: FakeLlmServer;
  env: Record<string, string>;
  close(): Promise<void>;
}

/** A test context whose env points the providers at fresh fakes (one key each unless `env` says otherwise). */
export async function startHarness(
  options: { anthropic?: FakeLlmOptions; openai?: FakeLlmOptions; env?: Record<string, string> } & Omit<
    TestContextOptions,
    'env'
  > = {},
): Promise<Harness> {
  const anthropic = await startFakeAnthropic(options.anthropic);
  const openai = await startFakeOpenAI(options.openai);
  const env = {
    ANTHROPIC_API_KEY: 'sk-ant-primary-key',
    ANTHROPIC_BASE_URL: anthropic.baseUrl,
    OPENAI_API_KEY: 'sk-openai-key-1',
    OPENAI_BASE_URL: openai.baseUrl,
    ...options.env,
  };
  const ctx = createTestContext({ ...options, env });
  return {
    ctx,
    anthropic,
    openai,
    env,
    close: () => Promise.all([anthropic.close(), openai.close()]).then(() => undefined),
  };
}

export interface RunResult {
  events: RoutedEvent[];
  text: string;
  error: (Error & { code?: string }) | undefined;
}

export async function run(
  ctx: TestContext,
  models: string[],
  extra: Partial<RoutedRequest> = {},
): Promise<RunResult> {
  const events: RoutedEvent[] = [];
  let error: RunResult['error'];
  try {
    for await (const event of ctx.models.stream({
      models,
      messages: [{ role: 'user', content: 'hi' }],
      ...extra,
    }))
      events.push(event);
  } catch (caught) {
    error = caught as RunResult['error'];
  }
  return { events, text: events.map((e) => (e.type === 'text' ? e.delta : '')).join(''), error };
}

export const agentLines = (ctx: TestContext) =>
  ctx.lines.filter((line) => line.scope === 'agent').map((line) => line.line);

/** A port nothing listens on (bound, then closed). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
