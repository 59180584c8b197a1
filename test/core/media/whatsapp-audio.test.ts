import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeTranscription, fakeAudio, startFakeTranscription } from '../../fakes/transcription-server';
import { type FakeGraph, signWhatsApp, startFakeGraph, waPayloads } from '../../fakes/whatsapp-graph';
import { createScriptedRouter } from '../../helpers/scripted-router';
import { whatsappSetup } from '../../helpers/whatsapp-context';

let graph: FakeGraph;
let stt: FakeTranscription;
beforeAll(async () => {
  [graph, stt] = await Promise.all([startFakeGraph(), startFakeTranscription()]);
});
afterAll(() => Promise.all([graph.close(), stt.close()]));

/** A WhatsApp Cloud audio message through the real webhook handler, Graph client and transcriber. */
async function deliver(mediaId: string, media: Record<string, unknown> = {}) {
  const router = createScriptedRouter();
  const { ctx, app } = whatsappSetup(graph, {
    verifyToken: 'verify-token-for-tests-42',
    env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: stt.baseUrl },
    models: router,
    config: { media },
  });
  const raw = JSON.stringify(
    waPayloads.wrap(graph.phoneNumberId, {
      contacts: [{ profile: { name: 'Ada' }, wa_id: '15557770101' }],
      messages: [
        {
          from: '15557770101',
          id: `wamid.voice${mediaId}`,
          timestamp: '1767225600',
          type: 'audio',
          audio: { id: mediaId, mime_type: 'audio/ogg; codecs=opus', voice: true },
        },
      ],
    }),
  );
  const res = await app.request('/whatsapp/webhook', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-hub-signature-256': signWhatsApp(raw, graph.appSecret),
    },
    body: raw,
  });
  expect(res.status).toBe(200);
  await ctx.settle();
  return { router, sent: graph.sent('15557770101') };
}

describe('WhatsApp Cloud voice notes', () => {
  it('are downloaded through the Graph API and transcribed before the turn', async () => {
    graph.addMedia('voice-wa-1', fakeAudio('book a table for two'), 'audio/ogg');
    const { router } = await deliver('voice-wa-1');
    expect(JSON.stringify(router.requests.at(-1)!.messages.at(-1)!.content)).toContain(
      '[voice note, transcribed]: book a table for two',
    );
    expect(stt.requests.at(-1)).toMatchObject({ fileName: 'voice.ogg', authorization: 'Bearer sk-test' });
  });

  it('over maxBytes (size known only from the Graph API): a clear reply, no model turn', async () => {
    graph.addMedia('voice-wa-2', new Uint8Array(5000), 'audio/ogg');
    const before = stt.requests.length;
    const { router, sent } = await deliver('voice-wa-2', { transcription: { maxBytes: 1000 } });
    expect(router.requests).toHaveLength(0);
    expect(stt.requests.length).toBe(before);
    expect(sent.at(-1)?.body).toBe(
      'Your voice note is too large for me to transcribe (4.9 KB; the limit is 1000 B).',
    );
  });
});
