// Cases the interactions fuzz (test/fuzz/webhook-discord.test.ts) found: a signed /ask whose
// channel name was not a string was deferred, then its run died on a TypeError in the background
// ("thinking…" forever). Fields the gateway reads are now checked when the body is parsed.
import { describe, expect, it } from 'vitest';
import { parseInteraction } from '../../../../src/core/channels/discord/interactions';

const ask = {
  id: '1',
  application_id: 'app',
  type: 2,
  token: 't',
  data: { name: 'ask', type: 1, options: [{ name: 'prompt', type: 3, value: 'hi' }] },
  guild_id: 'G1',
  channel_id: '4001',
  channel: { id: '4001', type: 0, name: 'general' },
  member: { user: { id: '7', username: 'ada', global_name: null }, nick: null },
};

describe('parseInteraction', () => {
  it('keeps real interactions (and their other fields)', () => {
    expect(parseInteraction(JSON.stringify({ ...ask, locale: 'en-US' }))).toMatchObject({
      ...ask,
      locale: 'en-US',
    });
    expect(
      parseInteraction(JSON.stringify({ id: '1', application_id: 'a', type: 1, token: 't', version: 1 })),
    ).toMatchObject({ type: 1 });
  });

  it.each([
    ['channel name as an array', { channel: { ...ask.channel, name: ['general'] } }],
    ['user id as a number', { member: { user: { id: 7, username: 'ada' } } }],
    ['options not an array', { data: { name: 'ask', options: 'prompt' } }],
    ['guild id as an object', { guild_id: { id: 'G1' } }],
    ['type as a string', { type: '2' }],
  ])('refuses %s', (_name, change) => {
    expect(parseInteraction(JSON.stringify({ ...ask, ...change }))).toBeUndefined();
  });
});
