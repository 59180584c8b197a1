/**
 * One promise per key, made on first use and shared by every later caller; a promise that
 * rejects is forgotten, so the next call tries again.
 */
export function asyncCache<V>(): (key: string, load: () => Promise<V>) => Promise<V> {
  const cache = new Map<string, Promise<V>>();
  return (key, load) => {
    let value = cache.get(key);
    if (!value) {
      value = load();
      value.catch(() => cache.delete(key));
      cache.set(key, value);
    }
    return value;
  };
}
