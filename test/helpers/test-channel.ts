import type {
  ChannelAdapter,
  ChannelPolicy,
  InboundMessage,
  ReplyTarget,
} from '../../src/core/channels/types';

export interface SentMessage {
  target: ReplyTarget;
  text: string;
  /** The pipeline's name for this chunk (the same after a restart). */
  sendKey?: string;
}

export interface TestChannel extends ChannelAdapter {
  /** Every message the pipeline sent, in order. */
  sent: SentMessage[];
  /** Makes the next `n` sends throw (a platform outage). */
  failNextSends(n: number): void;
  /** Resolves once `count` messages were sent (bounded by `timeoutMs`). */
  waitForSends(count: number, timeoutMs?: number): Promise<SentMessage[]>;
  /** A normalized inbound message with defaults (a DM from user `u1`). */
  message(
    overrides?: Partial<Omit<InboundMessage, 'chat' | 'sender'>> & {
      chat?: Partial<InboundMessage['chat']>;
      sender?: Partial<InboundMessage['sender']>;
    },
  ): InboundMessage;
}

export interface TestChannelOptions {
  id?: string;
  textLimit?: number;
  policy?: Partial<ChannelPolicy>;
  /** Groups allowed (all when absent) and whether they need a mention. */
  groups?: Record<string, { requireMention?: boolean }>;
}

let messageIds = 0;

/** An in-memory channel for unit tests: records what the pipeline sends, admits groups by a table. */
export function createTestChannel(options: TestChannelOptions = {}): TestChannel {
  const id = options.id ?? 'test';
  const sent: SentMessage[] = [];
  const waiters = new Set<() => void>();
  let failures = 0;
  return {
    id,
    textLimit: options.textLimit ?? 2000,
    sent,
    policy: () => ({ dmPolicy: 'open', allowFrom: [], groupPolicy: 'open', ...options.policy }),
    admitGroup(message) {
      if (!options.groups) return { allowed: true, requireMention: false };
      const group = options.groups[message.chat.id];
      return { allowed: group !== undefined, requireMention: group?.requireMention ?? false };
    },
    async send(target, text, sendKey) {
      if (failures > 0) {
        failures--;
        throw new Error('test channel: send failed');
      }
      sent.push({ target, text, sendKey });
      for (const waiter of waiters) waiter();
    },
    failNextSends(n) {
      failures = n;
    },
    waitForSends(count, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (sent.length < count) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(sent.slice());
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `expected ${count} sends in ${timeoutMs} ms, got ${sent.length}: ${JSON.stringify(sent.map((s) => s.text))}`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    message(overrides = {}) {
      const { chat, sender, ...rest } = overrides;
      return {
        channel: id,
        accountId: 'bot1',
        messageId: `m${++messageIds}`,
        chat: { id: 'u1', kind: 'dm', ...chat },
        sender: { id: 'u1', name: 'User One', ...sender },
        text: 'hello',
        mentioned: false,
        receivedAt: Date.now(),
        ...rest,
      };
    },
  };
}
