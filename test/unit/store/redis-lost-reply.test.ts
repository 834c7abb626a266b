import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { RedisStore } from '../../../src/store/redis-store.js';
import { type RedisProxy, startRedisProxy } from '../../integration/actions/redis-proxy.js';

// Redis runs the command, the reply is lost with the connection, ioredis sends the command again on the
// next connection: the second copy must report the first one's success, not a conflict with itself.
let proxy: RedisProxy;
let viaProxy: RedisStore;
let direct: RedisStore;
let prefix: string;

beforeEach(async () => {
  prefix = `test:${randomUUID()}:`;
  proxy = await startRedisProxy(inject('redisUrl'));
  viaProxy = new RedisStore({ url: proxy.url, prefix });
  direct = new RedisStore({ url: inject('redisUrl'), prefix });
  await Promise.all([viaProxy.ready(), direct.ready()]);
});
afterEach(async () => {
  await viaProxy.close();
  await direct.close();
  await proxy.close();
});

const mentions = (text: string) => (command: string) => command.includes(text);

describe('RedisStore after a lost reply (the command is resent)', () => {
  it('compareAndSet reports the write it made, not a conflict', async () => {
    const dropped = proxy.dropReplyTo(mentions('card:lost-cas'));
    const version = await viaProxy.compareAndSet('card:lost-cas', { state: 'syncing' }, 0);
    await dropped;
    expect(proxy.droppedReplies).toBe(1);
    expect(version).toBe(1);
    expect(await direct.get('card:lost-cas')).toEqual({ value: { state: 'syncing' }, version: 1 });
    // A different writer with the same expectation still loses.
    expect(await direct.compareAndSet('card:lost-cas', { state: 'failed' }, 0)).toBeUndefined();
  });

  it('compareAndSet on an existing record: the resend of version 1 → 2 reports 2', async () => {
    await direct.compareAndSet('card:lost-update', { n: 1 }, 0);
    const dropped = proxy.dropReplyTo(mentions('card:lost-update'));
    expect(await viaProxy.compareAndSet('card:lost-update', { n: 2 }, 1)).toBe(2);
    await dropped;
    expect(await direct.get('card:lost-update')).toEqual({ value: { n: 2 }, version: 2 });
    expect(await direct.compareAndSet('card:lost-update', { n: 3 }, 1)).toBeUndefined();
  });

  it('acquireLock: the holder learns that it holds the lock (it is not left blocked by itself)', async () => {
    const dropped = proxy.dropReplyTo(mentions('lock:app:argocd/payments'));
    const token = await viaProxy.acquireLock('app:argocd/payments', 60_000);
    await dropped;
    expect(proxy.droppedReplies).toBe(1);
    expect(token).toEqual(expect.any(String));
    // It is that caller's lock: another one cannot take it, the holder can release it.
    expect(await direct.acquireLock('app:argocd/payments', 60_000)).toBeUndefined();
    expect(await viaProxy.releaseLock('app:argocd/payments', token!)).toBe(true);
    expect(await direct.acquireLock('app:argocd/payments', 60_000)).toEqual(expect.any(String));
  });

  it('markSeen: a first delivery is not taken for a duplicate of itself', async () => {
    const dropped = proxy.dropReplyTo(mentions('seen:delivery-7'));
    expect(await viaProxy.markSeen('delivery-7', 60_000)).toBe(true);
    await dropped;
    expect(proxy.droppedReplies).toBe(1);
    // A real second delivery is still a duplicate.
    expect(await direct.markSeen('delivery-7', 60_000)).toBe(false);
  });
});
