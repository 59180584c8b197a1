import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeLlmServer, reply, startFakeAnthropic } from '../fakes/anthropic-server';
import { launchBrowser, openPage, screenshot, signIn } from '../helpers/browser';
import { TEST_TOKEN } from '../helpers/context';
import { type GatewayProcess, removeDir, startGateway, tempStateDir } from '../helpers/gateway-process';
import { ControlClient } from '../helpers/ws-client';

/** The exec approval panel in real Chromium against the real gateway, the command asked for by a scripted fake model. */
let gateway: GatewayProcess;
let browser: Browser;
let fake: FakeLlmServer;
let client: ControlClient;
let stateDir: string;
let page: Page;
const errors: string[] = [];

beforeAll(async () => {
  stateDir = tempStateDir('krab-ui-exec-');
  const config = {
    gateway: { mode: 'local' },
    agents: { defaults: { model: { primary: 'anthropic/claude-sonnet-4-5' } } },
    tools: { exec: { mode: 'ask' } },
  };
  writeFileSync(join(stateDir, 'krabkrab.json'), JSON.stringify(config, null, 2));
  fake = await startFakeAnthropic();
  const env = {
    krabkrab_GATEWAY_TOKEN: TEST_TOKEN,
    ANTHROPIC_API_KEY: 'sk-ant-ui-test',
    ANTHROPIC_BASE_URL: fake.origin,
  };
  [gateway, browser] = await Promise.all([startGateway({ stateDir, env }), launchBrowser()]);
  client = await ControlClient.connect(`ws://127.0.0.1:${gateway.port}`, TEST_TOKEN);
  const opened = await openPage(browser, `${gateway.url}/#logs`);
  page = opened.page;
  errors.push(...opened.errors);
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  await signIn(page, TEST_TOKEN);
});

afterAll(async () => {
  client?.close();
  await browser?.close();
  await gateway?.stop();
  await fake?.close();
  if (stateDir) removeDir(stateDir);
});

/** Asks the agent (over another control connection) for a turn whose model calls exec; resolves with the tool result. */
async function execTurn(command: string): Promise<() => Promise<string>> {
  fake.enqueue(reply.tools([{ name: 'exec', arguments: { command } }]), reply.text('ok'));
  const res = await client.request('chat.send', { message: `please run ${command}` });
  expect(res.ok, JSON.stringify(res.error)).toBe(true);
  return async () => {
    await client.waitFor(
      (f) => f.event === 'chat' && f.payload.runId === res.payload.runId && f.payload.state === 'final',
      15_000,
    );
    const messages = fake.requests.at(-1)!.body.messages as Array<{
      content: Array<{ type: string; content?: unknown }>;
    }>;
    return JSON.stringify(messages.at(-1)!.content.filter((block) => block.type === 'tool_result'));
  };
}

describe('exec approvals in the Control UI (Chromium)', { timeout: 60_000 }, () => {
  it('a pending command shows on any view with three buttons; "Allow once" runs it', async () => {
    const result = await execTurn('expr 40 + 2');
    const panel = page.getByRole('region', { name: 'Commands waiting for approval' });
    await panel.waitFor({ timeout: 10_000 });
    expect(page.url()).toContain('#logs');
    expect(await panel.locator('code').first().textContent()).toBe('expr 40 + 2');
    for (const name of ['Allow once', 'Always allow expr', 'Deny'])
      expect(await panel.getByRole('button', { name }).isVisible()).toBe(true);
    await screenshot(page, 'exec-approval-pending');
    await panel.getByRole('button', { name: 'Allow once' }).click();
    expect(await result()).toMatch(/exit code 0 [^\n]*\\n42\\n/);
    await panel.waitFor({ state: 'detached', timeout: 5000 });
  });

  it('"Deny" refuses the command; a reload of the page still lists what is pending', async () => {
    const result = await execTurn('rm -rf ./nothing-here');
    await page.getByRole('region', { name: 'Commands waiting for approval' }).waitFor({ timeout: 10_000 });
    // A fresh load (a new connection, the token kept by this tab) fetches the pending list with exec.approval.list.
    await page.reload();
    await page.getByTestId('connection-state').filter({ hasText: 'Connected' }).waitFor({ timeout: 10_000 });
    const panel = page.getByRole('region', { name: 'Commands waiting for approval' });
    await panel.waitFor({ timeout: 10_000 });
    expect(await panel.locator('code').first().textContent()).toBe('rm -rf ./nothing-here');
    await panel.getByRole('button', { name: 'Deny' }).click();
    expect(await result()).toContain('the owner denied this command');
    await panel.waitFor({ state: 'detached', timeout: 5000 });
    expect(errors).toEqual([]);
  });
});
