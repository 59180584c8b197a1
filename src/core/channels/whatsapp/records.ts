import type { Store } from '../../storage/store';
import type { WhatsAppReactionEvent, WhatsAppStatusEvent } from './normalize';

/** Texts of the last messages the gateway sent, by wamid: a user's reply or reaction to one names it to the model. */
export const SENT_KEY = 'channels:whatsapp:sent';
/** Delivery statuses and reactions as reported by the webhook (counts and the last few). */
export const REPORTS_KEY = 'channels:whatsapp:reports';

const SENT_KEPT = 200;
const RECENT_KEPT = 50;

export interface SentRecord {
  id: string;
  to: string;
  text: string;
  at: number;
}

export interface WhatsAppReports {
  counts: Record<string, number>;
  recent: Array<
    (WhatsAppStatusEvent & { kind: 'status' }) | (WhatsAppReactionEvent & { kind: 'reaction'; at: number })
  >;
  /** The last failed delivery, with Meta's reason: what `status` shows. */
  lastFailure?: WhatsAppStatusEvent;
}

export async function rememberSent(store: Store, record: SentRecord): Promise<void> {
  await store.state<SentRecord[]>(SENT_KEY).update((current) => {
    const list = [...(current ?? []), { ...record, text: record.text.slice(0, 500) }];
    return list.slice(-SENT_KEPT);
  });
}

export async function sentText(store: Store, id: string): Promise<string | undefined> {
  const list = await store.state<SentRecord[]>(SENT_KEY).get();
  return list?.find((record) => record.id === id)?.text;
}

/** Records statuses and reactions in one write per webhook. */
export async function recordReports(
  store: Store,
  statuses: WhatsAppStatusEvent[],
  reactions: WhatsAppReactionEvent[],
  now: number,
): Promise<void> {
  if (statuses.length === 0 && reactions.length === 0) return;
  await store.state<WhatsAppReports>(REPORTS_KEY).update((current) => {
    const next: WhatsAppReports = {
      counts: { ...(current?.counts ?? {}) },
      recent: [...(current?.recent ?? [])],
    };
    if (current?.lastFailure) next.lastFailure = current.lastFailure;
    for (const status of statuses) {
      next.counts[status.status] = (next.counts[status.status] ?? 0) + 1;
      next.recent.push({ kind: 'status', ...status });
      if (status.status === 'failed') next.lastFailure = status;
    }
    for (const reaction of reactions) {
      next.counts.reaction = (next.counts.reaction ?? 0) + 1;
      next.recent.push({ kind: 'reaction', ...reaction, at: now });
    }
    next.recent = next.recent.slice(-RECENT_KEPT);
    return next;
  });
}
