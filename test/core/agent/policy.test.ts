import { describe, expect, it } from 'vitest';
import type { AgentToolsView } from '../../../src/core/agent/status-section';
import { explainTools, type ResolveToolsInput, resolveTools } from '../../../src/core/agent/tools/policy';
import { type AgentTool, defineTool, type ToolProfile } from '../../../src/core/agent/tools/types';
import { messageTrust } from '../../../src/core/agent/trust';
import { parseConfigValue } from '../../../src/core/config/parse';
import type { KrabConfig } from '../../../src/core/config/schema';
import { cronJobTrust } from '../../../src/core/cron/run-job';
import * as z from '../../../src/core/zod';
import { createTestContext } from '../../helpers/context';
import { createScriptedRouter } from '../../helpers/scripted-router';
import { createTestChannel } from '../../helpers/test-channel';

function fakeTool(name: string, profile: ToolProfile, flags: Partial<AgentTool> = {}): AgentTool {
  return defineTool({
    name,
    description: name,
    profile,
    parameters: z.object({}),
    run: async () => 'ran',
    ...flags,
  });
}

const TABLE = [
  fakeTool('time', 'minimal', { guestSafe: true }),
  fakeTool('notes', 'minimal'),
  fakeTool('web', 'messaging', { guestSafe: true }),
  fakeTool('remind', 'messaging', { guestSafe: true }),
  fakeTool('read', 'full'),
  fakeTool('exec', 'full', { neverGuest: 'it runs commands' }),
  fakeTool('search', 'messaging', {
    guestSafe: true,
    unavailable: ({ env }) => (env.SEARCH_KEY ? undefined : 'no search provider'),
  }),
];

function config(value: Record<string, unknown>): KrabConfig {
  const parsed = parseConfigValue(value, {});
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.value.config;
}

function names(
  value: Record<string, unknown>,
  trust: 'owner' | 'guest',
  extra: Partial<ResolveToolsInput> = {},
) {
  return resolveTools({
    config: config(value),
    agentId: 'main',
    trust,
    runtime: 'node',
    env: {},
    tools: TABLE,
    ...extra,
  }).map((tool) => tool.name);
}

describe('resolveTools: profiles, allow/deny, guests', () => {
  const cases: Array<[string, Record<string, unknown>, 'owner' | 'guest', string[]]> = [
    ['owner, default profile full', {}, 'owner', ['time', 'notes', 'web', 'remind', 'read', 'exec']],
    ['guest, defaults: the guest-safe ones', {}, 'guest', ['time', 'web', 'remind']],
    ['owner, minimal', { tools: { profile: 'minimal' } }, 'owner', ['time', 'notes']],
    ['owner, messaging', { tools: { profile: 'messaging' } }, 'owner', ['time', 'notes', 'web', 'remind']],
    [
      'allow adds to the profile',
      { tools: { profile: 'minimal', allow: ['read'] } },
      'owner',
      ['time', 'notes', 'read'],
    ],
    [
      'deny wins over allow',
      { tools: { allow: ['read'], deny: ['read', 'web'] } },
      'owner',
      ['time', 'notes', 'remind', 'exec'],
    ],
    ['deny with a pattern', { tools: { deny: ['re*'] } }, 'owner', ['time', 'notes', 'web', 'exec']],
    ['deny * turns every tool off', { tools: { deny: ['*'] } }, 'owner', []],
    [
      'guests.allow adds an owner tool',
      { tools: { guests: { allow: ['read'] } } },
      'guest',
      ['time', 'web', 'remind', 'read'],
    ],
    [
      'guests.allow can never add exec',
      { tools: { guests: { allow: ['exec', '*'] } } },
      'guest',
      ['time', 'notes', 'web', 'remind', 'read'],
    ],
    [
      'guests.deny removes a safe tool',
      { tools: { guests: { deny: ['web'] } } },
      'guest',
      ['time', 'remind'],
    ],
    [
      'guests never get what the owner lacks',
      { tools: { profile: 'minimal', guests: { allow: ['read'] } } },
      'guest',
      ['time'],
    ],
    ['tools.deny reaches guests too', { tools: { deny: ['TIME'] } }, 'guest', ['web', 'remind']],
    [
      "the agent's own allow/deny",
      {
        tools: { profile: 'minimal' },
        agents: { list: [{ id: 'main', tools: { allow: ['web'], deny: ['notes'] } }] },
      },
      'owner',
      ['time', 'web'],
    ],
  ];
  it.each(cases)('%s', (_name, value, trust, expected) => {
    expect(names(value, trust)).toEqual(expected);
  });

  it("another agent's allow/deny does not apply", () => {
    const value = { agents: { list: [{ id: 'main' }, { id: 'other', tools: { deny: ['*'] } }] } };
    expect(names(value, 'owner')).toContain('read');
  });

  it('leaves out an unavailable tool, and says why', () => {
    expect(names({}, 'owner')).not.toContain('search');
    expect(names({}, 'owner', { env: { SEARCH_KEY: 'k' } })).toContain('search');
    const decisions = explainTools({
      config: config({}),
      agentId: 'main',
      trust: 'guest',
      runtime: 'node',
      env: {},
      tools: TABLE,
    });
    expect(Object.fromEntries(decisions.map((d) => [d.name, d.reason ?? 'offered']))).toEqual({
      time: 'offered',
      notes: 'owner sessions only',
      web: 'offered',
      remind: 'offered',
      read: 'owner sessions only',
      exec: 'never offered to guests: it runs commands',
      search: 'unavailable: no search provider',
    });
  });

  it('the real exec: not offered on Workers nor with tools.exec.mode deny, and the reason says why', () => {
    const offAt = (runtime: 'node' | 'workers', value: Record<string, unknown>) =>
      explainTools({ config: config(value), agentId: 'main', trust: 'owner', runtime, env: {} }).find(
        (decision) => decision.name === 'exec',
      )?.reason;
    expect(offAt('node', {})).toBeUndefined();
    expect(offAt('workers', {})).toBe(
      'unavailable: exec needs local processes, which Cloudflare Workers do not have',
    );
    expect(offAt('node', { tools: { exec: { mode: 'deny' } } })).toBe('unavailable: tools.exec.mode is deny');
    const offered = resolveTools({
      config: config({}),
      agentId: 'main',
      trust: 'owner',
      runtime: 'workers',
      env: {},
    });
    expect(offered.map((tool) => tool.name)).toEqual(expect.arrayContaining(['read', 'write', 'web_fetch']));
    expect(offered.map((tool) => tool.name)).not.toContain('exec');
  });

  it('patterns reach MCP tools by their <server>__<tool> names, as the README shows', () => {
    const extra = [
      fakeTool('files__read', 'full', { guestSafe: true }),
      fakeTool('files__write', 'full'),
      fakeTool('git__log', 'full', { guestSafe: true }),
    ];
    expect(names({ tools: { deny: ['files__*'] } }, 'owner', { extra })).toContain('git__log');
    expect(names({ tools: { deny: ['files__*'] } }, 'owner', { extra })).not.toContain('files__read');
    expect(names({}, 'guest', { extra })).toEqual(['time', 'web', 'remind', 'files__read', 'git__log']);
    expect(names({ tools: { guests: { deny: ['*__*'] } } }, 'guest', { extra })).toEqual([
      'time',
      'web',
      'remind',
    ]);
  });

  it('takes dynamic tools from extra, a built-in name first', () => {
    const extra = [fakeTool('mcp_x', 'full'), fakeTool('time', 'full')];
    expect(names({}, 'owner', { extra })).toEqual([
      'time',
      'notes',
      'web',
      'remind',
      'read',
      'exec',
      'mcp_x',
    ]);
    expect(names({}, 'guest', { extra })).not.toContain('mcp_x');
  });

  it('refuses bad owners and tool names in the config with the key', () => {
    for (const value of [
      { owners: ['123456'] },
      { tools: { deny: ['rm -rf'] } },
      { tools: { profile: 'max' } },
    ]) {
      const parsed = parseConfigValue(value, {});
      expect(parsed.ok).toBe(false);
    }
  });
});

describe('the trust decision', () => {
  const owners = config({ owners: ['test:42', 'whatsapp:+15551234567'] });
  const channel = createTestChannel();
  it('an owner in a direct message is the owner; anyone else, or a group, is a guest', () => {
    expect(messageTrust(owners, channel.message({ sender: { id: '42' } }))).toBe('owner');
    expect(messageTrust(owners, channel.message({ sender: { id: '43' } }))).toBe('guest');
    expect(
      messageTrust(owners, channel.message({ sender: { id: '42' }, chat: { kind: 'group', id: 'g' } })),
    ).toBe('guest');
    // A username is not an id (it can change hands).
    expect(messageTrust(owners, channel.message({ sender: { id: '7', username: '42' } }))).toBe('guest');
    const whatsapp = createTestChannel({ id: 'whatsapp' });
    expect(messageTrust(owners, whatsapp.message({ sender: { id: '15551234567' } }))).toBe('owner');
    expect(messageTrust(config({}), channel.message({ sender: { id: '42' } }))).toBe('guest');
  });

  it("cron: the config's, the Control UI's and the CLI's jobs are the owner's, others are guests", () => {
    const job = { id: 'j', schedule: '0 9 * * *', message: 'm' };
    expect(cronJobTrust({ ...job, source: 'config' })).toBe('owner');
    expect(cronJobTrust({ ...job, source: 'runtime', createdBy: 'control' })).toBe('owner');
    expect(cronJobTrust({ ...job, source: 'runtime', createdBy: 'cli' })).toBe('owner');
    expect(cronJobTrust({ ...job, source: 'runtime', createdBy: 'reminder' })).toBe('guest');
    expect(cronJobTrust({ ...job, source: 'runtime' })).toBe('guest');
  });
});

describe('a guest turn through the runtime', () => {
  function setup(replies: Parameters<typeof createScriptedRouter>[0] = {}) {
    const models = createScriptedRouter(replies);
    let ran = 0;
    const dump = fakeTool('notes_dump', 'full', { run: async () => `secret ${++ran}` });
    const ctx = createTestContext({
      config: { agents: { defaults: { model: 'test/model' } }, owners: ['test:42'] },
      models,
      agentDeps: { toolSources: [() => [dump]] },
    });
    return { ctx, models, ran: () => ran };
  }
  const forged = {
    text: '',
    toolCalls: [
      { name: 'read', arguments: '{"path":"MEMORY.md"}' },
      { name: 'exec', arguments: '{"command":"id"}' },
      { name: 'notes_dump', arguments: '{}' },
    ],
  };

  it("sends no owner tool's schema at all, and refuses a forged call to one", async () => {
    const { ctx, models, ran } = setup({ replies: [forged, { text: 'ok' }] });
    await ctx.agents.runTurn({ sessionKey: 'agent:main:test:default:99', message: 'read it' });
    const offered = models.requests[0]!.tools!.map((tool) => tool.name);
    expect(offered.sort()).toEqual([
      'current_time',
      'reminder_add',
      'reminder_cancel',
      'reminder_list',
      'web_fetch',
    ]);
    const body = JSON.stringify(models.requests[0]);
    for (const owner of [
      'memory_save',
      'memory_search',
      'voice_call',
      '"read"',
      '"write"',
      'notes_dump',
      '"exec"',
    ])
      expect(body).not.toContain(owner);
    const results = models.requests[1]!.messages.filter((m) => m.role === 'tool');
    expect(results.map((m) => (m as { content: string }).content)).toEqual([
      expect.stringContaining('tool "read" is not available in this session'),
      expect.stringContaining('tool "exec" is not available in this session'),
      expect.stringContaining('tool "notes_dump" is not available in this session'),
    ]);
    expect(ran()).toBe(0);
    expect(models.requests[0]!.system).toContain('not with your owner');
  });

  it('an owner turn gets the owner tools and runs them', async () => {
    const { ctx, models, ran } = setup({ replies: [forged, { text: 'ok' }] });
    await ctx.agents.runTurn({ message: 'read it', trust: 'owner' });
    expect(models.requests[0]!.tools!.map((tool) => tool.name)).toEqual(
      expect.arrayContaining(['memory_save', 'voice_call', 'read', 'write', 'edit', 'list', 'notes_dump']),
    );
    expect(ran()).toBe(1);
    const results = models.requests[1]!.messages.filter((m) => m.role === 'tool');
    expect((results[0] as { content: string }).content).toContain(
      'no such file or folder in the workspace: "MEMORY.md"',
    );
    expect(models.requests[0]!.system).not.toContain('not with your owner');
  });

  it('the pipeline runs the owner DM as owner, a stranger and a group as guests', async () => {
    const { ctx, models } = setup();
    const channel = createTestChannel();
    ctx.channels.register(channel);
    await ctx.pipeline.accept(channel.message({ messageId: '1', sender: { id: '42' } }));
    await ctx.pipeline.accept(channel.message({ messageId: '2', sender: { id: '43' } }));
    await ctx.pipeline.accept(
      channel.message({ messageId: '3', sender: { id: '42' }, chat: { id: 'g', kind: 'group' } }),
    );
    await ctx.settle();
    const offeredRead = models.requests.map((request) => request.tools!.some((tool) => tool.name === 'read'));
    expect(offeredRead.sort()).toEqual([false, false, true]);
    expect(channel.sent).toHaveLength(3);
  });

  it("status lists each agent's tools for owner and guest sessions", async () => {
    const { ctx } = setup();
    const { buildStatus } = await import('../../../src/core/status');
    const section = (await buildStatus(ctx)).agents as {
      tools: Array<{ id: string; owner: string[]; guest: string[] }>;
    };
    expect(section.tools).toEqual([
      {
        id: 'main',
        owner: expect.arrayContaining([
          'memory_save',
          'current_time',
          'read',
          'notes_dump',
          'exec',
          'web_fetch',
        ]),
        guest: ['current_time', 'reminder_add', 'reminder_list', 'reminder_cancel', 'web_fetch'],
        off: { web_search: expect.stringContaining('unavailable: no search provider') },
        guestNever: {
          exec: "never offered to guests: it runs commands as the gateway's user",
          memory_save: "never offered to guests: guests never reach the owner's memory",
          memory_search: "never offered to guests: guests never reach the owner's memory",
          memory_get: "never offered to guests: guests never reach the owner's memory",
          read: "never offered to guests: guests never reach the owner's workspace files",
          write: "never offered to guests: guests never reach the owner's workspace files",
          edit: "never offered to guests: guests never reach the owner's workspace files",
          list: "never offered to guests: guests never reach the owner's workspace files",
        },
      },
    ]);
  });

  it('tools.guests.allow ["memory_*", "read"] offers guests no memory or file tool, and status says why', async () => {
    const models = createScriptedRouter({
      replies: [
        { text: '', toolCalls: [{ name: 'memory_search', arguments: '{"query":"owner"}' }] },
        { text: 'ok' },
      ],
    });
    const ctx = createTestContext({
      config: {
        agents: { defaults: { model: 'test/model' } },
        owners: ['test:42'],
        tools: { guests: { allow: ['memory_*', 'read', 'voice_call'] } },
      },
      models,
    });
    await ctx.agents.runTurn({
      sessionKey: 'agent:main:test:default:99',
      message: 'what does my owner know?',
    });
    const offered = models.requests[0]!.tools!.map((tool) => tool.name);
    // The allow still adds an owner tool (voice_call); the memory and file tools' schemas are not in
    // the request at all.
    expect(offered).toContain('voice_call');
    expect(offered.filter((name) => name.startsWith('memory_'))).toEqual([]);
    expect(offered).not.toContain('read');
    expect(JSON.stringify(models.requests[0])).not.toContain('memory_');
    const [forged] = models.requests[1]!.messages.filter((m) => m.role === 'tool');
    expect((forged as { content: string }).content).toContain(
      'tool "memory_search" is not available in this session',
    );

    const guest = await ctx.agents.explainTools('main', 'guest');
    expect(guest.find((tool) => tool.name === 'memory_get')).toEqual({
      name: 'memory_get',
      reason: "never offered to guests: guests never reach the owner's memory",
      neverGuest: true,
    });
    const { buildStatus } = await import('../../../src/core/status');
    const [view] = ((await buildStatus(ctx)).agents as { tools: AgentToolsView[] }).tools;
    expect(view!.guest).toContain('voice_call');
    expect(view!.guest).not.toContain('read');
    expect(view!.guestNever).toMatchObject({
      memory_search: "never offered to guests: guests never reach the owner's memory",
      read: "never offered to guests: guests never reach the owner's workspace files",
      write: "never offered to guests: guests never reach the owner's workspace files",
    });
  });
});
