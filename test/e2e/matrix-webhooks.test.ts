import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TARGETS, type Target } from '../helpers/targets';

const VERIFY = 'verify-token-matrix-123';
const APP_SECRET = 'app-secret-matrix-456';
const config = {
  channels: {
    whatsapp: { enabled: true, phoneNumberId: '1234567890', apiBase: 'http://127.0.0.1:9/unused' },
  },
  plugins: {
    entries: {
      'voice-call': { enabled: true, config: { provider: 'twilio', publicUrl: 'https://voice.example.com' } },
    },
  },
};

describe.each(Object.keys(TARGETS) as Array<keyof typeof TARGETS>)(
  'webhook verification on %s',
  (runtime) => {
    let target: Target;
    beforeAll(async () => {
      target = await TARGETS[runtime]({
        config,
        env: {
          krabkrab_GATEWAY_TOKEN: 'matrix-webhooks-token-0123',
          WHATSAPP_VERIFY_TOKEN: VERIFY,
          WHATSAPP_APP_SECRET: APP_SECRET,
          WHATSAPP_ACCESS_TOKEN: 'whatsapp-access-token-789',
          TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000000',
          TWILIO_AUTH_TOKEN: 'twilio-auth-token-matrix',
        },
      });
    }, 60_000);
    afterAll(() => target?.stop());

    it('WhatsApp: the subscribe handshake answers the challenge only with the right verify token', async () => {
      const ok = await fetch(
        `${target.url}/whatsapp/webhook?hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.challenge=4242`,
      );
      expect(ok.status).toBe(200);
      expect(await ok.text()).toBe('4242');
      const wrong = await fetch(
        `${target.url}/whatsapp/webhook?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=4242`,
      );
      expect(wrong.status).toBe(403);
    });

    it('WhatsApp: POSTs need a valid X-Hub-Signature-256 (fail-closed)', async () => {
      const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [] });
      const sign = (secret: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
      const post = (signature?: string) =>
        fetch(`${target.url}/whatsapp/webhook`, {
          method: 'POST',
          body,
          headers: {
            'content-type': 'application/json',
            ...(signature ? { 'x-hub-signature-256': signature } : {}),
          },
        });
      expect((await post()).status).toBe(401);
      expect((await post(sign('another-secret'))).status).toBe(401);
      expect((await post(sign(APP_SECRET))).status).toBe(200);
    });

    it('Twilio: an unsigned or wrongly signed call webhook is refused', async () => {
      const form = new URLSearchParams({ CallSid: 'CA1', From: '+15550001111', To: '+15550002222' });
      const unsigned = await fetch(`${target.url}/voice/twilio/incoming`, { method: 'POST', body: form });
      expect(unsigned.status).toBe(401);
      const wrong = await fetch(`${target.url}/voice/twilio/incoming`, {
        method: 'POST',
        body: form,
        headers: { 'x-twilio-signature': 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=' },
      });
      expect(wrong.status).toBe(403);
    });
  },
);
