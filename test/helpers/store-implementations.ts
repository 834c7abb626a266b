import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, inject } from 'vitest';
import { MemoryStore } from '../../src/store/memory-store.js';
import { RedisStore } from '../../src/store/redis-store.js';
import type { Store } from '../../src/store/store.js';
import { type RedisTopology, startRedisCluster, startRedisSentinel } from './redis-topologies.js';

export type StoreMaker = () => Promise<Store>;

/**
 * Every Store implementation a parameterised suite runs over: memory, one Redis server, Redis Sentinel and a
 * Redis Cluster (the last two real local servers, started once for the calling test file and stopped after it).
 * Call at the top level of a test file; each store has its own key prefix.
 */
export function storeImplementations(): [string, StoreMaker][] {
  const stores: Store[] = [];
  const topologies: Partial<Record<'sentinel' | 'cluster', RedisTopology>> = {};
  beforeAll(async () => {
    [topologies.sentinel, topologies.cluster] = await Promise.all([
      startRedisSentinel(),
      startRedisCluster(),
    ]);
  }, 120_000);
  afterAll(async () => {
    for (const s of stores) await s.close();
    await Promise.all([topologies.sentinel?.stop(), topologies.cluster?.stop()]);
  }, 60_000);
  const redisAt =
    (url: () => string): StoreMaker =>
    async () => {
      const store = new RedisStore({ url: url(), prefix: `test:${randomUUID()}:` });
      stores.push(store);
      await store.ready(15_000);
      return store;
    };
  const urlOf = (name: 'sentinel' | 'cluster') => () => {
    const topology = topologies[name];
    if (!topology) throw new Error(`the Redis ${name} did not start (see the beforeAll error)`);
    return topology.url;
  };
  return [
    ['memory', async () => new MemoryStore(`t${randomUUID()}:`)],
    ['redis', redisAt(() => inject('redisUrl'))],
    ['redis-sentinel', redisAt(urlOf('sentinel'))],
    ['redis-cluster', redisAt(urlOf('cluster'))],
  ];
}
