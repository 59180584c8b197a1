import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sentTexts, startTelegramWorld, type TelegramWorld } from '../adapters/node/telegram/harness';
import { reply } from '../fakes/anthropic-server';
import { type FakeDiscord, startFakeDiscord } from '../fakes/discord';
import { updates } from '../fakes/telegram-bot-api';
import { type FakeTranscription, fakeAudio, startFakeTranscription } from '../fakes/transcription-server';

const OWNER = 2222;

const DISCORD_DM = '430000000000000077';

let world: TelegramWorld;
let stt: FakeTranscription;
let discord: FakeDiscord;

// One gateway runs Telegram and Discord against their fakes, the fake transcription endpoint and fake Anthropic.
beforeAll(async () => {
  stt = await startFakeTranscription();
  discord = await startFakeDiscord({ extraChannels: [{ id: DISCORD_DM, type: 1 }] });
  world = await startTelegramWorld({
    config: {
      owners: [`telegram:${OWNER}`],
      channels: {
        // Whole replies, not previews edited as they grow: the tests read each reply once.
        telegram: { enabled: true, dmPolicy: 'open', preview: 'off' },
        discord: { enabled: true, dmPolicy: 'open', preview: 'off' },
      },
      media: { transcription: { maxSeconds: 300 } },
    },
    env: {
      OPENAI_API_KEY: 'sk-test-stt-0123456789',
      OPENAI_BASE_URL: stt.baseUrl,
      DISCORD_BOT_TOKEN: discord.token,
      DISCORD_API_BASE: discord.apiBase,
    },
  });
  await world.gateway.waitForLine(/\[discord\] logged in/, 15_000);
}, 60_000);
afterAll(async () => {
  await world?.close();
  await stt?.close();
  await discord?.close();
});

let files = 0;
/** Sends a voice note (bytes served by the fake Bot API) and waits for the reply in the chat. */
async function sendVoice(bytes: Uint8Array, opts: Parameters<typeof updates.privateVoice>[1] = {}) {
  const fileId = `voice-e2e-${++files}`;
  world.bot.addFile(fileId, bytes, `voice/file_${files}.oga`);
  const before = sentTexts(world.bot, OWNER).length;
  world.bot.pushUpdate(updates.privateVoice(fileId, { userId: OWNER, fileSize: bytes.length, ...opts }));
  await world.bot.waitForCall('sendMessage', () => sentTexts(world.bot, OWNER).length > before, 10_000);
  return sentTexts(world.bot, OWNER).at(-1)!;
}

describe('voice notes through the running gateway (fake Telegram, fake transcription, fake Anthropic)', () => {
  it('a voice note is transcribed before the turn and the provider request holds the transcript', async () => {
    world.llm.enqueue(reply.text('Milk is on the list.'));
    expect(await sendVoice(fakeAudio('add milk to my shopping list'), { duration: 4 })).toBe(
      'Milk is on the list.',
    );
    expect(stt.requests.at(-1)).toMatchObject({
      model: 'gpt-4o-mini-transcribe',
      fileName: 'voice.ogg',
      authorization: 'Bearer sk-test-stt-0123456789',
    });
    expect(world.llm.requests.at(-1)!.lastUserText).toContain(
      '[voice note, transcribed, 0:04]: add milk to my shopping list',
    );
  });

  it('over the length cap: a clear reply, nothing downloaded or transcribed, no model call', async () => {
    const [llmBefore, sttBefore, getFileBefore] = [
      world.llm.requests.length,
      stt.requests.length,
      world.bot.callsOf('getFile').length,
    ];
    expect(await sendVoice(fakeAudio('a long speech'), { duration: 750 })).toBe(
      'Your voice note is too long for me to transcribe (12:30; the limit is 5:00).',
    );
    expect(await sendVoice(fakeAudio('huge'), { fileSize: 200 * 1024 * 1024 })).toBe(
      'Your voice note is too large for me to transcribe (200.0 MB; the limit is 20.0 MB).',
    );
    expect([world.llm.requests.length, stt.requests.length, world.bot.callsOf('getFile').length]).toEqual([
      llmBefore,
      sttBefore,
      getFileBefore,
    ]);
  });

  it('0 bytes, an unknown codec, and a transcription 429 or 500 fall back to a description, one log line each', async () => {
    const cases: Array<[Uint8Array, Parameters<typeof updates.privateVoice>[1], number | undefined, RegExp]> =
      [
        [
          new Uint8Array(),
          {},
          undefined,
          /\[media\] the voice note in telegram message \d+ is empty \(0 bytes\)/,
        ],
        [
          fakeAudio('?'),
          { mimeType: 'audio/x-unknown-codec' },
          undefined,
          /\[media\] the voice note .* is in a format transcription does not take \(audio\/x-unknown-codec\)/,
        ],
        [fakeAudio('lost'), {}, 429, /\[media\] transcribing the voice note .* failed \(HTTP 429\)/],
        [fakeAudio('lost'), {}, 500, /\[media\] transcribing the voice note .* failed \(HTTP 500\)/],
      ];
    for (const [bytes, opts, status, line] of cases) {
      stt.failWith(status);
      world.llm.enqueue(reply.text('I could not listen to that.'));
      expect(await sendVoice(bytes, opts)).toBe('I could not listen to that.');
      expect(world.llm.requests.at(-1)!.lastUserText).toMatch(/\[audio attached: .*\(/);
      expect(world.llm.requests.at(-1)!.lastUserText).not.toContain('lost');
      await world.gateway.waitForLine(line);
    }
    stt.failWith(undefined);
    // Still up and transcribing.
    world.llm.enqueue(reply.text('ok'));
    expect(await sendVoice(fakeAudio('still here'))).toBe('ok');
    expect(world.llm.requests.at(-1)!.lastUserText).toContain('still here');
  });
});

describe('read returns images to the model (owner session, fake Anthropic)', () => {
  it("the model's read of a PNG in the workspace comes back as an image inside the tool_result", async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 42]);
    const dir = join(world.stateDir, 'workspace', 'main');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'chart.png'), png);
    world.llm.enqueue(
      reply.tools([{ name: 'read', arguments: { path: 'chart.png' } }]),
      reply.text('A chart.'),
    );
    const before = sentTexts(world.bot, OWNER).length;
    world.bot.pushUpdate(updates.privateText('what is in chart.png?', { userId: OWNER }));
    await world.bot.waitForCall('sendMessage', () => sentTexts(world.bot, OWNER).length > before, 10_000);
    expect(sentTexts(world.bot, OWNER).at(-1)).toBe('A chart.');
    const messages = world.llm.requests.at(-1)!.body.messages as Array<{
      content: Array<Record<string, unknown>>;
    }>;
    expect(messages.at(-1)!.content).toContainEqual({
      type: 'tool_result',
      tool_use_id: expect.any(String),
      content: [
        { type: 'text', text: '[chart.png: image/png, 13 B, shown as an image]' },
        {
          type: 'image',
          source: { type: 'base64', media_type: 'image/png', data: Buffer.from(png).toString('base64') },
        },
      ],
    });
  });
});

describe('Discord attachments through the running gateway (fake Discord CDN)', () => {
  const posted = () => discord.calls('POST', `/channels/${DISCORD_DM}/messages`);
  async function dm(message: Omit<Parameters<FakeDiscord['userMessage']>[0], 'channelId'>) {
    const before = posted().length;
    discord.userMessage({ channelId: DISCORD_DM, ...message });
    await discord.waitFor(() => posted().length > before, 15_000, 'a reply in the DM');
    return String(posted().at(-1)!.body.content);
  }

  it('an image reaches the model as an image', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 7, 7]);
    world.llm.enqueue(reply.text('A tiny PNG.'));
    expect(
      await dm({
        content: 'what is this?',
        attachments: [discord.addAttachment('cat.png', png, 'image/png')],
      }),
    ).toBe('A tiny PNG.');
    const content = (world.llm.requests.at(-1)!.body.messages as Array<{ content: unknown }>).at(-1)!.content;
    expect(content).toContainEqual({
      type: 'image',
      source: { type: 'base64', media_type: 'image/png', data: Buffer.from(png).toString('base64') },
    });
    expect(discord.attachmentHits).toHaveLength(1);
  });

  it('a voice message (flag 8192) is transcribed before the turn', async () => {
    world.llm.enqueue(reply.text('Noted.'));
    const voice = discord.addAttachment('voice-message.ogg', fakeAudio('call mum at six'), 'audio/ogg', {
      duration_secs: 2.2,
    });
    expect(await dm({ content: '', attachments: [voice], flags: 1 << 13 })).toBe('Noted.');
    expect(world.llm.requests.at(-1)!.lastUserText).toContain(
      '[voice note, transcribed, 0:02]: call mum at six',
    );
  });
});
