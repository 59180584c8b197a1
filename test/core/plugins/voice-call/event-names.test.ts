// Cases the voice webhook fuzz (test/fuzz/webhook-twilio.test.ts, webhook-telnyx.test.ts) found:
// names looked up in plain objects reached Object.prototype. A signed Twilio status callback with
// CallStatus=constructor wiped the call's status; a signed Telnyx event of type hasOwnProperty
// threw in the background.
import { describe, expect, it } from 'vitest';
import { getCall } from '../../../../src/core/plugins/voice-call/calls';
import { voiceSettings } from '../../../../src/core/plugins/voice-call/settings';
import { handleTelnyxEvent } from '../../../../src/core/plugins/voice-call/telnyx-flow';
import { twilioIncoming, twilioStatus } from '../../../../src/core/plugins/voice-call/twilio-flow';
import { startFakeTelnyx, TELNYX_KEY } from '../../../fakes/telnyx-rest';
import { createTestContext } from '../../../helpers/context';
import { createScriptedRouter } from '../../../helpers/scripted-router';
import { createVoiceContext, VOICE, voicePluginConfig } from '../../../helpers/voice-context';
import { createTelnyxSigner } from '../../../helpers/voice-webhooks';

function voiceContext(provider: 'twilio' | 'telnyx', apiBase = 'http://127.0.0.1:9') {
  const voice = {
    provider,
    fromNumber: VOICE.number,
    twilio: { apiBase: 'http://127.0.0.1:9' },
    telnyx: { apiBase, connectionId: 'c' },
    inbound: { allowFrom: [VOICE.owner] },
    publicUrl: 'https://voice.example.com',
  };
  return createVoiceContext(voice, {
    env: {
      TWILIO_ACCOUNT_SID: 'AC1',
      TWILIO_AUTH_TOKEN: 'token-123456',
      TELNYX_API_KEY: TELNYX_KEY,
      TELNYX_PUBLIC_KEY: 'cHVi',
    },
    models: createScriptedRouter(),
  });
}

describe('voice event names from Object.prototype', () => {
  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])(
    'a Twilio status callback with CallStatus=%s leaves the call as it was',
    async (name) => {
      const ctx = voiceContext('twilio');
      const settings = voiceSettings(ctx)!;
      const params = new URLSearchParams({
        CallSid: 'CA1',
        From: '+15551230000',
        To: '+15550001111',
        Direction: 'inbound',
      });
      await twilioIncoming(ctx, settings, params);
      await twilioStatus(ctx, new URLSearchParams({ CallSid: 'CA1', CallStatus: name }));
      expect((await getCall(ctx, 'twilio', 'CA1'))?.status).toBe('in-progress');
    },
  );

  it.each(['constructor', 'toString', 'hasOwnProperty', 'valueOf'])(
    'a Telnyx event of type %s is ignored',
    async (type) => {
      const ctx = voiceContext('telnyx');
      await expect(
        handleTelnyxEvent(ctx, voiceSettings(ctx)!, {
          id: 'e1',
          event_type: type,
          payload: { call_control_id: 'v3:1' },
        } as never),
      ).resolves.toBeUndefined();
      expect(await ctx.store.keys('calls:')).toEqual([]);
    },
  );

  it('a Telnyx hangup with hangup_cause=constructor ends the call as completed', async () => {
    const fake = await startFakeTelnyx();
    try {
      const ctx = voiceContext('telnyx', fake.origin);
      const settings = voiceSettings(ctx)!;
      const payload = {
        call_control_id: 'v3:1',
        direction: 'incoming',
        from: '+15551230000',
        to: '+15550001111',
      };
      await handleTelnyxEvent(ctx, settings, { id: 'e1', event_type: 'call.initiated', payload } as never);
      await handleTelnyxEvent(ctx, settings, {
        id: 'e2',
        event_type: 'call.hangup',
        payload: { ...payload, hangup_cause: 'constructor' },
      } as never);
      expect((await getCall(ctx, 'telnyx', 'v3:1'))?.status).toBe('completed');
    } finally {
      await fake.close();
    }
  });
});

describe('Telnyx event shape', () => {
  it('a signed event whose transcript is not a string is a 400, not a background TypeError', async () => {
    const { createApp } = await import('../../../../src/handlers/app');
    const { ROUTES } = await import('../../../../src/handlers/routes');
    const signer = await createTelnyxSigner();
    const ctx = createTestContext({
      config: voicePluginConfig({ provider: 'telnyx', telnyx: { apiBase: 'http://127.0.0.1:9' } }),
      env: { TELNYX_API_KEY: TELNYX_KEY, TELNYX_PUBLIC_KEY: signer.publicKey },
    });
    const app = createApp(
      ctx,
      { clientAddress: () => '1.1.1.1' },
      ROUTES.filter((r) => r.path === '/voice/telnyx/events'),
    );
    const body = JSON.stringify({
      data: {
        id: 'e1',
        event_type: 'call.transcription',
        payload: { call_control_id: 'v3:1', transcription_data: { transcript: ['hi'], is_final: true } },
      },
    });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = await signer.sign(timestamp, body);
    const res = await app.request('/voice/telnyx/events', {
      method: 'POST',
      headers: { 'telnyx-signature-ed25519': signature, 'telnyx-timestamp': timestamp },
      body,
    });
    expect(res.status).toBe(400);
    await ctx.settle();
    expect(ctx.lines.filter((l) => l.level === 'error')).toEqual([]);
  });
});
