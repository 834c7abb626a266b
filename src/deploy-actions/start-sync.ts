import { randomUUID } from 'node:crypto';
import { audit } from '../cards/audit.js';
import { toAppSnapshot } from '../cards/to-app-snapshot.js';
import type { Application } from '../clients/argocd/application-schema.js';
import { ArgoCdError } from '../clients/argocd/argocd-error.js';
import { type Card, type CardState, shortSha } from '../domain/card.js';
import { transitioned } from '../domain/card-transitions.js';
import { describeState } from '../domain/policy/describe-state.js';
import type { ActionDeps } from './action-deps.js';
import type { ActionOutcome } from './action-outcome.js';
import { withAppLock } from './app-lock.js';
import { explainArgoRefusal } from './describe-argo-refusal.js';
import { CARD_INFO, currentOperation, isCardSync, lastOperation } from './operation-ownership.js';
import { refuseOnCard } from './refuse-on-card.js';

const LOCK_WAIT_MS = 5_000;

function notStarted(state: CardState): ActionOutcome {
  return state === 'syncing'
    ? { kind: 'done', message: 'The sync is already under way.' }
    : { kind: 'refused', message: `The card is ${describeState(state)} now; nothing was started.` };
}

/** This caller's claim, as written on the card: the fencing token and the operation placeholder. */
interface Claim {
  id: string;
  /** startedAt of the placeholder operation the claim wrote; any operation seen since replaces it. */
  placeholderStartedAt: string;
}

/**
 * The card still carries this claim and no operation has been seen for it since: sending (or failing)
 * its sync is still this caller's business. After the stuck-claim recovery gave the claim up (failed)
 * and perhaps someone pressed Retry (a new claim), or once Argo CD shows an operation, it is not.
 */
const holdsClaim = (card: Card, claim: Claim) =>
  card.state === 'syncing' &&
  card.syncClaimId === claim.id &&
  card.operation?.startedAt === claim.placeholderStartedAt;

/** After an ambiguous failure: did the sync the card asked for show up on the app? */
function syncLanded(card: Card, app: Application, previousStartedAt: string | undefined): boolean {
  const running = currentOperation(app);
  if (running && isCardSync(card, running)) return true;
  const last = lastOperation(app);
  // Already over by the time it was read (a fast sync): a new last operation that is the card's.
  return last !== undefined && last.startedAt !== previousStartedAt && isCardSync(card, last);
}

/**
 * Exactly once: the approved → syncing change admits one caller across replicas, the per-app lock
 * keeps deploybot's own operations on one app apart, and Argo CD is re-read first so the sync pins
 * the card's revision only while it is still the app's target. The claim carries a fencing token that
 * is checked again right before the request, so a replica that stalled past the stuck-claim recovery
 * never sends a sync that someone else has retried since.
 */
export async function startSync(
  deps: ActionDeps,
  cardOrId: string | Card,
  retry: boolean,
): Promise<ActionOutcome> {
  const { ctx, cards } = deps;
  // The caller's copy, when it has just written it, saves a read: the claim below is version-checked anyway.
  const card = typeof cardOrId === 'string' ? await cards.repo.get(cardOrId) : cardOrId;
  if (!card) return { kind: 'refused', message: 'The card disappeared.' };
  const cardId = card.id;
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
    const claim: Claim = { id: randomUUID(), placeholderStartedAt: new Date(ctx.now()).toISOString() };
    let claimed = false;
    const started = await cards.change(cardId, (c) => {
      // Our own claim already there (its write was resent after a lost reply and someone wrote after it).
      if (holdsClaim(c, claim)) {
        claimed = true;
        return undefined;
      }
      const next = transitioned(
        c,
        {
          kind: 'claim-sync',
          claimId: claim.id,
          placeholderStartedAt: claim.placeholderStartedAt,
          ignoreOperationStartedAt: snap.operation?.startedAt,
        },
        ctx.now(),
      );
      claimed = next !== undefined;
      return next;
    });
    if (!started || !claimed) return notStarted(started?.state ?? 'superseded');
    return sendClaimedSync(deps, started, claim, snap.operation?.startedAt, retry);
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

/**
 * The fence, then the one request. The fence is a version-checked write: it passes only while the card
 * carries the claim, and it stamps the request time so that the stuck-claim recovery (which gives a
 * claim up after two minutes without a trace in Argo CD) counts from the moment the request goes out.
 */
async function sendClaimedSync(
  deps: ActionDeps,
  card: Card,
  claim: Claim,
  previousStartedAt: string | undefined,
  retry: boolean,
): Promise<ActionOutcome> {
  const { ctx, cards } = deps;
  let fenced = false;
  // Bookkeeping only (nothing the card shows changes), so the repository, not the card service.
  await cards.repo.update(card.id, (c) => {
    fenced = holdsClaim(c, claim);
    return fenced ? { ...c, syncRequestedAt: ctx.now() } : undefined;
  });
  if (!fenced) {
    ctx.logger.warn(
      { cardId: card.id, app: card.app.name },
      'the sync claim was given up or taken over while this replica was held up; nothing was sent',
    );
    return {
      kind: 'refused',
      message:
        'deploybot was held up after claiming this sync, and the card has moved on since (given up or retried); this attempt sent nothing to Argo CD.',
    };
  }
  const approvers = card.approvals.map((a) => a.user);
  let landedLate = false;
  try {
    await ctx.argocd.sync(card.app, {
      revision: card.revision,
      infos: [
        { name: 'Approved in Slack by', value: approvers.join(', ') || 'n/a' },
        { name: CARD_INFO, value: card.id },
      ],
    });
  } catch (error) {
    const refused = await afterFailedRequest(deps, card, claim, previousStartedAt, error);
    if (refused) return refused;
    landedLate = true;
  }
  await audit(ctx, card, {
    action: 'sync-started',
    outcome: 'started',
    user: approvers.join(','),
    detail: card.revision,
  });
  cards.note(card.id, { type: 'sync-started', revision: card.revision, approvers, retry });
  void deps.follower.follow(card.id);
  return {
    kind: 'done',
    message: landedLate
      ? `Sync of ${shortSha(card.revision)} started (Argo CD's answer was lost; the sync showed up on the app).`
      : `Sync of ${shortSha(card.revision)} started.`,
  };
}

/**
 * A refused request fails the card with Argo CD's reason. An ambiguous one (timeout, 5xx, connection
 * reset) may have landed: Argo CD is asked, over a bounded window, before Retry is offered, and the
 * request is never sent again by itself. Returns undefined when the sync did start after all.
 */
async function afterFailedRequest(
  deps: ActionDeps,
  card: Card,
  claim: Claim,
  previousStartedAt: string | undefined,
  error: unknown,
): Promise<ActionOutcome | undefined> {
  const { ctx, cards, follower } = deps;
  const reason = await explainArgoRefusal(ctx, card.app, error);
  if (!(error instanceof ArgoCdError && error.ambiguous)) return failClaim(deps, card, claim, reason);
  const seconds = Math.round(follower.landingWindowMs / 1000);
  const checking = `Argo CD did not confirm the sync request (${error.message}); deploybot is checking whether it started (up to ${seconds} s) before offering Retry.`;
  await cards.change(card.id, (c) => (holdsClaim(c, claim) ? { ...c, notice: checking } : undefined));
  const seen = await follower.awaitOperation(card.app, (app) => syncLanded(card, app, previousStartedAt));
  if (seen === 'landed') {
    await cards.change(card.id, (c) =>
      c.syncClaimId === claim.id && c.notice === checking ? { ...c, notice: undefined } : undefined,
    );
    return undefined;
  }
  if (seen === 'stopped')
    // Nothing is known; the card stays syncing and the stuck-claim recovery decides on another replica.
    return {
      kind: 'refused',
      message: 'deploybot stopped before Argo CD confirmed the sync; the card will say whether it started.',
    };
  return failClaim(
    deps,
    card,
    claim,
    `${reason} No sync of ${shortSha(card.revision)} showed up on the app within ${seconds} s.`,
  );
}

/** The claimed sync did not start: the card fails with the reason and offers Retry, if it is still ours. */
async function failClaim(
  deps: ActionDeps,
  card: Card,
  claim: Claim,
  message: string,
): Promise<ActionOutcome> {
  const { ctx, cards } = deps;
  let failed = false;
  const updated = await cards.change(card.id, (c) => {
    const next = holdsClaim(c, claim)
      ? transitioned(c, { kind: 'sync-failed', message }, ctx.now())
      : undefined;
    failed = next !== undefined;
    return next;
  });
  // The move to failed is noted in the thread by the card service ("Sync of … failed: <message>").
  await audit(ctx, updated ?? card, { action: 'sync', outcome: 'refused', detail: message });
  if (!failed) return { kind: 'refused', message: `${message} (The card has moved on meanwhile.)` };
  return { kind: 'refused', message };
}
