import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { withAppLock, withLock } from '../../../src/deploy-actions/app-lock.js';
import { RedisStore } from '../../../src/store/redis-store.js';
import { type RedisProxy, startRedisProxy } from '../../integration/actions/redis-proxy.js';

const APP = { instance: 'default', name: 'payments-prod', namespace: 'argocd', project: 'payments' };

let prefix: string;
let direct: RedisStore;
beforeEach(async () => {
  prefix = `test:${randomUUID()}:`;
  direct = new RedisStore({ url: inject('redisUrl'), prefix });
  await direct.ready();
});
afterEach(async () => {
  await direct.close();
});

describe('withAppLock', () => {
  it('runs one holder at a time across store clients, the second after the first lets go', async () => {
    const other = new RedisStore({ url: inject('redisUrl'), prefix });
    await other.ready();
    const order: string[] = [];
    const first = withAppLock(direct, APP, 0, async () => {
      order.push('first:start');
      await new Promise((r) => setTimeout(r, 300));
      order.push('first:end');
    });
    await new Promise((r) => setTimeout(r, 50));
    const second = withAppLock(other, APP, 2000, async () => {
      order.push('second');
    });
    expect((await first).locked).toBe(true);
    expect((await second).locked).toBe(true);
    expect(order).toEqual(['first:start', 'first:end', 'second']);
    await other.close();
  });

  it('gives up after the wait when the lock stays taken, without running', async () => {
    const token = await direct.acquireLock(`app:${APP.namespace}/${APP.name}`, 10_000);
    expect(token).toBeDefined();
    let ran = false;
    const started = Date.now();
    const result = await withAppLock(direct, APP, 300, async () => {
      ran = true;
    });
    expect(result).toEqual({ locked: false });
    expect(ran).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });
});

describe('withLock while the work takes longer than the TTL', () => {
  it('the live holder renews its lock: nobody else gets it until the work is done', async () => {
    const other = new RedisStore({ url: inject('redisUrl'), prefix });
    await other.ready();
    let stolen: string | undefined;
    const result = await withLock(direct, 'app:slow', { ttlMs: 1500, waitMs: 0 }, async () => {
      await new Promise((r) => setTimeout(r, 2500));
      stolen = await other.acquireLock('app:slow', 1000);
      return 'done';
    });
    expect(result).toEqual({ locked: true, value: 'done' });
    expect(stolen).toBeUndefined();
    expect(await other.acquireLock('app:slow', 1000)).toEqual(expect.any(String));
    await other.close();
  });
});

describe('withLock after a store outage', () => {
  let proxy: RedisProxy;
  afterEach(async () => {
    await proxy?.close();
  });

  it('hands the lock back as soon as the store returns, not after the whole TTL', async () => {
    proxy = await startRedisProxy(inject('redisUrl'));
    const viaProxy = new RedisStore({ url: proxy.url, prefix, commandTimeoutMs: 300 });
    await viaProxy.ready();
    const result = await withLock(viaProxy, 'revert:c1', { ttlMs: 60_000, waitMs: 0 }, async () => {
      proxy.cut();
      return 'done';
    });
    expect(result).toEqual({ locked: true, value: 'done' });
    expect(await direct.acquireLock('revert:c1', 1000)).toBeUndefined();
    proxy.restore();
    let token: string | undefined;
    for (let i = 0; i < 40 && !token; i++) {
      await new Promise((r) => setTimeout(r, 100));
      token = await direct.acquireLock('revert:c1', 1000);
    }
    expect(token).toBeDefined();
    await viaProxy.close();
  });
});
