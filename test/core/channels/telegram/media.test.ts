import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { telegramApi } from '../../../../src/core/channels/telegram/api';
import { fetchTelegramFiles } from '../../../../src/core/channels/telegram/media';
import { parseTelegramUpdate } from '../../../../src/core/channels/telegram/normalize';
import { DEFAULT_IMAGE_BYTES } from '../../../../src/core/media/settings';
import { type FakeBotApi, startFakeBotApi, updates } from '../../../fakes/telegram-bot-api';

let fake: FakeBotApi;
beforeAll(async () => {
  fake = await startFakeBotApi();
});
afterAll(() => fake.close());

const photoUpdate = () =>
  JSON.parse(readFileSync(new URL('../../../fixtures/telegram/photo-caption.json', import.meta.url), 'utf8'));
const BOT = { id: 123456, username: 'krab_test_bot' };
/** What the gateway passes when `media` is not configured: images up to the default, no audio. */
const CAPS = { imageBytes: DEFAULT_IMAGE_BYTES };

describe('fetchTelegramFiles', () => {
  it('fetches the photo via getFile and inlines it', async () => {
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
    fake.addFile('AgAD-large', bytes, 'photos/file_7.jpg');
    const parsed = parseTelegramUpdate(photoUpdate(), BOT, 0)!;
    const api = await telegramApi(fake.token, fake.origin);
    await fetchTelegramFiles(parsed, { api, token: fake.token, apiRoot: fake.origin }, undefined, CAPS);
    expect(fake.callsOf('getFile').at(-1)?.params.file_id).toBe('AgAD-large');
    const [attachment] = parsed.message.attachments!;
    expect(Buffer.from(attachment!.dataBase64!, 'base64')).toEqual(Buffer.from(bytes));
    expect(attachment?.description).toBeUndefined();
  });

  it('describes a file too large to inline, without downloading it', async () => {
    const update = photoUpdate();
    update.message.photo[1].file_size = DEFAULT_IMAGE_BYTES + 1;
    const parsed = parseTelegramUpdate(update, BOT, 0)!;
    const before = fake.callsOf('getFile').length;
    const api = await telegramApi(fake.token, fake.origin);
    await fetchTelegramFiles(parsed, { api, token: fake.token, apiRoot: fake.origin }, undefined, CAPS);
    expect(fake.callsOf('getFile').length).toBe(before);
    expect(parsed.message.attachments?.[0]?.dataBase64).toBeUndefined();
    expect(parsed.message.attachments?.[0]?.description).toMatch(/larger than 5\.0 MB/);
  });

  it('describes a file Telegram will not serve, and keeps the message', async () => {
    const update = photoUpdate();
    update.message.photo[1].file_id = 'unknown-file';
    const parsed = parseTelegramUpdate(update, BOT, 0)!;
    const api = await telegramApi(fake.token, fake.origin);
    await fetchTelegramFiles(parsed, { api, token: fake.token, apiRoot: fake.origin }, undefined, CAPS);
    expect(parsed.message.attachments?.[0]?.description).toMatch(/could not be fetched.*invalid file_id/);
    expect(parsed.message.attachments?.[0]?.description).not.toContain(fake.token);
    expect(parsed.message.text).toBe('what is in this picture?');
  });

  it('gives up on a download that hangs, keeping a description', async () => {
    fake.addFile('AgAD-large', new Uint8Array([1, 2, 3]), 'photos/file_9.jpg');
    fake.behaviour.hangDownloads = true;
    try {
      const parsed = parseTelegramUpdate(photoUpdate(), BOT, 0)!;
      const api = await telegramApi(fake.token, fake.origin);
      const started = Date.now();
      await fetchTelegramFiles(
        parsed,
        { api, token: fake.token, apiRoot: fake.origin },
        AbortSignal.timeout(300),
        CAPS,
      );
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(parsed.message.attachments?.[0]?.dataBase64).toBeUndefined();
      expect(parsed.message.attachments?.[0]?.description).toMatch(/could not be fetched/);
    } finally {
      fake.behaviour.hangDownloads = false;
    }
  });
});

describe('voice notes and audio files', () => {
  const audioCaps = (max: number | undefined) => ({ imageBytes: DEFAULT_IMAGE_BYTES, audio: () => max });

  it('a voice note is fetched for transcription with its length; a forwarded one is not the sender speaking', async () => {
    const bytes = new TextEncoder().encode('OggS hello');
    fake.addFile('voice-1', bytes, 'voice/file_1.oga');
    const parsed = parseTelegramUpdate(
      { update_id: 1, ...updates.privateVoice('voice-1', { duration: 4, fileSize: bytes.length }) } as never,
      BOT,
      0,
    )!;
    expect(parsed.message.attachments).toEqual([
      expect.objectContaining({ kind: 'audio', voice: true, durationSeconds: 4, mimeType: 'audio/ogg' }),
    ]);
    const api = await telegramApi(fake.token, fake.origin);
    await fetchTelegramFiles(
      parsed,
      { api, token: fake.token, apiRoot: fake.origin },
      undefined,
      audioCaps(1000),
    );
    expect(Buffer.from(parsed.message.attachments![0]!.dataBase64!, 'base64').toString()).toBe('OggS hello');

    const forwarded = parseTelegramUpdate(
      { update_id: 2, ...updates.privateVoice('voice-1', { forwarded: true }) } as never,
      BOT,
      0,
    )!;
    expect(forwarded.message.attachments![0]!.voice).toBeUndefined();
    const file = parseTelegramUpdate(
      { update_id: 3, ...updates.privateVoice('voice-1', { audio: true }) } as never,
      BOT,
      0,
    )!;
    expect(file.message.attachments![0]).toMatchObject({ kind: 'audio', name: 'memo.mp3' });
    expect(file.message.attachments![0]!.voice).toBeUndefined();
  });

  it('audio over the cap, or with transcription off, is not downloaded', async () => {
    fake.addFile('voice-2', new Uint8Array(50), 'voice/file_2.oga');
    const api = await telegramApi(fake.token, fake.origin);
    const before = fake.callsOf('getFile').length;
    for (const [fileSize, max] of [
      [200 * 1024 * 1024, 20 * 1024 * 1024],
      [50, undefined],
    ] as const) {
      const parsed = parseTelegramUpdate(
        { update_id: 4, ...updates.privateVoice('voice-2', { fileSize }) } as never,
        BOT,
        0,
      )!;
      await fetchTelegramFiles(
        parsed,
        { api, token: fake.token, apiRoot: fake.origin },
        undefined,
        audioCaps(max),
      );
      expect(parsed.message.attachments![0]!.dataBase64).toBeUndefined();
      expect(parsed.message.attachments![0]!.size).toBe(fileSize);
    }
    expect(fake.callsOf('getFile').length).toBe(before);
  });
});
