import { isRetryableSendError } from '../channels/send-error';
import type { ChannelAdapter, InboundMessage } from '../channels/types';
import type { GatewayContext } from '../context';
import { GatewayError } from '../errors';
import { createPairingStore } from '../pairing/pairing-store';
import { chunkText } from './chunk-text';
import { decideReply } from './decide-reply';
import { createReplyPreview, previewFor, type ReplyPreview } from './preview';
import { DAY_MS, dayBucket, dedupeKeyOf, replyTargetOf, type SpoolEntry, spoolKeyOf } from './spool';
import type { InboundPipeline, PipelineStats } from './types';

/** A send that fails is retried after these delays, then given up (logged). */
export const SEND_RETRY_MS = [1_000, 5_000, 30_000, 120_000];
/** Dedupe buckets older than this many days are pruned (records live 24–48 h). */
const KEEP_DAYS = 2;

/** What the pipeline uses of the context. */
export type PipelineContext = Pick<
  GatewayContext,
  'config' | 'env' | 'store' | 'log' | 'clock' | 'events' | 'waitUntil' | 'channels' | 'agents'
>;

/**
 * The inbound pipeline on `ctx.pipeline`: spool → dedupe → policy → binding → agent run →
 * chunked reply → done. Every step that must survive a crash is in the store before the next.
 */
export function createInboundPipeline(ctx: PipelineContext): InboundPipeline {
  const log = ctx.log.scope('pipeline');
  const pairing = createPairingStore(ctx.store, () => ctx.clock.now(), ctx.events);
  const inFlight = new Map<string, Promise<void>>();
  const counters = { accepted: 0, duplicates: 0, replied: 0, dropped: 0, failed: 0 };
  let lastPrune = 0;

  async function seen(message: InboundMessage, now: number): Promise<boolean> {
    const [today, yesterday] = [dedupeKeyOf(message, now), dedupeKeyOf(message, now - DAY_MS)];
    return (await ctx.store.has(today)) || (await ctx.store.has(yesterday));
  }

  async function accept(message: InboundMessage): Promise<{ spoolKey: string; duplicate: boolean }> {
    for (const [name, value] of [
      ['channel', message?.channel],
      ['chat.id', message?.chat?.id],
      ['messageId', message?.messageId],
    ] as const) {
      if (typeof value !== 'string' || value === '')
        throw new GatewayError('BAD_REQUEST', `inbound message without ${name}`);
    }
    const now = ctx.clock.now();
    const spoolKey = spoolKeyOf(message);
    const duplicate = () => {
      counters.duplicates++;
      log.debug(
        `duplicate ${message.channel} message ${message.messageId} in ${message.chat.id}; already handled`,
      );
      return { spoolKey, duplicate: true };
    };
    if (await seen(message, now)) return duplicate();
    const dedupeKey = dedupeKeyOf(message, now);
    const entry: SpoolEntry = { v: 1, message, acceptedAt: now, state: 'pending', dedupeKey, attempts: 0 };
    // The spool entry first: a crash before the dedupe record leaves a replayable entry, never a lost message.
    if (!(await ctx.store.claim(spoolKey, entry))) return duplicate();
    if (!(await ctx.store.claim(dedupeKey, { at: now, spoolKey }))) {
      await ctx.store.remove(spoolKey);
      return duplicate();
    }
    counters.accepted++;
    ctx.waitUntil(process(spoolKey));
    if (now - lastPrune > 60 * 60 * 1000) {
      lastPrune = now;
      ctx.waitUntil(pruneDedupe(now));
    }
    return { spoolKey, duplicate: false };
  }

  async function pruneDedupe(now: number): Promise<void> {
    const today = Math.floor(now / DAY_MS);
    for (let day = today - KEEP_DAYS; day > today - KEEP_DAYS - 14; day--) {
      const keys = await ctx.store.keys(`dedupe:${dayBucket(day * DAY_MS)}:`);
      for (const key of keys) await ctx.store.remove(key);
    }
  }

  function process(spoolKey: string): Promise<void> {
    const running = inFlight.get(spoolKey);
    if (running) return running;
    const work = run(spoolKey)
      .catch((error) => log.error(`processing ${spoolKey} failed`, error))
      .finally(() => inFlight.delete(spoolKey));
    inFlight.set(spoolKey, work);
    return work;
  }

  async function finish(
    spoolKey: string,
    entry: SpoolEntry,
    outcome: 'replied' | 'dropped' | 'failed',
  ): Promise<void> {
    // Removing the entry is the commit, so it comes first, straight after the last send. Then the
    // dedupe record again, in case a crash came before accept wrote it (a read costs no fsync).
    await ctx.store.remove(spoolKey);
    if (!(await ctx.store.has(entry.dedupeKey)))
      await ctx.store.set(entry.dedupeKey, { at: entry.acceptedAt, spoolKey, outcome });
    counters[outcome]++;
    if (outcome === 'replied') {
      const { message, reply, agentId } = entry;
      log.info(
        `answered ${message.channel} ${message.chat.kind} ${message.chat.id} (agent ${agentId}, ${reply?.chunks.length ?? 0} message(s), ${ctx.clock.now() - entry.acceptedAt} ms after receipt)`,
      );
    }
  }

  async function run(spoolKey: string): Promise<void> {
    let entry = await ctx.store.get<SpoolEntry>(spoolKey);
    if (entry?.v !== 1) return;
    const { message } = entry;
    const adapter = ctx.channels.get(message.channel);
    if (!adapter) {
      log.warn(
        `no ${message.channel} channel is running; message ${message.messageId} stays spooled for the next start`,
      );
      return;
    }
    if (entry.state === 'pending') {
      const decided = await decide(spoolKey, entry, adapter);
      if (!decided) return;
      entry = decided;
    }
    await sendReply(spoolKey, entry, adapter);
  }

  /** Policy, binding and the agent run; returns the entry in state `replying`, or undefined when dropped. */
  async function decide(
    spoolKey: string,
    entry: SpoolEntry,
    adapter: ChannelAdapter,
  ): Promise<SpoolEntry | undefined> {
    const { message } = entry;
    const target = replyTargetOf(message);
    const preview = openPreview(spoolKey, entry, adapter);
    const decision = await decideReply(ctx, message, adapter, {
      pairing,
      origin: target,
      turnId: spoolKey,
      ...(preview ? { onEvent: preview.onEvent } : {}),
      // Best effort: a typing indicator that fails (or throws at once) must not stop the answer.
      onTurnStart: () =>
        void Promise.resolve()
          .then(() => adapter.typing?.(target))
          .catch(() => {}),
    });
    const previewMessageId = await preview?.close();
    if (decision.action === 'drop') {
      log.debug(`dropped ${message.channel} message from ${message.sender.id}: ${decision.reason}`);
      await finish(spoolKey, entry, 'dropped');
      return undefined;
    }
    if (decision.action === 'pair')
      log.info(
        `pairing code sent to ${message.channel} user ${message.sender.id}; approve with krabkrab pairing approve ${message.channel} <code>`,
      );
    const kind: NonNullable<SpoolEntry['reply']>['kind'] =
      decision.action === 'pair' ? 'pairing' : decision.action;
    const { text } = decision;
    const route =
      decision.action === 'pair' ? {} : { agentId: decision.agentId, sessionKey: decision.sessionKey };
    const next: SpoolEntry = {
      ...entry,
      ...route,
      ...(previewMessageId ? { previewMessageId } : {}),
      state: 'replying',
      reply: { kind, chunks: chunkText(text, adapter.textLimit), sent: 0 },
    };
    await ctx.store.set(spoolKey, next);
    return next;
  }

  /** The reply preview of this entry's turn, when its channel and chat have one. */
  function openPreview(
    spoolKey: string,
    entry: SpoolEntry,
    adapter: ChannelAdapter,
  ): ReplyPreview | undefined {
    const preview = previewFor(ctx.config(), entry.message, adapter);
    if (!preview) return undefined;
    return createReplyPreview({
      preview,
      target: replyTargetOf(entry.message),
      clock: ctx.clock,
      log,
      textLimit: adapter.textLimit,
      sendKey: `${spoolKey}#preview`,
      ...(entry.previewMessageId ? { messageId: entry.previewMessageId } : {}),
      // Persisted before the turn goes on, so a crash from here on edits this message into the answer.
      onStarted: (previewMessageId) => ctx.store.set(spoolKey, { ...entry, previewMessageId }),
    });
  }

  /** One chunk out: the first one into the preview message when there is one, else a new message. */
  async function deliver(
    adapter: ChannelAdapter,
    entry: SpoolEntry,
    index: number,
    text: string,
    sendKey: string,
  ): Promise<void> {
    const target = replyTargetOf(entry.message);
    const previewId = index === 0 ? entry.previewMessageId : undefined;
    if (previewId && adapter.preview) {
      try {
        // An edit is idempotent: a crash before the spool entry is removed edits again, no duplicate.
        return await adapter.preview.finish(target, previewId, text);
      } catch (error) {
        if (isRetryableSendError(error)) throw error;
        log.warn(
          `cannot edit the preview in ${entry.message.channel} chat ${entry.message.chat.id} (${(error as Error).message}); sending the reply as a new message`,
        );
      }
    }
    await adapter.send(target, text, sendKey);
  }

  async function sendReply(spoolKey: string, entry: SpoolEntry, adapter: ChannelAdapter): Promise<void> {
    const reply = entry.reply ?? { kind: 'answer' as const, chunks: [], sent: 0 };
    for (let index = reply.sent; index < reply.chunks.length; index++) {
      try {
        await deliver(adapter, entry, index, reply.chunks[index]!, `${spoolKey}#${index}`);
      } catch (error) {
        return retryLater(spoolKey, { ...entry, reply: { ...reply, sent: index } }, error);
      }
      // Recorded after each chunk: a restart resumes after the last chunk that went out. After the
      // last one the entry is removed at once instead (finish: one unlink, no fsync), which keeps
      // the window where a crash resends a reply that went out (most platforms have no idempotent
      // send) to one round trip, not one round trip plus a durable write.
      if (index + 1 < reply.chunks.length)
        await ctx.store.set(spoolKey, { ...entry, reply: { ...reply, sent: index + 1 } });
    }
    await finish(
      spoolKey,
      entry,
      reply.kind === 'error' ? 'failed' : reply.kind === 'pairing' ? 'dropped' : 'replied',
    );
  }

  async function retryLater(spoolKey: string, entry: SpoolEntry, error: unknown): Promise<void> {
    const attempts = entry.attempts + 1;
    const delay = SEND_RETRY_MS[attempts - 1];
    const where = `${entry.message.channel} chat ${entry.message.chat.id}`;
    // The platform said no for good (the user blocked the bot, WhatsApp's 24-hour window), as the
    // channel's adapter classified it: say why once, no retries.
    if (!isRetryableSendError(error)) {
      log.error(`cannot send the reply to ${where}: ${(error as Error).message}`);
      await finish(spoolKey, entry, 'failed');
      return;
    }
    if (delay === undefined) {
      log.error(`giving up on the reply to ${where} after ${attempts} attempts`, error);
      await finish(spoolKey, entry, 'failed');
      return;
    }
    log.warn(
      `sending the reply to ${where} failed (${(error as Error)?.message ?? error}); retrying in ${delay / 1000} s`,
    );
    await ctx.store.set(spoolKey, { ...entry, attempts });
    ctx.clock.setTimer(() => ctx.waitUntil(process(spoolKey)), delay);
  }

  return {
    accept,
    process,
    async replay() {
      const keys = await ctx.store.keys('spool:');
      const entries = (
        await Promise.all(keys.map(async (key) => ({ key, entry: await ctx.store.get<SpoolEntry>(key) })))
      ).filter((item): item is { key: string; entry: SpoolEntry } => item.entry?.v === 1);
      // In order of arrival, one chat after another message, chats side by side.
      const chats = new Map<string, string[]>();
      for (const { key, entry } of entries.sort((a, b) => a.entry.acceptedAt - b.entry.acceptedAt)) {
        const chat = `${entry.message.channel}:${entry.message.chat.id}`;
        chats.set(chat, [...(chats.get(chat) ?? []), key]);
      }
      for (const chain of chats.values()) {
        ctx.waitUntil(
          chain.reduce<Promise<void>>(
            (previous, key) => previous.then(() => process(key)),
            Promise.resolve(),
          ),
        );
      }
      if (entries.length > 0) log.info(`replaying ${entries.length} unfinished message(s) from the spool`);
      for (const { entry } of entries) {
        const { message, reply } = entry;
        // Telegram, WhatsApp and Signal have no idempotent send (Discord dedupes by the send key):
        // the chunk going out when the process stopped may have arrived. Resending it beats
        // losing it; say so.
        // A first chunk that goes into the recorded preview is an edit: repeating it shows nothing twice.
        if (entry.state === 'replying' && reply && !(reply.sent === 0 && entry.previewMessageId))
          log.warn(
            `resending the reply to ${message.channel} message ${message.messageId} in chat ${message.chat.id} from chunk ${reply.sent + 1}/${reply.chunks.length}: the gateway stopped while sending it, so that chunk may arrive twice`,
          );
      }
      return entries.length;
    },
    stats: (): PipelineStats => ({ ...counters, inFlight: inFlight.size }),
  };
}
