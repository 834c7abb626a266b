import type { AppSnapshot } from './app-snapshot.js';
import type { Card, CardState, OperationInfo } from './card.js';

// Clocks of Argo CD and deploybot differ a little; an operation is "for this card" if it started after the card, give or take this.
const CLOCK_SKEW_MS = 60_000;

const startedAfter = (op: OperationInfo, at: number) =>
  !op.startedAt || Date.parse(op.startedAt) >= at - CLOCK_SKEW_MS;

function stateAfterOperation(op: OperationInfo, health: string | undefined): CardState {
  if (op.phase === 'Running' || op.phase === 'Terminating') return 'syncing';
  if (op.phase === 'Failed' || op.phase === 'Error') return 'failed';
  if (health === 'Degraded' || health === 'Missing') return 'degraded';
  if (health === 'Healthy' || health === 'Suspended') return 'succeeded';
  // Synced but not yet healthy: the deploy is still under way.
  return 'syncing';
}

/** The operation on the snapshot that belongs to this card, if any. */
export function operationForCard(card: Card, snap: AppSnapshot): OperationInfo | undefined {
  const op = snap.operation;
  if (!op) return undefined;
  if (card.ignoreOperationStartedAt && op.startedAt === card.ignoreOperationStartedAt) return undefined;
  if (card.state === 'rolling-back') {
    return card.rollback && op.revision === card.rollback.revision && startedAfter(op, card.rollback.at)
      ? op
      : undefined;
  }
  if (op.revision !== card.revision) return undefined;
  // Info cards are born from an operation already under way; approval cards only follow operations after them.
  return card.kind === 'info' || startedAfter(op, card.createdAt) ? op : undefined;
}

/**
 * Level-triggered: given what Argo CD says now, returns the card as it should be, or undefined if nothing changed.
 * Used for notifications, the follower's polls and the reconciler alike.
 */
export function observeApp(card: Card, snap: AppSnapshot, now: number): Card | undefined {
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
      }
      break;
    case 'succeeded':
    case 'degraded':
      if (snap.targetRevision === card.revision || snap.syncStatus === 'Synced') {
        if (snap.health === 'Degraded') next.state = 'degraded';
        else if (snap.health === 'Healthy' && card.state === 'degraded') next.state = 'succeeded';
      }
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

function isSame(a: Card, b: Card): boolean {
  return (
    a.state === b.state &&
    a.health === b.health &&
    a.syncStatus === b.syncStatus &&
    a.notice === b.notice &&
    a.operation?.phase === b.operation?.phase &&
    a.operation?.message === b.operation?.message &&
    a.operation?.startedAt === b.operation?.startedAt
  );
}
