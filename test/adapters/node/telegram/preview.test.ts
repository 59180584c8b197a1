import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reply } from '../../../fakes/anthropic-server';
import { updates } from '../../../fakes/telegram-bot-api';
import { eventually, sentTexts, startTelegramWorld, type TelegramWorld } from './harness';

const OWNER = 7300;
const GUEST = 7301;

/** Spool entries on disk that recorded a preview message (the state the crash must leave). */
function spooledPreviews(stateDir: string): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 6) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path, depth + 1);
      else if (readFileSync(path, 'utf8').includes('"previewMessageId"')) found.push(path);
    }
  };
  walk(join(stateDir, 'spool'), 0);
  return found;
}

/**
 * Reply previews through `node dist/index.js gateway` (polling), the fake Bot API and a fake
 * Anthropic that streams the first words of its answer and then stalls: the gateway is killed
 * mid-preview and restarted.
 */
let world: TelegramWorld;
let calls = 0;
beforeAll(async () => {
  world = await startTelegramWorld({
    telegram: { dmPolicy: 'open' },
    config: { owners: [`telegram:${OWNER}`] },
    // The first call streams a few words and never finishes: the kill lands mid-preview.
    llm: { respond: () => (++calls === 1 ? reply.stall('Let me think about ') : undefined) },
  });
});
afterAll(() => world?.close());

describe('telegram reply previews through the gateway', () => {
  it('SIGKILL mid-preview: the restarted gateway edits the partial preview into the one final answer', async () => {
    await world.bot.waitForCall('getUpdates');
    world.bot.pushUpdate(updates.privateText('crash mid-preview', { userId: OWNER, messageId: 31 }));
    const preview = await world.bot.waitForCall('sendMessage', (c) => c.params.chat_id === String(OWNER));
    expect(preview.params).toMatchObject({
      text: 'Let me think about',
      reply_parameters: { message_id: 31 },
    });
    expect(preview.params.parse_mode).toBeUndefined();
    // The preview's message id reaches the spool before the turn goes on.
    await eventually(() => expect(spooledPreviews(world.stateDir)).toHaveLength(1));
    await world.gateway.stop('SIGKILL');

    await world.restart();
    await world.gateway.waitForLine(/replaying 1 unfinished message/);
    const final = await world.bot.waitForCall(
      'editMessageText',
      (c) => c.params.chat_id === String(OWNER) && c.params.parse_mode === 'HTML',
    );
    // Exactly one answer: the preview message, edited into it; no second message.
    expect(world.bot.message(OWNER, final.params.message_id!)).toEqual({
      text: 'echo: crash mid-preview',
      parse_mode: 'HTML',
    });
    await eventually(() => expect(spooledPreviews(world.stateDir)).toEqual([]));
    world.bot.pushUpdate(updates.privateText('sentinel', { userId: OWNER, messageId: 32 }));
    await eventually(() =>
      expect(world.bot.callsOf('editMessageText').map((c) => c.params.text)).toContain('echo: sentinel'),
    );
    const sends = world.bot.callsOf('sendMessage').filter((c) => c.params.chat_id === String(OWNER));
    // One message per question: the preview of 31 (edited into its answer after the restart), then 32's.
    expect(sends.map((c) => c.params.reply_parameters?.message_id)).toEqual([31, 32]);
  });

  it("a guest's DM gets the finished answer only (no preview unless channels.telegram.preview is set)", async () => {
    world.bot.pushUpdate(updates.privateText('hello there', { userId: GUEST, messageId: 40 }));
    await eventually(() => expect(sentTexts(world.bot, GUEST)).toEqual(['echo: hello there']));
    expect(
      world.bot.callsOf('sendMessage').find((c) => c.params.chat_id === String(GUEST))?.params.parse_mode,
    ).toBe('HTML');
    expect(world.bot.callsOf('editMessageText').filter((c) => c.params.chat_id === String(GUEST))).toEqual(
      [],
    );
  });
});
