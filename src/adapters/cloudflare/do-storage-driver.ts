import { defineDriver } from 'unstorage';
import type { DurableObjectStorage } from './platform';

/**
 * unstorage over a Durable Object's transactional storage. The object runs one request's
 * storage operations at a time, so spool, dedupe and cron claims are as strict as on Node.
 */
export const durableObjectDriver = defineDriver((options: { storage: DurableObjectStorage }) => {
  const { storage } = options;
  // unstorage hands bases with or without the trailing separator.
  const prefix = (base: string) => (base ? (base.endsWith(':') ? base : `${base}:`) : undefined);
  return {
    name: 'durable-object',
    options,
    hasItem: async (key: string) => (await storage.get(key)) !== undefined,
    getItem: async (key: string) => (await storage.get<string>(key)) ?? null,
    setItem: (key: string, value: string) => storage.put(key, value),
    removeItem: async (key: string) => {
      await storage.delete(key);
    },
    getKeys: async (base: string) => [...(await storage.list({ prefix: prefix(base) })).keys()],
    clear: async (base: string) => {
      if (!base) return storage.deleteAll();
      for (const key of (await storage.list({ prefix: prefix(base) })).keys()) await storage.delete(key);
    },
  };
});
