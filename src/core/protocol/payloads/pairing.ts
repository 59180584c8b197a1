import { replyTarget } from '../../channels/types';
import * as z from '../../zod';

/** A code waiting for the owner's approval (`pairing.list`'s `pending`). */
export const pairingRequest = z.object({
  channel: z.string(),
  code: z.string(),
  senderId: z.string(),
  senderName: z.string().optional(),
  accountId: z.string(),
  createdAt: z.number(),
  expiresAt: z.number(),
  /** Where to tell the sender they were approved. */
  target: replyTarget.optional(),
});
export type PairingRequest = z.infer<typeof pairingRequest>;

/** A sender the owner approved; DMs from them pass the `pairing` and `allowlist` policies. */
export const pairedSender = z.object({
  channel: z.string(),
  senderId: z.string(),
  senderName: z.string().optional(),
  approvedAt: z.number(),
  code: z.string().optional(),
});
export type PairedSender = z.infer<typeof pairedSender>;

/** `pairing.list`'s payload. */
export const pairingList = z.object({ pending: z.array(pairingRequest), approved: z.array(pairedSender) });
export type PairingList = z.infer<typeof pairingList>;

/** `pairing.approve`'s payload. */
export const pairingApproved = z.object({
  approved: pairedSender.pick({ channel: true, senderId: true, senderName: true }),
});
export type PairingApproved = z.infer<typeof pairingApproved>;

/** `pairing.deny`'s payload. */
export const pairingDenied = z.object({ denied: pairedSender.pick({ channel: true, senderId: true }) });
export type PairingDenied = z.infer<typeof pairingDenied>;

/** The `pairing.requested` event: a new code (without where to answer the sender). */
export const pairingRequested = pairingRequest.omit({ target: true });
export type PairingRequested = z.infer<typeof pairingRequested>;

/** The `pairing.resolved` event: a code approved or denied (from any page, the chat or the CLI's gateway). */
export const pairingResolved = z.object({
  channel: z.string(),
  code: z.string(),
  senderId: z.string(),
  decision: z.enum(['approved', 'denied']),
});
export type PairingResolved = z.infer<typeof pairingResolved>;
