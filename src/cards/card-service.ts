import { EventEmitter } from 'node:events';
import type { ArgoCdClient } from '../clients/argocd/argocd-client.js';
import type { GitHubClient } from '../clients/github/github-client.js';
import { chooseAppRepo, type RepoRef } from '../clients/github/github-client.js';
import type { SlackClient } from '../clients/slack/slack-client.js';
import type { Config } from '../config/load-config.js';
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
import { resolveGroup } from '../domain/fleet-group.js';
import { describeApprovers } from '../domain/policy/index.js';
import { type ResolvedEnvironment, resolveEnvironment } from '../domain/resolve-environment.js';
import type { Logger } from '../logging/create-logger.js';
import type { ThreadEvent } from '../render/thread-note.js';
import { KeyedQueue } from '../runtime/keyed-queue.js';
import { Semaphore } from '../runtime/semaphore.js';
import { YieldingQueue } from '../runtime/yielding-queue.js';
import { appId } from '../store/keys.js';
import type { Store } from '../store/store.js';
import { audit } from './audit.js';
import { CardNotes, isFinal } from './card-notes.js';
import type { CardPublisher } from './card-publisher.js';
import { CardRepository, isNewer } from './card-repository.js';
import { enrichCard } from './enrich-card.js';
import { mapAuthorsToSlack } from './map-authors-to-slack.js';
import { toAppSnapshot } from './to-app-snapshot.js';

/** What this module needs from the composition root (a narrow port, not the app's bag). */
export interface CardServiceDeps {
  argocd: ArgoCdClient;
  config: Config;
  github?: GitHubClient;
  logger: Logger;
  now: () => number;
  slack: SlackClient;
  store: Store;
  /** Base of Argo CD UI links of an instance (its `_UI_URL`, else its API URL). */
  argoUiUrl: (instance: string) => string;
}

/** Notification-driven refreshes running at once across all apps. */
const MAX_CONCURRENT_REFRESHES = 16;
/**
 * The shortest time between two notification-driven reads of one app. The first notification of an
 * app is read at once (the card's latency); notifications within this window after a read share the
 * next read (a sync sends several within a second).
 */
const MIN_READ_INTERVAL_MS = 250;
/**
 * An app whose notifications keep piling up inside the window (a read had to wait, and others joined
 * it) gets twice the window, up to this: a storm of events for one app costs Argo CD one read every 2 s, not four a
 * second, while an app that pauses between events is read at once again.
 */
const MAX_READ_INTERVAL_MS = 2_000;
const monotonic = () => performance.now();
/** Card enrichments (Argo CD facts, GitHub reads) running at once across all cards. */
const MAX_CONCURRENT_ENRICHMENTS = 8;
/**
 * The longest an enrichment waits for new cards to be read and posted first. In a burst the cards
 * come out at once and their changelogs follow; a steady stream cannot hold a changelog back longer.
 */
const MAX_ENRICH_DEFER_MS = 10_000;

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

interface QueuedRefresh extends RefreshOptions {
  /** Notifications that joined this read after the first one. */
  joined: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** Turns what Argo CD says about an app into cards: creates, supersedes, follows and publishes them. */
export class CardService {
  /** `rollouts`: a card of an app with Argo Rollouts was observed (the Rollout follower reads them). */
  readonly events = new EventEmitter<{ transition: [CardTransition]; rollouts: [cardId: string] }>();
  readonly queue: KeyedQueue;
  /** Writable so a test can shorten the wait for a partial enrichment's second try. */
  enrichRetryMs: number;
  private readonly enrichDeadlineMs: number;
  private readonly notes: CardNotes;
  private readonly enrichRetries = new Map<string, NodeJS.Timeout>();
  private readonly queuedRefreshes = new Map<string, QueuedRefresh>();
  /** Refreshes reading or waiting to read: the work that makes and posts new cards comes before enrichments. */
  private refreshesInFlight = 0;
  private readonly enrichLimit = new YieldingQueue({
    concurrency: MAX_CONCURRENT_ENRICHMENTS,
    isBusy: () => this.refreshesInFlight > 0 || this.publisher.postsPending() > 0,
    maxDeferMs: MAX_ENRICH_DEFER_MS,
  });
  /** First enrichments under way in this process, so a click that comes before it can wait for it. */
  private readonly firstEnrichments = new Map<string, Promise<void>>();

  constructor(
    private readonly ctx: CardServiceDeps,
    readonly repo: CardRepository,
    readonly publisher: CardPublisher,
    options: CardServiceOptions = {},
  ) {
    this.enrichRetryMs = options.enrichRetryMs ?? 30_000;
    this.enrichDeadlineMs = options.enrichDeadlineMs ?? 2_500;
    this.notes = new CardNotes(publisher, ctx.logger.child({ component: 'card-notes' }), ctx.now);
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
      queued.joined++;
      return true;
    }
    const entry: QueuedRefresh = { ...options, joined: 0 };
    this.queuedRefreshes.set(key, entry);
    const accepted = this.enqueue(locator, async () => {
      // An app read moments ago is read again a little later, and everything that arrives meanwhile
      // joins this one read: a chatty app costs Argo CD a few reads a second, not one per event.
      const last = this.lastReads.get(key);
      const wait = last ? last.at + last.intervalMs - monotonic() : 0;
      if (wait > 0) await sleep(wait);
      this.queuedRefreshes.delete(key);
      // Only a read that waited and that more notifications joined widens the window: a push now and then
      // (one notification each) is read at once however close it follows the previous one.
      this.rememberRead(key, wait > 0 && entry.joined > 0 ? last : undefined);
      // Counted from here (not while it sleeps): enrichments wait only for reads that are ready to run.
      this.refreshesInFlight++;
      try {
        // A burst over hundreds of apps would otherwise read and enrich them all at once (memory peaks).
        await this.refreshLimit.run(() => this.refreshApp(locator, entry));
      } finally {
        this.refreshesInFlight--;
      }
    });
    if (!accepted) this.queuedRefreshes.delete(key);
    return accepted;
  }

  /** When each app was last read for a notification (monotonic ms) and its window, bounded to recent ones. */
  private readonly lastReads = new Map<string, { at: number; intervalMs: number }>();

  /** `throttled`: the read that just waited for this app's window, which then doubles. */
  private rememberRead(key: string, throttled: { intervalMs: number } | undefined): void {
    const now = monotonic();
    const intervalMs = throttled
      ? Math.min(MAX_READ_INTERVAL_MS, throttled.intervalMs * 2)
      : MIN_READ_INTERVAL_MS;
    this.lastReads.delete(key);
    this.lastReads.set(key, { at: now, intervalMs });
    // Insertion order is read order: the oldest entries are the first ones, drop those whose window has passed.
    for (const [oldKey, read] of this.lastReads) {
      if (now - read.at < MAX_READ_INTERVAL_MS) break;
      this.lastReads.delete(oldKey);
    }
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
    // An app of a fleet group has no card of its own: its group's fleet card lists it (groups come first).
    if (resolveGroup(this.ctx.config.policy, snap.app)) return;
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
    if (before && snap.hasRollouts) this.events.emit('rollouts', cardId);
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
    if (isFinal(before.state) && !isFinal(after.state))
      void this.repo
        .activate(after.id)
        .catch((error: unknown) =>
          this.ctx.logger.warn(
            { err: error, cardId: after.id },
            'could not mark a released card active again',
          ),
        );
    if (before.state !== after.state && isFinal(after.state)) {
      void this.repo
        .retire(after.id)
        .catch((error: unknown) =>
          this.ctx.logger.warn(
            { err: error, cardId: after.id, app: after.app.name },
            'could not retire a finished card; it expires with its TTL',
          ),
        );
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
    this.postThenEnrich(card.id, log);
    // The older card loses its buttons now; the link to this one follows once this one is posted.
    if (previous) await this.supersede(previous, card, log);
    return card;
  }

  /**
   * A new card is posted at once, from the one Argo CD read that made it: the on-call engineer sees it
   * without waiting for GitHub. Its enrichment (Argo CD's revision facts and images, then GitHub's
   * changelog, checks and pull requests) follows as one coalesced update, bounded across cards so that a
   * burst of new cards cannot hold hundreds of enrichments in memory at once.
   */
  private postThenEnrich(cardId: string, log: Logger): void {
    this.publisher.publish(cardId);
    const enriching = this.enrichLimit
      .run(() => this.enrich(cardId, log))
      .catch((error: unknown) => log.warn({ err: error, cardId }, 'card enrichment failed'))
      .finally(() => this.firstEnrichments.delete(cardId));
    this.firstEnrichments.set(cardId, enriching);
  }

  /**
   * Waits (at most `maxMs`) for a new card's first enrichment when it runs in this process: an approval
   * pressed seconds after the post is decided on the changelog, not refused for not having read it yet.
   * Returns whether there was one to wait for.
   */
  async firstEnrichment(cardId: string, maxMs: number): Promise<boolean> {
    const enriching = this.firstEnrichments.get(cardId);
    if (!enriching) return false;
    await Promise.race([enriching, sleep(maxMs)]);
    return true;
  }

  /** Asks for the card to be shown as stored (coalesced per card by the publisher). */
  publish(cardId: string): void {
    this.publisher.publish(cardId);
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

  /**
   * Fills in changelog, checks, images; on partial failure tries again later so the card fills in. What
   * Argo CD tells is stored at once but shown with GitHub's part, as one update, unless GitHub is slower
   * than the deadline (then Argo CD's facts are shown on their own first).
   */
  async enrich(cardId: string, log: Logger = this.ctx.logger): Promise<void> {
    const card = await this.repo.get(cardId);
    if (!card || isFinal(card.state)) return;
    let slowGitHub: NodeJS.Timeout | undefined;
    let argoStored = false;
    let finalChanged = false;
    if (card.changelog.pending) {
      slowGitHub = setTimeout(() => void this.showWithoutGitHub(cardId, log), this.enrichDeadlineMs);
      slowGitHub.unref();
    }
    try {
      const enrichment = await enrichCard({
        card,
        argocd: this.ctx.argocd,
        github: this.ctx.github,
        repo: card.repo,
        logger: log,
        onArgoFacts: async (facts) => {
          const stored = await this.repo.update(cardId, (c) => withChanges(c, facts));
          if (stored?.changed) argoStored = true;
        },
      });
      clearTimeout(slowGitHub);
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
      await this.change(cardId, (c) => {
        const next = withChanges(c, { changelog, checks: enrichment.checks }, { enrichedAt });
        finalChanged = next !== undefined;
        return next;
      });
      // Argo CD's facts stored above still need showing when GitHub added nothing new.
      if (argoStored && !finalChanged) this.publish(cardId);
      if (!enrichment.complete) this.scheduleEnrichRetry(cardId, log);
    } finally {
      clearTimeout(slowGitHub);
    }
  }

  /**
   * GitHub is slower than the deadline: the card shows Argo CD's facts and says the changelog is
   * unavailable (no longer "reading"), so nobody waits on it; the enrichment still fills it in when
   * GitHub answers, or its retry does later.
   */
  private async showWithoutGitHub(cardId: string, log: Logger): Promise<void> {
    try {
      await this.repo.update(cardId, (c) =>
        c.changelog.pending ? { ...c, changelog: { ...c.changelog, pending: undefined } } : undefined,
      );
      this.publish(cardId);
    } catch (error) {
      log.warn({ err: error, cardId }, 'could not show the card without its GitHub part');
    }
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
