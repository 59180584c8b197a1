import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeExec } from '../../../src/adapters/node/exec';
import { registerTelegramChannel } from '../../../src/core/channels/telegram/adapter';
import { createApp } from '../../../src/handlers/app';
import { type FakeBotApi, startFakeBotApi, updates } from '../../fakes/telegram-bot-api';
import { createManualClock, createTestContext } from '../../helpers/context';
import { connectOwner } from '../../helpers/control-connection';
import { createScriptedRouter } from '../../helpers/scripted-router';

const OWNER_DM = '4242';
const SECRET = 'cron-approval-secret-0123';
const GROUP = '-100777';
const stateDir = mkdtempSync(join(tmpdir(), 'krab-cron-approval-'));
let bot: FakeBotApi;
beforeAll(async () => {
  bot = await startFakeBotApi();
});
afterAll(async () => {
  await bot.close();
  rmSync(stateDir, { recursive: true, force: true });
});

/** A gateway context with Telegram on the fake Bot API, exec in ask mode, and the owner on a control connection. */
async function setup() {
  const models = createScriptedRouter();
  const ctx = createTestContext({
    config: {
      owners: [`telegram:${OWNER_DM}`],
      agents: { defaults: { model: 'test/model' } },
      channels: { telegram: { enabled: true, webhookSecret: SECRET, dmPolicy: 'open' } },
      tools: { exec: { mode: 'ask' } },
    },
    env: {
      TELEGRAM_BOT_TOKEN: bot.token,
      TELEGRAM_API_ROOT: bot.origin,
      PATH: process.env.PATH ?? '/usr/bin:/bin',
    },
    clock: createManualClock(),
    models,
    stateDir,
    agentDeps: { exec: createNodeExec() },
  });
  registerTelegramChannel(ctx);
  const owner = await connectOwner(ctx);
  return { ctx, models, owner };
}

const textsTo = (chatId: string) =>
  bot
    .callsOf('sendMessage')
    .filter((call) => String(call.params.chat_id) === chatId)
    .map((call) => String(call.params.text));

describe("an owner's cron job whose command needs approval", () => {
  it('delivering to a group: nothing is asked in the group; the Control UI gets the request and its approval runs the command', async () => {
    const { ctx, models, owner } = await setup();
    models.enqueue(
      {
        text: '',
        toolCalls: [{ name: 'exec', arguments: JSON.stringify({ command: 'echo group-secret-plan' }) }],
      },
      { text: 'Report posted.' },
    );
    const added = await owner.call('cron.add', {
      id: 'report',
      schedule: '0 9 * * *',
      message: 'Run the report',
      deliver: { channel: 'telegram', to: GROUP },
    });
    expect(added.ok, JSON.stringify(added.error)).toBe(true);
    const run = owner.call('cron.run', { id: 'report' });
    const requested = await owner.waitFor((f) => f.event === 'exec.approval.requested');
    expect(requested.payload).toMatchObject({
      command: 'echo group-secret-plan',
      sessionKey: 'agent:main:cron:report:main',
    });
    const id = requested.payload.id as string;
    await ctx.settle();
    expect(textsTo(GROUP)).toEqual([]);
    expect(ctx.lines.map((line) => line.message)).toContain(
      `approval ${id}: not asked in telegram chat ${GROUP}, which is not an owner's direct chat; answer it in the Control UI`,
    );

    const resolved = await owner.call('exec.approval.resolve', { id, decision: 'allow-once' });
    expect(resolved.ok, JSON.stringify(resolved.error)).toBe(true);
    expect((await run).payload.run).toMatchObject({ status: 'ok', delivered: 1 });
    expect(JSON.stringify(models.requests.at(-1)?.messages)).toContain('group-secret-plan\\n');
    // The group got the job's answer, and never the command.
    expect(textsTo(GROUP)).toEqual(['Report posted.']);
    expect(bot.calls.some((call) => JSON.stringify(call.params).includes('echo group-secret-plan'))).toBe(
      false,
    );
  });

  it("delivering to the owner's own DM (listed in owners): the prompt is posted there", async () => {
    const { models, owner } = await setup();
    models.enqueue(
      { text: '', toolCalls: [{ name: 'exec', arguments: JSON.stringify({ command: 'echo dm-plan' }) }] },
      { text: 'Done in DM.' },
    );
    await owner.call('cron.add', {
      id: 'mine',
      schedule: '0 9 * * *',
      message: 'Run mine',
      deliver: { channel: 'telegram', to: OWNER_DM },
    });
    const run = owner.call('cron.run', { id: 'mine' });
    const requested = await owner.waitFor((f) => f.event === 'exec.approval.requested');
    const id = requested.payload.id as string;
    const asking = await bot.waitForCall('sendMessage', (call) => String(call.params.chat_id) === OWNER_DM);
    expect(asking.params.text).toContain(`Approve this command? ${id}`);
    expect(asking.params.text).toContain('echo dm-plan');
    await owner.call('exec.approval.resolve', { id, decision: 'deny' });
    expect((await run).payload.run).toMatchObject({ status: 'ok' });
    expect(textsTo(OWNER_DM).at(-1)).toBe('Done in DM.');
  });

  it("an owner's own chat turn in the DM (through the pipeline) still gets the prompt in that DM", async () => {
    const { ctx, models, owner } = await setup();
    models.enqueue(
      { text: '', toolCalls: [{ name: 'exec', arguments: JSON.stringify({ command: 'echo from-dm' }) }] },
      { text: 'Ran it.' },
    );
    const app = createApp(ctx, { clientAddress: () => '127.0.0.1' });
    const res = await app.request('/telegram/webhook', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify({ update_id: 1, ...updates.privateText('run it', { userId: Number(OWNER_DM) }) }),
    });
    expect(res.status).toBe(200);
    const requested = await owner.waitFor((f) => f.event === 'exec.approval.requested');
    const id = requested.payload.id as string;
    const asking = await bot.waitForCall(
      'sendMessage',
      (call) => String(call.params.chat_id) === OWNER_DM && String(call.params.text).includes(id),
    );
    expect(asking.params.text).toContain('echo from-dm');
    await owner.call('exec.approval.resolve', { id, decision: 'allow-once' });
    await ctx.settle();
    expect(ctx.agents.approvals.list()).toEqual([]);
    expect(JSON.stringify(models.requests.at(-1)?.messages)).toContain('from-dm\\n');
  });
});
