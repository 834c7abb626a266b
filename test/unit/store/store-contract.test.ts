import { randomUUID } from 'node:crypto';
import type { Cluster } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { RedisStore } from '../../../src/store/redis-store.js';
import type { Store } from '../../../src/store/store.js';
import { storeImplementations } from '../../helpers/store-implementations.js';

const stores: Store[] = [];
afterAll(async () => {
  for (const s of stores) await s.close();
});

// One suite over every topology: memory, one Redis, Sentinel and Cluster.
const implementations = storeImplementations();

describe.each(implementations)('Store contract (%s)', (_name, make) => {
  it('creates a record only when it does not exist yet', async () => {
    const store = await make();
    expect(await store.compareAndSet('card:1', { a: 1 }, 0)).toBe(1);
    expect(await store.compareAndSet('card:1', { a: 2 }, 0)).toBeUndefined();
    expect(await store.get('card:1')).toEqual({ value: { a: 1 }, version: 1 });
  });

  it('lets only the writer holding the current version win', async () => {
    const store = await make();
    await store.compareAndSet('k', { n: 0 }, 0);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.compareAndSet('k', { n: i }, 1)),
    );
    expect(results.filter((r) => r === 2)).toHaveLength(1);
    expect((await store.get<{ n: number }>('k'))?.version).toBe(2);
  });

  it('answers a lost version race with the record as it is now (no second read needed)', async () => {
    const store = await make();
    expect(await store.writeIfVersion('w', { n: 1 }, 0)).toEqual({ written: 1 });
    expect(await store.writeIfVersion('w', { n: 2 }, 1)).toEqual({ written: 2 });
    expect(await store.writeIfVersion('w', { n: 9 }, 1)).toEqual({
      conflict: { value: { n: 2 }, version: 2 },
    });
    expect(await store.writeIfVersion('missing', { n: 9 }, 3)).toEqual({ conflict: undefined });
  });

  it('round-trips unicode and nested values', async () => {
    const store = await make();
    const value = { text: 'naïve <!channel> "quoted" \n ✅', list: [1, { x: null }] };
    await store.compareAndSet('u', value, 0);
    expect((await store.get('u'))?.value).toEqual(value);
  });

  it('expires records written with a TTL', async () => {
    const store = await make();
    await store.compareAndSet('ttl', 1, 0, 50);
    await new Promise((r) => setTimeout(r, 120));
    expect(await store.get('ttl')).toBeUndefined();
  });

  it('marks a key seen exactly once under concurrency', async () => {
    const store = await make();
    const results = await Promise.all(Array.from({ length: 30 }, () => store.markSeen('delivery-1', 10_000)));
    expect(results.filter(Boolean)).toHaveLength(1);
    await store.unmarkSeen('delivery-1');
    expect(await store.markSeen('delivery-1', 10_000)).toBe(true);
  });

  it('grants a lock to one owner and lets only that owner release or renew it', async () => {
    const store = await make();
    const tokens = await Promise.all(Array.from({ length: 10 }, () => store.acquireLock('app:x', 10_000)));
    const owners = tokens.filter((t): t is string => Boolean(t));
    expect(owners).toHaveLength(1);
    expect(await store.releaseLock('app:x', 'not-the-owner')).toBe(false);
    expect(await store.renewLock('app:x', 'not-the-owner', 10_000)).toBe(false);
    expect(await store.renewLock('app:x', owners[0]!, 10_000)).toBe(true);
    expect(await store.acquireLock('app:x', 10_000)).toBeUndefined();
    expect(await store.releaseLock('app:x', owners[0]!)).toBe(true);
    expect(await store.acquireLock('app:x', 10_000)).toEqual(expect.any(String));
  });

  it('frees a lock whose owner died when its TTL passes', async () => {
    const store = await make();
    expect(await store.acquireLock('lease', 50)).toBeDefined();
    await new Promise((r) => setTimeout(r, 120));
    expect(await store.acquireLock('lease', 50)).toBeDefined();
  });

  it('keeps set membership', async () => {
    const store = await make();
    await store.addToSet('syncing', 'a');
    await store.addToSet('syncing', 'b');
    await store.addToSet('syncing', 'a');
    await store.removeFromSet('syncing', 'b');
    expect(await store.setMembers('syncing')).toEqual(['a']);
  });

  it('reads the audit log newest first, filtered by app', async () => {
    const store = await make();
    for (let i = 0; i < 5; i++) {
      await store.appendAudit({
        at: i,
        app: i % 2 ? 'b' : 'a',
        action: 'approve',
        outcome: 'allowed',
        user: `U${i}`,
      });
    }
    const forA = await store.readAudit({ app: 'a', limit: 20 });
    expect(forA.map((e) => e.user)).toEqual(['U4', 'U2', 'U0']);
    const last2 = await store.readAudit({ limit: 2 });
    expect(last2.map((e) => e.user)).toEqual(['U4', 'U3']);
    expect(last2[0]?.id).toEqual(expect.any(String));
  });

  it("keeps one app name's audit and refusals apart per Argo CD instance (default = no instance)", async () => {
    const store = await make();
    const entry = { app: 'api', action: 'approve', outcome: 'allowed' };
    await store.appendAudit({ ...entry, at: 1, user: 'U0', instance: 'default' });
    await store.appendAudit({ ...entry, at: 2, user: 'U1' });
    await store.appendAudit({ ...entry, at: 3, user: 'U2', instance: 'eu' });
    await store.appendAudit({ ...entry, at: 4, user: 'U3', instance: 'us' });
    const users = async (instance?: string) =>
      (await store.readAudit({ app: 'api', instance, limit: 20 })).map((e) => e.user);
    expect(await users()).toEqual(['U1', 'U0']);
    expect(await users('default')).toEqual(['U1', 'U0']);
    expect(await users('eu')).toEqual(['U2']);
    expect(await users('us')).toEqual(['U3']);
    const denial = { app: 'api', action: 'approve', outcome: 'denied', user: 'U9', rule: 'r', at: 5 };
    await store.appendDenial({ ...denial, instance: 'eu', cardId: 'c-eu' }, 60_000);
    expect((await store.readDenials({ app: 'api', instance: 'eu', limit: 5 })).map((e) => e.cardId)).toEqual([
      'c-eu',
    ]);
    expect(await store.readDenials({ app: 'api', instance: 'us', limit: 5 })).toEqual([]);
    expect(await store.readDenials({ app: 'api', limit: 5 })).toEqual([]);
  });

  it('keeps a time-ordered index: range by time, oldest first, resend-safe, older than the retention dropped', async () => {
    const store = await make();
    const day = 86_400_000;
    const now = 100 * day;
    await store.addTimed('deploys:prod', 'b', now - 2 * day, 90 * day, now);
    await store.addTimed('deploys:prod', 'a', now - 3 * day, 90 * day, now);
    await store.addTimed('deploys:prod', 'a', now - 3 * day, 90 * day, now);
    await store.addTimed('deploys:prod', 'c', now - day, 90 * day, now);
    expect(await store.rangeTimed('deploys:prod', 0, now)).toEqual(['a', 'b', 'c']);
    expect(await store.rangeTimed('deploys:prod', now - 2 * day, now)).toEqual(['b', 'c']);
    expect(await store.rangeTimed('deploys:dev', 0, now)).toEqual([]);
    // A write 88.5 days later drops what is now more than 90 days old.
    await store.addTimed('deploys:prod', 'd', now + 88.5 * day, 90 * day, now + 88.5 * day);
    expect(await store.rangeTimed('deploys:prod', 0, now + 90 * day)).toEqual(['c', 'd']);
  });

  it('answers ping', async () => {
    const store = await make();
    await expect(store.ping()).resolves.toBeUndefined();
  });
});

describe('RedisStore records written before the version header', () => {
  it('reads a {"v","w","d"} record and replaces it on the next version-checked write', async () => {
    const prefix = `test:${randomUUID()}:`;
    const store = new RedisStore({ url: inject('redisUrl'), prefix });
    stores.push(store);
    await store.ready();
    await store.client.set(`${prefix}old`, JSON.stringify({ v: 4, w: 'x', d: { a: 'b|c' } }));
    expect(await store.get('old')).toEqual({ value: { a: 'b|c' }, version: 4 });
    expect(await store.compareAndSet('old', { a: 1 }, 3)).toBeUndefined();
    expect(await store.compareAndSet('old', { a: 'd|e' }, 4)).toBe(5);
    expect(await store.client.get(`${prefix}old`)).toMatch(/^5\|[0-9a-f-]{36}\|\{"a":"d\|e"\}$/);
    expect(await store.get('old')).toEqual({ value: { a: 'd|e' }, version: 5 });
  });
});

describe('RedisStore outage', () => {
  it('fails fast with StoreUnavailableError when Redis is unreachable', async () => {
    const store = new RedisStore({ url: 'redis://127.0.0.1:1', prefix: 'x:' });
    stores.push(store);
    await expect(store.get('k')).rejects.toMatchObject({ code: 'store_unavailable' });
    await expect(store.acquireLock('k', 1000)).rejects.toMatchObject({ code: 'store_unavailable' });
  });
});

describe('RedisStore audit log after a retried write', () => {
  it('shows an entry that reached the stream twice (lost reply, resent XADD) once', async () => {
    const store = new RedisStore({ url: inject('redisUrl'), prefix: `test:${randomUUID()}:` });
    stores.push(store);
    await store.ready();
    const entry = { at: 5, app: 'a', action: 'approve', outcome: 'allowed', user: 'U1' };
    await store.appendAudit(entry);
    await store.appendAudit(entry);
    await store.appendAudit({ ...entry, at: 6 });
    expect((await store.readAudit({ app: 'a', limit: 20 })).map((e) => e.at)).toEqual([6, 5]);
  });
});

describe('RedisStore on a Redis Cluster', () => {
  const makeCluster = implementations.find(([name]) => name === 'redis-cluster')![1];
  it('keeps every key of a deployment on one slot, so its scripts and MULTIs stay atomic', async () => {
    const store = (await makeCluster()) as RedisStore;
    expect(store.topology).toBe('cluster');
    expect(store.prefix).toMatch(/^\{test:[0-9a-f-]{36}:\}$/);
    // One of each multi-key operation, plus single-key ones under different names.
    await store.compareAndSet('card:c1', { n: 1 }, 0);
    await store.acquireLock('app:argocd/payments', 60_000);
    await store.markSeen('github:d1', 60_000);
    await store.addTimed('deploys:prod', 'r1', 1, 60_000, 1);
    await store.appendAudit({ at: 1, app: 'payments', action: 'approve', outcome: 'allowed', user: 'U1' });
    await store.appendDenial(
      { at: 1, app: 'payments', action: 'approve', outcome: 'denied', user: 'U2', cardId: 'c1' },
      60_000,
    );
    const cluster = store.client as Cluster;
    const perNode = await Promise.all(
      cluster.nodes('master').map((node) => node.keys(`${store.prefix.replace(/[{}]/g, '\\$&')}*`)),
    );
    const holders = perNode.filter((keys) => keys.length > 0);
    expect(holders).toHaveLength(1);
    const keys = holders[0]!;
    expect(keys.length).toBeGreaterThanOrEqual(8);
    const slots = new Set(await Promise.all(keys.map((k) => cluster.cluster('KEYSLOT', k))));
    expect(slots.size).toBe(1);
  });
});
