import * as z from '../../zod';
import { lazySchema } from '../../zod-lazy';

const MB = 1024 * 1024;

/** `media`: voice notes and audio turned into text before the turn, and images for vision models. */
export const mediaSection = lazySchema(() =>
  z.strictObject({
    transcription: z
      .strictObject({
        /** `false` turns transcription off: audio is only described to the model, as before. */
        enabled: z.boolean().optional(),
        /**
         * `openai` (the default), or the id of an `openai-chat` provider from `models.providers` or the
         * presets (`groq`) that serves `POST <baseUrl>/audio/transcriptions`.
         */
        provider: z
          .string()
          .regex(/^[a-z0-9][a-z0-9-]*$/i, 'expected a provider id, e.g. "openai" or "groq"')
          .optional(),
        /** `gpt-4o-mini-transcribe` for openai (`whisper-1` also works), `whisper-large-v3-turbo` for groq. */
        model: z.string().min(1).optional(),
        /** The spoken language as ISO-639-1 (`en`, `de`): optional, helps short notes. */
        language: z
          .string()
          .regex(/^[a-z]{2}$/, 'expected an ISO-639-1 code such as "en"')
          .optional(),
        /** Larger audio is not downloaded nor sent (default 20 MB; OpenAI takes at most 25 MB). */
        maxBytes: z
          .number()
          .int()
          .positive()
          .max(25 * MB)
          .optional(),
        /** Longer audio (when the platform says how long) is not transcribed (default 600 s). */
        maxSeconds: z.number().int().positive().max(7200).optional(),
      })
      .optional(),
    images: z
      .strictObject({
        /** Larger images are described instead of passed (default 5 MB, Anthropic's limit per image). */
        maxBytes: z
          .number()
          .int()
          .positive()
          .max(20 * MB)
          .optional(),
        /**
         * Overrides whether a model takes images, by ref (`"ollama/llava": true`); the built-in guess
         * covers Claude, GPT-4o/4.1/5, o-series, Gemini and common open vision models.
         */
        vision: z
          .record(z.string().regex(/^[^/\s]+\/\S+$/, 'expected "provider/model"'), z.boolean())
          .optional(),
      })
      .optional(),
  }),
);

export type MediaConfig = z.infer<typeof mediaSection>;
