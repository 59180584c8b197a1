import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { getCall } from '../../src/core/plugins/voice-call/calls';
import { placeCall } from '../../src/core/plugins/voice-call/outbound';
import { registerVoiceWebhooks } from '../../src/core/plugins/voice-call/register-webhooks';
import type { Clock } from '../../src/core/runtime/clock';
import { createApp } from '../../src/handlers/app';
import { ROUTES } from '../../src/handlers/routes';
import type { TelephonyServer } from '../fakes/telephony-server';
import { startFakeTelnyx, TELNYX_KEY, telnyxAction } from '../fakes/telnyx-rest';
import { createManualClock, type TestContext } from '../helpers/context';
import { createGate, createScriptedRouter, type ScriptedRouter } from '../helpers/scripted-router';
import { createVoiceContext, telnyxVoice, VOICE } from '../helpers/voice-context';
import { createTelnyxSigner, type TelnyxSigner, telnyxEvent } from '../helpers/voice-webhooks';

const { owner: OWNER, number: OUR_NUMBER } = VOICE;
const TARGET = 'http://127.0.0.1:3000/voice/telnyx/events';
const VOICE_ROUTES = ROUTES.filter((route) => route.path.startsWith('/voice/'));

let fake: TelephonyServer;
let signer: TelnyxSigner;
beforeAll(async () => {
  fake = await startFakeTelnyx();
  signer = await createTelnyxSigner();
});
afterAll(() => fake.close());

function setup(
  voice: Record<string, unknown> = {},
  clock?: Clock,
): {
  ctx: TestContext;
  router: ScriptedRouter;
  post(event: unknown, timestamp?: number): Promise<Response>;
  app: ReturnType<typeof createApp>;
} {
  const router = createScriptedRouter();
  const ctx = createVoiceContext(telnyxVoice(fake.origin, voice), {
    env: { TELNYX_API_KEY: TELNYX_KEY, TELNYX_PUBLIC_KEY: signer.publicKey },
    models: router,
    ...(clock ? { clock } : {}),
  });
  const app = createApp(ctx, { clientAddress: () => '203.0.113.9' }, VOICE_ROUTES);
  return {
    ctx,
    router,
    app,
    async post(event, timestamp) {
      const res = await app.fetch(await signer.request(TARGET, event, timestamp));
      await ctx.settle();
      return res;
    },
  };
}

/** The commands the fake received for one call, as `action` or `action:text`. */
function commands(callId: string): string[] {
  return fake.requests
    .map((r) => ({ action: telnyxAction(r.path), json: r.json }))
    .filter((r) => r.action?.callId === callId)
    .map((r) => (r.json?.payload ? `${r.action!.action}:${r.json.payload}` : r.action!.action));
}

const incoming = (id: string, from = OWNER) =>
  telnyxEvent('call.initiated', {
    call_control_id: id,
    direction: 'incoming',
    from,
    to: OUR_NUMBER,
    state: 'parked',
  });

describe('Telnyx webhooks: verification first, fail-closed', () => {
  it('401 without signature headers, 403 for a bad signature or a tampered body; nothing happens', async () => {
    const { ctx, app } = setup();
    const unsigned = await app.fetch(
      new Request(TARGET, { method: 'POST', body: JSON.stringify(incoming('v3:unsigned')) }),
    );
    expect(unsigned.status).toBe(401);

    const good = await signer.request(TARGET, incoming('v3:tampered'));
    const tampered = new Request(TARGET, {
      method: 'POST',
      headers: good.headers,
      body: (await good.text()).replace('v3:tampered', 'v3:other'),
    });
    expect((await app.fetch(tampered)).status).toBe(403);

    const stranger = await createTelnyxSigner();
    expect((await app.fetch(await stranger.request(TARGET, incoming('v3:otherkey')))).status).toBe(403);
    await ctx.settle();
    expect(await ctx.store.keys('calls:')).toEqual([]);
    expect(
      fake.requests.filter((r) => /v3:(unsigned|tampered|other|otherkey)/.test(decodeURIComponent(r.path))),
    ).toEqual([]);
  });

  it('refuses a replay outside the 5-minute window, and ignores a repeated event inside it', async () => {
    const { post } = setup();
    const old = incoming('v3:replayed');
    const stale = await post(old, Math.floor(Date.now() / 1000) - 6 * 60);
    expect(stale.status).toBe(403);
    expect(((await stale.json()) as { error: { message: string } }).error.message).toContain(
      '5-minute window',
    );
    expect(commands('v3:replayed')).toEqual([]);

    const event = incoming('v3:twice');
    expect((await post(event)).status).toBe(200);
    const again = await post(event);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ ok: true, duplicate: true });
    expect(commands('v3:twice')).toEqual(['answer']);
  });

  it('400 for a signed body that is not a Telnyx event', async () => {
    const { post } = setup();
    expect((await post({ hello: 'world' })).status).toBe(400);
  });
});

describe('Telnyx calls (Call Control)', () => {
  it('hangs up on a caller not on the allowlist', async () => {
    const { ctx, router, post } = setup();
    await post(incoming('v3:stranger', '+15559999999'));
    expect(commands('v3:stranger')).toEqual(['hangup']);
    expect(router.requests).toHaveLength(0);
    expect(await getCall(ctx, 'telnyx', 'v3:stranger')).toMatchObject({ status: 'rejected' });
  });

  it("answers, greets, transcribes the caller, and speaks the agent's answers", async () => {
    const { ctx, router, post } = setup({ greeting: 'Krab here.' });
    const id = 'v3:loop';
    await post(incoming(id));
    await post(telnyxEvent('call.answered', { call_control_id: id, from: OWNER, to: OUR_NUMBER }));
    expect(commands(id)).toEqual(['answer', 'transcription_start', 'speak:Krab here.']);
    const start = fake.requests.find(
      (r) => telnyxAction(r.path)?.action === 'transcription_start' && telnyxAction(r.path)?.callId === id,
    )!;
    expect(start.json).toMatchObject({ transcription_tracks: 'inbound', language: 'en' });

    await post(
      telnyxEvent('call.transcription', {
        call_control_id: id,
        transcription_data: { transcript: 'what time', is_final: false, confidence: 0.5 },
      }),
    );
    expect(router.requests).toHaveLength(0);
    await post(
      telnyxEvent('call.transcription', {
        call_control_id: id,
        transcription_data: { transcript: 'what time is it', is_final: true, confidence: 0.95 },
      }),
    );
    expect(commands(id).at(-1)).toBe('speak:echo: what time is it');
    const speak = fake.requests.filter((r) => telnyxAction(r.path)?.action === 'speak').at(-1)!;
    expect(speak.json).toMatchObject({ voice: 'female', language: 'en-US' });

    await post(telnyxEvent('call.hangup', { call_control_id: id, hangup_cause: 'normal_clearing' }));
    const record = (await getCall(ctx, 'telnyx', id))!;
    expect(record).toMatchObject({
      status: 'completed',
      turns: 1,
      sessionKey: `agent:main:voice:${OWNER}:v3%3aloop`,
    });
    expect(record.transcript.map((l) => l.role)).toEqual(['agent', 'caller', 'agent']);
    expect((await ctx.agents.sessions.get(record.sessionKey))?.messages).toHaveLength(2);
  });

  it('speaks a filler while a slow agent thinks', async () => {
    // Real time to start with: Telnyx signatures carry a timestamp the webhook checks on this clock.
    const clock = createManualClock(Date.now());
    const model = createGate();
    const { router, post } = setup({ replyWaitSeconds: 0.05 }, clock);
    router.enqueue({ text: 'Done thinking.', after: model.promise });
    const id = 'v3:slow';
    await post(incoming(id));
    await post(telnyxEvent('call.answered', { call_control_id: id }));
    // Answered at once; the turn and its filler finish in the background (post waits for them).
    const transcribed = post(
      telnyxEvent('call.transcription', {
        call_control_id: id,
        transcription_data: { transcript: 'think', is_final: true },
      }),
    );
    await vi.waitFor(() => expect(router.requests).toHaveLength(1), { timeout: 5_000 });
    // The filler waits replyWaitSeconds on the clock: not yet at 49 ms (its timer is still set), then spoken.
    const timers = clock.pendingTimers();
    clock.advance(49);
    expect(clock.pendingTimers()).toBe(timers);
    expect(commands(id)).not.toContain('speak:One moment.');
    clock.advance(1);
    await fake.waitFor((r) => r.json?.payload === 'One moment.');
    model.open();
    await transcribed;
    expect(commands(id).slice(-2)).toEqual(['speak:One moment.', 'speak:Done thinking.']);
  });

  it('places an outbound call through /v2/calls and records its hangup', async () => {
    const { ctx, post } = setup({ publicUrl: 'https://krab.example.com' });
    const call = await placeCall(ctx, { to: '+15557654321', message: 'Reminder: dentist at 3.' });
    const dial = await fake.waitFor((r) => r.path === '/v2/calls' && r.json?.to === '+15557654321');
    expect(dial.json).toMatchObject({
      connection_id: 'conn-1',
      from: OUR_NUMBER,
      webhook_url: 'https://krab.example.com/voice/telnyx/events',
      time_limit_secs: 600,
    });
    await post(
      telnyxEvent('call.initiated', {
        call_control_id: call.id,
        direction: 'outgoing',
        from: OUR_NUMBER,
        to: '+15557654321',
      }),
    );
    await post(telnyxEvent('call.answered', { call_control_id: call.id }));
    expect(commands(call.id)).toEqual(['transcription_start', 'speak:Reminder: dentist at 3.']);
    await post(telnyxEvent('call.hangup', { call_control_id: call.id, hangup_cause: 'normal_clearing' }));
    expect(await getCall(ctx, 'telnyx', call.id)).toMatchObject({
      direction: 'outbound',
      status: 'completed',
    });
  });
});

describe('registering the webhook URL with Telnyx', () => {
  it("sets the Call Control application's webhook_event_url", async () => {
    const { ctx } = setup();
    await registerVoiceWebhooks(ctx, 'https://t1.ngrok-free.app/');
    const patch = await fake.waitFor((r) => r.method === 'PATCH');
    expect(patch.path).toBe('/v2/call_control_applications/conn-1');
    expect(patch.json).toEqual({ webhook_event_url: 'https://t1.ngrok-free.app/voice/telnyx/events' });
    expect(ctx.lines.map((l) => l.line)).toContain(
      '[voice] Telnyx application conn-1 now sends events to https://t1.ngrok-free.app/voice/telnyx/events',
    );
  });

  it('does nothing when registerWebhooks is false', async () => {
    const { ctx } = setup({ registerWebhooks: false });
    const before = fake.requests.length;
    await registerVoiceWebhooks(ctx, 'https://t2.ngrok-free.app');
    expect(fake.requests.length).toBe(before);
  });
});
