import { describe, expect, it } from 'vitest';
import type { AppSnapshot } from '../../../src/domain/app-snapshot.js';
import {
  ACTIVE_OPERATION_STATES,
  CARD_STATES,
  type Card,
  type CardState,
  TERMINAL_STATES,
} from '../../../src/domain/card.js';
import {
  CARD_EVENT_KINDS,
  type CardEvent,
  type CardEventKind,
  TRANSITIONS,
  transition,
  transitioned,
} from '../../../src/domain/card-transitions.js';
import type { RolloutView } from '../../../src/domain/rollout-view.js';
import { bareCard } from '../../helpers/bare-card.js';

const REV = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const OLD = '0f9e8d7c6b5a49382716051423344556677889aa';
const CREATED = Date.parse('2026-03-02T10:00:00Z');
const NOW = CREATED + 600_000;
const iso = (ms: number) => new Date(ms).toISOString();

function card(overrides: Partial<Card> = {}): Card {
  return bareCard(REV, {
    id: 'c1',
    ts: '1.1',
    from: { sha: OLD },
    previousHistoryId: 7,
    requiredApprovals: 2,
    createdAt: CREATED,
    updatedAt: CREATED,
    ...overrides,
  });
}

/** An app whose last operation is a running sync of the card's revision, started after the card. */
function runningSync(): AppSnapshot {
  return {
    app: card().app,
    autoSync: false,
    syncStatus: 'OutOfSync',
    targetRevision: REV,
    health: 'Progressing',
    operationRunning: true,
    operation: { phase: 'Running', startedAt: iso(CREATED + 60_000), revision: REV },
    history: [],
    images: [],
    source: {},
    destination: {},
    observedAt: NOW,
  };
}

const PAUSED_ROLLOUT: RolloutView = {
  name: 'event-consumer',
  namespace: 'events',
  strategy: 'canary',
  phase: 'Paused',
  step: 1,
  steps: 5,
  weight: 20,
  pauseReason: 'CanaryPauseStep',
  aborted: false,
  analysis: [],
  currentRevision: 'new',
  stableRevision: 'old',
};

const EVENTS: { [K in CardEventKind]: Extract<CardEvent, { kind: K }> } = {
  approve: { kind: 'approve', user: 'U1', requiredApprovals: 2 },
  reject: { kind: 'reject', user: 'U1', reason: 'not today' },
  retry: { kind: 'retry' },
  'claim-sync': { kind: 'claim-sync', claimId: 'claim-1', placeholderStartedAt: iso(NOW) },
  'sync-failed': { kind: 'sync-failed', message: 'Argo CD said no' },
  'start-rollback': { kind: 'start-rollback', user: 'U2', historyId: 7 },
  'rollback-not-started': { kind: 'rollback-not-started', restore: 'degraded' },
  expire: { kind: 'expire' },
  supersede: { kind: 'supersede', by: { cardId: 'c2', channel: 'C0PRODDEPLOYS' } },
  observe: { kind: 'observe', snapshot: runningSync() },
  'break-glass': {
    kind: 'break-glass',
    user: 'U3',
    reason: 'Payments are down, hotfix',
    requiredApprovals: 2,
  },
  hold: { kind: 'hold', user: 'U2', via: 'revert' },
  'release-hold': { kind: 'release-hold' },
  'mark-stuck': { kind: 'mark-stuck', syncTimeoutMs: 1_800_000 },
  'observe-rollouts': { kind: 'observe-rollouts', rollouts: [PAUSED_ROLLOUT], total: 1 },
  'rollout-action': {
    kind: 'rollout-action',
    rollout: 'event-consumer',
    action: 'resume',
    token: 'new.1.p',
    user: 'U1',
    rollouts: [PAUSED_ROLLOUT],
    total: 1,
  },
};

const ALL_NON_TERMINAL = CARD_STATES.filter((s) => !TERMINAL_STATES.has(s));

/** The expected table: for each event, the states that admit it and the state each one leads to. */
const EXPECTED: { [K in CardEventKind]: Partial<Record<CardState, CardState>> } = {
  approve: { pending: 'approved', approved: 'approved' },
  reject: { pending: 'rejected', approved: 'rejected' },
  retry: { failed: 'approved' },
  'claim-sync': { approved: 'syncing' },
  'sync-failed': { approved: 'failed', syncing: 'failed' },
  'start-rollback': { succeeded: 'rolling-back', degraded: 'rolling-back' },
  'rollback-not-started': { 'rolling-back': 'degraded' },
  expire: { pending: 'expired', approved: 'expired' },
  supersede: { pending: 'superseded', approved: 'superseded' },
  // A running sync of the card's revision: open cards follow it; deployed ones only take its health.
  observe: {
    pending: 'syncing',
    approved: 'syncing',
    syncing: 'syncing',
    failed: 'syncing',
    succeeded: 'succeeded',
    degraded: 'degraded',
    'rolling-back': 'rolling-back',
  },
  'break-glass': { pending: 'approved', approved: 'approved' },
  // Without a hold there is nothing to hold again or release: admitted, and the same card comes back.
  hold: { succeeded: 'succeeded', degraded: 'degraded', 'rolled-back': 'rolled-back' },
  'release-hold': { succeeded: 'succeeded', degraded: 'degraded', 'rolled-back': 'rolled-back' },
  'mark-stuck': { syncing: 'syncing' },
  // Rollouts change what the card shows, never its state.
  'observe-rollouts': Object.fromEntries(ALL_NON_TERMINAL.map((s) => [s, s])),
  'rollout-action': { syncing: 'syncing', succeeded: 'succeeded', degraded: 'degraded' },
};

const PAIRS = CARD_STATES.flatMap((state) => CARD_EVENT_KINDS.map((kind) => ({ state, kind })));

describe('transition table', () => {
  it('has a cell for every state and every event kind', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...CARD_STATES].sort());
    for (const state of CARD_STATES)
      expect(Object.keys(TRANSITIONS[state]).sort()).toEqual([...CARD_EVENT_KINDS].sort());
    expect(Object.keys(EVENTS).sort()).toEqual([...CARD_EVENT_KINDS].sort());
  });

  it.each(PAIRS)('$kind on a $state card', ({ state, kind }) => {
    const before = card({ state, rollback: { user: 'U2', at: NOW - 1, historyId: 7, revision: OLD } });
    const expected = EXPECTED[kind][state];
    const result = transition(before, EVENTS[kind], NOW);
    expect(TRANSITIONS[state][kind].allowed).toBe(expected !== undefined);
    if (expected === undefined) {
      expect(result).toEqual({ ok: false, reason: `${kind} is not allowed on a card that is ${state}` });
      expect(transitioned(before, EVENTS[kind], NOW)).toBeUndefined();
    } else {
      expect(result.ok).toBe(true);
      if (result.ok) expect(result.card.state).toBe(expected);
    }
  });

  it('never moves a terminal card, except that a rolled-back card can be held and its hold released', () => {
    for (const state of TERMINAL_STATES)
      for (const kind of CARD_EVENT_KINDS) {
        const holdCell = state === 'rolled-back' && (kind === 'hold' || kind === 'release-hold');
        expect(TRANSITIONS[state][kind].allowed).toBe(holdCell);
      }
  });

  it('admits Argo CD observations in every non-terminal state', () => {
    for (const state of ALL_NON_TERMINAL) expect(TRANSITIONS[state].observe.allowed).toBe(true);
  });
});

describe('transition details', () => {
  it('accumulates approvals and refreshes the required number, clearing the notice', () => {
    const first = transition(card({ notice: 'Argo CD was down' }), EVENTS.approve, NOW);
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(first.card.approvals).toEqual([{ user: 'U1', at: NOW }]);
    expect(first.card.notice).toBeUndefined();
    const second = transition(first.card, { kind: 'approve', user: 'U3', requiredApprovals: 3 }, NOW + 5);
    expect(second.ok && second.card.approvals).toEqual([
      { user: 'U1', at: NOW },
      { user: 'U3', at: NOW + 5 },
    ]);
    expect(second.ok && second.card.requiredApprovals).toBe(3);
    expect(second.ok && second.card.state).toBe('approved');
  });

  it('records who rejected, why and when', () => {
    const result = transition(card({ state: 'approved' }), EVENTS.reject, NOW);
    expect(result.ok && result.card.rejection).toEqual({ user: 'U1', reason: 'not today', at: NOW });
  });

  it('a sync claim sets syncRequestedAt, syncClaimId and the placeholder operation', () => {
    const result = transition(
      card({ state: 'approved', notice: 'busy' }),
      { ...EVENTS['claim-sync'], ignoreOperationStartedAt: '2026-03-01T00:00:00Z' },
      NOW,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.card).toMatchObject({
      state: 'syncing',
      syncRequestedAt: NOW,
      syncClaimId: 'claim-1',
      operation: { phase: 'Running', startedAt: iso(NOW), revision: REV },
      ignoreOperationStartedAt: '2026-03-01T00:00:00Z',
    });
    expect(result.card.notice).toBeUndefined();
    expect(result.effects).toEqual([{ kind: 'send-sync' }]);
  });

  it('a failed sync keeps the operation and says why, offering Retry', () => {
    const before = card({
      state: 'syncing',
      notice: 'checking',
      operation: { phase: 'Running', startedAt: 'x' },
    });
    const result = transition(before, EVENTS['sync-failed'], NOW);
    expect(result.ok && result.card).toMatchObject({
      state: 'failed',
      operation: { phase: 'Failed', startedAt: 'x', message: 'Argo CD said no', finishedAt: iso(NOW) },
    });
    expect(result.ok && result.card.notice).toBeUndefined();
    const retried = result.ok ? transition(result.card, EVENTS.retry, NOW) : result;
    expect(retried.ok && retried.card.state).toBe('approved');
    expect(retried.ok && retried.effects).toEqual([{ kind: 'start-sync' }]);
  });

  it('a rollback targets the previous revision, and goes back to the deployed state if it never started', () => {
    const started = transition(card({ state: 'degraded' }), EVENTS['start-rollback'], NOW);
    expect(started.ok && started.card.rollback).toEqual({ user: 'U2', at: NOW, historyId: 7, revision: OLD });
    expect(started.ok && started.effects).toEqual([{ kind: 'send-rollback', historyId: 7 }]);
    if (!started.ok) return;
    const undone = transition(started.card, { kind: 'rollback-not-started', restore: 'degraded' }, NOW);
    expect(undone.ok && undone.card.state).toBe('degraded');
    expect(undone.ok && undone.card.rollback).toBeUndefined();
  });

  it('expires only pending and approved cards', () => {
    const admitted = CARD_STATES.filter((state) => TRANSITIONS[state].expire.allowed);
    expect(admitted).toEqual(['pending', 'approved']);
    const approvals = [{ user: 'U1', at: NOW - 1 }];
    const result = transition(card({ state: 'approved', approvals }), EVENTS.expire, NOW);
    expect(result.ok && result.card).toEqual({ ...card({ approvals }), state: 'expired' });
  });

  it('supersede changes only the state and the link to the newer card', () => {
    const before = card({
      state: 'approved',
      approvals: [{ user: 'U1', at: NOW - 1 }],
      notice: 'waiting',
      reminderSentAt: NOW - 2,
    });
    const result = transition(before, EVENTS.supersede, NOW);
    expect(result.ok && result.card).toEqual({
      ...before,
      state: 'superseded',
      supersededBy: { cardId: 'c2', channel: 'C0PRODDEPLOYS' },
    });
    // Never while a sync or rollback runs: the newer card waits for the operation instead.
    for (const state of ACTIVE_OPERATION_STATES) expect(TRANSITIONS[state].supersede.allowed).toBe(false);
  });

  it('an observation that changes nothing writes nothing', () => {
    const quiet = { ...runningSync(), operation: undefined, operationRunning: false, health: 'Healthy' };
    const before = card({ state: 'pending' });
    const result = transition(before, { kind: 'observe', snapshot: quiet }, NOW);
    expect(result.ok && result.card).toBe(before);
    expect(transitioned(before, { kind: 'observe', snapshot: quiet }, NOW)).toBeUndefined();
  });
});

describe('on-call transitions', () => {
  it("break glass counts as the user's approval and records who and why", () => {
    const result = transition(card(), EVENTS['break-glass'], NOW);
    expect(result.ok && result.card.approvals).toEqual([{ user: 'U3', at: NOW }]);
    expect(result.ok && result.card.breakGlass).toEqual([
      { user: 'U3', reason: 'Payments are down, hotfix', at: NOW },
    ]);
    expect(result.ok && result.card.state).toBe('approved');
  });

  it('a rollback that succeeds holds the rolled-back revision for whoever rolled it back', () => {
    const rollingBack = card({
      state: 'rolling-back',
      rollback: { user: 'U2', at: NOW - 1000, historyId: 7, revision: OLD },
    });
    const snap: AppSnapshot = {
      ...runningSync(),
      operationRunning: false,
      operation: { phase: 'Succeeded', startedAt: iso(NOW - 500), finishedAt: iso(NOW), revision: OLD },
    };
    const result = transition(rollingBack, { kind: 'observe', snapshot: snap }, NOW);
    expect(result.ok && result.card.state).toBe('rolled-back');
    expect(result.ok && result.card.hold).toEqual({ user: 'U2', at: NOW, via: 'rollback' });
  });

  it('release hold makes a rolled-back card approvable again from scratch; a reverted deployed card only loses the hold', () => {
    const held = card({
      state: 'rolled-back',
      approvals: [{ user: 'U1', at: CREATED }],
      breakGlass: [{ user: 'U1', reason: 'incident 42 hotfix', at: CREATED }],
      rollback: { user: 'U2', at: NOW - 1000, historyId: 7, revision: OLD },
      operation: { phase: 'Succeeded', startedAt: iso(NOW - 500), revision: OLD },
      hold: { user: 'U2', at: NOW - 100, via: 'rollback' },
      announced: true,
    });
    const released = transition(held, EVENTS['release-hold'], NOW);
    expect(released.ok && released.card).toMatchObject({ state: 'pending', approvals: [], createdAt: NOW });
    if (!released.ok) return;
    for (const key of ['hold', 'breakGlass', 'rollback', 'operation', 'announced'] as const)
      expect(released.card[key]).toBeUndefined();
    const reverted = card({ state: 'succeeded', hold: { user: 'U2', at: NOW - 5, via: 'revert' } });
    const cleared = transition(reverted, EVENTS['release-hold'], NOW);
    expect(cleared.ok && cleared.card.state).toBe('succeeded');
    expect(cleared.ok && cleared.card.hold).toBeUndefined();
  });

  it('hold keeps the first hold (a second revert or replica changes nothing)', () => {
    const first = transition(card({ state: 'succeeded' }), EVENTS.hold, NOW);
    expect(first.ok && first.card.hold).toEqual({ user: 'U2', at: NOW, via: 'revert' });
    if (!first.ok) return;
    expect(transitioned(first.card, { kind: 'hold', user: 'U9', via: 'revert' }, NOW + 1)).toBeUndefined();
  });

  it("marks a sync stuck once per operation, counted from Argo CD's startedAt", () => {
    const started = NOW - 31 * 60_000;
    const syncing = card({ state: 'syncing', operation: { phase: 'Running', startedAt: iso(started) } });
    expect(transitioned(syncing, EVENTS['mark-stuck'], started + 30 * 60_000)).toBeUndefined();
    const marked = transitioned(syncing, EVENTS['mark-stuck'], NOW);
    expect(marked?.stuck).toEqual({ at: NOW, startedAt: iso(started) });
    expect(marked && transitioned(marked, EVENTS['mark-stuck'], NOW + 60_000)).toBeUndefined();
    const finished = card({ state: 'syncing', operation: { phase: 'Succeeded', startedAt: iso(started) } });
    expect(transitioned(finished, EVENTS['mark-stuck'], NOW)).toBeUndefined();
    // A new operation (a retry) can be marked again.
    const again = marked && {
      ...marked,
      operation: { phase: 'Running' as const, startedAt: iso(started + 1000) },
    };
    expect(again && transitioned(again, EVENTS['mark-stuck'], NOW + 2000)?.stuck?.startedAt).toBe(
      iso(started + 1000),
    );
  });
});

describe('Rollouts on the card', () => {
  it('observe-rollouts shows what Argo CD reports, and the same views again write nothing', () => {
    const before = card({ state: 'succeeded' });
    const first = transition(before, EVENTS['observe-rollouts'], NOW);
    expect(first.ok && first.card.rollouts).toEqual([PAUSED_ROLLOUT]);
    if (!first.ok) return;
    expect(transitioned(first.card, EVENTS['observe-rollouts'], NOW + 1)).toBeUndefined();
  });

  it('rollout-action records one action per Rollout and step: a second press for the same step changes nothing', () => {
    const first = transition(card({ state: 'succeeded' }), EVENTS['rollout-action'], NOW);
    expect(first.ok && first.card.rolloutActions).toEqual([
      { rollout: 'event-consumer', action: 'resume', token: 'new.1.p', user: 'U1', at: NOW },
    ]);
    if (!first.ok) return;
    const again = { ...EVENTS['rollout-action'], user: 'U2' };
    expect(transitioned(first.card, again, NOW + 1)).toBeUndefined();
    const nextStep = { ...EVENTS['rollout-action'], token: 'new.3.p', user: 'U2' };
    expect(transitioned(first.card, nextStep, NOW + 2)?.rolloutActions).toHaveLength(2);
  });

  it('a Rollout aborted and retried back to a step it had may be promoted from there again', () => {
    const events = [
      { ...EVENTS['rollout-action'], action: 'abort' as const, token: 'new.1.p' },
      { ...EVENTS['rollout-action'], action: 'retry' as const, token: 'new.1.a' },
      { ...EVENTS['rollout-action'], action: 'resume' as const, token: 'new.1.p' },
    ];
    let current = card({ state: 'degraded' });
    for (const [i, event] of events.entries()) {
      const next = transitioned(current, event, NOW + i);
      expect(next, event.action).toBeDefined();
      if (next) current = next;
    }
    expect(current.rolloutActions?.map((a) => a.action)).toEqual(['abort', 'retry', 'resume']);
  });
});
