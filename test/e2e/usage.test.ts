import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UsageStatus, UsageSummary } from '../../src/core/usage/types';
import { type FakeLlmServer, reply, startFakeAnthropic } from '../fakes/anthropic-server';
import { startFakeOpenAI } from '../fakes/openai-server';
import { launchBrowser, openPage, screenshot, signIn } from '../helpers/browser';
import { type GatewayProcess, removeDir, startGateway, tempStateDir } from '../helpers/gateway-process';
import { ControlClient } from '../helpers/ws-client';

/**
 * Usage and cost end to end: turns through the real gateway to the fake Anthropic and OpenAI
 * (behind the real SDKs, cache tokens reported as each API does), then `usage.summary`, `status`,
 * `/usage`, a restart, and the Control UI's Usage view in Chromium.
 */
const TOKEN = 'usage-e2e-token-0123456789';
const SONNET = 'anthropic/claude-sonnet-4-5';
const MINI = 'openai/gpt-4o-mini';
const UNPRICED = 'anthropic/claude-fake-9';
let anthropic: FakeLlmServer;
let openai: FakeLlmServer;
let stateDir: string;
let gateway: GatewayProcess;
let browser: Browser;

const start = () =>
  startGateway({
    stateDir,
    env: {
      krabkrab_GATEWAY_TOKEN: TOKEN,
      ANTHROPIC_API_KEY: 'sk-ant-usage',
      ANTHROPIC_BASE_URL: anthropic.origin,
      OPENAI_API_KEY: 'sk-openai-usage',
      OPENAI_BASE_URL: openai.baseUrl,
    },
  });

beforeAll(async () => {
  [anthropic, openai] = await Promise.all([startFakeAnthropic(), startFakeOpenAI()]);
  stateDir = tempStateDir('krab-usage-');
  const config = {
    gateway: { mode: 'local' },
    agents: {
      defaults: { model: { primary: SONNET } },
      list: [
        { id: 'main', default: true },
        { id: 'gpt', model: MINI },
        { id: 'odd', model: UNPRICED },
      ],
    },
  };
  writeFileSync(join(stateDir, 'krabkrab.json'), JSON.stringify(config));
  [gateway, browser] = await Promise.all([start(), launchBrowser()]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
  await Promise.all([anthropic?.close(), openai?.close()]);
  if (stateDir) removeDir(stateDir);
});

async function connect(): Promise<ControlClient> {
  return ControlClient.connect(`ws://127.0.0.1:${gateway.port}`, TOKEN);
}

async function turn(
  client: ControlClient,
  params: Record<string, unknown>,
): Promise<{ text: string; usage: Record<string, number> }> {
  const res = await client.request('chat.send', params);
  expect(res.ok, JSON.stringify(res.error)).toBe(true);
  const final = await client.waitFor(
    (f) =>
      f.event === 'chat' &&
      f.payload.runId === res.payload.runId &&
      (f.payload.state === 'final' || f.payload.state === 'error'),
    10_000,
  );
  expect(final.payload.state, JSON.stringify(final.payload)).toBe('final');
  return final.payload as { text: string; usage: Record<string, number> };
}

describe('usage and cost through the running gateway', { timeout: 60_000 }, () => {
  it('records each provider call with its cache tokens, and answers usage.summary, status and /usage', async () => {
    anthropic.enqueue(
      // Anthropic's input_tokens leave out the cached ones: the gateway counts 100 + 1000 + 200 in.
      reply.text('first answer', {
        usage: { inputTokens: 100, outputTokens: 20, cacheReadTokens: 1000, cacheWriteTokens: 200 },
      }),
      {
        kind: 'tools',
        calls: [{ name: 'current_time', arguments: {} }],
        usage: { inputTokens: 50, outputTokens: 10 },
      },
      reply.text('it is noon', { usage: { inputTokens: 60, outputTokens: 5, cacheReadTokens: 40 } }),
      reply.text('odd answer', { usage: { inputTokens: 7, outputTokens: 3 } }),
    );
    // OpenAI's prompt_tokens include the cached ones.
    openai.enqueue(
      reply.text('gpt answer', { usage: { inputTokens: 500, outputTokens: 50, cacheReadTokens: 300 } }),
    );
    const client = await connect();
    const first = await turn(client, { message: 'hello' });
    expect(first.usage).toEqual({
      inputTokens: 1300,
      outputTokens: 20,
      cacheReadTokens: 1000,
      cacheWriteTokens: 200,
    });
    await turn(client, { message: 'what time is it?' });
    await turn(client, { agentId: 'gpt', message: 'hi gpt' });
    await turn(client, { agentId: 'odd', message: 'hi odd' });
    expect(anthropic.requests).toHaveLength(4);
    expect(openai.requests).toHaveLength(1);

    const summary = (await client.request('usage.summary', { days: 7 })).payload as UsageSummary;
    expect(summary.days).toHaveLength(1);
    const [day] = summary.days;
    expect(day?.date).toBe(new Date().toISOString().slice(0, 10));
    expect(day?.models).toEqual([
      {
        model: UNPRICED,
        requests: 1,
        inputTokens: 7,
        outputTokens: 3,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        costUsd: null,
      },
      // (1450 - 1040 - 200) x 3 + 1040 x 0.3 + 200 x 3.75 + 35 x 15 = 2217 USD per million.
      {
        model: SONNET,
        requests: 3,
        inputTokens: 1450,
        outputTokens: 35,
        cacheReadTokens: 1040,
        cacheWriteTokens: 200,
        costUsd: expect.closeTo(0.002217, 9),
      },
      // 200 x 0.15 + 300 x 0.075 + 50 x 0.6 = 82.5 USD per million.
      {
        model: MINI,
        requests: 1,
        inputTokens: 500,
        outputTokens: 50,
        cacheReadTokens: 300,
        cacheWriteTokens: 0,
        costUsd: expect.closeTo(0.0000825, 10),
      },
    ]);
    expect(day?.agents.map((a) => [a.agentId, a.requests])).toEqual([
      ['gpt', 1],
      ['main', 3],
      ['odd', 1],
    ]);
    expect(day?.channels.map((c) => [c.channel, c.requests])).toEqual([['control', 5]]);
    expect(summary.total).toMatchObject({ requests: 5, inputTokens: 1957, outputTokens: 88, costUsd: null });

    const status = (await client.request('status')).payload.usage as UsageStatus;
    expect(status.total).toEqual(summary.total);

    const usage = await turn(client, { message: '/usage' });
    expect(usage.text).toContain(
      `This session: 3 call(s), 1,450 in (1,040 cache read, 200 cache write) / 35 out, ~$0.0022`,
    );
    expect(usage.text).toMatch(
      /Today \(\d{4}-\d\d-\d\d UTC, all sessions\): 5 call\(s\), 1,957 in .* cost unknown/,
    );
    expect((await turn(client, { message: '/help' })).text).toContain('/usage');
    // Commands cost nothing: no provider call was made for them.
    expect(anthropic.requests).toHaveLength(4);
    expect(existsSync(join(stateDir, 'usage'))).toBe(true);
    client.close();
  });

  it('keeps the rollups across a restart', async () => {
    await gateway.stop();
    gateway = await start();
    const client = await connect();
    const summary = (await client.request('usage.summary', {})).payload as UsageSummary;
    expect(summary.total).toMatchObject({ requests: 5, inputTokens: 1957, cacheReadTokens: 1340 });
    const bad = await client.request('usage.summary', { days: 365 });
    expect(bad.error?.code).toBe('INVALID_PARAMS');
    client.close();
  });

  it('shows the numbers per day and model in the Usage view: 360 px, dark mode, by keyboard', async () => {
    const { page, errors } = await openPage(browser, `${gateway.url}/#chat`, {
      width: 360,
      height: 740,
      colorScheme: 'dark',
    });
    await signIn(page, TOKEN);
    const link = page.getByRole('link', { name: 'Usage' });
    await link.focus();
    await page.keyboard.press('Enter');
    const table = page.getByTestId('usage-table');
    await table.waitFor({ timeout: 10_000 });
    const rowText = async (model: string) =>
      // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText keeps the breaks between cells; textContent runs them together
      (await table.locator(`tr[data-model="${model}"]`).innerText()).replace(/\s+/g, ' ');
    expect(await rowText(SONNET)).toContain(`${SONNET} 3 1,450 1,040 / 200 35 $0.0022`);
    expect(await rowText(MINI)).toContain(`${MINI} 1 500 300 / 0 50 $0.0001`);
    expect(await rowText(UNPRICED)).toContain(`${UNPRICED} 1 7 0 / 0 3 unknown`);
    expect(await page.getByTestId('usage-total').textContent()).toMatch(
      /^Estimated cost unknown \(\$0\.0023 for the priced models\) · 5 call\(s\) · 1,957 tokens in · 88 out/,
    );
    // The chart: one stacked bar per model that day, in dark mode's colours.
    const chart = page.getByTestId('usage-chart');
    expect(await chart.locator('rect').count()).toBe(3);
    expect(await chart.locator('rect.usage-s0').evaluate((rect) => getComputedStyle(rect).fill)).toBe(
      'rgb(249, 115, 22)',
    );
    // Keyboard: the view's title has focus; Tab reaches the range, arrows change it.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Usage');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('SELECT');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.getByLabel('Range').inputValue()).toBe('30');
    await expect.poll(() => chart.getAttribute('viewBox')).toBe('0 0 300 100');
    // Nothing sideways at 360 px but the table's own scroller.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await screenshot(page, 'usage-360-dark');
    expect(errors).toEqual([]);
  });
});
