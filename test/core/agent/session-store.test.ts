import { describe, expect, it } from 'vitest';
import { createSessionStore } from '../../../src/core/agent/session-store';
import { createMemoryStore } from '../../helpers/context';

const turn =
  (text: string) =>
  (current: Parameters<Parameters<ReturnType<typeof createSessionStore>['update']>[1]>[0]) => ({
    ...current,
    messages: [...current.messages, { role: 'user' as const, content: text }],
    turns: current.turns + 1,
    updatedAt: current.updatedAt + 1,
  });

describe('session store', () => {
  it('lists sessions written by an earlier process, then keeps the list current in memory', async () => {
    const store = createMemoryStore();
    const before = createSessionStore(store, () => 1000);
    await before.update('agent:main:telegram:bot:1', turn('a'));
    await before.update('agent:work:discord:g1:chat', turn('b'));

    const sessions = createSessionStore(store, () => 2000);
    expect((await sessions.list()).map((s) => s.sessionKey).sort()).toEqual([
      'agent:main:telegram:bot:1',
      'agent:work:discord:g1:chat',
    ]);
    await sessions.update('agent:main:telegram:bot:2', turn('c'));
    await sessions.update('agent:main:telegram:bot:1', turn('d'));
    const list = await sessions.list();
    expect(list.find((s) => s.sessionKey === 'agent:main:telegram:bot:1')).toMatchObject({ turns: 2 });
    expect(list).toHaveLength(3);
    expect((await sessions.list({ agentId: 'work' })).map((s) => s.channel)).toEqual(['discord']);
    expect((await sessions.list({ channel: 'telegram', limit: 1 })).length).toBe(1);
    await sessions.reset('agent:main:telegram:bot:1');
    expect((await sessions.list()).find((s) => s.sessionKey === 'agent:main:telegram:bot:1')).toMatchObject({
      turns: 0,
    });
  });

  it('a write while the first list is being built is not lost', async () => {
    const store = createMemoryStore();
    const sessions = createSessionStore(store, () => 1);
    for (let i = 0; i < 50; i++) await sessions.update(`agent:main:c:a:p${i}`, turn('x'));
    const listing = sessions.list({ limit: 1000 });
    await sessions.update('agent:main:c:a:late', turn('y'));
    expect((await listing).length + 1).toBeGreaterThanOrEqual(51);
    expect((await sessions.list({ limit: 1000 })).map((s) => s.sessionKey)).toContain('agent:main:c:a:late');
  });
});
