import { createOpenAICompatible } from './openai-compatible';
import { geminiReasons } from './reasoning';

/**
 * Gemini through the `openai` SDK at Google's OpenAI-compatible endpoint
 * (https://ai.google.dev/gemini-api/docs/openai). `GEMINI_API_KEY` is accepted as an alias.
 */
export const googleProvider = createOpenAICompatible({
  id: 'google',
  keyEnv: ['GOOGLE_API_KEY', 'GEMINI_API_KEY'],
  keysEnv: ['GOOGLE_API_KEYS', 'GEMINI_API_KEYS'],
  baseUrlEnv: 'GOOGLE_BASE_URL',
  defaultBaseUrl: 'https://generativelanguage.googleapis.com/v1beta/openai/',
  reasons: geminiReasons,
  maxTokensField: 'max_tokens',
});
