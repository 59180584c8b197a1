import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

/** Debian's chromium (apt package `chromium`); scripts/test.sh installs it when missing. */
export const CHROMIUM_PATH = process.env.KRABKRAB_CHROMIUM ?? '/usr/bin/chromium';

/** Where browser tests leave screenshots for a human to look at. */
export const UI_OUTPUT_DIR = fileURLToPath(new URL('../../test-output/ui/', import.meta.url));

/**
 * Launches headless chromium. Fails loudly when it is missing: a browser test must never pass
 * without a browser.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `${CHROMIUM_PATH} is missing: install Debian's chromium (apt-get install -y chromium) or run npm test`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export interface PageOptions {
  width?: number;
  height?: number;
  colorScheme?: 'light' | 'dark';
}

/** A fresh browser context (own storage) and page; console errors and page errors are collected. */
export async function openPage(
  browser: Browser,
  url: string,
  options: PageOptions = {},
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
    colorScheme: options.colorScheme ?? 'light',
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  await page.goto(url);
  return { context, page, errors };
}

/** Saves a full-page screenshot under test-output/ui/ and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(UI_OUTPUT_DIR, { recursive: true });
  const path = `${UI_OUTPUT_DIR}${name}.png`;
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Signs in as a user does (paste the token, Enter) and waits until the UI says Connected. */
export async function signIn(page: Page, token: string): Promise<void> {
  await page.getByLabel('Gateway token').fill(token);
  await page.getByLabel('Gateway token').press('Enter');
  await page.getByTestId('connection-state').filter({ hasText: 'Connected' }).waitFor({ timeout: 10_000 });
}
