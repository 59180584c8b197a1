import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GATEWAY_TOKEN,
  sentTexts,
  startTelegramWorld,
  type TelegramWorld,
} from '../adapters/node/telegram/harness';
import { type RecordedRequest, reply, toolResults } from '../fakes/anthropic-server';
import { updates } from '../fakes/telegram-bot-api';

const OWNER = 1111;
const GUEST = 4242;
const FILE_TOOLS = ['read', 'write', 'edit', 'list'];

let world: TelegramWorld;
let workspace: string;

beforeAll(async () => {
  world = await startTelegramWorld({
    // Whole replies, not previews edited as they grow (the owners' DM default): the tests read each reply once.
    telegram: { dmPolicy: 'open', preview: 'off' },
    config: { owners: [`telegram:${OWNER}`] },
  });
  // The default workspace, with a symlink in it pointing at the state dir (config, credentials, spool).
  workspace = join(world.stateDir, 'workspace', 'main');
  mkdirSync(workspace, { recursive: true });
  symlinkSync(world.stateDir, join(workspace, 'state'));
  writeFileSync(join(workspace, 'USER.md'), 'The owner is called Ada.');
}, 60_000);
afterAll(async () => {
  await world?.close();
});

const toolNames = (request: RecordedRequest) =>
  ((request.body.tools as Array<{ name: string }> | undefined) ?? []).map((tool) => tool.name);

/** The tool_result blocks the gateway sent back to the model in a request. */
describe('workspace file tools through the running gateway (fake Anthropic, fake Telegram)', () => {
  it('an owner session (the gateway token) writes then reads a file in the workspace', async () => {
    const before = world.llm.requests.length;
    world.llm.enqueue(
      reply.tools([
        { name: 'write', arguments: { path: 'notes/todo.md', content: 'buy crab food\nfeed crab\n' } },
      ]),
      reply.tools([{ name: 'read', arguments: { path: 'notes/todo.md' } }]),
      reply.text('Your list has two items.'),
    );
    const client = new OpenAI({ apiKey: GATEWAY_TOKEN, baseURL: `${world.gateway.url}/v1`, maxRetries: 0 });
    const completion = await client.chat.completions.create({
      model: 'krabkrab',
      messages: [{ role: 'user', content: 'note my todo list' }],
    });
    expect(completion.choices[0]!.message.content).toBe('Your list has two items.');
    const [first, second, third] = world.llm.requests.slice(before);
    expect(toolNames(first!)).toEqual(expect.arrayContaining(FILE_TOOLS));
    expect(JSON.stringify(first!.body.system)).toContain('The owner is called Ada.');
    expect(JSON.parse(toolResults(second!)[0]!)).toEqual({
      path: 'notes/todo.md',
      written: 24,
      created: true,
    });
    expect(toolResults(third!)[0]).toContain(
      '<untrusted source="file notes/todo.md">\n1\tbuy crab food\n2\tfeed crab\n',
    );
    expect(readFileSync(join(workspace, 'notes', 'todo.md'), 'utf8')).toBe('buy crab food\nfeed crab\n');
  });

  it('bad paths and edits: a clear error to the model each, nothing outside touched, gateway up', async () => {
    const config = readFileSync(join(world.stateDir, 'krabkrab.json'), 'utf8');
    const before = world.llm.requests.length;
    world.llm.enqueue(
      reply.tools([
        { name: 'read', arguments: { path: '../../krabkrab.json' } },
        { name: 'read', arguments: { path: '/etc/passwd' } },
        { name: 'read', arguments: { path: 'state/krabkrab.json' } },
        { name: 'write', arguments: { path: 'state/krabkrab.json', content: '{}' } },
        { name: 'list', arguments: { path: 'state' } },
        { name: 'edit', arguments: { path: 'notes/todo.md', oldText: 'crab', newText: 'lobster' } },
      ]),
      reply.text('I cannot do that.'),
    );
    const client = new OpenAI({ apiKey: GATEWAY_TOKEN, baseURL: `${world.gateway.url}/v1`, maxRetries: 0 });
    await client.chat.completions.create({ model: 'krabkrab', messages: [{ role: 'user', content: 'try' }] });
    const results = toolResults(world.llm.requests[before + 1]!);
    expect(results[0]).toMatch(/leaves the workspace/);
    expect(results[1]).toMatch(/absolute paths are refused/);
    expect(results[2]).toMatch(/resolves outside the workspace/);
    expect(results[3]).toMatch(/resolves outside the workspace/);
    expect(results[4]).toMatch(/resolves outside the workspace/);
    expect(results[5]).toMatch(/oldText matches 2 times in notes\/todo.md/);
    expect(results.join('\n')).not.toContain('"gateway"');
    expect(readFileSync(join(world.stateDir, 'krabkrab.json'), 'utf8')).toBe(config);
    expect(readFileSync(join(workspace, 'notes', 'todo.md'), 'utf8')).toBe('buy crab food\nfeed crab\n');
    expect((await fetch(`${world.gateway.url}/health`)).status).toBe(200);
  });

  it('a guest (a Telegram sender not in owners) gets no file or exec tool schema; forged calls and /approve are refused', async () => {
    const before = world.llm.requests.length;
    world.llm.enqueue(
      reply.tools([
        { name: 'read', arguments: { path: 'notes/todo.md' } },
        { name: 'write', arguments: { path: 'pwned.md', content: 'x' } },
        { name: 'exec', arguments: { command: 'touch pwned-exec' } },
      ]),
      reply.text('No files for you.'),
    );
    world.bot.pushUpdate(updates.privateText('show me the owner notes', { userId: GUEST }));
    await world.bot.waitForCall(
      'sendMessage',
      (call) => String(call.params.chat_id) === String(GUEST),
      10_000,
    );
    expect(sentTexts(world.bot, GUEST).at(-1)).toBe('No files for you.');
    const [first, second] = world.llm.requests.slice(before);
    const offered = toolNames(first!);
    expect(offered).toContain('current_time');
    for (const name of [...FILE_TOOLS, 'exec', 'memory_save', 'memory_search', 'voice_call'])
      expect(offered).not.toContain(name);
    expect(JSON.stringify(first!.body.system)).not.toContain('The owner is called Ada.');
    expect(toolResults(second!)).toEqual([
      expect.stringContaining('tool "read" is not available in this session'),
      expect.stringContaining('tool "write" is not available in this session'),
      expect.stringContaining('tool "exec" is not available in this session'),
    ]);
    expect(existsSync(join(workspace, 'pwned.md'))).toBe(false);
    expect(existsSync(join(workspace, 'pwned-exec'))).toBe(false);
    // A guest's /approve is refused before the id is even looked at (no model call).
    const calls = world.llm.requests.length;
    world.bot.pushUpdate(updates.privateText('/approve abcd1234 allow-always', { userId: GUEST }));
    await world.bot.waitForCall(
      'sendMessage',
      (call) =>
        String(call.params.chat_id) === String(GUEST) &&
        call.params.text === 'Only the owner can approve commands.',
      10_000,
    );
    expect(world.llm.requests.length).toBe(calls);
  });

  it('the owner on Telegram (in owners) gets the file tools; status lists owner and guest tools', async () => {
    const before = world.llm.requests.length;
    world.llm.enqueue(reply.text('Hello Ada.'));
    world.bot.pushUpdate(updates.privateText('hi', { userId: OWNER, username: 'ada_owner' }));
    await world.bot.waitForCall(
      'sendMessage',
      (call) => String(call.params.chat_id) === String(OWNER),
      10_000,
    );
    expect(toolNames(world.llm.requests[before]!)).toEqual(expect.arrayContaining(FILE_TOOLS));
    const status = await world.status();
    const main = status.agents?.tools.find((agent) => agent.id === 'main');
    expect(main?.owner).toEqual(expect.arrayContaining(FILE_TOOLS));
    for (const name of FILE_TOOLS) expect(main?.guest).not.toContain(name);
    expect(main?.guest).toContain('current_time');
  });
});
