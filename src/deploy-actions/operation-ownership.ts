import type { Application } from '../clients/argocd/application-schema.js';
import { appLabel } from '../domain/app-label.js';
import { type Card, shortSha } from '../domain/card.js';

/** The `info` entry that names the card in every sync deploybot requests (shown in Argo CD's UI too). */
export const CARD_INFO = 'deploybot card';

// Argo CD's clock and deploybot's differ a little; the card model allows the same (see observe-app).
const CLOCK_SKEW_MS = 60_000;

/** An Argo CD operation as the ownership rules see it. */
export interface SeenOperation {
  /** Requested but not started by the controller yet (no operationState for it). */
  pending: boolean;
  phase?: string;
  revision?: string;
  startedAt?: string;
  initiatedBy?: string;
  automated?: boolean;
  /** The deploybot card the operation's info names, when deploybot requested it. */
  cardId?: string;
}

type OperationSpec = NonNullable<Application['operation']>;

const cardNamedIn = (spec: OperationSpec | null | undefined) =>
  spec?.info?.find((entry) => entry.name === CARD_INFO)?.value;

/** The last operation Argo CD reports (status.operationState), running or finished. */
export function lastOperation(app: Application): SeenOperation | undefined {
  const state = app.status?.operationState;
  if (!state?.phase) return undefined;
  return {
    pending: false,
    phase: state.phase,
    revision: state.syncResult?.revision ?? state.operation?.sync?.revision ?? undefined,
    startedAt: state.startedAt ?? undefined,
    initiatedBy: state.operation?.initiatedBy?.username ?? undefined,
    automated: state.operation?.initiatedBy?.automated ?? undefined,
    cardId: cardNamedIn(state.operation),
  };
}

/** The operation that runs now, or has been requested and not picked up yet; undefined when none does. */
export function currentOperation(app: Application): SeenOperation | undefined {
  const last = lastOperation(app);
  if (last && (last.phase === 'Running' || last.phase === 'Terminating')) return last;
  const requested = app.operation;
  if (!requested) return undefined;
  return {
    pending: true,
    revision: requested.sync?.revision ?? undefined,
    initiatedBy: requested.initiatedBy?.username ?? undefined,
    automated: requested.initiatedBy?.automated ?? undefined,
    cardId: cardNamedIn(requested),
  };
}

const startedSince = (op: SeenOperation, since: number) =>
  op.startedAt === undefined ? op.pending : Date.parse(op.startedAt) >= since - CLOCK_SKEW_MS;

/**
 * Whether `op` is the sync this card asked for: it names the card, or (an Argo CD that keeps no info)
 * it syncs the card's revision, by a person, and started at or after the card's sync request.
 */
export function isCardSync(card: Card, op: SeenOperation): boolean {
  if (op.cardId !== undefined) return op.cardId === card.id;
  return (
    card.syncRequestedAt !== undefined &&
    op.revision === card.revision &&
    op.automated !== true &&
    startedSince(op, card.syncRequestedAt)
  );
}

/** Whether `op` is the rollback this card asked for (a rollback request carries no info). */
export function isCardRollback(card: Card, op: SeenOperation): boolean {
  const rollback = card.rollback;
  return (
    rollback !== undefined &&
    op.cardId === undefined &&
    op.revision !== undefined &&
    op.revision === rollback.revision &&
    op.automated !== true &&
    startedSince(op, rollback.at)
  );
}

export type Ownership = { ours: true } | { ours: false; reason: string };

function describeOperation(op: SeenOperation): string {
  const what = op.automated ? 'an automated sync' : 'an operation';
  const of = op.revision ? ` of ${shortSha(op.revision)}` : '';
  const by = op.cardId
    ? ` requested from another deploybot card`
    : op.initiatedBy
      ? ` started by ${op.initiatedBy}`
      : '';
  const at = op.startedAt ? ` at ${op.startedAt}` : op.pending ? ' (not started yet)' : '';
  return `${what}${of}${by}${at}`;
}

/**
 * Whether the operation running on the app now is this card's own: its sync (syncing cards) or its
 * rollback (rolling-back cards). Anything else (a sync from the Argo CD UI, auto-sync, another card)
 * is not the card's to stop; the reason names what runs.
 */
export function ownRunningOperation(card: Card, app: Application): Ownership {
  const op = currentOperation(app);
  if (!op) return { ours: false, reason: `no operation is running on ${appLabel(card.app)}` };
  const ours =
    card.state === 'rolling-back'
      ? isCardRollback(card, op)
      : card.state === 'syncing' && isCardSync(card, op);
  if (ours) return { ours: true };
  return {
    ours: false,
    reason: `the running operation on ${appLabel(card.app)} is not this card's: ${describeOperation(op)}`,
  };
}
