import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CardRepository } from '../../../src/cards/card-repository.js';
import type { Card } from '../../../src/domain/card.js';
import { storeKeys } from '../../../src/store/keys.js';
import { RedisStore } from '../../../src/store/redis-store.js';
import { bareCard } from '../../helpers/bare-card.js';

const APP = { instance: 'default', name: 'payments-api-prod', namespace: 'argocd', project: 'payments' };
const REV_A = 'a'.repeat(40);
const REV_B = 'b'.repeat(40);

function card(revision: string): Card {
  return bareCard(revision, { app: APP, createdAt: 1, updatedAt: 1 });
}

let stores: RedisStore[];
let repos: CardRepository[];
beforeAll(async () => {
  // Two replicas: two connections on one key prefix.
  const prefix = `test:${randomUUID()}:`;
  stores = [0, 1].map(() => new RedisStore({ url: inject('redisUrl'), prefix }));
  await Promise.all(stores.map((s) => s.ready()));
  repos = stores.map((s) => new CardRepository(s));
});
afterAll(async () => {
  await Promise.all((stores ?? []).map((s) => s.close()));
});

describe('CardRepository (real Redis, two replicas)', () => {
  it('creates exactly one card per (app, revision) under 40 concurrent creators', async () => {
    const attempts = Array.from({ length: 40 }, (_, i) => repos[i % 2]!.create(card(REV_A)));
    const results = await Promise.all(attempts);
    const winners = results.filter((r) => r.created);
    expect(winners).toHaveLength(1);
    const winnerId = winners[0]!.card.id;
    for (const r of results) expect(r.card.id).toBe(winnerId);
    expect((await repos[1]!.findByRevision(APP, REV_A))?.id).toBe(winnerId);
    // Losers leave nothing behind: one active card, no orphan records.
    expect(await repos[0]!.activeIds()).toEqual([winnerId]);
    for (const r of results.filter((x) => !x.created)) expect(r.card.id).toBe(winnerId);
  });

  it('moves the current target forward and refuses a read older than the pointer', async () => {
    const a = (await repos[0]!.create(card(REV_B))).card;
    const first = await repos[0]!.setCurrentTarget(a, 2000);
    expect(first).toEqual({ previous: undefined, stale: false });
    const older = card('c'.repeat(40));
    const refused = await repos[1]!.setCurrentTarget(older, 1000);
    expect(refused.stale).toBe(true);
    expect(refused.previous?.cardId).toBe(a.id);
    expect((await repos[0]!.currentTarget(APP))?.cardId).toBe(a.id);
    const newer = card('d'.repeat(40));
    const moved = await repos[1]!.setCurrentTarget(newer, 3000);
    expect(moved).toEqual({ previous: { cardId: a.id, revision: REV_B, observedAt: 2000 }, stale: false });
    expect((await repos[0]!.currentTarget(APP))?.revision).toBe('d'.repeat(40));
    // Setting the same card again is not a move.
    expect((await repos[0]!.setCurrentTarget(newer, 4000)).previous?.cardId).toBe(newer.id);
  });

  it('updates by compare-and-set: 15 concurrent changes from two replicas all land', async () => {
    const { card: created } = await repos[0]!.create(card('e'.repeat(40)));
    await Promise.all(
      Array.from({ length: 15 }, (_, i) =>
        repos[i % 2]!.update(created.id, (c) => ({
          ...c,
          approvals: [...c.approvals, { user: `U${i}`, at: i }],
        })),
      ),
    );
    const stored = await repos[0]!.get(created.id);
    expect(stored?.approvals).toHaveLength(15);
  });

  it('reads a card stored before apps named their instance as the default instance, and keeps it so', async () => {
    const legacy = card('f'.repeat(40));
    const { instance: _dropped, ...appWithoutInstance } = legacy.app;
    await stores[0]!.compareAndSet(
      storeKeys.card(legacy.id),
      { ...legacy, app: appWithoutInstance },
      0,
      60_000,
    );
    // Its index was written under the pre-instance key, which is the default instance's key still.
    await stores[0]!.compareAndSet(
      `card-index:argocd/payments-api-prod:${legacy.revision}`,
      legacy.id,
      0,
      60_000,
    );
    expect((await repos[1]!.get(legacy.id))?.app).toEqual({ ...appWithoutInstance, instance: 'default' });
    expect((await repos[1]!.findByRevision(APP, legacy.revision))?.app.instance).toBe('default');
    expect((await repos[0]!.update(legacy.id, () => undefined))?.card.app.instance).toBe('default');
    const updated = await repos[0]!.update(legacy.id, (c) => ({ ...c, updatedAt: 2 }));
    expect(updated?.card.app.instance).toBe('default');
    const raw = await stores[1]!.get<Card>(storeKeys.card(legacy.id));
    expect(raw?.value.app.instance).toBe('default');
  });

  it('keeps an instance other than the default as stored', async () => {
    const other = bareCard('9'.repeat(40), { app: { ...APP, instance: 'eu' }, createdAt: 1, updatedAt: 1 });
    await repos[0]!.create(other);
    expect((await repos[1]!.get(other.id))?.app.instance).toBe('eu');
    expect(await repos[1]!.findByRevision(APP, other.revision)).toBeUndefined();
    expect((await repos[1]!.findByRevision({ ...APP, instance: 'eu' }, other.revision))?.id).toBe(other.id);
  });
});

describe('CardRepository: the commit index', () => {
  it("lists a commit's cards across apps from the commit index, and only that commit's", async () => {
    const sha = 'd'.repeat(40);
    const other = { ...APP, name: 'payments-worker-prod' };
    const first = (await repos[0]!.create(card(sha))).card;
    const second = (await repos[1]!.create(bareCard(sha, { app: other, createdAt: 1, updatedAt: 1 }))).card;
    await repos[0]!.create(card('e'.repeat(40)));
    const found = await repos[1]!.ofRevision(sha);
    expect(found.map((c) => c.id).sort()).toEqual([first.id, second.id].sort());
    // A listed card that is gone (expired, or a lost creation race) is skipped, not returned as undefined.
    await stores[0]!.delete(storeKeys.card(second.id));
    expect((await repos[0]!.ofRevision(sha)).map((c) => c.id)).toEqual([first.id]);
    // Listing again (the reconciler does, for cards made before the index) keeps one entry.
    await repos[0]!.indexRevision(first);
    expect(await repos[1]!.ofRevision(sha)).toHaveLength(1);
    expect(await repos[0]!.ofRevision('f'.repeat(40))).toEqual([]);
  });
});
