import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GATEWAY_TOKEN,
  sentTexts,
  startTelegramWorld,
  type TelegramWorld,
} from '../adapters/node/telegram/harness';
import { reply, toolResults } from '../fakes/anthropic-server';
import { updates } from '../fakes/telegram-bot-api';
import { ControlClient } from '../helpers/ws-client';

const OWNER = 1111;

let world: TelegramWorld;

beforeAll(async () => {
  world = await startTelegramWorld({
    // Whole replies, not previews edited as they grow (the owners' DM default): the tests read each reply once.
    telegram: { dmPolicy: 'open', preview: 'off' },
    config: {
      owners: [`telegram:${OWNER}`],
      agents: {
        defaults: { model: { primary: 'anthropic/claude-test' }, compaction: { keepRecentTurns: 1 } },
      },
    },
  });
}, 60_000);
afterAll(async () => {
  await world?.close();
});

/** Sends a DM as the owner and waits for the gateway's next reply in that chat. */
async function say(text: string): Promise<string> {
  const before = sentTexts(world.bot, OWNER).length;
  world.bot.pushUpdate(updates.privateText(text, { userId: OWNER, username: 'ada_owner' }));
  await world.bot.waitForCall('sendMessage', () => sentTexts(world.bot, OWNER).length > before, 10_000);
  return sentTexts(world.bot, OWNER).at(-1)!;
}

/** The tool_result blocks the gateway sent back to the model in a request. */
describe('memory, /model and /compact through the running gateway (fake Anthropic, fake Telegram)', () => {
  it("memory_save writes today's note in the workspace and memory_search cites it as path:line", async () => {
    const today = new Date().toISOString().slice(0, 10);
    world.llm.enqueue(
      reply.tools([{ name: 'memory_save', arguments: { text: 'Ada drinks green tea, no sugar' } }]),
      reply.text('Saved.'),
    );
    expect(await say('remember: green tea, no sugar')).toBe('Saved.');
    const note = join(world.stateDir, 'workspace', 'main', 'memory', `${today}.md`);
    expect(existsSync(note)).toBe(true);
    expect(readFileSync(note, 'utf8')).toMatch(
      new RegExp(`^# ${today}\\n\\n- \\d\\d:\\d\\d Ada drinks green tea, no sugar\\n$`),
    );

    const before = world.llm.requests.length;
    world.llm.enqueue(
      reply.tools([{ name: 'memory_search', arguments: { query: 'tea sugar' } }]),
      reply.text('Green tea.'),
    );
    expect(await say('what do I drink?')).toBe('Green tea.');
    const [found] = toolResults(world.llm.requests[before + 1]!);
    expect(JSON.parse(found!).results[0]).toMatchObject({
      citation: `memory/${today}.md:3`,
      text: expect.stringContaining('green tea'),
    });
  });

  it('/model switches this session, refuses an unknown ref, and /model default returns', async () => {
    expect(await say('/model nosuch/model')).toMatch(
      /^Unknown model "nosuch\/model": unknown provider "nosuch"/,
    );
    expect(await say('/model anthropic/claude-other')).toBe(
      'Model: anthropic/claude-other for this session. /model default returns to anthropic/claude-test.',
    );
    const before = world.llm.requests.length;
    world.llm.enqueue(reply.text('Hi from the other model.'));
    expect(await say('hello')).toBe('Hi from the other model.');
    expect(world.llm.requests[before]!.body.model).toBe('claude-other');
    expect(await say('/model default')).toBe('Model: back to the agent default, anthropic/claude-test.');
    expect(await say('/help')).toContain('/compact [focus]');
  });

  it('/compact flushes memory silently, summarizes the older turns, and the marker shows in sessions.history', async () => {
    const before = world.llm.requests.length;
    world.llm.enqueue(reply.text('NO_REPLY'), reply.text('- Ada drinks green tea without sugar.'));
    expect(await say('/compact tea')).toBe(
      'Compacted: 2 earlier turn(s) are now a summary; recent turns stay as they were.',
    );
    const [flush, summary] = world.llm.requests.slice(before);
    expect(flush!.lastUserText).toContain('[Memory flush]');
    expect(JSON.stringify(summary!.body.system)).toContain('Pay particular attention to: tea');
    expect(sentTexts(world.bot, OWNER)).not.toContain('NO_REPLY');

    const client = await ControlClient.connect(`ws://127.0.0.1:${world.gateway.port}`, GATEWAY_TOKEN);
    const listed = await client.request('sessions.list', { channel: 'telegram' });
    const sessionKey = (listed.payload.sessions as Array<{ sessionKey: string }>)[0]!.sessionKey;
    const history = await client.request('sessions.history', { sessionKey });
    expect(history.payload.compactions).toEqual([
      expect.objectContaining({ turns: 2, summary: '- Ada drinks green tea without sugar.', focus: 'tea' }),
    ]);
    expect(history.payload.messages[0].content).toMatch(/^\[Compacted: 2 earlier turn\(s\) summarized at/);
    client.close();

    // The session goes on from the summary.
    const next = world.llm.requests.length;
    world.llm.enqueue(reply.text('Still green tea.'));
    expect(await say('and now?')).toBe('Still green tea.');
    expect(JSON.stringify(world.llm.requests[next]!.body.messages)).toContain(
      'Ada drinks green tea without sugar.',
    );
  });
});
