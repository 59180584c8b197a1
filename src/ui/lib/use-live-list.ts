import { useEffect, useState } from 'preact/hooks';
import { useApp } from './app-context';

export interface LiveListSpec<T> {
  /** The list method, its params, and the items of its answer. */
  method: string;
  params?: unknown;
  itemsOf(answer: unknown): T[];
  /** The event that adds (or replaces) an item, and the one whose payload names an item gone. */
  added: string;
  removed: string;
  isItem(value: unknown): value is T;
  /** An item's key; also read from the `removed` payload, which may carry only the key's fields. */
  keyOf(value: unknown): string | undefined;
  /** Lists again this often: a change made in another process (the CLI) sends no event here. */
  refreshMs?: number;
}

export interface LiveList<T> {
  items: T[];
  /** False when the gateway does not offer the list method. */
  available: boolean;
  /** Takes an item out at once (after the owner answered it), before its event arrives. */
  remove(item: T): void;
}

/**
 * A list kept live: fetched when connected (again after every reconnect), then changed by its
 * added/removed events. The pairing badge and the exec approvals both keep theirs with it.
 */
export function useLiveList<T>(spec: LiveListSpec<T>): LiveList<T> {
  const { client, generation } = useApp();
  const [items, setItems] = useState<T[]>([]);
  const available = client.has(spec.method);
  const { method, params, itemsOf, added, removed, isItem, keyOf, refreshMs } = spec;
  const without = (list: T[], key: string | undefined) => list.filter((item) => keyOf(item) !== key);

  useEffect(() => {
    if (!available) return;
    let current = true;
    const load = () =>
      client.request(method, params).then(
        (answer) => current && setItems(itemsOf(answer)),
        () => {},
      );
    void load();
    const timer = refreshMs ? setInterval(load, refreshMs) : undefined;
    const off = client.subscribe((event, payload) => {
      if (event === added && isItem(payload)) setItems((list) => [...without(list, keyOf(payload)), payload]);
      if (event === removed) setItems((list) => without(list, keyOf(payload)));
    });
    return () => {
      current = false;
      clearInterval(timer);
      off();
    };
    // The spec's functions are module-level constants in every caller; params is compared by value.
  }, [client, generation, available, method, JSON.stringify(params), added, removed, refreshMs]);

  const remove = (item: T) => setItems((list) => without(list, keyOf(item)));
  return { items, available, remove };
}
