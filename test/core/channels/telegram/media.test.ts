import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { telegramApi } from '../../../../src/core/channels/telegram/api';
import { fetchTelegramFiles, MAX_INLINE_FILE_BYTES } from '../../../../src/core/channels/telegram/media';
import { parseTelegramUpdate } from '../../../../src/core/channels/telegram/normalize';
import { type FakeBotApi, startFakeBotApi } from '../../../fakes/telegram-bot-api';

let fake: FakeBotApi;
beforeAll(async () => {
  fake = await startFakeBotApi();
});
afterAll(() => fake.close());

const photoUpdate = () =>
  JSON.parse(readFileSync(new URL('../../../fixtures/telegram/photo-caption.json', import.meta.url), 'utf8'));
const BOT = { id: 123456, username: 'krab_test_bot' };

describe('fetchTelegramFiles', () => {
  it('fetches the photo via getFile and inlines it', async () => {
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
    fake.addFile('AgAD-large', bytes, 'photos/file_7.jpg');
    const parsed = parseTelegramUpdate(photoUpdate(), BOT, 0)!;
    const api = await telegramApi(fake.token, fake.origin);
    await fetchTelegramFiles(parsed, { api, token: fake.token, apiRoot: fake.origin });
    expect(fake.callsOf('getFile').at(-1)?.params.file_id).toBe('AgAD-large');
    const [attachment] = parsed.message.attachments!;
    expect(Buffer.from(attachment!.dataBase64!, 'base64')).toEqual(Buffer.from(bytes));
    expect(attachment?.description).toBeUndefined();
  });

  it('describes a file too large to inline, without downloading it', async () => {
    const update = photoUpdate();
    update.message.photo[1].file_size = MAX_INLINE_FILE_BYTES + 1;
    const parsed = parseTelegramUpdate(update, BOT, 0)!;
    const before = fake.callsOf('getFile').length;
    const api = await telegramApi(fake.token, fake.origin);
    await fetchTelegramFiles(parsed, { api, token: fake.token, apiRoot: fake.origin });
    expect(fake.callsOf('getFile').length).toBe(before);
    expect(parsed.message.attachments?.[0]?.dataBase64).toBeUndefined();
    expect(parsed.message.attachments?.[0]?.description).toMatch(/larger than 5\.0 MB/);
  });

  it('describes a file Telegram will not serve, and keeps the message', async () => {
    const update = photoUpdate();
    update.message.photo[1].file_id = 'unknown-file';
    const parsed = parseTelegramUpdate(update, BOT, 0)!;
    const api = await telegramApi(fake.token, fake.origin);
    await fetchTelegramFiles(parsed, { api, token: fake.token, apiRoot: fake.origin });
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
      );
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(parsed.message.attachments?.[0]?.dataBase64).toBeUndefined();
      expect(parsed.message.attachments?.[0]?.description).toMatch(/could not be fetched/);
    } finally {
      fake.behaviour.hangDownloads = false;
    }
  });
});
