import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeLlmServer, reply, startFakeAnthropic } from '../fakes/anthropic-server';
import { type FakeDiscord, type FakeUser, OP, snowflake, startFakeDiscord } from '../fakes/discord';
import {
  cleanEnv,
  type GatewayProcess,
  removeDir,
  runCli,
  startGateway,
  tempStateDir,
} from '../helpers/gateway-process';

const GUILD = '310000000000000001';
const OTHER_GUILD = '320000000000000002';
const GENERAL = '410000000000000001';
const RANDOM = '410000000000000002';
const THREAD = '410000000000000003';
const OTHER_GENERAL = '420000000000000001';
const DM = '430000000000000001';
const GATEWAY_TOKEN = 'e2e-gateway-token-0123456789';
const BOB: FakeUser = { id: '100000000000000002', username: 'bob', global_name: 'Bob' };
const STRANGER: FakeUser = { id: '100000000000000009', username: 'stranger' };

/** The guide's config (test/fixtures/guide-config.json), its YOUR_GUILD_ID replaced by the fake guild. */
// biome-ignore lint/suspicious/noExplicitAny: the parsed guide config is patched by path in tests
function guideConfig(patch?: (config: Record<string, any>) => void): string {
  const text = readFileSync(new URL('../fixtures/guide-config.json', import.meta.url), 'utf8').replace(
    'YOUR_GUILD_ID',
    GUILD,
  );
  const config = JSON.parse(text);
  patch?.(config);
  return `${JSON.stringify(config, null, 2)}\n`;
}

let discord: FakeDiscord;
let anthropic: FakeLlmServer;
let gateway: GatewayProcess;
let stateDir: string;
let interactionKeys: CryptoKeyPair;

beforeAll(async () => {
  discord = await startFakeDiscord({
    guilds: [
      {
        id: GUILD,
        name: 'Krab Lab',
        channels: [
          { id: GENERAL, name: 'general', type: 0 },
          { id: RANDOM, name: 'random', type: 0 },
        ],
      },
      { id: OTHER_GUILD, name: 'Elsewhere', channels: [{ id: OTHER_GENERAL, name: 'general', type: 0 }] },
    ],
    extraChannels: [{ id: THREAD, type: 11, name: 'a thread', parent_id: GENERAL, guild_id: GUILD }],
  });
  anthropic = await startFakeAnthropic();
  interactionKeys = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const publicKey = Buffer.from(await crypto.subtle.exportKey('raw', interactionKeys.publicKey)).toString(
    'hex',
  );
  stateDir = tempStateDir('krab-discord-');
  writeFileSync(join(stateDir, 'krabkrab.json'), guideConfig());
  gateway = await startGateway({
    stateDir,
    env: {
      krabkrab_GATEWAY_TOKEN: GATEWAY_TOKEN,
      DISCORD_BOT_TOKEN: discord.token,
      DISCORD_API_BASE: discord.apiBase,
      ANTHROPIC_API_KEY: 'sk-ant-e2e',
      ANTHROPIC_BASE_URL: anthropic.baseUrl,
      DISCORD_PUBLIC_KEY: publicKey,
    },
  });
}, 30_000);

afterAll(async () => {
  await gateway?.stop();
  await discord?.close();
  await anthropic?.close();
  removeDir(stateDir);
});

const posted = (channelId: string) => discord.calls('POST', `/channels/${channelId}/messages`);

/** Waits until `count` messages were posted to the channel. */
function replies(channelId: string, count = 1) {
  return discord.waitFor(
    () => (posted(channelId).length >= count ? posted(channelId) : undefined),
    15_000,
    `${count} message(s) in ${channelId}`,
  );
}

describe('discord channel, end to end (gateway process, fake Discord, fake Anthropic)', () => {
  it('logs the login exactly as the guide shows', async () => {
    const line = await gateway.waitForLine(/\[discord\] logged in/, 15_000);
    expect(line).toBe('[discord] logged in to discord as krabbot');
  });

  it('answers in the allowlisted #general as a reply, showing typing while the agent runs', async () => {
    const id = discord.userMessage({ channelId: GENERAL, guildId: GUILD, content: 'hello krab' });
    const [answer] = await replies(GENERAL);
    expect(answer!.body.content).toContain('hello krab');
    expect(answer!.body.message_reference).toEqual({ message_id: id, fail_if_not_exists: false });
    expect(discord.calls('POST', `/channels/${GENERAL}/typing`).length).toBeGreaterThanOrEqual(1);
    expect(anthropic.requests.at(-1)?.apiKey).toBe('sk-ant-e2e');
  });

  it('ignores another channel of the guild and another guild', async () => {
    const before = posted(GENERAL).length;
    discord.userMessage({ channelId: RANDOM, guildId: GUILD, content: 'not for you' });
    discord.userMessage({ channelId: OTHER_GENERAL, guildId: OTHER_GUILD, content: 'nor this' });
    // Messages are handled in order: once this one is answered, the two above were looked at.
    discord.userMessage({ channelId: GENERAL, guildId: GUILD, content: 'marker' });
    await replies(GENERAL, before + 1);
    expect(posted(RANDOM)).toEqual([]);
    expect(posted(OTHER_GENERAL)).toEqual([]);
    expect(anthropic.requests.some((r) => /not for you|nor this/.test(r.lastUserText))).toBe(false);
  });

  it('answers a thread of #general inside the thread', async () => {
    discord.userMessage({ channelId: THREAD, guildId: GUILD, content: 'threaded question' });
    const [answer] = await replies(THREAD);
    expect(answer!.body.content).toContain('threaded question');
  });

  it('splits a long answer at 2000 characters without breaking the code block', async () => {
    const code = Array.from({ length: 120 }, (_, i) => `print("line ${i} of a long program")`).join('\n');
    anthropic.enqueue(reply.text(`Here you go:\n\n\`\`\`python\n${code}\n\`\`\`\n\nThat is all.`));
    const before = posted(GENERAL).length;
    discord.userMessage({ channelId: GENERAL, guildId: GUILD, content: 'write a long program' });
    await discord.waitFor(
      () => posted(GENERAL).some((c) => String(c.body.content).endsWith('That is all.')),
      15_000,
      'last part',
    );
    const parts = posted(GENERAL).slice(before);
    expect(parts.length).toBeGreaterThanOrEqual(3);
    for (const part of parts) {
      expect(part.body.content.length).toBeLessThanOrEqual(2000);
      expect((part.body.content.match(/```/g) ?? []).length % 2).toBe(0);
    }
    expect(parts.map((p) => Boolean(p.body.message_reference))).toEqual(parts.map((_, i) => i === 0));
  });

  it('requireMention: true answers only an @mention or a reply to the bot', async () => {
    writeFileSync(
      join(stateDir, 'krabkrab.json'),
      guideConfig((c) => (c.channels.discord.guilds[GUILD].requireMention = true)),
    );
    await gateway.waitForLine(/\[gateway\] config reloaded/, 10_000);
    const before = posted(GENERAL).length;
    discord.userMessage({
      channelId: GENERAL,
      guildId: GUILD,
      content: 'chatting among ourselves',
      author: BOB,
    });
    discord.userMessage({
      channelId: GENERAL,
      guildId: GUILD,
      content: 'are you there?',
      author: BOB,
      mentionsBot: true,
    });
    const answered = await replies(GENERAL, before + 1);
    expect(answered.at(-1)!.body.content).toContain('are you there?');
    discord.userMessage({
      channelId: GENERAL,
      guildId: GUILD,
      content: 'and a follow-up',
      author: BOB,
      replyTo: { id: snowflake(), author: discord.bot, content: 'earlier answer' },
    });
    const again = await replies(GENERAL, before + 2);
    expect(again.at(-1)!.body.content).toContain('and a follow-up');
    expect(anthropic.requests.some((r) => r.lastUserText.includes('chatting among ourselves'))).toBe(false);
  });

  it('a DM from a stranger gets a pairing code; once approved, the DM is answered', async () => {
    discord.userMessage({ channelId: DM, content: 'hi bot', author: STRANGER });
    const [pairing] = await replies(DM);
    const code = /pairing code is ([A-Z0-9]{6})/.exec(pairing!.body.content)?.[1];
    expect(code).toBeDefined();
    const approved = await runCli(
      ['pairing', 'approve', 'discord', code!],
      cleanEnv({ krabkrab_STATE_DIR: stateDir }),
    );
    expect(approved.code).toBe(0);
    discord.userMessage({ channelId: DM, content: 'may I talk now?', author: STRANGER });
    const [, answer] = await replies(DM, 2);
    expect(answer!.body.content).toContain('may I talk now?');
  });

  it('status shows the channel connected with the bot login', async () => {
    const res = await fetch(`${gateway.url}/api/status`, {
      headers: { authorization: `Bearer ${GATEWAY_TOKEN}` },
    });
    const status = await res.json();
    expect(status.channels.discord).toMatchObject({ state: 'connected', login: 'krabbot' });
  });

  it('resumes after the gateway drops the connection and answers what came in meanwhile', async () => {
    const resumesBefore = discord.gateway.ops(OP.RESUME).length;
    discord.gateway.drop();
    discord.userMessage({
      channelId: GENERAL,
      guildId: GUILD,
      content: 'sent during the outage',
      mentionsBot: true,
    });
    await gateway.waitForLine(/\[discord\] resumed the session/, 10_000);
    expect(discord.gateway.ops(OP.RESUME).length).toBe(resumesBefore + 1);
    await discord.waitFor(
      () => posted(GENERAL).some((c) => String(c.body.content).includes('sent during the outage')),
      15_000,
      'answer',
    );
    expect(gateway.output()).toMatch(/\[discord\] connection closed \(code 1006\); reconnecting/);
  });

  it('identifies again after an invalid session and keeps answering', { timeout: 25_000 }, async () => {
    const identifies = discord.gateway.ops(OP.IDENTIFY).length;
    discord.gateway.invalidateSession();
    await gateway.waitForLine(/\[discord\] discord invalidated the session; identifying again/, 10_000);
    await discord.waitFor(
      () => discord.gateway.ops(OP.IDENTIFY).length === identifies + 1,
      12_000,
      'IDENTIFY',
    );
    await discord.waitFor(
      () => (gateway.output().match(/logged in to discord as krabbot/g) ?? []).length >= 2,
      5000,
      'second login',
    );
    discord.userMessage({
      channelId: GENERAL,
      guildId: GUILD,
      content: 'after the new session',
      mentionsBot: true,
    });
    await discord.waitFor(
      () => posted(GENERAL).some((c) => String(c.body.content).includes('after the new session')),
      15_000,
      'answer',
    );
  });

  it('serves the signed interactions endpoint on the gateway port: PING → PONG, unsigned → 401', async () => {
    const body = JSON.stringify({ id: '1', application_id: discord.applicationId, type: 1, token: 't' });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = Buffer.from(
      await crypto.subtle.sign(
        'Ed25519',
        interactionKeys.privateKey,
        new TextEncoder().encode(timestamp + body),
      ),
    ).toString('hex');
    const url = `${gateway.url}/discord/interactions`;
    const signed = await fetch(url, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'x-signature-ed25519': signature,
        'x-signature-timestamp': timestamp,
      },
    });
    const answer = await signed.json();
    expect(answer, JSON.stringify(answer)).toEqual({ type: 1 });
    const unsigned = await fetch(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    });
    expect(unsigned.status).toBe(401);
  });

  it('never prints the bot token', () => {
    expect(gateway.output()).not.toContain(discord.token);
  });
});

describe('discord onboarding from a shell (fly ssh console), gateway already running', () => {
  it('channels add discord stores the token, and the running gateway logs in without a restart', async () => {
    const fake = await startFakeDiscord();
    const dir = tempStateDir('krab-discord-onboard-');
    const env = { DISCORD_API_BASE: fake.apiBase };
    const running = await startGateway({ stateDir: dir, env });
    try {
      expect(running.output()).not.toContain('[discord]');
      const added = await runCli(
        ['channels', 'add', 'discord', '--token', fake.token],
        cleanEnv({ krabkrab_STATE_DIR: dir, ...env }),
      );
      expect(added.code).toBe(0);
      expect(added.stdout).toContain('https://discord.com/oauth2/authorize?');
      const line = await running.waitForLine(/\[discord\] logged in/, 15_000);
      expect(line).toBe('[discord] logged in to discord as krabbot');
      expect(readFileSync(join(dir, 'krabkrab.json'), 'utf8')).not.toContain(fake.token);
      expect(running.output()).not.toContain(fake.token);
    } finally {
      await running.stop();
      await fake.close();
      removeDir(dir);
    }
  });
});

describe('discord after a crash', () => {
  it('a message accepted before SIGKILL is answered once after the restart', {
    timeout: 60_000,
  }, async () => {
    const fake = await startFakeDiscord({
      guilds: [{ id: GUILD, name: 'Krab Lab', channels: [{ id: GENERAL, name: 'general', type: 0 }] }],
    });
    const model = await startFakeAnthropic();
    const dir = tempStateDir('krab-discord-crash-');
    writeFileSync(join(dir, 'krabkrab.json'), guideConfig());
    const env = {
      krabkrab_GATEWAY_TOKEN: GATEWAY_TOKEN,
      DISCORD_BOT_TOKEN: fake.token,
      DISCORD_API_BASE: fake.apiBase,
      ANTHROPIC_API_KEY: 'sk-ant-crash',
      ANTHROPIC_BASE_URL: model.baseUrl,
    };
    let running = await startGateway({ stateDir: dir, env });
    try {
      await running.waitForLine(/\[discord\] logged in/, 15_000);
      model.enqueue(reply.hang());
      sendToGeneral(fake, 'answer me even if you crash');
      await model.waitForRequests(1, 15_000);
      await running.stop('SIGKILL');
      running = await startGateway({ stateDir: dir, env });
      const answered = await fake.waitFor(
        () =>
          fake
            .calls('POST', `/channels/${GENERAL}/messages`)
            .find((c) => String(c.body.content).includes('answer me even if you crash')),
        20_000,
        'the answer after the restart',
      );
      expect(answered.body.message_reference).toBeDefined();
      await running.waitForLine(/\[discord\] logged in/, 15_000);
      expect(fake.calls('POST', `/channels/${GENERAL}/messages`).length).toBe(1);
    } finally {
      await running.stop();
      await fake.close();
      await model.close();
      removeDir(dir);
    }
  });
});

function sendToGeneral(fake: FakeDiscord, content: string): void {
  fake.userMessage({ channelId: GENERAL, guildId: GUILD, content });
}
