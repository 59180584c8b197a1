import { createTestContext, type TestContext, type TestContextOptions } from './context';

/** The caller the voice tests allow in, the number the gateway calls from, and its public URL (Twilio's view). */
export const VOICE: Readonly<Record<'owner' | 'number' | 'publicUrl', string>> = {
  owner: '+15551230000',
  number: '+15550001111',
  publicUrl: 'https://abc123.ngrok-free.app',
};

/** The config section that turns the voice-call plugin on with `voice` as its settings. */
export function voicePluginConfig(voice: Record<string, unknown>): Record<string, unknown> {
  return { plugins: { entries: { 'voice-call': { enabled: true, config: voice } } } };
}

/** Voice settings for Twilio against a fake API at `apiBase`: our number, the owner allowed in, the public URL. */
export function twilioVoice(apiBase: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    provider: 'twilio',
    fromNumber: VOICE.number,
    twilio: { apiBase },
    inbound: { allowFrom: [VOICE.owner] },
    publicUrl: VOICE.publicUrl,
    ...extra,
  };
}

/** Voice settings for Telnyx against a fake API at `apiBase`: our number, the owner allowed in. */
export function telnyxVoice(apiBase: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    provider: 'telnyx',
    fromNumber: VOICE.number,
    telnyx: { apiBase, connectionId: 'conn-1' },
    inbound: { allowFrom: [VOICE.owner] },
    ...extra,
  };
}

/** A test context with one agent (`main`, on a test model) and the voice-call plugin set up with `voice`. */
export function createVoiceContext(
  voice: Record<string, unknown>,
  options: Omit<TestContextOptions, 'config'> = {},
): TestContext {
  return createTestContext({
    ...options,
    config: {
      agents: {
        defaults: { model: { primary: 'anthropic/claude-test' } },
        list: [{ id: 'main', default: true }],
      },
      ...voicePluginConfig(voice),
    },
  });
}
