import { audit } from '../cards/audit.js';
import { describeError } from '../clients/describe-error.js';
import {
  NothingToRevertError,
  type OpenRevertPullRequest,
  type RevertPullRequest,
  type RevertRequest,
} from '../clients/github/revert-port.js';
import type { Card } from '../domain/card.js';
import { transitioned } from '../domain/card-transitions.js';
import { storeKeys } from '../store/keys.js';
import type { ActionDeps } from './action-deps.js';
import type { ActionOutcome } from './action-outcome.js';
import { withLock } from './app-lock.js';
import { refuseOnCard } from './refuse-on-card.js';

const REVERT_LOCK_TTL_MS = 120_000;

/**
 * Revert in Git: one pull request per card, whatever the number of clicks or replicas. A lock per
 * card covers the GitHub calls; the PR is recorded on the card only once it exists.
 */
export async function openRevert(
  deps: ActionDeps,
  openPullRequest: OpenRevertPullRequest | undefined,
  card: Card,
  user: string,
): Promise<ActionOutcome> {
  const { repo, from } = card;
  const path = card.source.path;
  if (!openPullRequest || !repo || path === undefined || !from?.sha) {
    return refuseOnCard(
      deps,
      card.id,
      'revert-in-git',
      'Revert in Git needs GitHub access (GITHUB_TOKEN), the app repository on GitHub and its path.',
      { user },
    );
  }
  const request: RevertRequest = {
    repo,
    branch: card.source.targetRevision,
    path,
    toRevision: from.sha,
    fromRevision: card.revision,
    app: card.app.name,
    requestedBy: user,
  };
  const run = await withLock(
    deps.ctx.store,
    storeKeys.revertLock(card.id),
    { ttlMs: REVERT_LOCK_TTL_MS, waitMs: 0 },
    async (): Promise<ActionOutcome> => {
      const latest = await deps.cards.repo.get(card.id);
      if (latest?.revertPr)
        return {
          kind: 'refused',
          message: `Revert pull request #${latest.revertPr.number} is already open.`,
        };
      return openOnce(deps, openPullRequest, card, request);
    },
  );
  return run.locked
    ? run.value
    : { kind: 'refused', message: 'A revert pull request for this card is being opened right now.' };
}

async function openOnce(
  { ctx, cards }: ActionDeps,
  openPullRequest: OpenRevertPullRequest,
  card: Card,
  request: RevertRequest,
): Promise<ActionOutcome> {
  const user = request.requestedBy;
  cards.note(card.id, { type: 'revert-started', user });
  let pr: RevertPullRequest;
  try {
    pr = await openPullRequest(request);
  } catch (error) {
    const nothing = error instanceof NothingToRevertError;
    const message = nothing
      ? `Nothing to revert: ${error.message}.`
      : `Revert in Git failed: ${describeError(error)}`;
    if (!nothing)
      ctx.logger.warn({ err: error, cardId: card.id, app: card.app.name }, 'revert in Git failed');
    await cards.change(card.id, (c) => ({ ...c, notice: message }));
    await audit(ctx, card, { action: 'revert-in-git', outcome: 'failed', user, detail: message });
    cards.note(
      card.id,
      nothing
        ? { type: 'refused', action: 'Revert in Git', message }
        : { type: 'revert-finished', user, error: message },
    );
    return { kind: 'refused', message };
  }
  // The reverted revision is held from now on: Git will move past it, and no later notice of it is approvable.
  await cards.change(card.id, (c) => {
    if (c.revertPr) return undefined;
    const withPr = { ...c, notice: undefined, revertPr: { url: pr.url, number: pr.number, user } };
    return transitioned(withPr, { kind: 'hold', user, via: 'revert' }, ctx.now()) ?? withPr;
  });
  await audit(ctx, card, { action: 'revert-in-git', outcome: 'started', user, detail: pr.url });
  cards.note(card.id, { type: 'revert-finished', user, pr: { url: pr.url, number: pr.number } });
  return { kind: 'done', message: `Revert pull request #${pr.number} opened.` };
}
