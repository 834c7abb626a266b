/**
 * The fleet card: one card per (group, target revision) that lists every app of the group at that
 * revision and syncs them wave by wave. Pure data and transitions: (card, event, now) → the card after
 * it and the effects to carry out, or a refusal that says why.
 */
import type { AppRef, OperationInfo, RevisionInfo } from './card.js';

export type FleetState =
  | 'pending'
  | 'syncing'
  | 'succeeded'
  | 'failed'
  | 'rejected'
  | 'superseded'
  | 'aborted'
  | 'rolling-back'
  | 'rolled-back';

export const FLEET_STATES: readonly FleetState[] = [
  'pending',
  'syncing',
  'succeeded',
  'failed',
  'rejected',
  'superseded',
  'aborted',
  'rolling-back',
  'rolled-back',
];

/** History: nothing moves these on. */
export const FLEET_TERMINAL: ReadonlySet<FleetState> = new Set([
  'rejected',
  'superseded',
  'aborted',
  'rolled-back',
]);

/** Work deploybot runs (waves or rollbacks) is under way: the wave runner follows these. */
export const FLEET_RUNNING: ReadonlySet<FleetState> = new Set(['syncing', 'rolling-back']);

/**
 * Where an app's sync stands. `claimed`: deploybot took the app's one sync (card written, the claim in
 * the store follows); `requested`: Argo CD accepted the sync; `succeeded`/`failed`: judged from the app
 * as read from Argo CD after the operation ended; `terminated`: Abort ended it.
 */
type MemberSyncState = 'claimed' | 'requested' | 'succeeded' | 'failed' | 'terminated';

interface MemberSync {
  state: MemberSyncState;
  /** Retry bumps this, so each attempt has its own claim in the store. */
  attempt: number;
  at: number;
  /** The app's last operation before this sync (older news: never this sync's outcome). */
  ignoreStartedAt?: string;
  /** The operation of this sync, once seen. */
  startedAt?: string;
  /** Argo CD history id of the deployment before this sync (the rollback target). */
  previousHistoryId?: number;
  message?: string;
}

interface MemberRollback {
  state: 'requested' | 'succeeded' | 'failed';
  historyId: number;
  at: number;
  ignoreStartedAt?: string;
  message?: string;
}

/** One app of the group as last read from Argo CD (a row of the card). */
export interface FleetMember {
  key: string;
  app: AppRef;
  wave: number;
  syncStatus?: string;
  health?: string;
  operation?: Pick<OperationInfo, 'phase' | 'startedAt' | 'message' | 'revision'>;
  /** The revision running (the last successful deployment). */
  deployedRevision?: string;
  /** When the read behind this row started; an older read never overwrites a newer row. */
  observedAt: number;
  sync?: MemberSync;
  /** Sync attempts before the current one (Retry). */
  attempts?: number;
  rollback?: MemberRollback;
}

interface Approval {
  user: string;
  at: number;
}

export interface FleetCard {
  id: string;
  group: string;
  environment: string;
  channel: string;
  ts?: string;
  /** Full SHA every app is synced to (pinned in each sync request). */
  revision: string;
  to: RevisionInfo & { authorEmail?: string };
  /** The GitHub repository of the apps' source (for the checks gate), when it is on GitHub. */
  repo?: { owner: string; name: string };
  state: FleetState;
  /** Ordered by wave, then instance and name. */
  members: FleetMember[];
  /** The wave that runs (syncing) or ran last. */
  wave: number;
  waveCount: number;
  approvals: Approval[];
  requiredApprovals: number;
  rejection?: { user: string; reason: string; at: number };
  abort?: { user: string; at: number };
  supersededBy?: { cardId: string; channel: string; ts?: string };
  rollback?: { user: string; at: number };
  /** The member whose sync failed (stops later waves). */
  failedKey?: string;
  notice?: string;
  createdAt: number;
  updatedAt: number;
}

/** A row as just read from Argo CD. `targetRevision`: the revision the app should run now. */
export interface MemberObservation {
  key: string;
  app: AppRef;
  wave: number;
  targetRevision?: string;
  syncStatus?: string;
  health?: string;
  operation?: FleetMember['operation'];
  deployedRevision?: string;
  observedAt: number;
}

export type FleetEvent =
  | { kind: 'observe'; member: MemberObservation }
  | { kind: 'approve'; user: string; requiredApprovals: number }
  | { kind: 'reject'; user: string; reason: string }
  | { kind: 'claim-sync'; key: string; ignoreStartedAt?: string; previousHistoryId?: number }
  | { kind: 'sync-requested'; key: string }
  | { kind: 'sync-ended'; key: string; outcome: 'succeeded' | 'failed'; message?: string; startedAt?: string }
  | { kind: 'supersede'; by?: { cardId: string; channel: string } }
  | { kind: 'abort'; user: string }
  | { kind: 'retry'; user: string }
  | { kind: 'rollback'; user: string }
  | { kind: 'rollback-requested'; key: string; ignoreStartedAt?: string }
  | { kind: 'rollback-ended'; key: string; outcome: 'succeeded' | 'failed'; message?: string };

export type FleetEventKind = FleetEvent['kind'];

export const FLEET_EVENT_KINDS: readonly FleetEventKind[] = [
  'observe',
  'approve',
  'reject',
  'claim-sync',
  'sync-requested',
  'sync-ended',
  'supersede',
  'abort',
  'retry',
  'rollback',
  'rollback-requested',
  'rollback-ended',
];

/** What the caller carries out after the transition is stored. */
export type FleetEffect =
  | { kind: 'run' }
  | { kind: 'terminate'; key: string }
  | { kind: 'rollback'; key: string; historyId: number };

export type FleetResult =
  | { ok: true; card: FleetCard; effects: FleetEffect[] }
  /** `unchanged`: nothing to do (a repeat), not an error. */
  | { ok: false; refusal: string; unchanged?: boolean };

const refuse = (refusal: string): FleetResult => ({ ok: false, refusal });
const same = (): FleetResult => ({ ok: false, refusal: 'nothing changed', unchanged: true });
const done = (card: FleetCard, now: number, effects: FleetEffect[] = []): FleetResult => ({
  ok: true,
  card: { ...card, updatedAt: now },
  effects,
});

export function memberKey(app: Pick<AppRef, 'instance' | 'namespace' | 'name'>): string {
  return `${app.instance}/${app.namespace}/${app.name}`;
}

const byWaveThenName = (a: FleetMember, b: FleetMember) => a.wave - b.wave || a.key.localeCompare(b.key);

function withMember(card: FleetCard, key: string, change: (m: FleetMember) => FleetMember): FleetCard {
  return { ...card, members: card.members.map((m) => (m.key === key ? change(m) : m)) };
}

/** The members that are this card's to sync now: in a wave up to the running one, not yet taken. */
export function syncsDue(card: FleetCard): FleetMember[] {
  if (card.state !== 'syncing') return [];
  return card.members.filter((m) => m.wave <= card.wave && !m.sync);
}

/** Members whose sync or rollback was sent and has not been judged yet. */
export function inFlight(card: FleetCard): FleetMember[] {
  if (card.state === 'rolling-back') return card.members.filter((m) => m.rollback?.state === 'requested');
  return card.members.filter((m) => m.sync?.state === 'claimed' || m.sync?.state === 'requested');
}

/** Members of waves after the running one that were never started (what a failure or Abort left). */
export function notStarted(card: FleetCard): FleetMember[] {
  return card.members.filter((m) => !m.sync);
}

/**
 * Moves a syncing card over every wave whose members all succeeded: a wave without members is passed at
 * once, and the card succeeds after the last one. A wave only counts as done from `sync-ended` events,
 * which the runner sends from reads after each operation ended.
 */
function settle(card: FleetCard): FleetCard {
  if (card.state !== 'syncing') return card;
  let wave = card.wave;
  while (wave < card.waveCount) {
    const members = card.members.filter((m) => m.wave <= wave);
    if (!members.every((m) => m.sync?.state === 'succeeded')) break;
    wave += 1;
  }
  if (wave >= card.waveCount) return { ...card, wave: card.waveCount - 1, state: 'succeeded' };
  return wave === card.wave ? card : { ...card, wave };
}

function observe(card: FleetCard, obs: MemberObservation, now: number): FleetResult {
  if (FLEET_TERMINAL.has(card.state)) return same();
  const existing = card.members.find((m) => m.key === obs.key);
  if (existing && existing.observedAt > obs.observedAt) return same();
  // An app joins the card when it targets the card's revision; a listed app keeps its row as it moves on.
  if (!existing && obs.targetRevision !== card.revision) return same();
  const row: FleetMember = {
    ...(existing ?? { key: obs.key, app: obs.app, wave: obs.wave }),
    wave: existing?.sync ? existing.wave : obs.wave,
    syncStatus: obs.syncStatus,
    health: obs.health,
    operation: obs.operation,
    deployedRevision: obs.deployedRevision,
    observedAt: obs.observedAt,
  };
  const shown = (m: FleetMember | undefined) =>
    JSON.stringify([m?.wave, m?.syncStatus, m?.health, m?.operation, m?.deployedRevision]);
  if (existing && shown(existing) === shown(row)) {
    return existing.observedAt === row.observedAt
      ? same()
      : done(
          withMember(card, obs.key, () => row),
          now,
        );
  }
  const members = existing
    ? card.members.map((m) => (m.key === obs.key ? row : m))
    : [...card.members, row].sort(byWaveThenName);
  // A joiner of an approved card is synced in its wave (a deployed card syncs again for it); the runner is told.
  if (!existing && (card.state === 'syncing' || card.state === 'succeeded')) {
    const wave = card.state === 'succeeded' ? Math.min(card.wave, row.wave) : card.wave;
    return done({ ...card, members, state: 'syncing', wave }, now, [{ kind: 'run' }]);
  }
  return done({ ...card, members }, now);
}

function approve(card: FleetCard, e: Extract<FleetEvent, { kind: 'approve' }>, now: number): FleetResult {
  if (card.state !== 'pending')
    return refuse(`this fleet card is ${card.state}, so it can no longer be approved`);
  if (card.approvals.some((a) => a.user === e.user)) return refuse('you already approved this fleet deploy');
  const approvals = [...card.approvals, { user: e.user, at: now }];
  const needed = Math.max(1, e.requiredApprovals);
  if (approvals.length < needed) return done({ ...card, approvals, requiredApprovals: needed }, now);
  const started: FleetCard = { ...card, approvals, requiredApprovals: needed, state: 'syncing', wave: 0 };
  return done(settle(started), now, [{ kind: 'run' }]);
}

function claimSync(
  card: FleetCard,
  e: Extract<FleetEvent, { kind: 'claim-sync' }>,
  now: number,
): FleetResult {
  if (card.state !== 'syncing') return refuse(`the fleet card is ${card.state}; no sync is started`);
  const member = card.members.find((m) => m.key === e.key);
  if (!member) return refuse(`${e.key} is not on this card`);
  if (member.wave > card.wave) return refuse(`${e.key} waits for wave ${member.wave + 1}`);
  if (member.sync) return refuse(`${e.key} was already claimed`);
  return done(
    withMember(card, e.key, (m) => ({
      ...m,
      sync: {
        state: 'claimed',
        attempt: (m.attempts ?? 0) + 1,
        at: now,
        ignoreStartedAt: e.ignoreStartedAt,
        previousHistoryId: e.previousHistoryId,
      },
    })),
    now,
  );
}

function syncRequested(
  card: FleetCard,
  e: Extract<FleetEvent, { kind: 'sync-requested' }>,
  now: number,
): FleetResult {
  const member = card.members.find((m) => m.key === e.key);
  if (member?.sync?.state !== 'claimed') return refuse(`${e.key} has no claimed sync`);
  // Recorded after Abort or supersede too: the operation runs, and the card must know (Abort ends it).
  const next = withMember(card, e.key, (m) => ({ ...m, sync: { ...m.sync!, state: 'requested' } }));
  return done(next, now, card.state === 'aborted' ? [{ kind: 'terminate', key: e.key }] : []);
}

function syncEnded(
  card: FleetCard,
  e: Extract<FleetEvent, { kind: 'sync-ended' }>,
  now: number,
): FleetResult {
  const member = card.members.find((m) => m.key === e.key);
  const state = member?.sync?.state;
  if (state !== 'requested' && state !== 'claimed') return refuse(`${e.key} has no sync under way`);
  const ended = withMember(card, e.key, (m) => ({
    ...m,
    sync: { ...m.sync!, state: e.outcome, message: e.message, startedAt: e.startedAt ?? m.sync!.startedAt },
  }));
  if (card.state !== 'syncing') return done(ended, now);
  if (e.outcome === 'failed') return done({ ...ended, state: 'failed', failedKey: e.key }, now);
  return done(settle(ended), now, [{ kind: 'run' }]);
}

function abort(card: FleetCard, e: Extract<FleetEvent, { kind: 'abort' }>, now: number): FleetResult {
  if (card.state !== 'syncing') return refuse(`this fleet card is ${card.state}; there is no sync to abort`);
  const running = card.members.filter((m) => m.sync?.state === 'requested');
  const next: FleetCard = {
    ...card,
    state: 'aborted',
    abort: { user: e.user, at: now },
    members: card.members.map((m) =>
      m.sync?.state === 'requested' ? { ...m, sync: { ...m.sync, state: 'terminated' } } : m,
    ),
  };
  return done(
    next,
    now,
    running.map((m) => ({ kind: 'terminate', key: m.key })),
  );
}

function retry(card: FleetCard, now: number): FleetResult {
  if (card.state !== 'failed' || !card.failedKey)
    return refuse(`this fleet card is ${card.state}; only a failed fleet sync can be retried`);
  // The failed app is synced again (a new attempt, so a new claim in the store); the waves go on from there.
  const next = withMember(card, card.failedKey, (m) => ({
    ...m,
    attempts: m.sync?.attempt ?? m.attempts,
    sync: undefined,
  }));
  return done({ ...next, state: 'syncing', failedKey: undefined }, now, [{ kind: 'run' }]);
}

function rollback(card: FleetCard, e: Extract<FleetEvent, { kind: 'rollback' }>, now: number): FleetResult {
  if (card.state !== 'succeeded' && card.state !== 'failed')
    return refuse(`this fleet card is ${card.state}; only a deployed fleet card can be rolled back`);
  const targets = card.members.filter(
    (m) => m.sync?.state === 'succeeded' && m.sync.previousHistoryId !== undefined,
  );
  if (targets.length === 0)
    return refuse('no app of this card was synced by it, so there is nothing to roll back');
  return done(
    { ...card, state: 'rolling-back', rollback: { user: e.user, at: now } },
    now,
    targets.map((m) => ({ kind: 'rollback', key: m.key, historyId: m.sync!.previousHistoryId! })),
  );
}

function rollbackRequested(
  card: FleetCard,
  e: Extract<FleetEvent, { kind: 'rollback-requested' }>,
  now: number,
): FleetResult {
  if (card.state !== 'rolling-back') return refuse(`the fleet card is ${card.state}`);
  const member = card.members.find((m) => m.key === e.key);
  const historyId = member?.sync?.previousHistoryId;
  if (!member || historyId === undefined || member.rollback)
    return refuse(`${e.key} has no rollback to start`);
  return done(
    withMember(card, e.key, (m) => ({
      ...m,
      rollback: { state: 'requested', historyId, at: now, ignoreStartedAt: e.ignoreStartedAt },
    })),
    now,
  );
}

function rollbackEnded(
  card: FleetCard,
  e: Extract<FleetEvent, { kind: 'rollback-ended' }>,
  now: number,
): FleetResult {
  if (card.state !== 'rolling-back') return refuse(`the fleet card is ${card.state}`);
  const member = card.members.find((m) => m.key === e.key);
  if (member?.rollback?.state !== 'requested') return refuse(`${e.key} has no rollback under way`);
  const next = withMember(card, e.key, (m) => ({
    ...m,
    rollback: { ...m.rollback!, state: e.outcome, message: e.message },
  }));
  const pending = next.members.some(
    (m) =>
      m.rollback?.state === 'requested' ||
      (m.sync?.state === 'succeeded' && m.sync.previousHistoryId !== undefined && !m.rollback),
  );
  return done(pending ? next : { ...next, state: 'rolled-back' }, now);
}

/** The fleet card after `event`, with what to do next; or why it is refused. */
export function fleetTransition(card: FleetCard, event: FleetEvent, now: number): FleetResult {
  switch (event.kind) {
    case 'observe':
      return observe(card, event.member, now);
    case 'approve':
      return approve(card, event, now);
    case 'reject':
      if (card.state !== 'pending')
        return refuse(`this fleet card is ${card.state}, so it can no longer be rejected`);
      return done(
        { ...card, state: 'rejected', rejection: { user: event.user, reason: event.reason, at: now } },
        now,
      );
    case 'claim-sync':
      return claimSync(card, event, now);
    case 'sync-requested':
      return syncRequested(card, event, now);
    case 'sync-ended':
      return syncEnded(card, event, now);
    case 'supersede':
      if (card.state !== 'pending' && card.state !== 'syncing')
        return refuse(`this fleet card is ${card.state}; only a pending or syncing card is superseded`);
      return done({ ...card, state: 'superseded', supersededBy: event.by }, now);
    case 'abort':
      return abort(card, event, now);
    case 'retry':
      return retry(card, now);
    case 'rollback':
      return rollback(card, event, now);
    case 'rollback-requested':
      return rollbackRequested(card, event, now);
    case 'rollback-ended':
      return rollbackEnded(card, event, now);
  }
}

/** Counts of rows per what they show, for the card's summary. */
export function memberCounts(card: FleetCard): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const m of card.members) {
    const label = memberLabel(card, m);
    counts[label] = (counts[label] ?? 0) + 1;
  }
  return counts;
}

/** One word for where a member stands on this card. */
export function memberLabel(card: FleetCard, m: FleetMember): string {
  if (m.rollback) return m.rollback.state === 'requested' ? 'rolling back' : `rollback ${m.rollback.state}`;
  switch (m.sync?.state) {
    case 'claimed':
    case 'requested':
      return 'syncing';
    case 'succeeded':
      return 'synced';
    case 'failed':
      return 'failed';
    case 'terminated':
      return 'terminated';
    default:
      return card.state === 'pending' ? 'waiting' : 'not started';
  }
}
