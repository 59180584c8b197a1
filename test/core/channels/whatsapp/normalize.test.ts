import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { toWhatsAppText } from '../../../../src/core/channels/whatsapp/format';
import { parseWhatsAppWebhook } from '../../../../src/core/channels/whatsapp/normalize';
import { verifyWhatsAppSignature } from '../../../../src/core/channels/whatsapp/verify';
import { waPayloads } from '../../../fakes/whatsapp-graph';

const PNID = '106540352242922';
const NOW = 1_767_225_900_000;

describe('parseWhatsAppWebhook', () => {
  it('a text message from a contact', () => {
    const parsed = parseWhatsAppWebhook(
      waPayloads.text(PNID, { from: '4915112345678', id: 'wamid.A', text: 'Hallo', name: 'Grete' }),
      NOW,
    );
    expect(parsed.messages).toEqual([
      {
        media: [],
        message: {
          channel: 'whatsapp',
          accountId: PNID,
          messageId: 'wamid.A',
          chat: { id: '4915112345678', kind: 'dm' },
          sender: { id: '4915112345678', username: '+4915112345678', name: 'Grete' },
          text: 'Hallo',
          mentioned: true,
          receivedAt: NOW,
        },
      },
    ]);
  });

  it('images with a media ref, documents described, unsupported kinds ignored, statuses and reactions apart', () => {
    const body = waPayloads.wrap(PNID, {
      contacts: [{ profile: { name: 'Ada' }, wa_id: '1555' }],
      messages: [
        {
          from: '1555',
          id: 'wamid.I',
          type: 'image',
          image: { id: 'm1', mime_type: 'image/jpeg', caption: 'cap' },
        },
        {
          from: '1555',
          id: 'wamid.D',
          type: 'document',
          document: { id: 'm2', mime_type: 'application/pdf', filename: 'x.pdf' },
        },
        { from: '1555', id: 'wamid.U', type: 'unsupported', errors: [{ code: 131051 }] },
        { from: '1555', id: 'wamid.R', type: 'reaction', reaction: { message_id: 'wamid.out', emoji: '🔥' } },
        { from: '1555', id: 'wamid.B', type: 'button', button: { text: 'Yes' } },
      ],
      statuses: [{ id: 'wamid.out', status: 'read', timestamp: '1767225700', recipient_id: '1555' }],
    });
    const parsed = parseWhatsAppWebhook(body, NOW);
    expect(parsed.messages.map((m) => [m.message.messageId, m.message.text, m.media])).toEqual([
      ['wamid.I', 'cap', [{ index: 0, mediaId: 'm1' }]],
      ['wamid.D', '', []],
      ['wamid.B', 'Yes', []],
    ]);
    expect(parsed.messages[1]!.message.attachments).toEqual([
      { kind: 'file', mimeType: 'application/pdf', name: 'x.pdf' },
    ]);
    expect(parsed.ignored).toBe(1);
    expect(parsed.reactions).toEqual([{ from: '1555', name: 'Ada', messageId: 'wamid.out', emoji: '🔥' }]);
    expect(parsed.statuses).toEqual([
      { messageId: 'wamid.out', status: 'read', recipient: '1555', at: 1767225700000 },
    ]);
  });

  it('a reply names the quoted message; other fields and objects are skipped', () => {
    const parsed = parseWhatsAppWebhook(
      waPayloads.text(PNID, { text: 'this', contextId: 'wamid.prev' }),
      NOW,
    );
    expect(parsed.messages[0]!.message.replyTo).toEqual({ messageId: 'wamid.prev' });
    expect(
      parseWhatsAppWebhook({ entry: [{ changes: [{ field: 'account_update', value: {} }] }] }, NOW).messages,
    ).toEqual([]);
  });
});

describe('verifyWhatsAppSignature', () => {
  const raw = new TextEncoder().encode('{"object":"whatsapp_business_account"}');
  const sign = (secret: string) => `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
  it('accepts the right HMAC (either hex case) and refuses everything else', async () => {
    await expect(verifyWhatsAppSignature(raw, sign('s3'), 's3')).resolves.toBeUndefined();
    await expect(
      verifyWhatsAppSignature(raw, sign('s3').toUpperCase().replace('SHA256', 'sha256'), 's3'),
    ).resolves.toBeUndefined();
    await expect(verifyWhatsAppSignature(raw, sign('other'), 's3')).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    await expect(verifyWhatsAppSignature(raw, null, 's3')).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(verifyWhatsAppSignature(raw, 'sha1=abc', 's3')).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    await expect(verifyWhatsAppSignature(raw, sign(''), undefined)).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
  });
});

describe('toWhatsAppText', () => {
  it('turns Markdown into WhatsApp markup without growing, leaving code blocks alone', () => {
    const input =
      '# Title\n**bold** and __it__ and ~~gone~~, see [docs](https://example.com)\n```\n**raw**\n```';
    const output = toWhatsAppText(input);
    expect(output).toBe(
      '*Title*\n*bold* and _it_ and ~gone~, see docs (https://example.com)\n```\n**raw**\n```',
    );
    expect(output.length).toBeLessThanOrEqual(input.length);
  });
});
