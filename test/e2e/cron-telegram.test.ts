import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  GATEWAY_TOKEN,
  sentTexts,
  startTelegramWorld,
  type TelegramWorld,
} from '../adapters/node/telegram/harness';
import { reply } from '../fakes/anthropic-server';
import { ControlClient } from '../helpers/ws-client';

let world: TelegramWorld;
const connect = () => ControlClient.connect(`ws://127.0.0.1:${world.gateway.port}`, GATEWAY_TOKEN);
const runsOf = async (client: ControlClient, id: string) =>
  (await client.request('cron.runs', { id })).payload.runs as Array<{ status: string; trigger: string }>;

beforeAll(async () => {
  world = await startTelegramWorld();
}, 60_000);
afterAll(async () => {
  await world?.close();
});

describe('cron on the gateway with Telegram (fake Bot API) and a fake model', () => {
  it('an agent job runs at its time and its reply arrives in the Telegram chat', async () => {
    world.llm.enqueue(reply.text('Good morning: two meetings today.'));
    const client = await connect();
    const at = new Date(Date.now() + 1500).toISOString();
    const added = await client.request('cron.add', {
      id: 'brief',
      schedule: { at },
      message: 'Brief me',
      deliver: { channel: 'telegram', to: '4242' },
    });
    expect(added.ok, JSON.stringify(added.error)).toBe(true);
    const call = await world.bot.waitForCall(
      'sendMessage',
      (c) => String(c.params.chat_id) === '4242',
      10_000,
    );
    expect(call.params.text).toContain('Good morning: two meetings today.');
    expect(world.llm.requests.at(-1)?.lastUserText).toBe('Brief me');
    await eventually(async () =>
      expect((await runsOf(client, 'brief')).map((r) => r.status)).toEqual(['ok']),
    );
    // A reminder-style text job, run by hand, goes the same way.
    await client.request('cron.add', {
      id: 'note',
      schedule: '0 9 * * *',
      message: 'water the plants',
      mode: 'text',
      deliver: { channel: 'telegram', to: '4242' },
    });
    const run = await client.request('cron.run', { id: 'note' });
    expect(run.payload.run).toMatchObject({ status: 'ok', delivered: 1 });
    expect(sentTexts(world.bot, 4242).at(-1)).toBe('⏰ Reminder: water the plants');
    client.close();
  });

  it("an owner's job delivering to a group: its exec approval is asked over the control WS only, never in the group", async () => {
    world.llm.enqueue(
      reply.tools([{ name: 'exec', arguments: { command: 'echo e2e-group-plan' } }]),
      reply.text('Group report.'),
    );
    const client = await connect();
    const group = '-100555';
    expect(
      (
        await client.request('cron.add', {
          id: 'group-report',
          schedule: '0 9 * * *',
          message: 'Report to the group',
          deliver: { channel: 'telegram', to: group },
        })
      ).ok,
    ).toBe(true);
    const run = client.request('cron.run', { id: 'group-report' });
    const requested = await client.waitFor((f) => f.event === 'exec.approval.requested', 10_000);
    expect(requested.payload.command).toBe('echo e2e-group-plan');
    await world.gateway.waitForLine(/approval [0-9a-f]{8}: not asked in telegram chat -100555/);
    expect(sentTexts(world.bot, Number(group))).toEqual([]);
    const ok = await client.request('exec.approval.resolve', {
      id: requested.payload.id,
      decision: 'allow-once',
    });
    expect(ok.ok, JSON.stringify(ok.error)).toBe(true);
    expect((await run).payload.run).toMatchObject({ status: 'ok', delivered: 1 });
    expect(sentTexts(world.bot, Number(group))).toEqual(['Group report.']);
    expect(JSON.stringify(world.bot.calls)).not.toContain('e2e-group-plan');
    client.close();
  });

  it('SIGKILL during a run, then restart: that occurrence is not run again (marked interrupted)', async () => {
    world.llm.enqueue({ kind: 'hang' });
    const client = await connect();
    const before = world.llm.requests.length;
    const at = new Date(Date.now() + 1500).toISOString();
    expect(
      (
        await client.request('cron.add', {
          id: 'killed',
          schedule: { at },
          message: 'Long job',
          deliver: { channel: 'telegram', to: '77' },
        })
      ).ok,
    ).toBe(true);
    await world.llm.waitForRequests(before + 1, 10_000);
    await eventually(async () =>
      expect((await runsOf(client, 'killed')).map((r) => r.status)).toEqual(['running']),
    );
    client.close();
    await world.gateway.stop('SIGKILL');

    await world.restart();
    await world.gateway.waitForLine(
      /\[cron\] 1 run\(s\) were cut off when the gateway stopped; marked interrupted, not run again/,
    );
    await world.gateway.waitForLine(/\[cron\] scheduler started/);
    const after = await connect();
    expect((await runsOf(after, 'killed')).map((r) => r.status)).toEqual(['interrupted']);
    after.close();
    // The first tick has run (it precedes the line above). A run it started wrongly would be
    // in-flight work, which a SIGTERM stop finishes before the process exits: once it has exited,
    // the model and the chat have seen all they ever will from this gateway.
    expect(await world.gateway.stop()).toBe(0);
    expect(world.gateway.output()).not.toMatch(/job killed: running/);
    expect(world.llm.requests.length).toBe(before + 1);
    expect(sentTexts(world.bot, 77)).toEqual([]);
  }, 60_000);
});
