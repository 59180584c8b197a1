// Cases the WhatsApp webhook fuzz (test/fuzz/webhook-whatsapp.test.ts) found: a signed body with
// a field of another type (contacts as a string) threw a TypeError, i.e. HTTP 500 that Meta
// redelivers. toWhatsAppWebhookBody now refuses it with a 400 naming the field.
import { describe, expect, it } from 'vitest';
import { toWhatsAppWebhookBody } from '../../../../src/core/channels/whatsapp/inbound';
import { isGatewayError } from '../../../../src/core/errors';
import { waPayloads } from '../../../fakes/whatsapp-graph';

const ID = '106540352242922';
type Body = ReturnType<typeof waPayloads.text>;
const value = (body: Body) => body.entry[0]!.changes[0]!.value as Record<string, unknown>;

describe('WhatsApp webhook shape', () => {
  it('accepts what Meta sends (texts, images, reactions, statuses)', () => {
    for (const body of [
      waPayloads.text(ID, { text: 'hi', contextId: 'wamid.x' }),
      waPayloads.image(ID, { mediaId: 'm1', caption: 'look' }),
      waPayloads.reaction(ID, { messageId: 'wamid.x', emoji: '👍' }),
      waPayloads.status(ID, { id: 'wamid.x', status: 'failed', errorCode: 131047 }),
    ]) {
      expect(toWhatsAppWebhookBody(body)).toBe(body);
    }
  });

  it.each<[string, (body: Body) => void]>([
    ['contacts as a string', (b) => (value(b).contacts = '')],
    ['messages as an object', (b) => (value(b).messages = { id: 'x' })],
    [
      'text.body as a number',
      (b) => ((value(b).messages as Array<Record<string, unknown>>)[0]!.text = { body: 5 }),
    ],
    ['from as an array', (b) => ((value(b).messages as Array<Record<string, unknown>>)[0]!.from = ['1'])],
    ['changes not an array', (b) => ((b.entry[0] as Record<string, unknown>).changes = 'x')],
  ])('%s is a BAD_REQUEST', (_name, breakIt) => {
    const body = waPayloads.text(ID, { text: 'hi' });
    breakIt(body);
    let caught: unknown;
    try {
      toWhatsAppWebhookBody(body);
    } catch (error) {
      caught = error;
    }
    expect(isGatewayError(caught, 'BAD_REQUEST')).toBe(true);
    expect((caught as Error).message).toMatch(/^malformed WhatsApp webhook: entry\[0\]\.changes/);
  });
});
