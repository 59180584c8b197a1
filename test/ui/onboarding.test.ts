import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeLlmServer, startFakeAnthropic } from '../fakes/anthropic-server';
import { type FakeBotApi, startFakeBotApi, updates } from '../fakes/telegram-bot-api';
import { launchBrowser, openPage, screenshot, signIn } from '../helpers/browser';
import { cleanEnv, type GatewayProcess, runCli, startGateway } from '../helpers/gateway-process';

/**
 * Onboarding in Chromium, the README's Quick start as a new user follows it: open the page, paste
 * what `krabkrab token` prints, "Add Telegram" against the fake Bot API, then a model key.
 */
let gateway: GatewayProcess;
let browser: Browser;
let bot: FakeBotApi;
let llm: FakeLlmServer;
const GOOD_KEY = 'sk-ant-onboarding-good-0123456789';
let page: Page;
const setupRequests: string[] = [];
const errors: string[] = [];

beforeAll(async () => {
  bot = await startFakeBotApi({ username: 'onboarding_bot' });
  llm = await startFakeAnthropic({ validKeys: [GOOD_KEY] });
  [gateway, browser] = await Promise.all([
    startGateway({
      args: ['--allow-unconfigured'],
      // No token in env: on loopback the gateway makes one, which `krabkrab token` prints (the Quick start).
      env: {
        TELEGRAM_API_ROOT: bot.origin,
        ANTHROPIC_BASE_URL: llm.origin,
      },
    }),
    launchBrowser(),
  ]);
  const opened = await openPage(browser, gateway.url, { width: 360, height: 740 });
  page = opened.page;
  errors.push(...opened.errors);
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('websocket', (ws) =>
    ws.on('framesent', (frame) => {
      const sent = JSON.parse(String(frame.payload));
      if (sent.method === 'channels.setup') setupRequests.push(sent.id);
    }),
  );
  const printed = await runCli(['token'], cleanEnv({ krabkrab_STATE_DIR: gateway.stateDir }));
  expect(printed.code).toBe(0);
  await signIn(page, printed.stdout.trim());
  await page.getByRole('link', { name: 'Channels' }).click();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
  await bot?.close();
  await llm?.close();
});

describe('onboarding: Add Telegram in Chromium (fake Bot API)', { timeout: 90_000 }, () => {
  it('refuses an empty token, spaces, an over-long paste and a token Telegram rejects, saying why', async () => {
    await page.getByRole('button', { name: 'Add Telegram' }).click();
    const form = page.getByRole('form', { name: 'Add Telegram' });
    const token = form.getByLabel('Bot token');
    expect(await token.getAttribute('type')).toBe('password');
    const connect = form.getByRole('button', { name: 'Connect' });

    // Empty: the browser keeps the form (required), nothing reaches the gateway.
    await connect.click();
    expect(await token.evaluate((el) => (el as HTMLInputElement).validity.valueMissing)).toBe(true);
    expect(setupRequests).toEqual([]);

    const alert = form.getByRole('alert');
    await token.fill('123456 :abc');
    await connect.click();
    await alert.getByText('Bot token: contains spaces or line breaks; paste the value alone').waitFor();

    await token.fill('x'.repeat(11 * 1024));
    await connect.click();
    await alert.getByText(/Bot token: longer than 10 KB/).waitFor();

    await token.fill('999999:not-the-right-token-abcdefghijklmnop');
    await connect.click();
    await alert.getByText(/^Telegram did not accept it: .*Unauthorized/).waitFor();
    await screenshot(page, 'onboarding-telegram-rejected-360');
    expect(bot.callsOf('getMe')).toEqual([]);
  });

  it('says so when Telegram never answers (15 s on the gateway), sends one request despite a double click, stores nothing', async () => {
    const form = page.getByRole('form', { name: 'Add Telegram' });
    await form.getByLabel('Bot token').fill(bot.token);
    const before = setupRequests.length;
    bot.behaviour.hang.getMe = true;
    try {
      await form.getByRole('button', { name: 'Connect' }).dblclick();
      // While the gateway waits, the button says so and takes no second submit.
      const waiting = form.getByRole('button', { name: 'Checking…' });
      await waiting.waitFor();
      expect(await waiting.isDisabled()).toBe(true);
      await form
        .getByRole('alert')
        .getByText('Telegram did not answer within 15 s; try again')
        .waitFor({ timeout: 25_000 });
      await screenshot(page, 'onboarding-telegram-timeout-360');
    } finally {
      bot.behaviour.hang.getMe = false;
    }
    expect(setupRequests.length - before).toBe(1);
    expect(existsSync(join(gateway.stateDir, 'credentials', 'secrets', 'TELEGRAM_BOT_TOKEN'))).toBe(false);
    const config = readFileSync(join(gateway.stateDir, 'krabkrab.json'), 'utf8');
    expect(JSON.parse(config).channels?.telegram?.enabled).toBeUndefined();
    // The token stays in the form for another try.
    expect(await form.getByLabel('Bot token').inputValue()).toBe(bot.token);
  });

  it('connects a good token once despite a double click, stores it 0600 outside krabkrab.json, shows the login live', async () => {
    const form = page.getByRole('form', { name: 'Add Telegram' });
    await form.getByLabel('Bot token').fill(bot.token);
    const before = setupRequests.length;
    await form.getByRole('button', { name: 'Connect' }).dblclick();
    await form
      .getByRole('status')
      .getByText('Telegram connected as @onboarding_bot.')
      .waitFor({ timeout: 20_000 });
    expect(setupRequests.length - before).toBe(1);
    // The secret left the page.
    expect(await form.getByLabel('Bot token').inputValue()).toBe('');

    const card = page.locator('[data-channel="telegram"]');
    await card.getByText('@onboarding_bot').waitFor({ timeout: 20_000 });
    await screenshot(page, 'onboarding-telegram-connected-360');

    const stored = join(gateway.stateDir, 'credentials', 'secrets', 'TELEGRAM_BOT_TOKEN');
    expect(statSync(stored).mode & 0o777).toBe(0o600);
    const config = readFileSync(join(gateway.stateDir, 'krabkrab.json'), 'utf8');
    expect(config).not.toContain(bot.token);
    expect(JSON.parse(config).channels.telegram.enabled).toBe(true);
    expect(await page.locator('body').textContent()).not.toContain(bot.token);
    expect(errors).toEqual([]);
  });

  it('adds a model key the same way: checked with one call (list models), stored, never shown', async () => {
    await page.getByRole('link', { name: 'Models' }).click();
    const form = page.getByRole('form', { name: 'Add a provider key' });
    await form.getByLabel('Provider').selectOption('ANTHROPIC_API_KEY');
    const key = form.getByLabel('API key');
    expect(await key.getAttribute('type')).toBe('password');
    await key.fill('sk-ant-wrong-key-000000000000');
    await form.getByRole('button', { name: 'Check and save' }).click();
    await form.getByRole('alert').getByText('anthropic rejected the key (HTTP 401)').waitFor();
    await key.fill(GOOD_KEY);
    await form.getByRole('button', { name: 'Check and save' }).click();
    await form.getByRole('status').getByText('ANTHROPIC_API_KEY accepted and stored.').waitFor();
    await page.getByTestId('provider-keys').getByText('set (stored)').waitFor();
    expect(await key.inputValue()).toBe('');
    expect(llm.requests.filter((r) => r.method === 'GET' && r.path === '/v1/models').length).toBe(2);
    expect(statSync(join(gateway.stateDir, 'credentials', 'secrets', 'ANTHROPIC_API_KEY')).mode & 0o777).toBe(
      0o600,
    );
    expect(await page.locator('body').textContent()).not.toContain(GOOD_KEY);
    await screenshot(page, 'onboarding-models-360');

    // Pick the primary model and a fallback; a malformed ref gets its path's problem.
    const choice = page.getByRole('form', { name: 'Primary model and fallbacks' });
    await choice.getByLabel('Primary model').fill('claude without provider');
    await choice.getByRole('button', { name: 'Save models' }).click();
    await choice
      .getByRole('alert')
      .getByText(/^agents\.defaults\.model/)
      .waitFor();
    await choice.getByLabel('Primary model').fill('anthropic/claude-sonnet-4-5');
    await choice.getByLabel(/Fallbacks/).fill('anthropic/claude-haiku-4-5');
    await choice.getByRole('button', { name: 'Save models' }).click();
    await choice.getByRole('status').getByText('Saved.').waitFor();
    const config = JSON.parse(readFileSync(join(gateway.stateDir, 'krabkrab.json'), 'utf8'));
    expect(config.agents.defaults.model).toEqual({
      primary: 'anthropic/claude-sonnet-4-5',
      fallbacks: ['anthropic/claude-haiku-4-5'],
    });
  });
  it('a stranger asking to pair shows as a badge on any view, approved in one click (keyboard), live', async () => {
    await page.getByRole('link', { name: 'Models' }).click();
    const badge = page.getByRole('button', { name: '1 pairing request waiting' });
    expect(await badge.count()).toBe(0);
    bot.pushUpdate(updates.privateText('hello?', { userId: 8123, username: 'stranger' }));
    const reply = await bot.waitForCall('sendMessage', (c) => c.params.chat_id === '8123');
    const code = /pairing code is ([A-Z0-9]{6})/.exec(reply.params.text!)?.[1];
    expect(code).toBeDefined();
    // Live over the control WebSocket (pairing.requested), without a reload, on the Models view.
    await badge.waitFor({ timeout: 5_000 });
    await badge.focus();
    await page.keyboard.press('Enter');
    const popover = page.getByRole('region', { name: 'Pairing requests' });
    await popover.getByText(code!).waitFor();
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'pairing-badge-360-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    // Focus is on the first Approve: one key press admits the sender.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      `Approve ${code}`,
    );
    await page.keyboard.press('Enter');
    await bot.waitForCall(
      'sendMessage',
      (c) => c.params.chat_id === '8123' && /approved/.test(String(c.params.text)),
    );
    await badge.waitFor({ state: 'detached' });
    await page
      .getByRole('status')
      .getByText(/^Approved .*\(8123\) on telegram\.$/)
      .waitFor();
    await page.getByRole('link', { name: 'Pairing' }).click();
    await page.getByText('No pending pairing requests.').waitFor();
    await page.getByText('1 approved sender').waitFor();
    expect(errors).toEqual([]);
  });
});
