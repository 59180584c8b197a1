import { describe, expect, it } from 'vitest';
import { createPairingStore } from '../../../src/core/pairing/pairing-store';
import { createEventHub } from '../../../src/core/runtime/events';
import { createManualClock, createMemoryStore } from '../../helpers/context';

describe('pairing events (what the Control UI badge hears)', () => {
  it('pairing.requested once per new code, without the reply target; pairing.resolved on approve and deny', async () => {
    const clock = createManualClock();
    const events = createEventHub();
    const heard: Array<[string, unknown]> = [];
    events.subscribe((event, payload) => heard.push([event, payload]));
    const pairing = createPairingStore(createMemoryStore(), clock.now, events);
    const ask = (senderId: string) =>
      pairing.request({
        channel: 'telegram',
        senderId,
        senderName: 'Ada',
        accountId: 'bot',
        target: { channel: 'telegram', accountId: 'bot', chatId: senderId },
      });

    const first = await ask('8001');
    await ask('8001'); // the same sender again: the open code, no new event
    const second = await ask('8002');
    expect(heard).toEqual([
      [
        'pairing.requested',
        {
          channel: 'telegram',
          code: first.code,
          senderId: '8001',
          senderName: 'Ada',
          accountId: 'bot',
          createdAt: clock.now(),
          expiresAt: first.expiresAt,
        },
      ],
      ['pairing.requested', expect.objectContaining({ code: second.code, senderId: '8002' })],
    ]);

    heard.length = 0;
    await pairing.approve('telegram', first.code.toLowerCase());
    await pairing.deny('telegram', second.code);
    await expect(pairing.approve('telegram', 'ZZZZZZ')).rejects.toThrow(/no pending pairing code/);
    expect(heard).toEqual([
      ['pairing.resolved', { channel: 'telegram', code: first.code, senderId: '8001', decision: 'approved' }],
      ['pairing.resolved', { channel: 'telegram', code: second.code, senderId: '8002', decision: 'denied' }],
    ]);
  });
});
