import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeLlmServer, startFakeAnthropic } from '../fakes/anthropic-server';
import { type FakeDiscord, startFakeDiscord } from '../fakes/discord';
import { TARGETS, type Target } from '../helpers/targets';

const GUILD = '330000000000000001';
const GENERAL = '440000000000000001';

let discord: FakeDiscord;
let anthropic: FakeLlmServer;
let keys: CryptoKeyPair;
let publicKey: string;

beforeAll(async () => {
  discord = await startFakeDiscord();
  anthropic = await startFakeAnthropic();
  keys = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  publicKey = Buffer.from(await crypto.subtle.exportKey('raw', keys.publicKey)).toString('hex');
});
afterAll(async () => {
  await discord?.close();
  await anthropic?.close();
});

async function signed(body: string, key = keys.privateKey): Promise<Record<string, string>> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = Buffer.from(
    await crypto.subtle.sign('Ed25519', key, new TextEncoder().encode(timestamp + body)),
  ).toString('hex');
  return {
    'content-type': 'application/json',
    'x-signature-ed25519': signature,
    'x-signature-timestamp': timestamp,
  };
}

/** The same interactions endpoint on the Node gateway and on the Worker (no gateway socket there). */
describe.each(Object.keys(TARGETS) as Array<keyof typeof TARGETS>)(
  'discord interactions on %s',
  (runtime) => {
    let target: Target;
    beforeAll(async () => {
      target = await TARGETS[runtime]({
        env: {
          krabkrab_GATEWAY_TOKEN: 'matrix-token-0123456789abcdef',
          DISCORD_PUBLIC_KEY: publicKey,
          DISCORD_API_BASE: discord.apiBase,
          ANTHROPIC_API_KEY: 'sk-ant-matrix',
          ANTHROPIC_BASE_URL: anthropic.baseUrl,
        },
        config: {
          agents: {
            defaults: { model: { primary: 'anthropic/claude-opus-4-5' } },
            list: [{ id: 'main', default: true }],
          },
          // enabled: false: no gateway socket, only the signed HTTP endpoint.
          channels: {
            discord: {
              enabled: false,
              guilds: { [GUILD]: { channels: { general: { allow: true } }, requireMention: false } },
            },
          },
        },
      });
    }, 60_000);
    afterAll(() => target?.stop());

    const url = () => `${target.url}/discord/interactions`;

    it('PING → PONG with a good signature; missing or bad signature → 401', async () => {
      const body = JSON.stringify({ id: '1', application_id: discord.applicationId, type: 1, token: 't' });
      const ok = await fetch(url(), { method: 'POST', body, headers: await signed(body) });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ type: 1 });
      const missing = await fetch(url(), {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
      });
      expect(missing.status).toBe(401);
      const other = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
        'sign',
        'verify',
      ])) as CryptoKeyPair;
      const bad = await fetch(url(), { method: 'POST', body, headers: await signed(body, other.privateKey) });
      expect(bad.status).toBe(401);
    });

    it('/ask is deferred, then the answer edits the original response via the webhook', async () => {
      const token = `matrix-${runtime}-token`;
      const body = JSON.stringify({
        id: `77${runtime.length}`,
        application_id: discord.applicationId,
        type: 2,
        token,
        guild_id: GUILD,
        channel_id: GENERAL,
        channel: { id: GENERAL, type: 0, name: 'general' },
        member: { user: { id: '100000000000000001', username: 'alice' } },
        data: {
          name: 'ask',
          type: 1,
          options: [{ name: 'prompt', type: 3, value: `hello from ${runtime}` }],
        },
      });
      const res = await fetch(url(), { method: 'POST', body, headers: await signed(body) });
      expect(await res.json()).toEqual({ type: 5 });
      const path = `/webhooks/${discord.applicationId}/${token}/messages/@original`;
      const edit = await discord.waitFor(() => discord.calls('PATCH', path)[0], 15_000, 'follow-up edit');
      expect(edit.body.content).toContain(`hello from ${runtime}`);
    });
  },
);
