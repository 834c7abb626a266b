import { MemoryStore } from './memory-store.js';
import { RedisStore } from './redis-store.js';
import type { Store } from './store.js';

export function createStore(options: { redisUrl?: string; prefix: string }): Store {
  return options.redisUrl
    ? new RedisStore({ url: options.redisUrl, prefix: options.prefix })
    : new MemoryStore(options.prefix);
}
