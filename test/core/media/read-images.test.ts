import { describe, expect, it } from 'vitest';
import { toAnthropicMessages } from '../../../src/core/providers/anthropic';
import { toOpenAIMessages } from '../../../src/core/providers/openai-compatible';
import type { ChatMessage } from '../../../src/core/providers/types';
import { withoutImages } from '../../../src/core/providers/vision';
import type { WorkspaceFs } from '../../../src/core/workspace/types';
import { createTestContext } from '../../helpers/context';
import { createScriptedRouter } from '../../helpers/scripted-router';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 1, 2, 3, 4]);
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 9, 9]);
const WEBP = new TextEncoder().encode('RIFF\u0004\u0000\u0000\u0000WEBPVP8 data');
const GIF = new TextEncoder().encode('GIF89a\u0001\u0000\u0001\u0000');

/** A workspace of raw bytes (the store workspace holds text only). */
function bytesWorkspace(files: Record<string, Uint8Array>): WorkspaceFs {
  return {
    async read(path, options) {
      const bytes = files[path];
      if (!bytes) throw Object.assign(new Error(`${path} not found`), { code: 'NOT_FOUND' });
      const max = options?.maxBytes ?? bytes.length;
      return { bytes: bytes.slice(0, max), size: bytes.length };
    },
    async write() {},
    async list() {
      return [];
    },
    async stat() {
      return null;
    },
  };
}

function setup(files: Record<string, Uint8Array>, media: Record<string, unknown> = {}) {
  const models = createScriptedRouter();
  const ctx = createTestContext({
    config: { agents: { defaults: { model: 'test/model' } }, media },
    models,
    agentDeps: { workspaceFs: () => bytesWorkspace(files) },
  });
  /** One owner turn whose model reads `path`; the tool message handed back. */
  const read = async (path: string) => {
    models.enqueue(
      { text: '', toolCalls: [{ name: 'read', arguments: JSON.stringify({ path }) }] },
      { text: 'ok' },
    );
    await ctx.agents.runTurn({ message: 'look', trust: 'owner' });
    return models.requests.at(-1)!.messages.at(-1) as Extract<ChatMessage, { role: 'tool' }>;
  };
  return { read };
}

describe('read returns images', () => {
  it.each([
    ['cat.png', PNG, 'image/png'],
    ['photo.jpg', JPEG, 'image/jpeg'],
    ['anim.gif', GIF, 'image/gif'],
    ['sticker.webp', WEBP, 'image/webp'],
    ['no-extension', PNG, 'image/png'],
  ])('%s is handed back as an image (%s, by its bytes)', async (path, bytes, mimeType) => {
    const { read } = setup({ [path]: bytes });
    const message = await read(path);
    expect(message.isError).toBeUndefined();
    expect(message.content).toBe(`[${path}: ${mimeType}, ${bytes.length} B, shown as an image]`);
    expect(message.images).toEqual([
      { type: 'image', mimeType, dataBase64: Buffer.from(bytes).toString('base64') },
    ]);
  });

  it('an image over media.images.maxBytes is described, not sent; text named .png stays text', async () => {
    const { read } = setup(
      {
        'big.png': new Uint8Array([...PNG, ...new Uint8Array(2000)]),
        'fake.png': new TextEncoder().encode('hello'),
      },
      { images: { maxBytes: 1000 } },
    );
    const big = await read('big.png');
    expect(big.content).toBe(
      '[big.png is an image (image/png, 2.0 KB), larger than the 1000 B that can be shown (media.images.maxBytes)]',
    );
    expect(big.images).toBeUndefined();
    const fake = await read('fake.png');
    expect(fake.content).toContain('1\thello');
    expect(fake.images).toBeUndefined();
  });
});

describe('tool images in each provider mapping', () => {
  const image = { type: 'image' as const, mimeType: 'image/png', dataBase64: 'iVBORw0KGgo=' };
  const messages: ChatMessage[] = [
    { role: 'user', content: 'look at both' },
    {
      role: 'assistant',
      content: '',
      toolCalls: [
        { id: 't1', name: 'read', arguments: '{"path":"a.png"}' },
        { id: 't2', name: 'read', arguments: '{"path":"b.md"}' },
      ],
    },
    { role: 'tool', toolCallId: 't1', name: 'read', content: '[a.png: image/png]', images: [image] },
    { role: 'tool', toolCallId: 't2', name: 'read', content: 'text of b' },
  ];

  it('Anthropic: the image goes inside the tool_result block', () => {
    const out = toAnthropicMessages(messages);
    expect(out.at(-1)).toEqual({
      role: 'user',
      content: [
        {
          type: 'tool_result',
          tool_use_id: 't1',
          content: [
            { type: 'text', text: '[a.png: image/png]' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: image.dataBase64 } },
          ],
        },
        { type: 'tool_result', tool_use_id: 't2', content: 'text of b' },
      ],
    });
  });

  it('OpenAI-compatible: tool messages stay text; the images follow in one user message after them', () => {
    const out = toOpenAIMessages(messages, undefined);
    expect(out.slice(-3)).toEqual([
      { role: 'tool', tool_call_id: 't1', content: '[a.png: image/png]' },
      { role: 'tool', tool_call_id: 't2', content: 'text of b' },
      {
        role: 'user',
        content: [
          { type: 'text', text: '[image(s) returned by read]' },
          { type: 'image_url', image_url: { url: `data:image/png;base64,${image.dataBase64}` } },
        ],
      },
    ]);
  });

  it('a model without vision: the tool image becomes one line of its text', () => {
    expect(withoutImages(messages)[2]).toEqual({
      role: 'tool',
      toolCallId: 't1',
      name: 'read',
      content:
        '[a.png: image/png]\n[image (image/png, 8 B); this model cannot see images, so it is not shown]',
    });
  });
});
