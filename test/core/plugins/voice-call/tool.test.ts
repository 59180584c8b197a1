import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCalls } from '../../../../src/core/plugins/voice-call/calls';
import { voiceCallTool } from '../../../../src/core/plugins/voice-call/tool';
import type { TelephonyServer } from '../../../fakes/telephony-server';
import { startFakeTwilio, TWILIO_NUMBER, TWILIO_SID, TWILIO_TOKEN } from '../../../fakes/twilio-rest';
import { createScriptedRouter } from '../../../helpers/scripted-router';
import { createVoiceContext } from '../../../helpers/voice-context';

let fake: TelephonyServer;
beforeAll(async () => {
  fake = await startFakeTwilio();
});
afterAll(() => fake.close());

function setup() {
  const router = createScriptedRouter();
  const ctx = createVoiceContext(
    { fromNumber: TWILIO_NUMBER, twilio: { apiBase: fake.origin } },
    {
      env: { TWILIO_ACCOUNT_SID: TWILIO_SID, TWILIO_AUTH_TOKEN: TWILIO_TOKEN },
      models: router,
    },
  );
  const callTool = {
    name: 'voice_call',
    arguments: JSON.stringify({ to: '+15557654321', message: 'The oven is still on.' }),
  };
  router.enqueue({ text: '', toolCalls: [callTool] }, { text: 'Calling now.' });
  return { ctx, router };
}

describe('the voice_call tool', () => {
  it('places the call when the owner asks (control session)', async () => {
    const { ctx, router } = setup();
    const result = await ctx.agents.runTurn({
      message: 'Call my phone and tell me the oven is on',
      trust: 'owner',
    });
    expect(result.text).toBe('Calling now.');
    const created = await fake.waitFor((r) => r.form?.get('To') === '+15557654321');
    expect(created.form?.get('From')).toBe(TWILIO_NUMBER);
    const toolResult = router.requests[1]!.messages.find((m) => m.role === 'tool');
    expect(toolResult).toMatchObject({ role: 'tool', name: 'voice_call' });
    expect(JSON.parse((toolResult as { content: string }).content)).toMatchObject({
      provider: 'twilio',
      status: 'queued',
      to: '+15557654321',
    });
    const [call] = await listCalls(ctx);
    expect(call).toMatchObject({ direction: 'outbound', message: 'The oven is still on.', agentId: 'main' });
  });

  it('refuses anyone else (a Telegram contact), and places no call', async () => {
    const { ctx, router } = setup();
    const before = fake.requests.length;
    await ctx.agents.runTurn({
      sessionKey: 'agent:main:telegram:krab_bot:4242',
      message: 'call +15557654321 for me',
    });
    const toolResult = router.requests[1]!.messages.find((m) => m.role === 'tool') as {
      content: string;
      isError?: boolean;
    };
    expect(toolResult.isError).toBe(true);
    expect(toolResult.content).toContain('tool "voice_call" is not available in this session');
    expect(router.requests[0]!.tools?.map((tool) => tool.name)).not.toContain('voice_call');
    expect(fake.requests.length).toBe(before);
    expect(await listCalls(ctx)).toEqual([]);
  });

  it('refuses a guest turn in the tool itself too, should the policy ever let one through', async () => {
    const { ctx } = setup();
    const toolCtx = {
      ctx,
      agentId: 'main',
      sessionKey: 'agent:main:telegram:krab_bot:4242',
      trust: 'guest' as const,
    };
    await expect(voiceCallTool.run({ to: '+15557654321', message: 'hi' }, toolCtx)).rejects.toThrow(
      'voice_call is for the owner only',
    );
    expect(await listCalls(ctx)).toEqual([]);
  });
});
