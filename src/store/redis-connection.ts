import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { parseRedisUrl, type RedisTarget } from '../config/redis-url.js';

/** A connection to one server, to the master Sentinel names, or to a Cluster: the commands the store uses. */
export type RedisClient = Redis | Cluster;

export interface ConnectionOptions {
  /** How long a command may wait for a lost connection before it fails (so callers can fail closed). */
  commandTimeoutMs: number;
}

/** The target of a REDIS_URL; an invalid one is refused at start by the env schema, so this only guards. */
export function redisTarget(url: string): RedisTarget {
  const { target, problems } = parseRedisUrl(url);
  if (!target) throw new Error(`REDIS_URL ${problems.join('; ')}`);
  return target;
}

// Reconnect for ever, at most 2 s apart, so the bot resumes by itself when Redis is back.
const retryStrategy = (times: number) => Math.min(100 * 2 ** Math.min(times, 5), 2000);

export function connectRedis(target: RedisTarget, { commandTimeoutMs }: ConnectionOptions): RedisClient {
  const common = {
    maxRetriesPerRequest: 1,
    commandTimeout: commandTimeoutMs,
    connectTimeout: 2000,
  } satisfies RedisOptions;
  // No queue while disconnected: a command fails at once (the caller fails closed and says "try again")
  // instead of running minutes later, when nobody expects a click to take effect any more. Commands issued
  // in the same tick go out as one write: under a burst that is most of the round trips.
  const perClient = {
    enableOfflineQueue: false,
    enableAutoPipelining: true,
    retryStrategy,
    // After a failover the old primary answers READONLY: reconnect to reach the new one.
    reconnectOnError: (error: Error) => error.message.startsWith('READONLY'),
  } satisfies RedisOptions;
  const auth = (t: { username?: string; password?: string; tls: boolean }) => ({
    ...(t.username ? { username: t.username } : {}),
    ...(t.password ? { password: t.password } : {}),
    ...(t.tls ? { tls: {} } : {}),
  });
  switch (target.kind) {
    case 'standalone':
      return new Redis(target.url, { ...common, ...perClient });
    case 'sentinel':
      // ioredis asks the Sentinels for the master, and asks again after every disconnect, so a failover
      // lands on the new master; commands sent while it moves fail (no offline queue) and the caller fails closed.
      return new Redis({
        ...common,
        ...perClient,
        ...auth(target),
        sentinels: target.sentinels,
        name: target.name,
        db: target.db,
        role: 'master',
        ...(target.sentinelPassword ? { sentinelPassword: target.sentinelPassword } : {}),
        ...(target.tls ? { enableTLSForSentinelMode: true } : {}),
        sentinelRetryStrategy: retryStrategy,
        failoverDetector: true,
      });
    case 'cluster':
      return new Cluster(target.nodes, {
        enableOfflineQueue: false,
        enableAutoPipelining: true,
        clusterRetryStrategy: retryStrategy,
        // A MOVED/ASK during a resharding or a failover is followed a few times; past that the command fails.
        maxRedirections: 6,
        retryDelayOnFailover: 200,
        retryDelayOnClusterDown: 200,
        slotsRefreshTimeout: 2000,
        redisOptions: { ...common, ...auth(target) },
      });
  }
}

/**
 * The key prefix as sent to Redis. On a Cluster the whole prefix is one hash tag (`deploybot:` becomes
 * `{deploybot:}`), so every key of a deployment hashes to one slot. Every Lua script and MULTI of the store
 * (the version-checked write, the locks and their fencing, the refusal log, the audit append, the time-ordered
 * index) then touches keys of one slot, as a Cluster requires, and stays atomic as on one server. The Cluster
 * gives failover, not sharding: a bot of this size keeps well within one node. A prefix that already holds a
 * hash tag is kept as it is.
 */
export function slotPrefix(prefix: string, target: RedisTarget): string {
  if (target.kind !== 'cluster' || /^[^{]*\{[^}]+\}/.test(prefix)) return prefix;
  const bare = prefix.replace(/[{}]/g, '');
  if (!bare) throw new Error('REDIS_KEY_PREFIX must hold a character other than { and } on a Redis Cluster');
  return `{${bare}}`;
}
