import { describe, expect, it } from 'vitest';
import type { Store } from '../../../src/core/storage/store';

/** The conformance suite every store (memory, fs, Durable Object) must pass. */
export function testStore(name: string, makeStore: () => Promise<Store> | Store): void {
  describe(`store contract: ${name}`, () => {
    it('round-trips JSON values and reports absence as null', async () => {
      const store = await makeStore();
      expect(await store.get('sessions:a')).toBeNull();
      await store.set('sessions:a', { n: 1, list: [1, 'two'], nested: { ok: true } });
      await store.set('credentials:token', 'a-string-value');
      await store.set('cron:number', 42);
      expect(await store.get('sessions:a')).toEqual({ n: 1, list: [1, 'two'], nested: { ok: true } });
      expect(await store.get('credentials:token')).toBe('a-string-value');
      expect(await store.get('cron:number')).toBe(42);
      expect(await store.has('sessions:a')).toBe(true);
      await store.remove('sessions:a');
      expect(await store.has('sessions:a')).toBe(false);
      await store.dispose();
    });

    it('keeps strings that look like numbers or JSON as strings', async () => {
      const store = await makeStore();
      await store.set('state:x', '123');
      await store.set('state:y', '{"a":1}');
      expect(await store.get('state:x')).toBe('123');
      expect(await store.get('state:y')).toBe('{"a":1}');
      await store.dispose();
    });

    it('lists keys by prefix within one namespace only', async () => {
      const store = await makeStore();
      await store.set('spool:telegram:1', 1);
      await store.set('spool:telegram:2', 2);
      await store.set('spool:discord:1', 3);
      await store.set('sessions:telegram:1', 4);
      expect(await store.keys('spool:telegram:')).toEqual(['spool:telegram:1', 'spool:telegram:2']);
      expect(await store.keys('spool:')).toHaveLength(3);
      await store.dispose();
    });

    it('refuses keys without a known namespace or with path tricks', async () => {
      const store = await makeStore();
      await expect(store.set('nope:x', 1)).rejects.toThrow(/namespace/);
      await expect(store.set('sessions:..:x', 1)).rejects.toThrow(/forbidden/);
      await expect(store.set('sessions:a/b', 1)).rejects.toThrow(/forbidden/);
      await store.dispose();
    });

    it('serializes concurrent updates of one state cell: no lost update', async () => {
      const store = await makeStore();
      const cell = store.state<{ count: number; seen: number[] }>('sessions:counter');
      await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          cell.update(async (current) => {
            await new Promise((resolve) => setTimeout(resolve, i % 3));
            return { count: (current?.count ?? 0) + 1, seen: [...(current?.seen ?? []), i] };
          }),
        ),
      );
      const final = await store.get<{ count: number; seen: number[] }>('sessions:counter');
      expect(final?.count).toBe(200);
      expect(final?.seen).toEqual(Array.from({ length: 200 }, (_, i) => i));
      await store.dispose();
    });

    it('persists an update before it resolves, and a failed update changes nothing', async () => {
      const store = await makeStore();
      const cell = store.state<number>('state:value');
      await cell.update(() => 7);
      expect(await store.get('state:value')).toBe(7);
      await expect(cell.update(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
      expect(await cell.get()).toBe(7);
      await cell.update(() => undefined);
      expect(await store.has('state:value')).toBe(false);
      await store.dispose();
    });

    it('claims a key once among concurrent claimers', async () => {
      const store = await makeStore();
      const results = await Promise.all(
        Array.from({ length: 20 }, () => store.claim('cron:job:1', { at: 1 })),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      await store.dispose();
    });
  });
}
