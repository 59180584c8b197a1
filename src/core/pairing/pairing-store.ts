import { GatewayError } from '../errors';
import type {
  PairedSender,
  PairingList,
  PairingRequest,
  PairingRequested,
  PairingResolved,
} from '../protocol/payloads/pairing';
import type { EventHub } from '../runtime/events';
import { keySegment, type Store } from '../storage/store';

interface ChannelPairing {
  pending: PairingRequest[];
  approved: PairedSender[];
}

/** Pending codes expire after an hour. */
export const PAIRING_TTL_MS = 60 * 60 * 1000;
/** At most this many open requests per channel: a flood of strangers cannot grow the store. */
export const MAX_PENDING = 20;
/** No 0/O, 1/I/L: codes get read aloud and typed from a phone. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const CODE_LENGTH = 6;

export function pairingKey(channel: string): string {
  return `pairing:${keySegment(channel)}`;
}

export function generatePairingCode(): string {
  let code = '';
  // Rejection sampling keeps every letter equally likely (256 is not a multiple of 31).
  while (code.length < CODE_LENGTH) {
    for (const byte of crypto.getRandomValues(new Uint8Array(16))) {
      if (byte < 248 && code.length < CODE_LENGTH) code += ALPHABET[byte % ALPHABET.length];
    }
  }
  return code;
}

/** Pairing state in the store (`pairing:<channel>`); the CLI uses the same functions on the state dir. */
export interface PairingStore {
  isApproved(channel: string, senderId: string): Promise<boolean>;
  /** The open code for this sender, or a new one; `created` says whether it is new. */
  request(
    input: Omit<PairingRequest, 'code' | 'createdAt' | 'expiresAt'>,
  ): Promise<{ code: string; created: boolean; expiresAt: number }>;
  list(): Promise<PairingList>;
  approve(channel: string, code: string): Promise<PairingRequest>;
  deny(channel: string, code: string): Promise<PairingRequest>;
}

/**
 * `events` (the gateway's hub) hears `pairing.requested` when a code is new and `pairing.resolved`
 * when one is approved or denied, so the owner's pages show them live; the CLI passes none.
 */
export function createPairingStore(
  store: Store,
  now: () => number,
  events?: Pick<EventHub, 'emit'>,
): PairingStore {
  const cell = (channel: string) => store.state<ChannelPairing>(pairingKey(channel));
  const live = (state: ChannelPairing | null): ChannelPairing => ({
    pending: (state?.pending ?? []).filter((request) => request.expiresAt > now()),
    approved: state?.approved ?? [],
  });

  async function take(channel: string, code: string, approve: boolean): Promise<PairingRequest> {
    const wanted = code.trim().toUpperCase();
    const box: { found?: PairingRequest } = {};
    await cell(channel).update((current) => {
      const state = live(current);
      const found = state.pending.find((request) => request.code === wanted);
      if (!found) return current ?? undefined;
      box.found = found;
      const pending = state.pending.filter((request) => request !== found);
      const paired: PairedSender = {
        channel,
        senderId: found.senderId,
        ...(found.senderName ? { senderName: found.senderName } : {}),
        approvedAt: now(),
        code: found.code,
      };
      const approved = approve
        ? [...state.approved.filter((sender) => sender.senderId !== found.senderId), paired]
        : state.approved;
      return { pending, approved };
    });
    if (!box.found)
      throw new GatewayError(
        'NOT_FOUND',
        `no pending pairing code ${JSON.stringify(wanted)} for ${channel} (codes expire after an hour)`,
      );
    const resolved: PairingResolved = {
      channel,
      code: box.found.code,
      senderId: box.found.senderId,
      decision: approve ? 'approved' : 'denied',
    };
    events?.emit('pairing.resolved', resolved);
    return box.found;
  }

  return {
    async isApproved(channel, senderId) {
      const state = await store.get<ChannelPairing>(pairingKey(channel));
      return Boolean(state?.approved.some((sender) => sender.senderId === senderId));
    },
    async request(input) {
      let result = { code: '', created: false, expiresAt: 0 };
      const box: { created?: PairingRequest } = {};
      await cell(input.channel).update((current) => {
        const state = live(current);
        const open = state.pending.find((request) => request.senderId === input.senderId);
        if (open) {
          result = { code: open.code, created: false, expiresAt: open.expiresAt };
          return state;
        }
        const taken = new Set(state.pending.map((request) => request.code));
        let code = generatePairingCode();
        while (taken.has(code)) code = generatePairingCode();
        const request: PairingRequest = {
          ...input,
          code,
          createdAt: now(),
          expiresAt: now() + PAIRING_TTL_MS,
        };
        result = { code, created: true, expiresAt: request.expiresAt };
        box.created = request;
        return { ...state, pending: [...state.pending, request].slice(-MAX_PENDING) };
      });
      if (box.created) {
        // Where to answer the sender stays in the store: the page needs only who asked and the code.
        const { target: _target, ...requested } = box.created;
        events?.emit('pairing.requested', requested satisfies PairingRequested);
      }
      return result;
    },
    async list() {
      const keys = await store.keys('pairing:');
      const states = await Promise.all(keys.map((key) => store.get<ChannelPairing>(key)));
      const all = states.map(live);
      return {
        pending: all.flatMap((state) => state.pending),
        approved: all.flatMap((state) => state.approved),
      };
    },
    approve: (channel, code) => take(channel, code, true),
    deny: (channel, code) => take(channel, code, false),
  };
}
