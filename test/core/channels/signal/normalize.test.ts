import { describe, expect, it } from 'vitest';
import { admitSignalGroup, signalTargetParams } from '../../../../src/core/channels/signal/adapter';
import { parseSignalReceive } from '../../../../src/core/channels/signal/normalize';
import { readSse } from '../../../../src/core/channels/signal/sse';
import { parseConfigValue } from '../../../../src/core/config/parse';
import { signalMessage } from '../../../fakes/signal-daemon.mjs';

const ACCOUNT = '+15550001111';
const NOW = 1_767_225_900_000;

describe('parseSignalReceive', () => {
  it('a direct message: chat is the sender, id is timestamp and sender', () => {
    const parsed = parseSignalReceive(signalMessage({ text: 'hi', timestamp: 42 }), ACCOUNT, NOW);
    expect(parsed).toMatchObject({
      kind: 'message',
      message: {
        channel: 'signal',
        accountId: ACCOUNT,
        messageId: '42-+15557654321',
        chat: { id: '+15557654321', kind: 'dm' },
        sender: { id: '+15557654321', name: 'Ada', username: 'a4c7c0c2-3b7e-4e39-9d5e-5b0f6b1f0c11' },
        text: 'hi',
        mentioned: true,
      },
    });
  });

  it('a group message: group: prefix, mention of the account replaces U+FFFC, quote becomes replyTo', () => {
    const event = signalMessage({
      text: '\uFFFC look',
      groupId: 'R3JvdXA=',
      timestamp: 7,
      mentions: [{ name: 'Krab', number: ACCOUNT, start: 0, length: 1 }],
    });
    event.envelope.dataMessage.quote = { id: 5, authorNumber: ACCOUNT, text: 'earlier answer' };
    const parsed = parseSignalReceive(event, ACCOUNT, NOW);
    expect(parsed.kind === 'message' && parsed.message).toMatchObject({
      chat: { id: 'group:R3JvdXA=', kind: 'group', name: 'Crab Club' },
      text: '@Krab look',
      mentioned: true,
      replyTo: { messageId: '5', text: 'earlier answer' },
    });
    const plain = parseSignalReceive(signalMessage({ text: 'chat', groupId: 'R3JvdXA=' }), ACCOUNT, NOW);
    expect(plain.kind === 'message' && plain.message.mentioned).toBe(false);
  });

  it('images become attachment refs; other files are described', () => {
    const parsed = parseSignalReceive(
      signalMessage({
        text: '',
        attachments: [
          { id: 'att1.jpg', contentType: 'image/jpeg', size: 10 },
          { id: 'doc', contentType: 'application/pdf', filename: 'a.pdf' },
        ],
      }),
      ACCOUNT,
      NOW,
    );
    expect(parsed.kind === 'message' && parsed.attachments).toEqual([{ index: 0, id: 'att1.jpg' }]);
    expect(parsed.kind === 'message' && parsed.message.attachments?.map((a) => a.kind)).toEqual([
      'image',
      'file',
    ]);
  });

  it('ignores receipts, typing, sync messages, our own account and empty messages; reports reactions', () => {
    expect(
      parseSignalReceive({ envelope: { sourceNumber: '+1555', receiptMessage: {} } }, ACCOUNT, NOW).kind,
    ).toBe('ignored');
    expect(
      parseSignalReceive({ envelope: { sourceNumber: '+1555', syncMessage: {} } }, ACCOUNT, NOW).kind,
    ).toBe('ignored');
    expect(parseSignalReceive(signalMessage({ from: ACCOUNT, text: 'me' }), ACCOUNT, NOW).kind).toBe(
      'ignored',
    );
    expect(parseSignalReceive(signalMessage({ text: '' }), ACCOUNT, NOW).kind).toBe('ignored');
    const reaction = signalMessage({ text: '' });
    reaction.envelope.dataMessage.reaction = { emoji: '❤️', targetSentTimestamp: 9, isRemove: false };
    expect(parseSignalReceive(reaction, ACCOUNT, NOW)).toMatchObject({
      kind: 'reaction',
      emoji: '❤️',
      targetTimestamp: 9,
    });
  });

  it('reply targets and group admission', () => {
    expect(signalTargetParams('+1555')).toEqual({ recipient: ['+1555'] });
    expect(signalTargetParams('group:R3JvdXA=')).toEqual({ groupId: 'R3JvdXA=' });
    const parsed = parseConfigValue(
      { channels: { signal: { groups: { 'R3JvdXA=': { allow: true, requireMention: false } } } } },
      {},
    );
    if (!parsed.ok) throw new Error('config');
    const message = parseSignalReceive(signalMessage({ text: 'x', groupId: 'R3JvdXA=' }), ACCOUNT, NOW);
    if (message.kind !== 'message') throw new Error('kind');
    expect(admitSignalGroup(message.message, parsed.value.config)).toEqual({
      allowed: true,
      requireMention: false,
    });
    expect(
      admitSignalGroup(
        { ...message.message, chat: { id: 'group:other', kind: 'group' } },
        parsed.value.config,
      ).allowed,
    ).toBe(false);
  });
});

describe('readSse', () => {
  const stream = (...pieces: string[]) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (const piece of pieces) controller.enqueue(new TextEncoder().encode(piece));
        controller.close();
      },
    });

  it('parses events split across chunks, skips keep-alives, joins data lines, handles CRLF', async () => {
    const events = [];
    for await (const event of readSse(
      stream(
        ':\n',
        'event:rec',
        'eive\ndata:{"a":',
        '1}\n\n',
        ':\n',
        'data: line1\r\ndata: line2\r\n\r\n',
        'event:receive\ndata:{"b":2}\n',
      ),
    ))
      events.push(event);
    expect(events).toEqual([
      { event: 'receive', data: '{"a":1}' },
      { event: 'message', data: 'line1\nline2' },
    ]);
  });
});
