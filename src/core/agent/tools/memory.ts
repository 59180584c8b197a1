import { GatewayError } from '../../errors';
import type { AgentMemory } from '../../memory/agent-memory';
import { DEFAULT_GET_LINES, MAX_GET_LINES } from '../../memory/agent-memory';
import * as z from '../../zod';
import { wrapUntrusted } from '../untrusted';
import { defineTool, type ToolContext } from './types';

/** Guests never reach the owner's memory: not even `tools.guests.allow` offers these tools to them. */
const NEVER_GUEST = "guests never reach the owner's memory";

/** The owner's memory: owner sessions only (never offered to guests; checked again here). */
function memoryOf(toolCtx: Pick<ToolContext, 'memory' | 'trust'>): AgentMemory {
  if (!toolCtx.memory || toolCtx.trust !== 'owner')
    throw new GatewayError('UNAVAILABLE', 'memory is not available in this session');
  return toolCtx.memory;
}

export const memorySave = defineTool({
  name: 'memory_save',
  description:
    "Append a short note to today's memory file (memory/YYYY-MM-DD.md): facts, preferences, things to remember later. " +
    'Durable facts belong in MEMORY.md (edit it with the file tools).',
  profile: 'minimal',
  neverGuest: NEVER_GUEST,
  parameters: z.object({
    text: z.string().min(1).max(4000).describe('the note'),
    tags: z.array(z.string().max(40)).max(10).optional(),
  }),
  async run({ text, tags }, toolCtx) {
    const { citation } = await memoryOf(toolCtx).save(text, tags);
    return { saved: true, citation };
  },
});

export const memorySearch = defineTool({
  name: 'memory_search',
  description:
    'Search MEMORY.md and the notes in memory/ by words (and meaning, when embeddings are set up). ' +
    'Each result cites path:line; read more around it with memory_get.',
  profile: 'minimal',
  neverGuest: NEVER_GUEST,
  parameters: z.object({
    query: z.string().min(1).max(10_000),
    limit: z.number().int().min(1).max(20).default(5),
  }),
  async run({ query, limit }, toolCtx) {
    // Memory files hold what the agent copied from the web or from guests: data, not instructions.
    const answer = await memoryOf(toolCtx).search(query, limit);
    return {
      ...answer,
      results: answer.results.map((hit) => ({
        ...hit,
        text: wrapUntrusted(`memory ${hit.citation}`, hit.text),
      })),
    };
  },
});

export const memoryGet = defineTool({
  name: 'memory_get',
  description:
    'Read lines of a memory file (MEMORY.md or memory/*.md), e.g. the range a memory_search result cites.',
  parameters: z.object({
    path: z.string().min(1).max(500),
    from: z.number().int().min(1).default(1).describe('first line, 1-based'),
    lines: z.number().int().min(1).max(MAX_GET_LINES).default(DEFAULT_GET_LINES),
  }),
  profile: 'minimal',
  neverGuest: NEVER_GUEST,
  async run({ path, from, lines }, toolCtx) {
    const got = await memoryOf(toolCtx).get(path, from, lines);
    return { ...got, text: wrapUntrusted(`memory ${got.path}:${got.from}-${got.to}`, got.text) };
  },
});
