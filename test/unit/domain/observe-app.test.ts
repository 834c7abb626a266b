import { describe, expect, it } from 'vitest';
import { type AppSnapshot, liveRevision } from '../../../src/domain/app-snapshot.js';
import type { Card, CardState, OperationInfo } from '../../../src/domain/card.js';
import { observeApp, operationForCard } from '../../../src/domain/observe-app.js';

const REV = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const OLD = '0f9e8d7c6b5a49382716051423344556677889aa';
const NEWER = 'bbbbbbb1111111122222223333333444444455555';
const CREATED = Date.parse('2026-03-02T10:00:00Z');
const NOW = CREATED + 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const OP_STARTED = iso(CREATED + 5 * 60_000);

type Phase = OperationInfo['phase'];
const PHASES: Phase[] = ['Running', 'Terminating', 'Succeeded', 'Failed', 'Error'];
const HEALTHS = ['Healthy', 'Progressing', 'Degraded', 'Missing', 'Suspended', 'Unknown'] as const;

function card(overrides: Partial<Card> = {}): Card {
  return {
    id: 'c1',
    kind: 'approval',
    state: 'pending',
    app: { instance: 'default', name: 'payments-api-prod', namespace: 'argocd', project: 'payments' },
    environment: 'prod',
    channel: 'C0PRODDEPLOYS',
    ts: '1.1',
    revision: REV,
    to: { sha: REV },
    from: { sha: OLD },
    destination: {},
    source: {},
    autoSync: false,
    changelog: {
      available: false,
      commits: [],
      totalCommits: 0,
      pulls: [],
      authorLogins: [],
      authorEmails: [],
    },
    images: [],
    checks: { state: 'unknown', total: 0, failing: [], pendingNames: [] },
    approvals: [],
    requiredApprovals: 1,
    createdAt: CREATED,
    updatedAt: CREATED,
    ...overrides,
  };
}

function snap(overrides: Partial<AppSnapshot> = {}): AppSnapshot {
  return {
    app: { instance: 'default', name: 'payments-api-prod', namespace: 'argocd', project: 'payments' },
    autoSync: false,
    syncStatus: 'OutOfSync',
    targetRevision: REV,
    health: 'Healthy',
    operationRunning: false,
    history: [{ id: 8, revision: OLD, deployStartedAt: iso(CREATED - 86_400_000) }],
    images: [],
    source: {},
    destination: {},
    ...overrides,
  };
}

const op = (phase: Phase, overrides: Partial<OperationInfo> = {}): OperationInfo => ({
  phase,
  startedAt: OP_STARTED,
  revision: REV,
  message: `${phase} message`,
  ...overrides,
});

/** Where a card that follows its operation ends up, per phase and health (INTERFACE: syncing → succeeded/failed, health). */
function expectedAfterOperation(phase: Phase, health: string): CardState {
  if (phase === 'Running' || phase === 'Terminating') return 'syncing';
  if (phase === 'Failed' || phase === 'Error') return 'failed';
  if (health === 'Healthy' || health === 'Suspended') return 'succeeded';
  if (health === 'Degraded' || health === 'Missing') return 'degraded';
  return 'syncing';
}

const FOLLOWING: CardState[] = ['pending', 'approved', 'syncing', 'failed'];

describe('observeApp: cards that follow an operation of their revision', () => {
  const rows = FOLLOWING.flatMap((state) =>
    PHASES.flatMap((phase) => HEALTHS.map((health) => ({ state, phase, health }))),
  );
  it.each(rows)('$state + $phase + $health', ({ state, phase, health }) => {
    // A failed card remembers an earlier operation; this one is new (a retry or a sync from elsewhere).
    const before = card({
      state,
      operation: state === 'failed' ? op('Failed', { startedAt: iso(CREATED + 60_000) }) : undefined,
      notice: 'Argo CD refused earlier',
    });
    const after = observeApp(before, snap({ operation: op(phase), health }), NOW);
    const expected = expectedAfterOperation(phase, health);
    expect(after?.state ?? before.state).toBe(expected);
    expect(after?.operation?.startedAt).toBe(OP_STARTED);
    expect(after?.operation?.phase).toBe(phase);
    expect(after?.notice).toBe(expected === 'failed' ? 'Argo CD refused earlier' : undefined);
    if (after) expect(after.updatedAt).toBe(NOW);
  });

  it('ignores an operation of another revision, one older than the card, and the one it was told to ignore', () => {
    const pending = card();
    expect(observeApp(pending, snap({ operation: op('Running', { revision: NEWER }) }), NOW)).toBeUndefined();
    const older = op('Succeeded', { startedAt: iso(CREATED - 10 * 60_000) });
    expect(observeApp(pending, snap({ operation: older }), NOW)).toBeUndefined();
    const ignored = card({ state: 'syncing', ignoreOperationStartedAt: OP_STARTED });
    expect(observeApp(ignored, snap({ operation: op('Failed') }), NOW)).toBeUndefined();
  });

  it('lets an info card follow the operation it was born from, even one that started before it', () => {
    const info = card({ kind: 'info', state: 'syncing', autoSync: true, requiredApprovals: 0 });
    const before = op('Succeeded', { startedAt: iso(CREATED - 10 * 60_000) });
    expect(observeApp(info, snap({ operation: before, health: 'Healthy' }), NOW)?.state).toBe('succeeded');
  });

  it('does not turn a failed card back on the same failed operation', () => {
    const failed = card({ state: 'failed', operation: op('Failed') });
    expect(observeApp(failed, snap({ operation: op('Failed') }), NOW)).toBeUndefined();
    // ...but a retry of the same revision (a new start) is followed.
    const retry = op('Running', { startedAt: iso(CREATED + 20 * 60_000) });
    expect(observeApp(failed, snap({ operation: retry }), NOW)?.state).toBe('syncing');
  });

  it('never steps back when a read older than the last one arrives late', () => {
    const finished = card({ state: 'failed', operation: op('Failed') });
    expect(observeApp(finished, snap({ operation: op('Running') }), NOW)).toBeUndefined();
    const waitingForHealth = card({ state: 'syncing', operation: op('Succeeded') });
    const stale = snap({ operation: op('Running'), health: 'Progressing', operationRunning: true });
    expect(observeApp(waitingForHealth, stale, NOW)).toBeUndefined();
  });
});

describe('observeApp: an operation that ended while nobody watched', () => {
  const deployed = { id: 9, revision: REV, deployStartedAt: OP_STARTED };

  it('marks a syncing card deployed when history has it and a newer operation replaced it', () => {
    const syncing = card({ kind: 'info', state: 'syncing', operation: op('Running') });
    const newer = op('Running', { revision: NEWER, startedAt: iso(CREATED + 30 * 60_000) });
    const replaced = snap({
      operation: newer,
      operationRunning: true,
      health: 'Progressing',
      history: [...snap().history, deployed, { id: 10, revision: NEWER, deployStartedAt: newer.startedAt }],
    });
    expect(observeApp(syncing, replaced, NOW)?.state).toBe('succeeded');
    // Still the live revision: its health decides, and Progressing means not yet.
    const stillLive = snap({
      operation: newer,
      operationRunning: true,
      history: [...snap().history, deployed],
    });
    expect(observeApp(syncing, { ...stillLive, health: 'Progressing' }, NOW)).toBeUndefined();
    expect(observeApp(syncing, { ...stillLive, health: 'Degraded' }, NOW)?.state).toBe('degraded');
  });

  it('does not count a deployment of the same revision from before the card', () => {
    const syncing = card({
      state: 'syncing',
      operation: op('Running', { startedAt: iso(CREATED + 60_000) }),
    });
    const oldDeploy = { id: 3, revision: REV, deployStartedAt: iso(CREATED - 86_400_000) };
    const other = op('Succeeded', { revision: NEWER, startedAt: iso(CREATED + 2 * 60_000) });
    expect(observeApp(syncing, snap({ operation: other, history: [oldDeploy] }), NOW)).toBeUndefined();
  });
});

describe('observeApp: deployed cards follow the health of what runs', () => {
  const live = snap({ syncStatus: 'Synced', history: [...snap().history, { id: 9, revision: REV }] });
  const table: { state: CardState; health: string; expected: CardState | undefined }[] = [
    { state: 'succeeded', health: 'Degraded', expected: 'degraded' },
    { state: 'succeeded', health: 'Missing', expected: 'degraded' },
    { state: 'succeeded', health: 'Progressing', expected: undefined },
    { state: 'succeeded', health: 'Healthy', expected: undefined },
    { state: 'degraded', health: 'Healthy', expected: 'succeeded' },
    { state: 'degraded', health: 'Suspended', expected: 'succeeded' },
    { state: 'degraded', health: 'Progressing', expected: undefined },
    { state: 'degraded', health: 'Degraded', expected: undefined },
  ];
  it.each(table)('$state + $health → $expected', ({ state, health, expected }) => {
    const before = card({
      state,
      health: state === 'degraded' ? 'Degraded' : 'Healthy',
      operation: op('Succeeded'),
    });
    const after = observeApp(before, { ...live, health }, NOW);
    expect(after?.state).toBe(expected ?? (after ? before.state : undefined));
  });

  it('shows a new health word even when the state stays', () => {
    const before = card({ state: 'degraded', health: 'Degraded' });
    expect(observeApp(before, { ...live, health: 'Progressing' }, NOW)?.health).toBe('Progressing');
  });

  it('freezes once another revision runs (its degradation is not this deploy’s)', () => {
    const before = card({ state: 'succeeded', health: 'Healthy' });
    const moved = snap({
      syncStatus: 'Synced',
      targetRevision: NEWER,
      health: 'Degraded',
      history: [
        { id: 9, revision: REV },
        { id: 10, revision: NEWER },
      ],
    });
    expect(observeApp(before, moved, NOW)).toBeUndefined();
  });
});

describe('observeApp: rollbacks', () => {
  const rollingBack = card({
    state: 'rolling-back',
    rollback: { user: 'U0ALICE', at: CREATED + 40 * 60_000, revision: OLD, historyId: 8 },
  });
  const rollbackOp = (phase: Phase) =>
    op(phase, { revision: OLD, startedAt: iso(CREATED + 41 * 60_000), message: 'rollback' });

  it.each([
    { phase: 'Running' as const, health: 'Progressing', state: 'rolling-back', notice: undefined },
    { phase: 'Succeeded' as const, health: 'Healthy', state: 'rolled-back', notice: undefined },
    { phase: 'Failed' as const, health: 'Healthy', state: 'succeeded', notice: 'Rollback failed: rollback' },
    { phase: 'Error' as const, health: 'Degraded', state: 'degraded', notice: 'Rollback failed: rollback' },
  ])('$phase + $health → $state', ({ phase, health, state, notice }) => {
    const after = observeApp(rollingBack, snap({ operation: rollbackOp(phase), health }), NOW);
    expect(after?.state).toBe(state);
    expect(after?.notice).toBe(notice);
  });

  it('ignores the operation of the deploy being rolled back', () => {
    expect(observeApp(rollingBack, snap({ operation: op('Succeeded') }), NOW)).toBeUndefined();
  });
});

describe('observeApp: what does not change a card', () => {
  it.each(['rejected', 'superseded', 'expired', 'rolled-back'] as CardState[])(
    '%s cards are history: nothing Argo CD says moves them',
    (state) => {
      for (const phase of PHASES)
        for (const health of HEALTHS)
          expect(observeApp(card({ state }), snap({ operation: op(phase), health }), NOW)).toBeUndefined();
    },
  );

  it('a health or sync-status change alone does not touch a waiting card (nothing shown changes)', () => {
    for (const state of ['pending', 'approved'] as CardState[]) {
      const before = card({ state, health: 'Healthy', syncStatus: 'OutOfSync' });
      expect(observeApp(before, snap({ health: 'Degraded', syncStatus: 'Unknown' }), NOW)).toBeUndefined();
    }
  });

  it('operationForCard picks only the operation of this card', () => {
    expect(operationForCard(card(), snap({ operation: op('Running') }))?.startedAt).toBe(OP_STARTED);
    expect(operationForCard(card(), snap({ operation: op('Running', { revision: OLD }) }))).toBeUndefined();
    expect(operationForCard(card(), snap())).toBeUndefined();
  });
});

describe('liveRevision', () => {
  it('is the last deployment in history, else the target of a Synced app', () => {
    expect(liveRevision(snap())).toBe(OLD);
    expect(liveRevision(snap({ history: [], syncStatus: 'Synced' }))).toBe(REV);
    expect(liveRevision(snap({ history: [], syncStatus: 'OutOfSync' }))).toBeUndefined();
  });
});

describe('a sync deploybot claimed but Argo CD never saw', () => {
  const claimed = (requestedAt: number) =>
    card({
      state: 'syncing',
      syncRequestedAt: requestedAt,
      operation: { phase: 'Running', startedAt: iso(requestedAt), revision: REV },
    });

  it('waits while the grace period runs', () => {
    expect(observeApp(claimed(NOW - 60_000), snap(), NOW)).toBeUndefined();
  });

  it('turns failed with a Retry-worthy message once the grace period is over', () => {
    const next = observeApp(claimed(NOW - 121_000), snap(), NOW);
    expect(next?.state).toBe('failed');
    expect(next?.operation?.message).toMatch(/never started the sync/);
  });

  it('keeps waiting while Argo CD runs some operation on the app', () => {
    expect(observeApp(claimed(NOW - 300_000), snap({ operationRunning: true }), NOW)).toBeUndefined();
  });
});
