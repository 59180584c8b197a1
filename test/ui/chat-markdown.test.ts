import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeLlmServer, reply, startFakeAnthropic } from '../fakes/anthropic-server';
import { launchBrowser, openPage, screenshot, signIn } from '../helpers/browser';
import { TEST_TOKEN } from '../helpers/context';
import { type GatewayProcess, startGateway, tempStateDir } from '../helpers/gateway-process';

/** Chat replies rendered as Markdown in real Chromium: the formatting, and every trick a reply may hold. */
let gateway: GatewayProcess;
let browser: Browser;
let fake: FakeLlmServer;
let page: Page;
const dialogs: string[] = [];
const errors: string[] = [];

beforeAll(async () => {
  const stateDir = tempStateDir('krab-ui-md-');
  writeFileSync(
    join(stateDir, 'krabkrab.json'),
    JSON.stringify({
      gateway: { mode: 'local' },
      agents: {
        defaults: { model: { primary: 'anthropic/claude-sonnet-4-5' } },
        list: [{ id: 'main', default: true }],
      },
    }),
  );
  fake = await startFakeAnthropic();
  [gateway, browser] = await Promise.all([
    startGateway({
      stateDir,
      env: {
        krabkrab_GATEWAY_TOKEN: TEST_TOKEN,
        ANTHROPIC_API_KEY: 'sk-ant-md',
        ANTHROPIC_BASE_URL: fake.origin,
      },
    }),
    launchBrowser(),
  ]);
  const opened = await openPage(browser, gateway.url);
  page = opened.page;
  errors.push(...opened.errors);
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await opened.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: gateway.url });
  await signIn(page, TEST_TOKEN);
  await page.getByRole('link', { name: 'Chat' }).click();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
  await fake?.close();
});

/** Sends a message, scripts the model's reply, and returns the settled reply item. */
async function ask(text: string, chunkSize = 64) {
  fake.enqueue(reply.text(text, { chunkSize }));
  await page.getByLabel('Message').fill('go');
  await page.getByLabel('Message').press('Enter');
  const item = page.locator('.msg-assistant').last();
  await page.getByRole('button', { name: 'Send' }).waitFor({ timeout: 30_000 });
  await expect.poll(() => item.getAttribute('class'), { timeout: 30_000 }).not.toContain('streaming');
  return item;
}

const REPLY = [
  '# Plan',
  'Some **bold**, *em* and `inline code`, see [the docs](https://example.com/docs).',
  '',
  '- first',
  '- second',
  '  1. nested',
  '',
  '| name | qty |',
  '|------|----:|',
  '| crab | 2 |',
  '',
  '```sh',
  'echo "hello"',
  '```',
].join('\n');

describe('chat Markdown in Chromium', { timeout: 90_000 }, () => {
  it('renders headings, emphasis, links, lists, tables and code with a working Copy button', async () => {
    const item = await ask(REPLY);
    expect(await item.locator('h3').textContent()).toBe('Plan');
    expect(await item.locator('strong').textContent()).toBe('bold');
    expect(await item.locator('em').textContent()).toBe('em');
    expect(await item.locator('p code').textContent()).toBe('inline code');
    const link = item.getByRole('link', { name: 'the docs' });
    expect(await link.getAttribute('href')).toBe('https://example.com/docs');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await item.locator('ul > li').count()).toBe(2);
    expect(await item.locator('ul ol > li').textContent()).toBe('nested');
    expect(await item.locator('table th').allTextContents()).toEqual(['name', 'qty']);
    expect(await item.locator('table td.align-right').textContent()).toBe('2');
    expect(await item.locator('pre code').textContent()).toBe('echo "hello"');
    await item.getByRole('button', { name: 'Copy' }).click();
    await item.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('echo "hello"');
    await page.setViewportSize({ width: 360, height: 740 });
    // At 360 px the page does not scroll sideways: the table and code scroll inside themselves.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await screenshot(page, 'chat-markdown-360-light');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('shows raw HTML as text and never links to javascript:', async () => {
    const item = await ask(
      [
        'Hi <img src=x onerror=alert(1)> there',
        '<div><p><b>nested <i>html</i></b><script>alert(2)</script></p></div>',
        '[click me](javascript:alert(3)) [data](data:text/html,x) <javascript:alert(4)>',
        '<a href="javascript:alert(5)">raw anchor</a> <svg onload=alert(6)>',
      ].join('\n\n'),
    );
    const tags = await item
      .locator('.md *')
      .evaluateAll((nodes) => [...new Set(nodes.map((n) => n.tagName))]);
    expect(tags.sort()).toEqual(['P']);
    // The app's own logo is the only image on the page.
    expect(await page.locator('img:not([src="/ui/icon.svg"])').count()).toBe(0);
    expect(await item.textContent()).toContain('<img src=x onerror=alert(1)>');
    expect(await item.textContent()).toContain('<script>alert(2)</script>');
    const hrefs = await item.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    expect(hrefs).toEqual([]);
    expect(await item.getByText('click me').count()).toBe(1);
    expect(dialogs).toEqual([]);
  });

  it('survives 10,000 nested list levels and a 5 MB code block', async () => {
    const deep = await ask(`${'- '.repeat(10_000)}deepest`, 4096);
    const depth = await deep.evaluate((el) => {
      let max = 0;
      for (const ul of el.querySelectorAll('ul')) {
        let d = 0;
        for (let node: Element | null = ul; node && node !== el; node = node.parentElement)
          if (node.tagName === 'UL') d++;
        max = Math.max(max, d);
      }
      return max;
    });
    expect(depth).toBeGreaterThan(5);
    expect(depth).toBeLessThanOrEqual(12);
    expect(await deep.textContent()).toContain('deepest');

    const code = `${'y'.repeat(79)}\n`.repeat(64 * 1024).slice(0, -1);
    const big = await ask(`Here:\n\n\`\`\`\n${code}\n\`\`\`\nend`, 512 * 1024);
    expect(await big.locator('pre code').evaluate((el) => el.textContent?.length)).toBe(code.length);
    expect(await big.locator('p').last().textContent()).toBe('end');
    // Still responsive: the composer takes input.
    await page.getByLabel('Message').fill('still here');
    expect(await page.getByLabel('Message').inputValue()).toBe('still here');
    expect(errors).toEqual([]);
  });

  it('folds tool calls with name, arguments, result and duration', async () => {
    fake.enqueue(reply.tools([{ name: 'current_time', arguments: {} }]));
    const item = await ask('It is **noon**.');
    const tool = item.locator('details.tool');
    expect(await tool.getAttribute('open')).toBeNull();
    expect(await tool.locator('summary').textContent()).toMatch(/^Tool: current_time · \d+ (ms|s)$/);
    await tool.locator('summary').click();
    expect(await tool.locator('h4').allTextContents()).toEqual(['Arguments', 'Result']);
    expect(await item.locator('strong').textContent()).toBe('noon');
  });
});
