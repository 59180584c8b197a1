import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { getCall } from '../../src/core/plugins/voice-call/calls';
import { placeCall } from '../../src/core/plugins/voice-call/outbound';
import { registerVoiceWebhooks } from '../../src/core/plugins/voice-call/register-webhooks';
import { reportTunnel } from '../../src/core/tunnel/state';
import { createApp } from '../../src/handlers/app';
import { ROUTES } from '../../src/handlers/routes';
import type { TelephonyServer } from '../fakes/telephony-server';
import { startFakeTwilio, TWILIO_SID, TWILIO_TOKEN } from '../fakes/twilio-rest';
import { createManualClock, createTestContext, type TestContext } from '../helpers/context';
import { createGate, createScriptedRouter, type ScriptedRouter } from '../helpers/scripted-router';
import { createVoiceContext, twilioVoice, VOICE } from '../helpers/voice-context';
import { twilioCall, twilioRequest } from '../helpers/voice-webhooks';

const { owner: OWNER, number: OUR_NUMBER, publicUrl: PUBLIC } = VOICE;
const INTERNAL = 'http://127.0.0.1:3000';
const STRANGER = '+15559999999';
const VOICE_ROUTES = ROUTES.filter((route) => route.path.startsWith('/voice/'));

let fakeTwilio: TelephonyServer;
beforeAll(async () => {
  fakeTwilio = await startFakeTwilio();
});
afterAll(() => fakeTwilio.close());

interface Setup {
  ctx: TestContext;
  router: ScriptedRouter;
  send(
    path: string,
    fields: Record<string, string>,
    options?: { signedFor?: string; signature?: string | null },
  ): Promise<Response>;
}

function setup(
  voice: Record<string, unknown> = {},
  options: { clock?: ReturnType<typeof createManualClock>; router?: ScriptedRouter } = {},
): Setup {
  const router = options.router ?? createScriptedRouter();
  const ctx = createVoiceContext(twilioVoice(fakeTwilio.origin, voice), {
    env: { TWILIO_ACCOUNT_SID: TWILIO_SID, TWILIO_AUTH_TOKEN: TWILIO_TOKEN },
    models: router,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const app = createApp(ctx, { clientAddress: () => '203.0.113.9' }, VOICE_ROUTES);
  return {
    ctx,
    router,
    async send(path, fields, opts = {}) {
      const req = twilioRequest(
        `${INTERNAL}${path}`,
        `${opts.signedFor ?? PUBLIC}${path}`,
        fields,
        TWILIO_TOKEN,
      );
      if (opts.signature !== undefined) {
        if (opts.signature === null) req.headers.delete('x-twilio-signature');
        else req.headers.set('x-twilio-signature', opts.signature);
      }
      return app.fetch(req);
    },
  };
}

const call = (sid: string, from = OWNER, extra: Record<string, string> = {}) =>
  twilioCall(sid, from, OUR_NUMBER, 'inbound', { CallStatus: 'ringing', ...extra });

/** The relative action URL of the TwiML's Gather (or Redirect). */
function nextUrl(twiml: string): string {
  const match =
    /<Gather[^>]*action="([^"]+)"/.exec(twiml) ?? /<Redirect[^>]*>([^<]+)<\/Redirect>/.exec(twiml);
  return match![1]!.replace(/&amp;/g, '&');
}

describe('Twilio webhooks: verification first, fail-closed', () => {
  it('401 without a signature, 403 with a wrong one, and nothing is recorded', async () => {
    const { ctx, send } = setup();
    const missing = await send('/voice/twilio/incoming', call('CA-missing'), { signature: null });
    expect(missing.status).toBe(401);
    const wrong = await send('/voice/twilio/incoming', call('CA-wrong'), {
      signature: 'bm90IHRoZSByaWdodCBzaWduYXR1cmU=',
    });
    expect(wrong.status).toBe(403);
    expect(await getCall(ctx, 'twilio', 'CA-missing')).toBeNull();
    expect(await getCall(ctx, 'twilio', 'CA-wrong')).toBeNull();
    expect(await ctx.store.keys('calls:')).toEqual([]);
  });

  it('checks the signature against the tunnel URL, not the internal one', async () => {
    const { ctx, send } = setup({ publicUrl: undefined });
    await reportTunnel(
      ctx,
      { provider: 'ngrok', users: ['gateway', 'voice-call'], primary: true, paths: [] },
      { state: 'up', url: PUBLIC },
    );
    // Configure the tunnel itself so the voice plugin looks for it.
    await ctx.configStore.apply({
      ...ctx.configStore.current().raw,
      gateway: { tunnel: { provider: 'ngrok' } },
    });
    const internal = await send('/voice/twilio/incoming', call('CA-internal'), { signedFor: INTERNAL });
    expect(internal.status).toBe(403);
    const otherHost = await send('/voice/twilio/incoming', call('CA-other'), {
      signedFor: 'https://evil.example.com',
    });
    expect(otherHost.status).toBe(403);
    const publicOk = await send('/voice/twilio/incoming', call('CA-public'));
    expect(publicOk.status).toBe(200);
    expect(await publicOk.text()).toContain('<Gather');
  });

  it('uses the URL the gateway saw when no public URL is known (direct exposure)', async () => {
    const { send } = setup({ publicUrl: undefined });
    expect((await send('/voice/twilio/incoming', call('CA-direct'), { signedFor: INTERNAL })).status).toBe(
      200,
    );
    expect((await send('/voice/twilio/incoming', call('CA-direct2'), { signedFor: PUBLIC })).status).toBe(
      403,
    );
  });

  it('answers a replayed request with the first answer and does nothing again', async () => {
    const { ctx, router, send } = setup();
    await send('/voice/twilio/incoming', call('CA-replay'));
    const fields = call('CA-replay', OWNER, { SpeechResult: 'turn the lights on', Confidence: '0.9' });
    const first = await (await send('/voice/twilio/gather?step=1', fields)).text();
    expect(router.requests).toHaveLength(1);
    const again = await send('/voice/twilio/gather?step=1', fields);
    expect(again.status).toBe(200);
    expect(await again.text()).toBe(first);
    expect(router.requests).toHaveLength(1);
    expect((await getCall(ctx, 'twilio', 'CA-replay'))!.turns).toBe(1);
    // The same signature on other words is refused outright.
    const forged = twilioRequest(
      `${INTERNAL}/voice/twilio/gather?step=1`,
      `${PUBLIC}/voice/twilio/gather?step=1`,
      fields,
      TWILIO_TOKEN,
    );
    const tampered = new Request(forged.url, {
      method: 'POST',
      headers: forged.headers,
      body: new URLSearchParams({ ...fields, SpeechResult: 'delete everything' }).toString(),
    });
    expect((await createApp(ctx, { clientAddress: () => 'x' }, VOICE_ROUTES).fetch(tampered)).status).toBe(
      403,
    );
    expect(router.requests).toHaveLength(1);
  });

  it('a re-encoded copy of a signed request (reordered, percent-encoded, a field repeated) runs nothing again (issue 23, finding 3)', async () => {
    const { ctx, router, send } = setup();
    await send('/voice/twilio/incoming', call('CA-variant'));
    const fields = call('CA-variant', OWNER, { SpeechResult: 'turn the lights on', Confidence: '0.9' });
    const path = '/voice/twilio/gather?step=1';
    const first = await send(path, fields);
    expect(first.status).toBe(200);
    const firstTwiml = await first.text();
    expect(router.requests).toHaveLength(1);

    const signed = twilioRequest(`${INTERNAL}${path}`, `${PUBLIC}${path}`, fields, TWILIO_TOKEN);
    const app = createApp(ctx, { clientAddress: () => '203.0.113.9' }, VOICE_ROUTES);
    const resend = (body: string) =>
      app.fetch(new Request(signed.url, { method: 'POST', headers: signed.headers, body }));
    const original = new URLSearchParams(fields);
    const reordered = new URLSearchParams([...original].reverse()).toString();
    const encoded = original.toString().replace('turn+the', '%74urn%20the');
    const repeated = `${original.toString()}&Confidence=0.9`;

    const answers = [await resend(reordered), await resend(encoded)];
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(await answer.text()).toBe(firstTwiml);
    }
    // Twilio signs each occurrence of a field: one added is another request, and not Twilio's.
    expect((await resend(repeated)).status).toBe(403);
    expect(router.requests).toHaveLength(1);
    expect((await getCall(ctx, 'twilio', 'CA-variant'))!.turns).toBe(1);
  });

  it('404 when the voice plugin is off', async () => {
    const ctx = createTestContext({ env: { TWILIO_AUTH_TOKEN: TWILIO_TOKEN } });
    const app = createApp(ctx, { clientAddress: () => 'x' }, VOICE_ROUTES);
    const res = await app.fetch(
      twilioRequest(
        `${INTERNAL}/voice/twilio/incoming`,
        `${INTERNAL}/voice/twilio/incoming`,
        call('CA-off'),
        TWILIO_TOKEN,
      ),
    );
    expect(res.status).toBe(404);
  });
});

describe('Twilio calls', () => {
  it('rejects a caller not on the allowlist with <Reject/>, without asking the agent', async () => {
    const { ctx, router, send } = setup();
    const res = await send('/voice/twilio/incoming', call('CA-stranger', STRANGER));
    expect(res.headers.get('content-type')).toContain('text/xml');
    const body = await res.text();
    expect(body).toContain('<Reject reason="rejected"/>');
    expect(body).not.toContain('<Gather');
    expect(router.requests).toHaveLength(0);
    expect(await getCall(ctx, 'twilio', 'CA-stranger')).toMatchObject({
      status: 'rejected',
      endReason: 'not in inbound.allowFrom',
    });
  });

  it('rejects everyone when inbound is disabled', async () => {
    const { send } = setup({ inbound: { policy: 'disabled', allowFrom: [OWNER] } });
    expect(await (await send('/voice/twilio/incoming', call('CA-dis'))).text()).toContain('<Reject');
  });

  it('runs a speech turn loop: greeting, gather, agent, say, gather again; the transcript is a session', async () => {
    const { ctx, router, send } = setup({ greeting: 'Hi, this is Krab.', voice: 'Polly.Joanna' });
    const incoming = await (await send('/voice/twilio/incoming', call('CA-loop'))).text();
    expect(incoming).toContain('<Gather input="speech" action="/voice/twilio/gather?step=1"');
    expect(incoming).toContain('<Say voice="Polly.Joanna" language="en-US">Hi, this is Krab.</Say>');

    router.enqueue({ text: 'It is **sunny** today, see [the forecast](https://weather.example).' });
    const turn1 = await (
      await send(
        nextUrl(incoming),
        call('CA-loop', OWNER, { SpeechResult: 'How is the weather?', Confidence: '0.91' }),
      )
    ).text();
    expect(turn1).toContain('It is sunny today, see the forecast.');
    expect(nextUrl(turn1)).toBe('/voice/twilio/gather?step=2');

    const turn2 = await (
      await send(nextUrl(turn1), call('CA-loop', OWNER, { SpeechResult: 'Thanks' }))
    ).text();
    expect(turn2).toContain('echo: Thanks');
    expect(router.requests).toHaveLength(2);
    expect(router.requests[0]!.system).toContain('phone call');

    const record = (await getCall(ctx, 'twilio', 'CA-loop'))!;
    expect(record).toMatchObject({
      direction: 'inbound',
      status: 'in-progress',
      turns: 2,
      sessionKey: `agent:main:voice:${OWNER}:CA-loop`,
    });
    expect(record.transcript.map((line) => `${line.role}: ${line.text}`)).toEqual([
      'agent: Hi, this is Krab.',
      'caller: How is the weather?',
      'agent: It is sunny today, see the forecast.',
      'caller: Thanks',
      'agent: echo: Thanks',
    ]);
    const session = await ctx.agents.sessions.get(record.sessionKey);
    expect(session?.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
  });

  it('bridges a slow agent with a filler and a redirect, then speaks the answer', async () => {
    const model = createGate();
    const inner = createScriptedRouter({
      replies: [{ text: 'Here is the slow answer.', after: model.promise }],
    });
    const clock = createManualClock();
    const { send } = setup({ replyWaitSeconds: 0.2 }, { router: inner, clock });
    await send('/voice/twilio/incoming', call('CA-slow'));
    // Each webhook waits replyWaitSeconds (200 ms) on the clock for the answer: its timer has not
    // fired at 199 ms (none has), and the webhook answers when it does.
    const afterTheWait = async (pending: Promise<Response>) => {
      const timers = clock.pendingTimers();
      clock.advance(199);
      expect(clock.pendingTimers()).toBe(timers);
      clock.advance(1);
      return (await pending).text();
    };
    const asked = send('/voice/twilio/gather?step=1', call('CA-slow', OWNER, { SpeechResult: 'Think hard' }));
    // The wait starts with the turn, before the model is asked.
    await vi.waitFor(() => expect(inner.requests).toHaveLength(1), { timeout: 5_000 });
    const first = await afterTheWait(asked);
    expect(first).toContain('<Say language="en-US">One moment.</Say>');
    expect(first).toContain('<Redirect method="POST">/voice/twilio/gather?step=1&amp;wait=1</Redirect>');
    const waiting = clock.pendingTimers();
    const redirected = send(nextUrl(first), call('CA-slow'));
    await vi.waitFor(() => expect(clock.pendingTimers()).toBe(waiting + 1), { timeout: 5_000 });
    const second = await afterTheWait(redirected);
    expect(second).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Pause length="1"/><Redirect method="POST">/voice/twilio/gather?step=1&amp;wait=2</Redirect></Response>',
    );
    model.open();
    let answer = second;
    for (let round = 0; round < 3 && !answer.includes('<Gather'); round++)
      answer = await (await send(nextUrl(answer), call('CA-slow'))).text();
    expect(answer).toContain('<Say language="en-US">Here is the slow answer.</Say>');
    expect(nextUrl(answer)).toBe('/voice/twilio/gather?step=2');
    expect(inner.requests).toHaveLength(1);
  });

  it('hangs up after three silences in a row', async () => {
    const { ctx, send } = setup();
    let twiml = await (await send('/voice/twilio/incoming', call('CA-quiet'))).text();
    for (let i = 0; i < 2; i++) {
      twiml = await (await send(nextUrl(twiml), call('CA-quiet'))).text();
      expect(twiml).toContain('Are you still there?');
    }
    twiml = await (await send(nextUrl(twiml), call('CA-quiet'))).text();
    expect(twiml).toContain('<Hangup/>');
    expect((await getCall(ctx, 'twilio', 'CA-quiet'))!.endReason).toBe('silence');
  });

  it('ends the call at maxCallMinutes', async () => {
    const clock = createManualClock();
    const { ctx, send } = setup({ maxCallMinutes: 1 }, { clock });
    await send('/voice/twilio/incoming', call('CA-long'));
    clock.advance(30_000);
    expect(
      await (
        await send('/voice/twilio/gather?step=1', call('CA-long', OWNER, { SpeechResult: 'hi' }))
      ).text(),
    ).not.toContain('<Hangup/>');
    const before = fakeTwilio.requests.length;
    clock.advance(31_000);
    // The timer ended the call through the REST API...
    const hangup = await fakeTwilio.waitFor(
      (r, i = fakeTwilio.requests.indexOf(r)) => i >= before && /\/Calls\/CA-long\.json$/.test(r.path),
    );
    expect(hangup.form?.get('Status')).toBe('completed');
    // ...and a webhook arriving after the limit says goodbye.
    const late = await (
      await send('/voice/twilio/gather?step=2', call('CA-long', OWNER, { SpeechResult: 'more' }))
    ).text();
    expect(late).toContain('time limit');
    expect(late).toContain('<Hangup/>');
    expect((await getCall(ctx, 'twilio', 'CA-long'))!.endReason).toBe('max-duration');
  });

  it('places an outbound call and follows its status callbacks', async () => {
    const { ctx, send } = setup();
    const placed = await placeCall(ctx, { to: '+15557654321', message: 'Your package has arrived.' });
    const created = await fakeTwilio.waitFor(
      (r) => r.path.endsWith('/Calls.json') && r.form?.get('To') === '+15557654321',
    );
    expect(Object.fromEntries([...created.form!].filter(([k]) => k !== 'StatusCallbackEvent'))).toMatchObject(
      {
        To: '+15557654321',
        From: OUR_NUMBER,
        Url: `${PUBLIC}/voice/twilio/incoming`,
        StatusCallback: `${PUBLIC}/voice/twilio/status`,
        TimeLimit: '600',
      },
    );
    expect(created.form!.getAll('StatusCallbackEvent')).toEqual([
      'initiated',
      'ringing',
      'answered',
      'completed',
    ]);
    expect(placed).toMatchObject({ direction: 'outbound', status: 'queued', to: '+15557654321' });

    const sid = placed.id;
    const outbound = twilioCall(sid, OUR_NUMBER, '+15557654321', 'outbound-api');
    await send('/voice/twilio/status', { ...outbound, CallStatus: 'ringing', SequenceNumber: '1' });
    expect((await getCall(ctx, 'twilio', sid))!.status).toBe('ringing');
    const answered = await (
      await send('/voice/twilio/incoming', { ...outbound, CallStatus: 'in-progress' })
    ).text();
    expect(answered).toContain('Your package has arrived.');
    await send('/voice/twilio/status', {
      ...outbound,
      CallStatus: 'completed',
      CallDuration: '42',
      SequenceNumber: '3',
    });
    // A late, out-of-order callback does not reopen the call.
    await send('/voice/twilio/status', { ...outbound, CallStatus: 'ringing', SequenceNumber: '2' });
    expect(await getCall(ctx, 'twilio', sid)).toMatchObject({ status: 'completed', durationSeconds: 42 });
  });

  it('places an outbound call without a public URL: TwiML says the message and hangs up', async () => {
    const { ctx } = setup({ publicUrl: undefined });
    await placeCall(ctx, { to: '+15557650000', message: 'Dinner is <ready> & hot' });
    const created = await fakeTwilio.waitFor((r) => r.form?.get('To') === '+15557650000');
    expect(created.form!.get('Url')).toBeNull();
    expect(created.form!.get('Twiml')).toBe(
      '<Response><Say>Dinner is &lt;ready&gt; &amp; hot</Say><Hangup/></Response>',
    );
  });
});

describe('registering the webhook URL with Twilio', () => {
  it('warns clearly when fromNumber is not a number of the account', async () => {
    const { ctx } = setup({ fromNumber: '+15550009999' });
    await registerVoiceWebhooks(ctx, 'https://x.ngrok-free.app');
    expect(ctx.lines.map((l) => l.line)).toContain(
      "[voice] could not point twilio at https://x.ngrok-free.app: +15…9999 is not a number of this Twilio account; set the webhook URL in the provider's console",
    );
  });
});
