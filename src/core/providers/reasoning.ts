import type { ChatMessage } from './types';

/** `/think` levels: how hard a reasoning model thinks before it answers. */
export const THINK_LEVELS = ['off', 'low', 'medium', 'high'] as const;
export type ThinkLevel = (typeof THINK_LEVELS)[number];
export type ReasoningLevel = Exclude<ThinkLevel, 'off'>;

/** Models that take OpenAI's `reasoning_effort` (o-series, GPT-5). */
export const openaiReasons = (model: string) => /^(o\d|gpt-5)/i.test(model);
/** Gemini models that take `reasoning_effort` on the OpenAI-compatible endpoint (2.5 and later). */
export const geminiReasons = (model: string) => /^gemini-(2\.5|[3-9])/i.test(model);
/** Claude models with extended thinking (3.7, and 4 and later). */
export const claudeThinks = (model: string) => /^claude-(3-7|(opus|sonnet|haiku)-[4-9]|[4-9])/i.test(model);

/**
 * Anthropic's extended-thinking budget per level, in tokens
 * (https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking; the minimum is 1024).
 */
export const THINKING_BUDGET: Record<ReasoningLevel, number> = { low: 2048, medium: 8192, high: 24_576 };

/**
 * Whether this request continues a tool round (its last message is a tool result). Anthropic
 * wants the thinking blocks of the turn sent back when thinking is on there; the transcript does
 * not keep them, so a continuation goes without thinking (the API accepts that).
 */
export function continuesToolRound(messages: ChatMessage[]): boolean {
  return messages.at(-1)?.role === 'tool';
}
