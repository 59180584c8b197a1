import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeMakeRequest } from '../../../../src/adapters/node/discord/http-request';
import { createDiscordRest, discordErrorStatus } from '../../../../src/core/channels/discord/rest';
import { type FakeDiscord, startFakeDiscord } from '../../../fakes/discord';

let fake: FakeDiscord;
beforeAll(async () => {
  fake = await startFakeDiscord();
});
afterAll(() => fake.close());

describe('@discordjs/rest over node:http (nodeMakeRequest)', () => {
  const rest = (token = fake.token) =>
    createDiscordRest({ apiBase: fake.apiBase, token, makeRequest: nodeMakeRequest });

  it('sends authorized JSON requests and parses JSON and empty answers', async () => {
    const client = await rest();
    expect(await client.get('/users/@me')).toMatchObject({ id: fake.bot.id, username: 'krabbot' });
    await client.post('/channels/21/messages', { body: { content: 'over node:http' } });
    await client.post('/channels/21/typing');
    const [call] = fake.calls('POST', '/channels/21/messages');
    expect(call?.body).toEqual({ content: 'over node:http' });
    expect(call?.authorization).toBe(`Bot ${fake.token}`);
    expect(fake.calls('POST', '/channels/21/typing').length).toBe(1);
  });

  it('waits out a 429 (retry-after) before retrying', async () => {
    fake.rest.rateLimits.set('POST /channels/22/messages', [0.25]);
    const client = await rest();
    await client.post('/channels/22/messages', { body: { content: 'later' } });
    const calls = fake.calls('POST', '/channels/22/messages');
    expect(calls.length).toBe(2);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(200);
  });

  it('reports Discord errors with their status', async () => {
    const client = await rest('OTAwMDAwMDAwMDAwMDAwMDAx.Gwrong.wrong-token-wrong-token-wrong');
    const error = await client.get('/users/@me').catch((e: unknown) => e);
    expect(discordErrorStatus(error)).toBe(401);
  });

  it('refuses bodies it cannot send (file uploads) clearly', async () => {
    await expect(
      nodeMakeRequest(`${fake.apiBase}/v10/users/@me`, { method: 'POST', body: new FormData() }),
    ).rejects.toThrow(/JSON bodies only/);
  });
});
