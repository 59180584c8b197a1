import { usage } from '../providers/types';
import * as z from '../zod';

// What a session shows over the control protocol (`sessions.list` rows, `sessions.history`'s
// compactions): zod schemas, types inferred; `session-store.ts` and `compaction.ts` export the
// types under their usual names. Runtime code imports only types from here, so none of these is
// built at start (the session store is on the start path; this file is not).

/** One compaction, as the session keeps it: when, how many turns, the summary. */
export const compactionMark = z.object({
  at: z.number(),
  turns: z.number(),
  summary: z.string(),
  model: z.string().optional(),
  focus: z.string().optional(),
});
export type CompactionMark = z.infer<typeof compactionMark>;

/** What a session is, as listed: who it is with and what it has cost so far. */
export const sessionFacts = z.object({
  agentId: z.string(),
  channel: z.string(),
  accountOrChat: z.string(),
  peer: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
  /** Turns since the last reset (the transcript may hold fewer after trimming). */
  turns: z.number(),
  model: z.string().optional(),
  usage,
});
export type SessionFacts = z.infer<typeof sessionFacts>;

/** A `sessions.list` row. */
export const sessionSummary = sessionFacts.extend({ sessionKey: z.string() });
export type SessionSummary = z.infer<typeof sessionSummary>;
