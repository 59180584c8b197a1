import type { KrabConfig } from '../config/schema';
import type { EnvRecord } from '../env';
import { GatewayError } from '../errors';
import { keyFingerprint, resolveCredentials } from '../providers/credentials';
import { providerTable } from '../providers/table';

/** Turns texts into vectors (one per text, in order). `id` names the model, so stored vectors can be checked. */
export interface Embedder {
  id: string;
  embed(texts: string[]): Promise<number[][]>;
}

/** Texts sent in one request (providers cap the batch; OpenAI at 2048, Gemini at 100). */
const BATCH = 64;
const TIMEOUT_MS = 30_000;

const DEFAULTS: Record<string, { model: string; baseUrl?: string }> = {
  openai: { model: 'text-embedding-3-small' },
  google: { model: 'gemini-embedding-001' },
  ollama: { model: 'nomic-embed-text' },
};

/**
 * The embedder `memory.embeddings` asks for, or undefined when it is not set. Every provider is
 * reached through the OpenAI-compatible `POST <baseUrl>/embeddings` (OpenAI, Gemini's compatible
 * endpoint, Ollama's `/v1`, any `openai-chat` provider in `models.providers`); keys, base URL and
 * headers resolve as for chat (`<PROVIDER>_API_KEY`, `<PROVIDER>_BASE_URL`, `models.providers.<id>`).
 */
export function createEmbedder(config: KrabConfig, env: EnvRecord): Embedder | undefined {
  const settings = config.memory?.embeddings;
  if (!settings) return undefined;
  const id = settings.provider.toLowerCase();
  const defaults = DEFAULTS[id];
  const model = settings.model ?? defaults?.model ?? '';
  return {
    id: `${id}/${model}`,
    async embed(texts) {
      if (!model)
        throw new GatewayError('INVALID_CONFIG', `memory.embeddings.model: required for provider ${id}`);
      const def = providerTable(config)[id];
      if (!def)
        throw new GatewayError('INVALID_CONFIG', `memory.embeddings.provider: unknown provider ${id}`);
      const [credential] = await resolveCredentials(def, config, env, keyFingerprint);
      if (!credential) throw new GatewayError('UNAVAILABLE', `no API key for ${id}`);
      const baseUrl = settings.baseUrl ?? credential.baseUrl;
      const headers = {
        ...def.headers,
        ...(credential.apiKey ? { authorization: `Bearer ${credential.apiKey}` } : {}),
      };
      const vectors: number[][] = [];
      for (let i = 0; i < texts.length; i += BATCH)
        vectors.push(...(await post(baseUrl, headers, model, texts.slice(i, i + BATCH))));
      return vectors;
    },
  };
}

async function post(baseUrl: string, headers: Record<string, string>, model: string, input: string[]) {
  const response = await fetch(`${baseUrl.replace(/\/+$/, '')}/embeddings`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ model, input }),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (!response.ok) {
    await response.body?.cancel();
    throw new GatewayError('PROVIDER_ERROR', `embeddings request answered HTTP ${response.status}`, {
      retryable: response.status === 429 || response.status >= 500,
    });
  }
  const body = (await response.json()) as { data?: Array<{ embedding?: unknown; index?: number }> };
  const data = [...(body.data ?? [])].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  if (data.length !== input.length || !data.every((item) => Array.isArray(item.embedding)))
    throw new GatewayError('PROVIDER_ERROR', 'embeddings response did not hold one vector per input');
  return data.map((item) => item.embedding as number[]);
}
