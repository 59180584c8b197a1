import { base64ByteLength } from '../base64';
import type { KrabConfig } from '../config/schema';
import { formatBytes } from '../media/format';
import type { ChatMessage, ContentPart, ImagePart } from './types';

/**
 * Model names that take images, across providers: Claude, GPT-4o/4.1/5 and the o-series (not the
 * text-only minis), Gemini and Gemma 3, and the common open vision models (LLaVA, Pixtral, Qwen-VL,
 * Llama 4, MiniCPM-V, Moondream, Grok vision). A guess by name: `media.images.vision` corrects it.
 */
const VISION_MODELS =
  /claude|gpt-4o|gpt-4\.1|gpt-4-turbo|gpt-4-vision|gpt-5|^o1(?!-mini)|^o3(?!-mini)|^o4|gemini|gemma-?3|llava|pixtral|vision|[-_.]vl\b|qwen.*vl|llama-?4|minicpm-v|moondream|grok-4/i;

/** Whether `provider/model` is sent images (else each image becomes a one-line description). */
export function takesImages(config: KrabConfig, provider: string, model: string): boolean {
  const override = config.media?.images?.vision?.[`${provider}/${model}`];
  return override ?? VISION_MODELS.test(model);
}

/**
 * The messages with every image replaced by one line of text, for a model without vision: it
 * learns an image was sent (and can say so) instead of the request failing.
 */
export function withoutImages(messages: ChatMessage[]): ChatMessage[] {
  return messages.map((message) => {
    if (message.role === 'tool' && message.images?.length) {
      const { images, ...rest } = message;
      return { ...rest, content: [message.content, ...images.map(describeImage)].join('\n') };
    }
    if (message.role !== 'user' || typeof message.content === 'string') return message;
    if (!message.content.some((part) => part.type === 'image')) return message;
    return {
      ...message,
      content: message.content.map(
        (part): ContentPart => (part.type === 'image' ? { type: 'text', text: describeImage(part) } : part),
      ),
    };
  });
}

function describeImage(part: ImagePart): string {
  const size = base64ByteLength(part.dataBase64);
  return `[image (${part.mimeType}, ${formatBytes(size)}); this model cannot see images, so it is not shown]`;
}
