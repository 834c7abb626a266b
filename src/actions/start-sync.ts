import { ArgoCdError } from '../clients/argocd/argocd-error.js';
import type { AppRef, CardState } from '../domain/card.js';
import { describeState } from '../domain/policy/describe-state.js';
import { toAppSnapshot } from '../workers/to-app-snapshot.js';
import type { ActionDeps } from './action-deps.js';
import type { ActionOutcome } from './action-outcome.js';
import { withAppLock } from './app-lock.js';
import { audit } from './audit.js';
import { explainArgoRefusal } from './describe-argo-refusal.js';
import { refuseOnCard } from './refuse-on-card.js';

const LOCK_WAIT_MS = 5_000;

/**
 * After a timeout or a dropped connection the request may have landed: Argo CD is asked before
 * anything is said, and the request is never sent again blindly.
 */
export async function operationLanded(
  { ctx }: ActionDeps,
  app: AppRef,
  revision: string | undefined,
  previousStartedAt: string | undefined,
): Promise<boolean> {
  try {
    const snap = toAppSnapshot(await ctx.argocd.getApplication(app), app);
    if (snap.operationRunning) return true;
    return (
      snap.operation !== undefined &&
      snap.operation.startedAt !== previousStartedAt &&
      (revision === undefined || snap.operation.revision === revision)
    );
  } catch {
    return false;
  }
}

function notStarted(state: CardState): ActionOutcome {
  return state === 'syncing'
    ? { kind: 'done', message: 'The sync is already under way.' }
    : { kind: 'refused', message: `The card is ${describeState(state)} now; nothing was started.` };
}

/**
 * Exactly once: the approved → syncing change admits one caller across replicas, the per-app lock
 * keeps deploybot's own operations on one app apart, and Argo CD is re-read first so the sync pins
 * the card's revision only while it is still the app's target.
 */
export async function startSync(deps: ActionDeps, cardId: string, retry: boolean): Promise<ActionOutcome> {
  const { ctx, cards } = deps;
  const card = await cards.repo.get(cardId);
  if (!card) return { kind: 'refused', message: 'The card disappeared.' };
  if (card.state !== 'approved') return notStarted(card.state);
  const fail = { failFrom: ['approved'] as const };
  const run = await withAppLock(ctx.store, card.app, LOCK_WAIT_MS, async (): Promise<ActionOutcome> => {
    let snap: ReturnType<typeof toAppSnapshot>;
    try {
      snap = toAppSnapshot(await ctx.argocd.getApplication(card.app), card.app);
    } catch (error) {
      return refuseOnCard(deps, cardId, 'sync', await explainArgoRefusal(ctx, card.app, error), fail);
    }
    if (snap.targetRevision !== card.revision) {
      const now = snap.targetRevision ? snap.targetRevision.slice(0, 7) : 'another revision';
      // No Retry: the newer revision's card supersedes this one (a click can still restart it if not).
      return refuseOnCard(
        deps,
        cardId,
        'sync',
        `Argo CD now targets ${now}, not ${card.revision.slice(0, 7)}; this card can no longer deploy.`,
      );
    }
    let claimed = false;
    const started = await cards.change(cardId, (c) => {
      claimed = c.state === 'approved';
      if (!claimed) return undefined;
      return {
        ...c,
        state: 'syncing',
        notice: undefined,
        syncRequestedAt: ctx.now(),
        operation: { phase: 'Running', startedAt: new Date(ctx.now()).toISOString(), revision: c.revision },
        ignoreOperationStartedAt: snap.operation?.startedAt,
      };
    });
    if (!started || !claimed) return notStarted(started?.state ?? 'superseded');
    const approvers = started.approvals.map((a) => a.user);
    try {
      await ctx.argocd.sync(card.app, {
        revision: card.revision,
        infos: [
          { name: 'Approved in Slack by', value: approvers.join(', ') || 'n/a' },
          { name: 'deploybot card', value: card.id },
        ],
      });
    } catch (error) {
      const landed =
        error instanceof ArgoCdError &&
        error.ambiguous &&
        (await operationLanded(deps, card.app, card.revision, snap.operation?.startedAt));
      if (!landed)
        return refuseOnCard(deps, cardId, 'sync', await explainArgoRefusal(ctx, card.app, error), {
          failFrom: ['syncing'],
        });
    }
    await audit(ctx, card, {
      action: 'sync-started',
      outcome: 'started',
      user: approvers.join(','),
      detail: card.revision,
    });
    cards.note(cardId, { type: 'sync-started', revision: card.revision, approvers, retry });
    void deps.follower.follow(cardId);
    return { kind: 'done', message: `Sync of ${card.revision.slice(0, 7)} started.` };
  });
  if (run.locked) return run.value;
  return refuseOnCard(
    deps,
    cardId,
    'sync',
    'Another deploybot action on this app is still running; press Retry once it has finished.',
    fail,
  );
}
