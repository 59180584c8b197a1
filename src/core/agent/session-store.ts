import type { ReplyTarget } from '../channels/types';
import type { ThinkLevel } from '../providers/reasoning';
import type { ChatMessage } from '../providers/types';
import type { Store } from '../storage/store';
import type { TokenCounts } from '../usage/types';
import type { CompactionMark } from './compaction';
import { parseSessionKey, sessionStoreKey } from './session-key';
import type { SessionFacts, SessionSummary } from './session-records';

export type { SessionSummary };

/** One conversation as persisted under `sessions:<sessionKey>`. */
export interface SessionRecord extends SessionFacts {
  v: 1;
  key: string;
  messages: ChatMessage[];
  /** The last turns' idempotency ids and answers (newest last), so a replayed message is not answered twice. */
  recentTurns?: RecordedTurn[];
  origin?: ReplyTarget;
  /** `/model <ref>`: this session's model instead of the agent's primary (its fallbacks stay). */
  modelOverride?: string;
  /** `/think <level>`: reasoning effort for this session's turns. */
  thinking?: ThinkLevel;
  /** Each compaction of this transcript (newest last): when, how many turns, the summary. */
  compactions?: CompactionMark[];
  /** This session's turns' provider calls per answering model (`/usage` prices them). */
  usageByModel?: Record<string, TokenCounts>;
}

export interface RecordedTurn {
  id: string;
  text: string;
  model?: string;
}

/** How many answered turn ids a session remembers for replay. */
export const RECENT_TURNS = 16;

/** Sessions in the store: list, read, reset; the runtime writes them through `update`. */
export interface SessionStore {
  list(options?: { agentId?: string; channel?: string; limit?: number }): Promise<SessionSummary[]>;
  get(sessionKey: string): Promise<SessionRecord | null>;
  history(sessionKey: string, limit?: number): Promise<ChatMessage[]>;
  /** Starts a fresh transcript; true when there was one. */
  reset(sessionKey: string): Promise<boolean>;
  update(sessionKey: string, fn: (current: SessionRecord) => SessionRecord): Promise<SessionRecord>;
}

export function emptySession(sessionKey: string, now: number): SessionRecord {
  const parts = parseSessionKey(sessionKey);
  return {
    v: 1,
    key: sessionKey,
    ...parts,
    createdAt: now,
    updatedAt: now,
    turns: 0,
    usage: { inputTokens: 0, outputTokens: 0 },
    messages: [],
  };
}

export function toSummary(record: SessionRecord): SessionSummary {
  const { key, agentId, channel, accountOrChat, peer, createdAt, updatedAt, turns, model, usage } = record;
  return {
    sessionKey: key,
    agentId,
    channel,
    accountOrChat,
    peer,
    createdAt,
    updatedAt,
    turns,
    ...(model ? { model } : {}),
    usage,
  };
}

/** Session files read at once while building the list index (file handles stay bounded). */
const SCAN_CONCURRENCY = 32;

export function createSessionStore(store: Store, now: () => number): SessionStore {
  const cell = (key: string) => {
    parseSessionKey(key);
    return store.state<SessionRecord>(sessionStoreKey(key));
  };
  // `list` reads every transcript once, then keeps only summaries in memory (about 300 bytes a
  // session), updated on each write: the gateway is the only writer of sessions.
  let summaries: Map<string, SessionSummary> | undefined;
  let loading: Promise<Map<string, SessionSummary>> | undefined;
  const early = new Map<string, SessionSummary>();
  const remember = (record: SessionRecord) => (summaries ?? early).set(record.key, toSummary(record));

  async function scan(): Promise<Map<string, SessionSummary>> {
    const keys = await store.keys('sessions:agent:');
    const found = new Map<string, SessionSummary>();
    for (let i = 0; i < keys.length; i += SCAN_CONCURRENCY) {
      const records = await Promise.all(
        keys.slice(i, i + SCAN_CONCURRENCY).map((key) => store.get<SessionRecord>(key).catch(() => null)),
      );
      for (const record of records) if (record?.v === 1) found.set(record.key, toSummary(record));
    }
    for (const [key, summary] of early) found.set(key, summary);
    early.clear();
    summaries = found;
    return found;
  }

  return {
    async list(options = {}) {
      loading ??= scan();
      const index = summaries ?? (await loading);
      return [...index.values()]
        .filter(
          (summary) =>
            (!options.agentId || summary.agentId === options.agentId) &&
            (!options.channel || summary.channel === options.channel),
        )
        .sort((a, b) => b.updatedAt - a.updatedAt)
        .slice(0, options.limit ?? 200);
    },
    get: (key) => cell(key).get(),
    async history(key, limit = 200) {
      const record = await cell(key).get();
      return record ? record.messages.slice(-limit) : [];
    },
    async reset(key) {
      let existed = false;
      const record = await cell(key).update((current) => {
        if (!current) return undefined;
        existed = current.messages.length > 0;
        // recentTurns stay: a replayed message from before the reset must still not be answered twice.
        return { ...current, messages: [], turns: 0, updatedAt: now() };
      });
      if (record) remember(record);
      return existed;
    },
    async update(key, fn) {
      const record = await cell(key).update((current) => fn(current ?? emptySession(key, now())));
      remember(record);
      return record;
    },
  };
}
