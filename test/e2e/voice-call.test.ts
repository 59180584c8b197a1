import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeLlmServer, startFakeAnthropic } from '../fakes/anthropic-server';
import { type FakeBotApi, startFakeBotApi } from '../fakes/telegram-bot-api';
import type { TelephonyServer } from '../fakes/telephony-server';
import { startFakeTelnyx, TELNYX_KEY, telnyxAction } from '../fakes/telnyx-rest';
import { startFakeTwilio, TWILIO_NUMBER, TWILIO_SID, TWILIO_TOKEN } from '../fakes/twilio-rest';
import { createFakeBin, freePort } from '../helpers/fake-bin';
import {
  cleanEnv,
  type GatewayProcess,
  removeDir,
  runCli,
  startGateway,
  tempStateDir,
} from '../helpers/gateway-process';
import {
  createTelnyxSigner,
  type TelnyxSigner,
  telnyxEvent,
  twilioCall,
  twilioRequest,
} from '../helpers/voice-webhooks';
import { ControlClient } from '../helpers/ws-client';

const TOKEN = 'voice-e2e-token-0123456789abc';
const OWNER = '+15551230000';
const OUR_NUMBER = TWILIO_NUMBER;

let anthropic: FakeLlmServer;
let twilioApi: TelephonyServer;
let telnyxApi: TelephonyServer;
let signer: TelnyxSigner;
const dirs: string[] = [];

beforeAll(async () => {
  [anthropic, twilioApi, telnyxApi, signer] = await Promise.all([
    startFakeAnthropic(),
    startFakeTwilio(),
    startFakeTelnyx(),
    createTelnyxSigner(),
  ]);
});
afterAll(async () => {
  await Promise.all([anthropic.close(), twilioApi.close(), telnyxApi.close()]);
  for (const dir of dirs) removeDir(dir);
});

async function startWith(
  config: Record<string, unknown>,
  env: Record<string, string> = {},
): Promise<GatewayProcess> {
  const stateDir = tempStateDir('krab-voice-');
  const bin = createFakeBin(['ngrok']);
  const fakeState = tempStateDir('krab-voice-ngrok-');
  dirs.push(stateDir, bin.dir, fakeState);
  writeFileSync(
    join(stateDir, 'krabkrab.json'),
    JSON.stringify({ agents: { defaults: { model: { primary: 'anthropic/claude-opus-4-5' } } }, ...config }),
  );
  return startGateway({
    stateDir,
    env: {
      PATH: bin.path,
      krabkrab_GATEWAY_TOKEN: TOKEN,
      ANTHROPIC_API_KEY: 'sk-ant-fake',
      ANTHROPIC_BASE_URL: anthropic.origin,
      NGROK_AUTHTOKEN: 'ngrok-token-e2e',
      FAKE_NGROK_STATE: fakeState,
      ...env,
    },
  });
}

describe('voice calls through Twilio on a private deployment (ngrok tunnel), the gateway run as a user would', () => {
  let gateway: GatewayProcess;
  let tunnel: string;

  beforeAll(async () => {
    gateway = await startWith(
      {
        plugins: {
          entries: {
            'voice-call': {
              enabled: true,
              config: {
                provider: 'twilio',
                tunnel: { provider: 'ngrok', ngrok: { apiAddr: `127.0.0.1:${await freePort()}` } },
                fromNumber: OUR_NUMBER,
                twilio: { apiBase: twilioApi.origin },
                inbound: { policy: 'allowlist', allowFrom: [OWNER] },
                greeting: 'Krab speaking.',
              },
            },
          },
        },
      },
      { TWILIO_ACCOUNT_SID: TWILIO_SID, TWILIO_AUTH_TOKEN: TWILIO_TOKEN },
    );
    tunnel = /public URL (https:\/\/\S+)/.exec(
      await gateway.waitForLine(/\[tunnel\] public URL https:\/\//),
    )![1]!;
  });
  afterAll(() => gateway?.stop());

  it('points the Twilio number at the tunnel URL when the tunnel comes up', async () => {
    const update = await twilioApi.waitFor(
      (r) => r.method === 'POST' && r.path.includes('/IncomingPhoneNumbers/PN'),
    );
    expect(Object.fromEntries(update.form!)).toEqual({
      VoiceUrl: `${tunnel}/voice/twilio/incoming`,
      VoiceMethod: 'POST',
      StatusCallback: `${tunnel}/voice/twilio/status`,
      StatusCallbackMethod: 'POST',
    });
    await gateway.waitForLine(
      /\[voice\] Twilio number \+15…1111 now sends calls to https:\/\/\S+\/voice\/twilio\/incoming/,
    );
    const status = (await (
      await fetch(`${gateway.url}/api/status`, { headers: { authorization: `Bearer ${TOKEN}` } })
    ).json()) as { voice: unknown; tunnel: { url: string } };
    expect(status.voice).toEqual({
      enabled: true,
      provider: 'twilio',
      credentials: 'set',
      fromNumber: OUR_NUMBER,
      inbound: { policy: 'allowlist', allowed: 1 },
      webhookUrl: `${tunnel}/voice/twilio/incoming`,
    });
    expect(status.tunnel.url).toBe(tunnel);
  });

  const post = (path: string, fields: Record<string, string>, signedFor = tunnel) =>
    fetch(twilioRequest(`${gateway.url}${path}`, `${signedFor}${path}`, fields, TWILIO_TOKEN));
  const inbound = (sid: string, from = OWNER, extra: Record<string, string> = {}) =>
    twilioCall(sid, from, OUR_NUMBER, 'inbound', extra);

  it('verifies against the tunnel URL: signed for the internal URL is 403, for the public one 200', async () => {
    expect((await post('/voice/twilio/incoming', inbound('CA-e2e-internal'), gateway.url)).status).toBe(403);
    const unsigned = await fetch(`${gateway.url}/voice/twilio/incoming`, {
      method: 'POST',
      body: 'CallSid=x',
    });
    expect(unsigned.status).toBe(401);
    const ok = await post('/voice/twilio/incoming', inbound('CA-e2e-public'));
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('<Say language="en-US">Krab speaking.</Say>');
    expect(gateway.output()).toContain(
      '[voice] refused a Twilio webhook to /voice/twilio/incoming: bad signature',
    );
  });

  it('talks with an allowed caller through the agent (fake Anthropic), and rejects a stranger', async () => {
    const before = anthropic.requests.length;
    const greeting = await (await post('/voice/twilio/incoming', inbound('CA-e2e-loop'))).text();
    expect(greeting).toContain('action="/voice/twilio/gather?step=1"');
    const turn = await (
      await post(
        '/voice/twilio/gather?step=1',
        inbound('CA-e2e-loop', OWNER, { SpeechResult: 'Is the crab awake?', Confidence: '0.9' }),
      )
    ).text();
    expect(turn).toContain('echo: Is the crab awake?');
    expect(turn).toContain('action="/voice/twilio/gather?step=2"');
    expect(anthropic.requests.length).toBe(before + 1);
    expect(anthropic.requests.at(-1)!.lastUserText).toBe('Is the crab awake?');

    const stranger = await (
      await post('/voice/twilio/incoming', inbound('CA-e2e-stranger', '+15559999999'))
    ).text();
    expect(stranger).toContain('<Reject reason="rejected"/>');
    expect(anthropic.requests.length).toBe(before + 1);
    expect(gateway.output()).toMatch(
      /\[voice\] rejected call CA-e2e-stranger from \+15…9999: not in inbound\.allowFrom/,
    );
  });

  it('places a call from the CLI, follows status callbacks, and lists/hangs up over WS', async () => {
    const env = cleanEnv({ krabkrab_STATE_DIR: gateway.stateDir, krabkrab_GATEWAY_TOKEN: TOKEN });
    const result = await runCli(
      ['voicecall', 'call', '+15557654321', '--message', 'Your crab is ready.'],
      env,
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^calling \+15557654321 through twilio: call CA[0-9a-f]{32} \(queued\)/);
    const sid = /call (CA[0-9a-f]+)/.exec(result.stdout)![1]!;
    const created = await twilioApi.waitFor((r) => r.form?.get('To') === '+15557654321');
    expect(created.form!.get('Url')).toBe(`${tunnel}/voice/twilio/incoming`);
    expect(created.form!.get('StatusCallback')).toBe(`${tunnel}/voice/twilio/status`);

    const outbound = twilioCall(sid, OUR_NUMBER, '+15557654321', 'outbound-api');
    const answered = await (
      await post('/voice/twilio/incoming', { ...outbound, CallStatus: 'in-progress' })
    ).text();
    expect(answered).toContain('Your crab is ready.');
    expect(
      (await post('/voice/twilio/status', { ...outbound, CallStatus: 'completed', CallDuration: '17' }))
        .status,
    ).toBe(200);

    const client = await ControlClient.connect(`ws://127.0.0.1:${gateway.port}/`, TOKEN);
    try {
      const list = await client.request('voicecall.list', {});
      expect(list.ok).toBe(true);
      const listed = list.payload.calls.find((c: { id: string }) => c.id === sid);
      expect(listed).toMatchObject({
        direction: 'outbound',
        status: 'completed',
        durationSeconds: 17,
        to: '+15557654321',
      });

      const started = await client.request('voicecall.start', { to: '+15557650000' });
      expect(started.ok).toBe(true);
      const second = started.payload.call.id as string;
      const hung = await client.request('voicecall.hangup', { callId: second });
      expect(hung.payload.call).toMatchObject({ id: second, status: 'canceled' });
      const cancel = await twilioApi.waitFor((r) => r.path.endsWith(`/Calls/${second}.json`));
      expect(cancel.form!.get('Status')).toBe('canceled');

      const bad = await client.request('voicecall.start', { to: '555-1234' });
      expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_PARAMS' } });
    } finally {
      client.close();
    }
    const listed = await runCli(['voicecall', 'list'], env);
    expect(listed.stdout).toContain(`${sid}  outbound +15557654321  completed (17 s)`);
  });
});

describe('Telnyx in the running gateway', () => {
  it('answers an allowed caller and hangs up on a stranger, with signed events', async () => {
    const gateway = await startWith(
      {
        plugins: {
          entries: {
            'voice-call': {
              enabled: true,
              config: {
                provider: 'telnyx',
                telnyx: { apiBase: telnyxApi.origin, connectionId: 'c1' },
                inbound: { allowFrom: [OWNER] },
              },
            },
          },
        },
      },
      { TELNYX_API_KEY: TELNYX_KEY, TELNYX_PUBLIC_KEY: signer.publicKey },
    );
    try {
      const url = `${gateway.url}/voice/telnyx/events`;
      const friend = telnyxEvent('call.initiated', {
        call_control_id: 'v3:e2e-friend',
        direction: 'incoming',
        from: OWNER,
        to: OUR_NUMBER,
      });
      expect((await fetch(await signer.request(url, friend))).status).toBe(200);
      const stranger = telnyxEvent('call.initiated', {
        call_control_id: 'v3:e2e-stranger',
        direction: 'incoming',
        from: '+15559999999',
        to: OUR_NUMBER,
      });
      expect((await fetch(await signer.request(url, stranger))).status).toBe(200);
      await telnyxApi.waitFor(
        (r) => telnyxAction(r.path)?.callId === 'v3:e2e-friend' && telnyxAction(r.path)?.action === 'answer',
      );
      await telnyxApi.waitFor(
        (r) =>
          telnyxAction(r.path)?.callId === 'v3:e2e-stranger' && telnyxAction(r.path)?.action === 'hangup',
      );
      const stale = await fetch(await signer.request(url, friend, Math.floor(Date.now() / 1000) - 600));
      expect(stale.status).toBe(403);
      const unsigned = await fetch(url, { method: 'POST', body: JSON.stringify(friend) });
      expect(unsigned.status).toBe(401);
    } finally {
      await gateway.stop();
    }
  });
});

describe('Telegram webhookUrl "auto" behind the tunnel', () => {
  let bot: FakeBotApi;
  beforeAll(async () => {
    bot = await startFakeBotApi();
  });
  afterAll(() => bot.close());

  it('registers the webhook with the tunnel URL once ngrok reports it', async () => {
    const gateway = await startWith(
      {
        gateway: {
          mode: 'local',
          tunnel: { provider: 'ngrok', ngrok: { apiAddr: `127.0.0.1:${await freePort()}` } },
        },
        channels: { telegram: { enabled: true, webhookUrl: 'auto', dmPolicy: 'open' } },
      },
      { TELEGRAM_BOT_TOKEN: bot.token, TELEGRAM_API_ROOT: bot.origin },
    );
    try {
      const tunnel = /public URL (https:\/\/\S+)/.exec(
        await gateway.waitForLine(/\[tunnel\] public URL https:\/\//),
      )![1]!;
      const call = await bot.waitForCall('setWebhook', undefined, 10_000);
      expect(call.params.url).toBe(`${tunnel}/telegram/webhook`);
      expect(bot.webhook()?.url).toBe(`${tunnel}/telegram/webhook`);
    } finally {
      await gateway.stop();
    }
  });
});
