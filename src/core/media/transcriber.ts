import type OpenAI from 'openai';
import type { KrabConfig } from '../config/schema';
import type { EnvRecord } from '../env';
import { GatewayError } from '../errors';
import { keyFingerprint, resolveCredentials } from '../providers/credentials';
import { lazyClients, SDK_CLIENT_OPTIONS } from '../providers/sdk-clients';
import { providerTable } from '../providers/table';
import { mediaSettings } from './settings';

export interface AudioInput {
  bytes: Uint8Array;
  mimeType?: string;
  /** The file name sent (its extension tells the API the format). */
  name: string;
}

/** Speech to text. `id` is `provider/model`, for logs. */
export interface Transcriber {
  id: string;
  transcribe(audio: AudioInput, signal?: AbortSignal): Promise<string>;
}

/** A transcription that takes longer than this is given up (the turn goes on with a description). */
const TIMEOUT_MS = 120_000;

// The SDK is imported on the first voice note only (startup time is measured).
const clients = lazyClients(async (apiKey, baseUrl): Promise<OpenAI> => {
  const { default: OpenAIClient } = await import('openai');
  return new OpenAIClient({
    apiKey: apiKey || 'none',
    baseURL: baseUrl,
    ...SDK_CLIENT_OPTIONS,
    timeout: TIMEOUT_MS,
    ...(apiKey ? {} : { defaultHeaders: { authorization: null } }),
  });
});

/**
 * The transcriber `media.transcription` names, or undefined when it is off. Every provider is
 * reached through the OpenAI SDK's `audio.transcriptions.create` (`POST <baseUrl>/audio/transcriptions`):
 * OpenAI itself, or an `openai-chat` provider (Groq's Whisper). Keys and base URL resolve as for
 * chat (`OPENAI_API_KEY`, `OPENAI_BASE_URL`, `GROQ_API_KEY`, `models.providers.<id>`, stored secrets).
 */
export function createTranscriber(
  config: KrabConfig,
  env: EnvRecord,
  stored?: (name: string) => Promise<string | undefined>,
): Transcriber | undefined {
  const settings = mediaSettings(config).transcription;
  if (!settings.enabled) return undefined;
  const { provider, model } = settings;
  return {
    id: `${provider}/${model || '?'}`,
    async transcribe(audio, signal) {
      if (!model)
        throw new GatewayError(
          'INVALID_CONFIG',
          `media.transcription.model: required for provider ${provider}`,
        );
      const def = providerTable(config)[provider];
      const api = config.models?.providers?.[provider]?.api;
      if (!def || api === 'anthropic')
        throw new GatewayError(
          'INVALID_CONFIG',
          `media.transcription.provider: ${provider} is not an OpenAI-compatible provider`,
        );
      const [credential] = await resolveCredentials(def, config, env, keyFingerprint, stored);
      if (!credential)
        throw new GatewayError('UNAVAILABLE', `no API key for ${provider}: set ${def.keyEnv[0]}`);
      const client = await clients.get(credential.apiKey, credential.baseUrl);
      const { toFile } = await import('openai');
      const file = await toFile(audio.bytes, audio.name, audio.mimeType ? { type: audio.mimeType } : {});
      const result = await client.audio.transcriptions.create(
        { file, model, ...(settings.language ? { language: settings.language } : {}) },
        signal ? { signal } : {},
      );
      return result.text.trim();
    },
  };
}
