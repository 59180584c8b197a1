import { createStorage, type Driver, type Storage } from 'unstorage';
import { GatewayError } from '../errors';
import { NAMESPACES, type Namespace } from './namespaces';
import { createStateCells, type StateCell } from './state-cell';

/** JSON values as the store keeps them. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json | undefined };

/**
 * The storage contract of the gateway: namespaced JSON values over unstorage, plus
 * durable-object-like cells whose updates are serialized per key.
 */
export interface Store {
  get<T = Json>(key: string): Promise<T | null>;
  set(key: string, value: unknown): Promise<void>;
  remove(key: string): Promise<void>;
  has(key: string): Promise<boolean>;
  /** Keys under a prefix (`spool:telegram:`), full keys, sorted. */
  keys(prefix: string): Promise<string[]>;
  /** A serialized, persisted state object for one key (one conversation, one job). */
  state<T>(key: string): StateCell<T>;
  /** Sets the key only if it is absent; true when this call created it. Serialized like `state()`. */
  claim(key: string, value: unknown): Promise<boolean>;
  dispose(): Promise<void>;
}

export interface StoreOptions {
  /** The driver for keys of each namespace; `default` covers any namespace not listed. */
  drivers: Partial<Record<Namespace, Driver>> & { default: Driver };
}

/** Builds the store over unstorage mounts: one mount a namespace, so listing one never walks the others. */
export function createStore(options: StoreOptions): Store {
  const storage: Storage = createStorage({ driver: options.drivers.default });
  for (const namespace of NAMESPACES) {
    const driver = options.drivers[namespace];
    if (driver) storage.mount(namespace, driver);
  }
  return wrapStorage(storage);
}

function checkKey(key: string): string {
  const namespace = key.split(':', 1)[0] ?? '';
  if (!(NAMESPACES as readonly string[]).includes(namespace) || key.length <= namespace.length + 1) {
    throw new GatewayError('INTERNAL', `store: key ${JSON.stringify(key)} has no known namespace`);
  }
  if (/(^|:)\.\.?(:|$)/.test(key) || /[/\\\0]/.test(key)) {
    throw new GatewayError('BAD_REQUEST', `store: key ${JSON.stringify(key)} has a forbidden segment`);
  }
  return key;
}

function wrapStorage(storage: Storage): Store {
  const store: Store = {
    async get<T>(key: string) {
      return ((await storage.getItem(checkKey(key))) as T | null) ?? null;
    },
    async set(key, value) {
      if (value === undefined) return storage.removeItem(checkKey(key));
      await storage.setItem(checkKey(key), JSON.stringify(value));
    },
    remove: (key) => storage.removeItem(checkKey(key)),
    has: (key) => storage.hasItem(checkKey(key)),
    async keys(prefix) {
      const base = prefix.replace(/:+$/, '');
      const keys = await storage.getKeys(base);
      return keys.filter((key) => key.startsWith(prefix)).sort();
    },
    state: (key) => cells.cell(checkKey(key)),
    async claim(key, value) {
      let created = false;
      await cells.cell<unknown>(checkKey(key)).update((current) => {
        if (current !== null && current !== undefined) return current;
        created = true;
        return value;
      });
      return created;
    },
    dispose: () => storage.dispose(),
  };
  const cells = createStateCells(store);
  return store;
}

/** Keys may hold user-controlled parts (a chat id, a phone number): this makes them safe segments. */
export function keySegment(part: string | number): string {
  return String(part).replace(
    /[^A-Za-z0-9_.+@=-]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}
