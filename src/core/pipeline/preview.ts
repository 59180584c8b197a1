import { isOwner } from '../agent/trust';
import type { AgentEvent } from '../agent/types';
import type { ChannelAdapter, ChannelPreview, InboundMessage, ReplyTarget } from '../channels/types';
import type { KrabConfig } from '../config/schema';
import { isGatewayError } from '../errors';
import type { Logger } from '../log/logger';
import type { Clock } from '../runtime/clock';
import { chunkText } from './chunk-text';

/** A preview message is edited at most this often (Telegram and Discord both throttle edits). */
export const PREVIEW_EDIT_EVERY_MS = 1_000;

/**
 * Whether this message's reply is previewed: `channels.<id>.preview` when set, else `edit` in a
 * DM from one of the `owners` and `off` everywhere else (a group sees the finished reply only).
 */
export function previewFor(
  config: KrabConfig,
  message: InboundMessage,
  adapter: ChannelAdapter,
): ChannelPreview | undefined {
  const preview = adapter.preview;
  if (!preview) return undefined;
  const mode =
    preview.configured(config) ??
    (message.chat.kind === 'dm' && isOwner(config, message.channel, message.sender.id) ? 'edit' : 'off');
  return mode === 'edit' ? preview : undefined;
}

export interface ReplyPreviewOptions {
  preview: ChannelPreview;
  target: ReplyTarget;
  clock: Clock;
  log: Logger;
  /** The channel's message limit: the preview shows the reply's first chunk. */
  textLimit: number;
  /** A preview already shown for this reply (before a restart): edited, not sent again. */
  messageId?: string;
  /** Names the preview message for good (Discord's nonce), like a chunk's send key. */
  sendKey?: string;
  /** Records the new preview message (in the spool), so a restart edits it instead of leaving it. */
  onStarted?(messageId: string): Promise<void>;
}

export interface ReplyPreview {
  /** Feed of the agent run's events (`runTurn`'s `onEvent`). */
  onEvent(event: AgentEvent): void;
  /**
   * Stops previewing: no timer left, nothing in flight, the message id recorded. Resolves with
   * the preview message's id, when one was shown.
   */
  close(): Promise<string | undefined>;
}

/**
 * Shows a streaming reply in one message: sent at the first text, then edited with what has
 * streamed, at most once per PREVIEW_EDIT_EVERY_MS on the injected clock and one call at a time
 * (what streams meanwhile is folded into the next edit). A rate limit (`retryAfterMs`) defers the
 * next edit; any other failure ends the preview. Nothing here ever fails the turn.
 */
export function createReplyPreview(options: ReplyPreviewOptions): ReplyPreview {
  const { preview, target, clock, log } = options;
  const done: string[] = [];
  let current = '';
  let shown = '';
  let messageId = options.messageId;
  let lastCallAt = Number.NEGATIVE_INFINITY;
  let blockedUntil = 0;
  let busy: Promise<void> | undefined;
  let recording: Promise<void> | undefined;
  let cancelTimer: (() => void) | undefined;
  let stopped = false;

  // The same text the model loop returns: each round's text, joined by a blank line.
  const text = () => {
    const whole = [...done, current]
      .filter((part) => part.trim())
      .join('\n\n')
      .trim();
    return whole.length <= options.textLimit ? whole : (chunkText(whole, options.textLimit)[0] ?? '');
  };

  function schedule(): void {
    if (stopped || busy || cancelTimer) return;
    const now = clock.now();
    const due = Math.max(lastCallAt + PREVIEW_EDIT_EVERY_MS, blockedUntil);
    if (now >= due) {
      flush(now);
      return;
    }
    cancelTimer = clock.setTimer(() => {
      cancelTimer = undefined;
      schedule();
    }, due - now);
  }

  function flush(now: number): void {
    const next = text();
    if (!next || next === shown) return;
    lastCallAt = now;
    const call = messageId
      ? preview.edit(target, messageId, next)
      : preview.start(target, next, options.sendKey).then((id) => {
          messageId = id;
          recording = options
            .onStarted?.(id)
            .catch((error) => log.error('recording the preview failed', error));
        });
    busy = call
      .then(() => {
        shown = next;
      })
      .catch((error: unknown) => {
        const wait = isGatewayError(error) && error.retryable ? error.retryAfterMs : undefined;
        if (wait !== undefined) {
          blockedUntil = clock.now() + wait;
          log.debug(`preview edits in ${target.channel} chat ${target.chatId} wait ${wait} ms (rate limit)`);
          return;
        }
        // The final text still goes out (as an edit, else as a new message); only the preview stops.
        stopped = true;
        log.warn(
          `reply preview in ${target.channel} chat ${target.chatId} stopped: ${(error as Error)?.message ?? error}`,
        );
      })
      .finally(() => {
        busy = undefined;
        schedule();
      });
  }

  return {
    onEvent(event) {
      if (stopped) return;
      if (event.type === 'delta') current += event.text;
      else if (event.type === 'tool' && current) {
        done.push(current);
        current = '';
      } else if (event.type === 'model') current = '';
      else return;
      schedule();
    },
    async close() {
      stopped = true;
      cancelTimer?.();
      cancelTimer = undefined;
      // Bounded: once stopped, a finished call schedules nothing more.
      while (busy) await busy;
      await recording;
      return messageId;
    },
  };
}
