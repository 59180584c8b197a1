import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigValue } from '../../../src/core/config/parse';
import { takesImages, withoutImages } from '../../../src/core/providers/vision';
import { type Harness, run, startHarness } from './router-harness';

const PNG = 'iVBORw0KGgoAAAANSUhEUg==';
const config = (vision?: Record<string, boolean>) => {
  const parsed = parseConfigValue(
    { gateway: { mode: 'local' }, ...(vision ? { media: { images: { vision } } } : {}) },
    {},
  );
  if (!parsed.ok) throw new Error('bad config');
  return parsed.value.config;
};

describe('which models take images', () => {
  it.each([
    ['anthropic', 'claude-opus-4-5', true],
    ['openai', 'gpt-4o-mini', true],
    ['openai', 'gpt-5', true],
    ['openai', 'o3-mini', false],
    ['openai', 'o4-mini', true],
    ['openai', 'gpt-3.5-turbo', false],
    ['google', 'gemini-2.5-flash', true],
    ['ollama', 'llava:13b', true],
    ['ollama', 'qwen2.5vl:7b', true],
    ['ollama', 'llama3.1:8b', false],
    ['deepseek', 'deepseek-chat', false],
  ])('%s/%s: %s', (provider, model, expected) => {
    expect(takesImages(config(), provider, model)).toBe(expected);
  });

  it('media.images.vision overrides the guess by ref', () => {
    const overridden = config({ 'ollama/llama3.1:8b': true, 'openai/gpt-4o': false });
    expect(takesImages(overridden, 'ollama', 'llama3.1:8b')).toBe(true);
    expect(takesImages(overridden, 'openai', 'gpt-4o')).toBe(false);
  });

  it('a ref that is not provider/model is a config error by path', () => {
    const parsed = parseConfigValue({ media: { images: { vision: { llava: true } } } }, {});
    expect(parsed.ok).toBe(false);
    expect(JSON.stringify(parsed)).toContain('media.images.vision');
  });

  it('withoutImages leaves text alone and turns each image into one line', () => {
    const out = withoutImages([
      { role: 'user', content: 'plain' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'look' },
          { type: 'image', mimeType: 'image/png', dataBase64: PNG },
        ],
      },
    ]);
    expect(out).toEqual([
      { role: 'user', content: 'plain' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'look' },
          {
            type: 'text',
            text: '[image (image/png, 16 B); this model cannot see images, so it is not shown]',
          },
        ],
      },
    ]);
  });
});

describe('the router sends images only to models that see them', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({
      config: {
        gateway: { mode: 'local' },
        media: { images: { vision: { 'openai/gpt-text-only': false } } },
      },
    });
  });
  afterAll(() => harness.close());

  const withImage = {
    messages: [
      {
        role: 'user' as const,
        content: [
          { type: 'text' as const, text: 'what is this?' },
          { type: 'image' as const, mimeType: 'image/png', dataBase64: PNG },
        ],
      },
    ],
  };

  it('a vision model gets the image; a model without vision a description, not an error', async () => {
    const seen = await run(harness.ctx, ['openai/gpt-4o'], withImage);
    expect(seen.error).toBeUndefined();
    expect(JSON.stringify(harness.openai.requests.at(-1)!.body.messages)).toContain(
      `data:image/png;base64,${PNG}`,
    );

    const blind = await run(harness.ctx, ['openai/gpt-text-only'], withImage);
    expect(blind.error).toBeUndefined();
    const sent = JSON.stringify(harness.openai.requests.at(-1)!.body.messages);
    expect(sent).not.toContain(PNG);
    expect(sent).toContain('this model cannot see images');
  });
});
