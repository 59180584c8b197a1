import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage } from '../helpers/browser';
import { TEST_TOKEN } from '../helpers/context';
import { type GatewayProcess, removeDir, startGateway, tempStateDir } from '../helpers/gateway-process';

/** The Control UI's MCP panel in real Chromium against a gateway with one working and one missing stdio server. */
let gateway: GatewayProcess;
let browser: Browser;
let stateDir: string;
const STDIO_FIXTURE = fileURLToPath(new URL('../fixtures/mcp/stdio-server.mjs', import.meta.url));

beforeAll(async () => {
  stateDir = tempStateDir('krab-ui-mcp-');
  const config = {
    gateway: { mode: 'local' },
    mcp: {
      servers: {
        fx: { command: process.execPath, args: [STDIO_FIXTURE] },
        missing: { command: 'krabkrab-no-such-mcp-server' },
      },
    },
  };
  writeFileSync(join(stateDir, 'krabkrab.json'), JSON.stringify(config));
  [gateway, browser] = await Promise.all([
    startGateway({ stateDir, env: { krabkrab_GATEWAY_TOKEN: TEST_TOKEN } }),
    launchBrowser(),
  ]);
  await gateway.waitForLine(/\[mcp\] fx: connected/);
});

afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
  if (stateDir) removeDir(stateDir);
});

describe('MCP panel (Chromium)', { timeout: 60_000 }, () => {
  it('shows each server with its transport, state, tools and last error', async () => {
    const { page, errors } = await openPage(browser, `${gateway.url}/#mcp`);
    await page.getByLabel('Gateway token').fill(TEST_TOKEN);
    await page.getByLabel('Gateway token').press('Enter');
    const list = page.getByTestId('mcp-servers');
    await list.getByText('fx__echo', { exact: false }).waitFor({ timeout: 10_000 });
    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText keeps the breaks between a server's cells (fx stdio ready); textContent runs them together
    const text = await list.innerText();
    expect(text).toMatch(/fx\s+stdio\s+ready/);
    expect(text).toContain('6 tool(s)');
    expect(text).toMatch(/missing\s+stdio\s+retrying/);
    expect(text).toMatch(/Last error: krabkrab-no-such-mcp-server: command not found/);
    expect(errors).toEqual([]);
  });
});
