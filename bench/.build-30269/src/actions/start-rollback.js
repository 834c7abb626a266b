import { ArgoCdError } from '../clients/argocd/argocd-error.js';
import { toAppSnapshot } from '../workers/to-app-snapshot.js';
import { withAppLock } from './app-lock.js';
import { audit } from './audit.js';
import { explainArgoRefusal } from './describe-argo-refusal.js';
import { refuseOnCard } from './refuse-on-card.js';
import { operationLanded } from './start-sync.js';
const LOCK_WAIT_MS = 5_000;
/** Argo CD rollback to the history entry before this card's deploy; one at a time per card and per app. */
export async function startRollback(deps, card, historyId, user) {
    const { ctx, cards } = deps;
    const run = await withAppLock(ctx.store, card.app, LOCK_WAIT_MS, async () => {
        let lastStartedAt;
        try {
            lastStartedAt = toAppSnapshot(await ctx.argocd.getApplication(card.app), card.app).operation?.startedAt;
        }
        catch (error) {
            return refuseOnCard(deps, card.id, 'rollback', await explainArgoRefusal(ctx, card.app, error), {
                user,
            });
        }
        let claimed = false;
        let stateBefore = card.state;
        const moved = await cards.change(card.id, (c) => {
            claimed = c.state === 'succeeded' || c.state === 'degraded';
            if (!claimed)
                return undefined;
            stateBefore = c.state;
            return {
                ...c,
                state: 'rolling-back',
                notice: undefined,
                ignoreOperationStartedAt: lastStartedAt,
                rollback: { user, at: ctx.now(), historyId, revision: c.from?.sha },
            };
        });
        if (!moved || !claimed)
            return moved?.state === 'rolling-back'
                ? { kind: 'done', message: 'A rollback is already under way.' }
                : { kind: 'refused', message: 'The card is no longer deployed; nothing was rolled back.' };
        try {
            await ctx.argocd.rollback(card.app, historyId);
        }
        catch (error) {
            const landed = error instanceof ArgoCdError &&
                error.ambiguous &&
                (await operationLanded(deps, card.app, undefined, lastStartedAt));
            if (!landed) {
                const message = await explainArgoRefusal(ctx, card.app, error);
                // Nothing started: the card goes back to deployed, with Rollback still offered.
                await cards.change(card.id, (c) => c.state === 'rolling-back' ? { ...c, state: stateBefore, rollback: undefined } : undefined);
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
    if (run.locked)
        return run.value;
    return refuseOnCard(deps, card.id, 'rollback', 'Another deploybot action on this app is still running; try the rollback again once it has finished.', { user });
}
