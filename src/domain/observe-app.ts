import { type AppSnapshot, liveRevision } from './app-snapshot.js';
import { type Card, type CardState, type OperationInfo, TERMINAL_STATES } from './card.js';

// Clocks of Argo CD and deploybot differ a little; an operation is "for this card" if it started after the card, give or take this.
const CLOCK_SKEW_MS = 60_000;
// A sync deploybot asked for shows up in Argo CD within seconds; after this long without a trace it never started.
const SYNC_START_GRACE_MS = 120_000;

const FINISHED_PHASES: ReadonlySet<OperationInfo['phase']> = new Set(['Succeeded', 'Failed', 'Error']);

/** States whose rendering shows the app's health; elsewhere a health change alone is not worth a Slack update. */
const HEALTH_SHOWN: ReadonlySet<CardState> = new Set(['succeeded', 'degraded']);

const startedAfter = (at: string | undefined, reference: number) =>
  !at || Date.parse(at) >= reference - CLOCK_SKEW_MS;

function stateAfterOperation(op: OperationInfo, health: string | undefined): CardState {
  if (op.phase === 'Running' || op.phase === 'Terminating') return 'syncing';
  if (op.phase === 'Failed' || op.phase === 'Error') return 'failed';
  return stateForHealth(health) ?? 'syncing';
}

/** After a successful sync: deployed, degraded, or (Progressing, Unknown) still under way. */
function stateForHealth(health: string | undefined): CardState | undefined {
  if (health === 'Degraded' || health === 'Missing') return 'degraded';
  if (health === 'Healthy' || health === 'Suspended') return 'succeeded';
  return undefined;
}

/** The operation on the snapshot that belongs to this card, if any. */
export function operationForCard(card: Card, snap: AppSnapshot): OperationInfo | undefined {
  const op = snap.operation;
  if (!op) return undefined;
  if (card.ignoreOperationStartedAt && op.startedAt === card.ignoreOperationStartedAt) return undefined;
  // A read that started before the card's operation finished can arrive after it: never step back.
  if (
    card.operation &&
    op.startedAt === card.operation.startedAt &&
    FINISHED_PHASES.has(card.operation.phase) &&
    !FINISHED_PHASES.has(op.phase)
  )
    return undefined;
  if (card.state === 'rolling-back') {
    return card.rollback &&
      op.revision === card.rollback.revision &&
      startedAfter(op.startedAt, card.rollback.at)
      ? op
      : undefined;
  }
  if (op.revision !== card.revision) return undefined;
  // Info cards are born from an operation already under way; approval cards only follow operations after them.
  return card.kind === 'info' || startedAfter(op.startedAt, card.createdAt) ? op : undefined;
}

/**
 * A syncing card whose operation ended while nobody watched, and a newer operation has replaced it
 * on the app: history records every successful deployment, so it tells whether this one made it.
 */
function deployedWhileUnwatched(card: Card, snap: AppSnapshot): boolean {
  const since = Date.parse(card.operation?.startedAt ?? '') || card.createdAt;
  return snap.history.some(
    (h) =>
      h.revision === card.revision &&
      startedAfter(
        h.deployStartedAt ?? h.deployedAt,
        card.kind === 'info' ? since : Math.max(since, card.createdAt),
      ),
  );
}

/**
 * Level-triggered: given what Argo CD says now, returns the card as it should be, or undefined if nothing changed.
 * Used for notifications, the follower's polls and the reconciler alike.
 */
export function observeApp(card: Card, snap: AppSnapshot, now: number): Card | undefined {
  // Rejected, superseded, expired and rolled-back cards are history: the app's later life is not theirs.
  if (TERMINAL_STATES.has(card.state)) return undefined;
  const next: Card = {
    ...card,
    health: snap.health ?? card.health,
    syncStatus: snap.syncStatus ?? card.syncStatus,
  };
  const op = operationForCard(card, snap);
  switch (card.state) {
    case 'pending':
    case 'approved':
    case 'syncing':
    case 'failed':
      if (op && !(card.state === 'failed' && op.phase !== 'Running' && sameOperation(card.operation, op))) {
        next.operation = op;
        next.state = stateAfterOperation(op, snap.health);
        if (next.state !== 'failed') next.notice = undefined;
      } else if (card.state === 'syncing' && !op && deployedWhileUnwatched(card, snap)) {
        // Still running here: wait for its health. Replaced since: it was deployed, its health is no longer its own.
        const state = liveRevision(snap) === card.revision ? stateForHealth(snap.health) : 'succeeded';
        if (state) {
          next.state = state;
          next.operation = { ...card.operation, phase: 'Succeeded', revision: card.revision };
          next.notice = undefined;
        }
      } else if (
        card.state === 'syncing' &&
        !op &&
        !snap.operationRunning &&
        card.syncRequestedAt !== undefined &&
        now - card.syncRequestedAt > SYNC_START_GRACE_MS
      ) {
        // The replica that claimed the sync died before Argo CD heard of it: say so, and offer Retry.
        const message =
          'Argo CD never started the sync deploybot was about to request (the bot restarted?). Press Retry.';
        next.state = 'failed';
        next.operation = { ...card.operation, phase: 'Failed', message, revision: card.revision };
      }
      break;
    case 'succeeded':
    case 'degraded':
      // Health is about what runs: once another revision is deployed, this card's health is frozen.
      if (liveRevision(snap) === card.revision) {
        const byHealth = stateForHealth(snap.health);
        if (byHealth === 'degraded') next.state = 'degraded';
        else if (byHealth === 'succeeded' && card.state === 'degraded') next.state = 'succeeded';
      } else next.health = card.health;
      break;
    case 'rolling-back':
      if (op) {
        next.operation = op;
        if (op.phase === 'Succeeded') next.state = 'rolled-back';
        else if (op.phase === 'Failed' || op.phase === 'Error') {
          next.state = snap.health === 'Degraded' ? 'degraded' : 'succeeded';
          next.notice = `Rollback failed: ${op.message ?? op.phase}`;
        }
      }
      break;
    default:
      break;
  }
  if (isSame(card, next)) return undefined;
  next.updatedAt = now;
  return next;
}

function sameOperation(a: OperationInfo | undefined, b: OperationInfo): boolean {
  return Boolean(a) && a?.startedAt === b.startedAt && a?.phase === b.phase;
}

/** Equal as far as the card shows: a change elsewhere (sync status, unseen health) costs no Slack update. */
function isSame(a: Card, b: Card): boolean {
  return (
    a.state === b.state &&
    (!HEALTH_SHOWN.has(b.state) || a.health === b.health) &&
    a.notice === b.notice &&
    a.operation?.phase === b.operation?.phase &&
    a.operation?.message === b.operation?.message &&
    a.operation?.startedAt === b.operation?.startedAt
  );
}
