import { MemoryStore } from './memory-store.js';
import { RedisStore } from './redis-store.js';
export function createStore(options) {
    return options.redisUrl
        ? new RedisStore({ url: options.redisUrl, prefix: options.prefix })
        : new MemoryStore(options.prefix);
}
