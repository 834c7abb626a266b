import { audit, auditDenial, claimDenialNote } from '../cards/audit.js';
import type { CardService } from '../cards/card-service.js';
import { readRollouts, rolloutRef } from '../cards/read-rollouts.js';
import { describeError, isServiceError } from '../clients/describe-error.js';
import type { Card } from '../domain/card.js';
import { lastRolloutAction, transitioned } from '../domain/card-transitions.js';
import { decide, type PolicyAction } from '../domain/policy/index.js';
import {
  availableRolloutActions,
  describeRolloutStep,
  ROLLOUT_ACTION_LABELS,
  type RolloutAction,
  type RolloutView,
  rolloutStepToken,
  toRolloutView,
} from '../domain/rollout-view.js';
import { describeRollout } from '../render/card-rollouts.js';
import { StoreUnavailableError } from '../store/store.js';
import type { ActionPorts } from './action-deps.js';
import type { ActionOutcome } from './action-outcome.js';
import type { ClickOrigin } from './action-service.js';
import { withAppLock } from './app-lock.js';
import { buildPolicyInput } from './resolve-policy-input.js';

/** What a Rollout button carries: `<cardId>|<rolloutName>|<stepToken>`. None of it authorizes anything. */
export interface RolloutPress {
  cardId: string;
  rollout: string;
  token: string;
}

export function parseRolloutPress(value: unknown): RolloutPress | undefined {
  if (typeof value !== 'string' || value.length > 400) return undefined;
  const [cardId, rollout, token, ...rest] = value.split('|');
  if (!cardId || !rollout || !token || rest.length > 0) return undefined;
  return { cardId, rollout, token };
}

const POLICY_ACTIONS: Record<RolloutAction, PolicyAction> = {
  resume: 'promote-rollout',
  'promote-full': 'promote-full-rollout',
  abort: 'abort-rollout',
  retry: 'retry-rollout',
};

/** Long enough for a neighbour replica's press (one read, one action, one read) to finish first. */
const LOCK_WAIT_MS = 8_000;

/** Rules that only say the press came too late: answered to the clicker, never noted in the thread. */
const QUIET_RULES: ReadonlySet<string> = new Set(['not-rolling-out']);

/** Starts (or hurries) the Rollout follower of a card after an action. */
export type FollowRollouts = (cardId: string) => void;

/**
 * Promote, Promote fully, Abort and Retry of an Argo Rollout. The policy decides from the stored card
 * and the Slack user Slack verified; then, under the app lock (one deploybot action per app at a time,
 * across replicas), the live Rollout is read and must still be in the state the press was made for
 * (its step token) with the action available; only then is the one resource action sent, audited and
 * told in the thread. Any number of presses, on any number of replicas, run one action per step: the
 * first changes the Rollout, and every later one finds another token and is refused as stale, naming
 * where the Rollout is now.
 */
export class RolloutActionService {
  constructor(
    private readonly ctx: ActionPorts,
    private readonly cards: CardService,
    private readonly followRollouts: FollowRollouts,
  ) {}

  async run(action: RolloutAction, press: RolloutPress, origin: ClickOrigin): Promise<ActionOutcome> {
    const label = ROLLOUT_ACTION_LABELS[action];
    try {
      return await this.runChecked(action, press, origin);
    } catch (error) {
      if (error instanceof StoreUnavailableError)
        return { kind: 'try-again', reason: 'the state store is unreachable' };
      (origin.log ?? this.ctx.logger).error(
        { err: error, action, cardId: press.cardId },
        'rollout action failed',
      );
      return {
        kind: 'refused',
        message: isServiceError(error)
          ? `${label} did not run: ${describeError(error)}`
          : 'deploybot hit an internal error; nothing was changed. Please try again.',
      };
    }
  }

  private async runChecked(
    action: RolloutAction,
    press: RolloutPress,
    origin: ClickOrigin,
  ): Promise<ActionOutcome> {
    const policyAction = POLICY_ACTIONS[action];
    const card = await this.cards.repo.get(press.cardId);
    if (!card)
      return { kind: 'denied', rule: 'unknown-card', reason: 'This card is not known to deploybot.' };
    if (
      (origin.messageTs && card.ts && origin.messageTs !== card.ts) ||
      (origin.channel && origin.channel !== card.channel)
    )
      return {
        kind: 'denied',
        rule: 'card-mismatch',
        reason: 'This button does not belong to the card it was pressed on.',
      };
    const denied = await this.decide(policyAction, card, origin);
    if (denied) return denied;
    const shown = card.rollouts?.find((v) => v.name === press.rollout);
    if (!shown)
      return {
        kind: 'refused',
        message: `This card shows no Rollout named ${press.rollout}; nothing was run.`,
      };

    const locked = await withAppLock(this.ctx.store, card.app, LOCK_WAIT_MS, () =>
      this.underLock(action, press, shown, origin),
    );
    if (locked.locked) return locked.value;
    return {
      kind: 'refused',
      message: `Another deploybot action on ${card.app.name} is running right now; nothing was run. Press ${ROLLOUT_ACTION_LABELS[action]} again in a moment if it is still needed.`,
    };
  }

  /** Allowed, or the denial (audited; noted in the thread once per user and card). */
  private async decide(
    action: PolicyAction,
    card: Card,
    origin: ClickOrigin,
  ): Promise<ActionOutcome | undefined> {
    const input = await buildPolicyInput(this.ctx, this.cards.repo, action, card, origin.userId, {
      external: origin.external === true,
    });
    const decision = input
      ? decide(input)
      : ({
          allowed: false,
          rule: 'no-approvers',
          reason: `The environment "${card.environment}" is no longer in the policy file.`,
        } as const);
    if (decision.allowed) return undefined;
    await auditDenial(this.ctx, card, {
      action,
      user: origin.userId,
      rule: decision.rule,
      detail: decision.reason,
    });
    if (!QUIET_RULES.has(decision.rule) && (await claimDenialNote(this.ctx, card.id, origin.userId)))
      this.cards.note(card.id, { type: 'denied', user: origin.userId, action, reason: decision.reason });
    return { kind: 'denied', rule: decision.rule, reason: decision.reason };
  }

  private async underLock(
    action: RolloutAction,
    press: RolloutPress,
    shown: RolloutView,
    origin: ClickOrigin,
  ): Promise<ActionOutcome> {
    const label = ROLLOUT_ACTION_LABELS[action];
    // The card as it is now: a press that waited for the lock sees what the one before it did.
    const card = await this.cards.repo.get(press.cardId);
    if (!card)
      return { kind: 'denied', rule: 'unknown-card', reason: 'This card is not known to deploybot.' };
    const again = await this.decide(POLICY_ACTIONS[action], card, origin);
    if (again) return again;
    let live: RolloutView;
    try {
      live = toRolloutView(await this.ctx.argocd.getRollout(card.app, rolloutRef(shown)));
    } catch (error) {
      return this.refuse(card, action, origin.userId, `${label} did not run: ${describeError(error)}`);
    }
    const stale =
      rolloutStepToken(live) !== press.token ||
      !availableRolloutActions(live).includes(action) ||
      lastRolloutAction(card, press.rollout)?.token === press.token;
    if (stale) {
      await this.showLive(card);
      const detail = `This ${label} was pressed for an earlier state of ${press.rollout}; it is now at ${describeRollout(live)}. Nothing was run.`;
      await audit(this.ctx, card, {
        action: policyName(action),
        outcome: 'refused',
        user: origin.userId,
        rule: 'stale',
        detail,
      });
      return { kind: 'refused', message: detail };
    }
    try {
      await this.ctx.argocd.runResourceAction(card.app, rolloutRef(live), action);
    } catch (error) {
      // Sync windows do not govern resource actions: a permission refusal is the account's RBAC.
      const message = describeError(error, { blockingWindow: null });
      return this.refuse(card, action, origin.userId, `${label} did not run: ${message}`);
    }
    const before = describeRolloutStep(live);
    const read = await readRollouts(this.ctx.argocd, card.app).catch(() => undefined);
    const views = read?.views ?? card.rollouts ?? [];
    await this.cards.change(card.id, (c) =>
      transitioned(
        c,
        {
          kind: 'rollout-action',
          rollout: press.rollout,
          action,
          token: press.token,
          user: origin.userId,
          rollouts: views,
          total: read?.total ?? c.rolloutCount ?? views.length,
        },
        this.ctx.now(),
      ),
    );
    await audit(this.ctx, card, {
      action: policyName(action),
      outcome: 'started',
      user: origin.userId,
      detail: `${press.rollout} at ${before}`,
    });
    const after = views.find((v) => v.name === press.rollout);
    this.cards.note(card.id, {
      type: 'rollout',
      rollout: press.rollout,
      user: origin.userId,
      action,
      detail: `at ${before}${after ? `; now ${describeRollout(after)}` : ''}`,
    });
    this.followRollouts(card.id);
    return { kind: 'done', message: `${label} sent to Argo CD for ${press.rollout} (${before}).` };
  }

  /** A stale press still brings the card up to date, so the next press is made for what runs. */
  private async showLive(card: Card): Promise<void> {
    try {
      const read = await readRollouts(this.ctx.argocd, card.app);
      await this.cards.change(card.id, (c) =>
        transitioned(
          c,
          { kind: 'observe-rollouts', rollouts: read.views, total: read.total },
          this.ctx.now(),
        ),
      );
    } catch (error) {
      this.ctx.logger.warn(
        { err: error, cardId: card.id },
        'could not refresh the Rollouts after a stale press',
      );
    }
  }

  private async refuse(
    card: Card,
    action: RolloutAction,
    user: string,
    message: string,
  ): Promise<ActionOutcome> {
    await audit(this.ctx, card, { action: policyName(action), outcome: 'refused', user, detail: message });
    this.cards.note(card.id, { type: 'refused', action: ROLLOUT_ACTION_LABELS[action], message });
    return { kind: 'refused', message };
  }
}

/** The audit's action names: `rollout-resume`, `rollout-promote-full`, `rollout-abort`, `rollout-retry`. */
function policyName(action: RolloutAction): string {
  return `rollout-${action}`;
}
