import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logging/create-logger.js';
import { LeaderLease } from '../../../src/runtime/leader-lease.js';
import type { Store } from '../../../src/store/store.js';
import { storeImplementations } from '../../helpers/store-implementations.js';

/**
 * The reconciler's leader lease over every store the bot runs on: one Redis server, Sentinel and a Cluster
 * (where the lock and its heartbeat are two keys, and each operation must stay on one slot), and memory.
 */

const HEARTBEAT_MS = 40;
const logger = createLogger({ level: 'silent' });

function lease(store: Store, key = 'reconciler:lease'): LeaderLease {
  return new LeaderLease({ store, logger, key, leaseMs: 60_000, heartbeatMs: HEARTBEAT_MS });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(storeImplementations())('leader lease on %s', (_name, makeStore) => {
  it('lets exactly one of several racing replicas lead, and keeps it while it renews', async () => {
    const store = await makeStore();
    const replicas = [lease(store), lease(store), lease(store)];
    const first = await Promise.all(replicas.map((r) => r.hold()));
    expect(first.filter(Boolean)).toHaveLength(1);
    for (let round = 0; round < 3; round++) {
      const again = await Promise.all(replicas.map((r) => r.hold()));
      expect(again).toEqual(first);
    }
    expect(replicas.filter((r) => r.isLeader)).toHaveLength(1);
  });

  it('hands the lease over at once on release', async () => {
    const store = await makeStore();
    const [a, b] = [lease(store), lease(store)];
    expect(await a.hold()).toBe(true);
    expect(await b.hold()).toBe(false);
    await a.release();
    expect(a.isLeader).toBe(false);
    expect(await b.hold()).toBe(true);
    expect(await a.hold()).toBe(false);
  });

  it('takes over from a leader whose heartbeat stood still for three periods, never before', async () => {
    const store = await makeStore();
    const [dead, watcher] = [lease(store), lease(store)];
    expect(await dead.hold()).toBe(true);
    // `dead` stops renewing (a SIGKILLed replica): its lock's TTL is a minute, the heartbeat shows it is gone.
    expect(await watcher.hold()).toBe(false);
    await sleep(HEARTBEAT_MS);
    expect(await watcher.hold()).toBe(false);
    await sleep(3 * HEARTBEAT_MS);
    expect(await watcher.hold()).toBe(true);
    // The old leader comes back (a paused process): it learns it lost the lease instead of leading twice.
    expect(await dead.hold()).toBe(false);
    expect(dead.isLeader).toBe(false);
  });

  it('keeps leases of different keys apart', async () => {
    const store = await makeStore();
    const [a, b] = [lease(store, 'lease:one'), lease(store, 'lease:two')];
    expect(await Promise.all([a.hold(), b.hold()])).toEqual([true, true]);
  });
});
