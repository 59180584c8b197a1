import type { InboundAttachment } from '../channels/types';
import type { KrabConfig } from '../config/schema';

const MB = 1024 * 1024;

/** `media.images.maxBytes` when not set: larger images are described, not passed (Anthropic takes up to 5 MB an image). */
export const DEFAULT_IMAGE_BYTES = 5 * MB;

/** Each provider's transcription model when `media.transcription.model` is not set. */
export const DEFAULT_TRANSCRIPTION_MODELS: Record<string, string> = {
  openai: 'gpt-4o-mini-transcribe',
  groq: 'whisper-large-v3-turbo',
};

/** What the channels and the pipeline need to know of `media`, defaults applied. */
export interface MediaSettings {
  transcription: {
    enabled: boolean;
    provider: string;
    model: string;
    language?: string;
    maxBytes: number;
    maxSeconds: number;
  };
  images: { maxBytes: number };
}

export function mediaSettings(config: KrabConfig): MediaSettings {
  const t = config.media?.transcription ?? {};
  const provider = (t.provider ?? 'openai').toLowerCase();
  return {
    transcription: {
      enabled: t.enabled !== false,
      provider,
      model: t.model ?? DEFAULT_TRANSCRIPTION_MODELS[provider] ?? '',
      ...(t.language ? { language: t.language } : {}),
      maxBytes: t.maxBytes ?? 20 * MB,
      maxSeconds: t.maxSeconds ?? 600,
    },
    images: { maxBytes: config.media?.images?.maxBytes ?? DEFAULT_IMAGE_BYTES },
  };
}

/** How large a channel's media download may be. */
export interface MediaCaps {
  imageBytes: number;
  /** The cap for this audio, or undefined to leave it undownloaded (transcription off, over a cap). */
  audio?: (attachment: InboundAttachment) => number | undefined;
}

/**
 * Download caps a channel applies: images always; audio only when transcription is on and what
 * the platform said of its size and length is within the caps. Audio over a cap is not downloaded
 * at all; the pipeline tells the sender which cap it passed.
 */
export function mediaCaps(config: KrabConfig): Required<MediaCaps> {
  const { images, transcription } = mediaSettings(config);
  return {
    imageBytes: images.maxBytes,
    audio: (attachment) =>
      attachment.kind === 'audio' &&
      transcription.enabled &&
      (attachment.size ?? 0) <= transcription.maxBytes &&
      (attachment.durationSeconds ?? 0) <= transcription.maxSeconds
        ? transcription.maxBytes
        : undefined,
  };
}

/** The most this attachment may be downloaded as: images for the model, audio for transcription; undefined: not at all. */
export function downloadCap(caps: MediaCaps, attachment: InboundAttachment): number | undefined {
  if (attachment.kind === 'image') return caps.imageBytes;
  return attachment.kind === 'audio' ? caps.audio?.(attachment) : undefined;
}
