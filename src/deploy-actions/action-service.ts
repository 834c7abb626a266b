import { audit, auditDenial, claimDenialNote } from '../cards/audit.js';
import type { CardService } from '../cards/card-service.js';
import type { OperationFollower } from '../cards/operation-follower.js';
import { describeError, isServiceError } from '../clients/describe-error.js';
import type { OpenRevertPullRequest } from '../clients/github/revert-port.js';
import type { Card } from '../domain/card.js';
import { type CardEvent, transitioned } from '../domain/card-transitions.js';
import {
  approvalsRequired,
  type Decision,
  decide,
  freezeInForce,
  type PolicyAction,
  type PolicyInput,
} from '../domain/policy/index.js';
import type { Logger } from '../logging/create-logger.js';
import { StoreUnavailableError } from '../store/store.js';
import { abortOwnOperation } from './abort-operation.js';
import type { ActionDeps, ActionPorts } from './action-deps.js';
import type { ActionOutcome } from './action-outcome.js';
import { announceBreakGlass } from './announce-break-glass.js';
import { openRevert } from './open-revert.js';
import { buildPolicyInput } from './resolve-policy-input.js';
import { startRollback } from './start-rollback.js';
import { startSync } from './start-sync.js';

/** Where the click came from: the message it was on must be the stored card's own message. */
export interface ClickOrigin {
  userId: string;
  channel?: string;
  messageTs?: string;
  /** The user is from another workspace (Slack Connect), as Slack's signed payload says: "*" does not admit them. */
  external?: boolean;
  /** The click's own logger (action, user, card): every step the click causes logs through it. */
  log?: Logger;
}

type Guarded = { card: Card; input: PolicyInput } | { outcome: ActionOutcome };

/**
 * Refusals that only say the card moved on (someone else was faster): audited, answered to the
 * clicker, but kept out of the thread so that fifty simultaneous clicks leave one trace, not fifty.
 */
const QUIET_RULES: ReadonlySet<string> = new Set([
  'already-approved',
  'not-pending',
  'not-deployed',
  'no-operation',
  'not-failed',
  'revert-pr-exists',
]);

/** How long a completed approval may wait for its sync to start before a new click may restart it. */
const STALL_MS = 3_000;

function isStalled(card: Card, now: number, required: number): boolean {
  if (card.kind !== 'approval' || card.state !== 'approved') return false;
  const approvers = new Set(card.approvals.map((a) => a.user));
  const last = Math.max(0, ...card.approvals.map((a) => a.at));
  return approvers.size >= required && now - last >= STALL_MS;
}

/** How long an approval pressed right after the card appeared waits for its changelog to be read. */
const ENRICHMENT_WAIT_MS = 2_000;

/** Not policy rules: the click itself does not fit the stored card. */
const UNKNOWN_CARD = 'unknown-card';
const CARD_MISMATCH = 'card-mismatch';

/**
 * Every button goes through here: the decision is taken from the stored card and the policy, never
 * from what the click carried, and each write is a version-checked change so concurrent clicks on
 * any number of replicas cannot run a deploy twice.
 */
export class ActionService {
  private readonly deps: ActionDeps;

  constructor(
    private readonly ctx: ActionPorts,
    private readonly cards: CardService,
    follower: OperationFollower,
    private readonly openRevertPullRequest?: OpenRevertPullRequest,
  ) {
    this.deps = { ctx, cards, follower };
  }

  /**
   * Loads the stored card and decides; `record: false` only checks (nothing audited or noted).
   * `asIf` lets the policy judge the card as it was at an earlier step (see resumeStalled).
   */
  private async guard(
    action: PolicyAction,
    cardOrId: string | Card | undefined,
    origin: ClickOrigin,
    record = true,
    asIf: (card: Card) => Card = (card) => card,
    /** False where the caller decides inside its version-checked write anyway (approve, break glass). */
    decideHere = true,
  ): Promise<Guarded> {
    const card = typeof cardOrId === 'string' ? await this.cards.repo.get(cardOrId) : cardOrId;
    if (!card)
      return {
        outcome: { kind: 'denied', rule: UNKNOWN_CARD, reason: 'This card is not known to deploybot.' },
      };
    if (
      (origin.messageTs && card.ts && origin.messageTs !== card.ts) ||
      (origin.channel && origin.channel !== card.channel)
    ) {
      const reason = 'This button does not belong to the card it was pressed on.';
      return this.deny(card, origin.userId, action, CARD_MISMATCH, reason, record);
    }
    const resolved = await buildPolicyInput(this.ctx, this.cards.repo, action, card, origin.userId, {
      external: origin.external === true,
    });
    // Where the user comes from is only known from the click itself (Slack signed it), not from the store.
    const input = resolved && {
      ...resolved,
      actor: { ...resolved.actor, external: origin.external === true },
    };
    if (!input) {
      const reason = `The environment "${card.environment}" is no longer in the policy file.`;
      return this.deny(card, origin.userId, action, 'no-approvers', reason, record);
    }
    if (!decideHere) return { card, input };
    const decision = decide({ ...input, card: asIf(card) });
    if (!decision.allowed)
      return this.deny(card, origin.userId, action, decision.rule, decision.reason, record);
    return { card, input };
  }

  private async deny(
    card: Card,
    userId: string,
    action: string,
    rule: string,
    reason: string,
    record = true,
  ): Promise<{ outcome: ActionOutcome }> {
    if (record) {
      // Counted apart from the decisions (so no number of clicks evicts an approval from the audit), and
      // noted in the thread once per user and card: repeated clicks must not ping the channel again.
      await auditDenial(this.ctx, card, { action, user: userId, rule, detail: reason });
      if (!QUIET_RULES.has(rule) && (await claimDenialNote(this.ctx, card.id, userId)))
        this.cards.note(card.id, { type: 'denied', user: userId, action, reason });
    }
    return { outcome: { kind: 'denied', rule, reason } };
  }

  /**
   * Re-decides against the latest stored card inside the version-checked write (concurrent clicks on
   * any replica see each other) and, when allowed, applies the approval-like event. The policy's current
   * requiredApprovals goes on the card, so it shows what the decision counted (it may have changed).
   */
  private async decideInWrite(
    cardId: string,
    input: PolicyInput,
    event: (requiredApprovals: number) => CardEvent,
  ): Promise<{ decision?: Decision; updated?: Card }> {
    let decision: Decision | undefined;
    const updated = await this.cards.change(cardId, (card) => {
      const now = this.ctx.now();
      decision = decide({ ...input, card, now });
      if (!decision.allowed) return undefined;
      return transitioned(card, event(input.environment.requiredApprovals), now);
    });
    return { decision, updated };
  }

  /** Runs an action, turning a store outage into "try again" (fail closed: nothing runs later). */
  private async safely(
    action: string,
    cardId: string,
    origin: ClickOrigin,
    run: () => Promise<ActionOutcome>,
  ): Promise<ActionOutcome> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof StoreUnavailableError)
        return { kind: 'try-again', reason: 'the state store is unreachable' };
      (origin.log ?? this.ctx.logger).error({ err: error, action, cardId }, 'action failed');
      // A service's refusal is told in the one mapper's words; our own bug is not described to the user.
      return {
        kind: 'refused',
        message: isServiceError(error)
          ? describeError(error)
          : 'deploybot hit an internal error; nothing was changed. Please try again.',
      };
    }
  }

  approve(cardId: string, origin: ClickOrigin): Promise<ActionOutcome> {
    return this.safely('approve', cardId, origin, async () => {
      // One read serves both the stalled-approval check and the decision.
      let stored = await this.cards.repo.get(cardId);
      if (stored?.changelog.pending && (await this.cards.firstEnrichment(cardId, ENRICHMENT_WAIT_MS)))
        stored = await this.cards.repo.get(cardId);
      const resumed = stored && (await this.resumeStalled(stored, origin));
      if (resumed) return resumed;
      // Decided once, inside the write below, from the card as stored then.
      const guarded = await this.guard('approve', stored, origin, true, undefined, false);
      if ('outcome' in guarded) return guarded.outcome;
      const { decision, updated } = await this.decideInWrite(cardId, guarded.input, (requiredApprovals) => ({
        kind: 'approve',
        user: origin.userId,
        requiredApprovals,
      }));
      if (!decision || !updated) return { kind: 'refused', message: 'The card could not be updated.' };
      if (!decision.allowed)
        return (await this.deny(updated, origin.userId, 'approve', decision.rule, decision.reason)).outcome;
      await audit(this.ctx, updated, { action: 'approve', outcome: 'allowed', user: origin.userId });
      // The approval that completes the card is told by the sync's own note ("approved by … — syncing").
      if (decision.thresholdReached) return startSync(this.deps, updated, false);
      const required = approvalsRequired(guarded.input.environment);
      this.cards.note(cardId, {
        type: 'approved',
        user: origin.userId,
        approvals: updated.approvals.length,
        required,
      });
      return { kind: 'done', message: `Approval recorded (${updated.approvals.length} of ${required}).` };
    });
  }

  /**
   * A card whose approvals are complete but whose sync never started (the store went away between
   * the two steps, or the replica died): nothing restarts it by itself, but a new Approve click from
   * anyone who may approve it now does. The approved → syncing change still admits only one caller.
   */
  private async resumeStalled(card: Card, origin: ClickOrigin): Promise<ActionOutcome | undefined> {
    // Counted against the policy as it is now: a lowered requiredApprovals completes the card.
    const environment = this.ctx.config.policy.environments[card.environment];
    const required = environment ? approvalsRequired(environment) : Math.max(1, card.requiredApprovals);
    if (!isStalled(card, this.ctx.now(), required)) return undefined;
    const guarded = await this.guard('approve', card, origin, true, (c) => ({
      ...c,
      state: 'pending',
      approvals: [],
    }));
    if ('outcome' in guarded) return guarded.outcome;
    await audit(this.ctx, card, { action: 'approve', outcome: 'resumed', user: origin.userId });
    return startSync(this.deps, card, false);
  }

  /**
   * Break glass: an approval through the freeze, with the reason given in the modal. Decided like an
   * approval (from the stored card, re-decided inside the version-checked write, so two racing submits
   * give one approval and one sync), then told on the card, in its thread and in channels.releases.
   */
  breakGlass(cardId: string, origin: ClickOrigin, reason: string): Promise<ActionOutcome> {
    return this.safely('break-glass', cardId, origin, async () => {
      const guarded = await this.guard('break-glass', cardId, origin, true, undefined, false);
      if ('outcome' in guarded) return guarded.outcome;
      const { decision, updated } = await this.decideInWrite(cardId, guarded.input, (requiredApprovals) => ({
        kind: 'break-glass',
        user: origin.userId,
        reason,
        requiredApprovals,
      }));
      if (!decision || !updated) return { kind: 'refused', message: 'The card could not be updated.' };
      if (!decision.allowed)
        return (await this.deny(updated, origin.userId, 'break-glass', decision.rule, decision.reason))
          .outcome;
      const freeze = freezeInForce(guarded.input)?.reason;
      await audit(this.ctx, updated, {
        action: 'break-glass',
        outcome: 'allowed',
        user: origin.userId,
        detail: reason,
      });
      const required = approvalsRequired(guarded.input.environment);
      this.cards.note(cardId, {
        type: 'break-glass',
        user: origin.userId,
        reason,
        approvals: updated.approvals.length,
        required,
      });
      await announceBreakGlass(
        {
          releasesChannel: this.ctx.config.policy.channels.releases,
          slack: this.ctx.slack,
          logger: this.ctx.logger,
        },
        updated,
        origin.userId,
        reason,
        freeze,
      );
      if (decision.thresholdReached) return startSync(this.deps, cardId, false);
      return {
        kind: 'done',
        message: `Glass broken: your approval is recorded (${updated.approvals.length} of ${required}).`,
      };
    });
  }

  /** Whether a user may break the glass, without recording anything (the modal's submission is the attempt). */
  mayBreakGlass(cardId: string, origin: ClickOrigin): Promise<ActionOutcome> {
    return this.mayAct('break-glass', cardId, origin);
  }

  /** Decides without recording anything (nothing audited or noted): the early check behind a modal. */
  private mayAct(action: PolicyAction, cardId: string, origin: ClickOrigin): Promise<ActionOutcome> {
    return this.safely(action, cardId, origin, async () => {
      const guarded = await this.guard(action, cardId, origin, false);
      return 'outcome' in guarded ? guarded.outcome : { kind: 'done' };
    });
  }

  /** Release hold: an approver makes a held revision approvable again (audited and noted). */
  releaseHold(cardId: string, origin: ClickOrigin): Promise<ActionOutcome> {
    return this.safely('release-hold', cardId, origin, async () => {
      const guarded = await this.guard('release-hold', cardId, origin);
      if ('outcome' in guarded) return guarded.outcome;
      let released = false;
      const updated = await this.cards.change(cardId, (card) => {
        if (!card.hold) return undefined;
        const next = transitioned(card, { kind: 'release-hold' }, this.ctx.now());
        released = next !== undefined;
        return next;
      });
      if (!updated || !released) return { kind: 'refused', message: 'The card is no longer held.' };
      await audit(this.ctx, updated, { action: 'release-hold', outcome: 'allowed', user: origin.userId });
      this.cards.note(cardId, { type: 'hold-released', user: origin.userId });
      return {
        kind: 'done',
        message:
          updated.state === 'pending' ? 'Hold released: the card can be approved again.' : 'Hold released.',
      };
    });
  }

  retry(cardId: string, origin: ClickOrigin): Promise<ActionOutcome> {
    return this.safely('retry', cardId, origin, async () => {
      const guarded = await this.guard('retry', cardId, origin);
      if ('outcome' in guarded) return guarded.outcome;
      let claimed = false;
      await this.cards.change(cardId, (card) => {
        const next = transitioned(card, { kind: 'retry' }, this.ctx.now());
        claimed = next !== undefined;
        return next;
      });
      if (!claimed) return { kind: 'refused', message: 'The card is no longer waiting for a retry.' };
      await audit(this.ctx, guarded.card, { action: 'retry', outcome: 'allowed', user: origin.userId });
      return startSync(this.deps, cardId, true);
    });
  }

  reject(cardId: string, origin: ClickOrigin, reason: string): Promise<ActionOutcome> {
    return this.safely('reject', cardId, origin, async () => {
      const guarded = await this.guard('reject', cardId, origin);
      if ('outcome' in guarded) return guarded.outcome;
      let claimed = false;
      const updated = await this.cards.change(cardId, (card) => {
        const next = transitioned(card, { kind: 'reject', user: origin.userId, reason }, this.ctx.now());
        claimed = next !== undefined;
        return next;
      });
      if (!updated || !claimed)
        return { kind: 'refused', message: 'The card is no longer waiting for a decision.' };
      await audit(this.ctx, updated, {
        action: 'reject',
        outcome: 'allowed',
        user: origin.userId,
        detail: reason,
      });
      this.cards.note(cardId, { type: 'rejected', user: origin.userId, reason });
      return { kind: 'done' };
    });
  }

  /**
   * Whether a user may reject, without recording anything: the modal opens before this answers and
   * the submission is the attempt that gets decided and audited.
   */
  mayReject(cardId: string, origin: ClickOrigin): Promise<ActionOutcome> {
    return this.mayAct('reject', cardId, origin);
  }

  rollback(cardId: string, origin: ClickOrigin): Promise<ActionOutcome> {
    return this.safely('rollback', cardId, origin, async () => {
      const guarded = await this.guard('rollback', cardId, origin);
      if ('outcome' in guarded) return guarded.outcome;
      const historyId = guarded.card.previousHistoryId;
      if (historyId === undefined)
        return { kind: 'refused', message: 'There is no earlier deployment to roll back to.' };
      return startRollback(this.deps, guarded.card, historyId, origin.userId);
    });
  }

  abort(cardId: string, origin: ClickOrigin): Promise<ActionOutcome> {
    return this.safely('abort', cardId, origin, async () => {
      const guarded = await this.guard('abort', cardId, origin);
      if ('outcome' in guarded) return guarded.outcome;
      // Only the card's own operation: Argo CD's terminate would stop whatever runs on the app.
      return abortOwnOperation(this.deps, guarded.card, origin.userId);
    });
  }

  revertInGit(cardId: string, origin: ClickOrigin): Promise<ActionOutcome> {
    return this.safely('revert-in-git', cardId, origin, async () => {
      const guarded = await this.guard('revert-in-git', cardId, origin);
      if ('outcome' in guarded) return guarded.outcome;
      return openRevert(this.deps, this.openRevertPullRequest, guarded.card, origin.userId);
    });
  }
}
