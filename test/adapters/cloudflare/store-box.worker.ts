// A test-only Worker: the production Durable Object driver inside workerd, its methods reachable over RPC.
import { DurableObject } from 'cloudflare:workers';
import { durableObjectDriver } from '../../../src/adapters/cloudflare/do-storage-driver';

export class StoreBox extends DurableObject {
  #driver = durableObjectDriver({ storage: this.ctx.storage });
  hasItem(key: string) {
    return this.#driver.hasItem(key, {});
  }
  getItem(key: string) {
    return this.#driver.getItem(key, {});
  }
  setItem(key: string, value: string) {
    return this.#driver.setItem!(key, value, {});
  }
  removeItem(key: string) {
    return this.#driver.removeItem!(key, {});
  }
  getKeys(base: string) {
    return this.#driver.getKeys(base, {});
  }
}

export default { fetch: () => new Response('store box') };
