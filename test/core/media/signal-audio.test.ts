import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptSignalEvent } from '../../../src/core/channels/signal/inbound';
import { type FakeSignalDaemon, signalMessage, startFakeSignalDaemon } from '../../fakes/signal-daemon.mjs';
import { type FakeTranscription, fakeAudio, startFakeTranscription } from '../../fakes/transcription-server';
import { createTestContext } from '../../helpers/context';
import { createScriptedRouter } from '../../helpers/scripted-router';
import { createTestChannel } from '../../helpers/test-channel';

let daemon: FakeSignalDaemon;
let stt: FakeTranscription;
beforeAll(async () => {
  [daemon, stt] = await Promise.all([startFakeSignalDaemon(), startFakeTranscription()]);
});
afterAll(() => Promise.all([daemon.close(), stt.close()]));

describe('Signal attachments through getAttachment (fake signal-cli daemon)', () => {
  it('a voice note is fetched and transcribed; an image reaches the model inline', async () => {
    const models = createScriptedRouter();
    const ctx = createTestContext({
      config: { agents: { defaults: { model: 'test/model' } } },
      env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: stt.baseUrl },
      models,
    });
    // The pipeline answers through a registered channel named signal; the test one records the sends.
    ctx.channels.register(createTestChannel({ id: 'signal' }));
    const voice = fakeAudio('see you at noon', 'mp3');
    daemon.addAttachment('att-voice', Buffer.from(voice).toString('base64'));
    daemon.addAttachment('att-img', Buffer.from([0x89, 0x50, 0x4e, 0x47, 1]).toString('base64'));
    const event = signalMessage({
      text: '',
      account: daemon.account,
      attachments: [
        { id: 'att-voice', contentType: 'audio/mpeg', size: voice.length },
        { id: 'att-img', contentType: 'image/png', filename: 'pic.png', size: 5 },
      ],
    });
    const result = await acceptSignalEvent(ctx, event as never, {
      baseUrl: daemon.origin,
      account: daemon.account,
    });
    expect(result).toBe('accepted');
    await ctx.settle();
    const content = models.requests.at(-1)!.messages.at(-1)!.content;
    expect(JSON.stringify(content)).toContain('[voice note, transcribed]: see you at noon');
    expect(content).toContainEqual({ type: 'image', mimeType: 'image/png', dataBase64: 'iVBORwE=' });
    expect(
      daemon.calls
        .filter((c) => c.method === 'getAttachment')
        .map((c) => c.params.id)
        .sort(),
    ).toEqual(['att-img', 'att-voice']);
  });
});
