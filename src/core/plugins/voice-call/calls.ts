import type { GatewayContext } from '../../context';
import { keySegment } from '../../storage/store';
import type { VoiceProvider } from './settings';

export type CallStatus =
  | 'queued'
  | 'initiated'
  | 'ringing'
  | 'in-progress'
  | 'completed'
  | 'busy'
  | 'failed'
  | 'no-answer'
  | 'canceled'
  | 'rejected';

const FINAL: ReadonlySet<CallStatus> = new Set([
  'completed',
  'busy',
  'failed',
  'no-answer',
  'canceled',
  'rejected',
]);
/** The transcript kept on the record (the full one is the call's agent session). */
const TRANSCRIPT_LIMIT = 100;

export interface TranscriptLine {
  role: 'caller' | 'agent';
  text: string;
  at: number;
}

/** One call, in the store at `calls:<provider>:<provider call id>`. */
export interface CallRecord {
  id: string;
  provider: VoiceProvider;
  direction: 'inbound' | 'outbound';
  from: string;
  to: string;
  status: CallStatus;
  createdAt: number;
  updatedAt: number;
  answeredAt?: number;
  endedAt?: number;
  durationSeconds?: number;
  endReason?: string;
  agentId: string;
  /** The agent session holding the call's transcript, like any chat's. */
  sessionKey: string;
  /** What an outbound call says first. */
  message?: string;
  /** Twilio: how many gathers were issued (each action URL is unique, so a replayed webhook is recognisable). */
  step: number;
  silences: number;
  turns: number;
  transcript: TranscriptLine[];
  /** The caller's words being answered, and the answer once it is there. */
  pending?: { text: string; startedAt: number; reply?: string };
  /** Telnyx: hang up when the current speech ends (goodbye). */
  hangupAfterSpeak?: boolean;
}

export function isFinalStatus(status: CallStatus): boolean {
  return FINAL.has(status);
}

export function callKey(provider: VoiceProvider, id: string): string {
  return `calls:${provider}:${keySegment(id)}`;
}

export function getCall(
  ctx: Pick<GatewayContext, 'store'>,
  provider: VoiceProvider,
  id: string,
): Promise<CallRecord | null> {
  return ctx.store.state<CallRecord>(callKey(provider, id)).get();
}

/** What updating a call reads: its record in the store, the time, and the events it announces on. */
export type CallStoreContext = Pick<GatewayContext, 'store' | 'clock' | 'events'>;

/** Serialized update of one call; `fn` gets null for an unknown call and may create it. */
export async function updateCall(
  ctx: CallStoreContext,
  provider: VoiceProvider,
  id: string,
  fn: (call: CallRecord | null) => CallRecord | null,
): Promise<CallRecord | null> {
  const next = await ctx.store.state<CallRecord>(callKey(provider, id)).update((current) => {
    const updated = fn(current);
    if (!updated) return current ?? undefined;
    updated.updatedAt = ctx.clock.now();
    if (updated.transcript.length > TRANSCRIPT_LIMIT)
      updated.transcript = updated.transcript.slice(-TRANSCRIPT_LIMIT);
    return updated;
  });
  if (next) ctx.events.emit('voicecall.update', toCallSummary(next));
  return next ?? null;
}

/** Applies a provider status, keeping a final one final (a late `ringing` after `completed` changes nothing). */
export function withStatus(call: CallRecord, status: CallStatus, now: number): CallRecord {
  if (isFinalStatus(call.status) && !isFinalStatus(status)) return call;
  const next = { ...call, status };
  if (status === 'in-progress' && !next.answeredAt) next.answeredAt = now;
  if (isFinalStatus(status) && !next.endedAt) next.endedAt = now;
  return next;
}

/** Calls, newest first. */
export async function listCalls(
  ctx: Pick<GatewayContext, 'store'>,
  options: { limit?: number; active?: boolean } = {},
): Promise<CallRecord[]> {
  const keys = await ctx.store.keys('calls:');
  const calls: CallRecord[] = [];
  for (const key of keys) {
    const call = await ctx.store.get<CallRecord>(key);
    if (call && (!options.active || !isFinalStatus(call.status))) calls.push(call);
  }
  calls.sort((a, b) => b.createdAt - a.createdAt);
  return calls.slice(0, options.limit ?? 50);
}

/** A call finds by its provider id, whichever provider placed it. */
export async function findCall(ctx: Pick<GatewayContext, 'store'>, id: string): Promise<CallRecord | null> {
  for (const provider of ['twilio', 'telnyx'] as const) {
    const call = await getCall(ctx, provider, id);
    if (call) return call;
  }
  return null;
}

/** What `voicecall.list` and events show: the record without its working fields. */
export function toCallSummary(
  call: CallRecord,
): Omit<CallRecord, 'pending' | 'hangupAfterSpeak' | 'step' | 'silences'> {
  const { pending: _p, hangupAfterSpeak: _h, step: _s, silences: _n, ...summary } = call;
  return summary;
}
