import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, screenshot, signIn } from '../helpers/browser';
import { TEST_TOKEN } from '../helpers/context';
import { createFakeBin, freePort } from '../helpers/fake-bin';
import { type GatewayProcess, removeDir, startGateway, tempStateDir } from '../helpers/gateway-process';

/**
 * QR linking in the Channels view, in Chromium, against the real gateway with the fake Baileys
 * (test/fakes/baileys, loaded in place of the library through a module hook) and the fake
 * `signal-cli link`: the SVG appears, is redrawn when the code rotates, and the state turns linked.
 */
let gateway: GatewayProcess;
let browser: Browser;
let page: Page;
let stateDir: string;
let bin: { dir: string; path: string };
const errors: string[] = [];
const scanned = () => join(stateDir, 'phone-scanned');
const config = () => JSON.parse(readFileSync(join(stateDir, 'krabkrab.json'), 'utf8'));

beforeAll(async () => {
  stateDir = tempStateDir('krab-link-ui-');
  bin = createFakeBin(['signal-cli']);
  const signalPort = await freePort();
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(
    join(stateDir, 'krabkrab.json'),
    JSON.stringify({
      gateway: { mode: 'local' },
      channels: {
        signal: {
          enabled: false,
          autoStart: true,
          httpUrl: `http://127.0.0.1:${signalPort}`,
          dmPolicy: 'open',
        },
      },
    }),
  );
  const register = pathToFileURL(new URL('../fakes/baileys/register.mjs', import.meta.url).pathname).href;
  [gateway, browser] = await Promise.all([
    startGateway({
      stateDir,
      env: {
        krabkrab_GATEWAY_TOKEN: TEST_TOKEN,
        NODE_OPTIONS: `--import ${register}`,
        FAKE_WA_QR_MS: '1500',
        FAKE_WA_SCAN_FILE: scanned(),
        FAKE_SIGNAL_LINK_MS: '1500',
        PATH: bin.path,
      },
    }),
    launchBrowser(),
  ]);
  const opened = await openPage(browser, gateway.url, { width: 360, height: 740, colorScheme: 'dark' });
  page = opened.page;
  errors.push(...opened.errors);
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  await signIn(page, TEST_TOKEN);
  await page.getByRole('link', { name: 'Channels' }).click();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
  if (bin) removeDir(bin.dir);
  if (stateDir) removeDir(stateDir);
});

describe('QR linking in the Channels view (fake Baileys, fake signal-cli)', { timeout: 60_000 }, () => {
  it('WhatsApp Web: the QR code as SVG, redrawn as it rotates, then linked and connected', async () => {
    const link = page.getByRole('button', { name: 'Link WhatsApp Web' });
    await link.focus();
    await page.keyboard.press('Enter');
    const panel = page.getByRole('region', { name: 'Link WhatsApp Web' });
    const qr = panel.getByRole('img', { name: 'QR code to link WhatsApp Web' });
    await qr.waitFor({ timeout: 15_000 });
    expect(await qr.evaluate((el) => el.tagName.toLowerCase())).toBe('svg');
    await panel.getByRole('status').getByText('Waiting for the scan…').waitFor();
    const first = await qr.locator('path').getAttribute('d');
    expect(first?.length).toBeGreaterThan(100);
    await screenshot(page, 'link-whatsapp-qr-360-dark');
    // WhatsApp rotates the code (the fake every 1.5 s): the drawing follows.
    await page.waitForFunction(
      (before) => document.querySelector('[data-link="whatsapp"] svg path')?.getAttribute('d') !== before,
      first,
      { timeout: 10_000 },
    );

    writeFileSync(scanned(), 'yes');
    await panel
      .getByRole('status')
      .getByText('Linked as +15550100777. The channel is enabled and connecting.')
      .waitFor({ timeout: 15_000 });
    expect(await qr.count()).toBe(0);
    await page.locator('[data-channel="whatsapp"]').getByText('+15550100777').waitFor({ timeout: 15_000 });
    expect(config().channels.whatsapp).toEqual({ mode: 'web', enabled: true });
    const creds = join(stateDir, 'credentials', 'whatsapp-web', 'creds.json');
    expect(statSync(creds).mode & 0o777).toBe(0o600);
    expect(gateway.output()).not.toContain('fake-qr-');
  });

  it('Signal: the sgnl:// link as a QR code, then linked with the account set', async () => {
    await page.getByRole('button', { name: 'Link Signal' }).click();
    const panel = page.getByRole('region', { name: 'Link Signal' });
    const qr = panel.getByRole('img', { name: 'QR code to link Signal' });
    await qr.waitFor({ timeout: 15_000 });
    await panel
      .getByRole('status')
      .getByText('Linked as +15550001111. The channel is enabled and connecting.')
      .waitFor({ timeout: 15_000 });
    expect(config().channels.signal).toMatchObject({ account: '+15550001111', enabled: true });
    await page.locator('[data-channel="signal"]').getByText('+15550001111').waitFor({ timeout: 20_000 });
    expect(existsSync(scanned())).toBe(true);
    expect(errors).toEqual([]);
  });
});
