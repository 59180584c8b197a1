import { anthropicProvider } from './anthropic';
import { googleProvider } from './google';
import { openaiProvider } from './openai';
import type { ProviderDef } from './types';

/** Every model provider by the prefix of its model refs (`anthropic/claude-opus-4-5`). Adding one is one file and one line. */
export const PROVIDERS: Record<string, ProviderDef> = {
  anthropic: anthropicProvider,
  openai: openaiProvider,
  google: googleProvider,
};
