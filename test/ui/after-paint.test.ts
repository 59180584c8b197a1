import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, signIn } from '../helpers/browser';
import { TEST_TOKEN } from '../helpers/context';
import { type GatewayProcess, removeDir, startGateway, tempStateDir } from '../helpers/gateway-process';
import { ControlClient } from '../helpers/ws-client';

/**
 * The Control UI in real Chromium with the page's clock paused, so that the gap between a
 * component's first render and its effects (Preact runs effects after paint) is held open on
 * purpose: what arrives from the gateway in that gap must not be lost.
 */
let gateway: GatewayProcess;
let browser: Browser;
let stateDir: string;

beforeAll(async () => {
  stateDir = tempStateDir('krab-ui-paint-');
  [gateway, browser] = await Promise.all([
    startGateway({ stateDir, env: { krabkrab_GATEWAY_TOKEN: TEST_TOKEN } }),
    launchBrowser(),
  ]);
});

/**
 * How long a frame from the gateway may take to reach the page: expect.poll's default is 1 s, and
 * after a reload the page's connection and its hello can take longer than that on a busy 2-core machine.
 */
const FRAME_WAIT = { timeout: 10_000 };

/**
 * Stops the page's clock: no timer or animation frame runs until `resume()`. The clock keeps
 * running until the pause reaches the page, so the time to stop at is well ahead of it: a time
 * already past throws 'Cannot fast-forward to the past', and the two CDP round trips in between
 * can take over half a second on a loaded machine. The jump runs what falls due on the way once
 * (the status bar's 1 s tick); nothing the UI waits for is due within 5 s (requests time out at 30).
 */
async function pauseClock(page: Page): Promise<void> {
  await page.clock.pauseAt(await page.evaluate(() => Date.now() + 5_000));
}

afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
  if (stateDir) removeDir(stateDir);
});

describe('Control UI between render and effects (Chromium)', { timeout: 60_000 }, () => {
  it('shows a line that arrives between its first render and its effects', async () => {
    const { context, page, errors } = await openPage(browser, gateway.url);
    const frames: string[] = [];
    page.on('websocket', (ws) => ws.on('framereceived', (frame) => frames.push(String(frame.payload))));
    await page.clock.install();
    await signIn(page, TEST_TOKEN);
    const client = await ControlClient.connect(`ws://127.0.0.1:${gateway.port}/`, TEST_TOKEN);
    const applied = '[gateway] config applied from the control connection';

    // From here no timer or animation frame runs in the page: the view renders (Preact renders in
    // a microtask) but its effects wait until the clock runs again.
    await pauseClock(page);
    await page.getByRole('link', { name: 'Logs' }).click();
    await page.getByRole('heading', { name: 'Logs' }).waitFor();
    const current = await client.request('config.get');
    expect((await client.request('config.apply', { config: current.payload.config })).ok).toBe(true);
    await expect.poll(() => frames.some((frame) => frame.includes(applied)), FRAME_WAIT).toBe(true);
    await page.evaluate(() => 0); // a task after the frame's: the page has taken the line in
    await page.clock.resume();

    await page.getByRole('log').getByText(applied).waitFor({ timeout: 5_000 });
    client.close();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a remembered token that connects before the shell is listening still shows Connected', async () => {
    const { context, page, errors } = await openPage(browser, gateway.url);
    const frames: string[] = [];
    page.on('websocket', (ws) => ws.on('framereceived', (frame) => frames.push(String(frame.payload))));
    await page.clock.install();
    await page.getByLabel('Gateway token').fill(TEST_TOKEN);
    await page.getByLabel('Remember on this device').check();
    await page.getByLabel('Gateway token').press('Enter');
    await page.getByTestId('connection-state').filter({ hasText: 'Connected' }).waitFor({ timeout: 10_000 });

    // Reloaded with the clock held: the saved token connects while the shell's effects wait.
    await pauseClock(page);
    frames.length = 0;
    await page.reload();
    await page.getByRole('button', { name: 'Log out' }).waitFor();
    await expect.poll(() => frames.some((frame) => frame.includes('"hello-ok"')), FRAME_WAIT).toBe(true);
    await page.evaluate(() => 0);
    await page.clock.resume();

    await page.getByTestId('connection-state').filter({ hasText: 'Connected' }).waitFor({ timeout: 5_000 });
    await page.getByRole('link', { name: 'Logs' }).click();
    await page.getByRole('log').getByText('listening on ws://').first().waitFor({ timeout: 5_000 });
    expect(errors).toEqual([]);
    await context.close();
  });
});
