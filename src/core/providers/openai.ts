import { createOpenAICompatible } from './openai-compatible';
import { openaiReasons } from './reasoning';

/** OpenAI Chat Completions through the `openai` SDK. `OPENAI_BASE_URL` includes the `/v1`. */
export const openaiProvider = createOpenAICompatible({
  id: 'openai',
  keyEnv: ['OPENAI_API_KEY'],
  keysEnv: ['OPENAI_API_KEYS'],
  baseUrlEnv: 'OPENAI_BASE_URL',
  defaultBaseUrl: 'https://api.openai.com/v1',
  reasons: openaiReasons,
  maxTokensField: 'max_completion_tokens',
});
