import { Redis } from 'ioredis';

/** A plain client beside the bot's own: the tests look at what the bot wrote without going through it. */
export function openRawRedis(url: string): Redis {
  const client = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 1, enableOfflineQueue: true });
  client.on('error', () => {});
  return client;
}

async function scanKeys(redis: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys.sort();
}

/**
 * Every key under the prefix with its content, so a test can tell "nothing was written" from "the same
 * number of keys": a refused request that overwrote an existing record would change the snapshot.
 */
export async function snapshotKeys(redis: Redis, prefix: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const key of await scanKeys(redis, prefix)) {
    const type = await redis.type(key);
    switch (type) {
      case 'string':
        out[key] = `string:${(await redis.get(key)) ?? ''}`;
        break;
      case 'set':
        out[key] = `set:${(await redis.smembers(key)).sort().join(',')}`;
        break;
      case 'stream': {
        const last = await redis.xrevrange(key, '+', '-', 'COUNT', 1);
        out[key] = `stream:${await redis.xlen(key)}:${last[0]?.[0] ?? ''}`;
        break;
      }
      case 'none':
        break;
      default:
        out[key] = `${type}:${JSON.stringify(await redis.dump(key))}`;
    }
  }
  return out;
}

export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  const keys = await scanKeys(redis, prefix);
  for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
}
