import { audit } from '../cards/audit.js';
import { toAppSnapshot } from '../cards/to-app-snapshot.js';
import type { Application } from '../clients/argocd/application-schema.js';
import { ArgoCdError } from '../clients/argocd/argocd-error.js';
import type { Card } from '../domain/card.js';
import { transitioned } from '../domain/card-transitions.js';
import type { ActionDeps } from './action-deps.js';
import type { ActionOutcome } from './action-outcome.js';
import { withAppLock } from './app-lock.js';
import { explainArgoRefusal } from './describe-argo-refusal.js';
import { currentOperation, isCardRollback, lastOperation } from './operation-ownership.js';
import { refuseOnCard } from './refuse-on-card.js';

const LOCK_WAIT_MS = 5_000;

type RollbackClaim = NonNullable<Card['rollback']>;

/** The card still rolls back under this very claim (same person, same moment). */
const holdsRollback = (card: Card, claim: RollbackClaim) =>
  card.state === 'rolling-back' && card.rollback?.at === claim.at && card.rollback.user === claim.user;

/** After an ambiguous failure: did the card's rollback show up on the app? */
function rollbackLanded(card: Card, app: Application, previousStartedAt: string | undefined): boolean {
  const running = currentOperation(app);
  if (running && isCardRollback(card, running)) return true;
  const last = lastOperation(app);
  return last !== undefined && last.startedAt !== previousStartedAt && isCardRollback(card, last);
}

/** Argo CD rollback to the history entry before this card's deploy; one at a time per card and per app. */
export async function startRollback(
  deps: ActionDeps,
  card: Card,
  historyId: number,
  user: string,
): Promise<ActionOutcome> {
  const { ctx, cards } = deps;
  const run = await withAppLock(ctx.store, card.app, LOCK_WAIT_MS, async (): Promise<ActionOutcome> => {
    let lastStartedAt: string | undefined;
    try {
      lastStartedAt = toAppSnapshot(await ctx.argocd.getApplication(card.app), card.app).operation?.startedAt;
    } catch (error) {
      return refuseOnCard(deps, card.id, 'rollback', await explainArgoRefusal(ctx, card.app, error), {
        user,
      });
    }
    let claimed = false;
    let stateBefore = card.state;
    const moved = await cards.change(card.id, (c) => {
      const next = transitioned(
        c,
        { kind: 'start-rollback', user, historyId, ignoreOperationStartedAt: lastStartedAt },
        ctx.now(),
      );
      claimed = next !== undefined;
      if (claimed) stateBefore = c.state;
      return next;
    });
    if (!moved || !claimed || !moved.rollback)
      return moved?.state === 'rolling-back'
        ? { kind: 'done', message: 'A rollback is already under way.' }
        : { kind: 'refused', message: 'The card is no longer deployed; nothing was rolled back.' };
    const rollbackClaim = moved.rollback;
    // Fence: right before the request, the card must still roll back under this claim.
    const current = await cards.repo.get(card.id);
    if (!current || !holdsRollback(current, rollbackClaim))
      return {
        kind: 'refused',
        message: 'The card moved on while deploybot was held up; this attempt sent no rollback to Argo CD.',
      };
    try {
      await ctx.argocd.rollback(card.app, historyId);
    } catch (error) {
      let message = await explainArgoRefusal(ctx, card.app, error);
      let landed = false;
      if (error instanceof ArgoCdError && error.ambiguous) {
        // The request may have landed: look over a bounded window before offering Rollback again.
        const seen = await deps.follower.awaitOperation(card.app, (app) =>
          rollbackLanded(moved, app, lastStartedAt),
        );
        landed = seen === 'landed';
        const seconds = Math.round(deps.follower.landingWindowMs / 1000);
        if (seen === 'not-seen') message = `${message} No rollback showed up on the app within ${seconds} s.`;
        if (seen === 'stopped')
          message = `${message} deploybot stopped before it could tell whether the rollback started; check the app in Argo CD.`;
      }
      if (!landed) {
        // Nothing started: the card goes back to deployed, with Rollback still offered.
        const restore = stateBefore === 'degraded' ? 'degraded' : 'succeeded';
        await cards.change(card.id, (c) =>
          holdsRollback(c, rollbackClaim)
            ? transitioned(c, { kind: 'rollback-not-started', restore }, ctx.now())
            : undefined,
        );
        return refuseOnCard(deps, card.id, 'rollback', message, { user });
      }
    }
    await audit(ctx, card, {
      action: 'rollback',
      outcome: 'started',
      user,
      detail: `history ${historyId}`,
    });
    cards.note(card.id, { type: 'rollback-started', user, revision: card.from?.sha, historyId });
    void deps.follower.follow(card.id);
    return { kind: 'done', message: 'Rollback started.' };
  });
  if (run.locked) return run.value;
  return refuseOnCard(
    deps,
    card.id,
    'rollback',
    'Another deploybot action on this app is still running; try the rollback again once it has finished.',
    { user },
  );
}
