import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWebMessage } from '../../../src/adapters/node/whatsapp/web-normalize';
import { toAcceptedMessage } from '../../../src/core/channels/discord/inbound';
import type { DiscordMessage } from '../../../src/core/channels/discord/payloads';
import { parseSignalReceive } from '../../../src/core/channels/signal/normalize';
import { parseWhatsAppWebhook } from '../../../src/core/channels/whatsapp/normalize';
import { parseConfigValue } from '../../../src/core/config/parse';
import type { KrabConfig } from '../../../src/core/config/schema';
import { fakeAudio } from '../../fakes/transcription-server';
import { waPayloads } from '../../fakes/whatsapp-graph';

const config = (media: Record<string, unknown> = {}): KrabConfig => {
  const parsed = parseConfigValue({ gateway: { mode: 'local' }, media }, {});
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.value.config;
};

describe('audio and voice notes in each channel mapping', () => {
  it('WhatsApp Cloud: audio is fetched by media id; voice: true marks a voice note (not when forwarded)', () => {
    const body = waPayloads.wrap('123', {
      messages: [
        {
          from: '1555',
          id: 'wamid.a',
          type: 'audio',
          audio: { id: 'm-voice', mime_type: 'audio/ogg; codecs=opus', voice: true },
        },
        {
          from: '1555',
          id: 'wamid.b',
          type: 'audio',
          audio: { id: 'm-fwd', mime_type: 'audio/ogg', voice: true },
          context: { forwarded: true },
        },
        { from: '1555', id: 'wamid.c', type: 'audio', audio: { id: 'm-file', mime_type: 'audio/mpeg' } },
      ],
    });
    const [voice, forwarded, file] = parseWhatsAppWebhook(body as never, 0).messages;
    expect(voice!.media).toEqual([{ index: 0, mediaId: 'm-voice' }]);
    expect(voice!.message.attachments).toEqual([{ kind: 'audio', mimeType: 'audio/ogg', voice: true }]);
    expect(forwarded!.message.attachments![0]!.voice).toBeUndefined();
    expect(file!.message.attachments).toEqual([{ kind: 'audio', mimeType: 'audio/mpeg' }]);
  });

  it('WhatsApp Web: a push-to-talk audio is a voice note with its length', () => {
    const parsed = parseWebMessage(
      {
        key: { remoteJid: '15551234567@s.whatsapp.net', id: 'ABC', fromMe: false },
        message: {
          audioMessage: { mimetype: 'audio/ogg; codecs=opus', ptt: true, seconds: 7, fileLength: 4000 },
        },
      },
      { id: '15550100999:7@s.whatsapp.net' },
      0,
    )!;
    expect(parsed.message.attachments).toEqual([
      { kind: 'audio', mimeType: 'audio/ogg', size: 4000, durationSeconds: 7, voice: true },
    ]);
    expect(parsed.image).toBe(false);
  });

  it('Signal: audio attachments are fetched; one without a file name is a voice note', () => {
    const parsed = parseSignalReceive(
      {
        envelope: {
          sourceNumber: '+1555',
          timestamp: 1,
          dataMessage: {
            attachments: [
              { id: 'voice-1', contentType: 'audio/aac', size: 900 },
              { id: 'song-1', contentType: 'audio/mpeg', filename: 'song.mp3', size: 9000 },
            ],
          },
        },
      },
      '+1999',
      0,
    );
    if (parsed.kind !== 'message') throw new Error('expected a message');
    expect(parsed.attachments).toEqual([
      { index: 0, id: 'voice-1' },
      { index: 1, id: 'song-1' },
    ]);
    expect(parsed.message.attachments!.map((a) => a.voice)).toEqual([true, undefined]);
  });
});

describe('Discord attachments are downloaded from the CDN (a fake on 127.0.0.1)', () => {
  let cdn: Server;
  let origin = '';
  const served = new Map<string, Uint8Array>();
  const hits: string[] = [];
  beforeAll(async () => {
    cdn = createServer((req, res) => {
      hits.push(req.url ?? '');
      const bytes = served.get(req.url ?? '');
      if (!bytes) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-length': String(bytes.length) }).end(Buffer.from(bytes));
    });
    await new Promise<void>((resolve) => cdn.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(cdn.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => cdn.close(() => resolve())));

  const message = (attachments: DiscordMessage['attachments'], flags?: number): DiscordMessage => ({
    id: '1',
    channel_id: '2',
    author: { id: '3', username: 'alice' },
    content: '',
    type: 0,
    attachments,
    ...(flags ? { flags } : {}),
  });
  const accept = (msg: DiscordMessage, media: Record<string, unknown> = {}) =>
    toAcceptedMessage(msg, {
      botId: '9',
      cache: { resolve: async () => undefined, apply: () => {} } as never,
      rest: {} as never,
      config: config(media),
      now: 0,
      apiBase: `${origin}/api`,
    });

  it('an image and a voice message (flag 8192) are inlined for the model and for transcription', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 9]);
    served.set('/attachments/2/10/cat.png', png);
    served.set('/attachments/2/11/voice-message.ogg', fakeAudio('hi'));
    const inbound = await accept(
      message(
        [
          {
            id: '10',
            filename: 'cat.png',
            content_type: 'image/png',
            size: 5,
            url: `${origin}/attachments/2/10/cat.png`,
          },
          {
            id: '11',
            filename: 'voice-message.ogg',
            content_type: 'audio/ogg',
            size: 6,
            duration_secs: 2.4,
            url: `${origin}/attachments/2/11/voice-message.ogg`,
          },
        ],
        1 << 13,
      ),
    );
    expect(inbound!.attachments![0]).toMatchObject({
      kind: 'image',
      dataBase64: Buffer.from(png).toString('base64'),
    });
    expect(inbound!.attachments![1]).toMatchObject({
      kind: 'audio',
      voice: true,
      durationSeconds: 2,
      dataBase64: Buffer.from(fakeAudio('hi')).toString('base64'),
    });
  });

  it('refuses a URL outside the CDN, skips files over the caps and audio when transcription is off', async () => {
    const before = hits.length;
    const inbound = await accept(
      message([
        {
          id: '20',
          filename: 'a.png',
          content_type: 'image/png',
          size: 5,
          url: 'http://169.254.169.254/a.png',
        },
        {
          id: '21',
          filename: 'big.png',
          content_type: 'image/png',
          size: 6 * 1024 * 1024,
          url: `${origin}/x`,
        },
        { id: '22', filename: 'memo.mp3', content_type: 'audio/mpeg', size: 10, url: `${origin}/y` },
      ]),
      { transcription: { enabled: false } },
    );
    expect(hits.length).toBe(before);
    expect(inbound!.attachments![0]!.description).toMatch(
      /could not be downloaded: not a Discord CDN URL \(169\.254\.169\.254\)/,
    );
    expect(inbound!.attachments!.map((a) => a.dataBase64)).toEqual([undefined, undefined, undefined]);
  });

  it('a download that fails keeps the description and the message', async () => {
    const inbound = await accept(
      message([
        { id: '30', filename: 'gone.png', content_type: 'image/png', size: 5, url: `${origin}/gone.png` },
      ]),
    );
    expect(inbound!.attachments![0]!.description).toMatch(/could not be downloaded: the CDN answered 404/);
  });
});
