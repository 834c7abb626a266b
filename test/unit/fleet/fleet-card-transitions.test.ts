import { describe, expect, it } from 'vitest';
import {
  FLEET_EVENT_KINDS,
  FLEET_STATES,
  type FleetCard,
  type FleetEvent,
  type FleetEventKind,
  type FleetState,
  fleetTransition,
  notStarted,
  syncsDue,
} from '../../../src/domain/fleet-card.js';
import { CREATED, fleetCard, member, REV } from './fleet-fixture.js';

const NOW = CREATED + 60_000;
const CANARY = 'default/argocd/svc-canary-prod';
const R1 = 'default/argocd/svc-r001-prod';

/** A card in `state` shaped so that every event has something to act on. */
function cardIn(state: FleetState): FleetCard {
  const base = fleetCard({ state });
  const m = base.members;
  switch (state) {
    case 'syncing':
      return {
        ...base,
        approvals: [{ user: 'U0ALICE', at: CREATED }],
        members: [{ ...m[0]!, sync: { state: 'requested', attempt: 1, at: CREATED } }, m[1]!, m[2]!],
      };
    case 'failed':
      return {
        ...base,
        failedKey: CANARY,
        members: [{ ...m[0]!, sync: { state: 'failed', attempt: 1, at: CREATED } }, m[1]!, m[2]!],
      };
    case 'succeeded':
      return {
        ...base,
        wave: 1,
        members: m.map((x) => ({
          ...x,
          sync: { state: 'succeeded', attempt: 1, at: CREATED, previousHistoryId: 4 },
        })),
      };
    case 'rolling-back':
      return {
        ...base,
        members: m.map((x, i) => ({
          ...x,
          sync: { state: 'succeeded', attempt: 1, at: CREATED, previousHistoryId: 4 },
          ...(i === 0 ? { rollback: { state: 'requested', historyId: 4, at: CREATED } } : {}),
        })),
      };
    default:
      return base;
  }
}

function eventOf(kind: FleetEventKind, state: FleetState): FleetEvent {
  switch (kind) {
    case 'observe':
      return {
        kind,
        member: {
          key: 'default/argocd/svc-new-prod',
          app: { instance: 'default', namespace: 'argocd', name: 'svc-new-prod', project: 'p' },
          wave: 1,
          targetRevision: REV,
          syncStatus: 'OutOfSync',
          health: 'Healthy',
          observedAt: NOW,
        },
      };
    case 'approve':
      return { kind, user: 'U0BOB', requiredApprovals: 1 };
    case 'reject':
      return { kind, user: 'U0BOB', reason: 'not today' };
    case 'claim-sync':
      return { kind, key: state === 'syncing' ? R1 : CANARY };
    case 'sync-requested':
      return { kind, key: CANARY };
    case 'sync-ended':
      return { kind, key: CANARY, outcome: 'succeeded' };
    case 'supersede':
      return { kind, by: { cardId: 'f2', channel: 'C0PROD' } };
    case 'abort':
    case 'retry':
    case 'rollback':
      return { kind, user: 'U0BOB' };
    case 'rollback-requested':
      return { kind, key: R1 };
    case 'rollback-ended':
      return { kind, key: CANARY, outcome: 'succeeded' };
  }
}

/** The state each (state, event) pair leads to; "refused" where the event does not apply. */
const TABLE: Record<FleetState, Record<FleetEventKind, FleetState | 'refused' | 'same'>> = {
  pending: {
    observe: 'pending',
    approve: 'syncing',
    reject: 'rejected',
    'claim-sync': 'refused',
    'sync-requested': 'refused',
    'sync-ended': 'refused',
    supersede: 'superseded',
    abort: 'refused',
    retry: 'refused',
    rollback: 'refused',
    'rollback-requested': 'refused',
    'rollback-ended': 'refused',
  },
  syncing: {
    observe: 'syncing',
    approve: 'refused',
    reject: 'refused',
    'claim-sync': 'refused',
    'sync-requested': 'refused',
    'sync-ended': 'syncing',
    supersede: 'superseded',
    abort: 'aborted',
    retry: 'refused',
    rollback: 'refused',
    'rollback-requested': 'refused',
    'rollback-ended': 'refused',
  },
  succeeded: {
    observe: 'syncing',
    approve: 'refused',
    reject: 'refused',
    'claim-sync': 'refused',
    'sync-requested': 'refused',
    'sync-ended': 'refused',
    supersede: 'refused',
    abort: 'refused',
    retry: 'refused',
    rollback: 'rolling-back',
    'rollback-requested': 'refused',
    'rollback-ended': 'refused',
  },
  failed: {
    observe: 'failed',
    approve: 'refused',
    reject: 'refused',
    'claim-sync': 'refused',
    'sync-requested': 'refused',
    'sync-ended': 'refused',
    supersede: 'refused',
    abort: 'refused',
    retry: 'syncing',
    rollback: 'refused',
    'rollback-requested': 'refused',
    'rollback-ended': 'refused',
  },
  rejected: {
    observe: 'same',
    approve: 'refused',
    reject: 'refused',
    'claim-sync': 'refused',
    'sync-requested': 'refused',
    'sync-ended': 'refused',
    supersede: 'refused',
    abort: 'refused',
    retry: 'refused',
    rollback: 'refused',
    'rollback-requested': 'refused',
    'rollback-ended': 'refused',
  },
  superseded: {
    observe: 'same',
    approve: 'refused',
    reject: 'refused',
    'claim-sync': 'refused',
    'sync-requested': 'refused',
    'sync-ended': 'refused',
    supersede: 'refused',
    abort: 'refused',
    retry: 'refused',
    rollback: 'refused',
    'rollback-requested': 'refused',
    'rollback-ended': 'refused',
  },
  aborted: {
    observe: 'same',
    approve: 'refused',
    reject: 'refused',
    'claim-sync': 'refused',
    'sync-requested': 'refused',
    'sync-ended': 'refused',
    supersede: 'refused',
    abort: 'refused',
    retry: 'refused',
    rollback: 'refused',
    'rollback-requested': 'refused',
    'rollback-ended': 'refused',
  },
  'rolling-back': {
    observe: 'rolling-back',
    approve: 'refused',
    reject: 'refused',
    'claim-sync': 'refused',
    'sync-requested': 'refused',
    'sync-ended': 'refused',
    supersede: 'refused',
    abort: 'refused',
    retry: 'refused',
    rollback: 'refused',
    'rollback-requested': 'rolling-back',
    'rollback-ended': 'rolling-back',
  },
  'rolled-back': {
    observe: 'same',
    approve: 'refused',
    reject: 'refused',
    'claim-sync': 'refused',
    'sync-requested': 'refused',
    'sync-ended': 'refused',
    supersede: 'refused',
    abort: 'refused',
    retry: 'refused',
    rollback: 'refused',
    'rollback-requested': 'refused',
    'rollback-ended': 'refused',
  },
};

describe('fleet card transitions: every (state, event) pair', () => {
  const pairs = FLEET_STATES.flatMap((state) => FLEET_EVENT_KINDS.map((kind) => [state, kind] as const));
  it.each(pairs)('%s + %s', (state, kind) => {
    const result = fleetTransition(cardIn(state), eventOf(kind, state), NOW);
    const expected = TABLE[state][kind];
    if (expected === 'refused') {
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.unchanged).toBeFalsy();
        expect(result.refusal.length).toBeGreaterThan(5);
      }
    } else if (expected === 'same') {
      expect(result).toMatchObject({ ok: false, unchanged: true });
    } else {
      expect(result.ok).toBe(true);
      if (result.ok) expect(result.card.state).toBe(expected);
    }
  });
});

describe('fleet card waves', () => {
  const approved = () => {
    const r = fleetTransition(fleetCard(), { kind: 'approve', user: 'U0ALICE', requiredApprovals: 1 }, NOW);
    if (!r.ok) throw new Error(r.refusal);
    return r.card;
  };

  it('counts approvals once per person for the whole card', () => {
    const two = fleetTransition(fleetCard(), { kind: 'approve', user: 'U0ALICE', requiredApprovals: 2 }, NOW);
    expect(two.ok && two.card.state).toBe('pending');
    if (!two.ok) return;
    expect(
      fleetTransition(two.card, { kind: 'approve', user: 'U0ALICE', requiredApprovals: 2 }, NOW).ok,
    ).toBe(false);
    const done = fleetTransition(two.card, { kind: 'approve', user: 'U0BOB', requiredApprovals: 2 }, NOW);
    expect(done.ok && done.card.state).toBe('syncing');
    expect(done.ok && done.effects).toEqual([{ kind: 'run' }]);
  });

  it('syncs wave 1 first, and wave 2 only after every app of wave 1 succeeded', () => {
    let card = approved();
    expect(syncsDue(card).map((m) => m.key)).toEqual([CANARY]);
    const step = (e: FleetEvent) => {
      const r = fleetTransition(card, e, NOW);
      if (!r.ok) throw new Error(r.refusal);
      card = r.card;
    };
    // A wave-2 app cannot be claimed while wave 1 runs.
    expect(fleetTransition(card, { kind: 'claim-sync', key: R1 }, NOW).ok).toBe(false);
    step({ kind: 'claim-sync', key: CANARY, previousHistoryId: 3 });
    expect(fleetTransition(card, { kind: 'claim-sync', key: CANARY }, NOW).ok).toBe(false);
    step({ kind: 'sync-requested', key: CANARY });
    expect(card.wave).toBe(0);
    step({ kind: 'sync-ended', key: CANARY, outcome: 'succeeded' });
    expect(card.wave).toBe(1);
    expect(syncsDue(card)).toHaveLength(2);
    for (const m of syncsDue(card)) {
      step({ kind: 'claim-sync', key: m.key });
      step({ kind: 'sync-requested', key: m.key });
      step({ kind: 'sync-ended', key: m.key, outcome: 'succeeded' });
    }
    expect(card.state).toBe('succeeded');
  });

  it('stops later waves when an app fails, naming it and the apps not started', () => {
    let card = approved();
    for (const e of [
      { kind: 'claim-sync', key: CANARY },
      { kind: 'sync-requested', key: CANARY },
      { kind: 'sync-ended', key: CANARY, outcome: 'failed', message: 'boom' },
    ] as FleetEvent[]) {
      const r = fleetTransition(card, e, NOW);
      if (!r.ok) throw new Error(r.refusal);
      card = r.card;
    }
    expect(card.state).toBe('failed');
    expect(card.failedKey).toBe(CANARY);
    expect(notStarted(card).map((m) => m.app.name)).toEqual(['svc-r001-prod', 'svc-r002-prod']);
    expect(syncsDue(card)).toEqual([]);
    const retried = fleetTransition(card, { kind: 'retry', user: 'U0BOB' }, NOW);
    expect(retried.ok && syncsDue(retried.card).map((m) => m.key)).toEqual([CANARY]);
    expect(retried.ok && retried.card.members[0]?.attempts).toBe(1);
  });

  it('lets an app join a running card in its wave', () => {
    const r = fleetTransition(approved(), eventOf('observe', 'syncing'), NOW);
    expect(r.ok && r.card.members.map((m) => m.app.name)).toContain('svc-new-prod');
    expect(r.ok && r.effects).toEqual([{ kind: 'run' }]);
  });

  it('ignores an app at another revision, and an older read of a row', () => {
    const other = eventOf('observe', 'pending') as Extract<FleetEvent, { kind: 'observe' }>;
    expect(
      fleetTransition(
        fleetCard(),
        { kind: 'observe', member: { ...other.member, targetRevision: 'ffff' } },
        NOW,
      ),
    ).toMatchObject({ unchanged: true });
    const card = fleetCard();
    const stale = { ...other.member, key: CANARY, app: card.members[0]!.app, observedAt: CREATED - 1 };
    expect(fleetTransition(card, { kind: 'observe', member: stale }, NOW)).toMatchObject({ unchanged: true });
  });

  it('Abort terminates the running operations and leaves the rest unstarted', () => {
    const r = fleetTransition(cardIn('syncing'), { kind: 'abort', user: 'U0BOB' }, NOW);
    expect(r.ok && r.effects).toEqual([{ kind: 'terminate', key: CANARY }]);
    expect(r.ok && notStarted(r.card)).toHaveLength(2);
  });

  it('Rollback rolls back each app the card synced to its recorded history id', () => {
    const r = fleetTransition(cardIn('succeeded'), { kind: 'rollback', user: 'U0BOB' }, NOW);
    expect(r.ok && r.effects).toEqual(
      cardIn('succeeded').members.map((m) => ({ kind: 'rollback', key: m.key, historyId: 4 })),
    );
    const none = fleetCard({ state: 'succeeded', members: [member('x', 0)] });
    expect(fleetTransition(none, { kind: 'rollback', user: 'U0BOB' }, NOW).ok).toBe(false);
  });
});
