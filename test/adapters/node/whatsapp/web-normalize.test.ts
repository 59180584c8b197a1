import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  jidUser,
  parseWebMessage,
  type WebMessage,
} from '../../../../src/adapters/node/whatsapp/web-normalize';
import { admitWhatsAppGroup, whatsappPolicy } from '../../../../src/core/channels/whatsapp/adapter';
import { parseConfigValue } from '../../../../src/core/config/parse';
import { createPairingStore } from '../../../../src/core/pairing/pairing-store';
import { applyPolicy } from '../../../../src/core/pipeline/policy';
import { createMemoryStore } from '../../../helpers/context';

/** WhatsApp Web messages as Baileys 7 emits them on `messages.upsert` (recorded shapes, numbers changed). */
const fixture = (name: string) =>
  JSON.parse(
    readFileSync(new URL(`../../../fixtures/whatsapp-web/${name}.json`, import.meta.url), 'utf8'),
  ) as WebMessage;
const ME = { id: '15550100999:7@s.whatsapp.net', lid: '99988877766655:7@lid' };
const NOW = 1_767_225_900_000;

describe('WhatsApp Web message mapping (recorded payloads)', () => {
  it('a direct text message', () => {
    const parsed = parseWebMessage(fixture('dm-text'), ME, NOW);
    expect(parsed?.message).toEqual({
      channel: 'whatsapp',
      accountId: '15550100999',
      messageId: '3EB0C7F2A1B4D5E6F708',
      chat: { id: '15551234567@s.whatsapp.net', kind: 'dm' },
      sender: { id: '15551234567', username: '+15551234567', name: 'Ada' },
      text: 'hello from my phone',
      mentioned: true,
      receivedAt: NOW,
    });
  });

  it('a chat addressed by LID: the sender is the phone number beside it; the reply keeps the LID chat; quoted text kept', () => {
    const parsed = parseWebMessage(fixture('dm-lid-reply'), ME, NOW)!;
    expect(parsed.message.chat.id).toBe('204738917452806@lid');
    expect(parsed.message.sender).toMatchObject({ id: '15551234567', username: '+15551234567' });
    expect(parsed.message.replyTo).toEqual({ messageId: '3EB0FFEEDDCCBBAA9988', text: 'the crab answered' });
  });

  it('groups: mentioned by jid, not mentioned otherwise, sender from participantAlt', () => {
    const mention = parseWebMessage(fixture('group-mention'), ME, NOW)!;
    expect(mention.message.chat).toEqual({ id: '120363041234567890@g.us', kind: 'group' });
    expect(mention.message.mentioned).toBe(true);
    expect(mention.message.sender.id).toBe('15557654321');
    const plain = parseWebMessage(fixture('group-plain'), ME, NOW)!;
    expect(plain.message.mentioned).toBe(false);
    expect(plain.message.sender).toMatchObject({ id: '15557654321', username: '+15557654321' });
  });

  it('an image inside an ephemeral wrapper: caption as text, image flagged for download', () => {
    const parsed = parseWebMessage(fixture('image-ephemeral'), ME, NOW)!;
    expect(parsed.image).toBe(true);
    expect(parsed.message.text).toBe('look at this crab');
    expect(parsed.message.attachments).toEqual([{ kind: 'image', mimeType: 'image/jpeg', size: 48213 }]);
  });

  it('own messages, status broadcasts, reactions, protocol messages and empty ones are not answered', () => {
    const all = JSON.parse(
      readFileSync(new URL('../../../fixtures/whatsapp-web/ignored.json', import.meta.url), 'utf8'),
    ) as WebMessage[];
    expect(all.map((m) => parseWebMessage(m, ME, NOW))).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('jidUser strips device and server', () => {
    expect(jidUser('15550100999:7@s.whatsapp.net')).toBe('15550100999');
    expect(jidUser('120363041234567890@g.us')).toBe('120363041234567890');
  });
});

describe('WhatsApp policies on mapped messages', () => {
  const config = (whatsapp: Record<string, unknown>) => {
    const parsed = parseConfigValue(
      { gateway: { mode: 'local' }, channels: { whatsapp: { enabled: true, mode: 'web', ...whatsapp } } },
      {},
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    return parsed.value.config;
  };
  const adapter = {
    id: 'whatsapp',
    textLimit: 4096,
    policy: whatsappPolicy,
    admitGroup: admitWhatsAppGroup,
    send: async () => {},
  };
  const decide = (name: string, whatsapp: Record<string, unknown>) =>
    applyPolicy(
      parseWebMessage(fixture(name), ME, NOW)!.message,
      adapter,
      config(whatsapp),
      createPairingStore(createMemoryStore(), () => NOW),
    );

  it('DMs: pairing by default, allowFrom by +number, disabled drops', async () => {
    expect((await decide('dm-text', {})).action).toBe('pair');
    expect((await decide('dm-text', { allowFrom: ['+15551234567'] })).action).toBe('allow');
    expect((await decide('dm-lid-reply', { dmPolicy: 'allowlist', allowFrom: ['15551234567'] })).action).toBe(
      'allow',
    );
    expect((await decide('dm-text', { dmPolicy: 'allowlist', allowFrom: ['+15550000000'] })).action).toBe(
      'drop',
    );
    expect((await decide('dm-text', { dmPolicy: 'disabled' })).action).toBe('drop');
  });

  it('groups: allowlist by group jid, mention required by default, open/disabled', async () => {
    const groups = { '120363041234567890@g.us': { allow: true } };
    expect((await decide('group-mention', {})).action).toBe('drop');
    expect((await decide('group-mention', { groups })).action).toBe('allow');
    expect((await decide('group-plain', { groups })).action).toBe('drop');
    expect(
      (await decide('group-plain', { groups: { '*': { allow: true, requireMention: false } } })).action,
    ).toBe('allow');
    expect((await decide('group-mention', { groupPolicy: 'open' })).action).toBe('allow');
    expect((await decide('group-mention', { groupPolicy: 'disabled', groups })).action).toBe('drop');
  });
});
