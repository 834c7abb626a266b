import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { mapBounded, withDeadline } from '../../../src/runtime/map-bounded.js';
import { AnswerCache } from '../../../src/status/answer-cache.js';
import { UserRateLimit } from '../../../src/status/user-rate-limit.js';
import { MemoryStore } from '../../../src/store/memory-store.js';
import { RedisStore } from '../../../src/store/redis-store.js';

const logger = pino({ level: 'silent' });

describe('UserRateLimit', () => {
  it('allows `limit` answers per user per window, then says when the window ends', async () => {
    let now = 60_000 * 100 + 15_000;
    const store = new MemoryStore('t:', () => now);
    const limit = new UserRateLimit(store, { limit: 3, windowMs: 60_000, now: () => now, logger });
    for (let i = 0; i < 3; i++) expect((await limit.take('U1')).allowed).toBe(true);
    expect(await limit.take('U1')).toEqual({ allowed: false, retryAfterMs: 45_000 });
    expect((await limit.take('U2')).allowed).toBe(true);
    now += 45_000;
    expect((await limit.take('U1')).allowed).toBe(true);
  });

  it('counts concurrent requests exactly (version-checked writes)', async () => {
    const store = new MemoryStore();
    const limit = new UserRateLimit(store, { limit: 5, windowMs: 60_000, now: Date.now, logger });
    const results = await Promise.all(Array.from({ length: 8 }, () => limit.take('U1')));
    expect(results.filter((r) => r.allowed)).toHaveLength(5);
  });

  it('lets the request through when the store is down (the command only reads)', async () => {
    // Nothing listens on port 1: every command fails at once (no offline queue).
    const store = new RedisStore({ url: 'redis://127.0.0.1:1', prefix: 'down:' });
    try {
      const limit = new UserRateLimit(store, { limit: 1, windowMs: 60_000, now: Date.now, logger });
      expect((await limit.take('U1')).allowed).toBe(true);
      expect((await limit.take('U1')).allowed).toBe(true);
    } finally {
      await store.close();
    }
  });
});

describe('AnswerCache', () => {
  it('reuses a fresh value, reloads a stale one, and shares a load in flight', async () => {
    let now = 0;
    let loads = 0;
    const cache = new AnswerCache<number>(() => now);
    const load = async () => {
      loads++;
      await new Promise((r) => setTimeout(r, 10));
      return loads;
    };
    const [a, b] = await Promise.all([cache.get('k', 5000, load), cache.get('k', 5000, load)]);
    expect([a.value, b.value, loads]).toEqual([1, 1, 1]);
    expect(a.cached).toBe(false);
    now = 4000;
    expect(await cache.get('k', 5000, load)).toEqual({ value: 1, cached: true });
    expect(cache.has('k', 5000)).toBe(true);
    now = 6000;
    expect(cache.has('k', 5000)).toBe(false);
    expect(await cache.get('k', 5000, load)).toEqual({ value: 2, cached: false });
  });

  it('keeps at most maxEntries', async () => {
    const cache = new AnswerCache<string>(() => 0, 2);
    for (const key of ['a', 'b', 'c']) await cache.get(key, 1000, async () => key);
    expect(cache.has('a', 1000)).toBe(false);
    expect(cache.has('c', 1000)).toBe(true);
  });
});

describe('mapBounded and withDeadline', () => {
  it('never runs more than `limit` at once and keeps the order', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapBounded(
      Array.from({ length: 50 }, (_, i) => i),
      4,
      async (i) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 1));
        running--;
        return i * 2;
      },
    );
    expect(peak).toBe(4);
    expect(out).toEqual(Array.from({ length: 50 }, (_, i) => i * 2));
    expect(await mapBounded([], 4, async () => 1)).toEqual([]);
  });

  it('gives the fallback for a slow or failing call', async () => {
    expect(await withDeadline(new Promise((r) => setTimeout(() => r('late'), 200)), 20, 'fallback')).toBe(
      'fallback',
    );
    expect(await withDeadline(Promise.reject(new Error('x')), 20, 'fallback')).toBe('fallback');
    expect(await withDeadline(Promise.resolve('ok'), 20, 'fallback')).toBe('ok');
  });
});
