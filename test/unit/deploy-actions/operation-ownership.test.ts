import { describe, expect, it } from 'vitest';
import type { Application } from '../../../src/clients/argocd/application-schema.js';
import { CARD_INFO, ownRunningOperation } from '../../../src/deploy-actions/operation-ownership.js';
import { bareCard } from '../../helpers/bare-card.js';

const REV = 'a'.repeat(40);
const OLD = 'b'.repeat(40);
const REQUESTED_AT = Date.parse('2026-05-04T10:00:00Z');

type Spec = NonNullable<Application['operation']>;

/** The app while an operation runs (operation set, operationState Running), as Argo CD returns it. */
function running(
  spec: Spec,
  startedAt = '2026-05-04T10:00:02Z',
  revision = spec.sync?.revision,
): Application {
  return {
    metadata: { name: 'payments-api-prod', namespace: 'argocd' },
    spec: { project: 'payments' },
    status: {
      operationState: { phase: 'Running', startedAt, syncResult: { revision }, operation: spec },
    },
    operation: spec,
  };
}

const fromCard = (cardId: string, revision = REV): Spec => ({
  sync: { revision },
  initiatedBy: { username: 'deploybot' },
  info: [{ name: CARD_INFO, value: cardId }],
});

const syncing = (overrides = {}) =>
  bareCard(REV, { state: 'syncing', syncRequestedAt: REQUESTED_AT, ...overrides });

describe('ownRunningOperation (what Abort may terminate)', () => {
  it('the sync that names the card is its own', () => {
    const card = syncing();
    expect(ownRunningOperation(card, running(fromCard(card.id)))).toEqual({ ours: true });
  });

  it('a sync requested from another card is not, even for the same revision', () => {
    const card = syncing();
    const verdict = ownRunningOperation(card, running(fromCard('c-other')));
    expect(verdict).toEqual({
      ours: false,
      reason:
        "the running operation on payments-api-prod is not this card's: an operation of aaaaaaa requested from another deploybot card at 2026-05-04T10:00:02Z",
    });
  });

  it('a sync from the Argo CD UI of another revision is not', () => {
    const card = syncing();
    const verdict = ownRunningOperation(
      card,
      running({ sync: { revision: OLD }, initiatedBy: { username: 'admin' } }),
    );
    expect(verdict.ours).toBe(false);
    expect(verdict).toMatchObject({
      reason: expect.stringContaining('an operation of bbbbbbb started by admin'),
    });
  });

  it('without info (an Argo CD that keeps none): the card’s revision, by a person, after its request', () => {
    const card = syncing();
    const byHand = { sync: { revision: REV }, initiatedBy: { username: 'deploybot' } };
    expect(ownRunningOperation(card, running(byHand)).ours).toBe(true);
    // Long before the card asked for it: somebody else's.
    expect(ownRunningOperation(card, running(byHand, '2026-05-04T09:30:00Z')).ours).toBe(false);
    // Auto-sync is never the card's.
    const automated = { sync: { revision: REV }, initiatedBy: { automated: true } };
    expect(ownRunningOperation(card, running(automated))).toMatchObject({
      reason: expect.stringContaining('an automated sync of aaaaaaa'),
    });
  });

  it('a card that never asked for a sync (someone synced its revision in Argo CD) owns none', () => {
    const card = bareCard(REV, { state: 'syncing' });
    const ui = { sync: { revision: REV }, initiatedBy: { username: 'mallory' } };
    expect(ownRunningOperation(card, running(ui))).toMatchObject({
      ours: false,
      reason: expect.stringContaining('started by mallory'),
    });
  });

  it('a rolling-back card owns the rollback to its previous revision started after it asked', () => {
    const card = bareCard(REV, {
      state: 'rolling-back',
      rollback: { user: 'U0BOB', at: REQUESTED_AT, historyId: 3, revision: OLD },
    });
    const rollback = { sync: { revision: OLD }, initiatedBy: { username: 'deploybot' } };
    expect(ownRunningOperation(card, running(rollback)).ours).toBe(true);
    expect(ownRunningOperation(card, running(fromCard('c-other', OLD))).ours).toBe(false);
    expect(ownRunningOperation(card, running({ ...rollback, sync: { revision: REV } })).ours).toBe(false);
  });

  it('nothing running: nothing to abort', () => {
    const card = syncing();
    const idle: Application = {
      metadata: { name: 'payments-api-prod' },
      spec: {},
      status: { operationState: { phase: 'Succeeded', startedAt: '2026-05-04T10:00:02Z' } },
    };
    expect(ownRunningOperation(card, idle)).toEqual({
      ours: false,
      reason: 'no operation is running on payments-api-prod',
    });
  });

  it('an operation requested but not picked up by the controller yet counts as running', () => {
    const card = syncing();
    const app: Application = {
      metadata: { name: 'payments-api-prod' },
      spec: {},
      operation: fromCard(card.id),
    };
    expect(ownRunningOperation(card, app)).toEqual({ ours: true });
  });
});
