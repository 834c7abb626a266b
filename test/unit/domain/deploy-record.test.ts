import { describe, expect, it } from 'vitest';
import { CARD_STATES, type Card, type CardState } from '../../../src/domain/card.js';
import { type DeployResult, deployRecordsFor } from '../../../src/domain/deploy-record.js';
import { bareCard } from '../../helpers/bare-card.js';

const NOW = Date.UTC(2026, 2, 1, 12);
const card = (state: CardState, extra: Partial<Card> = {}) =>
  bareCard('a'.repeat(40), {
    id: 'card1',
    state,
    createdAt: NOW - 3_600_000,
    approvals: [{ user: 'U0ALICE', at: NOW - 1_800_000 }],
    operation: { phase: 'Succeeded', finishedAt: new Date(NOW - 60_000).toISOString() },
    changelog: {
      available: true,
      totalCommits: 2,
      commits: [
        { sha: 'b', subject: 'newer', date: '2026-02-28T10:00:00Z' },
        { sha: 'c', subject: 'older', date: '2026-02-27T10:00:00Z' },
      ],
      pulls: [],
      authorLogins: [],
      authorEmails: [],
    },
    ...extra,
  });

/** Which record (if any) each (before → after) state pair makes. */
function expectedResult(before: CardState, after: CardState): DeployResult | undefined {
  const deployed = (s: CardState) => s === 'succeeded' || s === 'degraded';
  if (deployed(after) && !deployed(before) && before !== 'rolling-back') return 'succeeded';
  if (after === 'failed' && before !== 'failed') return 'failed';
  if (after === 'rolled-back' && before !== 'rolled-back') return 'rolled-back';
  return undefined;
}

describe('deployRecordsFor', () => {
  const pairs = CARD_STATES.flatMap((before) => CARD_STATES.map((after) => [before, after] as const));
  it.each(pairs)('%s → %s', (before, after) => {
    const records = deployRecordsFor({ before: card(before), after: card(after) }, NOW);
    const expected = expectedResult(before, after);
    expect(records.map((r) => r.result)).toEqual(expected ? [expected] : []);
  });

  it('a deploy carries what stats need, compactly', () => {
    const [record] = deployRecordsFor({ before: card('syncing'), after: card('succeeded') }, NOW);
    expect(record).toEqual({
      id: 'card1:succeeded',
      cardId: 'card1',
      instance: 'default',
      environment: 'prod',
      app: 'payments-api-prod',
      revision: 'a'.repeat(40),
      result: 'succeeded',
      at: NOW - 60_000,
      firstCommitAt: Date.parse('2026-02-27T10:00:00Z'),
      postedAt: NOW - 3_600_000,
      approvedAt: NOW - 1_800_000,
    });
    expect(JSON.stringify(record).length).toBeLessThan(400);
  });

  it('an info card (auto-sync) has no approval wait; a revert pull request is recorded once', () => {
    const [info] = deployRecordsFor(
      { before: card('syncing', { kind: 'info' }), after: card('succeeded', { kind: 'info' }) },
      NOW,
    );
    expect(info?.postedAt).toBeUndefined();
    expect(info?.approvedAt).toBeUndefined();
    const pr = { url: 'https://x/pull/1', number: 1, user: 'U0ALICE' };
    const after = card('succeeded', { revertPr: pr });
    expect(deployRecordsFor({ before: card('succeeded'), after }, NOW).map((r) => r.result)).toEqual([
      'reverted',
    ]);
    expect(deployRecordsFor({ before: after, after: { ...after, health: 'Healthy' } }, NOW)).toEqual([]);
  });
});
