import type { GatewayContext } from '../context';
import { toErrorShape } from '../errors';
import type { ChatMessage, ModelRouter } from '../providers/types';
import {
  type CompactionMark,
  compactionSettings,
  MAX_COMPACTION_MARKS,
  planCompaction,
  summarize,
  summaryMessage,
} from './compaction';
import type { SessionRecord, SessionStore } from './session-store';
import type { SessionTrust } from './tools/types';

export interface CompactRequest {
  agentId: string;
  sessionKey: string;
  trust: SessionTrust;
  /** `/compact <focus>`: what the summary should keep above all. */
  focus?: string;
  signal?: AbortSignal;
  /**
   * The router this compaction's calls (the flush and the summary) go through: the caller's
   * metered one, so they count in the session that asked. Absent: no model to write with.
   */
  router?: ModelRouter;
  /** `/compact`: tries even within the pause after a failure. */
  force?: boolean;
}

/** After a failed summary, automatic compaction of that session pauses this long (one log line, not one a turn). */
export const RETRY_AFTER_FAILURE_MS = 10 * 60_000;

export type CompactOutcome =
  | { compacted: true; mark: CompactionMark }
  | { compacted: false; reason: string; failed?: boolean };

export interface CompactorDeps {
  ctx: Pick<GatewayContext, 'config' | 'log' | 'clock'>;
  sessions: SessionStore;
  /** The models of this session (its `/model` choice first). */
  models(agentId: string, record: SessionRecord): string[];
  /** The silent turn that lets an owner session's agent save what matters first. */
  flush(request: CompactRequest, messages: ChatMessage[], router: ModelRouter): Promise<void>;
}

/**
 * Replaces a session's oldest turns by a model-written summary, keeping the newest verbatim.
 * Runs inside the session's queue (the caller holds it), so no turn writes meanwhile. When the
 * summary fails the transcript stays whole and usable: one log line, nothing dropped.
 */
export function createCompactor(deps: CompactorDeps) {
  const { ctx, sessions } = deps;
  const log = ctx.log.scope('agent');
  const failedAt = new Map<string, number>();

  return async function compact(request: CompactRequest): Promise<CompactOutcome> {
    const { agentId, sessionKey } = request;
    const failed = failedAt.get(sessionKey);
    if (!request.force && failed !== undefined && ctx.clock.now() - failed < RETRY_AFTER_FAILURE_MS)
      return { compacted: false, reason: 'paused after a failed attempt' };
    const record = await sessions.get(sessionKey);
    const settings = compactionSettings(ctx.config());
    const plan = record && planCompaction(record.messages, settings);
    if (!record || !plan) return { compacted: false, reason: 'nothing to compact yet' };
    const { router } = request;
    const chain = deps.models(agentId, record);
    const models = settings.model
      ? [settings.model, ...chain.filter((ref) => ref !== settings.model)]
      : chain;
    if (!router || models.length === 0) return { compacted: false, reason: 'no model to write the summary' };
    const started = ctx.clock.now();
    if (request.trust === 'owner') {
      try {
        await deps.flush(request, record.messages, router);
      } catch (error) {
        log.warn(`memory flush before compacting ${sessionKey} failed: ${toErrorShape(error).message}`);
      }
    }
    let written: { summary: string; model?: string };
    try {
      written = await summarize({
        router,
        models,
        older: plan.older,
        ...(request.focus ? { focus: request.focus } : {}),
        ...(request.signal ? { signal: request.signal } : {}),
      });
    } catch (error) {
      const reason = toErrorShape(error).message;
      failedAt.set(sessionKey, ctx.clock.now());
      log.warn(`compaction of ${sessionKey} failed (${reason}); the transcript is kept whole`);
      return { compacted: false, reason: `the summary could not be written (${reason})`, failed: true };
    }
    failedAt.delete(sessionKey);
    const mark: CompactionMark = {
      at: ctx.clock.now(),
      turns: plan.turns,
      summary: written.summary,
      ...(written.model ? { model: written.model } : {}),
      ...(request.focus ? { focus: request.focus } : {}),
    };
    await sessions.update(sessionKey, (current) => {
      // The flush may have added nothing to the transcript (it is silent); still, replace only the
      // exact prefix that was summarized.
      const count = plan.older.length;
      return {
        ...current,
        messages: [summaryMessage(mark), ...current.messages.slice(count)],
        compactions: [...(current.compactions ?? []), mark].slice(-MAX_COMPACTION_MARKS),
        updatedAt: ctx.clock.now(),
      };
    });
    log.info(
      `compacted ${sessionKey}: ${plan.turns} turn(s) into a summary${written.model ? ` by ${written.model}` : ''} in ${ctx.clock.now() - started} ms`,
    );
    return { compacted: true, mark };
  };
}
