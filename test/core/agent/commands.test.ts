import { describe, expect, it } from 'vitest';
import { CHAT_COMMANDS, parseChatCommand } from '../../../src/core/agent/commands';
import { createTestContext } from '../../helpers/context';
import { createScriptedRouter, lastUserText } from '../../helpers/scripted-router';

const config = {
  agents: { defaults: { model: { primary: 'openai/gpt-4o', fallbacks: ['anthropic/claude-haiku-4-5'] } } },
};

function setup() {
  const models = createScriptedRouter();
  const ctx = createTestContext({ config, models });
  const owner = (message: string) => ctx.agents.runTurn({ message, trust: 'owner' });
  const guest = (message: string) =>
    ctx.agents.runTurn({ message, trust: 'guest', sessionKey: 'agent:main:telegram:default:42' });
  return { ctx, models, owner, guest };
}

describe('chat commands', () => {
  it('parses a command with arguments and a bot suffix; unknown ones are not commands', () => {
    expect(parseChatCommand('/model openai/gpt-5')).toEqual({ name: 'model', args: 'openai/gpt-5' });
    expect(parseChatCommand('  /Status@krab_bot ')).toEqual({ name: 'status', args: '' });
    expect(parseChatCommand('/compact keep the travel plans\nand dates')).toEqual({
      name: 'compact',
      args: 'keep the travel plans\nand dates',
    });
    expect(parseChatCommand('/frobnicate now')).toBeUndefined();
    expect(parseChatCommand('what is /model?')).toBeUndefined();
  });

  it('/help lists every command of the table', async () => {
    const { owner, models } = setup();
    const help = await owner('/help');
    expect(help.command).toBe('help');
    for (const command of Object.values(CHAT_COMMANDS)) expect(help.text).toContain(command.usage);
    expect(models.requests).toHaveLength(0);
  });

  it('sends an unknown /command to the model as text', async () => {
    const { owner, models } = setup();
    const result = await owner('/weather Lisbon');
    expect(result.command).toBeUndefined();
    expect(lastUserText(models.requests[0]!)).toBe('/weather Lisbon');
  });

  it("/model shows, switches this session's model, refuses an unknown ref, and /model default returns", async () => {
    const { owner, models } = setup();
    expect((await owner('/model')).text).toBe(
      'Model: openai/gpt-4o (agent default). Switch with /model provider/model.',
    );
    expect((await owner('/model nosuch/model-x')).text).toMatch(
      /^Unknown model "nosuch\/model-x": unknown provider "nosuch" \(providers: anthropic, openai, google.*\)\. The model is unchanged\.$/,
    );
    expect((await owner('/model gpt-5')).text).toMatch(/^Unknown model "gpt-5": expected provider\/model/);
    expect((await owner('/model anthropic/claude-opus-4-5')).text).toBe(
      'Model: anthropic/claude-opus-4-5 for this session. /model default returns to openai/gpt-4o.',
    );
    await owner('hello');
    expect(models.requests.at(-1)!.models).toEqual([
      'anthropic/claude-opus-4-5',
      'openai/gpt-4o',
      'anthropic/claude-haiku-4-5',
    ]);
    expect((await owner('/status')).text).toMatch(
      /model anthropic\/claude-opus-4-5 \(this session; agent default openai\/gpt-4o\)/,
    );
    expect((await owner('/model default')).text).toBe('Model: back to the agent default, openai/gpt-4o.');
    await owner('again');
    expect(models.requests.at(-1)!.models).toEqual(['openai/gpt-4o', 'anthropic/claude-haiku-4-5']);
  });

  it('/think sets a level a reasoning model takes and refuses what the model cannot do', async () => {
    const { owner, models } = setup();
    expect((await owner('/think ultra')).text).toBe(
      'Unknown thinking level "ultra": use off, low, medium, high. Thinking stays off.',
    );
    expect((await owner('/think high')).text).toBe(
      'openai/gpt-4o does not support thinking levels, so /think high would do nothing. Thinking stays off.',
    );
    await owner('/model openai/o3');
    expect((await owner('/think high')).text).toBe('Thinking: high for this session.');
    expect((await owner('/think')).text).toBe('Thinking: high. Set it with /think off|low|medium|high.');
    await owner('solve it');
    expect(models.requests.at(-1)!.reasoning).toBe('high');
    await owner('/think off');
    await owner('and now');
    expect(models.requests.at(-1)!.reasoning).toBeUndefined();
  });

  it('lets a guest look but not change: /model and /think without arguments work, changes are refused', async () => {
    const { guest, models } = setup();
    expect((await guest('/model')).text).toMatch(/^Model: openai\/gpt-4o/);
    expect((await guest('/model openai/o3')).text).toBe(
      'Only the owner can use /model to change this session.',
    );
    expect((await guest('/think high')).text).toBe('Only the owner can use /think to change this session.');
    expect((await guest('/compact')).text).toBe('Only the owner can use /compact to change this session.');
    expect((await guest('/new')).text).toMatch(/Started a new session/);
    await guest('hi');
    expect(models.requests.at(-1)!.models[0]).toBe('openai/gpt-4o');
  });

  it('/compact with too few turns says there is nothing to compact', async () => {
    const { owner } = setup();
    await owner('one');
    expect((await owner('/compact')).text).toBe('Nothing to compact: nothing to compact yet.');
  });
});
