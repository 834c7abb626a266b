import { EventEmitter } from 'node:events';
import type { AppContext } from '../app/context.js';
import { chooseAppRepo, type RepoRef } from '../clients/github/github-client.js';
import { type AppSnapshot, liveRevision } from '../domain/app-snapshot.js';
import {
  type AppRef,
  type Card,
  type CardKind,
  type CardState,
  emptyChangelog,
  unknownChecks,
} from '../domain/card.js';
import { transitioned } from '../domain/card-transitions.js';
import { describeApprovers } from '../domain/policy/index.js';
import { type ResolvedEnvironment, resolveEnvironment } from '../domain/resolve-environment.js';
import type { Logger } from '../logging/create-logger.js';
import type { ThreadEvent } from '../render/thread-note.js';
import { KeyedQueue } from '../runtime/keyed-queue.js';
import { Semaphore } from '../runtime/semaphore.js';
import { appId } from '../store/keys.js';
import { audit } from './audit.js';
import { CardNotes, isFinal } from './card-notes.js';
import type { CardPublisher } from './card-publisher.js';
import { CardRepository, isNewer } from './card-repository.js';
import { enrichCard } from './enrich-card.js';
import { mapAuthorsToSlack } from './map-authors-to-slack.js';
import { toAppSnapshot } from './to-app-snapshot.js';

/** Notification-driven refreshes running at once across all apps. */
const MAX_CONCURRENT_REFRESHES = 16;

export interface CardServiceOptions {
  /** After a partial enrichment (GitHub or Argo CD unreachable), try again this much later. */
  enrichRetryMs?: number;
  /** How long a new card waits for its enrichment before it is posted with what is known. */
  enrichDeadlineMs?: number;
}

export interface CardTransition {
  before: Card;
  after: Card;
}

export interface RefreshOptions {
  /** Info cards for auto-sync apps are made from notifications only, never from a periodic scan. */
  allowInfoCards: boolean;
  log?: Logger;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** Turns what Argo CD says about an app into cards: creates, supersedes, follows and publishes them. */
export class CardService {
  readonly events = new EventEmitter<{ transition: [CardTransition] }>();
  readonly queue: KeyedQueue;
  /** Writable so a test can shorten the wait for a partial enrichment's second try. */
  enrichRetryMs: number;
  private readonly enrichDeadlineMs: number;
  private readonly notes: CardNotes;
  private readonly enrichRetries = new Map<string, NodeJS.Timeout>();
  private readonly queuedRefreshes = new Map<string, RefreshOptions>();
  private readonly firstPostHolds = new Map<string, Promise<void>>();

  constructor(
    private readonly ctx: AppContext,
    readonly repo: CardRepository,
    readonly publisher: CardPublisher,
    options: CardServiceOptions = {},
  ) {
    this.enrichRetryMs = options.enrichRetryMs ?? 30_000;
    this.enrichDeadlineMs = options.enrichDeadlineMs ?? 2_500;
    this.notes = new CardNotes(publisher, ctx.logger.child({ component: 'card-notes' }), ctx.now, (id) =>
      this.firstPostHolds.get(id),
    );
    this.queue = new KeyedQueue((error, key) =>
      ctx.logger.error({ err: error, app: key }, 'card work failed'),
    );
  }

  /** Serialises work per application: events for one app run in order, apps in parallel. */
  enqueue(app: AppRef, task: () => Promise<void>): boolean {
    return this.queue.push(appId(app), task);
  }

  /**
   * Reads the app and applies what it says, after the app's queued work. A refresh that is already
   * queued and not started reads the same state later, so a burst of notifications costs one read.
   */
  private readonly refreshLimit = new Semaphore(MAX_CONCURRENT_REFRESHES);

  requestRefresh(locator: AppRef, options: RefreshOptions): boolean {
    const key = appId(locator);
    const queued = this.queuedRefreshes.get(key);
    if (queued) {
      queued.allowInfoCards ||= options.allowInfoCards;
      return true;
    }
    const entry: RefreshOptions = { ...options };
    this.queuedRefreshes.set(key, entry);
    const accepted = this.enqueue(locator, async () => {
      this.queuedRefreshes.delete(key);
      // A burst over hundreds of apps would otherwise read and enrich them all at once (memory peaks).
      await this.refreshLimit.run(() => this.refreshApp(locator, entry));
    });
    if (!accepted) this.queuedRefreshes.delete(key);
    return accepted;
  }

  async refreshApp(
    locator: AppRef,
    { allowInfoCards, log = this.ctx.logger }: RefreshOptions,
  ): Promise<void> {
    const observedAt = this.ctx.now();
    const app = await this.ctx.argocd.getApplication(locator);
    await this.applySnapshot(toAppSnapshot(app, locator, observedAt), { allowInfoCards, log });
  }

  async applySnapshot(
    snap: AppSnapshot,
    { allowInfoCards, log = this.ctx.logger }: RefreshOptions,
  ): Promise<void> {
    const resolved = resolveEnvironment(this.ctx.config.policy, snap.app);
    if (!resolved) {
      log.debug({ app: snap.app.name }, 'no apps rule matches; no card');
      return;
    }
    if (!resolved.channel) {
      log.warn(
        { app: snap.app.name, environment: resolved.environment.name },
        'no channel for this environment; set channels.deploys',
      );
      return;
    }
    const interesting = new Set<string>();
    const target = snap.targetRevision;
    // OutOfSync at the revision that already runs is drift, not a deploy: nothing to approve.
    if (!snap.autoSync && snap.syncStatus === 'OutOfSync' && target && target !== liveRevision(snap)) {
      const card = await this.ensureCard(snap, resolved, 'approval', target, log);
      if (card) interesting.add(card.id);
    }
    const opRevision = snap.operation?.revision;
    if (snap.autoSync && allowInfoCards && opRevision) {
      const card = await this.ensureCard(snap, resolved, 'info', opRevision, log);
      if (card) interesting.add(card.id);
    }
    const current = await this.repo.currentTarget(snap.app);
    if (current) interesting.add(current.cardId);
    if (opRevision) {
      const opCard = await this.repo.findByRevision(snap.app, opRevision);
      if (opCard) interesting.add(opCard.id);
    }
    for (const cardId of interesting) await this.observe(cardId, snap);
  }

  /** Brings one card in line with the app; publishes and notes the change. */
  async observe(cardId: string, snap: AppSnapshot): Promise<Card | undefined> {
    let before: Card | undefined;
    const result = await this.repo.update(cardId, (card) => {
      before = card;
      const now = this.ctx.now();
      const observed = transitioned(card, { kind: 'observe', snapshot: snap }, now) ?? card;
      // Judged on every read (follower, reconciler, notification) from Argo CD's startedAt: a restart keeps the clock.
      const syncTimeoutMs = this.ctx.config.policy.environments[card.environment]?.syncTimeout;
      const stuck =
        syncTimeoutMs !== undefined
          ? transitioned(observed, { kind: 'mark-stuck', syncTimeoutMs }, now)
          : undefined;
      const next = stuck ?? observed;
      return next === card ? undefined : next;
    });
    if (!result || !before) return undefined;
    if (result.changed) this.afterChange(before, result.card, snap.healthMessage);
    return result.card;
  }

  /** Applies a change to a stored card (from an action), then publishes and notes it. */
  async change(cardId: string, change: (card: Card) => Card | undefined): Promise<Card | undefined> {
    let before: Card | undefined;
    const result = await this.repo.update(cardId, (card) => {
      before = card;
      const next = change(card);
      return next ? { ...next, updatedAt: this.ctx.now() } : undefined;
    });
    if (result?.changed && before) this.afterChange(before, result.card);
    return result?.card;
  }

  /** Posts a note in the card's thread, after the notes before it. */
  note(cardId: string, event: ThreadEvent): void {
    this.notes.note(cardId, event);
  }

  private afterChange(before: Card, after: Card, healthMessage?: string): void {
    this.publish(after.id);
    this.notes.noteChange(before, after, healthMessage);
    this.noteOnCall(before, after);
    // A released hold brings a rolled-back card back to pending: the reconciler follows it again.
    if (isFinal(before.state) && !isFinal(after.state)) void this.repo.activate(after.id).catch(() => {});
    if (before.state !== after.state && isFinal(after.state)) {
      void this.repo.retire(after.id).catch(() => {});
      this.cancelEnrichRetry(after.id);
    }
    this.events.emit('transition', { before, after });
  }

  /** Holds and stuck syncs, whichever path (rollback, revert, follower, reconciler) brought them. */
  private noteOnCall(before: Card, after: Card): void {
    if (after.hold && !before.hold) {
      this.note(after.id, { type: 'held', user: after.hold.user, via: after.hold.via });
      void audit(this.ctx, after, {
        action: 'hold',
        outcome: 'held',
        user: after.hold.user,
        detail: after.hold.via,
      });
    }
    if (after.stuck && after.stuck.startedAt !== before.stuck?.startedAt) {
      const environment = this.ctx.config.policy.environments[after.environment];
      const approvers = environment ? describeApprovers(environment.approvers) : 'approvers';
      this.note(after.id, {
        type: 'stuck',
        approvers,
        startedAt: after.stuck.startedAt,
        timeoutMs: environment?.syncTimeout ?? 0,
      });
      void audit(this.ctx, after, { action: 'stuck', outcome: 'marked', detail: after.stuck.startedAt });
    }
  }

  private async ensureCard(
    snap: AppSnapshot,
    resolved: ResolvedEnvironment,
    kind: CardKind,
    revision: string,
    log: Logger,
  ): Promise<Card | undefined> {
    const existing = await this.repo.findByRevision(snap.app, revision);
    if (existing) return existing;
    if (kind === 'approval') {
      const current = await this.repo.currentTarget(snap.app);
      if (current && current.revision !== revision && isNewer(current.observedAt, snap.observedAt)) {
        log.debug({ revision, current: current.revision }, 'a later read already moved the app on');
        return undefined;
      }
    }
    const { card, created } = await this.repo.create(this.newCard(snap, resolved, kind, revision));
    if (!created) return card;
    let previous: string | undefined;
    if (kind === 'approval') {
      const pointer = await this.repo.setCurrentTarget(card, snap.observedAt);
      if (pointer.stale) {
        await this.bury(card, pointer.previous?.cardId, log);
        return undefined;
      }
      if (pointer.previous && pointer.previous.cardId !== card.id) previous = pointer.previous.cardId;
    }
    log.info({ cardId: card.id, kind, revision }, 'new deploy card');
    this.holdFirstPost(card.id, log);
    // The older card loses its buttons now; the link to this one follows once this one is posted.
    if (previous) await this.supersede(previous, card, log);
    return card;
  }

  /**
   * A new card is posted once, complete: after its enrichment (Argo CD and GitHub), or at the deadline
   * with what is known when GitHub is slow. The app's queue does not wait for that.
   */
  private holdFirstPost(cardId: string, log: Logger): void {
    const enriching = this.enrich(cardId, log).catch((error: unknown) =>
      log.warn({ err: error }, 'card enrichment failed'),
    );
    const hold = Promise.race([enriching, sleep(this.enrichDeadlineMs)]).then(() => {
      this.firstPostHolds.delete(cardId);
      this.publisher.publish(cardId);
    });
    this.firstPostHolds.set(cardId, hold);
  }

  /** Asks for the card to be shown as stored, unless it is a new card still waiting for its enrichment. */
  publish(cardId: string): void {
    if (!this.firstPostHolds.has(cardId)) this.publisher.publish(cardId);
  }

  /** A card made from a read that a later read overtook (another replica won the race): never shown. */
  private async bury(card: Card, currentId: string | undefined, log: Logger): Promise<void> {
    log.info(
      { cardId: card.id, revision: card.revision },
      'a newer target overtook this card before it was posted',
    );
    await this.repo.update(card.id, (c) => {
      const by = currentId ? { cardId: currentId, channel: c.channel } : undefined;
      const now = this.ctx.now();
      const next = transitioned(c, { kind: 'supersede', by }, now);
      return next && { ...next, updatedAt: now };
    });
    await this.repo.retire(card.id);
    this.cancelEnrichRetry(card.id);
  }

  private async supersede(olderId: string, newer: Card, log: Logger): Promise<void> {
    const by = { cardId: newer.id, channel: newer.channel };
    const updated = await this.change(olderId, (older) =>
      transitioned(older, { kind: 'supersede', by }, this.ctx.now()),
    );
    if (updated?.state !== 'superseded' || updated.supersededBy?.cardId !== newer.id) return;
    // The link to the newer card needs its ts; wait for its post without holding up the app's queue.
    void this.linkSuperseded(olderId, newer).catch((error: unknown) =>
      log.warn({ err: error, cardId: olderId }, 'could not link the superseded card to the newer one'),
    );
  }

  private async linkSuperseded(olderId: string, newer: Card): Promise<void> {
    await this.firstPostHolds.get(newer.id);
    const posted = await this.publisher.whenPosted(newer.id);
    let permalink: string | undefined;
    if (posted?.ts) {
      const ts = posted.ts;
      await this.change(olderId, (c) =>
        c.supersededBy?.cardId === newer.id && !c.supersededBy.ts
          ? { ...c, supersededBy: { ...c.supersededBy, ts } }
          : undefined,
      );
      permalink = await this.ctx.slack.permalink(posted.channel, ts);
    }
    if ((await this.repo.get(olderId))?.ts)
      this.note(olderId, { type: 'superseded', revision: newer.revision, permalink });
  }

  /** Fills in changelog, checks, images; on partial failure tries again later so the card fills in. */
  async enrich(cardId: string, log: Logger = this.ctx.logger): Promise<void> {
    const card = await this.repo.get(cardId);
    if (!card || isFinal(card.state)) return;
    const enrichment = await enrichCard({
      card,
      argocd: this.ctx.argocd,
      github: this.ctx.github,
      repo: card.repo,
      logger: log,
      // Stored at once, so a card posted at the deadline (GitHub slow) still shows Argo CD's facts.
      onArgoFacts: async (facts) => {
        await this.change(cardId, (c) => withChanges(c, facts));
      },
    });
    const enrichedAt = enrichment.complete ? this.ctx.now() : undefined;
    const changelog = enrichment.changelog.available
      ? {
          ...enrichment.changelog,
          authorSlackIds: await mapAuthorsToSlack(enrichment.changelog, {
            people: this.ctx.config.policy.people,
            slack: this.ctx.slack,
            logger: log,
          }),
        }
      : enrichment.changelog;
    await this.change(cardId, (c) =>
      withChanges(c, { changelog, checks: enrichment.checks }, { enrichedAt }),
    );
    if (!enrichment.complete) this.scheduleEnrichRetry(cardId, log);
  }

  /** One pending retry per card, however many times enrichment was asked for (reconciler, creation). */
  private scheduleEnrichRetry(cardId: string, log: Logger): void {
    if (this.enrichRetries.has(cardId)) return;
    const timer = setTimeout(() => {
      this.enrichRetries.delete(cardId);
      void this.enrich(cardId, log).catch((error: unknown) =>
        log.warn({ err: error, cardId }, 'card re-enrichment failed'),
      );
    }, this.enrichRetryMs);
    timer.unref();
    this.enrichRetries.set(cardId, timer);
  }

  private cancelEnrichRetry(cardId: string): void {
    clearTimeout(this.enrichRetries.get(cardId));
    this.enrichRetries.delete(cardId);
  }

  private newCard(snap: AppSnapshot, resolved: ResolvedEnvironment, kind: CardKind, revision: string): Card {
    const now = this.ctx.now();
    const previous = [...snap.history].reverse().find((h) => h.revision && h.revision !== revision);
    // `github.repo` only for an app naming no repository: never another repository's commits or files.
    const repo: RepoRef | undefined = chooseAppRepo(snap.source.repoURL, this.ctx.config.policy.github.repo);
    const state: CardState = kind === 'approval' ? 'pending' : 'syncing';
    return {
      id: CardRepository.newId(),
      kind,
      state,
      app: snap.app,
      environment: resolved.environment.name,
      channel: resolved.channel!,
      revision,
      to: { sha: revision },
      from: previous?.revision ? { sha: previous.revision } : undefined,
      previousHistoryId: previous?.id,
      destination: snap.destination,
      source: snap.source,
      repo,
      autoSync: snap.autoSync,
      changelog: emptyChangelog(),
      // The live images (status.summary) are the old ones while a sync runs: the enrichment diffs live and target.
      images: [],
      checks: unknownChecks(),
      health: snap.health,
      syncStatus: snap.syncStatus,
      approvals: [],
      requiredApprovals: kind === 'approval' ? resolved.environment.requiredApprovals : 0,
      operation: kind === 'info' ? snap.operation : undefined,
      createdAt: now,
      updatedAt: now,
    };
  }

  async stop(deadlineMs: number): Promise<void> {
    for (const timer of this.enrichRetries.values()) clearTimeout(timer);
    this.enrichRetries.clear();
    await this.queue.drain(deadlineMs);
    await this.notes.idle(deadlineMs);
    await this.publisher.idle();
    this.publisher.stop();
  }
}

/** The card with `shown` applied, or undefined when nothing shown would change (no Slack update for it). */
function withChanges(card: Card, shown: Partial<Card>, hidden: Partial<Card> = {}): Card | undefined {
  const differs = (Object.keys(shown) as (keyof Card)[]).some(
    (key) => JSON.stringify(card[key]) !== JSON.stringify(shown[key]),
  );
  const hiddenDiffers = (Object.keys(hidden) as (keyof Card)[]).some((key) => card[key] !== hidden[key]);
  return differs || hiddenDiffers ? { ...card, ...shown, ...hidden } : undefined;
}
