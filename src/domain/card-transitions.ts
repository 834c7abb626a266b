/**
 * Every change of a deploy card's state, in one place: Argo-driven (observe), click-driven (approve,
 * reject, retry, rollback) and time-driven (expire), plus deploybot's own bookkeeping around a sync or
 * rollback it asks for. Pure: (card, event, now) → the new card and what must happen, or a refusal.
 *
 * The policy decides who may do what (src/domain/policy/); this module only knows which events a card
 * in a given state admits and what they do to it. Callers run it inside their version-checked write and
 * write nothing when it refuses.
 */
import type { AppSnapshot } from './app-snapshot.js';
import {
  AWAITING_DECISION_STATES,
  CARD_STATES,
  type Card,
  type CardState,
  DEPLOYED_STATES,
  failedCard,
  TERMINAL_STATES,
} from './card.js';
import { observeApp } from './observe-app.js';
import type { RolloutAction, RolloutView } from './rollout-view.js';

/** The states whose revision is deployed or being deployed: their Rollouts are this deploy's. */
const ROLLING_OUT_STATES: ReadonlySet<CardState> = new Set(['syncing', 'succeeded', 'degraded']);

/** Rollout actions kept on the card (the audit log has them all). */
const MAX_ROLLOUT_ACTIONS = 20;

/** A deployed revision can be held (reverted in Git); a rolled-back one is held by its rollback. */
const HOLDABLE_STATES: ReadonlySet<CardState> = new Set(['succeeded', 'degraded', 'rolled-back']);

export type CardEvent =
  /** One approval more; `requiredApprovals` is the policy's current number, shown on the card. */
  | { kind: 'approve'; user: string; requiredApprovals: number }
  | { kind: 'reject'; user: string; reason: string }
  /** A failed sync is to be tried again: back to approved, from where the sync is claimed anew. */
  | { kind: 'retry' }
  /**
   * deploybot claims the approved card for the sync it is about to request: `claimId` is the fencing
   * token, `placeholderStartedAt` the placeholder operation's start, `ignoreOperationStartedAt` the
   * app's last operation before it (older news).
   */
  | { kind: 'claim-sync'; claimId: string; placeholderStartedAt: string; ignoreOperationStartedAt?: string }
  /** The sync could not be requested (or never started): failed with `message`, Retry offered. */
  | { kind: 'sync-failed'; message: string }
  | { kind: 'start-rollback'; user: string; historyId: number; ignoreOperationStartedAt?: string }
  /** The rollback request did not start anything: the card goes back to the deployed state it had. */
  | { kind: 'rollback-not-started'; restore: 'succeeded' | 'degraded' }
  /** The approval timeout passed. */
  | { kind: 'expire' }
  /** A newer revision's card replaces this one (`by` absent when the newer one is not known). */
  | { kind: 'supersede'; by?: { cardId: string; channel: string } }
  /** What Argo CD says about the app now (level-triggered; see observeApp). */
  | { kind: 'observe'; snapshot: AppSnapshot }
  /**
   * An approval given through a freeze: counts as `user`'s approval, and the card keeps who broke the
   * glass and why. The policy has checked every other rule (decideBreakGlass).
   */
  | { kind: 'break-glass'; user: string; reason: string; requiredApprovals: number }
  /** The card's revision was reverted in Git by `user`: held (a successful rollback holds by itself, see observe). */
  | { kind: 'hold'; user: string; via: 'rollback' | 'revert' }
  /** An approver lifted the hold: a rolled-back card waits for approval again, from scratch. */
  | { kind: 'release-hold' }
  /** The sync has run longer than the environment's syncTimeout (from Argo CD's startedAt): marked once. */
  | { kind: 'mark-stuck'; syncTimeoutMs: number }
  /** The app's Argo Rollouts as read now (`total` may exceed the views kept). */
  | { kind: 'observe-rollouts'; rollouts: RolloutView[]; total: number }
  /**
   * deploybot ran `action` on the Rollout for the step `token` names, pressed by `user`; `rollouts` is
   * what Argo CD showed after it. A second entry for the same Rollout and step changes nothing.
   */
  | {
      kind: 'rollout-action';
      rollout: string;
      action: RolloutAction;
      token: string;
      user: string;
      rollouts: RolloutView[];
      total: number;
    };

export type CardEventKind = CardEvent['kind'];

/** Every event kind, once: the table and its test enumerate these. */
export const CARD_EVENT_KINDS: readonly CardEventKind[] = [
  'approve',
  'reject',
  'retry',
  'claim-sync',
  'sync-failed',
  'start-rollback',
  'rollback-not-started',
  'expire',
  'supersede',
  'observe',
  'break-glass',
  'hold',
  'release-hold',
  'mark-stuck',
  'observe-rollouts',
  'rollout-action',
];

/** What the caller must do once the new card is stored (the card service notes and publishes any change). */
type CardEffect =
  | { kind: 'start-sync' }
  | { kind: 'send-sync' }
  | { kind: 'send-rollback'; historyId: number };

export type TransitionResult =
  | { ok: true; card: Card; effects: readonly CardEffect[] }
  | { ok: false; reason: string };

type EventOf<K extends CardEventKind> = Extract<CardEvent, { kind: K }>;
type Applied = { card: Card; effects?: readonly CardEffect[] };
type Handler<K extends CardEventKind> = (card: Card, event: EventOf<K>, now: number) => Applied;

/** A cell of the table: what the event does in that state, or why it is not allowed there. */
type TransitionCell<K extends CardEventKind = CardEventKind> =
  | { allowed: true; apply: Handler<K> }
  | { allowed: false; reason: string };

export type TransitionRow = { [K in CardEventKind]: TransitionCell<K> };

/** Per event: the states that admit it and what it does. Spread over the (state × event) table below. */
const RULES: { [K in CardEventKind]: { from: ReadonlySet<CardState>; apply: Handler<K> } } = {
  approve: {
    from: AWAITING_DECISION_STATES,
    apply: (card, { user, requiredApprovals }, now) => ({
      card: {
        ...card,
        approvals: [...card.approvals, { user, at: now }],
        requiredApprovals,
        state: 'approved',
        notice: undefined,
      },
    }),
  },
  reject: {
    from: AWAITING_DECISION_STATES,
    apply: (card, { user, reason }, now) => ({
      card: { ...card, state: 'rejected', notice: undefined, rejection: { user, reason, at: now } },
    }),
  },
  retry: {
    from: new Set(['failed']),
    apply: (card) => ({
      card: { ...card, state: 'approved', notice: undefined },
      effects: [{ kind: 'start-sync' }],
    }),
  },
  'claim-sync': {
    from: new Set(['approved']),
    apply: (card, { claimId, placeholderStartedAt, ignoreOperationStartedAt }, now) => ({
      card: {
        ...card,
        state: 'syncing',
        notice: undefined,
        syncRequestedAt: now,
        syncClaimId: claimId,
        operation: { phase: 'Running', startedAt: placeholderStartedAt, revision: card.revision },
        ignoreOperationStartedAt,
      },
      effects: [{ kind: 'send-sync' }],
    }),
  },
  'sync-failed': {
    from: new Set(['approved', 'syncing']),
    apply: (card, { message }, now) => ({ card: failedCard(card, message, now) }),
  },
  'start-rollback': {
    from: DEPLOYED_STATES,
    apply: (card, { user, historyId, ignoreOperationStartedAt }, now) => ({
      card: {
        ...card,
        state: 'rolling-back',
        notice: undefined,
        ignoreOperationStartedAt,
        rollback: { user, at: now, historyId, revision: card.from?.sha },
      },
      effects: [{ kind: 'send-rollback', historyId }],
    }),
  },
  'rollback-not-started': {
    from: new Set(['rolling-back']),
    apply: (card, { restore }) => ({ card: { ...card, state: restore, rollback: undefined } }),
  },
  expire: {
    from: AWAITING_DECISION_STATES,
    apply: (card) => ({ card: { ...card, state: 'expired' } }),
  },
  supersede: {
    from: AWAITING_DECISION_STATES,
    apply: (card, { by }) => ({
      card: { ...card, state: 'superseded', supersededBy: by },
    }),
  },
  observe: {
    from: new Set(CARD_STATES.filter((state) => !TERMINAL_STATES.has(state))),
    // Nothing worth showing changed: the same card comes back (the caller writes nothing).
    apply: (card, { snapshot }, now) => ({
      card: holdAfterRollback(card, observeApp(card, snapshot, now) ?? card, now),
    }),
  },
  'break-glass': {
    from: AWAITING_DECISION_STATES,
    apply: (card, { user, reason, requiredApprovals }, now) => ({
      card: {
        ...card,
        approvals: [...card.approvals, { user, at: now }],
        breakGlass: [...(card.breakGlass ?? []), { user, reason, at: now }],
        requiredApprovals,
        state: 'approved',
        notice: undefined,
      },
    }),
  },
  hold: {
    from: HOLDABLE_STATES,
    apply: (card, { user, via }, now) => ({
      card: card.hold ? card : { ...card, hold: { user, at: now, via } },
    }),
  },
  'release-hold': {
    from: HOLDABLE_STATES,
    apply: (card, _event, now) => ({ card: releaseHold(card, now) }),
  },
  'mark-stuck': {
    from: new Set(['syncing']),
    apply: (card, { syncTimeoutMs }, now) => ({ card: markStuck(card, syncTimeoutMs, now) }),
  },
  'observe-rollouts': {
    from: new Set(CARD_STATES.filter((state) => !TERMINAL_STATES.has(state))),
    apply: (card, { rollouts, total }) => ({ card: withRollouts(card, rollouts, total) }),
  },
  'rollout-action': {
    from: ROLLING_OUT_STATES,
    apply: (card, { rollout, action, token, user, rollouts, total }, now) => {
      if (lastRolloutAction(card, rollout)?.token === token) return { card };
      const entry = { rollout, action, token, user, at: now };
      const actions = [...(card.rolloutActions ?? []), entry].slice(-MAX_ROLLOUT_ACTIONS);
      return { card: { ...withRollouts(card, rollouts, total), rolloutActions: actions, notice: undefined } };
    },
  },
};

/**
 * The last action run on `rollout` from this card. Only the last one guards against a second action for
 * the same step: a Rollout that was aborted and retried comes back to a step (and token) it had before,
 * and may be promoted from there again.
 */
export function lastRolloutAction(card: Card, rollout: string) {
  return [...(card.rolloutActions ?? [])].reverse().find((a) => a.rollout === rollout);
}

/** The same card when the Rollouts read are what it already shows (the caller then writes nothing). */
function withRollouts(card: Card, rollouts: RolloutView[], total: number): Card {
  const same =
    (card.rolloutCount ?? 0) === total && JSON.stringify(card.rollouts ?? []) === JSON.stringify(rollouts);
  if (same) return card;
  return rollouts.length === 0 && total === 0
    ? { ...card, rollouts: undefined, rolloutCount: undefined }
    : { ...card, rollouts, rolloutCount: total };
}

/**
 * A revision rolled back by deploybot is held: the app still targets it (Git did not move), and without
 * the hold the next approval would deploy exactly what was just undone. The one who rolled back holds it.
 */
function holdAfterRollback(before: Card, after: Card, now: number): Card {
  if (before.state !== 'rolling-back' || after.state !== 'rolled-back' || after.hold) return after;
  const user = after.rollback?.user ?? 'unknown';
  return { ...after, hold: { user, at: now, via: 'rollback' } };
}

/**
 * Lifting the hold. A rolled-back card asks for approval again from scratch: no earlier approval, break
 * glass, operation or announcement carries over, and the approval timeout counts from now. A deployed
 * card that was reverted in Git only stops saying it is held. Unheld cards are left alone.
 */
function releaseHold(card: Card, now: number): Card {
  if (!card.hold) return card;
  if (card.state !== 'rolled-back') return { ...card, hold: undefined };
  return {
    ...card,
    state: 'pending',
    hold: undefined,
    approvals: [],
    breakGlass: undefined,
    rejection: undefined,
    rollback: undefined,
    operation: undefined,
    syncRequestedAt: undefined,
    syncClaimId: undefined,
    stuck: undefined,
    notice: undefined,
    announced: undefined,
    reminderSentAt: undefined,
    createdAt: now,
  };
}

/** Marked once per operation: a pass after the mark, or a second replica, changes nothing. */
function markStuck(card: Card, syncTimeoutMs: number, now: number): Card {
  const op = card.operation;
  if (op?.phase !== 'Running' || !op.startedAt) return card;
  const started = Date.parse(op.startedAt);
  if (Number.isNaN(started) || now - started <= syncTimeoutMs) return card;
  if (card.stuck?.startedAt === op.startedAt) return card;
  return { ...card, stuck: { at: now, startedAt: op.startedAt } };
}

function cell<K extends CardEventKind>(state: CardState, kind: K): TransitionCell<K> {
  const rule = RULES[kind];
  return rule.from.has(state)
    ? { allowed: true, apply: rule.apply }
    : { allowed: false, reason: `${kind} is not allowed on a card that is ${state}` };
}

function row(state: CardState): TransitionRow {
  return {
    approve: cell(state, 'approve'),
    reject: cell(state, 'reject'),
    retry: cell(state, 'retry'),
    'claim-sync': cell(state, 'claim-sync'),
    'sync-failed': cell(state, 'sync-failed'),
    'start-rollback': cell(state, 'start-rollback'),
    'rollback-not-started': cell(state, 'rollback-not-started'),
    expire: cell(state, 'expire'),
    supersede: cell(state, 'supersede'),
    observe: cell(state, 'observe'),
    'break-glass': cell(state, 'break-glass'),
    hold: cell(state, 'hold'),
    'release-hold': cell(state, 'release-hold'),
    'mark-stuck': cell(state, 'mark-stuck'),
    'observe-rollouts': cell(state, 'observe-rollouts'),
    'rollout-action': cell(state, 'rollout-action'),
  };
}

/** The one table: (state × event kind) → what happens, or the refusal. */
export const TRANSITIONS: Readonly<Record<CardState, TransitionRow>> = Object.fromEntries(
  CARD_STATES.map((state) => [state, row(state)]),
) as Record<CardState, TransitionRow>;

/** The card after `event` at `now`, and what must happen; or why the event is not allowed in its state. */
export function transition(card: Card, event: CardEvent, now: number): TransitionResult {
  const found = TRANSITIONS[card.state][event.kind] as TransitionCell;
  if (!found.allowed) return { ok: false, reason: found.reason };
  const applied = (found.apply as (card: Card, event: CardEvent, now: number) => Applied)(card, event, now);
  return { ok: true, card: applied.card, effects: applied.effects ?? [] };
}

/**
 * The new card, or undefined when the event is refused or changes nothing: the shape a version-checked
 * write callback returns (undefined = write nothing).
 */
export function transitioned(card: Card, event: CardEvent, now: number): Card | undefined {
  const result = transition(card, event, now);
  return result.ok && result.card !== card ? result.card : undefined;
}
