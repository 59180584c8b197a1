import * as z from '../../zod';
import { lazySchema } from '../../zod-lazy';
import { toolAllowDeny } from './tools';

/** `agents`: the agents, their models and defaults. Built on first use, like every section. */
export const agentsSection = lazySchema(() => {
  /** `provider/model`, e.g. `anthropic/claude-opus-4-5`. */
  const modelRef = z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*\/\S+$/i, 'expected "provider/model", e.g. "anthropic/claude-opus-4-5"');

  const modelChoice = z.strictObject({
    primary: modelRef.optional(),
    fallbacks: z.array(modelRef).optional(),
  });

  const agentEntry = z.strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/i, 'expected an id of letters, digits, - and _'),
    default: z.boolean().optional(),
    name: z.string().optional(),
    model: z.union([modelRef, modelChoice]).optional(),
    systemPrompt: z.string().optional(),
    workspace: z.string().optional(),
    /** This agent's tool allow/deny, on top of `tools.allow`/`tools.deny` (deny wins). */
    tools: toolAllowDeny.optional(),
  });

  return z.strictObject({
    defaults: z
      .strictObject({
        model: z.union([modelRef, modelChoice]).optional(),
        maxConcurrent: z.number().int().min(1).max(64).optional(),
        timeoutSeconds: z.number().positive().max(3600).optional(),
        workspace: z.string().optional(),
        systemPrompt: z.string().optional(),
        contextTokens: z.number().int().min(1000).optional(),
        /** Long transcripts: the oldest turns are replaced by a model-written summary. */
        compaction: z
          .strictObject({
            /** Compact when the transcript passes this many tokens (default: 3/4 of contextTokens). */
            thresholdTokens: z.number().int().min(500).optional(),
            /** A (cheaper) model that writes the summary; the agent's own models otherwise. */
            model: modelRef.optional(),
            /** Turns kept verbatim after the summary (default 4). */
            keepRecentTurns: z.number().int().min(1).max(100).optional(),
          })
          .optional(),
      })
      .optional(),
    list: z.array(agentEntry).optional(),
    /** Alias of `list`, as some of the reference product's configs spell it. */
    entries: z.array(agentEntry).optional(),
  });
});

export type AgentEntry = NonNullable<z.infer<typeof agentsSection>['list']>[number];
