import { createPairingStore } from '../../pairing/pairing-store';
import * as z from '../../zod';
import { defineMethod } from '../method';
import type { PairingApproved, PairingDenied, PairingList } from '../payloads/pairing';

const decision = z.object({ channel: z.string().min(1).max(64), code: z.string().min(4).max(16) });

export const pairingList = defineMethod(
  z.object({}).optional(),
  async (_params, { ctx }): Promise<PairingList> =>
    createPairingStore(ctx.store, () => ctx.clock.now()).list(),
);

/** Admits the sender and, when their channel is running, tells them so. */
export const pairingApprove = defineMethod(
  decision,
  async ({ channel, code }, { ctx }): Promise<PairingApproved> => {
    const request = await createPairingStore(ctx.store, () => ctx.clock.now(), ctx.events).approve(
      channel,
      code,
    );
    ctx.log.scope('pairing').info(`approved ${channel} user ${request.senderId} (code ${request.code})`);
    const adapter = ctx.channels.get(channel);
    if (adapter && request.target) {
      ctx.waitUntil(
        adapter.send(request.target, 'You are approved: send me a message any time.').catch(() => {}),
      );
    }
    return { approved: { channel, senderId: request.senderId, senderName: request.senderName } };
  },
);

export const pairingDeny = defineMethod(
  decision,
  async ({ channel, code }, { ctx }): Promise<PairingDenied> => {
    const request = await createPairingStore(ctx.store, () => ctx.clock.now(), ctx.events).deny(
      channel,
      code,
    );
    ctx.log.scope('pairing').info(`denied ${channel} user ${request.senderId} (code ${request.code})`);
    return { denied: { channel, senderId: request.senderId } };
  },
);
