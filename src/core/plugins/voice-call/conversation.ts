import { buildSessionKey } from '../../agent/session-key';
import type { GatewayContext } from '../../context';
import { type CallRecord, type CallStoreContext, type TranscriptLine, updateCall } from './calls';
import type { VoiceProvider, VoiceSettings } from './settings';

/** Added to the agent's system prompt for calls: its words are read aloud. */
const VOICE_SYSTEM =
  'You are talking with someone on a phone call. Your reply is read aloud by text-to-speech: answer in a few short, plain sentences, with no markdown, lists, links, code or emoji.';
export const APOLOGY = 'Sorry, I could not come up with an answer just now.';
/** Longest reply read out in one go (Telnyx speak accepts 3,000 characters). */
const MAX_SPOKEN = 2500;

/** What a call's flow reads: its record (store, clock, events), the agent turn it runs, and the log. */
export type CallFlowContext = Pick<
  GatewayContext,
  'store' | 'log' | 'clock' | 'events' | 'waitUntil' | 'agents'
>;

/** A call's turn in progress, per gateway (the context is only the key). */
const pendingTurns = new WeakMap<object, Map<string, Promise<string>>>();

function turnsOf(ctx: object): Map<string, Promise<string>> {
  let map = pendingTurns.get(ctx);
  if (!map) {
    map = new Map();
    pendingTurns.set(ctx, map);
  }
  return map;
}

/** The agent and session of a new call: `agent:<agentId>:voice:<remote number>:<call id>`, one session per call. */
export function callSession(
  ctx: Pick<GatewayContext, 'agents'>,
  settings: VoiceSettings,
  remote: string,
  callId: string,
  agentId?: string,
): { agentId: string; sessionKey: string } {
  const resolved = ctx.agents.resolveSession({ agentId: agentId ?? settings.agentId }).agentId;
  return {
    agentId: resolved,
    sessionKey: buildSessionKey({ agentId: resolved, channel: 'voice', accountOrChat: remote, peer: callId }),
  };
}

/** Model text made fit for text-to-speech: markdown marks and links dropped, length bounded. */
export function toSpeech(text: string): string {
  const spoken = text
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/https?:\/\/\S+/g, 'a link')
    .replace(/[*_`#>|~]+/g, '')
    .replace(/^\s*[-+]\s+/gm, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (spoken.length <= MAX_SPOKEN) return spoken || APOLOGY;
  const cut = spoken.slice(0, MAX_SPOKEN);
  return `${cut.slice(0, Math.max(cut.lastIndexOf('. ') + 1, MAX_SPOKEN / 2))}`.trim();
}

/**
 * Starts the agent turn for what the caller said and records both sides on the call. The turn
 * runs on through `waitUntil`; `waitForReply` picks its answer up (within one webhook, or the
 * next one after a filler).
 */
export function startTurn(ctx: CallFlowContext, call: CallRecord, text: string): Promise<string> {
  const key = `${call.provider}:${call.id}`;
  const log = ctx.log.scope('voice');
  const run = (async () => {
    await addLine(ctx, call, { role: 'caller', text }, (current) => ({
      turns: current.turns + 1,
      pending: { text, startedAt: ctx.clock.now() },
    }));
    let reply: string;
    try {
      const result = await ctx.agents.runTurn({
        agentId: call.agentId,
        sessionKey: call.sessionKey,
        message: text,
        extraSystem: VOICE_SYSTEM,
        // A caller is a guest, even from an allowed number: caller ids can be spoofed.
        trust: 'guest',
      });
      reply = toSpeech(result.text);
    } catch (error) {
      log.error(`call ${call.id}: the agent failed`, error);
      reply = APOLOGY;
    }
    await addLine(ctx, call, { role: 'agent', text: reply }, (current) => ({
      pending: current.pending ? { ...current.pending, reply } : { text, startedAt: ctx.clock.now(), reply },
    }));
    return reply;
  })();
  turnsOf(ctx).set(key, run);
  ctx.waitUntil(run);
  return run;
}

/** Adds one side's words to the call's transcript, with `change` to the record (a call already gone stays gone). */
function addLine(
  ctx: CallStoreContext,
  call: CallRecord,
  line: Omit<TranscriptLine, 'at'>,
  change: (current: CallRecord) => Partial<CallRecord>,
): Promise<CallRecord | null> {
  return updateCall(
    ctx,
    call.provider,
    call.id,
    (current) =>
      current && {
        ...current,
        ...change(current),
        transcript: [...current.transcript, { ...line, at: ctx.clock.now() }],
      },
  );
}

/**
 * The pending answer of a call, waiting at most `ms`: `{ done: true, text }` once the agent
 * answered, `{ done: false }` while it still works (the caller gets a filler meanwhile).
 */
export async function waitForReply(
  ctx: Pick<GatewayContext, 'clock'>,
  call: CallRecord,
  ms: number,
): Promise<{ done: true; text: string } | { done: false }> {
  const key = `${call.provider}:${call.id}`;
  const running = turnsOf(ctx).get(key);
  if (!running) {
    // Another isolate or a restart: the record is the truth.
    return call.pending?.reply !== undefined ? { done: true, text: call.pending.reply } : { done: false };
  }
  let cancel = () => {};
  const timeout = new Promise<undefined>((resolve) => {
    cancel = ctx.clock.setTimer(() => resolve(undefined), ms);
  });
  const text = await Promise.race([running, timeout]);
  cancel();
  return text === undefined ? { done: false } : { done: true, text };
}

/** Clears a consumed answer, so the next turn starts clean. */
export async function finishTurn(ctx: CallStoreContext, provider: VoiceProvider, id: string): Promise<void> {
  turnsOf(ctx).delete(`${provider}:${id}`);
  await updateCall(ctx, provider, id, (current) => {
    if (!current?.pending) return null;
    const { pending: _done, ...rest } = current;
    return rest as CallRecord;
  });
}

/** Whether a turn of this call is still being answered. */
export function turnRunning(ctx: object, call: CallRecord): boolean {
  return (
    turnsOf(ctx).has(`${call.provider}:${call.id}`) ||
    (call.pending !== undefined && call.pending.reply === undefined)
  );
}

/** Forgets a call's in-memory turn (the call ended). */
export function dropTurn(ctx: object, provider: VoiceProvider, id: string): void {
  turnsOf(ctx).delete(`${provider}:${id}`);
}
