import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeStore } from '../../src/adapters/node/node-store';
import { createPairingStore } from '../../src/core/pairing/pairing-store';
import { type FakeLlmServer, reply, startFakeAnthropic } from '../fakes/anthropic-server';
import { launchBrowser, openPage, screenshot } from '../helpers/browser';
import { TEST_TOKEN } from '../helpers/context';
import { type GatewayProcess, startGateway, tempStateDir } from '../helpers/gateway-process';
import { ControlClient } from '../helpers/ws-client';

/**
 * The Control UI in real Chromium against the real gateway process. One gateway and one
 * browser for the whole file; each test gets a fresh browser context (fresh storage).
 */
const CONFIG_SECRET = 'config-file-secret-5e1f0c2a';
let gateway: GatewayProcess;
let browser: Browser;
let fake: FakeLlmServer;
const gatewayEnv: Record<string, string> = {};
const codes: string[] = [];
const opened: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  const stateDir = tempStateDir('krab-ui-');
  const config = {
    // A literal secret in the file (env wins for the token itself): the UI must never show it.
    gateway: { mode: 'local', auth: { token: CONFIG_SECRET } },
    agents: {
      defaults: { model: { primary: 'anthropic/claude-sonnet-4-5' } },
      list: [{ id: 'main', default: true }],
    },
    channels: { telegram: { enabled: false } },
    cron: {
      jobs: [
        { id: 'daily-digest', name: 'Daily digest', schedule: '0 9 * * *', message: 'Summarize my day' },
      ],
    },
    meta: { lastTouchedVersion: '0.1.0' },
  };
  writeFileSync(join(stateDir, 'krabkrab.json'), JSON.stringify(config, null, 2));
  // Two strangers wrote to the bot before the gateway started: their codes wait for the owner.
  const store = createNodeStore(stateDir);
  const pairing = createPairingStore(store, Date.now);
  for (const [senderId, senderName] of [
    ['4242', 'Alice'],
    ['777', 'Mallory'],
  ]) {
    codes.push(
      (await pairing.request({ channel: 'telegram', senderId: senderId!, senderName, accountId: 'bot' }))
        .code,
    );
  }
  await store.dispose();
  fake = await startFakeAnthropic();
  Object.assign(gatewayEnv, {
    krabkrab_GATEWAY_TOKEN: TEST_TOKEN,
    ANTHROPIC_API_KEY: 'sk-ant-ui-test',
    ANTHROPIC_BASE_URL: fake.origin,
  });
  [gateway, browser] = await Promise.all([startGateway({ stateDir, env: gatewayEnv }), launchBrowser()]);
});

afterAll(async () => {
  for (const item of opened) await item.close().catch(() => {});
  await browser?.close();
  await gateway?.stop();
  await fake?.close();
});

async function page(
  options: { width?: number; height?: number; colorScheme?: 'light' | 'dark'; path?: string } = {},
) {
  const result = await openPage(browser, `${gateway.url}${options.path ?? '/'}`, options);
  opened.push(result.context);
  return result;
}

let shared: Page | undefined;
/** Every frame the shared page received, parsed. */
const sharedErrors: string[] = [];
const sharedFrames: Array<{ event?: string; payload?: { state?: string; text?: string } }> = [];
/** One logged-in page shared by the view tests (saves a login per test); each test opens its view from the menu. */
async function sharedPage(): Promise<Page> {
  if (!shared) {
    const { page: p, errors } = await page();
    sharedErrors.push(...errors);
    p.on('pageerror', (error) => sharedErrors.push(`pageerror: ${error.message}`));
    p.on('console', (message) => {
      if (message.type() === 'error') sharedErrors.push(`console: ${message.text()}`);
    });
    p.on('websocket', (ws) =>
      ws.on('framereceived', (frame) => sharedFrames.push(JSON.parse(String(frame.payload)))),
    );
    await login(p);
    await connected(p);
    shared = p;
  }
  return shared;
}

async function login(p: Page, token = TEST_TOKEN, remember = false): Promise<void> {
  await p.getByLabel('Gateway token').fill(token);
  if (remember) await p.getByLabel('Remember on this device').check();
  await p.getByLabel('Gateway token').press('Enter');
}

async function connected(p: Page, timeout = 10_000): Promise<void> {
  await p.getByTestId('connection-state').filter({ hasText: 'Connected' }).waitFor({ timeout });
}

// Generous per-test limits: a busy CI machine slows chromium down; an idle one runs each test in about a second.
describe('Control UI in Chromium', { timeout: 90_000 }, () => {
  it('wrong token shows a clear message; the right one connects and shows version and uptime', async () => {
    const { page: p, errors } = await page();
    expect(await p.title()).toBe('KrabKrab Control');
    await expect.poll(() => p.evaluate(() => document.activeElement?.id)).toBe('token');
    expect(await p.getByLabel('Gateway token').getAttribute('type')).toBe('password');

    await login(p, 'definitely-wrong');
    const alert = p.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/Wrong gateway token/);
    expect(await p.evaluate(() => [sessionStorage.length, localStorage.length])).toEqual([0, 0]);

    await login(p);
    await connected(p);
    expect(await p.getByTestId('gateway-version').textContent()).toMatch(/^v\d+\.\d+\.\d+/);
    await p.getByTestId('gateway-uptime').waitFor();
    expect(await p.getByTestId('gateway-uptime').textContent()).toMatch(/^up \d/);
    expect(p.url()).not.toContain(TEST_TOKEN);
    expect(errors.filter((e) => !e.includes('401'))).toEqual([]);
  });

  it('keeps the token only in the WebSocket connect frame, never in a URL', async () => {
    const { page: p } = await page();
    const sockets: string[] = [];
    const sentFrames: string[] = [];
    const requests: string[] = [];
    p.on('request', (req) => requests.push(req.url()));
    p.on('websocket', (ws) => {
      sockets.push(ws.url());
      ws.on('framesent', (frame) => sentFrames.push(String(frame.payload)));
    });
    await login(p);
    await connected(p);
    expect(sockets).toEqual([`ws://127.0.0.1:${gateway.port}/ws`]);
    expect(sockets.concat(requests).some((url) => url.includes(TEST_TOKEN))).toBe(false);
    const connect = sentFrames.map((f) => JSON.parse(f)).find((f) => f.method === 'connect');
    expect(connect.params.auth.token).toBe(TEST_TOKEN);
    expect(sentFrames.filter((f) => f.includes(TEST_TOKEN))).toHaveLength(1);
  });

  it('never takes a token or a gateway URL from the query string or fragment', async () => {
    const sockets: string[] = [];
    const { page: p } = await page({
      path: `/?token=${TEST_TOKEN}&gatewayUrl=ws://127.0.0.2:1/#token=${TEST_TOKEN}&gateway=ws://127.0.0.2:1`,
    });
    p.on('websocket', (ws) => sockets.push(ws.url()));
    await p.getByLabel('Gateway token').waitFor();
    expect(await p.getByTestId('connection-state').count()).toBe(0);
    // The login that follows opens the first socket the page ever opens, to its own origin: one
    // opened at load (from the query or fragment) would have been reported before it.
    await login(p);
    await connected(p);
    expect(sockets).toEqual([`ws://127.0.0.1:${gateway.port}/ws`]);
  });

  it('shows a log line live in the Logs view, with a filter', async () => {
    const p = await sharedPage();
    await p.getByRole('link', { name: 'Logs' }).click();
    await p.getByRole('heading', { name: 'Logs' }).waitFor();
    await p.getByRole('log').getByText('listening on ws://').first().waitFor();
    await p.getByLabel('Filter').fill('config applied');
    expect(await p.getByRole('log').textContent()).toMatch(/No log lines match/);

    // Something else changes the config: its log line reaches the open page as it happens.
    const client = await ControlClient.connect(`ws://127.0.0.1:${gateway.port}/`, TEST_TOKEN);
    const current = await client.request('config.get');
    expect((await client.request('config.apply', { config: current.payload.config })).ok).toBe(true);
    client.close();
    await p.getByRole('log').getByText('[gateway] config applied from the control connection').waitFor();
    expect(await p.getByRole('log').locator('.log-line').count()).toBeGreaterThan(0);
  });

  it('chat: the reply streams in, tool calls are folded, the session shows up in Sessions', async () => {
    const p = await sharedPage();
    await p.getByRole('link', { name: 'Chat' }).click();
    const seen = sharedFrames.length;
    const deltas = () =>
      sharedFrames
        .slice(seen)
        .filter((f) => f.event === 'chat' && f.payload?.state === 'delta')
        .map((f) => f.payload?.text);
    fake.enqueue(
      reply.tools([{ name: 'current_time', arguments: {} }]),
      reply.text("It is crab o'clock, time to scuttle.", { delayMs: 1500, chunkSize: 5 }),
    );
    await p.getByRole('option', { name: /main/ }).waitFor({ state: 'attached' });
    await p.getByLabel('Message').fill('what time is it?');
    await p.getByLabel('Message').press('Enter');

    // While the model is still thinking, the tool call is already shown, folded.
    const replyItem = p.locator('.msg-assistant').last();
    await replyItem.locator('details.tool summary', { hasText: 'current_time' }).waitFor();
    expect(await replyItem.getAttribute('class')).toContain('streaming');
    expect(await replyItem.locator('details.tool').getAttribute('open')).toBeNull();
    await p.getByRole('button', { name: 'Stop' }).waitFor();

    await replyItem.getByText("It is crab o'clock, time to scuttle.").waitFor();
    await expect.poll(() => replyItem.getAttribute('class')).not.toContain('streaming');
    expect(deltas().length).toBeGreaterThan(3);
    expect(deltas().join('')).toBe("It is crab o'clock, time to scuttle.");
    await screenshot(p, 'chat-conversation-1280-light');
    await p.setViewportSize({ width: 360, height: 740 });
    await screenshot(p, 'chat-conversation-360-light');
    await p.setViewportSize({ width: 1280, height: 800 });
    await replyItem.locator('details.tool summary').click();
    expect(await replyItem.locator('details.tool pre').first().textContent()).toBeDefined();
    await p.getByRole('button', { name: 'Send' }).waitFor();

    // Stop a reply that never comes.
    fake.enqueue(reply.hang());
    await p.getByLabel('Message').fill('are you there?');
    await p.getByRole('button', { name: 'Send' }).click();
    await p.getByRole('button', { name: 'Stop' }).click();
    await p.locator('.msg-assistant').last().getByText('(stopped)').waitFor();
    await p.getByRole('button', { name: 'Send' }).waitFor();

    await p.getByRole('link', { name: 'Sessions' }).click();
    const card = p.locator('.card.session').first();
    await card.waitFor();
    expect(await card.textContent()).toContain('agent:main');
    await card.getByRole('button', { name: 'History' }).click();
    await card.getByText('what time is it?').waitFor();
    await card.getByText("It is crab o'clock, time to scuttle.").waitFor();
    await card.getByRole('button', { name: 'Reset' }).click();
    await card.getByRole('button', { name: 'Confirm reset' }).click();
    await p.getByText(/^Reset agent:main/).waitFor();
  });

  it('pairing: approve one pending code and deny another', async () => {
    const p = await sharedPage();
    await p.getByRole('link', { name: 'Pairing' }).click();
    const [approveCode, denyCode] = codes as [string, string];
    await p.getByText(approveCode).waitFor();
    expect(await p.locator(`[data-code="${approveCode}"]`).textContent()).toContain('Alice (4242)');
    await p.getByRole('button', { name: `Approve ${approveCode}` }).click();
    await p.getByText('Approved Alice (4242) on telegram.').waitFor();
    await p.getByRole('button', { name: `Deny ${denyCode}` }).click();
    await p.getByText('Denied Mallory (777) on telegram.').waitFor();
    await p.getByText('No pending pairing requests.').waitFor();
    await p.getByText('1 approved sender').waitFor();

    const client = await ControlClient.connect(`ws://127.0.0.1:${gateway.port}/ws`, TEST_TOKEN);
    const list = await client.request('pairing.list');
    client.close();
    expect(list.payload.pending).toEqual([]);
    expect(list.payload.approved).toEqual([
      expect.objectContaining({ channel: 'telegram', senderId: '4242' }),
    ]);
  });

  it('cron and channels: jobs with their schedule, a channel enabled through config.apply', async () => {
    const p = await sharedPage();
    await p.getByRole('link', { name: 'Cron' }).click();
    const job = p.locator('.card', { hasText: 'Daily digest' });
    await job.waitFor();
    expect(await job.textContent()).toContain('0 9 * * *');
    expect(await job.textContent()).toContain('Summarize my day');
    await job.getByRole('button', { name: 'Run now' }).click();
    await job.getByRole('button', { name: 'Run now' }).waitFor();
    await job.getByRole('button', { name: 'Runs' }).click();
    await job.locator('.sub li', { hasText: '(manual)' }).waitFor();
    expect(await job.locator('.sub li').first().textContent()).toMatch(/ok \(manual\)/);

    await p.getByRole('link', { name: 'Channels' }).click();
    const telegram = p.locator('[data-channel="telegram"]');
    await telegram.getByRole('button', { name: 'Enable telegram' }).click();
    await telegram.getByRole('button', { name: 'Disable telegram' }).waitFor();
    const client = await ControlClient.connect(`ws://127.0.0.1:${gateway.port}/ws`, TEST_TOKEN);
    const after = await client.request('config.get');
    client.close();
    expect(after.payload.config.channels.telegram.enabled).toBe(true);
    await telegram.getByRole('button', { name: 'Disable telegram' }).click();
    await telegram.getByRole('button', { name: 'Enable telegram' }).waitFor();
  });

  it('config: an error is shown by path before apply, then a good edit is applied', async () => {
    const p = await sharedPage();
    await p.getByRole('link', { name: 'Config' }).click();
    await p.getByRole('button', { name: 'Advanced (JSON)' }).click();
    const editor = p.getByLabel('Configuration (JSON)');
    await expect.poll(async () => (await editor.inputValue()).includes('"gateway"')).toBe(true);
    expect(await editor.inputValue()).not.toContain(CONFIG_SECRET);
    const original = JSON.parse(await editor.inputValue());
    expect(original.gateway.auth.token).toBe('__redacted__');

    await editor.fill(
      JSON.stringify({ ...original, agents: { defaults: { maxConcurrent: 'lots' } } }, null, 2),
    );
    const problems = p.getByTestId('config-problems');
    await problems.getByText('agents.defaults.maxConcurrent').waitFor();
    expect(await problems.textContent()).toMatch(
      /agents\.defaults\.maxConcurrent: expected number, got string/,
    );
    expect(await p.getByRole('button', { name: 'Apply' }).isDisabled()).toBe(true);

    await editor.fill('{ "gateway": ');
    await problems.getByText(/JSON syntax/).waitFor();

    await editor.fill(JSON.stringify({ ...original, agents: { defaults: { maxConcurrent: 3 } } }, null, 2));
    await problems.getByText('No problems found.').waitFor();
    await p.getByRole('button', { name: 'Apply' }).click();
    await problems.getByText(/^Applied at/).waitFor();

    const client = await ControlClient.connect(`ws://127.0.0.1:${gateway.port}/ws`, TEST_TOKEN);
    const after = await client.request('config.get');
    client.close();
    expect(after.payload.config.agents.defaults.maxConcurrent).toBe(3);
    // The redacted value sent back kept the stored secret in the file.
    const onDisk = JSON.parse(readFileSync(join(gateway.stateDir, 'krabkrab.json'), 'utf8'));
    expect(onDisk.gateway.auth.token).toBe(CONFIG_SECRET);
    expect(await p.locator('body').textContent()).not.toContain(CONFIG_SECRET);
  });

  it('forgets the token on reload unless "remember" is ticked; log out forgets it too', async () => {
    // Not remembered: the tab keeps it (sessionStorage), a new tab does not.
    const first = await page();
    await login(first.page);
    await connected(first.page);
    expect(await first.page.evaluate(() => [sessionStorage.length, localStorage.length])).toEqual([1, 0]);
    await first.page.reload();
    await connected(first.page);
    const otherTab = await first.context.newPage();
    await otherTab.goto(gateway.url);
    await otherTab.getByLabel('Gateway token').waitFor();

    // Remembered: localStorage, so a new tab of the same profile connects by itself.
    const second = await page();
    await login(second.page, TEST_TOKEN, true);
    await connected(second.page);
    expect(await second.page.evaluate(() => [sessionStorage.length, localStorage.length])).toEqual([0, 1]);
    const again = await second.context.newPage();
    await again.goto(gateway.url);
    await connected(again);

    await again.getByRole('button', { name: 'Log out' }).click();
    await again.getByText(/Logged out/).waitFor();
    expect(await again.evaluate(() => [sessionStorage.length, localStorage.length])).toEqual([0, 0]);
    await again.reload();
    await again.getByLabel('Gateway token').waitFor();
  });

  for (const [width, height, views] of [
    [360, 740, ['chat', 'config', 'logs']],
    [1280, 800, ['chat', 'channels', 'config']],
  ] as const) {
    it(`is usable at ${width} px, light and dark (screenshots in test-output/ui)`, async () => {
      for (const scheme of ['light', 'dark'] as const) {
        const { page: p } = await page({ width, height, colorScheme: scheme });
        if (scheme === 'light') await screenshot(p, `login-${width}-${scheme}`);
        await login(p);
        await connected(p);
        for (const view of scheme === 'light' ? views : views.slice(0, 1)) {
          await p.getByRole('link', { name: view[0]!.toUpperCase() + view.slice(1), exact: true }).click();
          await p.getByRole('heading', { level: 2, name: new RegExp(view, 'i') }).waitFor();
          await screenshot(p, `${view}-${width}-${scheme}`);
          const overflow = await p.evaluate(
            () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
          );
          expect(overflow, `horizontal overflow of ${view} at ${width}px`).toBeLessThanOrEqual(0);
        }
        const background = await p.evaluate(() => getComputedStyle(document.body).backgroundColor);
        expect(background).toBe(scheme === 'dark' ? 'rgb(17, 19, 24)' : 'rgb(246, 247, 249)');
      }
    });
  }

  it('is keyboard navigable and every field has a label', async () => {
    const { page: p } = await page();
    // Typed keys go where the focus is: wait for the app to put it on the token field.
    await expect.poll(() => p.evaluate(() => document.activeElement?.id)).toBe('token');
    await p.keyboard.type(TEST_TOKEN);
    await p.keyboard.press('Enter');
    await connected(p);
    // Tab reaches the menu; Enter follows a link.
    let reached = false;
    for (let i = 0; i < 12 && !reached; i++) {
      await p.keyboard.press('Tab');
      reached = await p.evaluate(() => document.activeElement?.textContent === 'Logs');
    }
    expect(reached).toBe(true);
    await p.keyboard.press('Enter');
    await expect.poll(() => p.evaluate(() => document.activeElement?.textContent)).toBe('Logs');
    for (const view of ['chat', 'sessions', 'channels', 'pairing', 'config', 'cron', 'logs']) {
      await p.evaluate((id) => {
        window.location.hash = id;
      }, view);
      await p.locator(`main.view-${view}`).waitFor();
      const unlabelled = await p.evaluate(() =>
        [...document.querySelectorAll('input, select, textarea')]
          .filter((el) => !(el as HTMLInputElement).labels?.length && !el.getAttribute('aria-label'))
          .map((el) => el.outerHTML),
      );
      expect(unlabelled, view).toEqual([]);
    }
  });

  it('serves the page and the control socket on the same path, with the security headers', async () => {
    const res = await fetch(`${gateway.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await res.text();
    expect(html).not.toMatch(/<script>(?!<\/script>)|\son[a-z]+=/);
    for (const path of ['/', '/ws']) {
      const client = await ControlClient.connect(`ws://127.0.0.1:${gateway.port}${path}`, TEST_TOKEN);
      expect((await client.request('health')).ok).toBe(true);
      client.close();
    }
    await expect(
      ControlClient.open(`ws://127.0.0.1:${gateway.port}/`, { origin: 'https://evil.example' }),
    ).rejects.toThrow(/403/);
  });

  it('reconnects by itself when the gateway restarts, showing the backoff in the status bar', async () => {
    const p = await sharedPage();
    await p.getByRole('link', { name: 'Logs' }).click();
    const { port, stateDir } = gateway;
    const firstPid = gateway.child.pid;
    await gateway.stop();
    const state = p.getByTestId('connection-state');
    await state.filter({ hasText: /Reconnecting.*attempt \d+/ }).waitFor();
    await p.getByRole('button', { name: 'Retry now' }).waitFor();
    gateway = await startGateway({ stateDir, args: ['--port', String(port)], env: gatewayEnv });
    expect(gateway.child.pid).not.toBe(firstPid);
    // Automatic: the next backoff attempt (at most 8 s after a slow restart) finds the new process.
    await connected(p, 30_000);
    // The new process's own history fills the tail again, and the page is still logged in.
    await p.getByRole('log').getByText(`(PID ${gateway.child.pid})`).waitFor();
    expect(await p.getByTestId('gateway-uptime').textContent()).toMatch(/^up \d+s$/);
    // No script error and no CSP violation on the page that went through every view; only the
    // refused reconnect attempts while the gateway was down are logged by the browser.
    expect(sharedErrors.filter((e) => !/WebSocket connection to .* failed/.test(e))).toEqual([]);
  });

  // Last: it makes the gateway throttle this address for a minute.
  it('shows the gateway throttle message after repeated wrong tokens', async () => {
    // Pages of earlier tests still reconnect with the right token, and a success from this address
    // clears its failure count: close them first.
    for (const item of opened.splice(0)) await item.close();
    shared = undefined;
    // Nine failures from this address over plain WebSocket, then the browser's own attempts.
    for (let i = 0; i < 9; i++) {
      await expect(ControlClient.connect(`ws://127.0.0.1:${gateway.port}/ws`, `wrong-${i}`)).rejects.toThrow(
        /UNAUTHORIZED|RATE_LIMITED/,
      );
    }
    const { page: p } = await page();
    let text = '';
    for (let i = 0; i < 3 && !/Too many failed attempts/.test(text); i++) {
      await login(p, `wrong-browser-${i}`);
      await expect.poll(() => p.getByRole('button', { name: 'Connect' }).isEnabled()).toBe(true);
      text = (await p.getByRole('alert').textContent()) ?? '';
    }
    expect(text).toMatch(/Too many failed attempts.*try again in \d+ s/i);
    // Even the right token is refused while the block lasts, with the same message.
    await login(p, TEST_TOKEN);
    await expect.poll(() => p.getByRole('button', { name: 'Connect' }).isEnabled()).toBe(true);
    expect(await p.getByRole('alert').textContent()).toMatch(/Too many failed attempts/);
  });
});
