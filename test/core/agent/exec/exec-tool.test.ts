import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createNodeExec } from '../../../../src/adapters/node/exec';
import type { PendingApproval } from '../../../../src/core/agent/exec/approvals';
import type { ExecRunner } from '../../../../src/core/agent/exec/types';
import type { AgentEvent } from '../../../../src/core/agent/types';
import type { ReplyTarget } from '../../../../src/core/channels/types';
import { createManualClock, createTestContext } from '../../../helpers/context';
import { createScriptedRouter } from '../../../helpers/scripted-router';
import { createTestChannel } from '../../../helpers/test-channel';

const stateDir = mkdtempSync(join(tmpdir(), 'krab-exec-tool-'));
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));
const workspace = join(stateDir, 'workspace', 'main');

/** Records what ran, and runs it for real. */
function recordingRunner(): ExecRunner & { commands: string[] } {
  const real = createNodeExec();
  const commands: string[] = [];
  return {
    commands,
    run(request) {
      commands.push(request.command);
      return real.run(request);
    },
  };
}

function setup(exec: Record<string, unknown> = {}, env: Record<string, string> = {}) {
  const clock = createManualClock();
  const models = createScriptedRouter();
  const runner = recordingRunner();
  const ctx = createTestContext({
    config: { agents: { defaults: { model: 'test/model' } }, tools: { exec } },
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    clock,
    models,
    stateDir,
    agentDeps: { exec: runner },
  });
  const requested: PendingApproval[] = [];
  const waiters: Array<() => void> = [];
  ctx.events.subscribe((event, payload) => {
    if (event !== 'exec.approval.requested') return;
    requested.push(payload as PendingApproval);
    for (const wake of waiters.splice(0)) wake();
  });
  const nextApproval = () =>
    new Promise<PendingApproval>((resolve) => {
      const seen = requested.length;
      const check = () => (requested.length > seen ? resolve(requested[seen]!) : waiters.push(check));
      check();
    });
  /** One owner turn whose model calls exec with `command`, then answers "done". */
  const turn = (
    command: string,
    options: { trust?: 'owner' | 'guest'; origin?: ReplyTarget; approvalChat?: ReplyTarget } = {},
  ) => {
    models.enqueue(
      { text: '', toolCalls: [{ name: 'exec', arguments: JSON.stringify({ command }) }] },
      { text: 'done' },
    );
    const tools: Array<Extract<AgentEvent, { type: 'tool' }>> = [];
    const done = ctx.agents.runTurn({
      message: 'run it',
      trust: options.trust ?? 'owner',
      ...(options.origin ? { origin: options.origin } : {}),
      ...(options.approvalChat ? { approvalChat: options.approvalChat } : {}),
      onEvent: (event) => event.type === 'tool' && tools.push(event),
    });
    return { done, tools };
  };
  return { ctx, clock, models, runner, turn, nextApproval, requested };
}

const resultOf = (tools: Array<Extract<AgentEvent, { type: 'tool' }>>) =>
  String(tools[0]?.result && JSON.stringify(tools[0].result));

describe('exec tool', () => {
  it('runs in the workspace with a minimal env: no gateway secret reaches the command', async () => {
    const { turn } = setup(
      { mode: 'full' },
      { ANTHROPIC_API_KEY: 'sk-ant-secret', krabkrab_GATEWAY_TOKEN: 'gw-secret' },
    );
    const { done, tools } = turn(
      'echo "key=[$ANTHROPIC_API_KEY] token=[$krabkrab_GATEWAY_TOKEN] home=$HOME"; pwd; exit 4',
    );
    await done;
    const text = resultOf(tools);
    expect(text).toContain('exit code 4');
    expect(text).toContain(`key=[] token=[] home=${workspace}`);
    expect(text).not.toContain('secret');
  });

  it('ask mode: waits for the owner, announces the request, runs on allow-once', async () => {
    const { ctx, turn, nextApproval, runner } = setup();
    const asked = nextApproval();
    const { done, tools } = turn('echo approved-run');
    const approval = await asked;
    expect(approval).toMatchObject({
      agentId: 'main',
      sessionKey: 'agent:main:control:owner:main',
      command: 'echo approved-run',
      cwd: workspace,
      program: 'echo',
      expiresAt: Date.UTC(2026, 0, 1) + 300_000,
    });
    expect(approval.id).toMatch(/^[0-9a-f]{8}$/);
    expect(ctx.agents.approvals.list()).toEqual([approval]);
    expect(runner.commands).toEqual([]);
    await ctx.agents.approvals.resolve(approval.id, 'allow-once');
    await done;
    expect(resultOf(tools)).toContain('approved-run');
    expect(ctx.agents.approvals.list()).toEqual([]);
  });

  it('deny, and no answer within tools.exec.approvalTimeoutSeconds (manual clock), both refuse', async () => {
    const { ctx, clock, turn, nextApproval, runner } = setup({ approvalTimeoutSeconds: 60 });
    let asked = nextApproval();
    const denied = turn('echo nope');
    await ctx.agents.approvals.resolve((await asked).id, 'deny');
    await denied.done;
    expect(resultOf(denied.tools)).toContain('the owner denied this command');

    asked = nextApproval();
    const silent = turn('echo later');
    const { id } = await asked;
    clock.advance(59_999);
    expect(ctx.agents.approvals.list()).toHaveLength(1);
    clock.advance(1);
    await silent.done;
    expect(resultOf(silent.tools)).toContain('no answer from the owner within 60 s: the command was denied');
    expect(runner.commands).toEqual([]);
    await expect(ctx.agents.approvals.resolve(id, 'allow-once')).rejects.toThrow(
      `exec approval ${id} expired without an answer`,
    );
    await expect(ctx.agents.approvals.resolve('nosuchid', 'allow-once')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'no pending exec approval "nosuchid"; see exec.approval.list',
    });
  });

  it('allow-always adds the program to tools.exec.allow durably; the next call runs without asking', async () => {
    const { ctx, turn, nextApproval, requested } = setup({ allow: ['ls'] });
    const asked = nextApproval();
    const first = turn('uname');
    await ctx.agents.approvals.resolve((await asked).id, 'allow-always');
    await first.done;
    expect(ctx.persisted.at(-1)).toMatchObject({ tools: { exec: { allow: ['ls', 'uname'] } } });
    expect(ctx.config().tools?.exec?.allow).toEqual(['ls', 'uname']);
    const second = turn('uname -s');
    await second.done;
    expect(resultOf(second.tools)).toContain('Linux');
    expect(requested).toHaveLength(1);
  });

  it('allow-always for a file of the workspace (./build.sh) allows it once: the allowlist is unchanged', async () => {
    const { ctx, turn, nextApproval, requested } = setup({ allow: ['ls'] });
    const asked = nextApproval();
    const first = turn('./build.sh');
    const approval = await asked;
    expect(approval.program).toBeUndefined();
    await ctx.agents.approvals.resolve(approval.id, 'allow-always');
    await first.done;
    expect(ctx.config().tools?.exec?.allow).toEqual(['ls']);
    // The agent could rewrite build.sh: the next run is asked again.
    const again = nextApproval();
    const second = turn('./build.sh');
    await ctx.agents.approvals.resolve((await again).id, 'deny');
    await second.done;
    expect(requested).toHaveLength(2);
  });

  it('an allowlisted program piped into another is still asked (no pipe bypass)', async () => {
    const { ctx, turn, nextApproval } = setup({ allow: ['echo', 'sh'] });
    const asked = nextApproval();
    const piped = turn('echo id | sh');
    const approval = await asked;
    expect(approval.program).toBeUndefined();
    await ctx.agents.approvals.resolve(approval.id, 'deny');
    await piped.done;
    expect(resultOf(piped.tools)).toContain('denied');
  });

  it('allowlist mode refuses what is not listed; deny mode is not offered at all', async () => {
    const { turn, runner } = setup({ mode: 'allowlist', allow: ['echo'] });
    const refused = turn('rm -rf important');
    await refused.done;
    expect(resultOf(refused.tools)).toContain('rm is not in tools.exec.allow');
    expect(runner.commands).toEqual([]);
  });

  it('a guest session whose model forges an exec call: refused, nothing asked, nothing run', async () => {
    const { turn, runner, requested } = setup({ mode: 'full' });
    const forged = turn('echo pwned', { trust: 'guest' });
    await forged.done;
    expect(forged.tools[0]?.isError).toBe(true);
    expect(runner.commands).toEqual([]);
    expect(requested).toEqual([]);
  });

  it('/approve from a chat: the owner may answer in the same session while its turn waits; a guest may not', async () => {
    const { ctx, turn, nextApproval } = setup();
    const channel = createTestChannel();
    ctx.channels.register(channel);
    const origin = { channel: 'test', accountId: 'default', chatId: 'c1' };
    const asked = nextApproval();
    const waiting = turn('echo from-chat', { origin, approvalChat: origin });
    const { id } = await asked;
    const [asking] = await channel.waitForSends(1);
    expect(asking!.target).toEqual(origin);
    expect(asking!.text).toContain(`/approve ${id} allow-once`);
    expect(asking!.text).toContain('echo from-chat');

    const guest = await ctx.agents.runTurn({ message: `/approve ${id} allow-once`, trust: 'guest' });
    expect(guest).toMatchObject({ command: 'approve', text: 'Only the owner can approve commands.' });
    expect(ctx.agents.approvals.list()).toHaveLength(1);
    const usage = await ctx.agents.runTurn({ message: '/approve', trust: 'owner' });
    expect(usage.text).toBe('Usage: /approve <id> allow-once|allow-always|deny');
    const unknown = await ctx.agents.runTurn({ message: '/approve zzzz0000 deny', trust: 'owner' });
    expect(unknown.text).toContain('no pending exec approval "zzzz0000"');

    const owner = await ctx.agents.runTurn({ message: `/approve ${id} allow-once`, trust: 'owner' });
    expect(owner.text).toBe('Allowed once.');
    await waiting.done;
    expect(resultOf(waiting.tools)).toContain('from-chat');
  });

  it('a turn whose chat only receives the answer (no approvalChat) is not asked there: Control UI only, one log line', async () => {
    const { ctx, turn, nextApproval } = setup();
    const channel = createTestChannel();
    ctx.channels.register(channel);
    const group = { channel: 'test', accountId: 'default', chatId: 'group-9' };
    const asked = nextApproval();
    const waiting = turn('echo secret-plan', { origin: group });
    const { id } = await asked;
    await ctx.settle();
    expect(channel.sent).toEqual([]);
    const lines = ctx.lines.filter((line) => line.message.includes(`approval ${id}: not asked`));
    expect(lines.map((line) => line.message)).toEqual([
      `approval ${id}: not asked in test chat group-9, which is not an owner's direct chat; answer it in the Control UI`,
    ]);
    await ctx.agents.approvals.resolve(id, 'allow-once');
    await waiting.done;
    expect(channel.sent).toEqual([]);
  });
});
