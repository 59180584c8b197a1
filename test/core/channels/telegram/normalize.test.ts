import { readFileSync } from 'node:fs';
import type { Update } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import {
  parseTelegramUpdate,
  type TelegramBotIdentity,
} from '../../../../src/core/channels/telegram/normalize';

const BOT: TelegramBotIdentity = { id: 123456, username: 'krab_test_bot' };
const NOW = Date.UTC(2026, 0, 1);

function fixture(name: string): Update {
  return JSON.parse(
    readFileSync(new URL(`../../../fixtures/telegram/${name}.json`, import.meta.url), 'utf8'),
  );
}
const parse = (name: string) => parseTelegramUpdate(fixture(name), BOT, NOW);

describe('parseTelegramUpdate', () => {
  it('turns a private text message into a DM addressed to the bot', () => {
    const parsed = parse('private-text');
    expect(parsed?.files).toEqual([]);
    expect(parsed?.message).toEqual({
      channel: 'telegram',
      accountId: 'default',
      messageId: '1365',
      chat: { id: '1111111', kind: 'dm' },
      sender: { id: '1111111', name: 'Test Lastname', username: 'Test' },
      text: 'Hello *there*',
      mentioned: true,
      receivedAt: NOW,
    });
  });

  it('sees an @mention of the bot in a group, whatever its case', () => {
    const message = parse('group-mention')?.message;
    expect(message?.chat).toEqual({ id: '-1001234567890', kind: 'group', name: 'Krab Lab' });
    expect(message?.mentioned).toBe(true);
  });

  it('does not count a mention of someone else', () => {
    expect(parse('group-plain')?.message.mentioned).toBe(false);
  });

  it('treats /command@bot as addressed, and strips the @bot', () => {
    const message = parse('group-command-at-bot')?.message;
    expect(message?.mentioned).toBe(true);
    expect(message?.text).toBe('/status please');
  });

  it('ignores a command for another bot', () => {
    expect(parse('group-command-other-bot')).toBeUndefined();
  });

  it('counts a reply to the bot as a mention and keeps what was replied to', () => {
    const message = parse('group-reply-to-bot')?.message;
    expect(message?.mentioned).toBe(true);
    expect(message?.replyTo).toEqual({ messageId: '42', text: '4.' });
  });

  it('counts a text_mention of the bot user', () => {
    expect(parse('text-mention')?.message.mentioned).toBe(true);
  });

  it('keeps the forum topic and does not take the topic header for a reply', () => {
    const message = parse('forum-topic')?.message;
    expect(message?.chat.threadId).toBe('301');
    expect(message?.replyTo).toBeUndefined();
    expect(message?.mentioned).toBe(false);
  });

  it('passes the caption on and asks for the largest photo', () => {
    const parsed = parse('photo-caption');
    expect(parsed?.message.text).toBe('what is in this picture?');
    expect(parsed?.message.attachments).toEqual([{ kind: 'image', mimeType: 'image/jpeg', size: 54321 }]);
    expect(parsed?.files).toEqual([{ index: 0, fileId: 'AgAD-large', size: 54321 }]);
  });

  it('describes a non-image document instead of dropping it', () => {
    const parsed = parse('document-pdf');
    expect(parsed?.files).toEqual([]);
    expect(parsed?.message.attachments?.[0]).toMatchObject({
      kind: 'file',
      name: 'report.pdf',
      mimeType: 'application/pdf',
    });
    expect(parsed?.message.attachments?.[0]?.description).toContain('report.pdf (1.2 MB, application/pdf)');
  });

  it('ignores channel posts, edits, bots and empty service messages', () => {
    expect(parse('channel-post')).toBeUndefined();
    expect(parse('edited-message')).toBeUndefined();
    const fromBot = fixture('private-text');
    fromBot.message!.from!.is_bot = true;
    expect(parseTelegramUpdate(fromBot, BOT, NOW)).toBeUndefined();
    const service = fixture('private-text');
    delete service.message!.text;
    service.message!.new_chat_title = 'x';
    expect(parseTelegramUpdate(service, BOT, NOW)).toBeUndefined();
  });
});
