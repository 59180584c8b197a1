import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, screenshot, signIn } from '../helpers/browser';
import { TEST_TOKEN } from '../helpers/context';
import { type GatewayProcess, startGateway, tempStateDir } from '../helpers/gateway-process';
import { ControlClient } from '../helpers/ws-client';

/** The Config view's form (generated from config.schema) in Chromium at 360 px, dark, by keyboard. */
const BOT_SECRET = '123456:config-form-secret-token';
let gateway: GatewayProcess;
let browser: Browser;
let page: Page;
const errors: string[] = [];

beforeAll(async () => {
  const stateDir = tempStateDir('krab-ui-form-');
  writeFileSync(
    join(stateDir, 'krabkrab.json'),
    JSON.stringify({
      gateway: { mode: 'local' },
      agents: { defaults: { maxConcurrent: 2 }, list: [{ id: 'main', default: true }] },
      channels: { telegram: { enabled: false, botToken: BOT_SECRET } },
      cron: { jobs: [{ id: 'digest', schedule: '0 9 * * *', message: 'Summarize' }] },
    }),
  );
  [gateway, browser] = await Promise.all([
    startGateway({ stateDir, env: { krabkrab_GATEWAY_TOKEN: TEST_TOKEN } }),
    launchBrowser(),
  ]);
  const opened = await openPage(browser, gateway.url, { width: 360, height: 740, colorScheme: 'dark' });
  page = opened.page;
  errors.push(...opened.errors);
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  await signIn(page, TEST_TOKEN);
  await page.evaluate(() => {
    window.location.hash = 'config';
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
});

async function remoteConfig() {
  const client = await ControlClient.connect(`ws://127.0.0.1:${gateway.port}/ws`, TEST_TOKEN);
  const res = await client.request('config.get');
  client.close();
  return res.payload.config;
}

const overflow = () =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe('config form in Chromium (360 px, dark)', { timeout: 90_000 }, () => {
  it('edits agents by form: a wrong-type value gets its path error, a good one is applied', async () => {
    const field = page.getByLabel('Max concurrent');
    await expect.poll(() => field.inputValue()).toBe('2');
    expect(await overflow()).toBeLessThanOrEqual(0);
    await field.fill('lots');
    await field.press('Tab');
    const problems = page.getByTestId('config-problems');
    await problems.getByText('agents.defaults.maxConcurrent').waitFor();
    expect(await problems.textContent()).toMatch(
      /agents\.defaults\.maxConcurrent: expected number, got string/,
    );
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    const described = await field.getAttribute('aria-describedby');
    expect(await page.locator(`#${described}`).textContent()).toMatch(/expected number, got string/);
    expect(await page.getByRole('button', { name: 'Apply' }).isDisabled()).toBe(true);
    await screenshot(page, 'config-form-360-dark-problem');

    // The problem's path in the list jumps to its field.
    await field.fill('');
    await problems.getByRole('button', { name: 'agents.defaults.maxConcurrent' }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(await field.getAttribute('id'));

    await field.fill('5');
    await field.press('Tab');
    await problems.getByText('No problems found.').waitFor();
    await page.getByRole('button', { name: 'Apply' }).click();
    await problems.getByText(/^Applied at/).waitFor();
    expect((await remoteConfig()).agents.defaults.maxConcurrent).toBe(5);
  });

  it('never shows a secret: the bot token is a password field, empty, "set (hidden)"', async () => {
    await page.getByRole('button', { name: 'Channels', exact: true }).click();
    const token = page.locator('#cf-channels_telegram_botToken');
    await token.waitFor();
    expect(await token.getAttribute('type')).toBe('password');
    expect(await token.inputValue()).toBe('');
    expect(await token.getAttribute('placeholder')).toBe('set (hidden)');
    const values = await page.evaluate(() =>
      [...document.querySelectorAll('input, textarea, select')].map((el) => (el as HTMLInputElement).value),
    );
    expect(values.join('\n')).not.toContain(BOT_SECRET);
    expect(await page.locator('body').textContent()).not.toContain(BOT_SECRET);
    expect(await overflow()).toBeLessThanOrEqual(0);
    // Enabling the channel from the form keeps the stored token.
    const enabled = page.locator('#cf-channels_telegram_enabled');
    await enabled.selectOption('true');
    await page.getByTestId('config-problems').getByText('No problems found.').waitFor();
    await page.getByRole('button', { name: 'Apply' }).click();
    await page
      .getByTestId('config-problems')
      .getByText(/^Applied at/)
      .waitFor();
    const onDisk = JSON.parse(readFileSync(join(gateway.stateDir, 'krabkrab.json'), 'utf8'));
    expect(onDisk.channels.telegram).toMatchObject({ enabled: true, botToken: BOT_SECRET });
  });

  it('works by keyboard: sections, adding a cron job with its required fields named, Advanced JSON', async () => {
    // Section buttons are reachable with Tab and pressed with Enter.
    const cron = page.getByRole('button', { name: 'Cron', exact: true });
    await cron.focus();
    await page.keyboard.press('Enter');
    expect(await cron.getAttribute('aria-pressed')).toBe('true');
    await page.getByLabel('Message').first().waitFor();
    expect(await page.getByLabel('Message').first().inputValue()).toBe('Summarize');
    await page.getByRole('button', { name: 'Add to jobs' }).press('Enter');
    const problems = page.getByTestId('config-problems');
    await problems.getByText('cron.jobs[1].id').waitFor();
    expect(await problems.textContent()).toMatch(/cron\.jobs\[1\]\.message/);
    await page.getByRole('button', { name: 'Remove jobs 2' }).press('Enter');
    await problems.getByText('cron.jobs[1].id').waitFor({ state: 'detached' });
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('input, select, textarea')]
        .filter((el) => !(el as HTMLInputElement).labels?.length && !el.getAttribute('aria-label'))
        .map((el) => el.outerHTML),
    );
    expect(unlabelled).toEqual([]);
    await screenshot(page, 'config-form-360-dark-cron');

    await page.getByRole('button', { name: 'Advanced (JSON)' }).click();
    const editor = page.getByLabel('Configuration (JSON)');
    expect(JSON.parse(await editor.inputValue()).channels.telegram.botToken).toBe('__redacted__');
    expect(errors).toEqual([]);
  });
});
