import { keySegment } from '../../storage/store';
import * as z from '../../zod';
import { defineTool } from './types';

/** Notes an agent keeps across sessions, one list per agent under `memory:<agentId>`. */
export interface MemoryNote {
  id: string;
  text: string;
  tags?: string[];
  createdAt: number;
  sessionKey?: string;
}

/** Oldest notes are forgotten past this many, so one agent's memory stays bounded. */
export const MAX_NOTES = 1000;

export const memoryKey = (agentId: string) => `memory:${keySegment(agentId)}`;

export const memorySave = defineTool({
  name: 'memory_save',
  description:
    'Save a short note to long-term memory (facts about the user, preferences, things to remember later).',
  // The owner's memory: owner sessions only (not guest-safe).
  profile: 'minimal',
  parameters: z.object({
    text: z.string().min(1).max(4000).describe('the note'),
    tags: z.array(z.string().max(40)).max(10).optional(),
  }),
  async run({ text, tags }, { ctx, agentId, sessionKey }) {
    const id = crypto.randomUUID().slice(0, 8);
    const note: MemoryNote = {
      id,
      text,
      createdAt: ctx.clock.now(),
      sessionKey,
      ...(tags?.length ? { tags } : {}),
    };
    const notes = await ctx.store
      .state<MemoryNote[]>(memoryKey(agentId))
      .update((current) => [...(current ?? []), note].slice(-MAX_NOTES));
    return { saved: true, id, notes: notes.length };
  },
});

export const memorySearch = defineTool({
  name: 'memory_search',
  description: 'Search long-term memory notes by words; an empty query returns the most recent notes.',
  profile: 'minimal',
  parameters: z.object({
    query: z.string().max(500).default(''),
    limit: z.number().int().min(1).max(20).default(5),
  }),
  async run({ query, limit }, { ctx, agentId }) {
    const notes = (await ctx.store.get<MemoryNote[]>(memoryKey(agentId))) ?? [];
    return { results: searchNotes(notes, query, limit) };
  },
});

/** Scores notes by how many query words they contain; ties go to the newest. */
export function searchNotes(notes: MemoryNote[], query: string, limit: number): MemoryNote[] {
  const words = query
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 1);
  const scored = notes.map((note, index) => {
    const haystack = `${note.text} ${(note.tags ?? []).join(' ')}`.toLowerCase();
    const score = words.length === 0 ? 1 : words.filter((word) => haystack.includes(word)).length;
    return { note, score, index };
  });
  return scored
    .filter((entry) => entry.score > 0)
    .sort((a, b) => b.score - a.score || b.index - a.index)
    .slice(0, limit)
    .map((entry) => entry.note);
}
