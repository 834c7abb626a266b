import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../src/store/store.js';
import { storeImplementations } from '../../helpers/store-implementations.js';

// One suite over every topology: memory, one Redis, Sentinel and Cluster.
const implementations = storeImplementations();

const DAY = 24 * 3600_000;

function denial(at: number, changes: Partial<AuditEntry> = {}): AuditEntry & { cardId: string } {
  return {
    at,
    app: 'event-ingestion-prod',
    action: 'approve',
    outcome: 'denied',
    user: 'U0DAVE',
    cardId: 'card-1',
    rule: 'not-approver',
    revision: 'a'.repeat(40),
    detail: 'Only the prod approvers may approve this deploy.',
    ...changes,
  };
}

describe.each(implementations)('Store refusal log (%s)', (_name, make) => {
  it('keeps one entry per card, user, action and rule with a count; decisions stay in their own log', async () => {
    const store = await make();
    await store.appendAudit({
      at: 1,
      app: 'event-ingestion-prod',
      action: 'approve',
      outcome: 'allowed',
      user: 'U0ALICE',
    });
    const counts: number[] = [];
    for (let i = 0; i < 25; i++) counts.push(await store.appendDenial(denial(10 + i), DAY));
    expect(counts).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    await store.appendDenial(denial(100, { action: 'rollback', rule: 'not-rollback-user' }), DAY);
    await store.appendDenial(denial(101, { user: 'U0CAROL' }), DAY);
    await store.appendDenial(denial(102, { cardId: 'card-2' }), DAY);
    // Another reason to refuse the same click is a line of its own.
    await store.appendDenial(denial(103, { rule: 'card-mismatch' }), DAY);

    const denials = await store.readDenials({ app: 'event-ingestion-prod', limit: 20 });
    expect(denials.map((d) => [d.cardId, d.user, d.action, d.count, d.at, d.lastAt])).toEqual([
      ['card-1', 'U0DAVE', 'approve', 1, 103, 103],
      ['card-2', 'U0DAVE', 'approve', 1, 102, 102],
      ['card-1', 'U0CAROL', 'approve', 1, 101, 101],
      ['card-1', 'U0DAVE', 'rollback', 1, 100, 100],
      ['card-1', 'U0DAVE', 'approve', 25, 10, 34],
    ]);
    expect(denials[4]).toMatchObject({
      outcome: 'denied',
      rule: 'not-approver',
      app: 'event-ingestion-prod',
    });
    // No number of refusals touches the decision log.
    expect((await store.readAudit({ app: 'event-ingestion-prod', limit: 20 })).map((e) => e.outcome)).toEqual(
      ['allowed'],
    );
    expect(await store.readDenials({ app: 'kafka-prod', limit: 20 })).toEqual([]);
    expect((await store.readDenials({ limit: 2 })).map((d) => d.cardId)).toEqual(['card-1', 'card-2']);
  });

  it('counts exactly under concurrency (any number of replicas)', async () => {
    const store = await make();
    const counts = await Promise.all(
      Array.from({ length: 30 }, (_, i) => store.appendDenial(denial(i), DAY)),
    );
    expect([...counts].sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const [only, ...rest] = await store.readDenials({ app: 'event-ingestion-prod', limit: 20 });
    expect(rest).toEqual([]);
    expect(only?.count).toBe(30);
  });

  it('the counts expire with the card; the entry stays as one refusal', async () => {
    const store = await make();
    await store.appendDenial(denial(5), 50);
    await store.appendDenial(denial(6), 50);
    await new Promise((r) => setTimeout(r, 120));
    const [entry] = await store.readDenials({ app: 'event-ingestion-prod', limit: 5 });
    expect(entry).toMatchObject({ count: 1, at: 5, lastAt: 5 });
  });
});
