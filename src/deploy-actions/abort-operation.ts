import { audit } from '../cards/audit.js';
import type { Card } from '../domain/card.js';
import type { ActionDeps } from './action-deps.js';
import type { ActionOutcome } from './action-outcome.js';
import { withAppLock } from './app-lock.js';
import { explainArgoRefusal } from './describe-argo-refusal.js';
import { ownRunningOperation } from './operation-ownership.js';
import { refuseOnCard } from './refuse-on-card.js';

const LOCK_WAIT_MS = 5_000;

/**
 * Abort terminates the card's own operation only. Argo CD's terminate stops whatever runs on the app,
 * so the app is read first: the running operation must be the card's sync (it names the card, or syncs
 * its revision and started after the card's request) or the card's rollback. The check and the
 * terminate run under the app lock, so no deploybot operation on the app can start between the two.
 */
export async function abortOwnOperation(deps: ActionDeps, card: Card, user: string): Promise<ActionOutcome> {
  const { ctx, cards } = deps;
  const run = await withAppLock(ctx.store, card.app, LOCK_WAIT_MS, async (): Promise<ActionOutcome> => {
    let app: Awaited<ReturnType<typeof ctx.argocd.getApplication>>;
    try {
      app = await ctx.argocd.getApplication(card.app);
    } catch (error) {
      const message = await explainArgoRefusal(ctx, card.app, error);
      return refuseOnCard(deps, card.id, 'abort', `${message} Nothing was terminated.`, { user });
    }
    // The card as it is now: a sync claimed or a rollback started since the click counts, one that ended does not.
    const latest = (await cards.repo.get(card.id)) ?? card;
    const ownership = ownRunningOperation(latest, app);
    if (!ownership.ours) {
      const reason = ownership.reason.charAt(0).toUpperCase() + ownership.reason.slice(1);
      return refuseOnCard(deps, card.id, 'abort', `${reason}; nothing was terminated.`, { user });
    }
    try {
      await ctx.argocd.terminateOperation(card.app);
    } catch (error) {
      const message = await explainArgoRefusal(ctx, card.app, error);
      return refuseOnCard(deps, card.id, 'abort', message, { user });
    }
    await audit(ctx, card, { action: 'abort', outcome: 'started', user });
    cards.note(card.id, { type: 'aborted', user });
    void deps.follower.follow(card.id);
    return { kind: 'done', message: 'Termination requested.' };
  });
  if (run.locked) return run.value;
  return refuseOnCard(
    deps,
    card.id,
    'abort',
    'Another deploybot action on this app is running right now; press Abort again in a moment.',
    { user },
  );
}
